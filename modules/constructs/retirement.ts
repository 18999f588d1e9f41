/**
 * Resources that guard archived data (keys, buckets and their policy, public
 * access block, encryption, versioning, lifecycle, Object Lock, replication)
 * are never destroyed by a registry change or an upgrade.
 *
 * While a resource is generated, `prevent_destroy` makes any plan that would
 * destroy or replace it fail. But Terraform applies `prevent_destroy` only
 * while the resource block is in the configuration: when a registry change
 * (or a new version of this project) stops generating it, a plain plan
 * destroys it. So wherever a construct does not create a protected resource
 * it could create, it emits a `removed` block with `destroy = false` for that
 * resource's address instead: if the resource exists in the state, Terraform
 * forgets it and leaves it in AWS (the plan says "will no longer be managed
 * by Terraform, but will not be destroyed"); if it never existed, the block
 * does nothing. The plan gate (security/plan-gate) asks for an
 * acknowledgement in the registry before such a plan is applied.
 * @see https://developer.hashicorp.com/terraform/language/block/removed
 * @see https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy
 */
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";

/** The lifecycle of every protected resource. */
export const PROTECTED = { preventDestroy: true } as const;

/** One protected resource a construct may create: its Terraform type and its construct path below the construct. */
export interface ProtectedChild {
  readonly type: string;
  readonly path: readonly string[];
}

/** The children of `id`, with `id` in front of their paths: for composing constructs. */
export function under(id: string, children: readonly ProtectedChild[]): ProtectedChild[] {
  return children.map((c) => ({ type: c.type, path: [id, ...c.path] }));
}

const removedByStack = new WeakMap<TerraformStack, Map<string, { from: string; lifecycle: { destroy: false } }>>();

/**
 * Emits, in the stack of `scope`, a `removed` block (destroy = false) for
 * each protected resource that would live at `scope`/path. The address is
 * the one cdktf gives a resource at that path, computed from a placeholder
 * construct that is removed again, so it cannot differ from the real one.
 * A child that exists in the tree is a programming error.
 */
export function retire(scope: Construct, children: readonly ProtectedChild[]): void {
  const stack = TerraformStack.of(scope);
  const blocks = removedByStack.get(stack) ?? new Map();
  removedByStack.set(stack, blocks);
  for (const child of children) {
    const address = `${child.type}.${logicalIdAt(stack, scope, child.path)}`;
    blocks.set(address, { from: address, lifecycle: { destroy: false } });
  }
  // One override holds every block of the stack, in address order (stable output).
  stack.addOverride(
    "removed",
    [...blocks.keys()].sort().map((address) => blocks.get(address)!),
  );
}

/** The logical id cdktf allocates to a resource at `scope`/path, without leaving anything in the tree. */
function logicalIdAt(stack: TerraformStack, scope: Construct, path: readonly string[]): string {
  if (path.length === 0) throw new Error(`retire: empty path under ${scope.node.path}`);
  const created: Construct[] = [];
  let parent = scope;
  for (const id of path) {
    const existing = parent.node.tryFindChild(id);
    if (existing && id === path[path.length - 1]) {
      throw new Error(`retire: ${existing.node.path} exists; only resources that are not created can be retired`);
    }
    parent = (existing as Construct | undefined) ?? new Construct(parent, id);
    if (!existing) created.push(parent);
  }
  const logicalId = stack.getLogicalId(parent.node);
  // Removing the outermost placeholder removes those below it.
  const outermost = created[0];
  if (outermost) outermost.node.scope!.node.tryRemoveChild(outermost.node.id);
  return logicalId;
}
