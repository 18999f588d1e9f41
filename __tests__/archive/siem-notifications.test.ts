import type { TerraformStack } from "cdktf";
import {
  DEAD_LETTER_RETENTION_SECONDS,
  SiemNotifications,
  type SiemNotificationsProps,
} from "../../modules/archive/siem-notifications";
import { archiveNames } from "../../modules/naming/names";
import type { ArchiveContext } from "../../modules/policy/archive-policies";
import { addressOf, errorsOf, ref, synthConstruct } from "../helpers/construct";
import { policyOf, resource, statement } from "../helpers/synth";

const ACCOUNT = "111111111111";
const names = archiveNames({ prefix: "cwl-archive", archiveAccountId: ACCOUNT, archiveRegion: "eu-west-1" });
const CONTEXT: ArchiveContext = {
  organizationId: "o-a1b2c3d4e5",
  archiveAccountId: ACCOUNT,
  archiveRegion: "eu-west-1",
  archiveBucketArn: names.archiveBucketArn,
  deliveryRoleArnPattern: names.deliveryRoleArnPattern,
};
const PROPS: SiemNotificationsProps = {
  context: CONTEXT,
  siem: { visibilityTimeoutSeconds: 300, messageRetentionSeconds: 345600, maxReceiveCount: 10 },
  names,
  bucketName: names.archiveBucket,
  operatorRoleArns: [names.siemOperatorRoleArn],
};

function build(props: Partial<SiemNotificationsProps> = {}) {
  return (stack: TerraformStack) => new SiemNotifications(stack, "Siem", { ...PROPS, ...props });
}

function withSiem(siem: Partial<SiemNotificationsProps["siem"]>) {
  return build({ siem: { ...PROPS.siem, ...siem } });
}

describe("SiemNotifications", () => {
  describe("GIVEN the queue settings and no extra prefix", () => {
    const tf = synthConstruct(build());
    const keyArn = ref(tf, "aws_kms_key", "Siem/QueueKey/Key", "arn");
    const queue = resource(tf, "aws_sqs_queue", "Siem/Queue");

    test("THEN the queue is encrypted with its own key and keeps the set visibility timeout and retention, with long polling", () => {
      expect(queue).toMatchObject({
        name: "cwl-archive-siem-notifications",
        kms_master_key_id: keyArn,
        kms_data_key_reuse_period_seconds: 300,
        visibility_timeout_seconds: 300,
        message_retention_seconds: 345600,
        receive_wait_time_seconds: 20,
      });
      expect(resource(tf, "aws_kms_alias", "Siem/QueueKey/Alias").name).toBe("alias/cwl-archive-siem-queue");
    });

    test("THEN notifications received too often move to a dead-letter queue that keeps them 14 days", () => {
      expect(JSON.parse(queue.redrive_policy)).toEqual({
        deadLetterTargetArn: ref(tf, "aws_sqs_queue", "Siem/DeadLetterQueue", "arn"),
        maxReceiveCount: 10,
      });
      const dlq = resource(tf, "aws_sqs_queue", "Siem/DeadLetterQueue");
      expect(dlq).toMatchObject({
        name: "cwl-archive-siem-notifications-dlq",
        kms_master_key_id: keyArn,
        message_retention_seconds: DEAD_LETTER_RETENTION_SECONDS,
      });
      expect(JSON.parse(dlq.redrive_allow_policy)).toEqual({
        redrivePermission: "byQueue",
        sourceQueueArns: [names.queueArn],
      });
    });

    test("THEN only S3 for the archive bucket may send, over TLS, and S3 and the SIEM reader may use the key", () => {
      const queuePolicy = resource(tf, "aws_sqs_queue_policy", "Siem/Policy");
      expect(queuePolicy.queue_url).toBe(ref(tf, "aws_sqs_queue", "Siem/Queue", "url"));
      const policy = policyOf(queuePolicy.policy);
      expect(statement(policy, "AllowArchiveBucketNotifications").Condition).toEqual({
        StringEquals: { "aws:SourceAccount": ACCOUNT },
        ArnLike: { "aws:SourceArn": names.archiveBucketArn },
      });
      expect(statement(policy, "DenyInsecureTransport").Effect).toBe("Deny");
      const keyPolicy = policyOf(resource(tf, "aws_kms_key", "Siem/QueueKey/Key").policy);
      expect(keyPolicy.Statement.map((s) => s.Sid)).toEqual([
        "AccountAdministersKey",
        "AllowS3NotificationsToUseKey",
        "AllowSiemReaderToDecryptThroughSqs",
        "AllowSiemOperatorToUseKeyThroughSqs",
      ]);
      // Only the operator role sends (replay, redrive), and only through SQS;
      // the reader, which a vendor may assume, only decrypts.
      expect(statement(keyPolicy, "AllowSiemOperatorToUseKeyThroughSqs")).toMatchObject({
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Condition: {
          StringEquals: { "kms:ViaService": "sqs.eu-west-1.amazonaws.com" },
          ArnEquals: { "aws:PrincipalArn": names.siemOperatorRoleArn },
        },
      });
      expect(statement(keyPolicy, "AllowSiemReaderToDecryptThroughSqs").Action).toEqual(["kms:Decrypt"]);
    });

    test("THEN without operator roles nobody but S3 may encrypt with the queue key", () => {
      const bare = synthConstruct(build({ operatorRoleArns: undefined }));
      const keyPolicy = policyOf(resource(bare, "aws_kms_key", "Siem/QueueKey/Key").policy);
      expect(keyPolicy.Statement.map((s) => s.Sid)).not.toContain("AllowSiemOperatorToUseKeyThroughSqs");
    });

    test("THEN new objects of the data prefix only are announced, once the queue and key policies admit S3", () => {
      const notification = resource(tf, "aws_s3_bucket_notification", "Siem/BucketNotification");
      expect(notification.bucket).toBe(names.archiveBucket);
      expect(notification.queue).toEqual([
        {
          id: "siem-data-objects",
          queue_arn: ref(tf, "aws_sqs_queue", "Siem/Queue", "arn"),
          events: ["s3:ObjectCreated:*"],
          filter_prefix: "cloudwatch-logs/",
        },
      ]);
      expect(notification.depends_on).toEqual([
        addressOf(tf, "aws_sqs_queue_policy", "Siem/Policy"),
        addressOf(tf, "aws_kms_key", "Siem/QueueKey/Key"),
      ]);
    });
  });

  test("GIVEN extra prefixes THEN their new objects are announced too, each under its own id", () => {
    const tf = synthConstruct(build({ extraPrefixes: ["cloudtrail/", "vpc-flow-logs/"] }));

    const queue = resource(tf, "aws_s3_bucket_notification", "Siem/BucketNotification").queue;
    expect(queue.map((q: { id: string; filter_prefix: string }) => [q.id, q.filter_prefix])).toEqual([
      ["siem-data-objects", "cloudwatch-logs/"],
      ["siem-cloudtrail-objects", "cloudtrail/"],
      ["siem-vpc-flow-logs-objects", "vpc-flow-logs/"],
    ]);
  });

  describe("GIVEN a queue per prefix", () => {
    const tf = synthConstruct(build({ extraPrefixes: ["cloudtrail/", "vpc-flow-logs/"], queuePerPrefix: true }));
    const queueRef = (id: string) => ref(tf, "aws_sqs_queue", `Siem/${id}`, "arn");

    test("THEN the data prefix keeps its queue and every other prefix has its own queue and dead-letter queue", () => {
      expect(resource(tf, "aws_sqs_queue", "Siem/Queue").name).toBe("cwl-archive-siem-notifications");
      for (const source of ["cloudtrail", "vpc-flow-logs"]) {
        const queue = resource(tf, "aws_sqs_queue", `Siem/Queue-${source}`);
        expect(queue.name).toBe(`cwl-archive-siem-notifications-${source}`);
        expect(JSON.parse(queue.redrive_policy).deadLetterTargetArn).toBe(queueRef(`DeadLetterQueue-${source}`));
        const dlq = resource(tf, "aws_sqs_queue", `Siem/DeadLetterQueue-${source}`);
        expect(dlq.name).toBe(`cwl-archive-siem-notifications-${source}-dlq`);
        expect(JSON.parse(dlq.redrive_allow_policy).sourceQueueArns).toEqual([
          `arn:aws:sqs:eu-west-1:${ACCOUNT}:cwl-archive-siem-notifications-${source}`,
        ]);
        const policy = policyOf(resource(tf, "aws_sqs_queue_policy", `Siem/Policy-${source}`).policy);
        expect(statement(policy, "AllowArchiveBucketNotifications").Resource).toBe(
          `arn:aws:sqs:eu-west-1:${ACCOUNT}:cwl-archive-siem-notifications-${source}`,
        );
      }
    });

    test("THEN each prefix is announced on its own queue, with prefixes that do not overlap", () => {
      const queue = resource(tf, "aws_s3_bucket_notification", "Siem/BucketNotification").queue;
      expect(queue.map((q: { filter_prefix: string; queue_arn: string }) => [q.filter_prefix, q.queue_arn])).toEqual([
        ["cloudwatch-logs/", queueRef("Queue")],
        ["cloudtrail/", queueRef("Queue-cloudtrail")],
        ["vpc-flow-logs/", queueRef("Queue-vpc-flow-logs")],
      ]);
      // S3 rejects a configuration whose prefixes overlap (one a prefix of another).
      const prefixes: string[] = queue.map((q: { filter_prefix: string }) => q.filter_prefix);
      for (const a of prefixes) for (const b of prefixes) if (a !== b) expect(b.startsWith(a)).toBe(false);
      expect(resource(tf, "aws_s3_bucket_notification", "Siem/BucketNotification").depends_on).toEqual([
        addressOf(tf, "aws_sqs_queue_policy", "Siem/Policy"),
        addressOf(tf, "aws_sqs_queue_policy", "Siem/Policy-cloudtrail"),
        addressOf(tf, "aws_sqs_queue_policy", "Siem/Policy-vpc-flow-logs"),
        addressOf(tf, "aws_kms_key", "Siem/QueueKey/Key"),
      ]);
    });
  });

  describe("GIVEN named readers and a second reader role", () => {
    const FORWARDER = "arn:aws:iam::222222222222:role/splunk-forwarder";
    const tf = synthConstruct(
      build({ namedReaders: [FORWARDER], readerRoleArns: [names.siemReaderRoleArn, names.sentinelRoleArn] }),
    );

    test("THEN the queue and its dead-letter queue admit the readers to consume, through their account", () => {
      for (const [id, queue] of [
        ["Policy", names.queueArn],
        ["DeadLetterPolicy", `${names.queueArn}-dlq`],
      ] as const) {
        const policy = policyOf(resource(tf, "aws_sqs_queue_policy", `Siem/${id}`).policy);
        expect(statement(policy, "AllowNamedReadersToConsume")).toEqual({
          Sid: "AllowNamedReadersToConsume",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::222222222222:root" },
          Action: [
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:ReceiveMessage",
          ],
          Resource: queue,
          Condition: { ArnEquals: { "aws:PrincipalArn": FORWARDER } },
        });
        expect(statement(policy, "DenyInsecureTransport").Effect).toBe("Deny");
      }
    });

    test("THEN the queue key lets both roles and the readers decrypt through SQS only", () => {
      const keyPolicy = policyOf(resource(tf, "aws_kms_key", "Siem/QueueKey/Key").policy);
      expect(statement(keyPolicy, "AllowSiemReaderToDecryptThroughSqs").Condition.ArnEquals).toEqual({
        "aws:PrincipalArn": [names.siemReaderRoleArn, names.sentinelRoleArn],
      });
      expect(statement(keyPolicy, "AllowNamedReadersToDecryptThroughSqs").Condition).toEqual({
        ArnEquals: { "aws:PrincipalArn": FORWARDER },
        StringEquals: { "kms:ViaService": "sqs.eu-west-1.amazonaws.com" },
      });
    });
  });

  test("GIVEN no named reader THEN the dead-letter queue has no policy (as before)", () => {
    const tf = synthConstruct(build());
    expect(() => resource(tf, "aws_sqs_queue_policy", "Siem/DeadLetterPolicy")).toThrow();
  });

  describe("validation", () => {
    test.each([0, 43200])("accepts a visibility timeout of %p seconds", (visibilityTimeoutSeconds) => {
      expect(() => synthConstruct(withSiem({ visibilityTimeoutSeconds }))).not.toThrow();
    });

    test.each([-1, 43201])("fails GIVEN a visibility timeout of %p seconds", (visibilityTimeoutSeconds) => {
      expect(errorsOf(withSiem({ visibilityTimeoutSeconds }))).toEqual([
        `SiemNotifications test/Siem: siem.visibilityTimeoutSeconds: expected an SQS visibility timeout in seconds: an integer from 0 to 43200, got ${visibilityTimeoutSeconds}`,
      ]);
    });

    test.each([60, 1209599])("accepts a retention of %p seconds", (messageRetentionSeconds) => {
      expect(() => synthConstruct(withSiem({ messageRetentionSeconds }))).not.toThrow();
    });

    test.each([59, 1209600])(
      "fails GIVEN a retention of %p seconds (the dead-letter queue must keep notifications longer)",
      (messageRetentionSeconds) => {
        expect(errorsOf(withSiem({ messageRetentionSeconds }))).toEqual([
          `SiemNotifications test/Siem: siem.messageRetentionSeconds: expected an SQS retention period in seconds: an integer from 60 to 1209599, got ${messageRetentionSeconds}`,
        ]);
      },
    );

    test.each([5, 1000])("accepts a notification moved after %p receives", (maxReceiveCount) => {
      expect(() => synthConstruct(withSiem({ maxReceiveCount }))).not.toThrow();
    });

    // SQS takes 1 to 1000; AWS recommends at least 5, which the registry and LogArchive require.
    test.each([0, 1.5, 4, 1001])("fails GIVEN %p receives before the dead-letter queue", (maxReceiveCount) => {
      expect(errorsOf(withSiem({ maxReceiveCount }))).toEqual([
        `SiemNotifications test/Siem: siem.maxReceiveCount: expected a maxReceiveCount: an integer from 5 to 1000, got ${maxReceiveCount}`,
      ]);
    });

    test.each<[string[], number, string, string]>([
      [["cloudwatch-logs/"], 0, "cloudwatch-logs/", "cloudwatch-logs/"],
      [["cloudwatch-logs/extra/"], 0, "cloudwatch-logs/extra/", "cloudwatch-logs/"],
      [["cloud"], 0, "cloud", "cloudwatch-logs/"],
      [["cloudtrail/", "cloudtrail/"], 1, "cloudtrail/", "cloudtrail/"],
    ])("fails GIVEN the extra prefixes %j, which S3 rejects as overlapping", (extraPrefixes, index, prefix, other) => {
      expect(errorsOf(build({ extraPrefixes }))).toEqual([
        `SiemNotifications test/Siem: extraPrefixes[${index}]: expected a prefix that overlaps no other notified prefix, got ${JSON.stringify(prefix)}, which overlaps ${JSON.stringify(other)}`,
      ]);
    });

    test("fails with every problem at once, one line each", () => {
      const errors = errorsOf(
        build({ siem: { visibilityTimeoutSeconds: -1, messageRetentionSeconds: 1, maxReceiveCount: 0 } }),
      );
      expect(errors.map((e) => e.split(": ")[1])).toEqual([
        "siem.visibilityTimeoutSeconds",
        "siem.messageRetentionSeconds",
        "siem.maxReceiveCount",
      ]);
    });
  });
});
