import type { TerraformStack } from "cdktf";
import { readFileSync } from "node:fs";
import { SearchDelivery, type SearchDeliveryProps } from "../../modules/search/search-delivery";
import { HANDLER_ZIP_BASE64, HANDLER_ZIP_SHA256 } from "../../modules/search/transform/handler-zip";
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

  test("every record goes through the transform, at most 1 MB per invocation", () => {
    const [processor] = stream.opensearch_configuration.processing_configuration.processors;
    expect(processor.type).toBe("Lambda");
    expect(processor.parameters).toEqual([
      {
        parameter_name: "LambdaArn",
        parameter_value: `${ref(tf, "aws_lambda_function", "Search/Transform", "arn")}:$LATEST`,
      },
      { parameter_name: "BufferSizeInMBs", parameter_value: "1" },
      { parameter_name: "BufferIntervalInSeconds", parameter_value: "60" },
    ]);
    const fn = resource(tf, "aws_lambda_function", "Search/Transform");
    expect(fn).toMatchObject({ runtime: "nodejs22.x", handler: "index.handler", source_code_hash: HANDLER_ZIP_SHA256 });
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

  test("the domain's access policy admits the stream and the named principals, and denies everyone else", () => {
    const policy = policyOf(resource(tf, "aws_opensearch_domain_policy", "Search/DomainPolicy").access_policies);
    expect(statement(policy, "SearchStreamIndexes").Principal).toEqual({
      AWS: `arn:aws:iam::${ACCOUNT}:role/cwl-archive-search-delivery`,
    });
    expect(statement(policy, "NamedPrincipalsSearch")).toMatchObject({
      Principal: { AWS: [ANALYST] },
      Action: ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost"],
    });
    expect(statement(policy, "NobodyElseReadsOrWrites")).toMatchObject({
      Effect: "Deny",
      Condition: {
        ArnNotEquals: { "aws:PrincipalArn": [`arn:aws:iam::${ACCOUNT}:role/cwl-archive-search-delivery`, ANALYST] },
      },
    });
  });

  test("the plan fails unless the domain encrypts at rest and between nodes", () => {
    const domain = (tf as any).data.aws_opensearch_domain;
    const [config] = Object.values(domain) as any[];
    expect(config.domain_name).toBe("security-logs");
    const conditions = config.lifecycle.postcondition.map((p: { condition: string }) => p.condition);
    expect(conditions).toEqual(["${self.encryption_at_rest[0].enabled}", "${self.node_to_node_encryption[0].enabled}"]);
  });

  test("every postcondition reads an attribute the provider's aws_opensearch_domain data source has", () => {
    // The generated class lists the data source's schema (provider 6.25): a missing attribute fails the plan.
    const schema = readFileSync(
      require.resolve("@cdktf/provider-aws/lib/data-aws-opensearch-domain/index.d.ts"),
      "utf8",
    );
    const [config] = Object.values((tf as any).data.aws_opensearch_domain) as any[];
    for (const { condition } of config.lifecycle.postcondition as { condition: string }[]) {
      const [, block, field] = /^\$\{self\.([a-z_]+)\[0\]\.([a-z_]+)\}$/.exec(condition)!;
      const camel = (name: string) => name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
      expect(schema).toContain(`get ${camel(block!)}(): `);
      expect(schema).toContain(`get ${camel(field!)}(): `);
    }
  });

  test("alarms on failed indexing, an index behind by 15 minutes and a failing transform join the alarm topic", () => {
    const alarms = Object.fromEntries(resourcesOf(tf, "aws_cloudwatch_metric_alarm").map(([, a]) => [a.alarm_name, a]));
    expect(Object.keys(alarms).sort()).toEqual([
      "cwl-archive-archive-search-index-behind",
      "cwl-archive-archive-search-indexing-fails",
      "cwl-archive-archive-search-transform-fails",
    ]);
    expect(alarms["cwl-archive-archive-search-indexing-fails"]).toMatchObject({
      metric_name: "DeliveryToAmazonOpenSearchService.Success",
      alarm_actions: [TOPIC],
    });
    expect(alarms["cwl-archive-archive-search-index-behind"].threshold).toBe(900);
    expect(resourcesOf(synthConstruct(build({ alarms: undefined })), "aws_cloudwatch_metric_alarm")).toEqual([]);
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
});

describe("the transform's package", () => {
  test("is the committed build of transform/handler.ts (npm run build:lambdas when this fails)", () => {
    expectPackagesCurrent();
  });

  test("is one stored index.mjs exporting the handler; its hash is Terraform's filebase64sha256", () => {
    // No AWS SDK: the transform only decodes and encodes.
    expect(packagedCode(HANDLER_ZIP_BASE64, HANDLER_ZIP_SHA256)).not.toContain("@aws-sdk");
  });
});
