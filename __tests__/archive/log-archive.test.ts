import type { TerraformStack } from "cdktf";
import { LogArchive, type LogArchiveProps } from "../../modules/archive/log-archive";
import { LOG_ARCHIVE_DEFAULTS } from "../../modules/archive/log-archive-defaults";
import { errorsOf, ref, synthConstruct } from "../helpers/construct";
import { policyOf, resource, resourcesOf, statement, type TfJson } from "../helpers/synth";

const ACCOUNT = "111111111111";
const ORG = "o-a1b2c3d4e5";
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const BUCKET = `cwl-archive-${ACCOUNT}-eu-west-1`;

const PROPS: LogArchiveProps = {
  accountId: ACCOUNT,
  region: "eu-west-1",
  organizationId: ORG,
  archive: {
    retentionDays: 2557,
    noncurrentVersionRetentionDays: 365,
    transitions: [{ storageClass: "GLACIER_IR", days: 90 }],
    minimumObjectSizeRule: "all_storage_classes_128K",
    abortIncompleteMultipartUploadDays: 7,
    replicationTimeControl: false,
    accessLogging: false,
    accessLogRetentionDays: 2557,
  },
  siem: { visibilityTimeoutSeconds: 300, messageRetentionSeconds: 345600, maxReceiveCount: 10 },
  // The tests below add these parts one at a time; their defaults are tested in "GIVEN only the organization".
  alarms: false,
  athena: false,
  tamper: false,
};
const ALARMS = {
  subscribers: [{ protocol: "email" as const, endpoint: "ops@example.com" }],
  freshnessMarginSeconds: 300,
  silenceMinutes: 30,
  queueAgeAlarmSeconds: 3600,
};
const ATHENA = {
  resultsRetentionDays: 30,
  bytesScannedCutoffGiB: 10,
  huntingBytesScannedCutoffGiB: 1024,
  knownAccountIds: ["222222222222"],
  regions: ["eu-west-1"],
};
const CENTRAL = {
  regions: ["eu-west-1", "us-east-1"],
  stream: {
    bufferingSizeMiB: 64,
    bufferingIntervalSeconds: 300,
    kinesisStream: { enabled: false, mode: "ON_DEMAND" as const, shards: 1 },
  },
  activePartitionQuota: 500,
  errorLogRetentionDays: 365,
};

function build(props: Partial<LogArchiveProps> = {}, archive: Partial<LogArchiveProps["archive"]> = {}) {
  return (stack: TerraformStack) =>
    new LogArchive(stack, "Archive", { ...PROPS, ...props, archive: { ...PROPS.archive, ...archive } });
}

const count = (tf: TfJson, type: string) => resourcesOf(tf, type).length;
const buckets = (tf: TfJson) =>
  resourcesOf(tf, "aws_s3_bucket")
    .map(([, b]) => b.bucket)
    .sort();

describe("LogArchive GIVEN only the organization and the Region", () => {
  const tf = synthConstruct((stack) => new LogArchive(stack, "Archive", { organizationId: ORG, region: "eu-west-1" }));
  const [account] = Object.keys(tf.data?.aws_caller_identity ?? {});
  const accountRef = `\${data.aws_caller_identity.${account}.account_id}`;

  test("THEN the account is the provider's, read when planning", () => {
    expect(buckets(tf)).toContain(`cwl-archive-${accountRef}-eu-west-1`);
  });

  test("THEN the archive's lifecycle is LOG_ARCHIVE_DEFAULTS.archive's and access logging is on", () => {
    const lifecycle = resource(tf, "aws_s3_bucket_lifecycle_configuration", "Archive/ArchiveBucket/Lifecycle");
    const { archive } = LOG_ARCHIVE_DEFAULTS;
    expect(lifecycle.rule[0]).toMatchObject({
      expiration: [{ days: archive.retentionDays }],
      noncurrent_version_expiration: [{ noncurrent_days: archive.noncurrentVersionRetentionDays }],
      transition: archive.transitions.map((t) => ({ days: t.days, storage_class: t.storageClass })),
    });
    expect(buckets(tf)).toContain(`cwl-archive-access-logs-${accountRef}-eu-west-1`);
  });

  test("THEN the SIEM queue takes LOG_ARCHIVE_DEFAULTS.siem", () => {
    const queue = resourcesOf(tf, "aws_sqs_queue").find(([, q]) => q.name === "cwl-archive-siem-notifications")![1];
    expect([queue.visibility_timeout_seconds, queue.message_retention_seconds]).toEqual([
      LOG_ARCHIVE_DEFAULTS.siem.visibilityTimeoutSeconds,
      LOG_ARCHIVE_DEFAULTS.siem.messageRetentionSeconds,
    ]);
  });

  test("THEN alarms, Athena and tamper detection are on, as the registry's defaults have them", () => {
    expect(count(tf, "aws_sns_topic")).toBeGreaterThan(0);
    expect(count(tf, "aws_athena_workgroup")).toBe(2);
    expect(resourcesOf(tf, "aws_cloudwatch_event_bus").map(([, b]) => b.name)).toEqual(["cwl-archive-tamper"]);
  });

  test("THEN alarms: false switches alarms off, and tamper detection (which notifies them) with them", () => {
    const off = synthConstruct(
      (stack) => new LogArchive(stack, "Archive", { organizationId: ORG, region: "eu-west-1", alarms: false }),
    );
    expect([count(off, "aws_sns_topic"), count(off, "aws_cloudwatch_event_bus")]).toEqual([0, 0]);
  });
});

describe("LogArchive", () => {
  describe("GIVEN only the required settings, without access logging", () => {
    const tf = synthConstruct(build());

    test("THEN the archive bucket, named from the default prefix, is encrypted with the archive key", () => {
      expect(buckets(tf)).toEqual([BUCKET]);
      expect(resource(tf, "aws_kms_alias", "Archive/ArchiveKey/Alias").name).toBe("alias/cwl-archive-archive");
      expect(
        resource(tf, "aws_s3_bucket_server_side_encryption_configuration", "Archive/ArchiveBucket/Encryption").rule[0]
          .apply_server_side_encryption_by_default.kms_master_key_id,
      ).toBe(ref(tf, "aws_kms_key", "Archive/ArchiveKey/Key", "arn"));
    });

    test("THEN the archive's lifecycle follows the settings, without Object Lock or access logging", () => {
      const lifecycle = resource(tf, "aws_s3_bucket_lifecycle_configuration", "Archive/ArchiveBucket/Lifecycle");
      expect(lifecycle.rule[0]).toMatchObject({
        transition: [{ days: 90, storage_class: "GLACIER_IR" }],
        expiration: [{ days: 2557 }],
      });
      expect(count(tf, "aws_s3_bucket_object_lock_configuration")).toBe(0);
      expect(count(tf, "aws_s3_bucket_logging")).toBe(0);
    });

    test("THEN only delivery roles of the organization may write, each under its own account's prefix", () => {
      const policy = policyOf(resource(tf, "aws_s3_bucket_policy", "Archive/ArchiveBucket/Policy").policy);
      expect(statement(policy, "DenyWritesFromOutsideOrganization").Effect).toBe("Deny");
      expect(JSON.stringify(statement(policy, "AllowDeliveryRolesToWriteOwnPrefix"))).toContain(ORG);
    });

    test("THEN the SIEM queue announces new data objects, and the account itself may assume the reader with the organization id", () => {
      expect(resource(tf, "aws_sqs_queue", "Archive/SiemNotifications/Queue").name).toBe(
        "cwl-archive-siem-notifications",
      );
      const trust = policyOf(resource(tf, "aws_iam_role", "Archive/SiemReader/Role").assume_role_policy);
      expect(statement(trust, "SiemAssumesWithExternalId")).toMatchObject({
        Principal: { AWS: ROOT },
        Condition: { StringEquals: { "sts:ExternalId": ORG } },
      });
    });

    test("THEN there is no replication, Athena, alarm, central stream or direct source", () => {
      for (const type of [
        "aws_s3_bucket_replication_configuration",
        "aws_athena_workgroup",
        "aws_sns_topic",
        "aws_cloudwatch_metric_alarm",
        "aws_kinesis_firehose_delivery_stream",
        "aws_cloudwatch_log_destination",
      ]) {
        expect([type, count(tf, type)]).toEqual([type, 0]);
      }
      const policy = policyOf(resource(tf, "aws_s3_bucket_policy", "Archive/ArchiveBucket/Policy").policy);
      expect(policy.Statement.map((s) => s.Sid).filter((sid) => /Trail|Config|FlowLog/.test(sid))).toEqual([]);
    });
  });

  test("GIVEN a name prefix THEN every name starts with it", () => {
    const tf = synthConstruct(build({ namePrefix: "logs" }));

    expect(buckets(tf)).toEqual([`logs-${ACCOUNT}-eu-west-1`]);
    expect(resource(tf, "aws_sqs_queue", "Archive/SiemNotifications/Queue").name).toBe("logs-siem-notifications");
  });

  test("GIVEN access logging THEN the archive's server access logs go to a bucket of their own", () => {
    const tf = synthConstruct(build({}, { accessLogging: true }));

    const logBucket = `cwl-archive-access-logs-${ACCOUNT}-eu-west-1`;
    expect(buckets(tf)).toEqual([BUCKET, logBucket].sort());
    expect(resource(tf, "aws_s3_bucket_logging", "Archive/ArchiveBucket/AccessLogging")).toMatchObject({
      target_bucket: ref(tf, "aws_s3_bucket", "Archive/AccessLogs/Store/Bucket", "bucket"),
      target_prefix: `${BUCKET}/`,
    });
  });

  test("GIVEN a replica Region and access logging THEN the archive replicates there, with access logs in that Region", () => {
    const tf = synthConstruct(build({}, { replicaRegion: "eu-central-1", accessLogging: true }));

    expect(resource(tf, "aws_s3_bucket", "Archive/Replication/ReplicaBucket/Bucket")).toMatchObject({
      bucket: `cwl-archive-replica-${ACCOUNT}-eu-central-1`,
      region: "eu-central-1",
    });
    expect(resource(tf, "aws_s3_bucket", "Archive/ReplicaAccessLogs/Store/Bucket").region).toBe("eu-central-1");
    const keyPolicy = policyOf(resource(tf, "aws_kms_key", "Archive/ArchiveKey/Key").policy);
    expect(JSON.stringify(keyPolicy)).toContain(`role/cwl-archive-replication`);
  });

  test("GIVEN alarms THEN the archive's alarms notify a topic encrypted with a monitoring key", () => {
    const tf = synthConstruct(build({ alarms: ALARMS }, { replicaRegion: "eu-central-1" }));

    expect(resource(tf, "aws_sns_topic", "Archive/AlarmTopic/Topic").kms_master_key_id).toBe(
      ref(tf, "aws_kms_key", "Archive/MonitoringKey/Key", "arn"),
    );
    expect(
      resourcesOf(tf, "aws_cloudwatch_metric_alarm")
        .map(([, a]) => a.alarm_name)
        .sort(),
    ).toEqual([
      "cwl-archive-archive-replication-failures",
      "cwl-archive-archive-siem-dead-letters",
      "cwl-archive-archive-siem-queue-age",
    ]);
  });

  test("GIVEN Athena THEN the analyst and the hunter (by default the account) may query the archive, and the SIEM reader may not", () => {
    const tf = synthConstruct(build({ athena: ATHENA }));

    expect(resource(tf, "aws_athena_workgroup", "Archive/Athena/Workgroup").name).toBe("cwl-archive-logs");
    for (const role of ["AnalystRole", "HunterRole"]) {
      const trust = policyOf(resource(tf, "aws_iam_role", `Archive/Athena/${role}`).assume_role_policy);
      expect(statement(trust, "AnalystsAssume").Principal).toEqual({ AWS: ROOT });
    }
    // The SIEM pulls the objects it is notified of; nothing it does needs Athena (least privilege).
    const reader = policyOf(resource(tf, "aws_iam_role_policy", "Archive/SiemReader/Policy").policy);
    expect(reader.Statement.flatMap((s) => [s.Action].flat()).filter((a) => String(a).startsWith("athena:"))).toEqual(
      [],
    );
  });

  test("GIVEN SIEM reader principals and an ExternalId THEN only those principals, with that id, assume the reader", () => {
    const siem = { ...PROPS.siem, readerPrincipals: ["arn:aws:iam::333333333333:role/siem"], externalId: "vendor-42" };
    const tf = synthConstruct(build({ siem }));

    const trust = policyOf(resource(tf, "aws_iam_role", "Archive/SiemReader/Role").assume_role_policy);
    expect(statement(trust, "SiemAssumesWithExternalId")).toMatchObject({
      Principal: { AWS: "arn:aws:iam::333333333333:role/siem" },
      Condition: { StringEquals: { "sts:ExternalId": "vendor-42" } },
    });
  });

  test("GIVEN direct sources announced to the SIEM THEN the queue announces their objects and the reader reads them", () => {
    const tf = synthConstruct(build({ directSources: { vpcFlowLogs: true, notifySiem: ["vpc-flow-logs"] } }));

    const queue = resource(tf, "aws_s3_bucket_notification", "Archive/SiemNotifications/BucketNotification").queue;
    expect(queue.map((q: { filter_prefix: string }) => q.filter_prefix)).toEqual([
      "cloudwatch-logs/",
      "vpc-flow-logs/",
    ]);
    const reader = policyOf(resource(tf, "aws_iam_role_policy", "Archive/SiemReader/Policy").policy);
    expect(statement(reader, "ReadArchivedLogs").Resource).toContain(`arn:aws:s3:::${BUCKET}/vpc-flow-logs/*`);
    const bucketPolicy = policyOf(resource(tf, "aws_s3_bucket_policy", "Archive/ArchiveBucket/Policy").policy);
    expect(bucketPolicy.Statement.map((s) => s.Sid)).toContain("AllowFlowLogDeliveryWrite");
  });

  test("GIVEN the organization trail and AWS Config THEN the bucket and key admit them under their own prefixes", () => {
    const trail = { arn: "arn:aws:cloudtrail:eu-west-1:999999999999:trail/org", managementAccountId: "999999999999" };
    const tf = synthConstruct(build({ directSources: { trail, configRecorderRole: "ConfigRecorder" } }));

    const bucketPolicy = policyOf(resource(tf, "aws_s3_bucket_policy", "Archive/ArchiveBucket/Policy").policy);
    expect(bucketPolicy.Statement.map((s) => s.Sid)).toEqual(
      expect.arrayContaining(["AllowOrganizationTrailWrite", "AllowConfigRecordersToWriteOwnPrefix"]),
    );
    const keyPolicy = policyOf(resource(tf, "aws_kms_key", "Archive/ArchiveKey/Key").policy);
    expect(keyPolicy.Statement.map((s) => s.Sid)).toContain("AllowOrganizationTrailToEncrypt");
  });

  test("GIVEN the central topology and alarms THEN each Region has a destination and a stream, watched from its own Region", () => {
    const tf = synthConstruct(build({ central: CENTRAL, alarms: ALARMS }));

    expect(
      resourcesOf(tf, "aws_cloudwatch_log_destination")
        .map(([, d]) => d.region)
        .sort(),
    ).toEqual(["eu-west-1", "us-east-1"]);
    // The archive's own Region reuses the archive topic; another Region gets a key and topic of its own.
    expect(
      resourcesOf(tf, "aws_sns_topic")
        .map(([, t]) => t.region ?? "stack")
        .sort(),
    ).toEqual(["stack", "us-east-1"]);
    expect(resource(tf, "aws_kms_key", "Archive/CentralAlarmKey-us-east-1/Key").region).toBe("us-east-1");
    const partitionAlarms = resourcesOf(tf, "aws_cloudwatch_metric_alarm").filter(([, a]) =>
      /partition-count-high$/.test(a.alarm_name),
    );
    expect(partitionAlarms.map(([, a]) => a.threshold)).toEqual([400, 400]);
  });

  describe("validation", () => {
    test("fails on a name prefix that would not fit AWS's names", () => {
      expect(errorsOf(build({ namePrefix: "x" }))).toEqual([
        'LogArchive test/Archive: namePrefix: expected 3-20 lowercase letters, digits and -, starting with a letter and ending with a letter or digit, got "x"',
      ]);
    });

    test("fails GIVEN an account id that is not one", () => {
      expect(errorsOf(build({ accountId: "1111" }))).toEqual([
        'LogArchive test/Archive: accountId: expected a 12-digit AWS account id, got "1111"',
      ]);
    });

    test.each(["o-a1b2c3d4e5", `o-${"a".repeat(32)}`])("accepts the organization id %p", (organizationId) => {
      expect(() => synthConstruct(build({ organizationId }))).not.toThrow();
    });

    test.each(["o-a1b2c3d4e", `o-${"a".repeat(33)}`, "o-A1B2C3D4E5", "a1b2c3d4e5f"])(
      "fails GIVEN the organization id %p",
      (organizationId) => {
        expect(errorsOf(build({ organizationId }))).toEqual([
          `LogArchive test/Archive: organizationId: expected "o-" and 10 to 32 lowercase letters or digits, got ${JSON.stringify(organizationId)}`,
        ]);
      },
    );

    test("fails with every problem at once, one line each", () => {
      expect(errorsOf(build({ accountId: "1", organizationId: "o-1" }))).toHaveLength(2);
    });

    test("fails, through its parts, on settings they check: the SIEM queue's retention", () => {
      expect(errorsOf(build({ siem: { ...PROPS.siem, messageRetentionSeconds: 30 } }))).toEqual([
        expect.stringMatching(/^SiemNotifications test\/Archive\/SiemNotifications: siem\.messageRetentionSeconds: /),
      ]);
    });

    test("fails GIVEN a retention outside the bound it shares with the registry", () => {
      expect(errorsOf(build({}, { retentionDays: 0, transitions: [] }))).toEqual([
        "LogArchive test/Archive: archive.retentionDays: expected a retention period in days: an integer from 1 to 36500, got 0",
      ]);
    });
  });
});

describe("LogArchive's central-stream alarms and the heartbeat", () => {
  const centralAlarms = (tf: TfJson) =>
    resourcesOf(tf, "aws_cloudwatch_metric_alarm")
      .map(([, a]) => a)
      .filter((a) => a.alarm_name.includes("-central-"));

  // Without a heartbeat a quiet Region publishes no IncomingRecords, which the
  // silence alarm counts as breaching: it would stay in ALARM for ever.
  test("GIVEN alarms without a heartbeat THEN the central streams have no silence alarm", () => {
    const tf = synthConstruct(build({ central: CENTRAL, alarms: ALARMS }));

    expect(centralAlarms(tf).filter((a) => a.alarm_name.endsWith("-silence"))).toEqual([]);
    expect(centralAlarms(tf).filter((a) => a.alarm_name.endsWith("-freshness"))).toHaveLength(2);
  });

  test("GIVEN alarms and the sources' heartbeat THEN every central stream has a silence alarm in its Region", () => {
    const tf = synthConstruct(build({ central: CENTRAL, alarms: { ...ALARMS, heartbeatIntervalMinutes: 15 } }));

    const silence = centralAlarms(tf).filter((a) => a.alarm_name.endsWith("-silence"));
    expect(silence.map((a) => [a.region, a.metric_name, a.treat_missing_data])).toEqual([
      ["eu-west-1", "IncomingRecords", "breaching"],
      ["us-east-1", "IncomingRecords", "breaching"],
    ]);
  });

  test("GIVEN a Kinesis stream in front THEN silence and throttling read metrics that stream's Firehose publishes", () => {
    const kinesis = {
      ...CENTRAL,
      stream: { ...CENTRAL.stream, kinesisStream: { ...CENTRAL.stream.kinesisStream, enabled: true } },
    };
    const tf = synthConstruct(build({ central: kinesis, alarms: { ...ALARMS, heartbeatIntervalMinutes: 15 } }));

    const byEnding = (ending: string) => centralAlarms(tf).filter((a) => a.alarm_name.endsWith(ending));
    expect(byEnding("-silence").map((a) => a.metric_name)).toEqual([
      "DataReadFromKinesisStream.Records",
      "DataReadFromKinesisStream.Records",
    ]);
    expect(byEnding("-throttled-records").map((a) => [a.namespace, a.metric_name, a.dimensions.StreamName])).toEqual([
      [
        "AWS/Kinesis",
        "WriteProvisionedThroughputExceeded",
        ref(tf, "aws_kinesis_stream", "Central-eu-west-1/KinesisStream", "name"),
      ],
      [
        "AWS/Kinesis",
        "WriteProvisionedThroughputExceeded",
        ref(tf, "aws_kinesis_stream", "Central-us-east-1/KinesisStream", "name"),
      ],
    ]);
  });
});
