/**
 * Archive objects as the delivery streams write them, from the seeded record
 * corpus: Firehose decompresses each CloudWatch Logs record and appends a
 * newline (AppendDelimiterToRecord), so an envelope object is one record a
 * line. The message format is written here as one message a line: AWS does
 * not document how message extraction separates the messages of one record
 * (docs/limitations.md).
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_Processor.html
 */
import { Buffer } from "node:buffer";
import { gunzipSync } from "node:zlib";
import { recordCorpus, type DataMessagePayload } from "../../helpers/records";

export interface ArchiveObject {
  /** The decompressed body. */
  readonly body: string;
  /** The records it holds, in order. */
  readonly envelopes: readonly (DataMessagePayload | { readonly messageType: "CONTROL_MESSAGE" })[];
}

/** An envelope object of a seeded, mixed corpus with some control messages and multi-line messages. */
export function envelopeObject(seed: number, compressedBytes = 150_000): ArchiveObject {
  const records = recordCorpus({ seed, kind: "mixed", compressedBytes, controlShare: 0.05, batchBytes: [500, 60_000] });
  const lines = records.map((r) => gunzipSync(Buffer.from(r.data, "base64")).toString("utf8"));
  return { body: lines.map((l) => `${l}\n`).join(""), envelopes: lines.map((l) => JSON.parse(l)) };
}

/** The messages of the envelope object's data records, one a line. */
export function messageObject(object: ArchiveObject): { body: string; messages: string[] } {
  const messages = object.envelopes.flatMap((e) =>
    e.messageType === "DATA_MESSAGE" ? (e as DataMessagePayload).logEvents.map((l) => l.message) : [],
  );
  return { body: messages.map((m) => `${m}\n`).join(""), messages };
}
