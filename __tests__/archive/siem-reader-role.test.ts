import type { TerraformStack } from "cdktf";
import { SiemReaderRole, type SiemReaderRoleProps } from "../../modules/archive/siem-reader-role";
import type { ArchiveContext } from "../../modules/policy/archive-policies";
import { errorsOf, ref, synthConstruct } from "../helpers/construct";
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
const SIEM = "arn:aws:iam::333333333333:role/siem";
const PROPS: SiemReaderRoleProps = {
  context: CONTEXT,
  roleName: "cwl-archive-siem-reader",
  principals: [SIEM],
  externalId: "o-a1b2c3d4e5",
  queueArns: [`arn:aws:sqs:eu-west-1:${ACCOUNT}:cwl-archive-siem-notifications`],
  archiveKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/archive`,
  queueKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/queue`,
};

function build(props: Partial<SiemReaderRoleProps> = {}) {
  return (stack: TerraformStack) => new SiemReaderRole(stack, "SiemReader", { ...PROPS, ...props });
}

describe("SiemReaderRole", () => {
  describe("GIVEN one principal and an ExternalId", () => {
    const tf = synthConstruct(build());
    const role = resource(tf, "aws_iam_role", "SiemReader/Role");
    const policy = policyOf(resource(tf, "aws_iam_role_policy", "SiemReader/Policy").policy);

    test("THEN only that principal, presenting the ExternalId, assumes the role, for an hour at most", () => {
      expect(role).toMatchObject({ name: "cwl-archive-siem-reader", max_session_duration: 3600 });
      expect(policyOf(role.assume_role_policy).Statement).toEqual([
        {
          Sid: "SiemAssumesWithExternalId",
          Effect: "Allow",
          Principal: { AWS: SIEM },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "sts:ExternalId": "o-a1b2c3d4e5" } },
        },
      ]);
    });

    test("THEN the role can never send to a queue nor move dead letters (it could forge S3 notifications)", () => {
      const actions = policy.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => [s.Action].flat());
      expect(actions).not.toContain("sqs:SendMessage");
      expect(actions).not.toContain("sqs:StartMessageMoveTask");
      expect(actions).not.toContain("kms:GenerateDataKey");
    });

    test("THEN the role consumes the queue and reads the data prefix only, and can never write", () => {
      expect(resource(tf, "aws_iam_role_policy", "SiemReader/Policy").role).toBe(
        ref(tf, "aws_iam_role", "SiemReader/Role", "name"),
      );
      expect(policy.Statement.map((s) => s.Sid)).toEqual([
        "ConsumeNotifications",
        "DecryptNotificationsThroughSqs",
        "ReadArchivedLogs",
        "ListArchivedLogs",
        "LocateArchive",
        "DecryptArchiveThroughS3",
        "NeverWriteOrDelete",
      ]);
      expect(statement(policy, "ConsumeNotifications").Resource).toBe(PROPS.queueArns[0]);
      expect(statement(policy, "ReadArchivedLogs").Resource).toBe(`${BUCKET}/cloudwatch-logs/*`);
      expect(statement(policy, "NeverWriteOrDelete").Effect).toBe("Deny");
    });
  });

  test("GIVEN the organization THEN its principals among the listed ones may assume without the ExternalId", () => {
    const tf = synthConstruct(build({ organizationId: "o-a1b2c3d4e5" }));

    const trust = policyOf(resource(tf, "aws_iam_role", "SiemReader/Role").assume_role_policy);
    expect(statement(trust, "SiemAssumesWithExternalId").Condition).toEqual({
      StringEquals: { "sts:ExternalId": "o-a1b2c3d4e5" },
    });
    expect(statement(trust, "OrganizationAssumesWithoutExternalId")).toEqual({
      Sid: "OrganizationAssumesWithoutExternalId",
      Effect: "Allow",
      Principal: { AWS: SIEM },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
    });
  });

  test("GIVEN a queue and its dead-letter queue THEN the role consumes both", () => {
    const dlq = `arn:aws:sqs:eu-west-1:${ACCOUNT}:cwl-archive-siem-notifications-dlq`;
    const tf = synthConstruct(build({ queueArns: [...PROPS.queueArns, dlq] }));

    const policy = policyOf(resource(tf, "aws_iam_role_policy", "SiemReader/Policy").policy);
    expect(statement(policy, "ConsumeNotifications").Resource).toEqual([PROPS.queueArns[0], dlq]);
  });

  test("GIVEN several principals THEN each of them may assume the role", () => {
    const tf = synthConstruct(build({ principals: [SIEM, `arn:aws:iam::${ACCOUNT}:root`] }));

    const trust = policyOf(resource(tf, "aws_iam_role", "SiemReader/Role").assume_role_policy);
    expect(statement(trust, "SiemAssumesWithExternalId").Principal).toEqual({
      AWS: [SIEM, `arn:aws:iam::${ACCOUNT}:root`],
    });
  });

  test("GIVEN readable roots THEN the role reads exactly those", () => {
    const tf = synthConstruct(build({ readableRoots: ["cloudwatch-logs/", "cloudtrail/"] }));

    const policy = policyOf(resource(tf, "aws_iam_role_policy", "SiemReader/Policy").policy);
    expect(statement(policy, "ReadArchivedLogs").Resource).toEqual([
      `${BUCKET}/cloudwatch-logs/*`,
      `${BUCKET}/cloudtrail/*`,
    ]);
  });

  test("GIVEN extra statements THEN they follow the reader's own", () => {
    const extra = {
      Sid: "QueryInLogsWorkgroup",
      Effect: "Allow" as const,
      Action: "athena:StartQueryExecution",
      Resource: "*",
    };
    const tf = synthConstruct(build({ extraStatements: [extra] }));

    const policy = policyOf(resource(tf, "aws_iam_role_policy", "SiemReader/Policy").policy);
    expect(policy.Statement.at(-1)).toEqual(extra);
  });

  describe("validation", () => {
    test("fails GIVEN no principal", () => {
      expect(errorsOf(build({ principals: [] }))).toEqual([
        "SiemReaderRole test/SiemReader: principals: expected at least one principal allowed to assume the role, got none",
      ]);
    });

    test.each(["ab", "x".repeat(1224), "vendor:tenant/42=a,b.c@d-e_f+g"])("accepts the ExternalId %p", (externalId) => {
      expect(() => synthConstruct(build({ externalId }))).not.toThrow();
    });

    test.each(["a", "x".repeat(1225), "has space", "semi;colon"])("fails GIVEN the ExternalId %p", (externalId) => {
      expect(errorsOf(build({ externalId }))).toEqual([
        `SiemReaderRole test/SiemReader: externalId: expected 2-1224 characters of letters, digits and _+=,.@:/-, got ${JSON.stringify(externalId)}`,
      ]);
    });

    test("fails GIVEN no queue", () => {
      expect(errorsOf(build({ queueArns: [] }))).toEqual([
        "SiemReaderRole test/SiemReader: queueArns: expected at least one queue to consume, got none",
      ]);
    });

    test("fails with every problem at once, one line each", () => {
      expect(errorsOf(build({ principals: [], externalId: "a" }))).toHaveLength(2);
    });
  });
});
