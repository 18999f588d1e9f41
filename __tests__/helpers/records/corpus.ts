/**
 * A realistic record corpus for search delivery: CloudWatch Logs subscription
 * records (gzip, base64) carrying the messages of messages.ts, and the
 * Firehose data-transformation requests a Firehose reading a Kinesis stream
 * builds from them at a given Lambda buffer size. Everything derives from a
 * seed; nothing large is committed. Used by the transform's tests and by
 * `npm run bench:search` (scripts/bench/search.ts).
 *
 * Formats, from AWS's documentation:
 * - The subscription payload: "The Data attribute in a Kinesis record is
 *   Base64 encoded and compressed with the gzip format", with owner,
 *   logGroup, logStream, subscriptionFilters, messageType (DATA_MESSAGE, or
 *   CONTROL_MESSAGE "mainly for checking if the destination is reachable")
 *   and logEvents (id, timestamp, message),
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html.
 * - Batch limits, from PutLogEvents (what an agent hands CloudWatch Logs in
 *   one call): "The maximum batch size is 1,048,576 bytes. This size is
 *   calculated as the sum of all event messages in UTF-8, plus 26 bytes for
 *   each log event", "Each log event can be no larger than 1 MB" (it was
 *   256 KB until 2025) and "The maximum number of log events in a batch is
 *   10,000", https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html.
 *   How CloudWatch Logs groups events into subscription records is not
 *   documented; the corpus assumes at most one PutLogEvents batch per record.
 * - The Firehose request with a Kinesis Data Streams source: invocationId,
 *   deliveryStreamArn, sourceKinesisStreamArn, region, records of recordId,
 *   approximateArrivalTimestamp, data and kinesisRecordMetadata (shardId,
 *   partitionKey, approximateArrivalTimestamp, sequenceNumber,
 *   subsequenceNumber): Powertools for AWS Lambda's KinesisFireHoseEvent,
 *   https://docs.aws.amazon.com/powertools/typescript/2.13.0/api/types/_aws-lambda-powertools_parser.types.KinesisFireHoseEvent.html.
 * - The buffer: "Firehose buffers incoming data" up to the processor's
 *   BufferSizeInMBs and then invokes the function with the batch,
 *   https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html;
 *   the requests here hold records until their data reaches the buffer size,
 *   the record that crosses it included (how far Firehose overshoots is not
 *   documented).
 */
import { Buffer } from "node:buffer";
import { gzipSync } from "node:zlib";
import type { FirehoseTransformationEvent } from "../../../modules/search/transform/transform";
import {
  cloudTrailRecord,
  jsonAppLog,
  lambdaInvocation,
  textAppLog,
  vpcFlowLogLine,
  pools,
  MESSAGE_KINDS,
  type MessageKind,
  type RawEvent,
} from "./messages";
import { seeded, type Random } from "./prng";

export { MESSAGE_KINDS, type MessageKind } from "./messages";
export { seeded, type Random } from "./prng";

/** PutLogEvents: bytes of a batch (messages in UTF-8 plus 26 per event), events per batch, bytes per event. */
export const CWL_LIMITS = { batchBytes: 1_048_576, eventOverhead: 26, events: 10_000, eventBytes: 1_048_550 } as const;

/** 2026-12-01T12:00:00.000Z. */
export const T0 = Date.UTC(2026, 11, 1, 12);

export interface LogEvent {
  readonly id: string;
  readonly timestamp: number;
  readonly message: string;
}

export interface DataMessagePayload {
  readonly messageType: "DATA_MESSAGE";
  readonly owner: string;
  readonly logGroup: string;
  readonly logStream: string;
  readonly subscriptionFilters: readonly string[];
  readonly logEvents: readonly LogEvent[];
}

/** A subscription record: the payload, and what CloudWatch Logs puts in the Kinesis record. */
export interface SubscriptionRecord {
  readonly kind: MessageKind | "control";
  /** Base64 of the gzip of the payload's JSON: the Kinesis record's data. */
  readonly data: string;
  /** Bytes of the payload's JSON, decompressed. */
  readonly payloadBytes: number;
  /** Bytes of the gzip data (the Kinesis record's size). */
  readonly compressedBytes: number;
  readonly events: number;
}

/** CloudWatch Logs' reachability check, as it arrives (owner "CloudwatchLogs", empty group and stream). */
export function controlMessage(t = T0): object {
  return {
    messageType: "CONTROL_MESSAGE",
    owner: "CloudwatchLogs",
    logGroup: "",
    logStream: "",
    subscriptionFilters: [],
    logEvents: [
      { id: "", timestamp: t, message: "CWL CONTROL MESSAGE: Checking health of destination Kinesis stream." },
    ],
  };
}

/** A 56-digit event id, as CloudWatch Logs gives them (increasing within a stream). */
function eventId(r: Random, t: number, i: number): string {
  const head = String(t).padStart(16, "0");
  return `3${head.slice(0, 15)}${String(i).padStart(10, "0")}${Array.from({ length: 30 }, () => r.int(0, 9)).join("")}`;
}

/** Encodes a payload as CloudWatch Logs writes it to Kinesis. */
export function encodePayload(kind: SubscriptionRecord["kind"], payload: object, events: number): SubscriptionRecord {
  const json = Buffer.from(JSON.stringify(payload), "utf8");
  const gzip = gzipSync(json);
  return {
    kind,
    data: gzip.toString("base64"),
    payloadBytes: json.length,
    compressedBytes: gzip.length,
    events,
  };
}

interface Source {
  readonly logGroup: string;
  readonly logStream: string;
  /** The batch's events, about `bytes` of messages in all (at least one event). */
  events(r: Random, t: number, bytes: number): RawEvent[];
  /** One event of about `bytes` bytes. */
  large(r: Random, t: number, bytes: number): RawEvent;
}

function fill(bytes: number, one: (t: number) => RawEvent | RawEvent[], t: number): RawEvent[] {
  const events: RawEvent[] = [];
  let used = 0;
  let clock = t;
  while (events.length === 0 || used < bytes) {
    for (const e of [one(clock)].flat()) {
      const size = Buffer.byteLength(e.message, "utf8") + CWL_LIMITS.eventOverhead;
      if (events.length > 0 && (used + size > CWL_LIMITS.batchBytes || events.length >= CWL_LIMITS.events)) {
        return events;
      }
      events.push(e);
      used += size;
    }
    clock += 7;
  }
  return events;
}

/** head + items joined by sep + tail, as many items as stay within `bytes` (at least one). */
function joinUpTo(bytes: number, sep: string, head: string, tail: string, item: () => string): string {
  const items: string[] = [];
  let size = Buffer.byteLength(head + tail);
  for (;;) {
    const next = item();
    const grown = size + Buffer.byteLength(next) + (items.length > 0 ? sep.length : 0);
    if (items.length > 0 && grown > bytes) break;
    items.push(next);
    size = grown;
  }
  return head + items.join(sep) + tail;
}

function sourceOf(kind: MessageKind, r: Random, owner: string): Source {
  const pad = (target: number, measure: (n: number) => string) => {
    // The largest n whose message stays within target bytes (messages grow with n).
    let low = 0;
    let high = 1;
    while (Buffer.byteLength(measure(high)) <= target && high < 1 << 22) high *= 2;
    while (high - low > 1) {
      const mid = (low + high) >> 1;
      if (Buffer.byteLength(measure(mid)) <= target) low = mid;
      else high = mid;
    }
    return measure(low);
  };
  const p = pools(r, owner);
  const fixedSeed = () => {
    const seed = r.int(0, 2 ** 31);
    return () => seeded(seed);
  };
  switch (kind) {
    case "cloudtrail":
      return {
        logGroup: `aws-cloudtrail-logs-${owner}-${r.hex(8)}`,
        logStream: `${owner}_CloudTrail_eu-west-1`,
        events: (rr, t, bytes) => fill(bytes, (c) => ({ timestamp: c, message: cloudTrailRecord(rr, p, c, owner) }), t),
        large: (_r, t, bytes) => {
          const again = fixedSeed();
          return { timestamp: t, message: pad(bytes, (n) => cloudTrailRecord(again(), p, t, owner, n)) };
        },
      };
    case "vpc-flow": {
      const eni = `eni-0${r.hex(16)}`;
      return {
        logGroup: "/vpc/flow-logs",
        logStream: `${eni}-all`,
        events: (rr, t, bytes) =>
          fill(bytes, (c) => ({ timestamp: c, message: vpcFlowLogLine(rr, p, c, owner, eni) }), t),
        // Flow log records are short; a large "event" is many of them joined, as an agent re-shipping files would.
        large: (rr, t, bytes) => ({
          timestamp: t,
          message: joinUpTo(bytes, "\n", "", "", () => vpcFlowLogLine(rr, p, t, owner, eni)),
        }),
      };
    }
    case "lambda": {
      const fn = r.pick(["orders-api", "thumbnailer", "invoice-renderer"]);
      return {
        logGroup: `/aws/lambda/${fn}`,
        logStream: `2026/12/01/[$LATEST]${r.hex(32)}`,
        events: (rr, t, bytes) => fill(bytes, (c) => lambdaInvocation(rr, c), t),
        // A function logging the event it received: an S3 notification of many objects.
        large: (rr, t, bytes) => {
          const head = `${new Date(t).toISOString()}\t${rr.uuid()}\tINFO\tevent {"Records":[`;
          const item = () =>
            JSON.stringify({
              eventName: "ObjectCreated:Put",
              s3: { object: { key: `uploads/${rr.hex(24)}.jpg`, size: rr.int(1, 9e6) } },
            });
          return { timestamp: t, message: joinUpTo(bytes, ",", head, "]}\n", item) };
        },
      };
    }
    case "json-app":
      return {
        logGroup: "/ecs/orders",
        logStream: `ecs/orders/${r.hex(32)}`,
        events: (rr, t, bytes) => fill(bytes, (c) => ({ timestamp: c, message: jsonAppLog(rr, p, c) }), t),
        large: (_r, t, bytes) => {
          const again = fixedSeed();
          return { timestamp: t, message: pad(bytes, (n) => jsonAppLog(again(), p, t, n)) };
        },
      };
    case "text-app":
      return {
        logGroup: "/app/billing",
        logStream: `i-0${r.hex(16)}/application.log`,
        events: (rr, t, bytes) => fill(bytes, (c) => ({ timestamp: c, message: textAppLog(rr, p, c) }), t),
        large: (_r, t, bytes) => {
          const again = fixedSeed();
          return { timestamp: t, message: pad(bytes, (n) => textAppLog(again(), p, t, n)) };
        },
      };
  }
}

/** One DATA_MESSAGE payload of `kind` with about `messageBytes` of messages. */
export function dataMessage(
  r: Random,
  kind: MessageKind,
  options: { owner?: string; t?: number; messageBytes: number; largeEventBytes?: number },
): { payload: DataMessagePayload; events: number } {
  const owner = options.owner ?? "222222222222";
  const t = options.t ?? T0;
  const source = sourceOf(kind, r, owner);
  const raw =
    options.largeEventBytes !== undefined
      ? [source.large(r, t, Math.min(options.largeEventBytes, CWL_LIMITS.eventBytes))]
      : source.events(r, t, options.messageBytes);
  const logEvents = raw.map((e, i) => ({ id: eventId(r, e.timestamp, i), timestamp: e.timestamp, message: e.message }));
  return {
    payload: {
      messageType: "DATA_MESSAGE",
      owner,
      logGroup: source.logGroup,
      logStream: source.logStream,
      subscriptionFilters: ["cwl-archive"],
      logEvents,
    },
    events: logEvents.length,
  };
}

export interface CorpusOptions {
  readonly seed: number;
  /** One kind, or every kind in turn. */
  readonly kind: MessageKind | "mixed";
  /** Stop once the records' compressed data reaches this many bytes. */
  readonly compressedBytes: number;
  /**
   * Messages per batch are drawn log-uniformly between these (bytes), capped by PutLogEvents' batch limit.
   * @default [2_000, 1_048_576]
   */
  readonly batchBytes?: readonly [number, number];
  /** Share of batches that are one large event (up to the 1 MB event limit). @default 0 */
  readonly largeEventShare?: number;
  /** Share of records that are CONTROL_MESSAGEs. @default 0 */
  readonly controlShare?: number;
}

/** Subscription records of a corpus, deterministic for its options. */
export function recordCorpus(options: CorpusOptions): SubscriptionRecord[] {
  const r = seeded(options.seed);
  const [low, high] = options.batchBytes ?? [2_000, CWL_LIMITS.batchBytes];
  const records: SubscriptionRecord[] = [];
  let total = 0;
  let t = T0;
  let n = 0;
  while (total < options.compressedBytes) {
    let record: SubscriptionRecord;
    if (r.chance(options.controlShare ?? 0)) {
      record = encodePayload("control", controlMessage(t), 1);
    } else {
      const kind = options.kind === "mixed" ? MESSAGE_KINDS[n % MESSAGE_KINDS.length]! : options.kind;
      const large = r.chance(options.largeEventShare ?? 0);
      const messageBytes = Math.round(Math.exp(Math.log(low) + r.next() * (Math.log(high) - Math.log(low))));
      const { payload, events } = dataMessage(r, kind, {
        t,
        messageBytes,
        ...(large ? { largeEventBytes: r.int(256 * 1024, CWL_LIMITS.eventBytes) } : {}),
      });
      record = encodePayload(kind, payload, events);
    }
    records.push(record);
    total += record.compressedBytes;
    t += 1_000;
    n++;
  }
  return records;
}

/** Decompressed bytes per compressed byte, over the records. */
export function compressionRatio(records: readonly SubscriptionRecord[]): number {
  const payload = records.reduce((a, r) => a + r.payloadBytes, 0);
  const compressed = records.reduce((a, r) => a + r.compressedBytes, 0);
  return payload / compressed;
}

export interface RequestOptions {
  /** The Lambda processor's BufferSizeInMBs (MiB, the larger reading). */
  readonly bufferMiB: number;
  readonly region?: string;
  readonly account?: string;
  readonly deliveryStreamName?: string;
  readonly kinesisStreamName?: string;
}

/**
 * The Firehose data-transformation requests for the records, in order: each
 * holds records until their data reaches the buffer size (the record that
 * crosses it included), with the fields of a Kinesis Data Streams source.
 */
export function transformationRequests(
  records: readonly SubscriptionRecord[],
  options: RequestOptions,
): FirehoseTransformationEvent[] {
  const region = options.region ?? "eu-west-1";
  const account = options.account ?? "111111111111";
  const limit = options.bufferMiB * 1024 * 1024;
  const r = seeded(records.length);
  const requests: FirehoseTransformationEvent[] = [];
  let current: FirehoseTransformationEvent["records"][number][] = [];
  let bytes = 0;
  let sequence = 0n;
  const flush = () => {
    if (current.length === 0) return;
    requests.push({
      invocationId: r.uuid(),
      deliveryStreamArn: `arn:aws:firehose:${region}:${account}:deliverystream/${options.deliveryStreamName ?? "cwl-archive-search"}`,
      sourceKinesisStreamArn: `arn:aws:kinesis:${region}:${account}:stream/${options.kinesisStreamName ?? "cwl-archive-central-eu-west-1"}`,
      region,
      records: current,
    });
    current = [];
    bytes = 0;
  };
  records.forEach((record, i) => {
    const arrival = T0 + i * 1_000;
    sequence += 1n;
    const sequenceNumber = (49546986683135544286507457936321625675700192471156785154n + sequence).toString();
    current.push({
      recordId: `${sequenceNumber}${String(i).padStart(8, "0")}`,
      approximateArrivalTimestamp: arrival,
      data: record.data,
      kinesisRecordMetadata: {
        shardId: `shardId-00000000000${i % 4}`,
        partitionKey: r.uuid(),
        approximateArrivalTimestamp: arrival,
        sequenceNumber,
        subsequenceNumber: 0,
      },
    } as FirehoseTransformationEvent["records"][number]);
    bytes += record.compressedBytes;
    if (bytes >= limit) flush();
  });
  flush();
  return requests;
}
