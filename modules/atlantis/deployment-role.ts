/**
 * The role Atlantis assumes in the account of the stack it is in, trusted
 * only by the Atlantis server's roles within the organization
 * (atlantisRoleTrustPolicy). The log-access stack uses it in the management
 * account, which a service-managed StackSet never deploys to; everywhere else
 * the StackSet's template creates the same role.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role
 */
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { toPolicyJson } from "../policy/document";
import { atlantisRoleTrustPolicy } from "../policy/atlantis-policies";

export interface AtlantisDeploymentRoleProps {
  /** The role's name: what the stacks of this account assume (deployment.roleName or deployment.managementAccount.roleName). */
  readonly roleName: string;
  /** The IAM role ARNs the Atlantis server runs Terraform with. */
  readonly principalArns: readonly string[];
  /** The organization the Atlantis server's account belongs to. */
  readonly organizationId: string;
  /** Managed policies attached to the role: what a plan or apply may do in this account. */
  readonly policyArns: readonly string[];
}

export class AtlantisDeploymentRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: AtlantisDeploymentRoleProps) {
    super(scope, id);
    if (props.principalArns.length === 0)
      throw new Error(`AtlantisDeploymentRole ${this.node.path}: principalArns: expected at least one role ARN`);
    if (props.policyArns.length === 0)
      throw new Error(`AtlantisDeploymentRole ${this.node.path}: policyArns: expected at least one policy`);
    this.role = new IamRole(this, "Role", {
      name: props.roleName,
      description: "Atlantis plans and applies of the CloudWatch Logs archive's stacks in this account",
      assumeRolePolicy: toPolicyJson(
        atlantisRoleTrustPolicy({ principalArns: props.principalArns, organizationId: props.organizationId }),
      ),
    });
    props.policyArns.forEach((policyArn, index) => {
      new IamRolePolicyAttachment(this, `Policy${index}`, { role: this.role.name, policyArn });
    });
  }
}
