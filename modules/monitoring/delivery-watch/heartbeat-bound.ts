/**
 * How large an archive object can be when it holds the heartbeat and nothing
 * else: the delivery watch sees only S3's events (key, size, time), never the
 * content, so a source whose objects all stay within this bound for hours is
 * sending heartbeats only (an administrator narrowed its subscription to the
 * heartbeat log group, and every other log group went dark).
 *
 * The derivation, from what AWS documents:
 * - the heartbeat is an EventBridge scheduled event, written by its rule as
 *   one log event into `/<prefix>/heartbeat`: `{"version":"0","id":<uuid>,
 *   "detail-type":"Scheduled Event","source":"aws.events","account":…,
 *   "time":…,"region":…,"resources":[<rule ARN>],"detail":{}}`;
 * - CloudWatch Logs hands each batch to the stream as one record, the
 *   envelope `{messageType, owner, logGroup, logStream, subscriptionFilters,
 *   logEvents:[{id (56 digits), timestamp, message}], policyLevel}`, which
 *   the stream decompresses and ends with a newline; with message extraction
 *   only each event's message is kept, one a line;
 * - the stream writes what it buffered for its buffering interval as one
 *   object, GZIP-compressed or not.
 *
 * `HEARTBEAT_OBJECT_BYTES` gives, per layout and compression, the bytes of
 * the first heartbeat of an object and of every further one. They are the
 * largest sizes measured over real envelopes built to that shape with the
 * longest names (a 20-character prefix, a 14-character Region, the
 * `aws-us-gov` partition, a random 36-character log stream name, every id
 * random), gzip-compressed by zlib at every level 1-9, plus about a quarter
 * (uncompressed: about a tenth) for what is not known: Firehose's own gzip
 * encoder and header, and the log stream name EventBridge picks. The test
 * __tests__/monitoring/delivery-watch-heartbeat-bound.test.ts rebuilds those
 * objects and proves every one within the bound, and the bound within 1.5
 * times the largest of them.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/event-reference.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters-AccountLevel.html
 * @see https://docs.aws.amazon.com/firehose/latest/dev/Message_extraction.html
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html
 */
import { COMPRESSION_FORMATS, type CompressionFormat } from "../../options/values";

/** How a source's objects are written: what bounds the size of an object holding heartbeats only. */
export interface SourceObjectFormat {
  /**
   * Buffering interval of the stream that writes the source's objects (its
   * own stream, or the central stream of its Region), in seconds (0-900).
   */
  readonly bufferingIntervalSeconds: number;
  /** Compression of the objects. */
  readonly compression: CompressionFormat;
  /** The objects hold each log event's message only, without the CloudWatch Logs envelope. */
  readonly messageExtraction: boolean;
}

/**
 * The largest heartbeat-only objects any stream writes: Firehose's longest
 * buffering interval, uncompressed envelopes. A bound from it is never too
 * small, at the price of taking more small real objects for heartbeats.
 */
export const WORST_CASE_OBJECT_FORMAT: SourceObjectFormat = {
  bufferingIntervalSeconds: 900,
  compression: "UNCOMPRESSED",
  messageExtraction: false,
};

/** Firehose buffering intervals. @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html */
export const BUFFERING_INTERVAL_SECONDS = { min: 0, max: 900 } as const;

/** Bytes of an object's first heartbeat and of each further one, by layout and compression. */
export const HEARTBEAT_OBJECT_BYTES: Readonly<
  Record<"envelope" | "message", Readonly<Record<CompressionFormat, { readonly first: number; readonly next: number }>>>
> = {
  // Measured at most 706 bytes a record uncompressed; gzip 472 for one, then 94-110 more each.
  envelope: { UNCOMPRESSED: { first: 768, next: 768 }, GZIP: { first: 600, next: 128 } },
  // Measured at most 310 bytes a message with its two newlines; gzip 232 for one, then 28-40 more each.
  message: { UNCOMPRESSED: { first: 352, next: 352 }, GZIP: { first: 300, next: 40 } },
};

/**
 * Heartbeats one object can hold: those arriving within one buffering
 * interval (one more than the interval divides into, when one arrives at
 * each end), and one more, because the schedule, CloudWatch Logs' delivery
 * and Firehose's buffering (hints, not exact) each move arrivals a little.
 */
export function heartbeatsPerObject(heartbeatIntervalMinutes: number, bufferingIntervalSeconds: number): number {
  return Math.floor(bufferingIntervalSeconds / (heartbeatIntervalMinutes * 60)) + 2;
}

/** The largest object, in bytes, that holds nothing but heartbeats, for a heartbeat interval and a source's object format. */
export function heartbeatObjectMaxBytes(heartbeatIntervalMinutes: number, format: SourceObjectFormat): number {
  const { first, next } = HEARTBEAT_OBJECT_BYTES[format.messageExtraction ? "message" : "envelope"][format.compression];
  return first + (heartbeatsPerObject(heartbeatIntervalMinutes, format.bufferingIntervalSeconds) - 1) * next;
}

/** The problems with a source's object format, each naming `path`. */
export function objectFormatProblems(path: string, format: SourceObjectFormat): string[] {
  const problems: string[] = [];
  const { bufferingIntervalSeconds: seconds, compression, messageExtraction } = format;
  const { min, max } = BUFFERING_INTERVAL_SECONDS;
  if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
    problems.push(
      `${path}.bufferingIntervalSeconds: expected a whole number of seconds from ${min} to ${max}, got ${seconds}`,
    );
  }
  if (!(COMPRESSION_FORMATS as readonly string[]).includes(compression)) {
    problems.push(
      `${path}.compression: expected one of ${COMPRESSION_FORMATS.join(", ")}, got ${JSON.stringify(compression)}`,
    );
  }
  if (typeof messageExtraction !== "boolean") {
    problems.push(`${path}.messageExtraction: expected true or false, got ${JSON.stringify(messageExtraction)}`);
  }
  return problems;
}
