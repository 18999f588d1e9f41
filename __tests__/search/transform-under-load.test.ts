/**
 * Issue 19, defect 5: search delivery indexed a fraction of the records under
 * load (1 MB of compressed CloudWatch Logs per invocation decompressed,
 * duplicated and base64-encoded past Lambda's 6 MB response; 9 records of 51
 * indexed). Here the search stream as the construct configures it (its Lambda
 * processor's BufferSizeInMBs, read from the synthesised stream) takes the
 * seeded corpus of the kind of log that compresses best (its documents are
 * the largest per input byte), with large events and control messages: every
 * record must reach an Ok document, directly or through the overflow stream,
 * none fails for size, and no response exceeds 6,000,000 bytes. Not timed:
 * `npm run bench:search` measures speed.
 */
import type { TerraformStack } from "cdktf";
import { compressionRatio, MESSAGE_KINDS, recordCorpus, type MessageKind } from "../helpers/records/corpus";
import { simulateDelivery } from "../helpers/records/pipeline";
import { SearchDelivery } from "../../modules/search/search-delivery";
import { DEFAULT_MAX_RESPONSE_BYTES } from "../../modules/search/transform/transform";
import { synthConstruct } from "../helpers/construct";
import { resource } from "../helpers/synth";

const ACCOUNT = "111111111111";
const SEED = 19;
const MIB = 1024 * 1024;

function configuredBufferMiB(): number {
  const tf = synthConstruct(
    (stack: TerraformStack) =>
      new SearchDelivery(stack, "Search", {
        accountId: ACCOUNT,
        region: "eu-west-1",
        namePrefix: "cwl-archive",
        archiveBucketArn: `arn:aws:s3:::cwl-archive-${ACCOUNT}-eu-west-1`,
        archiveKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0a1b2c3d-0000-4000-8000-000000000000`,
        kinesisStreamArn: `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/cwl-archive-central-eu-west-1`,
        domainArn: `arn:aws:es:eu-west-1:${ACCOUNT}:domain/security-logs`,
        indexName: "cloudwatch-logs",
        indexRotation: "OneDay",
        principals: [],
        retryDurationSeconds: 300,
        logRetentionDays: 365,
      }),
  );
  const stream = resource(tf, "aws_kinesis_firehose_delivery_stream", "Search/Stream");
  const [processor] = stream.opensearch_configuration.processing_configuration.processors;
  const size = processor.parameters.find((p: { parameter_name: string }) => p.parameter_name === "BufferSizeInMBs");
  return Number(size.parameter_value);
}

/** The kind whose batches compress best: its documents are the largest per byte Firehose buffers. */
function worstKind(): { kind: MessageKind; ratio: number } {
  const ratios = MESSAGE_KINDS.map((kind) => ({
    kind,
    ratio: compressionRatio(recordCorpus({ seed: SEED, kind, compressedBytes: MIB / 2 })),
  }));
  return ratios.reduce((a, b) => (b.ratio > a.ratio ? b : a));
}

describe("the search transform under load (the seeded corpus of the worst compression ratio)", () => {
  const bufferMiB = configuredBufferMiB();
  const worst = worstKind();
  const records = recordCorpus({
    seed: SEED,
    kind: worst.kind,
    compressedBytes: 2 * MIB,
    largeEventShare: 0.05,
    controlShare: 0.02,
  });
  const result = simulateDelivery(records, { bufferMiB });

  test("the corpus is what the claims below are about: CloudTrail, about 12:1, large events, control messages", () => {
    expect(worst.kind).toBe("cloudtrail");
    expect(worst.ratio).toBeGreaterThan(10);
    expect(records.some((r) => r.kind === "control")).toBe(true);
    expect(Math.max(...records.map((r) => r.payloadBytes))).toBeGreaterThan(256 * 1024);
    expect(result.dataRecords).toBeGreaterThan(50);
  });

  test("every record is indexed, every event in it; nothing fails for size", () => {
    expect(result.failures).toEqual({});
    expect(result.indexedRecords).toBe(result.dataRecords);
    expect(result.indexedEvents).toBe(result.events);
  });

  test("every response stays within Lambda's 6 MB synchronous response limit", () => {
    expect(result.maxResponseBytes).toBeLessThanOrEqual(DEFAULT_MAX_RESPONSE_BYTES);
  });

  test("the overflow stream is the exception, not the rule, and it drains", () => {
    expect(result.indexedDirectly / result.dataRecords).toBeGreaterThan(0.9);
    expect(result.overflowRounds).toBeLessThanOrEqual(3);
  });

  test("re-ingestion carries any overshoot: at five times the buffer (the former 1 MB) every record is still indexed", () => {
    const overshoot = simulateDelivery(records, { bufferMiB: 1 });
    expect(overshoot.failures).toEqual({});
    expect(overshoot.indexedEvents).toBe(overshoot.events);
    expect(overshoot.maxResponseBytes).toBeLessThanOrEqual(DEFAULT_MAX_RESPONSE_BYTES);
    // Here the overflow stream does real work, and drains in a few rounds.
    expect(overshoot.reingestedRecords).toBeGreaterThan(overshoot.dataRecords / 4);
    expect(overshoot.overflowRounds).toBeLessThanOrEqual(3);
  });

  test("the buffer is the smallest Firehose documents (0.2 MB): a full buffer of the worst corpus stays within the response", () => {
    expect(bufferMiB).toBe(0.2);
    // Documents of 0.2 MiB of this corpus, base64: the response of a full buffer, without the record that crosses it.
    expect(bufferMiB * MIB * worst.ratio * (4 / 3)).toBeLessThan(DEFAULT_MAX_RESPONSE_BYTES);
  });
});
