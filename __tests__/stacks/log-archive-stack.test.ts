import { ARCHIVE, ORG, registryWith } from "../helpers/registry";
import { policyOf, resource, resourcesOf, statement, synthRegistry, type TfJson } from "../helpers/synth";

const BUCKET = `cwl-archive-${ARCHIVE}-eu-west-1`;
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;

function archiveStack(edit?: (r: any) => void): TfJson {
  return synthRegistry(registryWith(edit)).stacks["log-archive"]!;
}

describe("log-archive stack with defaults", () => {
  const stack = archiveStack();

  test("archive key: rotation, 30-day window, alias, prevent_destroy", () => {
    const key = resource(stack, "aws_kms_key", "ArchiveKey/Key");
    expect(key).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
    expect(resource(stack, "aws_kms_alias", "ArchiveKey/Alias").name).toBe("alias/cwl-archive-archive");
  });

  test("archive key policy: administration, delivery roles through S3 only, reader decrypt; nothing else", () => {
    const policy = policyOf(resource(stack, "aws_kms_key", "ArchiveKey/Key").policy);
    expect(policy.Statement.map((s) => s.Sid)).toEqual([
      "AccountAdministersKey",
      "AllowDeliveryRolesToEncryptThroughS3",
      "AllowSiemReaderToDecryptThroughS3",
      "AllowLogAnalystToDecryptThroughS3",
    ]);
    const admin = statement(policy, "AccountAdministersKey");
    expect(admin.Action).not.toContain("kms:Decrypt");
    expect(admin.Action).not.toContain("kms:*");
    expect(statement(policy, "AllowDeliveryRolesToEncryptThroughS3")).toEqual({
      Sid: "AllowDeliveryRolesToEncryptThroughS3",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: {
        StringEquals: {
          "aws:PrincipalOrgID": ORG,
          "kms:ViaService": "s3.eu-west-1.amazonaws.com",
          "kms:EncryptionContext:aws:s3:arn": BUCKET_ARN,
        },
        ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/cwl-archive-firehose-*" },
      },
    });
  });

  test("archive bucket: versioning, SSE-KMS with the archive key and bucket keys, owner enforced, all public access blocked", () => {
    expect(resource(stack, "aws_s3_bucket", "ArchiveBucket/Bucket")).toMatchObject({
      bucket: BUCKET,
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(resource(stack, "aws_s3_bucket_versioning", "ArchiveBucket/Versioning").versioning_configuration).toEqual({
      status: "Enabled",
    });
    expect(
      resource(stack, "aws_s3_bucket_server_side_encryption_configuration", "ArchiveBucket/Encryption").rule,
    ).toEqual([
      {
        apply_server_side_encryption_by_default: {
          sse_algorithm: "aws:kms",
          kms_master_key_id: "${aws_kms_key.ArchiveKey_5C51534B.arn}",
        },
        bucket_key_enabled: true,
      },
    ]);
    expect(resource(stack, "aws_s3_bucket_ownership_controls", "ArchiveBucket/Ownership").rule).toEqual({
      object_ownership: "BucketOwnerEnforced",
    });
    expect(resource(stack, "aws_s3_bucket_public_access_block", "ArchiveBucket/PublicAccessBlock")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  describe("archive bucket policy", () => {
    const policy = policyOf(resource(stack, "aws_s3_bucket_policy", "ArchiveBucket/Policy").policy);

    test("denies any request without TLS", () => {
      expect(statement(policy, "DenyInsecureTransport")).toMatchObject({
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
    });

    test("denies PutObject naming another KMS key, but not a request that names none", () => {
      expect(statement(policy, "DenyObjectsEncryptedWithAnotherKey").Condition).toEqual({
        StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "${aws_kms_key.ArchiveKey_5C51534B.arn}" },
        Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
      });
    });

    test("allows writes only to organization delivery roles, under their own account prefix", () => {
      expect(statement(policy, "AllowDeliveryRolesToWriteOwnPrefix")).toEqual({
        Sid: "AllowDeliveryRolesToWriteOwnPrefix",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: ["s3:AbortMultipartUpload", "s3:PutObject", "s3:PutObjectAcl"],
        Resource: [
          `${BUCKET_ARN}/cloudwatch-logs/account=\${aws:PrincipalAccount}/*`,
          `${BUCKET_ARN}/cloudwatch-logs-errors/account=\${aws:PrincipalAccount}/*`,
        ],
        Condition: {
          StringEquals: { "aws:PrincipalOrgID": ORG },
          ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/cwl-archive-firehose-*" },
        },
      });
      expect(statement(policy, "DenyWritesFromOutsideOrganization").Condition.StringNotEquals).toEqual({
        "aws:PrincipalOrgID": ORG,
      });
    });

    test("denies object and version deletion to every principal outside the log-archive account", () => {
      const deny = statement(policy, "DenyTamperingOutsideArchiveAccount");
      expect(deny.Action).toEqual(
        expect.arrayContaining(["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutBucketPolicy"]),
      );
      expect(deny.Condition).toEqual({ StringNotEquals: { "aws:PrincipalAccount": ARCHIVE } });
    });

    test("grants no read access to anyone outside the account", () => {
      const allowed = policy.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => [s.Action].flat());
      expect(allowed.filter((a: string) => /Get(Object|Bucket(?!Location))|List/.test(a))).toEqual([]);
    });
  });

  test("lifecycle: tiers, expiry, noncurrent expiry, delete-marker clean-up, multipart abort, explicit 128 KB rule", () => {
    const lifecycle = resource(stack, "aws_s3_bucket_lifecycle_configuration", "ArchiveBucket/Lifecycle");
    expect(lifecycle.transition_default_minimum_object_size).toBe("all_storage_classes_128K");
    expect(lifecycle.rule).toEqual([
      {
        id: "tiering-and-expiry",
        status: "Enabled",
        filter: [{}],
        transition: [
          { days: 30, storage_class: "STANDARD_IA" },
          { days: 90, storage_class: "GLACIER_IR" },
          { days: 365, storage_class: "DEEP_ARCHIVE" },
        ],
        expiration: [{ days: 2557 }],
        noncurrent_version_expiration: [{ noncurrent_days: 365 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
      {
        id: "expired-delete-markers",
        status: "Enabled",
        filter: [{}],
        expiration: [{ expired_object_delete_marker: true }],
      },
    ]);
  });

  test("access logging into a separate, locked-down SSE-S3 bucket that only S3 logging for the archive can write", () => {
    const logging = resource(stack, "aws_s3_bucket_logging", "ArchiveBucket/AccessLogging");
    expect(logging.target_prefix).toBe(`${BUCKET}/`);
    expect(resource(stack, "aws_s3_bucket", "AccessLogs/Store/Bucket").bucket).toBe(
      `cwl-archive-access-logs-${ARCHIVE}-eu-west-1`,
    );
    expect(
      resource(stack, "aws_s3_bucket_server_side_encryption_configuration", "AccessLogs/Store/Encryption").rule[0]
        .apply_server_side_encryption_by_default,
    ).toEqual({ sse_algorithm: "AES256" });
    const policy = policyOf(resource(stack, "aws_s3_bucket_policy", "AccessLogs/Store/Policy").policy);
    expect(statement(policy, "AllowS3ServerAccessLogDelivery")).toMatchObject({
      Principal: { Service: "logging.s3.amazonaws.com" },
      Condition: {
        StringEquals: { "aws:SourceAccount": ARCHIVE },
        ArnLike: { "aws:SourceArn": [BUCKET_ARN, `arn:aws:s3:::cwl-archive-athena-results-${ARCHIVE}-eu-west-1`] },
      },
    });
  });

  test("SIEM queue: customer key, DLQ with longer retention and maxReceiveCount >= 5, TLS-only policy for S3 of this bucket", () => {
    const queue = resource(stack, "aws_sqs_queue", "SiemNotifications/Queue");
    const dlq = resource(stack, "aws_sqs_queue", "SiemNotifications/DeadLetterQueue");
    expect(queue.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.SiemNotifications_QueueKey/);
    expect(dlq.kms_master_key_id).toBe(queue.kms_master_key_id);
    expect(dlq.message_retention_seconds).toBeGreaterThan(queue.message_retention_seconds);
    const redrive = JSON.parse(queue.redrive_policy);
    expect(redrive.maxReceiveCount).toBeGreaterThanOrEqual(5);
    expect(redrive.deadLetterTargetArn).toMatch(/aws_sqs_queue\.SiemNotifications_DeadLetterQueue/);
    const policy = policyOf(resource(stack, "aws_sqs_queue_policy", "SiemNotifications/Policy").policy);
    expect(statement(policy, "AllowArchiveBucketNotifications")).toEqual({
      Sid: "AllowArchiveBucketNotifications",
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: `arn:aws:sqs:eu-west-1:${ARCHIVE}:cwl-archive-siem-notifications`,
      Condition: { StringEquals: { "aws:SourceAccount": ARCHIVE }, ArnLike: { "aws:SourceArn": BUCKET_ARN } },
    });
    expect(statement(policy, "DenyInsecureTransport").Effect).toBe("Deny");
    const keyPolicy = policyOf(resource(stack, "aws_kms_key", "SiemNotifications/QueueKey/Key").policy);
    expect(statement(keyPolicy, "AllowS3NotificationsToUseKey")).toMatchObject({
      Principal: { Service: "s3.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
    });
  });

  test("bucket notification: ObjectCreated of the data prefix only, after the queue policy exists", () => {
    const notification = resource(stack, "aws_s3_bucket_notification", "SiemNotifications/BucketNotification");
    expect(notification.queue).toEqual([
      {
        id: "siem-data-objects",
        events: ["s3:ObjectCreated:*"],
        filter_prefix: "cloudwatch-logs/",
        queue_arn: "${aws_sqs_queue.SiemNotifications_Queue_89797085.arn}",
      },
    ]);
    expect(notification.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_sqs_queue_policy\./)]));
  });

  test("SIEM reader: ExternalId required outside the organization, read-only on the data prefix, decrypt through S3 and SQS only", () => {
    const role = resource(stack, "aws_iam_role", "SiemReader/Role");
    expect(policyOf(role.assume_role_policy).Statement).toEqual([
      {
        Sid: "SiemAssumesWithExternalId",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${ARCHIVE}:root` },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": ORG } },
      },
      {
        Sid: "OrganizationAssumesWithoutExternalId",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${ARCHIVE}:root` },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:PrincipalOrgID": ORG } },
      },
    ]);
    const policy = policyOf(resource(stack, "aws_iam_role_policy", "SiemReader/Policy").policy);
    expect(statement(policy, "ReadArchivedLogs").Resource).toBe(`${BUCKET_ARN}/cloudwatch-logs/*`);
    expect(statement(policy, "DecryptArchiveThroughS3").Condition.StringEquals["kms:ViaService"]).toBe(
      "s3.eu-west-1.amazonaws.com",
    );
    expect(statement(policy, "DecryptNotificationsThroughSqs").Condition.StringEquals["kms:ViaService"]).toBe(
      "sqs.eu-west-1.amazonaws.com",
    );
    const onArchive = policy.Statement.filter(
      (s) => s.Effect === "Allow" && [s.Resource].flat().some((r: string) => r.startsWith(BUCKET_ARN)),
    );
    expect(
      onArchive.flatMap((s) => [s.Action].flat()).filter((a: string) => /^s3:.*(Put|Delete|Replicate)/.test(a)),
    ).toEqual([]);
    expect(statement(policy, "NeverWriteOrDelete").Effect).toBe("Deny");
  });

  test("outputs: bucket, queue, DLQ, reader role and keys", () => {
    expect(Object.keys(stack.output ?? {}).sort()).toEqual([
      "alarm_topic_arn",
      "archive_bucket_arn",
      "archive_bucket_name",
      "archive_key_arn",
      "athena_workgroup",
      "cwl_acknowledged_migrations",
      "log_analyst_role_arn",
      "siem_dead_letter_queue_arn",
      "siem_operator_role_arn",
      "siem_queue_arn",
      "siem_queue_key_arn",
      "siem_queue_url",
      "siem_reader_role_arn",
    ]);
  });

  test("no replication and no Object Lock unless the registry asks", () => {
    expect(resourcesOf(stack, "aws_s3_bucket_replication_configuration")).toEqual([]);
    expect(resourcesOf(stack, "aws_s3_bucket_object_lock_configuration")).toEqual([]);
    expect(resource(stack, "aws_s3_bucket", "ArchiveBucket/Bucket").object_lock_enabled).toBeUndefined();
  });
});

describe("log-archive stack with replication and Object Lock", () => {
  const stack = archiveStack(
    (r) =>
      (r.archive = {
        replicaRegion: "eu-central-1",
        replicationTimeControl: true,
        objectLock: { mode: "COMPLIANCE", days: 365 },
      }),
  );
  const replicaArn = `arn:aws:s3:::cwl-archive-replica-${ARCHIVE}-eu-central-1`;

  test("Object Lock on both buckets, set at creation", () => {
    for (const path of ["ArchiveBucket", "Replication/ReplicaBucket"]) {
      expect(resource(stack, "aws_s3_bucket", `${path}/Bucket`).object_lock_enabled).toBe(true);
      expect(resource(stack, "aws_s3_bucket_object_lock_configuration", `${path}/ObjectLock`).rule).toEqual({
        default_retention: { mode: "COMPLIANCE", days: 365 },
      });
    }
  });

  test("replica: own key in the replica Region, same protections", () => {
    expect(resource(stack, "aws_kms_key", "Replication/ReplicaKey/Key")).toMatchObject({
      region: "eu-central-1",
      enable_key_rotation: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(resource(stack, "aws_s3_bucket", "Replication/ReplicaBucket/Bucket")).toMatchObject({
      region: "eu-central-1",
      lifecycle: { prevent_destroy: true },
    });
    expect(
      resource(stack, "aws_s3_bucket_public_access_block", "Replication/ReplicaBucket/PublicAccessBlock").region,
    ).toBe("eu-central-1");
    expect(resource(stack, "aws_s3_bucket_logging", "Replication/ReplicaBucket/AccessLogging").target_bucket).toMatch(
      /ReplicaAccessLogs/,
    );
  });

  test("replication rule: KMS objects with the replica key, no delete markers, RTC with metrics", () => {
    const config = resource(stack, "aws_s3_bucket_replication_configuration", "Replication/Configuration");
    expect(config.rule).toEqual([
      {
        id: "replicate-archive",
        status: "Enabled",
        priority: 1,
        filter: {},
        delete_marker_replication: { status: "Disabled" },
        source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
        destination: {
          bucket: expect.stringMatching(/^\$\{aws_s3_bucket\.Replication_ReplicaBucket_\w+\.arn\}$/),
          storage_class: "STANDARD",
          encryption_configuration: {
            replica_kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.Replication_ReplicaKey_\w+\.arn\}$/),
          },
          metrics: { status: "Enabled", event_threshold: { minutes: 15 } },
          replication_time: { status: "Enabled", time: { minutes: 15 } },
        },
      },
    ]);
    expect(config.depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/aws_s3_bucket_versioning\.ArchiveBucket/)]),
    );
  });

  test("replication role: S3 of this bucket only; read source versions, write replicas, each key through S3 in its Region", () => {
    const role = resource(stack, "aws_iam_role", "Replication/Role");
    expect(policyOf(role.assume_role_policy).Statement[0].Condition).toEqual({
      StringEquals: { "aws:SourceAccount": ARCHIVE },
      ArnLike: { "aws:SourceArn": BUCKET_ARN },
    });
    const policy = policyOf(resource(stack, "aws_iam_role_policy", "Replication/RolePolicy").policy);
    expect(statement(policy, "WriteReplicas")).toMatchObject({
      Action: ["s3:ReplicateObject", "s3:ReplicateTags"],
      Resource: `${replicaArn}/*`,
    });
    expect(statement(policy, "DecryptSourceThroughS3").Condition.StringEquals["kms:ViaService"]).toBe(
      "s3.eu-west-1.amazonaws.com",
    );
    expect(statement(policy, "EncryptReplicasThroughS3").Condition.StringEquals).toEqual({
      "kms:ViaService": "s3.eu-central-1.amazonaws.com",
      "kms:EncryptionContext:aws:s3:arn": replicaArn,
    });
    const archiveKeyPolicy = policyOf(resource(stack, "aws_kms_key", "ArchiveKey/Key").policy);
    expect(statement(archiveKeyPolicy, "AllowReplicationToDecryptThroughS3").Condition.ArnEquals).toEqual({
      "aws:PrincipalArn": `arn:aws:iam::${ARCHIVE}:role/cwl-archive-replication`,
    });
  });

  test("outputs include the replica", () => {
    expect(Object.keys(stack.output ?? {})).toEqual(expect.arrayContaining(["replica_bucket_arn", "replica_key_arn"]));
  });
});

describe("scale", () => {
  test("the bucket policy and key policy do not grow with the number of accounts", () => {
    const policySize = (accounts: number) => {
      const stack = archiveStack((r) => {
        r.accounts = Array.from({ length: accounts }, (_, i) => ({
          id: String(100000000000 + i),
          name: `a${i}`,
          regions: ["eu-west-1"],
        }));
      });
      return [
        resource(stack, "aws_s3_bucket_policy", "ArchiveBucket/Policy").policy.length,
        resource(stack, "aws_kms_key", "ArchiveKey/Key").policy.length,
      ];
    };
    expect(policySize(150)).toEqual(policySize(1));
  });

  test("access logging can be switched off", () => {
    const stack = archiveStack((r) => (r.archive = { accessLogging: false }));
    expect(resourcesOf(stack, "aws_s3_bucket_logging")).toEqual([]);
    expect(
      resourcesOf(stack, "aws_s3_bucket")
        .map(([, r]) => r.bucket)
        .filter((b) => b.includes("access-logs")),
    ).toEqual([]);
  });
});

describe("log-archive stack with every SIEM option", () => {
  const FORWARDER = "arn:aws:iam::222222222222:role/splunk-heavy-forwarder";
  const stack = archiveStack((r) => {
    r.siem = {
      readers: [FORWARDER],
      sentinel: { workspaceId: "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d", createOidcProvider: false },
      queues: "perPrefix",
    };
    r.sources = { vpcFlowLogs: { enabled: true }, notifySiem: ["vpc-flow-logs"] };
  });

  test("outputs name each source's queue and dead-letter queue, and the Sentinel role", () => {
    expect(Object.keys(stack.output ?? {})).toEqual(
      expect.arrayContaining([
        "siem_queue_url",
        "siem_queue_url_vpc_flow_logs",
        "siem_dead_letter_queue_arn_vpc_flow_logs",
        "sentinel_role_arn",
      ]),
    );
  });

  test("the bucket policy and both key policies admit the named reader, and the keys the Sentinel role", () => {
    const bucket = policyOf(
      resourcesOf(stack, "aws_s3_bucket_policy").find(([, p]) => p.policy.includes("AllowNamedReadersToRead"))![1]
        .policy,
    );
    expect(statement(bucket, "AllowNamedReadersToRead").Resource).toEqual([
      `${BUCKET_ARN}/cloudwatch-logs/*`,
      `${BUCKET_ARN}/vpc-flow-logs/*`,
    ]);
    const archiveKey = policyOf(resource(stack, "aws_kms_key", "ArchiveKey/Key").policy);
    expect(statement(archiveKey, "AllowNamedReadersToDecryptThroughS3").Condition.ArnEquals).toEqual({
      "aws:PrincipalArn": FORWARDER,
    });
    expect(statement(archiveKey, "AllowSiemReaderToDecryptThroughS3").Condition.ArnEquals["aws:PrincipalArn"]).toEqual([
      `arn:aws:iam::${ARCHIVE}:role/cwl-archive-siem-reader`,
      `arn:aws:iam::${ARCHIVE}:role/OIDC_cwl-archive-sentinel`,
    ]);
    // Defender for Cloud's provider is reused: none is created.
    expect(resourcesOf(stack, "aws_iam_openid_connect_provider")).toEqual([]);
  });
});
