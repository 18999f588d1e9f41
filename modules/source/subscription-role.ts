/** The role CloudWatch Logs assumes to put subscribed log events into the delivery stream. */
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { policyDocument, toPolicyJson } from "../policy/document";
import {
  centralSubscriptionRolePolicy,
  subscriptionRolePolicy,
  subscriptionRoleTrust,
  type SourceContext,
} from "../policy/source-policies";

export interface SubscriptionRoleProps {
  readonly context: SourceContext;
  /** Central topology: the role validates subscriptions to the organization's destination. @default false */
  readonly central?: boolean;
}

export class SubscriptionRole extends Construct {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: SubscriptionRoleProps) {
    super(scope, id);
    const { context } = props;
    this.role = new IamRole(this, "Role", {
      name: context.names.subscriptionRole,
      description: "CloudWatch Logs subscription delivery into the log-archive stream",
      assumeRolePolicy: toPolicyJson(policyDocument(subscriptionRoleTrust(context))),
    });
    this.policy = new IamRolePolicy(this, "Policy", {
      name: "put-into-delivery-stream",
      role: this.role.name,
      policy: toPolicyJson(
        policyDocument(props.central ? centralSubscriptionRolePolicy(context) : subscriptionRolePolicy(context)),
      ),
    });
  }
}
