/**
 * A service-managed CloudFormation StackSet, created from the management
 * account, that deploys one template to every account of some roots or OUs,
 * and automatically to accounts that join them later: no stack and no step
 * by hand per account. Service-managed StackSets never deploy to the
 * management account itself.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudformation_stack_set
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudformation_stack_set_instance
 */
import { CloudformationStackSet } from "@cdktf/provider-aws/lib/cloudformation-stack-set";
import { CloudformationStackSetInstance } from "@cdktf/provider-aws/lib/cloudformation-stack-set-instance";
import { Construct } from "constructs";

export interface OrganizationStackSetProps {
  readonly name: string;
  readonly description: string;
  /** The template, as the JSON string Terraform passes to CloudFormation (escaped for Terraform). */
  readonly templateBody: string;
  /** Roots and OUs the template is deployed to. */
  readonly targetIds: readonly string[];
  /** The one Region of the stack instances. */
  readonly region: string;
}

export class OrganizationStackSet extends Construct {
  readonly stackSet: CloudformationStackSet;
  /** One stack set instance resource per root or OU of targetIds. */
  readonly instances: readonly CloudformationStackSetInstance[];

  constructor(scope: Construct, id: string, props: OrganizationStackSetProps) {
    super(scope, id);
    if (props.targetIds.length === 0)
      throw new Error(`OrganizationStackSet ${this.node.path}: targetIds: expected at least one root or OU id`);
    if (new Set(props.targetIds).size !== props.targetIds.length)
      throw new Error(`OrganizationStackSet ${this.node.path}: targetIds: expected each root or OU id once`);
    this.stackSet = new CloudformationStackSet(this, "StackSet", {
      name: props.name,
      description: props.description,
      permissionModel: "SERVICE_MANAGED",
      callAs: "SELF",
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      // The template names its roles.
      capabilities: ["CAPABILITY_NAMED_IAM"],
      // Conflicting operations (an account joining an OU while the template
      // is updated) are queued by StackSets instead of failing.
      managedExecution: { active: true },
      operationPreferences: {
        failureTolerancePercentage: 10,
        maxConcurrentPercentage: 25,
      },
      templateBody: props.templateBody,
      // CloudFormation fills administration_role_arn in for service-managed
      // StackSets; without this every plan would show a change.
      lifecycle: { ignoreChanges: ["administration_role_arn"] },
    });
    // One instance resource per OU, keyed by its id: deployment_targets is
    // ForceNew in the AWS provider, so a single instance naming every OU would
    // be replaced (its stacks, and every run role, deleted) whenever an OU is
    // added or removed. retain_stack keeps the stacks, and the roles the
    // accounts' workspaces run with, when an OU leaves targetIds.
    // @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudformation_stack_set_instance
    this.instances = props.targetIds.map(
      (targetId) =>
        new CloudformationStackSetInstance(this, `Instance-${targetId}`, {
          stackSetName: this.stackSet.name,
          callAs: "SELF",
          stackSetInstanceRegion: props.region,
          deploymentTargets: { organizationalUnitIds: [targetId] },
          retainStack: true,
          operationPreferences: { failureTolerancePercentage: 10, maxConcurrentPercentage: 25 },
        }),
    );
  }
}
