/**
 * The SIEM's pull interface: `s3:ObjectCreated:*` events of the data prefix
 * (and of announced direct sources) go to an SQS queue encrypted with a
 * customer-managed key, with a dead-letter queue for notifications the SIEM
 * repeatedly fails to process. With `queuePerPrefix` every announced prefix
 * has its own queue and dead-letter queue: Microsoft Sentinel binds one
 * queue to one log type and one path, and an Elastic Agent integration
 * deletes notifications of keys it does not match.
 * @see https://learn.microsoft.com/en-us/azure/sentinel/connect-aws?tabs=s3#known-issues
 *
 * Standard queues only: S3 cannot notify FIFO queues.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html
 */
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { Construct } from "constructs";
import { ProtectedKey } from "../constructs/protected-key";
import { retire, under } from "../constructs/retirement";
import { arn } from "../naming/arn";
import { siemQueueName, siemQueueSuffix } from "../naming/names";
import { DATA_ROOT } from "../naming/key-layout";
import { policyDocument, toPolicyJson } from "../policy/document";
import { queueKeyPolicy, queuePolicy, type ArchiveContext } from "../policy/archive-policies";
import { namedReadersConsume } from "../policy/siem-policies";
import { denyInsecureTransport } from "../policy/statements";
import { formatSettingProblem, throwIfProblems } from "../constructs/validation";
import { siemQueueProblems } from "./archive-rules";

/** The dead-letter queue keeps messages for the SQS maximum, always longer than the source queue. */
export const DEAD_LETTER_RETENTION_SECONDS = 1_209_600;

/** The SIEM's notification queue. */
export interface SiemQueueSettings {
  /** Visibility timeout of a received notification, in seconds (0-43200). @default 300 (in LogArchive) */
  readonly visibilityTimeoutSeconds: number;
  /**
   * Retention of unread notifications, in seconds (60-1209599; the dead-letter queue keeps them longer).
   * @default 345600, four days (in LogArchive)
   */
  readonly messageRetentionSeconds: number;
  /** Receives before a notification moves to the dead-letter queue. @default 10 (in LogArchive) */
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
  /**
   * One queue (with its dead-letter queue) per announced prefix instead of
   * one for all. The data prefix keeps the queue `names.queue`; a direct
   * source's queue is named after its root (`<queue>-cloudtrail`).
   * @default false
   */
  readonly queuePerPrefix?: boolean;
  /**
   * Roles of the log-archive account that consume the queues (the SIEM
   * reader, the Sentinel role): the queue key lets them decrypt through SQS.
   * @default - the SIEM reader role of `names`
   */
  readonly readerRoleArns?: readonly string[];
  /**
   * Principals of any account that consume the queues directly (registry
   * siem.readers): admitted by the queue policies and the queue key.
   * @default - none
   */
  readonly namedReaders?: readonly string[];
  /**
   * Roles of the log-archive account that re-announce objects and redrive
   * dead letters (the SIEM operator): the queue key lets them encrypt and
   * decrypt through SQS. Never a SIEM's principal.
   * @default - none: only S3 sends to the queues
   */
  readonly operatorRoleArns?: readonly string[];
}

/** One notification queue, its dead-letter queue, and the prefixes it announces. */
export interface SiemQueue {
  /** The announced prefixes (one with `queuePerPrefix`). */
  readonly prefixes: readonly string[];
  /** `""` for the data prefix's queue, else the source's root without its slash (`cloudtrail`). */
  readonly suffix: string;
  readonly name: string;
  readonly arn: string;
  readonly deadLetterName: string;
  readonly deadLetterArn: string;
  readonly queue: SqsQueue;
  readonly deadLetterQueue: SqsQueue;
}

/**
 * SQS accepts a visibility timeout of 0-43200 s and a retention of
 * 60-1209600 s; the notification queue keeps messages for less than the
 * dead-letter queue, because a message keeps its first enqueue time when it is
 * moved there. A redrive policy moves a message after 5 to 1000 receives
 * (SIEM_MAX_RECEIVE_COUNT).
 * S3 rejects notification configurations whose prefixes overlap.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_FilterRule.html
 */
function siemNotificationsProblems(props: SiemNotificationsProps): string[] {
  const problems: string[] = [];
  const { siem } = props;
  // The bounds and messages LogArchive's registry uses too.
  problems.push(...siemQueueProblems(siem).map(formatSettingProblem));
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

/** `cloudtrail/` -> `cloudtrail`: the same naming the replay checks queue URLs against. */
const suffixOf = siemQueueSuffix;

export class SiemNotifications extends Construct {
  /** The queues' key, when created here. */
  readonly key?: ProtectedKey;
  /** ARN of the queues' key, here or in the key-management account. */
  readonly keyArn: string;
  /** The data prefix's queue (every prefix's, unless `queuePerPrefix`). */
  readonly queue: SqsQueue;
  readonly deadLetterQueue: SqsQueue;
  /** Every queue, the data prefix's first. */
  readonly queues: SiemQueue[] = [];
  readonly notification: S3BucketNotification;

  constructor(scope: Construct, id: string, props: SiemNotificationsProps) {
    super(scope, id);
    const problems = siemNotificationsProblems(props);
    throwIfProblems("SiemNotifications", this, problems);
    const { context, siem, names } = props;
    const namedReaders = props.namedReaders ?? [];

    if (props.queueKeyArn !== undefined) {
      this.keyArn = props.queueKeyArn;
      // The key the queues used before the keys moved stays in AWS.
      retire(this, under("QueueKey", ProtectedKey.PROTECTED_CHILDREN));
    } else {
      this.key = new ProtectedKey(this, "QueueKey", {
        description: "Encrypts the SIEM notification queues of the CloudWatch Logs archive",
        alias: names.queueKeyAlias,
        statements: queueKeyPolicy(
          context,
          props.readerRoleArns ?? [names.siemReaderRoleArn],
          namedReaders,
          props.operatorRoleArns ?? [],
        ),
      });
      this.keyArn = this.key.arn;
    }

    const prefixes = [DATA_ROOT, ...(props.extraPrefixes ?? [])];
    const groups = props.queuePerPrefix === true ? prefixes.map((p) => [p]) : [prefixes];
    const policies: SqsQueuePolicy[] = [];
    for (const group of groups) {
      const suffix = suffixOf(group[0]!);
      const queued = this.addQueue(context, siem, names.queue, suffix, namedReaders, policies);
      this.queues.push({ prefixes: group, ...queued });
    }
    this.queue = this.queues[0]!.queue;
    this.deadLetterQueue = this.queues[0]!.deadLetterQueue;

    this.notification = new S3BucketNotification(this, "BucketNotification", {
      bucket: props.bucketName,
      eventbridge: props.eventBridge === true ? true : undefined,
      // Data prefixes only: error objects hold raw records a SIEM cannot parse.
      queue: this.queues.flatMap((q) =>
        q.prefixes.map((prefix) => ({
          id: prefix === DATA_ROOT ? "siem-data-objects" : `siem-${suffixOf(prefix)}-objects`,
          queueArn: q.queue.arn,
          events: ["s3:ObjectCreated:*"],
          filterPrefix: prefix,
        })),
      ),
      // S3 sends a test event when the configuration is put, and rejects it
      // unless the queue policy and key policy already admit it.
      dependsOn: [...policies, ...(this.key ? [this.key.resource] : [])],
    });
  }

  /**
   * A queue and its dead-letter queue. The data prefix's keep the ids and
   * names they always had (`Queue`, `DeadLetterQueue`, `Policy`).
   */
  private addQueue(
    context: ArchiveContext,
    siem: SiemQueueSettings,
    baseName: string,
    suffix: string,
    namedReaders: readonly string[],
    policies: SqsQueuePolicy[],
  ): Omit<SiemQueue, "prefixes"> {
    const id = (base: string) => (suffix === "" ? base : `${base}-${suffix}`);
    const name = siemQueueName(baseName, suffix === "" ? DATA_ROOT : `${suffix}/`);
    const deadLetterName = `${name}-dlq`;
    const queueArnOf = (queue: string) =>
      arn({ service: "sqs", region: context.archiveRegion, account: context.archiveAccountId, resource: queue });

    const deadLetterQueue = new SqsQueue(this, id("DeadLetterQueue"), {
      name: deadLetterName,
      kmsMasterKeyId: this.keyArn,
      messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
    });

    const queue = new SqsQueue(this, id("Queue"), {
      name,
      kmsMasterKeyId: this.keyArn,
      // Data keys are reused for 5 minutes: fewer KMS calls, same protection.
      kmsDataKeyReusePeriodSeconds: 300,
      visibilityTimeoutSeconds: siem.visibilityTimeoutSeconds,
      messageRetentionSeconds: siem.messageRetentionSeconds,
      // Long polling: fewer empty receives for the SIEM.
      receiveWaitTimeSeconds: 20,
      redrivePolicy: JSON.stringify({
        deadLetterTargetArn: deadLetterQueue.arn,
        maxReceiveCount: siem.maxReceiveCount,
      }),
    });

    // Only its notification queue may use the dead-letter queue.
    deadLetterQueue.addOverride(
      "redrive_allow_policy",
      JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [queueArnOf(name)] }),
    );

    policies.push(
      new SqsQueuePolicy(this, id("Policy"), {
        queueUrl: queue.url,
        policy: toPolicyJson(policyDocument(queuePolicy(context, queueArnOf(name), namedReaders))),
      }),
    );
    if (namedReaders.length > 0) {
      // Named readers may drain the dead-letter queue too, as the reader role may by its own
      // policy: the SIEM consumes its dead letters. Redriving them is the operator's.
      new SqsQueuePolicy(this, id("DeadLetterPolicy"), {
        queueUrl: deadLetterQueue.url,
        policy: toPolicyJson(
          policyDocument(
            namedReadersConsume(queueArnOf(deadLetterName), namedReaders),
            denyInsecureTransport("sqs:*", [queueArnOf(deadLetterName)]),
          ),
        ),
      });
    }
    return {
      suffix,
      name,
      arn: queueArnOf(name),
      deadLetterName,
      deadLetterArn: queueArnOf(deadLetterName),
      queue,
      deadLetterQueue,
    };
  }
}
