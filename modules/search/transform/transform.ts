/**
 * The Firehose data transformation that turns CloudWatch Logs subscription
 * records into OpenSearch documents, free of AWS calls so that tests can drive
 * it: decoding (base64, gzip) is injected as a `Codec`, the Lambda entry in
 * handler.ts supplies node:zlib and Buffer.
 *
 * DECISION: ONE OpenSearch document per Firehose record, holding the whole
 * CloudWatch Logs batch (`{ "@timestamp", account, logGroup, logStream,
 * events: [...] }`), NOT one document per log event joined by newlines.
 *
 * - An OpenSearch destination indexes each Firehose record as one document,
 *   and a record must be one single-line JSON object:
 *   https://docs.aws.amazon.com/firehose/latest/dev/basic-deliver.html
 *   (stored copy, "OpenSearch Service and OpenSearch Serverless" row): "It
 *   then generates an OpenSearch Service or OpenSearch Serverless bulk request
 *   to index multiple records to your OpenSearch Service cluster or OpenSearch
 *   Serverless collection. Make sure that your record is UTF-8 encoded and
 *   flattened to a single-line JSON object before you send it to Amazon Data
 *   Firehose."
 * - Several log events in one record are rejected:
 *   https://docs.aws.amazon.com/firehose/latest/dev/writing-with-cloudwatch-logs.html
 *   (repository copies of the page, index ids 70073699414 and 58453532708),
 *   "Important": "Currently, Firehose does not support the delivery of
 *   CloudWatch Logs to Amazon OpenSearch Service destination because Amazon
 *   CloudWatch combines multiple log events into one Firehose record and
 *   Amazon OpenSearch Service cannot accept multiple log events in one
 *   record." The Firehose guide's "Troubleshooting Amazon OpenSearch Service"
 *   page says the same (repository copy, index id 58094734556).
 * - A transformation cannot add records: "The transformed record must contain
 *   the same record ID. Any mismatch between the ID of the original record and
 *   the ID of the transformed record is treated as a data transformation
 *   failure." (https://docs.aws.amazon.com/firehose/latest/dev/data-transformation-status-model.html)
 *
 * So newline-joined documents (one per event) would reach OpenSearch as one
 * malformed document, and one output record per event is impossible. The batch
 * document is what remains without AWS calls. Its consequences: a search hit
 * is a batch, not an event (`events` is an array of objects: without a
 * `nested` mapping, conditions on two event fields may match in different
 * events of one batch); and a mapping conflict in any event's `json` fields
 * (e.g. an object in one log group, a string in another, under the same name)
 * rejects the whole batch document into the destination's failed-documents
 * prefix. One document per event would need the transform to re-put each
 * event into a Firehose stream (PutRecordBatch) and return the record
 * `Dropped`: AWS calls, IAM and its own size limits, not done here.
 *
 * Input and output formats:
 * - The event: `records: [{ recordId, approximateArrivalTimestamp, data }]`,
 *   `data` base64; Kinesis Data Streams sources add `sourceKinesisStreamArn`
 *   and `kinesisRecordMetadata`, ignored here (shapes as in the Lambda event
 *   types, e.g. @types/aws-lambda `trigger/kinesis-firehose-transformation.d.ts`
 *   and Powertools' `KinesisFireHoseEvent`; no AWS page with the full input
 *   sample was read).
 * - Each record's data is one CloudWatch Logs subscription payload:
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html
 *   (archived awsdocs copy) "The Data attribute in a Kinesis record is Base64
 *   encoded and compressed with the gzip format.", with `owner` ("The AWS
 *   Account ID of the originating log data"), `logGroup`, `logStream`,
 *   `subscriptionFilters`, `messageType` ("Data messages will use the
 *   "DATA_MESSAGE" type. Sometimes CloudWatch Logs may emit Kinesis records
 *   with a "CONTROL_MESSAGE" type, mainly for checking if the destination is
 *   reachable.") and `logEvents` ("The ID property is a unique identifier for
 *   every log event."; each event has `id`, `timestamp` in epoch
 *   milliseconds, `message`).
 * - The response, data-transformation-status-model.html above: `recordId`,
 *   `result` ("Ok (the record was transformed successfully), Dropped (the
 *   record was dropped intentionally by your processing logic), and
 *   ProcessingFailed (the record could not be transformed)") and `data` ("The
 *   transformed data payload, after base64-encoding"). The page calls all
 *   three "required for all transformed records", so Dropped and failed
 *   records carry `data` too.
 * - ProcessingFailed records go to the S3 backup: "If a data transformation
 *   fails, the unsuccessfully processed records are delivered to your S3 bucket
 *   in the `processing-failed` folder"
 *   (https://docs.aws.amazon.com/firehose/latest/dev/data-transformation-failure-handling.md).
 *
 * Response size: Firehose invokes the function synchronously, and "The Lambda
 * synchronous invocation mode has a payload size limit of 6 MB for both the
 * request and the response. ... Also ensure that the response that your
 * function returns doesn't exceed 6 MB."
 * (https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html;
 * the stored English page is cut before the sentence, which was read in the
 * archived awsdocs/amazon-kinesis-data-firehose-developer-guide
 * `doc_source/data-transformation.md` and matches the stored zh_cn
 * translation of the current page). An oversized response fails the whole
 * invocation, so `transform` keeps the serialised response within
 * `maxResponseBytes` (default 6,000,000, below 6 MiB) by turning the records
 * that do not fit into ProcessingFailed.
 */

/** One record of a Firehose data-transformation event. */
export interface FirehoseTransformationRecord {
  readonly recordId: string;
  /** Base64. */
  readonly data: string;
  readonly approximateArrivalTimestamp?: number;
}

/** A Firehose data-transformation event (Direct PUT or Kinesis Data Streams source). */
export interface FirehoseTransformationEvent {
  readonly invocationId?: string;
  readonly deliveryStreamArn?: string;
  readonly sourceKinesisStreamArn?: string;
  readonly region?: string;
  readonly records: readonly FirehoseTransformationRecord[];
}

export type TransformationResult = "Ok" | "Dropped" | "ProcessingFailed";

export interface FirehoseResponseRecord {
  readonly recordId: string;
  readonly result: TransformationResult;
  /** Base64. */
  readonly data: string;
}

export interface FirehoseTransformationResponse {
  readonly records: FirehoseResponseRecord[];
}

/** Decoding and encoding, injected: the handler uses node:zlib and Buffer. */
export interface Codec {
  /** Base64 -> gunzip -> UTF-8 text. Throws when the data cannot be decoded. */
  decode(data: string): string;
  /** UTF-8 text -> base64. */
  encode(text: string): string;
}

export interface TransformOptions {
  /** Largest serialised response, in UTF-8 bytes. @default DEFAULT_MAX_RESPONSE_BYTES */
  readonly maxResponseBytes?: number;
}

/** Below Lambda's 6 MB synchronous response limit, whether that means 10^6 or 2^20 bytes per MB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 6_000_000;

/** One log event in the search document. */
export interface SearchEvent {
  /** The event's timestamp, ISO 8601 in UTC with milliseconds. */
  readonly "@timestamp": string;
  readonly id: string;
  readonly message: string;
  /** The message's fields when the message is itself a JSON object. */
  readonly json?: Record<string, unknown>;
}

/** The search document for one CloudWatch Logs batch (one Firehose record). */
export interface SearchDocument {
  /** The earliest event's timestamp: the document's time in OpenSearch. */
  readonly "@timestamp": string;
  /** The latest event's timestamp. */
  readonly lastTimestamp: string;
  /** The account the log group belongs to: the payload's `owner`. */
  readonly account: string;
  readonly logGroup: string;
  readonly logStream: string;
  readonly subscriptionFilters: readonly string[];
  readonly eventCount: number;
  readonly events: readonly SearchEvent[];
}

/** Why a record got its result; `detail` never holds log content. */
export type OutcomeReason =
  "indexed" | "control-message" | "no-log-events" | "undecodable" | "invalid-payload" | "response-size-limit";

export interface RecordOutcome {
  readonly recordId: string;
  readonly result: TransformationResult;
  readonly reason: OutcomeReason;
  readonly detail?: string;
  /** Log events in the record, when it was a valid data message. */
  readonly events?: number;
}

export interface TransformOutput {
  readonly response: FirehoseTransformationResponse;
  /** One per input record, in order: for the function's own log. */
  readonly outcomes: readonly RecordOutcome[];
}

/** The largest valid Date, in epoch milliseconds (ECMA-262 time values). */
const MAX_TIME = 8.64e15;

/** What a candidate entry is worth: documents first, then original data, then nothing. */
const Rank = { Document: 0, OriginalData: 1, NoData: 2 } as const;
type Rank = (typeof Rank)[keyof typeof Rank];

interface Candidate {
  readonly rank: Rank;
  readonly entry: FirehoseResponseRecord;
  readonly outcome: RecordOutcome;
}

/**
 * Transforms one invocation: exactly one response record per input record,
 * same recordIds, same order.
 *
 * Within `maxResponseBytes`, every record first gets its data-less entry
 * (ProcessingFailed, or Dropped for control messages); then, in record order,
 * records get their Ok document where it fits; then Dropped and failed records
 * get their original data back where it fits. So a document never loses its
 * room to original data, which Firehose may not even need (whether the
 * processing-failed backup holds the returned data or Firehose's own copy of
 * the record is not documented in what was read).
 *
 * Throws only when the event itself is unusable (no records array, a record
 * without a string recordId) or when not even the data-less entries fit: then
 * Firehose retries the invocation and, failing that, treats the batch as
 * unsuccessfully processed (data-transformation-failure-handling.md above).
 */
export function transform(
  event: FirehoseTransformationEvent,
  codec: Codec,
  options: TransformOptions = {},
): TransformOutput {
  const limit = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!Number.isInteger(limit) || limit <= 0) throw new Error(`maxResponseBytes: expected a positive whole number`);
  const records = recordsOf(event);

  const candidates = records.map((r) => candidatesFor(r, codec));
  const chosen = candidates.map((cs) => cs[cs.length - 1]);
  let total = ENVELOPE_BYTES + Math.max(0, records.length - 1) + chosen.reduce((a, c) => a + entryBytes(c.entry), 0);
  if (total > limit) {
    throw new Error(
      `${records.length} records need ${total} response bytes without data, over the ${limit}-byte limit`,
    );
  }
  for (const rank of [Rank.Document, Rank.OriginalData] as const) {
    candidates.forEach((cs, i) => {
      const better = cs.find((c) => c.rank === rank);
      if (better === undefined || chosen[i].rank <= rank) return;
      const grown = total - entryBytes(chosen[i].entry) + entryBytes(better.entry);
      if (grown > limit) return;
      chosen[i] = better;
      total = grown;
    });
  }
  return { response: { records: chosen.map((c) => c.entry) }, outcomes: chosen.map((c) => c.outcome) };
}

function recordsOf(event: FirehoseTransformationEvent): readonly FirehoseTransformationRecord[] {
  const records: unknown = (event as { records?: unknown } | null | undefined)?.records;
  if (!Array.isArray(records)) throw new Error("not a Firehose transformation event: no records array");
  records.forEach((r: unknown, i) => {
    if (!isObject(r) || typeof r.recordId !== "string") throw new Error(`record ${i}: no string recordId`);
  });
  return records as FirehoseTransformationRecord[];
}

/** The response entries a record may get, best first, the data-less one last. */
function candidatesFor(record: FirehoseTransformationRecord, codec: Codec): Candidate[] {
  const { recordId } = record;
  const original = typeof record.data === "string" ? record.data : "";
  const failed = (reason: OutcomeReason, detail?: string, events?: number): Candidate[] => {
    const outcome: RecordOutcome = {
      recordId,
      result: "ProcessingFailed",
      reason,
      ...(detail === undefined ? {} : { detail }),
      ...(events === undefined ? {} : { events }),
    };
    return [
      { rank: Rank.OriginalData, entry: { recordId, result: "ProcessingFailed", data: original }, outcome },
      { rank: Rank.NoData, entry: { recordId, result: "ProcessingFailed", data: "" }, outcome },
    ];
  };
  const dropped = (reason: OutcomeReason): Candidate[] => {
    const outcome: RecordOutcome = { recordId, result: "Dropped", reason };
    return [
      { rank: Rank.OriginalData, entry: { recordId, result: "Dropped", data: original }, outcome },
      { rank: Rank.NoData, entry: { recordId, result: "Dropped", data: "" }, outcome },
    ];
  };

  if (typeof record.data !== "string") return failed("undecodable", "data is not a string");
  let text: string;
  try {
    text = codec.decode(record.data);
  } catch (error) {
    return failed("undecodable", error instanceof Error ? error.message : String(error));
  }
  const payload = parsePayload(text);
  if (payload.kind === "invalid") return failed("invalid-payload", payload.detail);
  if (payload.kind === "control") return dropped("control-message");
  if (payload.logEvents.length === 0) return dropped("no-log-events");

  const document = searchDocument(payload);
  const events = payload.logEvents.length;
  return [
    {
      rank: Rank.Document,
      entry: { recordId, result: "Ok", data: codec.encode(JSON.stringify(document)) },
      outcome: { recordId, result: "Ok", reason: "indexed", events },
    },
    ...failed("response-size-limit", `the document does not fit in the response`, events),
  ];
}

// ---------------------------------------------------------------------------
// The CloudWatch Logs subscription payload.
// ---------------------------------------------------------------------------

export interface LogEvent {
  readonly id: string;
  readonly timestamp: number;
  readonly message: string;
}

export interface DataMessage {
  readonly kind: "data";
  readonly owner: string;
  readonly logGroup: string;
  readonly logStream: string;
  readonly subscriptionFilters: readonly string[];
  readonly logEvents: readonly LogEvent[];
}

export type ParsedPayload =
  DataMessage | { readonly kind: "control" } | { readonly kind: "invalid"; readonly detail: string };

/** Reads a decompressed payload. `detail` names fields, never their content. */
export function parsePayload(text: string): ParsedPayload {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "invalid", detail: "not JSON" };
  }
  if (!isObject(value)) return { kind: "invalid", detail: "not a JSON object" };
  if (value.messageType === "CONTROL_MESSAGE") return { kind: "control" };
  if (value.messageType !== "DATA_MESSAGE")
    return { kind: "invalid", detail: "messageType is neither DATA_MESSAGE nor CONTROL_MESSAGE" };
  for (const field of ["owner", "logGroup", "logStream"] as const) {
    if (typeof value[field] !== "string" || value[field] === "") {
      return { kind: "invalid", detail: `${field} is missing or not a non-empty string` };
    }
  }
  const filters = value.subscriptionFilters;
  if (filters !== undefined && !(Array.isArray(filters) && filters.every((f) => typeof f === "string"))) {
    return { kind: "invalid", detail: "subscriptionFilters is not a list of strings" };
  }
  if (!Array.isArray(value.logEvents)) return { kind: "invalid", detail: "logEvents is missing or not a list" };
  const logEvents: LogEvent[] = [];
  for (const [i, e] of value.logEvents.entries()) {
    if (!isObject(e)) return { kind: "invalid", detail: `logEvents[${i}] is not an object` };
    if (typeof e.id !== "string") return { kind: "invalid", detail: `logEvents[${i}].id is not a string` };
    if (typeof e.message !== "string") return { kind: "invalid", detail: `logEvents[${i}].message is not a string` };
    if (typeof e.timestamp !== "number" || !Number.isInteger(e.timestamp) || Math.abs(e.timestamp) > MAX_TIME) {
      return { kind: "invalid", detail: `logEvents[${i}].timestamp is not epoch milliseconds` };
    }
    logEvents.push({ id: e.id, timestamp: e.timestamp, message: e.message });
  }
  return {
    kind: "data",
    owner: value.owner as string,
    logGroup: value.logGroup as string,
    logStream: value.logStream as string,
    subscriptionFilters: (filters as string[] | undefined) ?? [],
    logEvents,
  };
}

/** The batch's search document; callers pass at least one log event. */
export function searchDocument(message: DataMessage): SearchDocument {
  // A reduce, not Math.min(...): a batch may hold thousands of events.
  const first = message.logEvents.reduce((t, e) => Math.min(t, e.timestamp), Infinity);
  const last = message.logEvents.reduce((t, e) => Math.max(t, e.timestamp), -Infinity);
  return {
    "@timestamp": isoTime(first),
    lastTimestamp: isoTime(last),
    account: message.owner,
    logGroup: message.logGroup,
    logStream: message.logStream,
    subscriptionFilters: message.subscriptionFilters,
    eventCount: message.logEvents.length,
    events: message.logEvents.map(searchEvent),
  };
}

export function searchEvent(e: LogEvent): SearchEvent {
  const json = messageJson(e.message);
  return {
    "@timestamp": isoTime(e.timestamp),
    id: e.id,
    message: e.message,
    ...(json === undefined ? {} : { json }),
  };
}

/** The message's fields when the whole message (surrounding whitespace aside) is one JSON object. */
export function messageJson(message: string): Record<string, unknown> | undefined {
  const trimmed = message.trim();
  if (!trimmed.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Epoch milliseconds as ISO 8601 in UTC, e.g. 2026-12-01T12:00:00.000Z. */
export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------
// Response size: the Node.js runtime returns JSON.stringify(response).
// ---------------------------------------------------------------------------

/** `{"records":[]}`: the response without entries. */
const ENVELOPE_BYTES = utf8Length(JSON.stringify({ records: [] }));

/** Bytes of one serialised response entry. */
export function entryBytes(entry: FirehoseResponseRecord): number {
  return utf8Length(JSON.stringify(entry));
}

/** Bytes of the serialised response. */
export function responseBytes(response: FirehoseTransformationResponse): number {
  return utf8Length(JSON.stringify(response));
}

/** UTF-8 length of a string, without Buffer or TextEncoder. */
export function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
