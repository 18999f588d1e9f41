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

/** An OpenSearch stream as the search delivery builds it; `edit` changes its opensearch_configuration. */
function search(edit: (os: any) => void = () => {}) {
  const os: any = {
    domain_arn: "arn:aws:es:eu-west-1:111122223333:domain/security-logs",
    index_name: "cloudwatch-logs",
    index_rotation_period: "OneWeek",
    role_arn: "${aws_iam_role.Role.arn}",
    retry_duration: 300,
    s3_backup_mode: "FailedDocumentsOnly",
    s3_configuration: {
      role_arn: "${aws_iam_role.Role.arn}",
      bucket_arn: "arn:aws:s3:::archive",
      prefix: "search-errors/region=eu-west-1/",
    },
    processing_configuration: {
      enabled: true,
      processors: [
        {
          type: "Lambda",
          parameters: [
            { parameter_name: "LambdaArn", parameter_value: "${aws_lambda_function.Transform.arn}:$LATEST" },
            { parameter_name: "BufferSizeInMBs", parameter_value: "1" },
            { parameter_name: "BufferIntervalInSeconds", parameter_value: "60" },
          ],
        },
      ],
    },
  };
  edit(os);
  return stackOf({
    aws_iam_role: { Role: { name: "search-delivery" } },
    aws_lambda_function: { Transform: { function_name: "search-transform" } },
    aws_kinesis_firehose_delivery_stream: {
      S: {
        name: "search",
        destination: "opensearch",
        kinesis_source_configuration: { kinesis_stream_arn: "arn:aws:kinesis:eu-west-1:111122223333:stream/central" },
        opensearch_configuration: os,
      },
    },
  });
}

/** The Lambda processor's parameter `name` of the search stream set to `value`. */
const lambdaParameter = (name: string, value: string) =>
  search((os) => {
    const params = os.processing_configuration.processors[0].parameters;
    params.find((p: any) => p.parameter_name === name).parameter_value = value;
  });

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

  test("firehose-error-output-prefix on the S3 configuration of an OpenSearch destination", () => {
    expectCompliant(
      firehose.errorPrefix,
      search((os) =>
        Object.assign(os.s3_configuration, {
          prefix: "search-errors/!{timestamp:yyyy}/",
          error_output_prefix: "search-errors/!{firehose:error-output-type}/",
        }),
      ),
    );
    expectFinding(
      firehose.errorPrefix,
      search((os) => (os.s3_configuration.prefix = "search-errors/!{timestamp:yyyy}/")),
      /^opensearch_configuration\.s3_configuration: prefix has expressions but error_output_prefix is empty/,
    );
    const redshift = stackOf({
      aws_kinesis_firehose_delivery_stream: {
        R: {
          name: "to-redshift",
          destination: "redshift",
          redshift_configuration: {
            s3_configuration: { prefix: "r/", error_output_prefix: "e/!{firehose:error-output-type}/" },
          },
        },
      },
    });
    expectFinding(firehose.errorPrefix, redshift, /error_output_prefix must be null for a Redshift destination/);
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
    expectCompliant(firehose.prefixExpressions, search());
    expectFinding(
      firehose.prefixExpressions,
      search((os) => (os.s3_configuration.prefix = "search-errors/!{partitionKeyFromQuery:account}/")),
      /^opensearch_configuration\.s3_configuration: prefix expression .* needs dynamic partitioning/,
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

describe("Lambda processors and the OpenSearch destination", () => {
  test("firehose-lambda-processor-parameters", () => {
    expectCompliant(firehose.lambdaProcessorParameters, search());
    expectCompliant(firehose.lambdaProcessorParameters, lambdaParameter("BufferSizeInMBs", "0.2"));
    expectCompliant(firehose.lambdaProcessorParameters, lambdaParameter("BufferIntervalInSeconds", "900"));
    expectFinding(
      firehose.lambdaProcessorParameters,
      lambdaParameter("BufferSizeInMBs", "4"),
      /opensearch_configuration Lambda processor BufferSizeInMBs is "4", must be 0.2-3/,
    );
    expectFinding(
      firehose.lambdaProcessorParameters,
      lambdaParameter("BufferSizeInMBs", "0.1"),
      /BufferSizeInMBs is "0.1", must be 0.2-3/,
    );
    expectFinding(
      firehose.lambdaProcessorParameters,
      lambdaParameter("BufferIntervalInSeconds", "901"),
      /BufferIntervalInSeconds is "901", must be 0-900/,
    );
    expectFinding(firehose.lambdaProcessorParameters, lambdaParameter("BufferIntervalInSeconds", " "), /is blank/);
  });

  test("firehose-opensearch-destination", () => {
    expectCompliant(firehose.opensearchDestination, search());
    expectCompliant(
      firehose.opensearchDestination,
      search((os) => {
        delete os.domain_arn;
        os.cluster_endpoint = "https://search-security-logs.eu-west-1.es.amazonaws.com";
        os.index_name = "i".repeat(80);
      }),
    );
    expectFinding(
      firehose.opensearchDestination,
      search((os) => (os.index_name = "i".repeat(81))),
      /index_name .* is 81 characters, must be 1-80/,
    );
    expectFinding(
      firehose.opensearchDestination,
      search((os) => (os.index_name = "logs\nmore")),
      /without line breaks/,
    );
    expectFinding(
      firehose.opensearchDestination,
      search((os) => (os.domain_arn = "arn:aws:es:eu-west-1:111122223333:domain/Security-Logs")),
      /is not an OpenSearch Service domain ARN/,
    );
    expectFinding(
      firehose.opensearchDestination,
      search((os) => (os.domain_arn = "arn:aws:aoss:eu-west-1:111122223333:collection/abc")),
      /is not an OpenSearch Service domain ARN/,
    );
    expectFinding(
      firehose.opensearchDestination,
      search((os) => delete os.domain_arn),
      /neither domain_arn nor cluster_endpoint/,
    );
    expectFinding(
      firehose.opensearchDestination,
      search((os) => (os.role_arn = "arn:aws:iam::111122223333:user/search")),
      /role_arn .* is not an IAM role ARN/,
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
