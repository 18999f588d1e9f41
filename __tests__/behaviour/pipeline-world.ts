/**
 * A world for playing alarms: minute by minute, what happens to the pipeline
 * (records into the streams, deliveries, the SIEM queue, replication, the
 * delivery watch) under scripted conditions, and the metric samples AWS
 * publishes from it. Test support for alarms-over-timelines.test.ts.
 *
 * The metric table (METRICS) is keyed by `<namespace> <metric name>`: for each
 * metric an alarm of the stacks reads, when AWS publishes it for the resource
 * the alarm's dimensions name, the values it can take, and its sample in a
 * given minute of the world. An alarm on a metric missing from the table fails
 * the check: a new alarm has to be thought about before it ships.
 *
 * Modelling choices, where AWS does not say (each is the pessimistic one for
 * the alarms that read it):
 * - a metric is published only in minutes with activity (no zero datapoints
 *   for an idle stream), which is what makes missing-data treatment matter;
 * - every healthy source sends one heartbeat record per heartbeat interval, all
 *   at the same minute (fewest distinct minutes with records);
 * - Firehose delivers a buffer when its oldest record is as old as the
 *   buffering interval (the size hint is ignored), and retries a failed
 *   delivery every minute: to S3 for up to 24 hours, to OpenSearch for the
 *   stream's retry duration, after which the records go to the backup prefix.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html
 * @see https://docs.aws.amazon.com/firehose/latest/dev/basic-deliver.html
 */
import type { TfJson } from "../helpers/synth";
import type { MetricRef, Sample } from "./cloudwatch-alarm";

// ---------------------------------------------------------------------------
// Conditions and scenarios
// ---------------------------------------------------------------------------

/** What holds in a minute of the world. */
export interface Conditions {
  /** Records per minute every stream receives on top of the heartbeat. */
  readonly workload: number;
  /** Nothing reaches the streams: a subscription, its role or the stream is broken. */
  readonly broken: boolean;
  /** Ingestion exceeds the stream's limits: a fifth of the records are throttled. */
  readonly throttled: boolean;
  /** PUTs into the archive bucket fail (the delivery role, the bucket policy or the key). */
  readonly deliveryFails: boolean;
  /** Central streams hold more active partitions than their quota. */
  readonly partitionsExceeded: boolean;
  /** The SIEM stops reading its queue. */
  readonly siemStalled: boolean;
  /** Notifications the SIEM failed on sit in the dead-letter queue. */
  readonly deadLetters: boolean;
  /** Objects fail to replicate to the replica bucket. */
  readonly replicationFails: boolean;
  /** Runs of the delivery watch fail. */
  readonly watchFails: boolean;
  /** The delivery watch is not invoked (its schedule or permission is broken). */
  readonly watchStopped: boolean;
  /** OpenSearch refuses documents. */
  readonly indexFails: boolean;
  /** The search transform function fails. */
  readonly transformFails: boolean;
  /** The search transform marks records ProcessingFailed (undecodable, too large). */
  readonly transformRejects: boolean;
  /** GiB the Athena queries of every workgroup scan each minute (all of them succeed). */
  readonly scannedGiBPerMinute: number;
}

export const HEALTHY: Conditions = {
  workload: 0,
  broken: false,
  throttled: false,
  deliveryFails: false,
  partitionsExceeded: false,
  siemStalled: false,
  deadLetters: false,
  replicationFails: false,
  watchFails: false,
  watchStopped: false,
  indexFails: false,
  transformFails: false,
  transformRejects: false,
  scannedGiBPerMinute: 0,
};

export interface Phase {
  readonly name: string;
  readonly minutes: number;
  readonly conditions?: Partial<Conditions>;
}

/** The conditions of every minute of the phases. */
export function minutesOf(phases: readonly Phase[]): Conditions[] {
  return phases.flatMap((p) => Array.from({ length: p.minutes }, () => ({ ...HEALTHY, ...p.conditions })));
}

// ---------------------------------------------------------------------------
// The resources an alarm watches, from its dimensions and the stack
// ---------------------------------------------------------------------------

/** A delivery stream, as far as its metrics are concerned. */
export interface StreamModel {
  readonly kind: "stream";
  readonly address: string;
  /** Direct PUT (CloudWatch Logs subscriptions or a destination) or a Kinesis data stream. */
  readonly source: "directPut" | "kinesis";
  readonly destination: "s3" | "opensearch";
  readonly bufferSeconds: number;
  /** Seconds a failed delivery is retried before the records go to the error or backup prefix. */
  readonly retrySeconds: number;
  /** A Lambda function transforms the records. */
  readonly lambdaProcessor: boolean;
  /** Active-partition quota when the stream partitions dynamically. */
  readonly partitionQuota?: number;
}

export type ResourceModel =
  | StreamModel
  | { readonly kind: "kinesis"; readonly address: string; readonly reader: StreamModel }
  | { readonly kind: "queue"; readonly deadLetter: boolean }
  | { readonly kind: "replication" }
  | { readonly kind: "function"; readonly everyMinutes?: number; readonly processorOf?: StreamModel }
  | {
      readonly kind: "workgroup";
      /** The workgroup publishes query metrics (publish_cloudwatch_metrics_enabled). */
      readonly publishes: boolean;
      readonly queryState: string;
      readonly queryType: string;
    };

/** What the registry says about every stream: the heartbeat, and the central streams' partition quota. */
export interface WorldSettings {
  /** Minutes between heartbeats. @default - no heartbeat */
  readonly heartbeatMinutes?: number;
  readonly partitionQuota: number;
}

const tokenAddress = (type: string, value: unknown): string | undefined => {
  const match = typeof value === "string" ? new RegExp(`^\\$\\{${type}\\.([^.}]+)\\.\\w+\\}$`).exec(value) : null;
  return match ? match[1] : undefined;
};

/** The address of the resource of `type` a dimension names, by its name or a reference to it. */
function addressNamed(tf: TfJson, type: string, nameAttribute: string, value: unknown): string | undefined {
  const byToken = tokenAddress(type, value);
  if (byToken !== undefined) return byToken;
  return Object.entries(tf.resource[type] ?? {}).find(([, r]) => r[nameAttribute] === value)?.[0];
}

function streamModel(tf: TfJson, address: string, settings: WorldSettings): StreamModel {
  const s = tf.resource.aws_kinesis_firehose_delivery_stream![address]!;
  const opensearch = s.opensearch_configuration;
  const config = opensearch ?? s.extended_s3_configuration;
  if (!config) throw new Error(`stream ${address}: neither an extended S3 nor an OpenSearch destination`);
  const processors: any[] = [config.processing_configuration?.processors ?? []].flat();
  return {
    kind: "stream",
    address,
    source: s.kinesis_source_configuration ? "kinesis" : "directPut",
    destination: opensearch ? "opensearch" : "s3",
    // Firehose's defaults: 300 s of buffering; S3 deliveries are retried for 24 hours.
    bufferSeconds: config.buffering_interval ?? 300,
    retrySeconds: opensearch ? (opensearch.retry_duration ?? 300) : 86_400,
    lambdaProcessor: processors.some((p) => p.type === "Lambda"),
    ...(config.dynamic_partitioning_configuration?.enabled ? { partitionQuota: settings.partitionQuota } : {}),
  };
}

/** The minutes between runs of a rate() schedule. */
function rateMinutes(expression: unknown): number | undefined {
  const match = typeof expression === "string" ? /^rate\((\d+) (minute|minutes|hour|hours)\)$/.exec(expression) : null;
  if (!match) return undefined;
  return Number(match[1]) * (match[2]!.startsWith("hour") ? 60 : 1);
}

/**
 * The resource an alarm's metric describes, from its dimensions and the stack
 * that defines both. Throws, naming the metric, when it cannot be found: the
 * world would not know what the metric does.
 */
export function resourceOf(tf: TfJson, metric: MetricRef, settings: WorldSettings): ResourceModel {
  const d = metric.dimensions;
  const fail = (why: string) => new Error(`${metric.namespace} ${metric.metricName}: ${why}`);
  if (d.DeliveryStreamName !== undefined) {
    const address = addressNamed(tf, "aws_kinesis_firehose_delivery_stream", "name", d.DeliveryStreamName);
    if (!address) throw fail(`no delivery stream ${d.DeliveryStreamName} in the stack`);
    return streamModel(tf, address, settings);
  }
  if (d.StreamName !== undefined) {
    const address = addressNamed(tf, "aws_kinesis_stream", "name", d.StreamName);
    if (!address) throw fail(`no Kinesis stream ${d.StreamName} in the stack`);
    const readers = Object.entries(tf.resource.aws_kinesis_firehose_delivery_stream ?? {})
      .filter(
        ([, s]) => tokenAddress("aws_kinesis_stream", s.kinesis_source_configuration?.kinesis_stream_arn) === address,
      )
      .map(([a]) => streamModel(tf, a, settings));
    // Every reader gets the same records; the archive's own stream stands for them.
    const reader = readers.find((r) => r.destination === "s3") ?? readers[0];
    if (!reader) throw fail(`no delivery stream reads the Kinesis stream ${address}`);
    return { kind: "kinesis", address, reader };
  }
  if (d.QueueName !== undefined) {
    const address = addressNamed(tf, "aws_sqs_queue", "name", d.QueueName);
    if (!address) throw fail(`no queue ${d.QueueName} in the stack`);
    const deadLetter = Object.values(tf.resource.aws_sqs_queue ?? {}).some(
      (q) => typeof q.redrive_policy === "string" && q.redrive_policy.includes(`aws_sqs_queue.${address}.arn`),
    );
    return { kind: "queue", deadLetter };
  }
  if (d.SourceBucket !== undefined && d.RuleId !== undefined) return { kind: "replication" };
  if (d.WorkGroup !== undefined) {
    const address = addressNamed(tf, "aws_athena_workgroup", "name", d.WorkGroup);
    if (!address) throw fail(`no Athena workgroup ${d.WorkGroup} in the stack`);
    const workgroup = tf.resource.aws_athena_workgroup![address]!;
    return {
      kind: "workgroup",
      publishes: workgroup.configuration?.publish_cloudwatch_metrics_enabled === true,
      queryState: d.QueryState ?? "",
      queryType: d.QueryType ?? "",
    };
  }
  if (d.FunctionName !== undefined) {
    const address = addressNamed(tf, "aws_lambda_function", "function_name", d.FunctionName);
    if (!address) throw fail(`no function ${d.FunctionName} in the stack`);
    const target = Object.values(tf.resource.aws_cloudwatch_event_target ?? {}).find(
      (t) => tokenAddress("aws_lambda_function", t.arn) === address,
    );
    const rule =
      target && tf.resource.aws_cloudwatch_event_rule?.[tokenAddress("aws_cloudwatch_event_rule", target.rule) ?? ""];
    const everyMinutes = rateMinutes(rule?.schedule_expression);
    if (everyMinutes !== undefined) return { kind: "function", everyMinutes };
    const stream = Object.entries(tf.resource.aws_kinesis_firehose_delivery_stream ?? {}).find(([, s]) =>
      JSON.stringify(s).includes(`aws_lambda_function.${address}.arn`),
    );
    if (stream) return { kind: "function", processorOf: streamModel(tf, stream[0], settings) };
    throw fail(`cannot tell when the function ${d.FunctionName} runs (no rate schedule, no stream it processes for)`);
  }
  throw fail(`no resource model for the dimensions ${JSON.stringify(d)}`);
}

// ---------------------------------------------------------------------------
// The world, minute by minute
// ---------------------------------------------------------------------------

/** What happened to the watched resource in one minute. */
export interface Minute {
  /** Records sent into the stream (or the Kinesis stream in front of it), before throttling. */
  readonly sent: number;
  readonly throttled: number;
  /** Records the stream took in (read from Kinesis, or accepted by Direct PUT). */
  readonly ingested: number;
  /** A delivery of the buffer was attempted this minute. */
  readonly attempt?: "ok" | "failed";
  /** Age of the oldest record not yet delivered, in seconds. */
  readonly oldestAge?: number;
  /** The transform function ran on this minute's records. */
  readonly processing?: "ok" | "failed";
  /** Records the transform marked ProcessingFailed this minute. */
  readonly rejected: number;
  readonly partitionsExceeded: boolean;
  readonly deadLetters: boolean;
  /** Age of the SIEM queue's oldest message, in seconds. */
  readonly siemAge: number;
  readonly replicationFails: boolean;
  /** The function ran this minute. */
  readonly invoked?: "ok" | "failed";
  /** Bytes Athena queries scanned this minute. */
  readonly scannedBytes: number;
}

type Flow = Pick<Minute, "sent" | "throttled" | "ingested" | "attempt" | "oldestAge" | "processing" | "rejected">;

function streamMinutes(stream: StreamModel, conditions: readonly Conditions[], settings: WorldSettings): Flow[] {
  let pendingSince: number | undefined;
  return conditions.map((c, m) => {
    const heartbeat = settings.heartbeatMinutes !== undefined && m % settings.heartbeatMinutes === 0 ? 1 : 0;
    const sent = c.broken ? 0 : heartbeat + c.workload;
    const throttled = c.throttled ? Math.ceil(sent / 5) : 0;
    const ingested = sent - throttled;
    const processing: Minute["processing"] =
      stream.lambdaProcessor && ingested > 0 ? (c.transformFails ? "failed" : "ok") : undefined;
    const rejected = processing === "ok" && c.transformRejects ? ingested : 0;
    // Records the transform failed on or rejected go to the processing-failed prefix, not into the buffer.
    if (ingested - rejected > 0 && processing !== "failed" && pendingSince === undefined) pendingSince = m;
    const oldestAge = pendingSince === undefined ? undefined : (m - pendingSince) * 60;
    let attempt: "ok" | "failed" | undefined;
    if (oldestAge !== undefined && oldestAge >= stream.bufferSeconds) {
      const fails = stream.destination === "s3" ? c.deliveryFails : c.indexFails;
      attempt = fails ? "failed" : "ok";
      if (!fails || oldestAge >= stream.bufferSeconds + stream.retrySeconds) pendingSince = undefined;
    }
    return { sent, throttled, ingested, attempt, oldestAge, processing, rejected };
  });
}

/** Every minute of the world for one resource. */
export function worldMinutes(
  resource: ResourceModel,
  conditions: readonly Conditions[],
  settings: WorldSettings,
): Minute[] {
  const stream =
    resource.kind === "stream"
      ? resource
      : resource.kind === "kinesis"
        ? resource.reader
        : resource.kind === "function"
          ? resource.processorOf
          : undefined;
  const flow = stream ? streamMinutes(stream, conditions, settings) : undefined;
  let stalledSince: number | undefined;
  return conditions.map((c, m) => {
    if (c.siemStalled) stalledSince ??= m;
    else stalledSince = undefined;
    const f = flow?.[m];
    const scheduled = resource.kind === "function" && resource.everyMinutes !== undefined;
    const runs = scheduled
      ? !c.watchStopped && m % resource.everyMinutes! === 0
      : resource.kind === "function" && f?.processing !== undefined;
    const fails = scheduled ? c.watchFails : f?.processing === "failed";
    return {
      sent: f?.sent ?? 0,
      throttled: f?.throttled ?? 0,
      ingested: f?.ingested ?? 0,
      ...(f?.attempt ? { attempt: f.attempt } : {}),
      ...(f?.oldestAge !== undefined ? { oldestAge: f.oldestAge } : {}),
      ...(f?.processing ? { processing: f.processing } : {}),
      rejected: f?.rejected ?? 0,
      partitionsExceeded: c.partitionsExceeded,
      deadLetters: c.deadLetters,
      siemAge: stalledSince === undefined ? 30 : (m - stalledSince + 1) * 60,
      replicationFails: c.replicationFails,
      ...(runs ? { invoked: fails ? "failed" : "ok" } : {}),
      scannedBytes: c.scannedGiBPerMinute * 1024 ** 3,
    } satisfies Minute;
  });
}

// ---------------------------------------------------------------------------
// The metric table
// ---------------------------------------------------------------------------

export interface MetricModel {
  /** The documentation of the metric. */
  readonly doc: string;
  /** Values AWS can publish for the metric (the generic check searches them). */
  readonly domain: { readonly min: number; readonly max: number };
  /** Whether AWS publishes the metric at all for this resource. */
  published(resource: ResourceModel): boolean;
  /** The metric's value in a minute of the world, or undefined when nothing is published that minute. */
  sample(minute: Minute, resource: ResourceModel): number | undefined;
}

const FIREHOSE_METRICS = "https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html";
const isStream = (r: ResourceModel): r is StreamModel => r.kind === "stream";
const toS3 = (r: ResourceModel) => isStream(r) && r.destination === "s3";
const toOpenSearch = (r: ResourceModel) => isStream(r) && r.destination === "opensearch";
const attempt = (m: Minute) => (m.attempt === undefined ? undefined : m.attempt === "ok" ? 1 : 0);
const COUNT = { min: 0, max: 1_000_000 };
const RATIO = { min: 0, max: 1 };

export const METRICS: Readonly<Record<string, MetricModel>> = {
  "AWS/Firehose IncomingRecords": {
    doc: `${FIREHOSE_METRICS} (Data ingestion through Direct PUT)`,
    domain: COUNT,
    published: (r) => isStream(r) && r.source === "directPut",
    sample: (m) => (m.ingested > 0 ? m.ingested : undefined),
  },
  "AWS/Firehose DataReadFromKinesisStream.Records": {
    doc: `${FIREHOSE_METRICS} (Data ingestion through Kinesis Data Streams)`,
    domain: COUNT,
    published: (r) => isStream(r) && r.source === "kinesis",
    sample: (m) => (m.ingested > 0 ? m.ingested : undefined),
  },
  "AWS/Firehose ThrottledRecords": {
    doc: `${FIREHOSE_METRICS} (Data ingestion through Direct PUT)`,
    domain: COUNT,
    published: (r) => isStream(r) && r.source === "directPut",
    sample: (m) => (m.throttled > 0 ? m.throttled : undefined),
  },
  "AWS/Kinesis WriteProvisionedThroughputExceeded": {
    doc: "https://docs.aws.amazon.com/streams/latest/dev/monitoring-with-cloudwatch.html",
    domain: COUNT,
    published: (r) => r.kind === "kinesis",
    sample: (m) => (m.throttled > 0 ? m.throttled : undefined),
  },
  "AWS/Firehose DeliveryToS3.Success": {
    doc: FIREHOSE_METRICS,
    domain: RATIO,
    published: toS3,
    sample: attempt,
  },
  "AWS/Firehose DeliveryToS3.DataFreshness": {
    doc: FIREHOSE_METRICS,
    domain: { min: 0, max: 86_400 },
    published: toS3,
    sample: (m) => m.oldestAge,
  },
  "AWS/Firehose DeliveryToAmazonOpenSearchService.Success": {
    doc: FIREHOSE_METRICS,
    domain: RATIO,
    published: toOpenSearch,
    sample: attempt,
  },
  "AWS/Firehose DeliveryToAmazonOpenSearchService.DataFreshness": {
    doc: FIREHOSE_METRICS,
    domain: { min: 0, max: 86_400 },
    published: toOpenSearch,
    sample: (m) => m.oldestAge,
  },
  "AWS/Firehose ExecuteProcessing.Success": {
    doc: FIREHOSE_METRICS,
    domain: RATIO,
    published: (r) => isStream(r) && r.lambdaProcessor,
    sample: (m) => (m.processing === undefined ? undefined : m.processing === "ok" ? 1 : 0),
  },
  "AWS/Firehose PartitionCount": {
    doc: "https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html",
    domain: { min: 0, max: 10_000 },
    published: (r) => isStream(r) && r.partitionQuota !== undefined,
    sample: (m, r) =>
      m.oldestAge === undefined ? undefined : m.partitionsExceeded ? (r as StreamModel).partitionQuota! + 10 : 2,
  },
  "AWS/Firehose PartitionCountExceeded": {
    doc: "https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html",
    domain: RATIO,
    published: (r) => isStream(r) && r.partitionQuota !== undefined,
    sample: (m) => (m.oldestAge === undefined ? undefined : m.partitionsExceeded ? 1 : 0),
  },
  "AWS/SQS ApproximateNumberOfMessagesVisible": {
    doc: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html",
    domain: COUNT,
    published: (r) => r.kind === "queue",
    // The notification queue holds a few messages the SIEM has not read yet; the dead-letter queue none, unless failures.
    sample: (m, r) => (r.kind === "queue" && r.deadLetter ? (m.deadLetters ? 3 : 0) : 5),
  },
  "AWS/SQS ApproximateAgeOfOldestMessage": {
    doc: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html",
    domain: { min: 0, max: 1_209_600 },
    published: (r) => r.kind === "queue",
    sample: (m, r) => (r.kind === "queue" && r.deadLetter ? (m.deadLetters ? 600 : undefined) : m.siemAge),
  },
  "AWS/S3 OperationsFailedReplication": {
    doc: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html",
    domain: COUNT,
    published: (r) => r.kind === "replication",
    // Objects reach the archive every minute from some source; each replicates or fails.
    sample: (m) => (m.replicationFails ? 2 : 0),
  },
  // The search transform's own count (embedded metric format, one datapoint per invocation,
  // zeros included), under the namespace `<prefix>/search-transform`.
  "*/search-transform FailedRecords": {
    doc: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format.html",
    domain: COUNT,
    published: (r) => r.kind === "function" && r.processorOf !== undefined,
    sample: (m) => (m.processing === "ok" ? m.rejected : undefined),
  },
  // Per query, once it ends, with the dimensions QueryState, QueryType and WorkGroup; only for
  // workgroups that publish query metrics. In the world every query is DML and succeeds.
  "AWS/Athena ProcessedBytes": {
    doc: "https://docs.aws.amazon.com/athena/latest/ug/query-metrics-viewing.html",
    domain: { min: 0, max: 1024 ** 5 },
    published: (r) => r.kind === "workgroup" && r.publishes,
    sample: (m, r) =>
      r.kind === "workgroup" && r.queryState === "SUCCEEDED" && r.queryType === "DML" && m.scannedBytes > 0
        ? m.scannedBytes
        : undefined,
  },
  "AWS/Lambda Invocations": {
    doc: "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html",
    domain: COUNT,
    published: (r) => r.kind === "function",
    sample: (m) => (m.invoked === undefined ? undefined : 1),
  },
  "AWS/Lambda Errors": {
    doc: "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html",
    domain: COUNT,
    published: (r) => r.kind === "function",
    sample: (m) => (m.invoked === undefined ? undefined : m.invoked === "failed" ? 1 : 0),
  },
};

export const metricKey = (metric: MetricRef) => `${metric.namespace} ${metric.metricName}`;

/**
 * The table's entry for a metric and its key: the exact `<namespace> <name>`,
 * or an entry `*<suffix>` for a namespace that carries the name prefix.
 */
export function metricModelOf(key: string): { key: string; model: MetricModel } | undefined {
  if (METRICS[key]) return { key, model: METRICS[key]! };
  const wildcard = Object.keys(METRICS).find((k) => k.startsWith("*") && key.endsWith(k.slice(1)));
  return wildcard === undefined ? undefined : { key: wildcard, model: METRICS[wildcard]! };
}

/** The samples of a metric over the world's minutes: one per minute with activity, at the minute's start. */
export function samplesOf(model: MetricModel, resource: ResourceModel, minutes: readonly Minute[]): Sample[] {
  if (!model.published(resource)) return [];
  return minutes.flatMap((m, i) => {
    const value = model.sample(m, resource);
    return value === undefined ? [] : [{ t: i * 60, value }];
  });
}
