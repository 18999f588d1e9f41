/**
 * A Terraform Cloud run role in the account of the stack it is in: the IAM
 * OIDC provider of the host (unless the account already has one, IAM holds
 * one per URL) and a role that the named workspaces' runs assume with their
 * workload identity tokens. The log-access stack uses it in the management
 * account, which a service-managed StackSet never deploys to.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_openid_connect_provider
 */
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import {
  oidcProviderArn,
  planRoleName,
  TFC_AWS_AUDIENCE,
  workspaceSubject,
  type RunPhase,
  type WorkspaceScope,
} from "../naming/terraform-cloud";
import { toPolicyJson } from "../policy/document";
import { runRoleTrustPolicy } from "../policy/terraform-cloud-policies";
import { arn } from "../naming/arn";
import { DEFAULT_PARTITION, type Partition } from "../naming/partition";
import { partitionOfScope } from "../constructs/partition";

/** AWS's managed policy of read-only access to every service (no data reads such as secrets' values). */
export function readOnlyAccessArn(partition: Partition): string {
  return arn({ partition, service: "iam", account: "aws", resource: "policy/ReadOnlyAccess" });
}

/** ReadOnlyAccess in the commercial partition. */
export const READ_ONLY_ACCESS = readOnlyAccessArn(DEFAULT_PARTITION);

export interface TerraformCloudRunRoleProps {
  /** The account the stack deploys into (the provider ARN names it). */
  readonly accountId: string;
  /** Terraform Cloud or Enterprise host, e.g. app.terraform.io. */
  readonly hostname: string;
  readonly scope: WorkspaceScope;
  /** Workspace names whose runs may assume the role (exact names). */
  readonly workspaces: readonly string[];
  /** The apply role's name; the plan role is `<roleName>-plan`. */
  readonly roleName: string;
  /** Managed policies attached to the apply role: what an apply may do. */
  readonly policyArns: readonly string[];
  /**
   * Managed policies of the plan role, which every plan (speculative plans of
   * pull requests included) assumes.
   * @default - the AWS managed policy ReadOnlyAccess of the partition
   */
  readonly planPolicyArns?: readonly string[];
  /**
   * ThumbprintList of the provider it creates. IAM ignores it for a host whose
   * certificate chains to a root CA AWS trusts.
   * @default - none: IAM retrieves the thumbprint itself
   */
  readonly thumbprint?: string;
  /** Trust the account's existing OIDC provider for the host instead of creating it. @default false */
  readonly existingOidcProvider?: boolean;
  /**
   * The account's partition, which the provider's and policies' ARNs name.
   * @default - the partition of the stack's provider Region
   */
  readonly partition?: Partition;
}

export class TerraformCloudRunRole extends Construct {
  /** The role of applies (trusted for run_phase:apply). */
  readonly role: IamRole;
  /** The role of plans (trusted for run_phase:plan). */
  readonly planRole: IamRole;
  /** The provider this construct created, if it created one. */
  readonly provider?: IamOpenidConnectProvider;

  constructor(scope: Construct, id: string, props: TerraformCloudRunRoleProps) {
    super(scope, id);
    if (props.workspaces.length === 0)
      throw new Error(`TerraformCloudRunRole ${this.node.path}: workspaces: expected at least one workspace`);
    if (props.policyArns.length === 0)
      throw new Error(`TerraformCloudRunRole ${this.node.path}: policyArns: expected at least one policy`);
    if (!props.existingOidcProvider) {
      // The same thumbprint as the StackSet's providers, so the accounts agree;
      // IAM secures the connection with its trusted root CAs either way.
      this.provider = new IamOpenidConnectProvider(this, "OidcProvider", {
        url: `https://${props.hostname}`,
        clientIdList: [TFC_AWS_AUDIENCE],
        ...(props.thumbprint === undefined ? {} : { thumbprintList: [props.thumbprint] }),
      });
    }
    const partition = props.partition ?? partitionOfScope(this);
    const providerArn = this.provider?.arn ?? oidcProviderArn(props.accountId, props.hostname, partition);
    const role = (id: string, phase: RunPhase, name: string, policyArns: readonly string[]) => {
      const created = new IamRole(this, id, {
        name,
        description: `Terraform Cloud ${phase}s of the CloudWatch Logs archive's workspaces in this account`,
        assumeRolePolicy: toPolicyJson(
          runRoleTrustPolicy({
            providerArn,
            hostname: props.hostname,
            subjects: props.workspaces.map((workspace) => workspaceSubject(props.scope, workspace, phase)),
          }),
        ),
      });
      policyArns.forEach((policyArn, index) => {
        new IamRolePolicyAttachment(this, `${id === "Role" ? "" : id}Policy${index}`, {
          role: created.name,
          policyArn,
        });
      });
      return created;
    };
    // "Role" keeps its construct id: the apply role is the former run role.
    this.role = role("Role", "apply", props.roleName, props.policyArns);
    this.planRole = role(
      "PlanRole",
      "plan",
      planRoleName(props.roleName),
      props.planPolicyArns ?? [readOnlyAccessArn(partition)],
    );
  }
}
