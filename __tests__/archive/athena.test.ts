import type { TerraformStack } from "cdktf";
import { ArchiveAthena, type ArchiveAthenaProps } from "../../modules/archive/athena";
import { ENVELOPE_TABLE, MESSAGES_TABLE } from "../../modules/archive/log-tables";
import { archiveNames, s3BucketArn } from "../../modules/naming/names";
import type { AthenaContext } from "../../modules/policy/athena-policies";
import { addressOf, errorsOf, ref, synthConstruct } from "../helpers/construct";
import { policyOf, resource, resourcesOf, statement, type TfJson } from "../helpers/synth";

const ACCOUNT = "111111111111";
const ORG = "o-a1b2c3d4e5";
const names = archiveNames({ prefix: "cwl-archive", archiveAccountId: ACCOUNT, archiveRegion: "eu-west-1" });
const ANALYST = `arn:aws:iam::${ACCOUNT}:role/security-analyst`;
const ARCHIVE_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/archive`;
const CONTEXT: AthenaContext = {
  accountId: ACCOUNT,
  region: "eu-west-1",
  archiveBucketArn: names.archiveBucketArn,
  workgroup: names.athenaWorkgroup,
  database: names.glueDatabase,
  resultsBucketArn: s3BucketArn(names.athenaResultsBucket),
};
const PROPS: ArchiveAthenaProps = {
  context: CONTEXT,
  settings: { resultsRetentionDays: 30, bytesScannedCutoffGiB: 1024 },
  archiveBucket: names.archiveBucket,
  archiveKeyArn: ARCHIVE_KEY,
  abortIncompleteMultipartUploadDays: 7,
  envelopeAccountIds: ["222222222222", "333333333333"],
  messageAccountIds: [],
  regions: ["eu-west-1", "us-east-1"],
  names,
  organizationId: ORG,
  analystPrincipals: [ANALYST],
};

function build(props: Partial<ArchiveAthenaProps> = {}) {
  return (stack: TerraformStack) => new ArchiveAthena(stack, "Athena", { ...PROPS, ...props });
}

const tables = (tf: TfJson) =>
  resourcesOf(tf, "aws_glue_catalog_table")
    .map(([, t]) => t.name)
    .sort();

describe("ArchiveAthena", () => {
  describe("GIVEN envelope accounts only, and no access log bucket", () => {
    const tf = synthConstruct(build());
    const keyArn = ref(tf, "aws_kms_key", "Athena/ResultsKey/Key", "arn");

    test("THEN query results are encrypted with a key of their own that the query roles use through S3 only", () => {
      expect(resource(tf, "aws_kms_alias", "Athena/ResultsKey/Alias").name).toBe("alias/cwl-archive-athena");
      const policy = policyOf(resource(tf, "aws_kms_key", "Athena/ResultsKey/Key").policy);
      expect(policy.Statement.map((s) => s.Sid)).toEqual(["AccountAdministersKey", "AllowQueryRolesToUseKeyThroughS3"]);
      expect(statement(policy, "AllowQueryRolesToUseKeyThroughS3").Condition.StringEquals).toMatchObject({
        "kms:ViaService": "s3.eu-west-1.amazonaws.com",
      });
    });

    test("THEN results go to a secure bucket with that key, expiring after the set retention", () => {
      expect(resource(tf, "aws_s3_bucket", "Athena/Results/Bucket").bucket).toBe(names.athenaResultsBucket);
      expect(
        resource(tf, "aws_s3_bucket_server_side_encryption_configuration", "Athena/Results/Encryption").rule[0]
          .apply_server_side_encryption_by_default.kms_master_key_id,
      ).toBe(keyArn);
      expect(resource(tf, "aws_s3_bucket_lifecycle_configuration", "Athena/Results/Lifecycle").rule).toEqual([
        expect.objectContaining({
          id: "expiry",
          expiration: [{ days: 30 }],
          noncurrent_version_expiration: [{ noncurrent_days: 1 }],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
        }),
      ]);
      expect(resourcesOf(tf, "aws_s3_bucket_logging")).toEqual([]);
    });

    test("THEN a database holds the envelope table alone, projecting exactly the given accounts and Regions", () => {
      expect(resource(tf, "aws_glue_catalog_database", "Athena/Database").name).toBe(names.glueDatabase);
      expect(tables(tf)).toEqual([ENVELOPE_TABLE]);
      const table = resource(tf, "aws_glue_catalog_table", "Athena/EnvelopeTable");
      expect(table.parameters).toMatchObject({
        "projection.account.values": "222222222222,333333333333",
        "projection.region.values": "eu-west-1,us-east-1",
      });
      expect(table.depends_on).toEqual([addressOf(tf, "aws_glue_catalog_database", "Athena/Database")]);
    });

    test("THEN the workgroup enforces encrypted results in the bucket and cancels queries past the cutoff", () => {
      expect(resource(tf, "aws_athena_workgroup", "Athena/Workgroup")).toMatchObject({
        name: names.athenaWorkgroup,
        state: "ENABLED",
        force_destroy: false,
        configuration: {
          enforce_workgroup_configuration: true,
          publish_cloudwatch_metrics_enabled: true,
          bytes_scanned_cutoff_per_query: 1024 * 1024 ** 3,
          result_configuration: {
            output_location: `s3://${names.athenaResultsBucket}/`,
            expected_bucket_owner: ACCOUNT,
            encryption_configuration: { encryption_option: "SSE_KMS", kms_key_arn: keyArn },
          },
        },
      });
    });

    test("THEN the analyst role is assumed by the given principals of the organization, for an hour at most", () => {
      const role = resource(tf, "aws_iam_role", "Athena/AnalystRole");
      expect(role).toMatchObject({ name: names.analystRole, max_session_duration: 3600 });
      expect(policyOf(role.assume_role_policy).Statement).toEqual([
        {
          Sid: "AnalystsAssume",
          Effect: "Allow",
          Principal: { AWS: ANALYST },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:PrincipalOrgID": ORG } },
        },
      ]);
    });

    test("THEN the analyst queries in the workgroup and reads the archive, never writing it", () => {
      const policy = policyOf(resource(tf, "aws_iam_role_policy", "Athena/AnalystPolicy").policy);
      expect(policy.Statement.map((s) => s.Sid)).toEqual(
        expect.arrayContaining([
          "QueryInLogsWorkgroup",
          "ReadLogTables",
          "WriteAndReadQueryResults",
          "NeverWriteOrDelete",
        ]),
      );
      expect(statement(policy, "NeverWriteOrDelete").Effect).toBe("Deny");
    });
  });

  test("GIVEN message accounts only THEN the messages table alone exists", () => {
    const tf = synthConstruct(build({ envelopeAccountIds: [], messageAccountIds: ["222222222222"] }));

    expect(tables(tf)).toEqual([MESSAGES_TABLE]);
  });

  test("GIVEN both formats THEN both tables exist, each over its own accounts", () => {
    const tf = synthConstruct(build({ envelopeAccountIds: ["222222222222"], messageAccountIds: ["333333333333"] }));

    expect(tables(tf)).toEqual([ENVELOPE_TABLE, MESSAGES_TABLE].sort());
    expect(resource(tf, "aws_glue_catalog_table", "Athena/MessagesTable").parameters["projection.account.values"]).toBe(
      "333333333333",
    );
  });

  test("GIVEN no account at all THEN there is no table, and no Region is needed", () => {
    const tf = synthConstruct(build({ envelopeAccountIds: [], messageAccountIds: [], regions: [] }));

    expect(tables(tf)).toEqual([]);
  });

  test("GIVEN several analyst principals THEN each may assume the role", () => {
    const other = `arn:aws:iam::${ACCOUNT}:root`;
    const tf = synthConstruct(build({ analystPrincipals: [ANALYST, other] }));

    const trust = policyOf(resource(tf, "aws_iam_role", "Athena/AnalystRole").assume_role_policy);
    expect(statement(trust, "AnalystsAssume").Principal).toEqual({ AWS: [ANALYST, other] });
  });

  test("GIVEN an access log bucket THEN the results bucket's server access logs go there under its name", () => {
    const tf = synthConstruct(build({ accessLogBucket: "access-logs" }));

    expect(resource(tf, "aws_s3_bucket_logging", "Athena/Results/AccessLogging")).toMatchObject({
      target_bucket: "access-logs",
      target_prefix: `${names.athenaResultsBucket}/`,
    });
  });

  describe("validation", () => {
    test.each([1, 102400])("accepts a cutoff of %p GiB", (bytesScannedCutoffGiB) => {
      expect(() => synthConstruct(build({ settings: { ...PROPS.settings, bytesScannedCutoffGiB } }))).not.toThrow();
    });

    test.each([0, 0.5])("fails GIVEN a cutoff of %p GiB", (bytesScannedCutoffGiB) => {
      expect(errorsOf(build({ settings: { ...PROPS.settings, bytesScannedCutoffGiB } }))).toEqual([
        `ArchiveAthena test/Athena: settings.bytesScannedCutoffGiB: expected a whole number of GiB of at least 1, got ${bytesScannedCutoffGiB}`,
      ]);
    });

    test("fails GIVEN no analyst principal", () => {
      expect(errorsOf(build({ analystPrincipals: [] }))).toEqual([
        "ArchiveAthena test/Athena: analystPrincipals: expected at least one principal allowed to assume the log-analyst role, got none",
      ]);
    });

    test("fails GIVEN tables but no Region to project", () => {
      expect(errorsOf(build({ regions: [] }))).toEqual([
        "ArchiveAthena test/Athena: regions: expected at least one Region for the tables to project, got none",
      ]);
    });

    test("fails, through the results bucket, on a results retention S3 rejects", () => {
      expect(errorsOf(build({ settings: { ...PROPS.settings, resultsRetentionDays: 0 } }))).toEqual([
        "SecureBucket test/Athena/Results: lifecycleRules[0] (expiry).expiration[0].days: expected a whole number of days of at least 1, got 0",
      ]);
    });

    test("fails with every problem at once, one line each", () => {
      const errors = errorsOf(
        build({ settings: { ...PROPS.settings, bytesScannedCutoffGiB: 0 }, analystPrincipals: [], regions: [] }),
      );
      expect(errors.map((e) => e.split(": ")[1])).toEqual([
        "settings.bytesScannedCutoffGiB",
        "analystPrincipals",
        "regions",
      ]);
    });
  });
});
