/**
 * What the day-two tests read from synthesised stacks: which resources are
 * protected (they carry `prevent_destroy`), which addresses a stack retires
 * with `removed` blocks, and which arguments force a protected resource's
 * replacement (which `prevent_destroy` then refuses).
 */
import type { TfJson } from "../helpers/synth";

/** `<type>.<name>` of every resource of a stack with its configuration. */
export function resourcesByAddress(stack: TfJson): Map<string, any> {
  const out = new Map<string, any>();
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    for (const [name, config] of Object.entries(byName)) out.set(`${type}.${name}`, config);
  }
  return out;
}

/** Addresses of the resources that carry `lifecycle.prevent_destroy`. */
export function protectedAddresses(stack: TfJson): Set<string> {
  return new Set(
    [...resourcesByAddress(stack)].filter(([, c]) => c.lifecycle?.prevent_destroy === true).map(([a]) => a),
  );
}

/** Addresses the stack retires: `removed` blocks with `destroy = false`. */
export function retiredAddresses(stack: TfJson): Set<string> {
  const removed = ((stack as any).removed ?? []) as { from: string; lifecycle?: { destroy?: boolean } }[];
  return new Set(removed.filter((r) => r.lifecycle?.destroy === false).map((r) => r.from));
}

/**
 * Arguments whose change makes the AWS provider replace a protected resource
 * (`ForceNew` in its schema), per resource type. `region` (the provider's
 * per-resource Region, version 6) moves a resource to another Region: a new
 * resource too.
 * @see https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/kms/key.go (custom_key_store_id, customer_master_key_spec, key_usage, multi_region, xks_key_id)
 * @see https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/kms/alias.go (name, name_prefix)
 * @see https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/s3/bucket.go (bucket, bucket_prefix, object_lock_enabled)
 * @see https://github.com/hashicorp/terraform-provider-aws/tree/main/internal/service/s3 (bucket_*.go: bucket, expected_bucket_owner)
 */
export const FORCE_NEW: Readonly<Record<string, readonly string[]>> = {
  aws_kms_key: ["region", "custom_key_store_id", "customer_master_key_spec", "key_usage", "multi_region", "xks_key_id"],
  aws_kms_alias: ["region", "name", "name_prefix"],
  aws_s3_bucket: ["region", "bucket", "bucket_prefix", "object_lock_enabled"],
  aws_s3_bucket_policy: ["region", "bucket"],
  aws_s3_bucket_public_access_block: ["region", "bucket"],
  aws_s3_bucket_versioning: ["region", "bucket", "expected_bucket_owner"],
  aws_s3_bucket_server_side_encryption_configuration: ["region", "bucket", "expected_bucket_owner"],
  aws_s3_bucket_lifecycle_configuration: ["region", "bucket", "expected_bucket_owner"],
  aws_s3_bucket_object_lock_configuration: ["region", "bucket", "expected_bucket_owner"],
  aws_s3_bucket_replication_configuration: ["region", "bucket"],
  aws_s3_bucket_ownership_controls: ["region", "bucket"],
  aws_s3_bucket_logging: ["region", "bucket", "expected_bucket_owner"],
};

/**
 * ForceNew arguments that are also Computed: left out of the configuration,
 * they keep the value in the state, so only a value set in `after` can change
 * them (bucket.go: object_lock_enabled; key.go: multi_region).
 */
const COMPUTED = new Set(["object_lock_enabled", "multi_region"]);

/**
 * The ForceNew arguments of a protected resource that differ between two
 * configurations. `region` is compared as the Region the resource is in: its
 * own, or its stack's provider Region.
 */
export function forceNewChanges(
  type: string,
  before: any,
  after: any,
  regions: { readonly before: string; readonly after: string } = { before: "", after: "" },
): string[] {
  const args = FORCE_NEW[type];
  if (!args) throw new Error(`no ForceNew list for protected type ${type}: add it from the provider's schema`);
  return args.filter((arg) => {
    if (arg === "region") return (before?.region ?? regions.before) !== (after?.region ?? regions.after);
    if (COMPUTED.has(arg) && after?.[arg] === undefined) return false;
    return JSON.stringify(before?.[arg]) !== JSON.stringify(after?.[arg]);
  });
}

function providerRegion(stack: TfJson): string {
  return (stack.provider?.aws ?? []).find((p: any) => p.alias === undefined)?.region ?? "";
}

/** What happens to one stack's protected resources from `before` to `after` (both synthesised). */
export interface ProtectedChanges {
  /** Protected in `before`, absent from `after`, and not retired: a plain plan destroys them. */
  readonly destroyed: string[];
  /** Protected in `before`, retired in `after`: forgotten, left in AWS. */
  readonly forgotten: string[];
  /** Protected in both, with a ForceNew argument changed: `prevent_destroy` refuses the plan. */
  readonly replaced: { address: string; arguments: string[] }[];
  /** Protected in both, other arguments changed: updated in place. */
  readonly updated: string[];
}

export function protectedChanges(before: TfJson, after: TfJson | undefined): ProtectedChanges {
  const was = resourcesByAddress(before);
  const now = after ? resourcesByAddress(after) : new Map<string, any>();
  const retired = after ? retiredAddresses(after) : new Set<string>();
  const out: ProtectedChanges = { destroyed: [], forgotten: [], replaced: [], updated: [] };
  for (const address of [...protectedAddresses(before)].sort()) {
    const config = now.get(address);
    if (config === undefined) {
      (retired.has(address) ? out.forgotten : out.destroyed).push(address);
      continue;
    }
    const strip = (c: any) => JSON.stringify({ ...c, "//": undefined });
    const type = address.split(".")[0]!;
    const forceNew = forceNewChanges(type, was.get(address), config, {
      before: providerRegion(before),
      after: providerRegion(after!),
    });
    if (forceNew.length > 0) out.replaced.push({ address, arguments: forceNew });
    else if (strip(was.get(address)) !== strip(config)) out.updated.push(address);
  }
  return out;
}
