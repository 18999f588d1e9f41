/**
 * Amazon Data Firehose (extended_s3 destinations): buffering, dynamic
 * partitioning, S3 prefixes, processors and stream names.
 */
import type { TfJson } from "../../helpers/synth";
import { defineRule, type Rule } from "../lib/rule";
import { all, blocks, first, unresolved, type Res } from "../lib/tf";
import { uniqueNameRule } from "../lib/unique";

const SERVICE = "firehose";

const streams = (stack: TfJson) => all(stack, "aws_kinesis_firehose_delivery_stream");
const s3Streams = (stack: TfJson) =>
  streams(stack).filter((s) => first(s.config.extended_s3_configuration) !== undefined);
const s3Of = (s: Res) => first(s.config.extended_s3_configuration);
const dynamicPartitioning = (s: Res) => first(s3Of(s)?.dynamic_partitioning_configuration)?.enabled === true;
const processors = (s: Res): any[] => {
  const config = first(s3Of(s)?.processing_configuration);
  return config?.enabled === false ? [] : blocks(config?.processors);
};
const processorTypes = (s: Res) => new Set(processors(s).map((p) => p.type));
const parameter = (p: any, name: string): string | undefined =>
  blocks(p.parameters).find((x) => x.parameter_name === name)?.parameter_value;

// Buffering hints Firehose uses when none are given.
const DEFAULT_INTERVAL = 300;
const DEFAULT_SIZE = 5;

export const bufferingRanges = defineRule<Res>({
  id: "firehose-buffering-ranges",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html",
  description: "BufferingHints for S3: IntervalInSeconds 0-900, SizeInMBs 1-128.",
  needs: "any source stack (every delivery stream)",
  targets: s3Streams,
  address: (s) => s.address,
  violations: (s) => {
    const c = s3Of(s);
    const out: string[] = [];
    const interval = c.buffering_interval ?? DEFAULT_INTERVAL;
    const size = c.buffering_size ?? DEFAULT_SIZE;
    if (!(interval >= 0 && interval <= 900)) out.push(`buffering_interval is ${interval}, must be 0-900`);
    if (!(size >= 1 && size <= 128)) out.push(`buffering_size is ${size}, must be 1-128`);
    return out;
  },
});

export const dynamicPartitioningBufferSize = defineRule<Res>({
  id: "firehose-dynamic-partitioning-buffer-size",
  service: SERVICE,
  source: "https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/aws-kinesisfirehose/lib/private/helpers.ts",
  description:
    "With dynamic partitioning enabled, SizeInMBs is at least 64 (CloudFormation answers 'BufferingHints.SizeInMBs " +
    "must be at least 64 when Dynamic Partitioning is enabled', as recorded in aws-cdk-lib's Firehose validation). " +
    "The 64 MiB minimum was NOT found in the Firehose developer guide or API reference; it rests on that error text.",
  needs: "central delivery (the central streams partition dynamically)",
  targets: (stack) => s3Streams(stack).filter(dynamicPartitioning),
  address: (s) => s.address,
  violations: (s) => {
    const size = s3Of(s).buffering_size ?? DEFAULT_SIZE;
    return size >= 64 ? [] : [`dynamic partitioning with buffering_size ${size} MiB, at least 64 required`];
  },
});

export const dynamicPartitioningBufferInterval = defineRule<Res>({
  id: "firehose-dynamic-partitioning-buffer-interval",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/firehose/latest/dev/buffering.html",
  description:
    "'Zero buffering feature is not available for dynamic partitioning.' Checked as IntervalInSeconds >= 60, the " +
    "minimum in CloudFormation's error ('BufferingHints.IntervalInSeconds must be at least 60 seconds when Dynamic " +
    "Partitioning is enabled', recorded in aws-cdk-lib); the guide itself only rules out 0, not 1-59.",
  needs: "central delivery",
  targets: (stack) => s3Streams(stack).filter(dynamicPartitioning),
  address: (s) => s.address,
  violations: (s) => {
    const interval = s3Of(s).buffering_interval ?? DEFAULT_INTERVAL;
    return interval >= 60 ? [] : [`dynamic partitioning with buffering_interval ${interval} s, at least 60 required`];
  },
});

const EXPRESSION = /!\{([^}]*)\}/g;
const NAMESPACES = ["firehose", "timestamp", "partitionKeyFromQuery", "partitionKeyFromLambda"];

const expressions = (prefix: unknown): string[] =>
  typeof prefix === "string" ? [...prefix.matchAll(EXPRESSION)].map((m) => m[1]!) : [];

export const errorPrefix = defineRule<Res>({
  id: "firehose-error-output-prefix",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html",
  description:
    "'ErrorOutputPrefix can be null only if Prefix contains no expressions'; 'if you specify an expression for " +
    "ErrorOutputPrefix, you must include at least one instance of !{firehose:error-output-type}'; 'Prefix can't " +
    "contain !{firehose:error-output-type}'.",
  needs: "any source stack",
  targets: (stack) =>
    s3Streams(stack).filter(
      (s) => expressions(s3Of(s).prefix).length > 0 || expressions(s3Of(s).error_output_prefix).length > 0,
    ),
  address: (s) => s.address,
  violations: (s) => {
    const { prefix, error_output_prefix: errorOutput } = s3Of(s);
    const out: string[] = [];
    if (expressions(prefix).length > 0 && !errorOutput)
      out.push("prefix has expressions but error_output_prefix is empty");
    if (expressions(errorOutput).length > 0 && !expressions(errorOutput).includes("firehose:error-output-type")) {
      out.push("error_output_prefix has expressions but no !{firehose:error-output-type}");
    }
    if (expressions(prefix).includes("firehose:error-output-type"))
      out.push("prefix contains !{firehose:error-output-type}");
    return out;
  },
});

/** Longest value of `!{timestamp:<format>}` (single-quoted text is literal). */
function timestampLength(format: string): number {
  return format.replace(/'([^']*)'/g, "$1").length + (format.match(/MMMM|EEEE/g)?.length ?? 0) * 6;
}

/** Worst-case evaluated prefix length: partition keys of unknown values counted at 64 characters each. */
function evaluatedLength(prefix: string): number {
  return prefix.replace(EXPRESSION, (_, expr: string) => {
    const [ns, value = ""] = expr.split(/:(.*)/s);
    if (ns === "timestamp") return "x".repeat(timestampLength(value));
    if (ns === "firehose") return "x".repeat(value === "random-string" ? 11 : 24);
    return "x".repeat(64);
  }).length;
}

export const prefixExpressions = defineRule<Res>({
  id: "firehose-prefix-expressions",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html",
  description:
    "'The sequence !{ can only appear in !{namespace:value} expressions', namespace one of firehose (error-output-type, " +
    "random-string), timestamp, partitionKeyFromQuery, partitionKeyFromLambda; and 'neither Prefix nor " +
    "ErrorOutputPrefix can be greater than 512 characters after they're evaluated' (evaluated here at worst case: " +
    "timestamps by their format, an error type at 24 characters, a partition key at 64).",
  needs: "any source stack",
  targets: (stack) =>
    s3Streams(stack).filter(
      (s) => typeof s3Of(s).prefix === "string" || typeof s3Of(s).error_output_prefix === "string",
    ),
  address: (s) => s.address,
  violations: (s) =>
    (["prefix", "error_output_prefix"] as const).flatMap((field) => {
      const value = s3Of(s)[field];
      if (typeof value !== "string" || unresolved(value)) return [];
      const out: string[] = [];
      const stray = value.replace(EXPRESSION, "");
      if (stray.includes("!{")) out.push(`${field} has a !{ outside a !{namespace:value} expression`);
      for (const expr of expressions(value)) {
        const [ns, v] = expr.split(/:(.*)/s);
        if (!NAMESPACES.includes(ns!) || !v) out.push(`${field} expression !{${expr}} has no valid namespace:value`);
        else if (ns === "firehose" && !["error-output-type", "random-string"].includes(v))
          out.push(`${field} expression !{${expr}} is not a firehose value`);
      }
      const length = evaluatedLength(value);
      if (length > 512) out.push(`${field} evaluates to up to ${length} characters, at most 512`);
      return out;
    }),
});

/** Top-level keys of a `{key: …, other: …}` jq object in a MetadataExtractionQuery. */
function queryKeys(query: string): Set<string> {
  const body = query.trim().replace(/^\{|\}$/g, "");
  const keys = new Set<string>();
  let depth = 0;
  let token = "";
  for (const c of body) {
    if ("({[".includes(c)) depth += 1;
    if (")}]".includes(c)) depth -= 1;
    if (c === ":" && depth === 0) keys.add(token.trim().replace(/^"|"$/g, ""));
    if ((c === "," && depth === 0) || c === ":") token = "";
    else token += c;
  }
  return keys;
}

export const dynamicPartitioningKeys = defineRule<Res>({
  id: "firehose-dynamic-partitioning-keys",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html",
  description:
    "With dynamic partitioning 'you must configure at least one' of inline parsing (a MetadataExtraction processor) " +
    "or a Lambda processor, the S3 prefix must use partitionKeyFromQuery or partitionKeyFromLambda keys, and 'You MUST " +
    "specify an S3 error bucket prefix'. A partitionKeyFromQuery key needs the MetadataExtraction processor and must " +
    "be produced by its query; a partitionKeyFromLambda key needs a Lambda processor; without dynamic partitioning " +
    "the prefix cannot use either namespace.",
  needs: "central delivery",
  targets: (stack) =>
    s3Streams(stack).filter(
      (s) => dynamicPartitioning(s) || expressions(s3Of(s).prefix).some((e) => e.startsWith("partitionKeyFrom")),
    ),
  address: (s) => s.address,
  violations: (s) => {
    const c = s3Of(s);
    const exprs = expressions(c.prefix);
    const fromQuery = exprs.filter((e) => e.startsWith("partitionKeyFromQuery:")).map((e) => e.split(":")[1]!);
    const fromLambda = exprs.filter((e) => e.startsWith("partitionKeyFromLambda:"));
    const types = processorTypes(s);
    const out: string[] = [];
    if (!dynamicPartitioning(s)) return ["prefix uses partition keys but dynamic partitioning is not enabled"];
    if (!types.has("MetadataExtraction") && !types.has("Lambda"))
      out.push("dynamic partitioning without a MetadataExtraction or Lambda processor");
    if (fromQuery.length + fromLambda.length === 0)
      out.push("dynamic partitioning but the prefix has no partitionKeyFromQuery or partitionKeyFromLambda key");
    if (!c.error_output_prefix) out.push("dynamic partitioning without an error_output_prefix");
    if (fromLambda.length > 0 && !types.has("Lambda"))
      out.push("prefix uses partitionKeyFromLambda without a Lambda processor");
    if (fromQuery.length > 0) {
      const extraction = processors(s).find((p) => p.type === "MetadataExtraction");
      if (!extraction) out.push("prefix uses partitionKeyFromQuery without a MetadataExtraction processor");
      else {
        const produced = queryKeys(parameter(extraction, "MetadataExtractionQuery") ?? "");
        for (const key of fromQuery)
          if (!produced.has(key)) out.push(`partition key ${key} is not produced by the MetadataExtractionQuery`);
      }
    }
    return out;
  },
});

export const cloudWatchLogProcessingNeedsDecompression = defineRule<Res>({
  id: "firehose-cloudwatch-log-processing-needs-decompression",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/firehose/latest/dev/writing-with-cloudwatch-logs.html",
  description:
    "CloudWatch Logs records arrive gzip-compressed; message extraction (the CloudWatchLogProcessing processor) and " +
    "dynamic partitioning need the Decompression processor first (CloudFormation: 'CloudWatchLogProcessor can only be " +
    "enabled with DecompressionProcessor', recorded in aws-cdk-lib).",
  needs: "defaults.firehose.messageExtraction or central delivery",
  targets: (stack) =>
    s3Streams(stack).filter(
      (s) =>
        processorTypes(s).has("CloudWatchLogProcessing") ||
        (dynamicPartitioning(s) && processorTypes(s).has("MetadataExtraction")),
    ),
  address: (s) => s.address,
  violations: (s) => {
    const list = processors(s).map((p) => p.type);
    const decompression = list.indexOf("Decompression");
    if (decompression < 0) return ["CloudWatch Logs processing or extraction without a Decompression processor"];
    return list.slice(0, decompression).some((t) => t === "CloudWatchLogProcessing" || t === "MetadataExtraction")
      ? ["the Decompression processor must come before CloudWatchLogProcessing and MetadataExtraction"]
      : [];
  },
});

export const streamName = defineRule<Res>({
  id: "firehose-stream-name",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html",
  description: "DeliveryStreamName: 1-64 characters of [a-zA-Z0-9_.-].",
  needs: "any source stack",
  targets: (stack) => streams(stack).filter((s) => typeof s.config.name === "string" && !unresolved(s.config.name)),
  address: (s) => s.address,
  violations: (s) =>
    /^[a-zA-Z0-9_.-]{1,64}$/.test(s.config.name)
      ? []
      : [`stream name "${s.config.name}" must be 1-64 of [a-zA-Z0-9_.-]`],
});

export const streamNamesUnique = uniqueNameRule({
  id: "firehose-stream-name-unique",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html",
  description: "A Firehose stream name 'must be unique per AWS account in the same AWS Region'.",
  needs: "any source stack",
  type: "aws_kinesis_firehose_delivery_stream",
  nameOf: (c) => c.name,
  perRegion: true,
});

export const rules: readonly Rule[] = [
  bufferingRanges,
  dynamicPartitioningBufferSize,
  dynamicPartitioningBufferInterval,
  errorPrefix,
  prefixExpressions,
  dynamicPartitioningKeys,
  cloudWatchLogProcessingNeedsDecompression,
  streamName,
  streamNamesUnique,
];
