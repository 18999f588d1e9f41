import type { TerraformStack } from "cdktf";
import {
  REPLICATION_RULE_ID,
  Replication,
  type ReplicaSettings,
  type ReplicationProps,
} from "../../modules/archive/replication";
import { SecureBucket } from "../../modules/constructs/secure-bucket";
import { archiveNames } from "../../modules/naming/names";
import type { ReplicationContext } from "../../modules/policy/replication-policies";
import { addressOf, errorsOf, ref, synthConstruct } from "../helpers/construct";
import { policyOf, resource, resourcesOf, statement } from "../helpers/synth";

const ACCOUNT = "111111111111";
const REPLICA_REGION = "eu-central-1";
const names = archiveNames({
  prefix: "cwl-archive",
  archiveAccountId: ACCOUNT,
  archiveRegion: "eu-west-1",
  replicaRegion: REPLICA_REGION,
});
const SOURCE_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/archive`;
const CONTEXT: ReplicationContext = {
  accountId: ACCOUNT,
  sourceRegion: "eu-west-1",
  sourceBucketArn: names.archiveBucketArn,
  replicaRegion: REPLICA_REGION,
  replicaBucketArn: names.replicaBucketArn!,
  replicationRoleArn: names.replicationRoleArn,
};
const SETTINGS: ReplicaSettings = {
  retentionDays: 2557,
  noncurrentVersionRetentionDays: 365,
  transitions: [{ storageClass: "DEEP_ARCHIVE", days: 365 }],
  abortIncompleteMultipartUploadDays: 7,
  minimumObjectSizeRule: "all_storage_classes_128K",
  replicationTimeControl: false,
};

function build(archive: Partial<ReplicaSettings> = {}, props: Partial<ReplicationProps> = {}) {
  return (stack: TerraformStack) => {
    const source = new SecureBucket(stack, "Archive", {
      bucketName: names.archiveBucket,
      ownerAccountId: ACCOUNT,
      encryption: { kmsKeyArn: SOURCE_KEY },
    });
    return new Replication(stack, "Replication", {
      context: CONTEXT,
      archive: { ...SETTINGS, ...archive },
      source,
      sourceKeyArn: SOURCE_KEY,
      replicaBucketName: names.replicaBucket!,
      replicaKeyAlias: names.replicaKeyAlias,
      replicationRoleName: names.replicationRole,
      ...props,
    });
  };
}

describe("Replication", () => {
  describe("GIVEN the archive's settings, without Object Lock, RTC or access logging", () => {
    const tf = synthConstruct(build());
    const rule = resource(tf, "aws_s3_bucket_replication_configuration", "Replication/Configuration").rule[0];

    test("THEN the replica has its own protected key in the replica Region", () => {
      expect(resource(tf, "aws_kms_key", "Replication/ReplicaKey/Key")).toMatchObject({
        region: REPLICA_REGION,
        enable_key_rotation: true,
      });
      expect(resource(tf, "aws_kms_alias", "Replication/ReplicaKey/Alias").name).toBe("alias/cwl-archive-replica");
    });

    test("THEN the replica bucket is a secure bucket in the replica Region, encrypted with the replica key", () => {
      expect(resource(tf, "aws_s3_bucket", "Replication/ReplicaBucket/Bucket")).toMatchObject({
        bucket: names.replicaBucket,
        region: REPLICA_REGION,
      });
      expect(
        resource(tf, "aws_s3_bucket_server_side_encryption_configuration", "Replication/ReplicaBucket/Encryption")
          .rule[0].apply_server_side_encryption_by_default.kms_master_key_id,
      ).toBe(ref(tf, "aws_kms_key", "Replication/ReplicaKey/Key", "arn"));
    });

    test("THEN the replica keeps the archive's lifecycle and minimum object size", () => {
      const lifecycle = resource(tf, "aws_s3_bucket_lifecycle_configuration", "Replication/ReplicaBucket/Lifecycle");
      expect(lifecycle.transition_default_minimum_object_size).toBe("all_storage_classes_128K");
      expect(lifecycle.rule[0]).toMatchObject({
        id: "tiering-and-expiry",
        transition: [{ days: 365, storage_class: "DEEP_ARCHIVE" }],
        expiration: [{ days: 2557 }],
        noncurrent_version_expiration: [{ noncurrent_days: 365 }],
      });
    });

    test("THEN the replica has no Object Lock and no access logging", () => {
      expect(resource(tf, "aws_s3_bucket", "Replication/ReplicaBucket/Bucket").object_lock_enabled).toBeUndefined();
      expect(resourcesOf(tf, "aws_s3_bucket_logging")).toEqual([]);
    });

    test("THEN one rule replicates every KMS-encrypted object with the replica key, never delete markers", () => {
      expect(rule).toMatchObject({
        id: REPLICATION_RULE_ID,
        status: "Enabled",
        priority: 1,
        filter: {},
        delete_marker_replication: { status: "Disabled" },
        source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
      });
      expect(rule.destination).toMatchObject({
        bucket: ref(tf, "aws_s3_bucket", "Replication/ReplicaBucket/Bucket", "arn"),
        storage_class: "STANDARD",
        encryption_configuration: { replica_kms_key_id: ref(tf, "aws_kms_key", "Replication/ReplicaKey/Key", "arn") },
      });
    });

    test("THEN replication metrics are on, without the event threshold S3 accepts only with RTC", () => {
      expect(rule.destination.metrics).toEqual({ status: "Enabled" });
      expect(rule.destination.replication_time).toBeUndefined();
    });

    test("THEN the configuration is on the source bucket, once both buckets are versioned and the role may replicate", () => {
      const configuration = resource(tf, "aws_s3_bucket_replication_configuration", "Replication/Configuration");
      expect(configuration.bucket).toBe(ref(tf, "aws_s3_bucket", "Archive/Bucket", "bucket"));
      expect(configuration.role).toBe(ref(tf, "aws_iam_role", "Replication/Role", "arn"));
      expect(configuration.depends_on).toEqual([
        addressOf(tf, "aws_s3_bucket_versioning", "Archive/Versioning"),
        addressOf(tf, "aws_s3_bucket_versioning", "Replication/ReplicaBucket/Versioning"),
        addressOf(tf, "aws_iam_role_policy", "Replication/RolePolicy"),
      ]);
    });

    test("THEN only S3 replicating this bucket assumes the role, which reads source versions and writes replicas", () => {
      const role = resource(tf, "aws_iam_role", "Replication/Role");
      expect(role.name).toBe("cwl-archive-replication");
      expect(policyOf(role.assume_role_policy).Statement.map((s) => s.Sid)).toEqual(["S3ReplicatesArchiveBucket"]);
      const policy = policyOf(resource(tf, "aws_iam_role_policy", "Replication/RolePolicy").policy);
      expect(policy.Statement.map((s) => s.Sid)).toEqual([
        "ReadReplicationConfiguration",
        "ReadSourceVersions",
        "WriteReplicas",
        "DecryptSourceThroughS3",
        "EncryptReplicasThroughS3",
      ]);
      expect(statement(policy, "DecryptSourceThroughS3").Resource).toBe(SOURCE_KEY);
      expect(statement(policy, "EncryptReplicasThroughS3").Resource).toBe(
        ref(tf, "aws_kms_key", "Replication/ReplicaKey/Key", "arn"),
      );
    });
  });

  test("GIVEN Replication Time Control THEN replicas arrive within 15 minutes, with a 15-minute event threshold", () => {
    const tf = synthConstruct(build({ replicationTimeControl: true }));

    const destination = resource(tf, "aws_s3_bucket_replication_configuration", "Replication/Configuration").rule[0]
      .destination;
    expect(destination.replication_time).toEqual({ status: "Enabled", time: { minutes: 15 } });
    expect(destination.metrics).toEqual({ status: "Enabled", event_threshold: { minutes: 15 } });
  });

  test("GIVEN Object Lock THEN the replica is locked the same way, so lock metadata can replicate", () => {
    const tf = synthConstruct(build({ objectLock: { mode: "COMPLIANCE", days: 365 } }));

    expect(
      resource(tf, "aws_s3_bucket_object_lock_configuration", "Replication/ReplicaBucket/ObjectLock").rule,
    ).toEqual({
      default_retention: { mode: "COMPLIANCE", days: 365 },
    });
  });

  test("GIVEN an access log bucket THEN the replica's server access logs go there under its name", () => {
    const tf = synthConstruct(build({}, { accessLogBucket: "replica-access-logs" }));

    expect(resource(tf, "aws_s3_bucket_logging", "Replication/ReplicaBucket/AccessLogging")).toMatchObject({
      target_bucket: "replica-access-logs",
      target_prefix: `${names.replicaBucket}/`,
      region: REPLICA_REGION,
    });
  });

  test("fails, through the replica bucket, on a lifecycle S3 rejects", () => {
    expect(errorsOf(build({ transitions: [{ storageClass: "STANDARD_IA", days: 10 }] }))).toEqual([
      "SecureBucket test/Replication/ReplicaBucket: lifecycleRules[0] (tiering-and-expiry).transition[0].days: expected a whole number of days of at least 30 for STANDARD_IA, got 10",
    ]);
  });
});
