import type { TerraformStack } from "cdktf";
import { readFileSync } from "node:fs";
import { SearchDelivery, type SearchDeliveryProps } from "../../modules/search/search-delivery";
import { HANDLER_ZIP_BASE64, HANDLER_ZIP_SHA256 } from "../../modules/search/transform/handler-zip";
import { metricsLine, recordCounts } from "../../modules/search/transform/handler";
import { errorsOf, ref, synthConstruct } from "../helpers/construct";
import { expectPackagesCurrent, packagedCode } from "../helpers/lambda-package";
import { policyOf, resource, resourcesOf, statement } from "../helpers/synth";

const ACCOUNT = "111111111111";
const DOMAIN = `arn:aws:es:eu-west-1:${ACCOUNT}:domain/security-logs`;
const BUCKET = `arn:aws:s3:::cwl-archive-${ACCOUNT}-eu-west-1`;
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0a1b2c3d-0000-4000-8000-000000000000`;
const STREAM = `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/cwl-archive-central-eu-west-1`;
const ANALYST = "arn:aws:iam::222222222222:role/SecurityAnalyst";
const TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT}:cwl-archive-archive-alarms`;

const PROPS: SearchDeliveryProps = {
  accountId: ACCOUNT,
  region: "eu-west-1",
  namePrefix: "cwl-archive",
  archiveBucketArn: BUCKET,
  archiveKeyArn: KEY,
  kinesisStreamArn: STREAM,
  domainArn: DOMAIN,
  indexName: "cloudwatch-logs",
  indexRotation: "OneDay",
  principals: [ANALYST],
  retryDurationSeconds: 300,
  logRetentionDays: 365,
  alarms: { topicArn: TOPIC, alarmNamePrefix: "cwl-archive-archive-" },
};

function build(props: Partial<SearchDeliveryProps> = {}) {
  return (stack: TerraformStack) => new SearchDelivery(stack, "Search", { ...PROPS, ...props });
}

describe("SearchDelivery", () => {
  const tf = synthConstruct(build());
  const stream = resource(tf, "aws_kinesis_firehose_delivery_stream", "Search/Stream");

  test("reads the central Kinesis stream and indexes into the domain, with stable document ids", () => {
    expect(stream.destination).toBe("opensearch");
    expect(stream.kinesis_source_configuration).toEqual({
      kinesis_stream_arn: STREAM,
      role_arn: ref(tf, "aws_iam_role", "Search/Role", "arn"),
    });
    expect(stream.opensearch_configuration).toMatchObject({
      domain_arn: DOMAIN,
      index_name: "cloudwatch-logs",
      index_rotation_period: "OneDay",
      retry_duration: 300,
      document_id_options: { default_document_id_format: "FIREHOSE_DEFAULT" },
    });
    // Firehose cannot decompress CloudWatch Logs for OpenSearch: no Decompression processor, the transform instead.
    expect(JSON.stringify(stream)).not.toContain("Decompression");
    expect(stream.server_side_encryption).toBeUndefined();
  });

  test("documents that fail indexing go to the archive under search-errors/, with the archive key; the rest are not copied", () => {
    expect(stream.opensearch_configuration.s3_backup_mode).toBe("FailedDocumentsOnly");
    expect(stream.opensearch_configuration.s3_configuration).toMatchObject({
      bucket_arn: BUCKET,
      prefix: "search-errors/region=eu-west-1/",
      kms_key_arn: KEY,
      compression_format: "GZIP",
    });
  });

  test("every record goes through the transform, at most 0.2 MB of compressed records per invocation", () => {
    const [processor] = stream.opensearch_configuration.processing_configuration.processors;
    expect(processor.type).toBe("Lambda");
    expect(processor.parameters).toEqual([
      {
        parameter_name: "LambdaArn",
        parameter_value: `${ref(tf, "aws_lambda_function", "Search/Transform", "arn")}:$LATEST`,
      },
      // The documented minimum: 0.2 MB of gzip CloudWatch Logs becomes documents of up to ~4 MB (__tests__/search/transform-under-load.test.ts).
      { parameter_name: "BufferSizeInMBs", parameter_value: "0.2" },
      { parameter_name: "BufferIntervalInSeconds", parameter_value: "60" },
    ]);
    const fn = resource(tf, "aws_lambda_function", "Search/Transform");
    expect(fn).toMatchObject({ runtime: "nodejs22.x", handler: "index.handler", source_code_hash: HANDLER_ZIP_SHA256 });
  });

  describe("the overflow stream (what does not fit the transform's response is re-ingested there)", () => {
    const overflow = resource(tf, "aws_kinesis_firehose_delivery_stream", "Search/OverflowStream");
    const fn = resource(tf, "aws_lambda_function", "Search/Transform");

    test("is a Direct PUT stream with the search stream's destination, transform, role and error prefix", () => {
      expect(overflow.name).toBe("cwl-archive-search-overflow");
      expect(overflow.destination).toBe("opensearch");
      expect(overflow.kinesis_source_configuration).toBeUndefined();
      const { cloudwatch_logging_options: own, ...config } = overflow.opensearch_configuration;
      const { cloudwatch_logging_options: searchLogging, ...searchConfig } = stream.opensearch_configuration;
      expect(config).toEqual(searchConfig);
      expect(own).toEqual({
        ...searchLogging,
        log_stream_name: ref(tf, "aws_cloudwatch_log_stream", "Search/OverflowErrorLogStream", "name"),
      });
      expect(overflow.server_side_encryption).toEqual({ enabled: true, key_type: "AWS_OWNED_CMK" });
    });

    test("the transform re-ingests into it by name, and its role may put records there and nowhere else", () => {
      expect(fn.environment.variables).toEqual({
        REINGEST_STREAM_NAME: "cwl-archive-search-overflow",
        METRICS_NAMESPACE: "cwl-archive/search-transform",
      });
      const policy = policyOf(resource(tf, "aws_iam_role_policy", "Search/TransformPolicy").policy);
      expect(statement(policy, "ReingestIntoOverflowStream")).toEqual({
        Sid: "ReingestIntoOverflowStream",
        Effect: "Allow",
        Action: "firehose:PutRecordBatch",
        Resource: `arn:aws:firehose:eu-west-1:${ACCOUNT}:deliverystream/cwl-archive-search-overflow`,
      });
      // Never the central Kinesis stream: the archive's own Firehose reads it and would archive the records twice.
      const actions = policy.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
      expect(actions.filter((a: string) => a.startsWith("kinesis:") || a.startsWith("firehose:"))).toEqual([
        "firehose:PutRecordBatch",
      ]);
      expect(JSON.stringify(policy)).not.toContain(STREAM);
    });

    test("the streams' role writes the delivery errors of both streams, each to its own log stream", () => {
      const policy = policyOf(resource(tf, "aws_iam_role_policy", "Search/RolePolicy").policy);
      expect(statement(policy, "WriteOwnErrorLog").Resource).toEqual([
        `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/kinesisfirehose/cwl-archive-search:log-stream:OpenSearchDelivery`,
        `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/kinesisfirehose/cwl-archive-search:log-stream:OverflowDelivery`,
      ]);
    });

    test("adds no log group: its errors and the transform's logs go to the search's existing two", () => {
      expect(
        resourcesOf(tf, "aws_cloudwatch_log_group")
          .map(([, g]) => g.name)
          .sort(),
      ).toEqual(["/aws/kinesisfirehose/cwl-archive-search", "/aws/lambda/cwl-archive-search-transform"]);
    });
  });

  test("the stream's role writes only under search-errors/, reads no archived object, uses the key only through S3", () => {
    const policy = policyOf(resource(tf, "aws_iam_role_policy", "Search/RolePolicy").policy);
    expect(statement(policy, "WriteFailedDocuments")).toMatchObject({
      Action: ["s3:AbortMultipartUpload", "s3:PutObject"],
      Resource: `${BUCKET}/search-errors/*`,
    });
    const actions = policy.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(actions.filter((a: string) => a.startsWith("s3:Get") && a !== "s3:GetBucketLocation")).toEqual([]);
    expect(statement(policy, "UseArchiveKeyThroughS3").Condition.StringEquals).toEqual({
      "kms:ViaService": "s3.eu-west-1.amazonaws.com",
      "kms:EncryptionContext:aws:s3:arn": BUCKET,
    });
    const trust = policyOf(resource(tf, "aws_iam_role", "Search/Role").assume_role_policy);
    expect(statement(trust, "FirehoseOfTheArchiveAccountAssumes").Condition).toEqual({
      StringEquals: { "sts:ExternalId": ACCOUNT },
    });
  });

  test("the domain's access policy admits the stream, lets the named principals read only, and denies everyone else", () => {
    const policy = policyOf(resource(tf, "aws_opensearch_domain_policy", "Search/DomainPolicy").access_policies);
    const role = `arn:aws:iam::${ACCOUNT}:role/cwl-archive-search-delivery`;
    expect(statement(policy, "SearchStreamIndexes").Principal).toEqual({ AWS: role });
    expect(statement(policy, "NamedPrincipalsRead")).toMatchObject({
      Principal: { AWS: [ANALYST] },
      Action: ["es:ESHttpGet", "es:ESHttpHead"],
      Resource: `${DOMAIN}/*`,
    });
    // POST only on the search APIs (IAM-simulator rows: __tests__/security/search-access.test.ts).
    expect(statement(policy, "NamedPrincipalsSearch")).toMatchObject({
      Principal: { AWS: [ANALYST] },
      Action: "es:ESHttpPost",
    });
    expect(statement(policy, "NamedPrincipalsSearch").Resource).toContain(`${DOMAIN}/cloudwatch-logs*/_search`);
    expect(statement(policy, "NamedPrincipalsSearch").Resource).not.toContain(`${DOMAIN}/*`);
    expect(statement(policy, "NobodyElseReadsOrWrites")).toMatchObject({
      Effect: "Deny",
      Condition: { ArnNotEquals: { "aws:PrincipalArn": [role, ANALYST] } },
    });
    expect(JSON.stringify(policy)).not.toContain("NotPrincipal");
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).not.toContain("DomainAdministratorsManage");
  });

  test("named domain administrators may make every call and are spared by the deny", () => {
    const ADMIN = `arn:aws:iam::${ACCOUNT}:role/SearchDomainAdmin`;
    const withAdmin = synthConstruct(build({ administrators: [ADMIN] }));
    const policy = policyOf(resource(withAdmin, "aws_opensearch_domain_policy", "Search/DomainPolicy").access_policies);
    expect(statement(policy, "DomainAdministratorsManage")).toEqual({
      Sid: "DomainAdministratorsManage",
      Effect: "Allow",
      Principal: { AWS: [ADMIN] },
      Action: "es:ESHttp*",
      Resource: `${DOMAIN}/*`,
    });
    expect(statement(policy, "NobodyElseReadsOrWrites").Condition.ArnNotEquals["aws:PrincipalArn"]).toContain(ADMIN);
  });

  test("the plan fails unless the domain encrypts at rest and between nodes, and has a public endpoint", () => {
    const domain = (tf as any).data.aws_opensearch_domain;
    const [config] = Object.values(domain) as any[];
    expect(config.domain_name).toBe("security-logs");
    const conditions = config.lifecycle.postcondition.map((p: { condition: string }) => p.condition);
    expect(conditions).toEqual([
      "${self.encryption_at_rest[0].enabled}",
      "${self.node_to_node_encryption[0].enabled}",
      // The provider sets vpc_options only for a domain in a VPC, which the streams cannot reach without a VpcConfiguration.
      "${length(self.vpc_options) == 0}",
    ]);
    expect(config.lifecycle.postcondition[2].error_message).toMatch(
      /is in a VPC: search delivery reaches only domains with a public endpoint/,
    );
  });

  test("every postcondition reads attributes the provider's aws_opensearch_domain data source has", () => {
    // The generated class lists the data source's schema (provider 6.25): a missing attribute fails the plan.
    const schema = readFileSync(
      require.resolve("@cdktf/provider-aws/lib/data-aws-opensearch-domain/index.d.ts"),
      "utf8",
    );
    const camel = (name: string) => name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    const [config] = Object.values((tf as any).data.aws_opensearch_domain) as any[];
    const names = (config.lifecycle.postcondition as { condition: string }[]).flatMap(({ condition }) =>
      [...condition.matchAll(/self\.([a-z_]+)(?:\[0\]\.([a-z_]+))?/g)].flatMap(([, block, field]) =>
        field === undefined ? [block!] : [block!, field],
      ),
    );
    expect(names).toEqual(["encryption_at_rest", "enabled", "node_to_node_encryption", "enabled", "vpc_options"]);
    for (const name of names) expect(schema).toContain(`get ${camel(name)}(): `);
  });

  test("alarms on failed indexing and an index behind by 15 minutes of both streams, a failing transform and failed records", () => {
    const alarms = Object.fromEntries(resourcesOf(tf, "aws_cloudwatch_metric_alarm").map(([, a]) => [a.alarm_name, a]));
    expect(Object.keys(alarms).sort()).toEqual([
      "cwl-archive-archive-search-failed-records",
      "cwl-archive-archive-search-index-behind",
      "cwl-archive-archive-search-indexing-fails",
      "cwl-archive-archive-search-overflow-index-behind",
      "cwl-archive-archive-search-overflow-indexing-fails",
      "cwl-archive-archive-search-transform-fails",
    ]);
    expect(alarms["cwl-archive-archive-search-indexing-fails"]).toMatchObject({
      metric_name: "DeliveryToAmazonOpenSearchService.Success",
      alarm_actions: [TOPIC],
    });
    expect(alarms["cwl-archive-archive-search-overflow-indexing-fails"].dimensions).toEqual({
      DeliveryStreamName: "cwl-archive-search-overflow",
    });
    expect(alarms["cwl-archive-archive-search-index-behind"].threshold).toBe(900);
    expect(resourcesOf(synthConstruct(build({ alarms: undefined })), "aws_cloudwatch_metric_alarm")).toEqual([]);
  });

  describe("the failed-records alarm (issue 19: nothing alarmed on records the transform failed)", () => {
    const alarm = resourcesOf(tf, "aws_cloudwatch_metric_alarm")
      .map(([, a]) => a)
      .find((a) => a.alarm_name === "cwl-archive-archive-search-failed-records");
    const fn = resource(tf, "aws_lambda_function", "Search/Transform");

    test("watches the metric the transform writes: same namespace, dimension and name", () => {
      const outcomes = [{ recordId: "r", result: "ProcessingFailed" as const, reason: "undecodable" as const }];
      const emf = JSON.parse(
        metricsLine(
          fn.environment.variables.METRICS_NAMESPACE,
          fn.function_name,
          "cwl-archive-search",
          recordCounts(outcomes),
          0,
        ),
      );
      const directive = emf._aws.CloudWatchMetrics[0];
      expect(alarm).toMatchObject({
        namespace: directive.Namespace,
        metric_name: "FailedRecords",
        dimensions: Object.fromEntries(directive.Dimensions[0].map((d: string) => [d, emf[d]])),
      });
      expect(directive.Metrics.map((m: { Name: string }) => m.Name)).toContain("FailedRecords");
      expect(emf.FailedRecords).toBe(1);
    });

    test("fires on one failed record in five minutes and recovers: missing data (no invocation) is not breaching", () => {
      expect(alarm).toMatchObject({
        statistic: "Sum",
        comparison_operator: "GreaterThanThreshold",
        threshold: 0,
        period: 300,
        evaluation_periods: 1,
        datapoints_to_alarm: 1,
        treat_missing_data: "notBreaching",
        alarm_actions: [TOPIC],
        ok_actions: [TOPIC],
      });
    });
  });

  test("refuses a domain of another account or Region, and retries beyond 2 hours", () => {
    const errors = errorsOf(
      build({ domainArn: "arn:aws:es:us-east-1:111111111111:domain/logs", retryDurationSeconds: 7201 }),
    ).join("\n");
    expect(errors).toContain("domainArn: expected a domain of account 111111111111 in eu-west-1");
    expect(errors).toContain("retryDurationSeconds: expected a whole number of seconds from 0 to 7200, got 7201");
    expect(errorsOf(build({ domainArn: "logs" })).join("\n")).toContain(
      "domainArn: expected an OpenSearch Service domain ARN",
    );
  });

  test("fails on a domain administrator who is also a search principal, or is not a role or user", () => {
    const errors = errorsOf(
      build({ administrators: [ANALYST, `arn:aws:iam::${ACCOUNT}:root`], principals: [ANALYST, "analysts"] }),
    );
    expect(errors).toEqual([
      'SearchDelivery test/Search: principals[1]: expected an IAM role, user or account root ARN, got "analysts"',
      `SearchDelivery test/Search: administrators[0]: ${ANALYST} is also a search principal; a principal is either read-only or an administrator`,
      `SearchDelivery test/Search: administrators[1]: expected an IAM role or user ARN, got "arn:aws:iam::${ACCOUNT}:root"`,
    ]);
  });
});

describe("the transform's package", () => {
  test("is the committed build of transform/handler.ts (npm run build:lambdas when this fails)", () => {
    expectPackagesCurrent();
  });

  test("is one stored index.mjs exporting the handler; its hash is Terraform's filebase64sha256", () => {
    // The only AWS SDK client is Firehose's (re-ingestion), left to the Lambda runtime, not bundled.
    const code = packagedCode(HANDLER_ZIP_BASE64, HANDLER_ZIP_SHA256);
    expect([...code.matchAll(/from\s*"(@aws-sdk\/[^"]+)"/g)].map((m) => m[1])).toEqual(["@aws-sdk/client-firehose"]);
  });
});
