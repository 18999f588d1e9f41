/**
 * The SIEM's pull interface: `s3:ObjectCreated:*` events of the data prefix
 * go to an SQS queue encrypted with a customer-managed key, with a
 * dead-letter queue for notifications the SIEM repeatedly fails to process.
 *
 * Standard queues only: S3 cannot notify FIFO queues.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html
 */
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { ProtectedKey } from "../constructs/protected-key";
import { retire, under } from "../constructs/retirement";
import { DATA_ROOT } from "../naming/key-layout";
import { policyDocument, toPolicyJson } from "../policy/document";
import { queueKeyPolicy, queuePolicy, type ArchiveContext } from "../policy/archive-policies";

/** The dead-letter queue keeps messages for the SQS maximum, always longer than the source queue. */
export const DEAD_LETTER_RETENTION_SECONDS = 1_209_600;

/** The SIEM's notification queue. */
export interface SiemQueueSettings {
  /** Visibility timeout of a received notification, in seconds (0-43200). */
  readonly visibilityTimeoutSeconds: number;
  /** Retention of unread notifications, in seconds (60-1209599; the dead-letter queue keeps them longer). */
  readonly messageRetentionSeconds: number;
  /** Receives before a notification moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
}

export interface SiemNotificationsProps {
  readonly context: ArchiveContext;
  /** Queue settings of the SIEM's notification queue. */
  readonly siem: SiemQueueSettings;
  readonly names: {
    readonly queue: string;
    readonly queueArn: string;
    readonly deadLetterQueue: string;
    readonly queueKeyAlias: string;
    readonly siemReaderRoleArn: string;
  };
  /** Name of the archive bucket whose events are sent. */
  readonly bucketName: string;
  /** Prefixes of direct sources also announced to the SIEM. @default - the CloudWatch Logs data prefix only */
  readonly extraPrefixes?: readonly string[];
  /**
   * Also send every event of the bucket to EventBridge (for the delivery
   * watch). One notification configuration per bucket holds both.
   * @default false
   */
  readonly eventBridge?: boolean;
  /**
   * ARN of the queues' key when a key-management account holds it: no key
   * is created here.
   * @default - a key created here, with the queue key policy of `context`
   */
  readonly queueKeyArn?: string;
}

/**
 * SQS accepts a visibility timeout of 0-43200 s and a retention of
 * 60-1209600 s; the notification queue keeps messages for less than the
 * dead-letter queue, because a message keeps its first enqueue time when it is
 * moved there. A redrive policy moves a message after at least one receive.
 * S3 rejects notification configurations whose prefixes overlap.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_FilterRule.html
 */
function siemNotificationsProblems(props: SiemNotificationsProps): string[] {
  const problems: string[] = [];
  const range = (prop: string, value: number, min: number, max: number, unit: string) => {
    if (Token.isUnresolved(value) || (Number.isInteger(value) && value >= min && value <= max)) return;
    problems.push(`${prop}: expected a whole number of ${unit} from ${min} to ${max}, got ${value}`);
  };
  const { siem } = props;
  range("siem.visibilityTimeoutSeconds", siem.visibilityTimeoutSeconds, 0, 43_200, "seconds");
  range("siem.messageRetentionSeconds", siem.messageRetentionSeconds, 60, DEAD_LETTER_RETENTION_SECONDS - 1, "seconds");
  const receives = siem.maxReceiveCount;
  if (!Token.isUnresolved(receives) && !(Number.isInteger(receives) && receives >= 1)) {
    problems.push(`siem.maxReceiveCount: expected a whole number of receives of at least 1, got ${receives}`);
  }
  const prefixes = [DATA_ROOT, ...(props.extraPrefixes ?? [])];
  prefixes.forEach((prefix, j) => {
    const earlier = prefixes.slice(0, j).find((p) => p.startsWith(prefix) || prefix.startsWith(p));
    if (earlier !== undefined) {
      problems.push(
        `extraPrefixes[${j - 1}]: expected a prefix that overlaps no other notified prefix, got ${JSON.stringify(prefix)}, which overlaps ${JSON.stringify(earlier)}`,
      );
    }
  });
  return problems;
}

export class SiemNotifications extends Construct {
  /** The queues' key, when created here. */
  readonly key?: ProtectedKey;
  /** ARN of the queues' key, here or in the key-management account. */
  readonly keyArn: string;
  readonly queue: SqsQueue;
  readonly deadLetterQueue: SqsQueue;
  readonly notification: S3BucketNotification;

  constructor(scope: Construct, id: string, props: SiemNotificationsProps) {
    super(scope, id);
    const problems = siemNotificationsProblems(props);
    if (problems.length > 0)
      throw new Error(problems.map((p) => `SiemNotifications ${this.node.path}: ${p}`).join("\n"));
    const { context, siem, names } = props;

    if (props.queueKeyArn !== undefined) {
      this.keyArn = props.queueKeyArn;
      // The key the queues used before the keys moved stays in AWS.
      retire(this, under("QueueKey", ProtectedKey.PROTECTED_CHILDREN));
    } else {
      this.key = new ProtectedKey(this, "QueueKey", {
        description: "Encrypts the SIEM notification queues of the CloudWatch Logs archive",
        alias: names.queueKeyAlias,
        statements: queueKeyPolicy(context, names.siemReaderRoleArn),
      });
      this.keyArn = this.key.arn;
    }

    this.deadLetterQueue = new SqsQueue(this, "DeadLetterQueue", {
      name: names.deadLetterQueue,
      kmsMasterKeyId: this.keyArn,
      messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
    });

    this.queue = new SqsQueue(this, "Queue", {
      name: names.queue,
      kmsMasterKeyId: this.keyArn,
      // Data keys are reused for 5 minutes: fewer KMS calls, same protection.
      kmsDataKeyReusePeriodSeconds: 300,
      visibilityTimeoutSeconds: siem.visibilityTimeoutSeconds,
      messageRetentionSeconds: siem.messageRetentionSeconds,
      // Long polling: fewer empty receives for the SIEM.
      receiveWaitTimeSeconds: 20,
      redrivePolicy: JSON.stringify({
        deadLetterTargetArn: this.deadLetterQueue.arn,
        maxReceiveCount: siem.maxReceiveCount,
      }),
    });

    // Only the notification queue may use the dead-letter queue.
    this.deadLetterQueue.addOverride(
      "redrive_allow_policy",
      JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [names.queueArn] }),
    );

    const policy = new SqsQueuePolicy(this, "Policy", {
      queueUrl: this.queue.url,
      policy: toPolicyJson(policyDocument(queuePolicy(context, names.queueArn))),
    });

    this.notification = new S3BucketNotification(this, "BucketNotification", {
      bucket: props.bucketName,
      eventbridge: props.eventBridge === true ? true : undefined,
      // Data prefixes only: error objects hold raw records a SIEM cannot parse.
      queue: [DATA_ROOT, ...(props.extraPrefixes ?? [])].map((prefix) => ({
        id: prefix === DATA_ROOT ? "siem-data-objects" : `siem-${prefix.replace(/\/$/, "")}-objects`,
        queueArn: this.queue.arn,
        events: ["s3:ObjectCreated:*"],
        filterPrefix: prefix,
      })),
      // S3 sends a test event when the configuration is put, and rejects it
      // unless the queue policy and key policy already admit it.
      dependsOn: [policy, ...(this.key ? [this.key.resource] : [])],
    });
  }
}
