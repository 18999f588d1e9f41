import type { TerraformStack } from "cdktf";
import { SiemOperatorRole, type SiemOperatorRoleProps } from "../../modules/archive/siem-operator-role";
import type { ArchiveContext } from "../../modules/policy/archive-policies";
import { errorsOf, synthConstruct } from "../helpers/construct";
import { policyOf, resource, statement } from "../helpers/synth";

const ACCOUNT = "111111111111";
const BUCKET = "arn:aws:s3:::cwl-archive-111111111111-eu-west-1";
const CONTEXT: ArchiveContext = {
  organizationId: "o-a1b2c3d4e5",
  archiveAccountId: ACCOUNT,
  archiveRegion: "eu-west-1",
  archiveBucketArn: BUCKET,
  deliveryRoleArnPattern: "arn:aws:iam::*:role/cwl-archive-firehose-*",
};
const QUEUE = `arn:aws:sqs:eu-west-1:${ACCOUNT}:cwl-archive-siem-notifications`;
const DLQ = `${QUEUE}-dlq`;
const PROPS: SiemOperatorRoleProps = {
  context: CONTEXT,
  roleName: "cwl-archive-siem-operator",
  queueArns: [QUEUE],
  deadLetterArns: [DLQ],
  queueKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/queue`,
  roots: ["cloudwatch-logs/"],
};

function build(props: Partial<SiemOperatorRoleProps> = {}) {
  return (stack: TerraformStack) => new SiemOperatorRole(stack, "SiemOperator", { ...PROPS, ...props });
}

describe("SiemOperatorRole", () => {
  describe("GIVEN the queues of the archive", () => {
    const tf = synthConstruct(build());
    const role = resource(tf, "aws_iam_role", "SiemOperator/Role");
    const policy = policyOf(resource(tf, "aws_iam_role_policy", "SiemOperator/Policy").policy);

    test("THEN only the log-archive account's own principals may assume it (no SIEM principal)", () => {
      expect(role).toMatchObject({ name: "cwl-archive-siem-operator", max_session_duration: 3600 });
      expect(policyOf(role.assume_role_policy).Statement).toEqual([
        {
          Sid: "ArchiveAccountAssumes",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: "sts:AssumeRole",
        },
      ]);
    });

    test("THEN it sends to the live queues only, and redrives and inspects the dead-letter queues", () => {
      expect(statement(policy, "ReannounceObjects")).toMatchObject({ Action: "sqs:SendMessage", Resource: QUEUE });
      // StartMessageMoveTask needs Receive, Delete and GetQueueAttributes on the dead-letter queue.
      // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-api-permissions-reference.html
      expect(statement(policy, "InspectAndRedriveDeadLetters")).toMatchObject({
        Action: expect.arrayContaining(["sqs:StartMessageMoveTask", "sqs:ReceiveMessage", "sqs:DeleteMessage"]),
        Resource: DLQ,
      });
      expect(statement(policy, "InspectQueues").Resource).toEqual([QUEUE, DLQ]);
      expect(statement(policy, "ListAnnouncedObjects").Condition).toEqual({
        StringLike: { "s3:prefix": "cloudwatch-logs/*" },
      });
      expect(JSON.stringify(policy)).not.toContain("s3:GetObject");
    });
  });

  test("GIVEN no dead-letter queue THEN it refuses, naming the construct", () => {
    expect(errorsOf(build({ deadLetterArns: [] }))[0]).toMatch(/^SiemOperatorRole test\/SiemOperator: /);
  });
});
