/**
 * Reads the AWS Organizations policies of synthesised stacks (what ships, the
 * `content` Terraform sends, its `$${` escapes undone) and where each is
 * attached, as the simulator's control policies. Where each account sits in
 * the organization is not in the stacks: the test says it.
 */
import type { Json } from "./policy-world";
import type { AttachedPolicy, ControlPolicies } from "./simulate";

/** `${aws_organizations_policy.<name>.id}`: the policy an attachment names. */
const POLICY_REFERENCE = /^\$\{aws_organizations_policy\.([A-Za-z0-9_-]+)\.id\}$/;

export interface OrganizationPolicy {
  /** The policy's Terraform name, e.g. `Default_ServiceControlPolicy1_2F3B9A41`. */
  readonly address: string;
  readonly name: string;
  readonly type: "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY";
  /** The document as Organizations receives it. */
  readonly content: string;
  readonly document: Json;
  /** Roots, OUs and accounts it is attached to. */
  readonly targets: string[];
}

export function organizationPoliciesOf(stacks: Record<string, Json>): OrganizationPolicy[] {
  const out: OrganizationPolicy[] = [];
  for (const stack of Object.values(stacks)) {
    const policies: Record<string, Json> = stack.resource?.aws_organizations_policy ?? {};
    const attachments: Json[] = Object.values(stack.resource?.aws_organizations_policy_attachment ?? {});
    for (const [address, policy] of Object.entries(policies)) {
      const content = String(policy.content).replace(/\$\$\{/g, "${");
      out.push({
        address,
        name: policy.name,
        type: policy.type,
        content,
        document: JSON.parse(content) as Json,
        targets: attachments
          .filter((a) => POLICY_REFERENCE.exec(String(a.policy_id))?.[1] === address)
          .map((a) => String(a.target_id))
          .sort(),
      });
    }
  }
  return out;
}

/** The control policies of the stacks, with the organization's tree as `paths` (root and OUs above each account). */
export function controlPoliciesOf(
  stacks: Record<string, Json>,
  paths: ReadonlyMap<string, readonly string[]>,
): ControlPolicies {
  const byTarget = (type: OrganizationPolicy["type"]) => {
    const map = new Map<string, AttachedPolicy[]>();
    for (const policy of organizationPoliciesOf(stacks).filter((p) => p.type === type)) {
      for (const target of policy.targets) {
        map.set(target, [...(map.get(target) ?? []), { name: policy.name, policy: policy.document }]);
      }
    }
    return map;
  };
  return {
    paths,
    serviceControlPolicies: byTarget("SERVICE_CONTROL_POLICY"),
    resourceControlPolicies: byTarget("RESOURCE_CONTROL_POLICY"),
  };
}
