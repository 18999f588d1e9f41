/**
 * The role that operates the SIEM queues: re-announces archived objects
 * (npm run siem:replay) and inspects and redrives dead letters. Only the
 * log-archive account's own principals (its administrators, through their
 * identity policies) may assume it, never a SIEM's: whoever may send to a
 * notification queue may forge S3 notifications.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts
 */
import { partitionOf } from "../naming/partition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { accountRootArn } from "../naming/names";
import { policyDocument, toPolicyJson } from "../policy/document";
import type { ArchiveContext } from "../policy/archive-policies";
import { siemOperatorStatements } from "../policy/siem-policies";

export interface SiemOperatorRoleProps {
  readonly context: ArchiveContext;
  readonly roleName: string;
  /** The notification queues (without their dead-letter queues). */
  readonly queueArns: readonly string[];
  /** Their dead-letter queues. */
  readonly deadLetterArns: readonly string[];
  readonly queueKeyArn: string;
  /** Announced roots the replay lists (`cloudwatch-logs/`, ...). */
  readonly roots: readonly string[];
}

export class SiemOperatorRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: SiemOperatorRoleProps) {
    super(scope, id);
    if (props.queueArns.length === 0 || props.deadLetterArns.length === 0) {
      throw new Error(
        `SiemOperatorRole ${this.node.path}: queueArns, deadLetterArns: expected at least one queue and one dead-letter queue, got ${props.queueArns.length} and ${props.deadLetterArns.length}`,
      );
    }
    const { context } = props;
    this.role = new IamRole(this, "Role", {
      name: props.roleName,
      description: "Replays and redrives the SIEM notification queues of the CloudWatch Logs archive",
      // The account (its root) as principal: its administrators assume the
      // role when their own identity policies allow it; nobody outside does.
      assumeRolePolicy: toPolicyJson(
        policyDocument([
          {
            Sid: "ArchiveAccountAssumes",
            Effect: "Allow",
            Principal: { AWS: accountRootArn(context.archiveAccountId, partitionOf(context.archiveRegion)) },
            Action: "sts:AssumeRole",
          },
        ]),
      ),
      maxSessionDuration: 3600,
    });
    new IamRolePolicy(this, "Policy", {
      name: "operate-siem-queues",
      role: this.role.name,
      policy: toPolicyJson(
        policyDocument(
          siemOperatorStatements(context.archiveRegion, {
            queueArns: props.queueArns,
            deadLetterArns: props.deadLetterArns,
            queueKeyArn: props.queueKeyArn,
            bucketArn: context.archiveBucketArn,
            roots: props.roots,
          }),
        ),
      ),
    });
  }
}
