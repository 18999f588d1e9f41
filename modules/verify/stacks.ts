/**
 * The synthesised stacks against what verify derives from the registry: the
 * archive bucket, the SIEM queue and reader role, the source's delivery
 * role, and with Athena the log-analyst role, workgroup and database must be named in the stacks exactly as the command will look for them
 * in AWS. A difference means cdktf.out/ was synthesised from another registry.
 */
import { ARCHIVE_STACK, sourceStackName } from "../naming/names";
import type { VerifyTarget } from "./target";

/** One resource attribute a stack must hold. */
interface Expectation {
  readonly stack: string;
  readonly type: string;
  readonly attribute: string;
  readonly value: string;
}

function expectations(target: VerifyTarget): Expectation[] {
  const source = sourceStackName(target.sourceAccountId, target.sourceRegion);
  return [
    { stack: ARCHIVE_STACK, type: "aws_s3_bucket", attribute: "bucket", value: target.archiveBucket },
    { stack: ARCHIVE_STACK, type: "aws_sqs_queue", attribute: "name", value: target.queueName },
    { stack: ARCHIVE_STACK, type: "aws_iam_role", attribute: "name", value: target.siemReaderRole },
    ...(target.deliveryRole
      ? [{ stack: source, type: "aws_iam_role", attribute: "name", value: target.deliveryRole }]
      : []),
    ...(target.athena
      ? [
          {
            stack: ARCHIVE_STACK,
            type: "aws_iam_role",
            attribute: "name",
            value: roleName(target.athena.analystRoleArn),
          },
          { stack: ARCHIVE_STACK, type: "aws_athena_workgroup", attribute: "name", value: target.athena.workgroup },
          { stack: ARCHIVE_STACK, type: "aws_glue_catalog_database", attribute: "name", value: target.athena.database },
        ]
      : []),
  ];
}

/** `name` of an IAM role ARN (`...:role/name`). */
function roleName(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf("/") + 1);
}

/** The values a stack's cdk.tf.json holds for one resource type and attribute. */
function valuesIn(stack: unknown, type: string, attribute: string): unknown[] {
  const resources = (stack as { resource?: Record<string, Record<string, Record<string, unknown>>> })?.resource;
  return Object.values(resources?.[type] ?? {}).map((r) => r[attribute]);
}

/** What does not match, one line each; empty when the stacks are the registry's. */
export function stackProblems(target: VerifyTarget, stacks: ReadonlyMap<string, unknown>): string[] {
  const problems: string[] = [];
  for (const stack of target.stacks) if (!stacks.has(stack)) problems.push(`not synthesised: ${stack}`);
  for (const e of expectations(target)) {
    if (!stacks.has(e.stack)) continue;
    if (!valuesIn(stacks.get(e.stack), e.type, e.attribute).includes(e.value)) {
      problems.push(`${e.stack} has no ${e.type} with ${e.attribute} ${e.value}`);
    }
  }
  return problems;
}
