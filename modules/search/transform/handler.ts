/**
 * The search transform's Lambda handler (Node.js 22, bundled as an ES module
 * like the delivery watch's): Firehose invokes it with a batch of CloudWatch
 * Logs subscription records and indexes what it returns in OpenSearch. A thin
 * shell over transform.ts: decoding is node:zlib and Buffer; the one AWS call
 * is PutRecordBatch into the search's overflow stream, for the records whose
 * documents do not fit Lambda's 6 MB response (the Lambda runtime provides
 * the AWS SDK client; it is not bundled).
 *
 * Environment:
 * - REINGEST_STREAM_NAME (optional): the Direct PUT overflow stream records are
 *   re-ingested into. Without it, what does not fit fails instead
 *   (response-size-limit). Never the central Kinesis stream: the archive's own
 *   Firehose reads that one, and would archive the records twice.
 * - METRICS_NAMESPACE (optional): the namespace of the per-invocation record
 *   counts, written in CloudWatch embedded metric format. Without it, none.
 * - MAX_RESPONSE_BYTES (optional): the response size limit, default 6,000,000.
 * - MAX_DECOMPRESSED_BYTES (optional): the largest payload gunzip may produce,
 *   default 32 MiB (a CloudWatch Logs batch holds at most 1,048,576 bytes of
 *   messages, PutLogEvents' batch limit; its JSON adds about a hundred bytes
 *   per event), so that a corrupt or hostile record cannot hold the memory.
 */
import { FirehoseClient, PutRecordBatchCommand } from "@aws-sdk/client-firehose";
import { Buffer } from "node:buffer";
import { gunzipSync, gzipSync } from "node:zlib";
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  settleReingest,
  transform,
  type Codec,
  type FirehoseTransformationEvent,
  type FirehoseTransformationResponse,
  type RecordOutcome,
  type ReingestRecord,
  type TransformOptions,
} from "./transform";

export const DEFAULT_MAX_DECOMPRESSED_BYTES = 32 * 1024 * 1024;

/** Failed records logged one by one per invocation; the rest are only counted. */
const MAX_LOGGED_FAILURES = 20;

/**
 * "Each PutRecordBatch request supports up to 500 records. Each record in the
 * request can be as large as 1,000 KB (before base64 encoding), up to a limit
 * of 4 MB for the entire request." The smaller reading of "4 MB".
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecordBatch.html
 */
export const PUT_BATCH = { records: 500, bytes: 4_000_000 } as const;

/**
 * Tries per re-ingested record before its batch fails (the blueprint tries 20
 * times; the SDK already retries throttled requests itself), with a doubling
 * pause from 100 ms: within the function's 60-second timeout.
 */
export const PUT_ATTEMPTS = 5;
const FIRST_PAUSE_MS = 100;

/** Base64 + gzip codec. Buffer ignores characters outside the base64 alphabet; gunzip rejects what is not gzip. */
export function nodeCodec(maxDecompressedBytes = DEFAULT_MAX_DECOMPRESSED_BYTES): Codec {
  return {
    decode(data) {
      return gunzipSync(Buffer.from(data, "base64"), { maxOutputLength: maxDecompressedBytes }).toString("utf8");
    },
    encode(text) {
      return Buffer.from(text, "utf8").toString("base64");
    },
    compress(text) {
      return gzipSync(Buffer.from(text, "utf8")).toString("base64");
    },
  };
}

export interface HandlerConfig {
  readonly options: TransformOptions;
  readonly maxDecompressedBytes: number;
  readonly reingestStreamName?: string;
  readonly metricsNamespace?: string;
  /** The function's name: the metrics' dimension (Lambda sets AWS_LAMBDA_FUNCTION_NAME). */
  readonly functionName?: string;
}

export function configFromEnvironment(env: NodeJS.ProcessEnv): HandlerConfig {
  const optionalPositive = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === "") return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0)
      throw new Error(`environment variable ${name}: expected a positive whole number`);
    return value;
  };
  const optionalText = (name: string): string | undefined => (env[name] ? env[name] : undefined);
  const maxResponseBytes = optionalPositive("MAX_RESPONSE_BYTES");
  const reingestStreamName = optionalText("REINGEST_STREAM_NAME");
  const metricsNamespace = optionalText("METRICS_NAMESPACE");
  const functionName = optionalText("AWS_LAMBDA_FUNCTION_NAME");
  return {
    options: {
      ...(maxResponseBytes === undefined ? {} : { maxResponseBytes }),
      ...(reingestStreamName === undefined ? { reingest: false as const } : {}),
    },
    maxDecompressedBytes: optionalPositive("MAX_DECOMPRESSED_BYTES") ?? DEFAULT_MAX_DECOMPRESSED_BYTES,
    ...(reingestStreamName === undefined ? {} : { reingestStreamName }),
    ...(metricsNamespace === undefined ? {} : { metricsNamespace }),
    ...(functionName === undefined ? {} : { functionName }),
  };
}

/** One JSON summary line, plus the first failures (record ids and reasons, never log content). */
export function logLines(outcomes: readonly RecordOutcome[]): string[] {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o.reason] = (counts[o.reason] ?? 0) + 1;
  const failures = outcomes.filter((o) => o.result === "ProcessingFailed");
  const lines = [JSON.stringify({ records: outcomes.length, failed: failures.length, reasons: counts })];
  for (const f of failures.slice(0, MAX_LOGGED_FAILURES)) {
    lines.push(JSON.stringify({ failedRecord: f.recordId, reason: f.reason, detail: f.detail }));
  }
  return lines;
}

/** Record counts of one invocation, by what became of the records. */
export interface RecordCounts {
  readonly IndexedRecords: number;
  readonly ReingestedRecords: number;
  readonly DroppedRecords: number;
  readonly FailedRecords: number;
}

export const METRIC_NAMES: readonly (keyof RecordCounts)[] = [
  "IndexedRecords",
  "ReingestedRecords",
  "DroppedRecords",
  "FailedRecords",
];

export function recordCounts(outcomes: readonly RecordOutcome[]): RecordCounts {
  const count = (test: (o: RecordOutcome) => boolean) => outcomes.filter(test).length;
  return {
    IndexedRecords: count((o) => o.result === "Ok"),
    ReingestedRecords: count((o) => o.reason === "reingested"),
    DroppedRecords: count((o) => o.result === "Dropped" && o.reason !== "reingested"),
    FailedRecords: count((o) => o.result === "ProcessingFailed"),
  };
}

/**
 * The counts as one CloudWatch embedded metric format log line: a JSON object
 * alone on its line ("The LogEvent message must be a valid JSON object with no
 * additional data at the beginning or end"), written to stdout, which "Lambda
 * automatically sends ... to a CloudWatch Logs log group, and CloudWatch Logs
 * extracts metrics from any log events that follow the embedded metric format
 * specification". Written on every invocation, zeros included, so that an
 * alarm on FailedRecords recovers as soon as invocations succeed again.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Lambda.html
 */
export function metricsLine(
  namespace: string,
  functionName: string,
  deliveryStreamName: string,
  counts: RecordCounts,
  timestamp: number,
): string {
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [["FunctionName"]],
          Metrics: METRIC_NAMES.map((Name) => ({ Name, Unit: "Count" })),
        },
      ],
    },
    FunctionName: functionName,
    // Not a dimension: one metric per function, whichever stream invoked it; kept for Logs Insights.
    DeliveryStreamName: deliveryStreamName,
    ...counts,
  });
}

/** What an invocation needs from outside: injected so that tests drive `processEvent` without AWS or time. */
export interface TransformPorts {
  /** PutRecordBatch into `streamName`; for each record, whether Firehose accepted it. */
  putRecordBatch(streamName: string, records: readonly Uint8Array[]): Promise<readonly boolean[]>;
  /** One line of the function's log, as is (stdout). */
  writeLine(line: string): void;
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Groups of re-ingested records for PutRecordBatch: at most 500 records and 4,000,000 bytes each. */
export function putBatches(records: readonly ReingestRecord[]): ReingestRecord[][] {
  const batches: ReingestRecord[][] = [];
  let current: ReingestRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = Buffer.byteLength(record.data, "base64");
    if (current.length > 0 && (current.length === PUT_BATCH.records || bytes + size > PUT_BATCH.bytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Puts every record, retrying the ones Firehose refused; returns the input records any of whose parts failed. */
export async function reingestAll(
  streamName: string,
  records: readonly ReingestRecord[],
  ports: TransformPorts,
): Promise<Set<string>> {
  const failed = new Set<string>();
  for (const batch of putBatches(records)) {
    let pending = batch;
    for (let attempt = 1; pending.length > 0 && attempt <= PUT_ATTEMPTS; attempt++) {
      if (attempt > 1) await ports.sleep(FIRST_PAUSE_MS * 2 ** (attempt - 2));
      let accepted: readonly boolean[];
      try {
        accepted = await ports.putRecordBatch(
          streamName,
          pending.map((r) => Buffer.from(r.data, "base64")),
        );
      } catch {
        accepted = pending.map(() => false);
      }
      pending = pending.filter((_, i) => accepted[i] !== true);
    }
    for (const r of pending) failed.add(r.recordId);
  }
  return failed;
}

function streamNameOf(event: FirehoseTransformationEvent): string {
  return event.deliveryStreamArn?.split("/").pop() ?? "";
}

/** One invocation: transform, re-ingest what did not fit, settle, log, count. */
export async function processEvent(
  event: FirehoseTransformationEvent,
  config: HandlerConfig,
  ports: TransformPorts,
): Promise<FirehoseTransformationResponse> {
  let output = transform(event, nodeCodec(config.maxDecompressedBytes), config.options);
  if (config.reingestStreamName !== undefined && output.reingest.length > 0) {
    const failed = await reingestAll(config.reingestStreamName, output.reingest, ports);
    output = settleReingest(event, output, failed, config.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
  }
  for (const line of logLines(output.outcomes)) ports.writeLine(line);
  if (config.metricsNamespace !== undefined) {
    ports.writeLine(
      metricsLine(
        config.metricsNamespace,
        config.functionName ?? "",
        streamNameOf(event),
        recordCounts(output.outcomes),
        ports.now(),
      ),
    );
  }
  return output.response;
}

let client: FirehoseClient | undefined;

/** The real ports: the SDK's Firehose client of the function's Region, stdout, the clock. */
export function awsPorts(): TransformPorts {
  return {
    async putRecordBatch(streamName, records) {
      client ??= new FirehoseClient({});
      const response = await client.send(
        new PutRecordBatchCommand({ DeliveryStreamName: streamName, Records: records.map((Data) => ({ Data })) }),
      );
      const answers = response.RequestResponses ?? [];
      return records.map((_, i) => answers[i] !== undefined && !answers[i]!.ErrorCode);
    },
    writeLine(line) {
      // Not console.log: the Node.js runtime prefixes its lines, and an EMF line must be a JSON object alone.
      process.stdout.write(`${line}\n`);
    },
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

export async function handler(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResponse> {
  return processEvent(event, configFromEnvironment(process.env), awsPorts());
}
