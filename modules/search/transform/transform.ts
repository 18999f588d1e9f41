/**
 * The Firehose data transformation that turns CloudWatch Logs subscription
 * records into OpenSearch documents, free of AWS calls so that tests can drive
 * it: decoding and compression (base64, gzip) are injected as a `Codec`; the
 * Lambda entry in handler.ts supplies node:zlib and Buffer, and performs the
 * re-ingestion this module plans.
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
 *   "Currently, Firehose does not support the delivery of CloudWatch Logs to
 *   Amazon OpenSearch Service destination because Amazon CloudWatch combines
 *   multiple log events into one Firehose record and Amazon OpenSearch Service
 *   cannot accept multiple log events in one record."
 * - A transformation cannot add records: "The transformed record must contain
 *   the same record ID." (https://docs.aws.amazon.com/firehose/latest/dev/data-transformation-status-model.html)
 *
 * THE DOCUMENT IS BOUNDED (issue 19): a fixed set of typed fields, the
 * message as text and nothing parsed out of it, so that one index template
 * (index-template.ts) maps every document whatever the organisation logs. The
 * earlier `events[].json` copy of JSON messages is gone: it created one
 * dynamic field per key ever logged (OpenSearch's
 * `index.mapping.total_fields.limit` defaults to 1,000) and doubled the
 * response of JSON-heavy batches (CloudTrail).
 *
 * RESPONSE SIZE AND RE-INGESTION (issue 19): Firehose invokes the function
 * synchronously, and "The Lambda synchronous invocation mode has a payload
 * size limit of 6 MB for both the request and the response. ... Also ensure
 * that the response that your function returns doesn't exceed 6 MB."
 * (https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html).
 * Firehose buffers *compressed* CloudWatch Logs records for the function, and
 * their documents are decompressed and base64-encoded, so a buffer's response
 * can be tens of times its input. `transform` keeps the response within
 * `maxResponseBytes`; the data messages whose documents do not fit are planned
 * for re-ingestion, as AWS's CloudWatch Logs processor blueprint for Firehose
 * does ("When the total data size ... exceeds 6,000,000 bytes, any additional
 * records are re-ingested back into Firehose or Kinesis"; "Any individual
 * record exceeding 6,000,000 bytes in size after decompression, processing
 * and base64-encoding is marked as Dropped, and the original record is split
 * into two and re-ingested"; Lambda console blueprint
 * kinesis-firehose-cloudwatch-logs-processor, Node.js, read from a repository
 * copy). Unlike the blueprint, which puts the records back into its *source*,
 * the re-ingested records never go back into the central Kinesis stream (the
 * archive's own Firehose reads it: they would be archived twice) but into the
 * search's own Direct PUT overflow stream, whose Firehose runs this same
 * transform. Every re-ingested record is a CloudWatch Logs payload again
 * (gzip), split so that its document is at most `documentTargetBytes` and its
 * data at most Firehose's record limit, and it counts its re-ingestions
 * (`searchReingestAttempt`) so that a record cannot circulate forever; records
 * re-ingested before are fitted first. The record itself is returned
 * `Dropped` ("If a record has a status of Ok or Dropped, Amazon Data Firehose
 * considers it successfully processed", data-transformation-status-model.html).
 *
 * Input and output formats:
 * - The event: `records: [{ recordId, approximateArrivalTimestamp, data }]`,
 *   `data` base64; Kinesis Data Streams sources add `sourceKinesisStreamArn`
 *   and `kinesisRecordMetadata`, ignored here (Powertools for AWS Lambda's
 *   KinesisFireHoseEvent schema,
 *   https://docs.aws.amazon.com/powertools/typescript/2.13.0/api/types/_aws-lambda-powertools_parser.types.KinesisFireHoseEvent.html).
 * - Each record's data is one CloudWatch Logs subscription payload:
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html
 *   "The Data attribute in a Kinesis record is Base64 encoded and compressed
 *   with the gzip format.", with `owner`, `logGroup`, `logStream`,
 *   `subscriptionFilters`, `messageType` (DATA_MESSAGE, or CONTROL_MESSAGE
 *   "mainly for checking if the destination is reachable") and `logEvents`
 *   (`id`, `timestamp` in epoch milliseconds, `message`).
 * - The response, data-transformation-status-model.html above: `recordId`,
 *   `result` (Ok, Dropped, ProcessingFailed) and `data` ("The transformed data
 *   payload, after base64-encoding"), all three required.
 * - ProcessingFailed records go to the S3 backup's `processing-failed` folder
 *   (https://docs.aws.amazon.com/firehose/latest/dev/data-transformation-failure-handling.html).
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

/** Decoding, encoding and compression, injected: the handler uses node:zlib and Buffer. */
export interface Codec {
  /** Base64 -> gunzip -> UTF-8 text. Throws when the data cannot be decoded. */
  decode(data: string): string;
  /** UTF-8 text -> base64. */
  encode(text: string): string;
  /** UTF-8 text -> gzip -> base64: a CloudWatch Logs record as CloudWatch Logs writes it. */
  compress(text: string): string;
}

/** How records whose documents do not fit the response are re-ingested. */
export interface ReingestOptions {
  /**
   * Largest data of one re-ingested record, in bytes before base64.
   * @default MAX_FIREHOSE_RECORD_BYTES
   */
  readonly maxRecordBytes?: number;
  /**
   * Largest response entry (document, base64) of one re-ingested record: small
   * enough that several always fit one invocation of the overflow stream.
   * @default DEFAULT_DOCUMENT_TARGET_BYTES
   */
  readonly documentTargetBytes?: number;
  /**
   * Re-ingestions of one batch before it fails instead (a loop breaker; records
   * re-ingested before are fitted first, so it should never be reached).
   * @default DEFAULT_MAX_REINGEST_ATTEMPTS
   */
  readonly maxAttempts?: number;
}

export interface TransformOptions {
  /** Largest serialised response, in UTF-8 bytes. @default DEFAULT_MAX_RESPONSE_BYTES */
  readonly maxResponseBytes?: number;
  /**
   * Re-ingestion of what does not fit, or `false` to fail it instead (reason
   * `response-size-limit`), e.g. where no overflow stream is configured.
   * @default - re-ingest, with ReingestOptions' defaults
   */
  readonly reingest?: ReingestOptions | false;
}

/** Below Lambda's 6 MB synchronous response limit, whether that means 10^6 or 2^20 bytes per MB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 6_000_000;

/**
 * "Each record in the request can be as large as 1,000 KB (before base64
 * encoding)" (PutRecordBatch; PutRecord says 1,000 KiB): the smaller reading.
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecordBatch.html
 */
export const MAX_FIREHOSE_RECORD_BYTES = 1_000_000;

/** A re-ingested record's document: at most a sixth of the response, so that five or more fit one invocation. */
export const DEFAULT_DOCUMENT_TARGET_BYTES = 1_000_000;

export const DEFAULT_MAX_REINGEST_ATTEMPTS = 10;

/** The payload field that counts a re-ingested batch's trips through the overflow stream (ours, not CloudWatch's). */
export const REINGEST_ATTEMPT_FIELD = "searchReingestAttempt";

/** Bytes of the response kept free for the other records' entries when one event is too large for a re-ingested record. */
const SINGLE_EVENT_RESERVE_BYTES = 262_144;

/** One log event in the search document. */
export interface SearchEvent {
  /** The event's timestamp, ISO 8601 in UTC with milliseconds. */
  readonly "@timestamp": string;
  readonly id: string;
  /** The log event as written, never parsed: a text field of the index template. */
  readonly message: string;
}

/** The search document for one CloudWatch Logs batch (one Firehose record, or one part of a split batch). */
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
  | "indexed"
  | "reingested"
  | "control-message"
  | "no-log-events"
  | "undecodable"
  | "invalid-payload"
  | "event-too-large"
  | "reingest-limit"
  | "reingest-failed"
  | "response-size-limit";

export interface RecordOutcome {
  readonly recordId: string;
  readonly result: TransformationResult;
  readonly reason: OutcomeReason;
  readonly detail?: string;
  /** Log events in the record, when it was a valid data message. */
  readonly events?: number;
  /** Records re-ingested for it (the parts of a split batch). */
  readonly parts?: number;
}

/** A record for the overflow stream: a CloudWatch Logs payload, gzip, base64. */
export interface ReingestRecord {
  /** The input record it comes from. */
  readonly recordId: string;
  /** Base64 of the gzip payload. */
  readonly data: string;
}

export interface TransformOutput {
  readonly response: FirehoseTransformationResponse;
  /** One per input record, in order: for the function's own log and metrics. */
  readonly outcomes: readonly RecordOutcome[];
  /** What the handler must put into the overflow stream, in record order. */
  readonly reingest: readonly ReingestRecord[];
}

/** The largest valid Date, in epoch milliseconds (ECMA-262 time values). */
const MAX_TIME = 8.64e15;

/** What a candidate entry is worth: documents first, then original data, then nothing. */
const Rank = { Document: 0, OriginalData: 1, NoData: 2 } as const;
type Rank = (typeof Rank)[keyof typeof Rank];

interface Choice {
  readonly rank: Rank;
  /** Bytes of the serialised entry; for a document, computed without encoding it. */
  readonly bytes: number;
  readonly entry: () => FirehoseResponseRecord;
  readonly outcome: RecordOutcome;
}

interface Candidate {
  /** Best first; the last one has no data. */
  readonly choices: readonly Choice[];
  /** A data message, for re-ingestion when its document does not fit. */
  readonly message?: DataMessage;
}

/**
 * Transforms one invocation: exactly one response record per input record,
 * same recordIds, same order, the serialised response at most
 * `maxResponseBytes`.
 *
 * Every record first gets its data-less entry (a data message reserves the
 * ProcessingFailed one, in case its re-ingestion fails); then records get
 * their Ok document where it fits, those re-ingested before first and
 * otherwise in record order; the data messages left over are re-ingested
 * (Dropped), or fail with `response-size-limit` when re-ingestion is off; then
 * Dropped and failed records get their original data back where it fits.
 *
 * Throws only when the event itself is unusable (no records array, a record
 * without a string recordId) or when not even the data-less entries fit: then
 * Firehose retries the invocation and, failing that, treats the batch as
 * unsuccessfully processed (data-transformation-failure-handling.html).
 */
export function transform(
  event: FirehoseTransformationEvent,
  codec: Codec,
  options: TransformOptions = {},
): TransformOutput {
  const limit = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!Number.isInteger(limit) || limit <= 0) throw new Error(`maxResponseBytes: expected a positive whole number`);
  const reingest = reingestSettings(options.reingest);
  const records = recordsOf(event);

  const candidates = records.map((r) => candidateFor(r, codec));
  const chosen: Choice[] = candidates.map((c) => c.choices[c.choices.length - 1]!);
  let total = ENVELOPE_BYTES + Math.max(0, records.length - 1) + chosen.reduce((a, c) => a + c.bytes, 0);
  if (total > limit) {
    throw new Error(
      `${records.length} records need ${total} response bytes without data, over the ${limit}-byte limit`,
    );
  }
  const upgrade = (i: number, rank: Rank): void => {
    const better = candidates[i]!.choices.find((c) => c.rank === rank);
    if (better === undefined || chosen[i]!.rank <= rank) return;
    const grown = total - chosen[i]!.bytes + better.bytes;
    if (grown > limit) return;
    chosen[i] = better;
    total = grown;
  };

  for (const i of fittingOrder(candidates)) upgrade(i, Rank.Document);

  const planned: ReingestRecord[] = [];
  candidates.forEach((candidate, i) => {
    const { message } = candidate;
    if (message === undefined || chosen[i]!.rank === Rank.Document) return;
    const { recordId } = records[i]!;
    if (reingest === undefined) {
      chosen[i] = withOutcome(chosen[i]!, {
        recordId,
        result: "ProcessingFailed",
        reason: "response-size-limit",
        detail: "the document does not fit in the response",
        events: message.logEvents.length,
      });
      return;
    }
    const plan = planReingest(recordId, message, codec, reingest, limit);
    planned.push(...plan.records);
    // The entry keeps its reserved size: Dropped without data is smaller than ProcessingFailed without data.
    chosen[i] = plan.failure
      ? withOutcome(chosen[i]!, {
          recordId,
          result: "ProcessingFailed",
          reason: plan.failure.reason,
          detail: plan.failure.detail,
          events: message.logEvents.length,
          ...(plan.records.length > 0 ? { parts: plan.records.length } : {}),
        })
      : {
          rank: Rank.NoData,
          bytes: chosen[i]!.bytes,
          entry: () => ({ recordId, result: "Dropped", data: "" }),
          outcome: {
            recordId,
            result: "Dropped",
            reason: "reingested",
            events: message.logEvents.length,
            parts: plan.records.length,
          },
        };
  });

  candidates.forEach((_, i) => {
    if (chosen[i]!.outcome.result !== "Dropped" || chosen[i]!.outcome.reason !== "reingested") {
      upgrade(i, Rank.OriginalData);
    }
  });
  // A failed re-ingestion plan keeps the ProcessingFailed entry; give it its original data where it fits.
  records.forEach((record, i) => {
    const c = chosen[i]!;
    if (c.outcome.result !== "ProcessingFailed" || c.rank !== Rank.NoData || typeof record.data !== "string") return;
    const bytes = entryBytes({ recordId: record.recordId, result: "ProcessingFailed", data: record.data });
    if (total - c.bytes + bytes > limit) return;
    total = total - c.bytes + bytes;
    chosen[i] = {
      ...c,
      rank: Rank.OriginalData,
      bytes,
      entry: () => ({ recordId: record.recordId, result: "ProcessingFailed", data: record.data }),
    };
  });

  return {
    response: { records: chosen.map((c) => c.entry()) },
    outcomes: chosen.map((c) => c.outcome),
    reingest: planned,
  };
}

/**
 * The response once the handler knows which re-ingestions failed: those
 * records become ProcessingFailed (reason `reingest-failed`), with their
 * original data where it still fits, so that they reach the processing-failed
 * backup and the failed-records metric. The response never grows past the
 * limit: their data-less entries were reserved by `transform`.
 */
export function settleReingest(
  event: FirehoseTransformationEvent,
  output: TransformOutput,
  failedRecordIds: ReadonlySet<string>,
  maxResponseBytes: number = DEFAULT_MAX_RESPONSE_BYTES,
): TransformOutput {
  if (failedRecordIds.size === 0) return output;
  const records = output.response.records.map((r) =>
    failedRecordIds.has(r.recordId) && r.result === "Dropped"
      ? { recordId: r.recordId, result: "ProcessingFailed" as const, data: "" }
      : r,
  );
  let total = responseBytes({ records });
  const originals = new Map(event.records.map((r) => [r.recordId, r.data]));
  records.forEach((r, i) => {
    if (!failedRecordIds.has(r.recordId) || r.result !== "ProcessingFailed" || r.data !== "") return;
    const data = originals.get(r.recordId);
    if (typeof data !== "string") return;
    const grown = total + utf8Length(data);
    if (grown > maxResponseBytes) return;
    records[i] = { ...r, data };
    total = grown;
  });
  const outcomes = output.outcomes.map((o) =>
    failedRecordIds.has(o.recordId) && o.reason === "reingested"
      ? {
          ...o,
          result: "ProcessingFailed" as const,
          reason: "reingest-failed" as const,
          detail: "the overflow stream did not accept its records",
        }
      : o,
  );
  return { response: { records }, outcomes, reingest: output.reingest };
}

function reingestSettings(option: ReingestOptions | false | undefined): Required<ReingestOptions> | undefined {
  if (option === false) return undefined;
  const settings = {
    maxRecordBytes: option?.maxRecordBytes ?? MAX_FIREHOSE_RECORD_BYTES,
    documentTargetBytes: option?.documentTargetBytes ?? DEFAULT_DOCUMENT_TARGET_BYTES,
    maxAttempts: option?.maxAttempts ?? DEFAULT_MAX_REINGEST_ATTEMPTS,
  };
  for (const [name, value] of Object.entries(settings)) {
    if (!Number.isInteger(value) || value <= 0) throw new Error(`reingest.${name}: expected a positive whole number`);
  }
  return settings;
}

function recordsOf(event: FirehoseTransformationEvent): readonly FirehoseTransformationRecord[] {
  const records: unknown = (event as { records?: unknown } | null | undefined)?.records;
  if (!Array.isArray(records)) throw new Error("not a Firehose transformation event: no records array");
  records.forEach((r: unknown, i) => {
    if (!isObject(r) || typeof r.recordId !== "string") throw new Error(`record ${i}: no string recordId`);
  });
  return records as FirehoseTransformationRecord[];
}

/** Indexes of the candidates with a document: re-ingested ones first (most trips first), then in record order. */
function fittingOrder(candidates: readonly Candidate[]): number[] {
  return candidates
    .map((c, i) => ({ i, attempt: c.message?.attempt ?? 0, document: c.choices[0]!.rank === Rank.Document }))
    .filter((c) => c.document)
    .sort((a, b) => b.attempt - a.attempt || a.i - b.i)
    .map((c) => c.i);
}

function withOutcome(choice: Choice, outcome: RecordOutcome): Choice {
  const { recordId, result } = outcome;
  return { rank: Rank.NoData, bytes: choice.bytes, entry: () => ({ recordId, result, data: "" }), outcome };
}

/** The response entries a record may get, best first, the data-less one last. */
function candidateFor(record: FirehoseTransformationRecord, codec: Codec): Candidate {
  const { recordId } = record;
  const original = typeof record.data === "string" ? record.data : "";
  const fixed = (rank: Rank, result: TransformationResult, data: string, outcome: RecordOutcome): Choice => {
    const entry = { recordId, result, data };
    return { rank, bytes: entryBytes(entry), entry: () => entry, outcome };
  };
  const failed = (reason: OutcomeReason, detail?: string): Candidate => {
    const outcome: RecordOutcome = {
      recordId,
      result: "ProcessingFailed",
      reason,
      ...(detail === undefined ? {} : { detail }),
    };
    return {
      choices: [
        fixed(Rank.OriginalData, "ProcessingFailed", original, outcome),
        fixed(Rank.NoData, "ProcessingFailed", "", outcome),
      ],
    };
  };
  const dropped = (reason: OutcomeReason): Candidate => {
    const outcome: RecordOutcome = { recordId, result: "Dropped", reason };
    return {
      choices: [fixed(Rank.OriginalData, "Dropped", original, outcome), fixed(Rank.NoData, "Dropped", "", outcome)],
    };
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

  const document = documentJson(payload);
  const events = payload.logEvents.length;
  const okOutcome: RecordOutcome = { recordId, result: "Ok", reason: "indexed", events };
  // Reserved for a failed re-ingestion; its outcome is replaced when the record is planned.
  const reserve = fixed(Rank.NoData, "ProcessingFailed", "", {
    recordId,
    result: "ProcessingFailed",
    reason: "response-size-limit",
    events,
  });
  return {
    message: payload,
    choices: [
      {
        rank: Rank.Document,
        bytes: okEntryBytes(recordId, document.bytes),
        entry: () => ({ recordId, result: "Ok", data: codec.encode(document.json) }),
        outcome: okOutcome,
      },
      reserve,
    ],
  };
}

// ---------------------------------------------------------------------------
// Re-ingestion planning.
// ---------------------------------------------------------------------------

interface ReingestPlan {
  readonly records: ReingestRecord[];
  readonly failure?: { readonly reason: OutcomeReason; readonly detail: string };
}

/**
 * Splits a batch into CloudWatch Logs payloads whose documents are at most
 * the target and whose gzip data fits a Firehose record. An event too large
 * for a record of its own is left out and fails the record (reason
 * `event-too-large`, the original goes to the processing-failed backup);
 * the rest of its batch is still re-ingested.
 */
function planReingest(
  recordId: string,
  message: DataMessage,
  codec: Codec,
  settings: Required<ReingestOptions>,
  maxResponseBytes: number,
): ReingestPlan {
  const attempt = message.attempt + 1;
  if (attempt > settings.maxAttempts) {
    return {
      records: [],
      failure: {
        reason: "reingest-limit",
        detail: `re-ingested ${message.attempt} times without fitting a response`,
      },
    };
  }
  const serialised = message.logEvents.map((e) => JSON.stringify(searchEvent(e)));
  const records: ReingestRecord[] = [];
  const tooLarge: number[] = [];
  const singleEventLimit = maxResponseBytes - SINGLE_EVENT_RESERVE_BYTES;

  const emit = (from: number, to: number): void => {
    const events = message.logEvents.slice(from, to);
    const payload = JSON.stringify({
      messageType: "DATA_MESSAGE",
      owner: message.owner,
      logGroup: message.logGroup,
      logStream: message.logStream,
      subscriptionFilters: message.subscriptionFilters,
      logEvents: events,
      [REINGEST_ATTEMPT_FIELD]: attempt,
    });
    const data = codec.compress(payload);
    const dataBytes = base64Bytes(data);
    const documentBytes = okEntryBytes(recordId, documentJsonOf(message, serialised.slice(from, to), events).bytes);
    const single = to - from === 1;
    const fits = dataBytes <= settings.maxRecordBytes && documentBytes <= settings.documentTargetBytes;
    if (fits || (single && dataBytes <= settings.maxRecordBytes && documentBytes <= singleEventLimit)) {
      records.push({ recordId, data });
    } else if (single) {
      tooLarge.push(from);
    } else {
      const middle = from + Math.floor((to - from) / 2);
      emit(from, middle);
      emit(middle, to);
    }
  };

  // Greedy groups by document size first; `emit` halves any group whose real sizes still exceed a limit.
  const header = documentHeaderBytes(message);
  let start = 0;
  let bytes = header;
  serialised.forEach((json, i) => {
    const eventBytes = utf8Length(json) + 1;
    if (i > start && okEntryBytes(recordId, bytes + eventBytes) > settings.documentTargetBytes) {
      emit(start, i);
      start = i;
      bytes = header;
    }
    bytes += eventBytes;
  });
  emit(start, serialised.length);

  if (tooLarge.length === 0) return { records };
  return {
    records,
    failure: {
      reason: "event-too-large",
      detail:
        `${tooLarge.length} event(s) (first: index ${tooLarge[0]}) too large for a document of their own ` +
        `(at most ${settings.maxRecordBytes} bytes of gzip data and ${singleEventLimit} bytes of document)`,
    },
  };
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
  /** Times the batch went through the overflow stream: 0 for CloudWatch Logs' own records. */
  readonly attempt: number;
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
  const attempt = value[REINGEST_ATTEMPT_FIELD] ?? 0;
  if (typeof attempt !== "number" || !Number.isInteger(attempt) || attempt < 0) {
    return { kind: "invalid", detail: `${REINGEST_ATTEMPT_FIELD} is not a whole number` };
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
    attempt,
  };
}

/** The batch's search document; callers pass at least one log event. */
export function searchDocument(message: Omit<DataMessage, "attempt" | "kind">): SearchDocument {
  return { ...documentHeader(message, message.logEvents), events: message.logEvents.map(searchEvent) };
}

export function searchEvent(e: LogEvent): SearchEvent {
  return { "@timestamp": isoTime(e.timestamp), id: e.id, message: e.message };
}

function documentHeader(
  message: Omit<DataMessage, "attempt" | "kind">,
  events: readonly LogEvent[],
): Omit<SearchDocument, "events"> {
  // A reduce, not Math.min(...): a batch may hold thousands of events.
  const first = events.reduce((t, e) => Math.min(t, e.timestamp), Infinity);
  const last = events.reduce((t, e) => Math.max(t, e.timestamp), -Infinity);
  return {
    "@timestamp": isoTime(first),
    lastTimestamp: isoTime(last),
    account: message.owner,
    logGroup: message.logGroup,
    logStream: message.logStream,
    subscriptionFilters: message.subscriptionFilters,
    eventCount: events.length,
  };
}

/**
 * JSON.stringify(searchDocument(message)), assembled from the events'
 * serialisations so that they are serialised once, with its UTF-8 length.
 */
function documentJsonOf(
  message: Omit<DataMessage, "attempt" | "kind">,
  serialisedEvents: readonly string[],
  events: readonly LogEvent[],
): { json: string; bytes: number } {
  const header = JSON.stringify(documentHeader(message, events));
  const json = `${header.slice(0, -1)},"events":[${serialisedEvents.join(",")}]}`;
  return { json, bytes: utf8Length(json) };
}

function documentJson(message: DataMessage): { json: string; bytes: number } {
  return documentJsonOf(
    message,
    message.logEvents.map((e) => JSON.stringify(searchEvent(e))),
    message.logEvents,
  );
}

/** An upper bound of a document's bytes without its events (eventCount at its widest). */
function documentHeaderBytes(message: DataMessage): number {
  const widest = { ...documentHeader(message, message.logEvents), eventCount: message.logEvents.length };
  return utf8Length(JSON.stringify(widest)) + utf8Length(',"events":[]');
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

/** Bytes of an Ok entry whose document has `documentBytes` UTF-8 bytes (base64 is ASCII, never escaped). */
function okEntryBytes(recordId: string, documentBytes: number): number {
  return entryBytes({ recordId, result: "Ok", data: "" }) + 4 * Math.ceil(documentBytes / 3);
}

/** Bytes a base64 string decodes to. */
export function base64Bytes(data: string): number {
  const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  return (data.length / 4) * 3 - padding;
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
