/**
 * The record-format contract (docs/siem.md "Record format") as a reader sees
 * it: one JSON document a line, gzip unless the stream says UNCOMPRESSED,
 * each line a CloudWatch Logs envelope or, with message extraction, one
 * event's message as written.
 */
import { gunzipSync } from "node:zlib";

export interface FormatSettings {
  readonly compression: "GZIP" | "UNCOMPRESSED";
  readonly messageExtraction: boolean;
  readonly objectExtension: string;
}

const isGzip = (body: Uint8Array) => body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b;

/** The object's lines, or a problem when its bytes do not match the stream's compression. */
export function objectLines(body: Uint8Array, compression: FormatSettings["compression"]): string[] | string {
  let text: string;
  if (compression === "GZIP") {
    if (!isGzip(body)) return "expected a gzip object (compression GZIP), got bytes without the gzip header";
    try {
      text = gunzipSync(body).toString("utf8");
    } catch (error) {
      return `gzip object does not decompress: ${(error as Error).message}`;
    }
  } else {
    if (isGzip(body)) return "expected an uncompressed object (compression UNCOMPRESSED), got gzip";
    text = Buffer.from(body).toString("utf8");
  }
  // Firehose appends a newline to every record: the last line is empty.
  return text.split("\n").filter((line, i, all) => !(i === all.length - 1 && line === ""));
}

interface Envelope {
  readonly messageType?: unknown;
  readonly owner?: unknown;
  readonly logGroup?: unknown;
  readonly logEvents?: unknown;
}

function envelopeOf(line: string): Envelope | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Envelope) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a line carries the marker (the envelope of the marker group, or the extracted message). */
export function lineHasMarker(
  line: string,
  settings: Pick<FormatSettings, "messageExtraction">,
  marker: { readonly logGroup: string; readonly message: string },
): boolean {
  if (settings.messageExtraction) return line === marker.message;
  const envelope = envelopeOf(line);
  if (!envelope || envelope.logGroup !== marker.logGroup || !Array.isArray(envelope.logEvents)) return false;
  return envelope.logEvents.some((e: { message?: unknown }) => e?.message === marker.message);
}

/**
 * What breaks the contract in an object of the source account: the key's
 * extension, and in the envelope format every line a JSON envelope whose
 * data messages name the account as owner.
 */
export function formatProblems(
  key: string,
  lines: readonly string[],
  settings: FormatSettings,
  accountId: string,
): string[] {
  const problems: string[] = [];
  if (!key.endsWith(settings.objectExtension)) {
    problems.push(`key does not end with ${settings.objectExtension}`);
  }
  if (lines.length === 0) problems.push("object has no line");
  if (settings.messageExtraction) return problems;
  lines.forEach((line, i) => {
    const envelope = envelopeOf(line);
    if (!envelope) {
      problems.push(`line ${i + 1} is not a JSON object`);
      return;
    }
    if (envelope.messageType !== "DATA_MESSAGE" && envelope.messageType !== "CONTROL_MESSAGE") {
      problems.push(`line ${i + 1}: messageType ${JSON.stringify(envelope.messageType)}`);
    }
    if (envelope.messageType === "DATA_MESSAGE" && envelope.owner !== accountId) {
      problems.push(`line ${i + 1}: owner ${JSON.stringify(envelope.owner)}, expected "${accountId}"`);
    }
    if (!Array.isArray(envelope.logEvents)) problems.push(`line ${i + 1}: no logEvents array`);
  });
  return problems.slice(0, 5);
}

/** Whether a line is the source's heartbeat (its log group's envelope, or the extracted scheduled event). */
export function lineIsHeartbeat(
  line: string,
  settings: Pick<FormatSettings, "messageExtraction">,
  heartbeat: { readonly logGroup: string; readonly ruleArn: string },
): boolean {
  const value = envelopeOf(line) as (Envelope & { resources?: unknown }) | undefined;
  if (!value) return false;
  if (settings.messageExtraction) return Array.isArray(value.resources) && value.resources.includes(heartbeat.ruleArn);
  return value.logGroup === heartbeat.logGroup;
}

/** Lines that are CloudWatch Logs health checks (`CONTROL_MESSAGE`) rather than data. */
export function controlMessageCount(lines: readonly string[]): number {
  return lines.filter((line) => envelopeOf(line)?.messageType === "CONTROL_MESSAGE").length;
}
