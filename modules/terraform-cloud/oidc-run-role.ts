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
import { oidcProviderArn, TFC_AWS_AUDIENCE, workspaceSubject, type WorkspaceScope } from "../naming/terraform-cloud";
import { toPolicyJson } from "../policy/document";
import { runRoleTrustPolicy } from "../policy/terraform-cloud-policies";

export interface TerraformCloudRunRoleProps {
  /** The account the stack deploys into (the provider ARN names it). */
  readonly accountId: string;
  /** Terraform Cloud or Enterprise host, e.g. app.terraform.io. */
  readonly hostname: string;
  readonly scope: WorkspaceScope;
  /** Workspace names whose runs may assume the role (exact names). */
  readonly workspaces: readonly string[];
  readonly roleName: string;
  /** Managed policies attached to the role: what the runs may do. */
  readonly policyArns: readonly string[];
  /**
   * ThumbprintList of the provider it creates. IAM ignores it for a host whose
   * certificate chains to a root CA AWS trusts.
   * @default - none: IAM retrieves the thumbprint itself
   */
  readonly thumbprint?: string;
  /** Trust the account's existing OIDC provider for the host instead of creating it. @default false */
  readonly existingOidcProvider?: boolean;
}

export class TerraformCloudRunRole extends Construct {
  readonly role: IamRole;
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
    this.role = new IamRole(this, "Role", {
      name: props.roleName,
      description: "Terraform Cloud runs of the CloudWatch Logs archive's workspaces in this account",
      assumeRolePolicy: toPolicyJson(
        runRoleTrustPolicy({
          providerArn: this.provider?.arn ?? oidcProviderArn(props.accountId, props.hostname),
          hostname: props.hostname,
          subjects: props.workspaces.map((workspace) => workspaceSubject(props.scope, workspace)),
        }),
      ),
    });
    props.policyArns.forEach((policyArn, index) => {
      new IamRolePolicyAttachment(this, `Policy${index}`, { role: this.role.name, policyArn });
    });
  }
}
