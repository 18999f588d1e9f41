/**
 * Search delivery end to end without AWS: the records of a corpus go through
 * the transform as the search stream's Firehose would hand them over (one
 * request per buffer), what the transform re-ingests goes through the
 * overflow stream the same way, until nothing is left. Counts what became of
 * every CloudWatch Logs record and event, and the largest response. No clock:
 * the benchmark times it from outside.
 */
import { Buffer } from "node:buffer";
import { gunzipSync } from "node:zlib";
import { nodeCodec } from "../../../modules/search/transform/handler";
import {
  responseBytes,
  transform,
  type FirehoseTransformationEvent,
  type TransformOptions,
} from "../../../modules/search/transform/transform";
import { transformationRequests, type SubscriptionRecord } from "./corpus";

export interface DeliveryResult {
  /** Data records of the corpus (control messages excluded). */
  readonly dataRecords: number;
  /** Data records all of whose events reached an Ok document, directly or through the overflow stream. */
  readonly indexedRecords: number;
  readonly indexedDirectly: number;
  /** Data records re-ingested at least once. */
  readonly reingestedRecords: number;
  /** Log events of the corpus and the ones that reached a document. */
  readonly events: number;
  readonly indexedEvents: number;
  /** ProcessingFailed outcomes by reason, over both streams. */
  readonly failures: Readonly<Record<string, number>>;
  readonly invocations: number;
  readonly overflowInvocations: number;
  /** Rounds through the overflow stream (0 when nothing was re-ingested). */
  readonly overflowRounds: number;
  readonly maxResponseBytes: number;
  /** The largest response entry count of one invocation. */
  readonly maxRecordsPerInvocation: number;
}

export interface DeliveryOptions {
  readonly bufferMiB: number;
  readonly transform?: TransformOptions;
  /** Stop after this many overflow rounds (a loop would otherwise never end). @default 50 */
  readonly maxRounds?: number;
}

/** Ok documents' event ids, from the response entries' data. */
function documentEvents(data: string): string[] {
  const doc = JSON.parse(Buffer.from(data, "base64").toString("utf8")) as { events: { id: string }[] };
  return doc.events.map((e) => e.id);
}

function eventIds(record: SubscriptionRecord): string[] {
  const payload = JSON.parse(gunzipSync(Buffer.from(record.data, "base64")).toString("utf8")) as {
    logEvents: { id: string }[];
  };
  return payload.logEvents.map((e) => e.id);
}

export function simulateDelivery(records: readonly SubscriptionRecord[], options: DeliveryOptions): DeliveryResult {
  const codec = nodeCodec();
  const data = records.filter((r) => r.kind !== "control");
  const wanted = new Map<string, Set<string>>(); // corpus record index -> its event ids not yet indexed
  const owner = new Map<string, string>(); // event id -> corpus record index
  data.forEach((r, i) => {
    const ids = eventIds(r);
    wanted.set(String(i), new Set(ids));
    for (const id of ids) owner.set(id, String(i));
  });
  const events = owner.size;
  const failures: Record<string, number> = {};
  const reingestedFrom = new Set<string>();
  let maxResponse = 0;
  let maxRecords = 0;
  let invocations = 0;
  let overflowInvocations = 0;

  const run = (requests: FirehoseTransformationEvent[], overflow: boolean): string[] => {
    const next: string[] = [];
    for (const request of requests) {
      const output = transform(request, codec, options.transform);
      const bytes = responseBytes(output.response);
      maxResponse = Math.max(maxResponse, bytes);
      maxRecords = Math.max(maxRecords, request.records.length);
      if (overflow) overflowInvocations++;
      else invocations++;
      output.response.records.forEach((entry, i) => {
        const outcome = output.outcomes[i]!;
        if (entry.result === "Ok") {
          for (const id of documentEvents(entry.data)) {
            const corpusRecord = owner.get(id);
            if (corpusRecord === undefined) continue;
            wanted.get(corpusRecord)!.delete(id);
          }
        } else if (entry.result === "ProcessingFailed") {
          failures[outcome.reason] = (failures[outcome.reason] ?? 0) + 1;
        }
      });
      for (const r of output.reingest ?? []) {
        next.push(r.data);
        for (const id of eventIds({ data: r.data } as SubscriptionRecord)) {
          const corpusRecord = owner.get(id);
          if (corpusRecord !== undefined) reingestedFrom.add(corpusRecord);
        }
      }
    }
    return next;
  };

  let pending = run(transformationRequests(records, { bufferMiB: options.bufferMiB }), false);
  const indexedDirectly = [...wanted.values()].filter((s) => s.size === 0).length;
  let rounds = 0;
  while (pending.length > 0 && rounds < (options.maxRounds ?? 50)) {
    rounds++;
    const asRecords = pending.map(
      (d) =>
        ({
          kind: "cloudtrail",
          data: d,
          compressedBytes: Buffer.byteLength(d, "base64"),
          payloadBytes: 0,
          events: 0,
        }) as SubscriptionRecord,
    );
    // The overflow stream is Direct PUT: its requests carry no Kinesis fields.
    const requests = transformationRequests(asRecords, {
      bufferMiB: options.bufferMiB,
      deliveryStreamName: "cwl-archive-search-overflow",
    }).map((request) => ({
      invocationId: request.invocationId,
      deliveryStreamArn: request.deliveryStreamArn,
      region: request.region,
      records: request.records.map(({ recordId, data: d, approximateArrivalTimestamp }) => ({
        recordId,
        data: d,
        approximateArrivalTimestamp,
      })),
    }));
    pending = run(requests, true);
  }

  const missing = [...wanted.values()].reduce((a, s) => a + s.size, 0);
  return {
    dataRecords: data.length,
    indexedRecords: [...wanted.values()].filter((s) => s.size === 0).length,
    indexedDirectly,
    reingestedRecords: reingestedFrom.size,
    events,
    indexedEvents: events - missing,
    failures,
    invocations,
    overflowInvocations,
    overflowRounds: rounds,
    maxResponseBytes: maxResponse,
    maxRecordsPerInvocation: maxRecords,
  };
}
