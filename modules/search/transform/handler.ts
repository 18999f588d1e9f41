/**
 * The search transform's Lambda handler (Node.js 22, bundled as an ES module
 * like the delivery watch's): Firehose invokes it with a batch of CloudWatch
 * Logs subscription records and indexes what it returns in OpenSearch. No AWS
 * SDK: decoding is node:zlib and Buffer, everything else is transform.ts.
 *
 * Environment:
 * - MAX_RESPONSE_BYTES (optional): the response size limit, default 6,000,000.
 * - MAX_DECOMPRESSED_BYTES (optional): the largest payload gunzip may produce,
 *   default 8 MiB. A larger payload cannot yield a document that fits the
 *   response (base64 alone adds a third), so it fails early as undecodable
 *   instead of holding the function's memory.
 */
import { Buffer } from "node:buffer";
import { gunzipSync } from "node:zlib";
import {
  transform,
  type Codec,
  type FirehoseTransformationEvent,
  type FirehoseTransformationResponse,
  type RecordOutcome,
  type TransformOptions,
} from "./transform";

export const DEFAULT_MAX_DECOMPRESSED_BYTES = 8 * 1024 * 1024;

/** Failed records logged one by one per invocation; the rest are only counted. */
const MAX_LOGGED_FAILURES = 20;

/** Base64 + gzip codec. Buffer ignores characters outside the base64 alphabet; gunzip rejects what is not gzip. */
export function nodeCodec(maxDecompressedBytes = DEFAULT_MAX_DECOMPRESSED_BYTES): Codec {
  return {
    decode(data) {
      return gunzipSync(Buffer.from(data, "base64"), { maxOutputLength: maxDecompressedBytes }).toString("utf8");
    },
    encode(text) {
      return Buffer.from(text, "utf8").toString("base64");
    },
  };
}

export interface HandlerConfig {
  readonly options: TransformOptions;
  readonly maxDecompressedBytes: number;
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
  const maxResponseBytes = optionalPositive("MAX_RESPONSE_BYTES");
  return {
    options: maxResponseBytes === undefined ? {} : { maxResponseBytes },
    maxDecompressedBytes: optionalPositive("MAX_DECOMPRESSED_BYTES") ?? DEFAULT_MAX_DECOMPRESSED_BYTES,
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

export async function handler(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResponse> {
  const config = configFromEnvironment(process.env);
  const { response, outcomes } = transform(event, nodeCodec(config.maxDecompressedBytes), config.options);
  for (const line of logLines(outcomes)) console.log(line);
  return response;
}
