import { corpusSuite, expectCompliant, expectFinding, stackOf } from "./lib/fixture";
import * as firehose from "./rules/firehose";

const QUERY = '{root: (if .messageType == "DATA_MESSAGE" then "logs" else "control" end), account: .owner}';

/** A dynamically partitioned CloudWatch Logs stream, as the central topology builds it; `edit` changes its S3 configuration. */
function partitioned(edit: (s3: any) => void = () => {}) {
  const s3: any = {
    bucket_arn: "arn:aws:s3:::archive",
    buffering_interval: 300,
    buffering_size: 64,
    dynamic_partitioning_configuration: { enabled: true },
    prefix: "!{partitionKeyFromQuery:root}/account=!{partitionKeyFromQuery:account}/year=!{timestamp:yyyy}/",
    error_output_prefix: "errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/",
    processing_configuration: {
      enabled: true,
      processors: [
        { type: "Decompression", parameters: [{ parameter_name: "CompressionFormat", parameter_value: "GZIP" }] },
        {
          type: "MetadataExtraction",
          parameters: [
            { parameter_name: "JsonParsingEngine", parameter_value: "JQ-1.6" },
            { parameter_name: "MetadataExtractionQuery", parameter_value: QUERY },
          ],
        },
      ],
    },
  };
  edit(s3);
  return stackOf({
    aws_kinesis_firehose_delivery_stream: {
      F: { name: "central", destination: "extended_s3", extended_s3_configuration: s3 },
    },
  });
}

/** A stream without dynamic partitioning. */
function plain(edit: (s3: any) => void = () => {}) {
  return partitioned((s3) => {
    delete s3.dynamic_partitioning_configuration;
    s3.buffering_size = 5;
    s3.prefix = "logs/year=!{timestamp:yyyy}/";
    s3.processing_configuration.processors = s3.processing_configuration.processors.slice(0, 1);
    edit(s3);
  });
}

describe("buffering", () => {
  test("firehose-buffering-ranges", () => {
    expectCompliant(
      firehose.bufferingRanges,
      plain((s3) => Object.assign(s3, { buffering_interval: 0, buffering_size: 128 })),
    );
    expectFinding(
      firehose.bufferingRanges,
      plain((s3) => (s3.buffering_interval = 901)),
      /buffering_interval is 901/,
    );
    expectFinding(
      firehose.bufferingRanges,
      plain((s3) => (s3.buffering_size = 129)),
      /buffering_size is 129/,
    );
  });

  test("firehose-dynamic-partitioning-buffer-size", () => {
    expectCompliant(firehose.dynamicPartitioningBufferSize, partitioned());
    expectFinding(
      firehose.dynamicPartitioningBufferSize,
      partitioned((s3) => (s3.buffering_size = 63)),
      /63 MiB, at least 64/,
    );
    expectFinding(
      firehose.dynamicPartitioningBufferSize,
      partitioned((s3) => delete s3.buffering_size),
      /5 MiB, at least 64/,
    );
  });

  test("firehose-dynamic-partitioning-buffer-interval", () => {
    expectCompliant(
      firehose.dynamicPartitioningBufferInterval,
      partitioned((s3) => (s3.buffering_interval = 60)),
    );
    expectFinding(
      firehose.dynamicPartitioningBufferInterval,
      partitioned((s3) => (s3.buffering_interval = 0)),
      /0 s, at least 60/,
    );
  });
});

describe("prefixes", () => {
  test("firehose-error-output-prefix", () => {
    expectCompliant(firehose.errorPrefix, plain());
    expectFinding(
      firehose.errorPrefix,
      plain((s3) => delete s3.error_output_prefix),
      /error_output_prefix is empty/,
    );
    expectFinding(
      firehose.errorPrefix,
      plain((s3) => (s3.error_output_prefix = "errors/!{timestamp:yyyy}/")),
      /no !\{firehose:error-output-type\}/,
    );
    expectFinding(
      firehose.errorPrefix,
      plain((s3) => (s3.prefix = "logs/!{firehose:error-output-type}/")),
      /prefix contains !\{firehose:error-output-type\}/,
    );
  });

  test("firehose-prefix-expressions", () => {
    expectCompliant(firehose.prefixExpressions, partitioned());
    expectFinding(
      firehose.prefixExpressions,
      plain((s3) => (s3.prefix = "logs/!{date:yyyy}/")),
      /!\{date:yyyy\} has no valid namespace/,
    );
    expectFinding(
      firehose.prefixExpressions,
      plain((s3) => (s3.prefix = "logs/!{firehose:stream}/")),
      /is not a firehose value/,
    );
    expectFinding(
      firehose.prefixExpressions,
      plain((s3) => (s3.prefix = "logs/!{timestamp:yyyy/")),
      /!\{ outside/,
    );
    expectFinding(
      firehose.prefixExpressions,
      partitioned(
        (s3) =>
          (s3.prefix = `${"p/".repeat(100)}!{partitionKeyFromQuery:root}/!{partitionKeyFromQuery:account}/${"!{partitionKeyFromQuery:root}/".repeat(3)}`),
      ),
      /evaluates to up to \d+ characters, at most 512/,
    );
  });
});

describe("dynamic partitioning and processors", () => {
  test("firehose-dynamic-partitioning-keys", () => {
    expectCompliant(firehose.dynamicPartitioningKeys, partitioned());
    expectFinding(
      firehose.dynamicPartitioningKeys,
      partitioned((s3) => (s3.prefix = "!{partitionKeyFromQuery:root}/region=!{partitionKeyFromQuery:region}/")),
      /partition key region is not produced by the MetadataExtractionQuery/,
    );
    expectFinding(
      firehose.dynamicPartitioningKeys,
      partitioned(
        (s3) => (s3.processing_configuration.processors = s3.processing_configuration.processors.slice(0, 1)),
      ),
      /without a MetadataExtraction or Lambda processor/,
    );
    expectFinding(
      firehose.dynamicPartitioningKeys,
      partitioned((s3) => (s3.prefix = "logs/")),
      /no partitionKeyFromQuery or partitionKeyFromLambda key/,
    );
    expectFinding(
      firehose.dynamicPartitioningKeys,
      partitioned((s3) => delete s3.error_output_prefix),
      /without an error_output_prefix/,
    );
    expectFinding(
      firehose.dynamicPartitioningKeys,
      plain((s3) => (s3.prefix = "!{partitionKeyFromQuery:root}/")),
      /dynamic partitioning is not enabled/,
    );
  });

  test("firehose-cloudwatch-log-processing-needs-decompression", () => {
    expectCompliant(firehose.cloudWatchLogProcessingNeedsDecompression, partitioned());
    expectFinding(
      firehose.cloudWatchLogProcessingNeedsDecompression,
      plain((s3) => (s3.processing_configuration.processors = [{ type: "CloudWatchLogProcessing" }])),
      /without a Decompression processor/,
    );
    expectFinding(
      firehose.cloudWatchLogProcessingNeedsDecompression,
      partitioned((s3) => s3.processing_configuration.processors.reverse()),
      /Decompression processor must come before/,
    );
  });
});

describe("names", () => {
  test("firehose-stream-name", () => {
    expectCompliant(firehose.streamName, plain());
    const named = (name: string) => stackOf({ aws_kinesis_firehose_delivery_stream: { F: { name } } });
    expectFinding(firehose.streamName, named("to archive"), /must be 1-64/);
    expectFinding(firehose.streamName, named("s".repeat(65)), /must be 1-64/);
  });

  test("firehose-stream-name-unique", () => {
    const streams = (region?: string) =>
      stackOf({
        aws_kinesis_firehose_delivery_stream: {
          A: { name: "to-archive" },
          B: { name: "to-archive", ...(region ? { region } : {}) },
        },
      });
    expectCompliant(firehose.streamNamesUnique, streams("us-east-1"));
    expectFinding(firehose.streamNamesUnique, streams(), /used by 2 resources/);
  });
});

corpusSuite(firehose.rules);
