import type { TerraformStack } from "cdktf";
import { ArchiveAthena, type ArchiveAthenaProps } from "../../modules/archive/athena";
import {
  AGENT_LOGS_TABLE,
  ANY_ACCOUNT_SUFFIX,
  CLOUDTRAIL_TABLE,
  CONFIG_TABLE,
  DELIVERY_ERRORS_TABLE,
  ENVELOPE_TABLE,
  FLOW_LOGS_TABLE,
  MESSAGES_TABLE,
} from "../../modules/archive/log-tables";
import { EVENTS_VIEW, GUARDDUTY_VIEW } from "../../modules/archive/log-views";
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
  huntingWorkgroup: names.athenaHuntingWorkgroup,
  database: names.glueDatabase,
  resultsBucketArn: s3BucketArn(names.athenaResultsBucket, "aws"),
};
const PROPS: ArchiveAthenaProps = {
  context: CONTEXT,
  settings: { resultsRetentionDays: 30, bytesScannedCutoffGiB: 10, huntingBytesScannedCutoffGiB: 1024 },
  archiveBucket: names.archiveBucket,
  archiveBucketReference: names.archiveBucket,
  archiveKeyArn: ARCHIVE_KEY,
  abortIncompleteMultipartUploadDays: 7,
  knownAccountIds: ["333333333333", "222222222222"],
  regions: ["us-east-1", "eu-west-1"],
  serviceRegions: ["eu-west-1", "us-east-1", "eu-central-1"],
  heartbeat: { logGroup: "/cwl-archive/heartbeat", ruleName: "cwl-archive-heartbeat" },
  guardDutyLogGroup: "/cwl-archive/guardduty",
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

    test("THEN a database holds the CloudWatch Logs tables of both formats and of delivery errors, and the views", () => {
      expect(resource(tf, "aws_glue_catalog_database", "Athena/Database").name).toBe(names.glueDatabase);
      const base = [ENVELOPE_TABLE, MESSAGES_TABLE, DELIVERY_ERRORS_TABLE];
      expect(tables(tf)).toEqual(
        [...base, ...base.map((t) => `${t}${ANY_ACCOUNT_SUFFIX}`), EVENTS_VIEW, GUARDDUTY_VIEW].sort(),
      );
      const twin = resource(tf, "aws_glue_catalog_table", "Athena/Table-cloudwatch_logs_any_account").parameters;
      expect(twin["projection.account.type"]).toBe("injected");
      expect(twin["projection.account.values"]).toBeUndefined();
      for (const id of ["EnvelopeTable", "MessagesTable", "View-cloudwatch_events"]) {
        expect(resource(tf, "aws_glue_catalog_table", `Athena/${id}`).depends_on).toEqual([
          addressOf(tf, "aws_glue_catalog_database", "Athena/Database"),
        ]);
      }
    });

    test("THEN every table projects one account list: the known accounts, sorted, and the archive's account folders", () => {
      const values = resource(tf, "aws_glue_catalog_table", "Athena/EnvelopeTable").parameters[
        "projection.account.values"
      ];
      expect(values).toMatch(/^\$\{local\.[A-Za-z0-9_]+\}$/);
      const local = Object.values(tf.locals ?? {})[0] as string;
      expect(local).toContain('concat(["222222222222", "333333333333"]');
      for (const root of ["cloudwatch-logs/", "cloudwatch-logs-errors/"]) {
        expect(local).toMatch(
          new RegExp(
            `regexall\\("\\[0-9\\]\\{12\\}", replace\\(join\\(",", data\\.aws_s3_objects\\.[^.]+\\.common_prefixes\\), "${root}", ""\\)\\)`,
          ),
        );
      }
      expect(
        Object.values(tf.data?.aws_s3_objects ?? {})
          .map((d) => [d.prefix, d.delimiter])
          .sort(),
      ).toEqual([
        ["cloudwatch-logs-errors/", "/"],
        ["cloudwatch-logs/", "/"],
      ]);
      expect(resource(tf, "aws_glue_catalog_table", "Athena/Table-cloudwatch_logs_errors").parameters).toMatchObject({
        "projection.account.values": `${values},central`,
        "projection.region.values": "eu-west-1,us-east-1",
      });
    });

    test("THEN the workgroups enforce encrypted results without ACLs, each under its own prefix, each cancelling queries past its own cutoff", () => {
      for (const [id, name, cutoff] of [
        ["Workgroup", names.athenaWorkgroup, 10],
        ["HuntingWorkgroup", names.athenaHuntingWorkgroup, 1024],
      ] as const) {
        const result_configuration = {
          output_location: `s3://${names.athenaResultsBucket}/${name}/`,
          expected_bucket_owner: ACCOUNT,
          encryption_configuration: { encryption_option: "SSE_KMS", kms_key_arn: keyArn },
        };
        const workgroup = resource(tf, "aws_athena_workgroup", `Athena/${id}`);
        expect(workgroup).toMatchObject({
          name,
          state: "ENABLED",
          force_destroy: false,
          configuration: {
            enforce_workgroup_configuration: true,
            publish_cloudwatch_metrics_enabled: true,
            bytes_scanned_cutoff_per_query: cutoff * 1024 ** 3,
            result_configuration,
          },
        });
        // The results bucket enforces bucket ownership (ACLs disabled): no ACL to send.
        expect(workgroup.configuration.result_configuration.acl_configuration).toBeUndefined();
      }
    });

    test("THEN the saved queries of CloudWatch Logs are in their workgroups", () => {
      const queries = resourcesOf(tf, "aws_athena_named_query").map(([, q]) => [q.name, q.workgroup, q.database]);
      const interactive = ref(tf, "aws_athena_workgroup", "Athena/Workgroup", "name");
      const hunting = ref(tf, "aws_athena_workgroup", "Athena/HuntingWorkgroup", "name");
      expect(queries.sort()).toEqual(
        [
          ["error-accounts-yesterday", hunting, names.glueDatabase],
          ["ip-in-account-region", interactive, names.glueDatabase],
          ["log-group-across-organization", hunting, names.glueDatabase],
          ["silent-sources", hunting, names.glueDatabase],
        ].sort(),
      );
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
          "ListWorkgroupsInConsole",
          "BrowseLogTablesInConsole",
          "ReadLogTables",
          "WriteAndReadQueryResults",
          "NeverWriteOrDelete",
        ]),
      );
      expect(statement(policy, "NeverWriteOrDelete").Effect).toBe("Deny");
    });

    // Athena checks query actions against the workgroup's ARN, and the results are objects under the
    // workgroup's output location: one workgroup's ARN and prefix per role confines each to its own.
    // https://docs.aws.amazon.com/athena/latest/ug/example-policies-workgroup.html
    test.each([
      ["AnalystPolicy", names.athenaWorkgroup],
      ["HunterPolicy", names.athenaHuntingWorkgroup],
    ])("THEN %s queries in %s only, and reads only that workgroup's results", (id, workgroup) => {
      const policy = policyOf(resource(tf, "aws_iam_role_policy", `Athena/${id}`).policy);
      expect(statement(policy, "QueryInLogsWorkgroup").Resource).toBe(
        `arn:aws:athena:eu-west-1:${ACCOUNT}:workgroup/${workgroup}`,
      );
      expect(statement(policy, "WriteAndReadQueryResults").Resource).toBe(
        `${s3BucketArn(names.athenaResultsBucket, "aws")}/${workgroup}/*`,
      );
    });

    test("THEN the hunter role is assumed, by default, by the analysts, for an hour at most", () => {
      const role = resource(tf, "aws_iam_role", "Athena/HunterRole");
      expect(role).toMatchObject({ name: names.hunterRole, max_session_duration: 3600 });
      expect(statement(policyOf(role.assume_role_policy), "AnalystsAssume").Principal).toEqual({ AWS: ANALYST });
    });

    test("THEN only the two query roles may use the results key, through S3", () => {
      const key = resource(tf, "aws_kms_key", "Athena/ResultsKey/Key");
      expect(statement(policyOf(key.policy), "AllowQueryRolesToUseKeyThroughS3").Condition.ArnEquals).toEqual({
        "aws:PrincipalArn": [names.analystRoleArn, names.hunterRoleArn],
      });
    });
  });

  test("GIVEN hunter principals THEN only they assume the hunter role", () => {
    const hunter = `arn:aws:iam::${ACCOUNT}:role/threat-hunter`;
    const tf = synthConstruct(build({ hunterPrincipals: [hunter] }));
    const trust = policyOf(resource(tf, "aws_iam_role", "Athena/HunterRole").assume_role_policy);
    expect(statement(trust, "AnalystsAssume").Principal).toEqual({ AWS: hunter });
  });

  test("GIVEN every direct source THEN each has its table and query, and the analyst reads exactly their prefixes", () => {
    const tf = synthConstruct(
      build({ direct: { cloudTrailOrganizationId: ORG, vpcFlowLogs: true, config: true, agents: true } }),
    );

    const base = [
      ENVELOPE_TABLE,
      MESSAGES_TABLE,
      DELIVERY_ERRORS_TABLE,
      CLOUDTRAIL_TABLE,
      FLOW_LOGS_TABLE,
      CONFIG_TABLE,
      AGENT_LOGS_TABLE,
    ];
    expect(tables(tf)).toEqual(
      [...base, ...base.map((t) => `${t}${ANY_ACCOUNT_SUFFIX}`), EVENTS_VIEW, GUARDDUTY_VIEW].sort(),
    );
    expect(
      resource(tf, "aws_glue_catalog_table", "Athena/Table-cloudtrail").parameters["projection.region.values"],
    ).toBe("eu-central-1,eu-west-1,us-east-1");
    const queries = resourcesOf(tf, "aws_athena_named_query").map(([, q]) => q.name);
    expect(queries).toEqual(expect.arrayContaining(["role-assume-role-last-week", "rejected-flows-to-port"]));
    const policy = policyOf(resource(tf, "aws_iam_role_policy", "Athena/AnalystPolicy").policy);
    const bucket = names.archiveBucketArn;
    expect(statement(policy, "ReadArchivedLogs").Resource).toEqual([
      `${bucket}/agents/*`,
      `${bucket}/cloudtrail/AWSLogs/${ORG}/*`,
      `${bucket}/cloudwatch-logs-errors/*`,
      `${bucket}/cloudwatch-logs/*`,
      `${bucket}/config/AWSLogs/*`,
      `${bucket}/vpc-flow-logs/AWSLogs/*`,
    ]);
    expect(
      Object.values(tf.data?.aws_s3_objects ?? {})
        .map((d) => d.prefix)
        .sort(),
    ).toEqual([
      "agents/",
      `cloudtrail/AWSLogs/${ORG}/`,
      "cloudwatch-logs-errors/",
      "cloudwatch-logs/",
      "config/AWSLogs/",
      "vpc-flow-logs/AWSLogs/",
    ]);
  });

  test("GIVEN discovery switched off THEN the tables project the known accounts only, as a literal list", () => {
    const tf = synthConstruct(build({ discoverAccounts: false }));

    expect(tf.data?.aws_s3_objects).toBeUndefined();
    expect(Object.values(tf.locals ?? {})).toEqual([
      '${join(",", sort(distinct(concat(["222222222222", "333333333333"]))))}',
    ]);
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
    test.each([1, 1024])("accepts a cutoff of %p GiB", (bytesScannedCutoffGiB) => {
      expect(() => synthConstruct(build({ settings: { ...PROPS.settings, bytesScannedCutoffGiB } }))).not.toThrow();
    });

    test.each([0, 0.5])("fails GIVEN a cutoff of %p GiB", (bytesScannedCutoffGiB) => {
      expect(errorsOf(build({ settings: { ...PROPS.settings, bytesScannedCutoffGiB } }))).toEqual([
        `ArchiveAthena test/Athena: settings.bytesScannedCutoffGiB: expected a whole number of GiB of at least 1, got ${bytesScannedCutoffGiB}`,
      ]);
    });

    test("fails GIVEN a hunting cutoff below the interactive one", () => {
      expect(
        errorsOf(
          build({ settings: { ...PROPS.settings, bytesScannedCutoffGiB: 20, huntingBytesScannedCutoffGiB: 10 } }),
        ),
      ).toEqual([
        "ArchiveAthena test/Athena: settings.huntingBytesScannedCutoffGiB: expected at least the interactive workgroup's bytesScannedCutoffGiB (20): the hunting workgroup is the larger one, got 10",
      ]);
    });

    test("accepts equal cutoffs", () => {
      expect(() =>
        synthConstruct(build({ settings: { ...PROPS.settings, huntingBytesScannedCutoffGiB: 10 } })),
      ).not.toThrow();
    });

    test("fails GIVEN no analyst principal", () => {
      expect(errorsOf(build({ analystPrincipals: [] }))).toEqual([
        "ArchiveAthena test/Athena: analystPrincipals: expected at least one principal allowed to assume the log-analyst role, got none",
      ]);
    });

    test("fails GIVEN no account or Region to project", () => {
      expect(errorsOf(build({ knownAccountIds: [], regions: [], serviceRegions: [] }))).toEqual([
        "ArchiveAthena test/Athena: knownAccountIds: expected at least one account for the tables to project, got none",
        "ArchiveAthena test/Athena: regions: expected at least one Region for the tables to project, got none",
        "ArchiveAthena test/Athena: serviceRegions: expected at least one Region for the tables to project, got none",
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
