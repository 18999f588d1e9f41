/**
 * Amazon Data Firehose: buffering, dynamic partitioning, S3 prefixes (of an
 * extended_s3 destination and of the S3 configuration every other
 * destination backs up to), processors, the OpenSearch destination and
 * stream names.
 *
 * Checked by the provider already, so not here: the OpenSearch destination's
 * buffering (0-900 s, 1-100 MB), retry_duration (0-7200), s3_backup_mode and
 * index_rotation_period (the API's enums), domain_arn being an ARN at all,
 * a processor parameter's name (enum) and value length (1-5120), and
 * server_side_encryption together with kinesis_source_configuration
 * (ConflictsWith).
 */
import type { TfJson } from "../../helpers/synth";
import { defineRule, type Rule } from "../lib/rule";
import { all, arnOf, blocks, first, literal, parseRef, refTo, unresolved, type Res } from "../lib/tf";
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

/** Destination blocks other than extended_s3 that carry an s3_configuration (for all or failed records). */
const NESTED_S3_DESTINATIONS = [
  "opensearch_configuration",
  "opensearchserverless_configuration",
  "elasticsearch_configuration",
  "splunk_configuration",
  "http_endpoint_configuration",
  "snowflake_configuration",
  "iceberg_configuration",
  "redshift_configuration",
] as const;

/** An S3 configuration of a stream, where its Prefix and ErrorOutputPrefix rules apply. */
interface S3Config {
  readonly stream: Res;
  /** `opensearch_configuration.s3_configuration` and the like; empty for the extended_s3 destination itself. */
  readonly path: string;
  readonly config: any;
  readonly redshift: boolean;
}

function s3Configs(stack: TfJson): S3Config[] {
  return streams(stack).flatMap((stream) => {
    const out: S3Config[] = [];
    const extended = s3Of(stream);
    if (extended !== undefined) out.push({ stream, path: "", config: extended, redshift: false });
    for (const block of NESTED_S3_DESTINATIONS) {
      const s3 = first(first(stream.config[block])?.s3_configuration);
      if (s3 !== undefined) {
        out.push({
          stream,
          path: `${block}.s3_configuration`,
          config: s3,
          redshift: block === "redshift_configuration",
        });
      }
    }
    return out;
  });
}

/** Where a finding is, for an S3 configuration nested in another destination. */
const where = (t: S3Config) => (t.path ? `${t.path}: ` : "");

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

export const errorPrefix = defineRule<S3Config>({
  id: "firehose-error-output-prefix",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html",
  description:
    "'ErrorOutputPrefix can be null only if Prefix contains no expressions'; 'if you specify an expression for " +
    "ErrorOutputPrefix, you must include at least one instance of !{firehose:error-output-type}'; 'Prefix can't " +
    "contain !{firehose:error-output-type}'; 'If the destination is Amazon Redshift, Prefix must not contain " +
    "expressions and ErrorOutputPrefix must be null'. The rules apply to 'Prefix and ErrorOutputPrefix " +
    "expressions' of any S3 configuration: the extended_s3 destination and the s3_configuration an OpenSearch, " +
    "Elasticsearch, Splunk or other destination backs up to ('When the destination is Amazon Elasticsearch " +
    "Service or Splunk, and no ErrorOutputPrefix is specified, Kinesis Data Firehose uses the Prefix field for " +
    "failed records', archived awsdocs copy of the page).",
  needs: "any source stack (the extended_s3 prefixes with expressions)",
  targets: (stack) =>
    s3Configs(stack).filter(
      (t) =>
        expressions(t.config.prefix).length > 0 ||
        expressions(t.config.error_output_prefix).length > 0 ||
        (t.redshift && !!t.config.error_output_prefix),
    ),
  address: (t) => t.stream.address,
  violations: (t) => {
    const { prefix, error_output_prefix: errorOutput } = t.config;
    const at = where(t);
    const out: string[] = [];
    if (t.redshift) {
      if (expressions(prefix).length > 0)
        out.push(`${at}prefix must not contain expressions for a Redshift destination`);
      if (errorOutput) out.push(`${at}error_output_prefix must be null for a Redshift destination`);
      return out;
    }
    if (expressions(prefix).length > 0 && !errorOutput)
      out.push(`${at}prefix has expressions but error_output_prefix is empty`);
    if (expressions(errorOutput).length > 0 && !expressions(errorOutput).includes("firehose:error-output-type")) {
      out.push(`${at}error_output_prefix has expressions but no !{firehose:error-output-type}`);
    }
    if (expressions(prefix).includes("firehose:error-output-type"))
      out.push(`${at}prefix contains !{firehose:error-output-type}`);
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

export const prefixExpressions = defineRule<S3Config>({
  id: "firehose-prefix-expressions",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html",
  description:
    "'The sequence !{ can only appear in !{namespace:value} expressions', namespace one of firehose (error-output-type, " +
    "random-string), timestamp, partitionKeyFromQuery, partitionKeyFromLambda; and 'neither Prefix nor " +
    "ErrorOutputPrefix can be greater than 512 characters after they're evaluated' (evaluated here at worst case: " +
    "timestamps by their format, an error type at 24 characters, a partition key at 64). Checked on every S3 " +
    "configuration of a stream; in the s3_configuration of another destination (OpenSearch, Splunk, …) the " +
    "partition key namespaces are refused too, as only an extended_s3 destination has dynamic partitioning " +
    "(https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html).",
  needs: "any source stack (extended_s3), search.enabled (opensearch_configuration.s3_configuration)",
  targets: (stack) =>
    s3Configs(stack).filter(
      (t) => typeof t.config.prefix === "string" || typeof t.config.error_output_prefix === "string",
    ),
  address: (t) => t.stream.address,
  violations: (t) =>
    (["prefix", "error_output_prefix"] as const).flatMap((field) => {
      const value = t.config[field];
      if (typeof value !== "string" || unresolved(value)) return [];
      const at = where(t);
      const out: string[] = [];
      const stray = value.replace(EXPRESSION, "");
      if (stray.includes("!{")) out.push(`${at}${field} has a !{ outside a !{namespace:value} expression`);
      for (const expr of expressions(value)) {
        const [ns, v] = expr.split(/:(.*)/s);
        if (!NAMESPACES.includes(ns!) || !v)
          out.push(`${at}${field} expression !{${expr}} has no valid namespace:value`);
        else if (ns === "firehose" && !["error-output-type", "random-string"].includes(v))
          out.push(`${at}${field} expression !{${expr}} is not a firehose value`);
        else if (t.path && ns!.startsWith("partitionKeyFrom"))
          out.push(`${at}${field} expression !{${expr}} needs dynamic partitioning, which only extended_s3 has`);
      }
      const length = evaluatedLength(value);
      if (length > 512) out.push(`${at}${field} evaluates to up to ${length} characters, at most 512`);
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

/** Every processor of every destination block of a stream, with the block it belongs to (disabled blocks skipped). */
function allProcessors(s: Res): { block: string; processor: any }[] {
  return ["extended_s3_configuration", ...NESTED_S3_DESTINATIONS].flatMap((block) => {
    const config = first(first(s.config[block])?.processing_configuration);
    if (config === undefined || config.enabled === false) return [];
    return blocks(config.processors).map((processor) => ({ block, processor }));
  });
}

// "The buffering size hint ranges between 0.2 MB and 3MB"; "The Lambda buffering interval hint ranges between 0 and 900 seconds."
const LAMBDA_BUFFER = { sizeMB: [0.2, 3], intervalSeconds: [0, 900] } as const;

export const lambdaProcessorParameters = defineRule<Res>({
  id: "firehose-lambda-processor-parameters",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html",
  description:
    "A Lambda processor's buffering hints: 'The buffering size hint ranges between 0.2 MB and 3MB' (ProcessorParameter " +
    "BufferSizeInMBs; the API reference's ProcessorParameter: 'The BufferSizeInMBs ranges between 0.2 MB and up to " +
    "3MB') and 'The Lambda buffering interval hint ranges between 0 and 900 seconds' (BufferIntervalInSeconds), on " +
    "any destination. Every ParameterValue also matches the API pattern ^(?!\\s*$).+ (not blank; the provider checks " +
    "only its length). The 1-3 MB and 60-900 s bounds aws-cdk-lib applies are stricter than these pages and are not " +
    "used. That CreateDeliveryStream rejects an out-of-range hint (rather than clamping it) is not stated by the page.",
  needs: "search.enabled (the search stream's Lambda transform)",
  targets: (stack) =>
    streams(stack).filter((s) =>
      allProcessors(s).some(
        ({ processor }) =>
          processor.type === "Lambda" ||
          blocks(processor.parameters).some((p) =>
            ["BufferSizeInMBs", "BufferIntervalInSeconds"].includes(p.parameter_name),
          ),
      ),
    ),
  address: (s) => s.address,
  violations: (s) =>
    allProcessors(s).flatMap(({ block, processor }) =>
      blocks(processor.parameters).flatMap((p) => {
        const name: string = p.parameter_name;
        const value: unknown = p.parameter_value;
        const at = `${block} ${processor.type} processor ${name}`;
        if (typeof value !== "string" || unresolved(value)) return [];
        if (/^\s*$/.test(value)) return [`${at} is blank`];
        const range =
          name === "BufferSizeInMBs"
            ? LAMBDA_BUFFER.sizeMB
            : name === "BufferIntervalInSeconds"
              ? LAMBDA_BUFFER.intervalSeconds
              : undefined;
        if (!range) return [];
        const n = Number(value.trim());
        return Number.isFinite(n) && n >= range[0] && n <= range[1]
          ? []
          : [`${at} is ${JSON.stringify(value)}, must be ${range[0]}-${range[1]}`];
      }),
    ),
});

/** A value as AWS receives it when the stack determines it: a literal, or a whole reference to a known ARN. */
function knownValue(stack: TfJson, value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  if (!unresolved(value)) return literal(value);
  const target = refTo(stack, value);
  return target && parseRef(value)?.attr === "arn" ? arnOf(stack, target) : undefined;
}

// AmazonopensearchserviceDestinationConfiguration patterns (Java regular expressions: `.` matches no line terminator).
const OPENSEARCH_DOMAIN_ARN = /^arn:.*:es:[a-zA-Z0-9-]+:\d{12}:domain\/[a-z][-0-9a-z]{2,27}$/;
const FIREHOSE_ROLE_ARN = /^arn:.*:iam::\d{12}:role\/[a-zA-Z_0-9+=,.@\-_/]+$/;
const LINE_TERMINATOR = /[\n\r\u0085\u2028\u2029]/;

export const opensearchDestination = defineRule<Res>({
  id: "firehose-opensearch-destination",
  service: SERVICE,
  source:
    "https://docs.aws.amazon.com/firehose/latest/APIReference/API_AmazonopensearchserviceDestinationConfiguration.html",
  description:
    "AmazonopensearchserviceDestinationConfiguration: IndexName 'Minimum length of 1. Maximum length of 80.' " +
    "(pattern .*, so no line break); DomainARN pattern arn:.*:es:[a-zA-Z0-9\\-]+:\\d{12}:domain/[a-z][-0-9a-z]{2,27} " +
    "(at most 512; the provider only checks that it is an ARN); ClusterEndpoint pattern https:.*; RoleARN pattern " +
    "arn:.*:iam::\\d{12}:role/[a-zA-Z_0-9+=,.@\\-_/]+; and 'Specify either this ClusterEndpoint or the DomainARN " +
    "field' (the provider refuses both, not neither). The 80 characters are of IndexName as configured: the date " +
    "suffix of index rotation (es-index-rotation.html, e.g. myindex-2016-w08) is appended at delivery and is not " +
    "part of the API value. OpenSearch's own index naming rules (lower case, …) apply only at delivery, not at apply, " +
    "and are not checked.",
  needs: "search.enabled",
  targets: (stack) => streams(stack).filter((s) => first(s.config.opensearch_configuration) !== undefined),
  address: (s) => s.address,
  violations: (s, stack) => {
    const c = first(s.config.opensearch_configuration);
    const out: string[] = [];
    const index = knownValue(stack, c.index_name);
    if (index !== undefined && !(index.length >= 1 && index.length <= 80 && !LINE_TERMINATOR.test(index))) {
      out.push(`index_name ${JSON.stringify(index)} is ${index.length} characters, must be 1-80 without line breaks`);
    }
    if (c.domain_arn === undefined && c.cluster_endpoint === undefined)
      out.push("neither domain_arn nor cluster_endpoint is set: one of them is required");
    const domain = knownValue(stack, c.domain_arn);
    if (domain !== undefined && !(domain.length <= 512 && OPENSEARCH_DOMAIN_ARN.test(domain))) {
      out.push(
        `domain_arn ${JSON.stringify(domain)} is not an OpenSearch Service domain ARN (arn:…:es:<region>:<account>:domain/<name>)`,
      );
    }
    const endpoint = knownValue(stack, c.cluster_endpoint);
    if (
      endpoint !== undefined &&
      !(endpoint.length <= 512 && /^https:/.test(endpoint) && !LINE_TERMINATOR.test(endpoint))
    ) {
      out.push(`cluster_endpoint ${JSON.stringify(endpoint)} must be an https: URL of at most 512 characters`);
    }
    const role = knownValue(stack, c.role_arn);
    if (role !== undefined && !(role.length <= 512 && FIREHOSE_ROLE_ARN.test(role))) {
      out.push(`role_arn ${JSON.stringify(role)} is not an IAM role ARN`);
    }
    return out;
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
  lambdaProcessorParameters,
  opensearchDestination,
  streamName,
  streamNamesUnique,
];
