/**
 * Amazon SQS: queue attribute ranges, names, dead-letter queues, queue
 * policies, and queues that receive S3 event notifications.
 */
import type { TfJson } from "../../helpers/synth";
import { actionMatches, conditionCount, list, principals, statementsOf, utf8Bytes } from "../lib/policy";
import { defineRule, type Rule } from "../lib/rule";
import { all, arnOf, blocks, literal, partitionOfRegion, refTo, regionOf, unresolved, type Res } from "../lib/tf";
import { uniqueNameRule } from "../lib/unique";

const SERVICE = "sqs";

/** MessageRetentionPeriod when the queue does not set it: 4 days. */
const DEFAULT_RETENTION = 345_600;

const fifo = (q: Res) =>
  q.config.fifo_queue === true || (typeof q.config.name === "string" && q.config.name.endsWith(".fifo"));

interface Redrive {
  readonly source: Res;
  readonly policy: { deadLetterTargetArn?: string; maxReceiveCount?: number };
  readonly dlq: Res | undefined;
}

function redrives(stack: TfJson): Redrive[] {
  return all(stack, "aws_sqs_queue")
    .filter((q) => typeof q.config.redrive_policy === "string")
    .map((source) => {
      const policy = JSON.parse(literal(source.config.redrive_policy));
      return { source, policy, dlq: refTo(stack, policy.deadLetterTargetArn) };
    });
}

export const dlqRetentionLonger = defineRule<Redrive>({
  id: "sqs-dlq-retention-longer-than-source",
  service: SERVICE,
  source:
    "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html",
  description:
    "For standard queues a message keeps its original enqueue timestamp in the dead-letter queue, so the dead-letter " +
    "queue's retention must be longer than the source queue's, or moved messages expire early (AWS: 'always set the " +
    "retention period of a dead-letter queue to be longer than the retention period of the original queue').",
  needs: "siem (the SIEM queue and its dead-letter queue)",
  targets: (stack) => redrives(stack).filter((r) => r.dlq !== undefined),
  address: (r) => r.source.address,
  violations: (r) => {
    const src = r.source.config.message_retention_seconds ?? DEFAULT_RETENTION;
    const dlq = r.dlq!.config.message_retention_seconds ?? DEFAULT_RETENTION;
    return dlq > src
      ? []
      : [`dead-letter queue ${r.dlq!.address} keeps messages ${dlq} s, not longer than the source's ${src} s`];
  },
});

export const dlqSameTypeAndRegion = defineRule<Redrive>({
  id: "sqs-dlq-same-type-and-region",
  service: SERVICE,
  source:
    "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue.html",
  description:
    "'The queue type must match the source queue type—a FIFO queue can only use a FIFO DLQ, and a standard queue can " +
    "only use a standard DLQ.' The dead-letter queue is also in the source's account and Region (AWS SDK guides: " +
    "'must be created using the same AWS account and region'; the developer guide calls it a best practice).",
  needs: "siem",
  targets: (stack) => redrives(stack),
  address: (r) => r.source.address,
  violations: (r, stack) => {
    if (!r.dlq) return [`deadLetterTargetArn ${r.policy.deadLetterTargetArn} is not a queue of this stack`];
    const out: string[] = [];
    if (fifo(r.source) !== fifo(r.dlq))
      out.push(`source is ${fifo(r.source) ? "FIFO" : "standard"}, dead-letter queue ${r.dlq.address} is not`);
    const [a, b] = [regionOf(stack, r.source.config), regionOf(stack, r.dlq.config)];
    if (a !== b) out.push(`source in ${a}, dead-letter queue in ${b}`);
    return out;
  },
});

export const redriveAllowPolicyAdmitsSource = defineRule<Redrive>({
  id: "sqs-redrive-allow-policy-admits-source",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html",
  description:
    "A dead-letter queue's RedriveAllowPolicy decides which source queues may use it: with redrivePermission " +
    "denyAll none may, with byQueue only the queues in sourceQueueArns; the source queue's ARN must be admitted.",
  needs: "siem",
  targets: (stack) => redrives(stack).filter((r) => typeof r.dlq?.config.redrive_allow_policy === "string"),
  address: (r) => r.dlq!.address,
  violations: (r, stack) => {
    const allow = JSON.parse(literal(r.dlq!.config.redrive_allow_policy));
    if (allow.redrivePermission === "allowAll") return [];
    if (allow.redrivePermission === "denyAll")
      return [`redrivePermission denyAll, but ${r.source.address} redrives into it`];
    const sourceArn = arnOf(stack, r.source);
    if (!sourceArn) return [`the ARN of ${r.source.address} is not known from the stack`];
    const admitted = list(allow.sourceQueueArns).map((a) => literal(a));
    return admitted.includes(sourceArn) || admitted.some((a) => refTo(stack, a)?.address === r.source.address)
      ? []
      : [`sourceQueueArns ${JSON.stringify(admitted)} does not admit ${sourceArn}`];
  },
});

const RANGES: readonly [string, number, number, number][] = [
  // argument, minimum, maximum, default
  ["visibility_timeout_seconds", 0, 43_200, 30],
  ["message_retention_seconds", 60, 1_209_600, DEFAULT_RETENTION],
  ["receive_wait_time_seconds", 0, 20, 0],
  ["delay_seconds", 0, 900, 0],
  ["kms_data_key_reuse_period_seconds", 60, 86_400, 300],
];

export const attributeRanges = defineRule<Res>({
  id: "sqs-queue-attribute-ranges",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html",
  description:
    "Queue attributes: VisibilityTimeout 0-43,200 s (12 h), MessageRetentionPeriod 60-1,209,600 s (14 days), " +
    "ReceiveMessageWaitTimeSeconds 0-20, DelaySeconds 0-900, KmsDataKeyReusePeriodSeconds 60-86,400; and a redrive " +
    "policy's maxReceiveCount is a positive integer. (The ranges match the SQS quotas pages; the redrive bound of " +
    "1,000 seen in third-party docs is not checked because no AWS page read states it.)",
  needs: "siem",
  targets: (stack) => all(stack, "aws_sqs_queue"),
  address: (q) => q.address,
  violations: (q) => {
    const out = RANGES.flatMap(([arg, min, max]) => {
      const v = q.config[arg];
      return v === undefined || (Number.isInteger(v) && v >= min && v <= max)
        ? []
        : [`${arg} is ${v}, must be ${min}-${max}`];
    });
    if (typeof q.config.redrive_policy === "string") {
      const count = JSON.parse(literal(q.config.redrive_policy)).maxReceiveCount;
      if (!(Number.isInteger(count) && count >= 1))
        out.push(`redrive maxReceiveCount is ${count}, must be a positive integer`);
    }
    return out;
  },
});

export const queueName = defineRule<Res>({
  id: "sqs-queue-name",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-queues.html",
  description:
    "'A queue name can have up to 80 characters. The following characters are accepted: alphanumeric characters, " +
    "hyphens (-), and underscores (_).' A FIFO queue's name ends in .fifo (counted in the 80), a standard queue's does not.",
  needs: "siem",
  targets: (stack) =>
    all(stack, "aws_sqs_queue").filter((q) => typeof q.config.name === "string" && !unresolved(q.config.name)),
  address: (q) => q.address,
  violations: (q) => {
    const name: string = q.config.name;
    const isFifo = q.config.fifo_queue === true;
    const base = isFifo ? name.replace(/\.fifo$/, "") : name;
    const out: string[] = [];
    if (name.length > 80 || !/^[A-Za-z0-9_-]+$/.test(base))
      out.push(`queue name "${name}" must be 1-80 of [A-Za-z0-9_-]`);
    if (isFifo !== name.endsWith(".fifo"))
      out.push(`queue name "${name}" ${isFifo ? "must" : "must not"} end in .fifo`);
    return out;
  },
});

export const queueNamesUnique = uniqueNameRule({
  id: "sqs-queue-name-unique",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html",
  description:
    "Queue names are unique per account and Region; CreateQueue with an existing name and different attributes " +
    "fails (QueueNameExists), with the same attributes it returns the other stack's queue.",
  needs: "siem",
  type: "aws_sqs_queue",
  nameOf: (c) => c.name,
  perRegion: true,
});

// "Bytes 8,192; Conditions 10; Principals 50; Statements 20; Actions per statement 7."
const QUEUE_POLICY = { bytes: 8_192, statements: 20, principals: 50, conditions: 10, actions: 7 } as const;

export const queuePolicyQuotas = defineRule<Res>({
  id: "sqs-queue-policy-quotas",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-policies.html",
  description:
    "An SQS policy has at most 8,192 bytes, 20 statements, 50 principals, 10 conditions and 7 actions per statement. " +
    "Bytes are UTF-8 bytes as sent, references resolved; principals and conditions are counted over the whole policy " +
    "(the page does not say whether per policy or per statement, so the stricter reading is used).",
  needs: "siem",
  targets: (stack) => all(stack, "aws_sqs_queue_policy"),
  address: (p) => p.address,
  violations: (p, stack) => {
    const out: string[] = [];
    const bytes = utf8Bytes(stack, p.config.policy);
    if (bytes > QUEUE_POLICY.bytes) out.push(`policy is ${bytes} bytes, at most ${QUEUE_POLICY.bytes}`);
    const statements = statementsOf(p.config.policy) ?? [];
    if (statements.length > QUEUE_POLICY.statements)
      out.push(`${statements.length} statements, at most ${QUEUE_POLICY.statements}`);
    const principalCount = statements.reduce((n, s) => n + principals(s).length, 0);
    if (principalCount > QUEUE_POLICY.principals)
      out.push(`${principalCount} principals, at most ${QUEUE_POLICY.principals}`);
    const conditions = statements.reduce((n, s) => n + conditionCount(s), 0);
    if (conditions > QUEUE_POLICY.conditions) out.push(`${conditions} conditions, at most ${QUEUE_POLICY.conditions}`);
    for (const s of statements) {
      const actions = list(s.Action).length;
      if (actions > QUEUE_POLICY.actions)
        out.push(`statement ${s.Sid ?? "(no Sid)"} has ${actions} actions, at most ${QUEUE_POLICY.actions}`);
    }
    return out;
  },
});

function notifiedQueues(stack: TfJson): Res[] {
  const seen = new Map<string, Res>();
  for (const n of all(stack, "aws_s3_bucket_notification")) {
    for (const q of blocks(n.config.queue)) {
      const queue = refTo(stack, q.queue_arn);
      if (queue?.type === "aws_sqs_queue") seen.set(queue.address, queue);
    }
  }
  return [...seen.values()];
}

export const notifiedQueueNotFifo = defineRule<Res>({
  id: "sqs-s3-notification-queue-not-fifo",
  service: SERVICE,
  source:
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-queueconfiguration.html",
  description: "'FIFO queues are not allowed when enabling an SQS queue as the event notification destination.'",
  needs: "siem",
  targets: notifiedQueues,
  address: (q) => q.address,
  violations: (q) => (fifo(q) ? ["receives S3 event notifications but is a FIFO queue"] : []),
});

export const notifiedQueueKeyUsableByS3 = defineRule<Res>({
  id: "sqs-s3-notification-queue-customer-managed-key",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html",
  description:
    "An encrypted queue that receives S3 notifications needs a customer managed key whose policy lets " +
    "s3.amazonaws.com use it (kms:GenerateDataKey, kms:Decrypt); the AWS managed key alias/aws/sqs cannot be used " +
    "because its policy cannot be changed.",
  needs: "siem",
  // The key may be in a key-management account (log-keys), read by alias: follow it across the registry.
  scope: "registry",
  targets: (stack) => notifiedQueues(stack).filter((q) => q.config.kms_master_key_id !== undefined),
  address: (q) => q.address,
  violations: (q, stack) => {
    const keyRef = q.config.kms_master_key_id;
    if (typeof keyRef === "string" && /alias\/aws\/sqs$/.test(keyRef))
      return ["encrypted with alias/aws/sqs, which S3 cannot use"];
    const key = refTo(stack, keyRef) ?? keyReadByAlias(stack, keyRef);
    if (key?.type !== "aws_kms_key") return [`key ${keyRef} is not a key of this stack; its policy cannot be checked`];
    const allowsS3 = (statementsOf(key.config.policy) ?? []).some(
      (s) =>
        s.Effect === "Allow" &&
        principals(s).includes("Service:s3.amazonaws.com") &&
        ["kms:GenerateDataKey", "kms:Decrypt"].every((a) => list(s.Action).some((x) => actionMatches(x, a))),
    );
    return allowsS3 ? [] : [`key ${key.address} does not allow s3.amazonaws.com kms:GenerateDataKey and kms:Decrypt`];
  },
});

/**
 * A key read by a data source (`data.aws_kms_key` with an alias ARN as
 * key_id), found among the registry's keys by the alias that targets it.
 */
function keyReadByAlias(stack: TfJson, ref: unknown) {
  const m = typeof ref === "string" ? /^\$\{data\.aws_kms_key\.([^.}]+)\.arn\}$/.exec(ref) : null;
  const data = m ? stack.data?.aws_kms_key?.[m[1]!] : undefined;
  if (!data) return undefined;
  for (const alias of Object.values(stack.resource?.aws_kms_alias ?? {}) as any[]) {
    if (`arn:${partitionOfRegion(alias.region)}:kms:${alias.region}:${alias.account}:${alias.name}` !== data.key_id)
      continue;
    const key = refTo(stack, String(alias.target_key_id).replace(/\.key_id\}$/, ".arn}"));
    if (key) return key;
  }
  return undefined;
}

export const rules: readonly Rule[] = [
  dlqRetentionLonger,
  dlqSameTypeAndRegion,
  redriveAllowPolicyAdmitsSource,
  attributeRanges,
  queueName,
  queueNamesUnique,
  queuePolicyQuotas,
  notifiedQueueNotFifo,
  notifiedQueueKeyUsableByS3,
];
