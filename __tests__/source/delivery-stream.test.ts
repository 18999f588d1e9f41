import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { TerraformStack } from "cdktf";
import { ProtectedKey } from "../../modules/constructs/protected-key";
import {
  DeliveryStream,
  deliveryProcessors,
  objectExtension,
  type DeliveryStreamProps,
  type FirehoseStreamSettings,
} from "../../modules/source/delivery-stream";
import { addressOf, errorsOf, ref, synthConstruct } from "../helpers/construct";
import { SOURCE, sourceContext } from "../helpers/source-context";
import { policyOf, resource, statement } from "../helpers/synth";

const CONTEXT = sourceContext();
const { names } = CONTEXT;
const SETTINGS: FirehoseStreamSettings = {
  bufferingSizeMiB: 5,
  bufferingIntervalSeconds: 300,
  compression: "GZIP",
  messageExtraction: false,
  streamEncryption: "AWS_OWNED_CMK",
  errorLogRetentionDays: 365,
};

function pipelineKey(stack: TerraformStack): ProtectedKey {
  return new ProtectedKey(stack, "PipelineKey", { description: "pipeline", alias: "alias/pipeline", statements: [] });
}

function build(
  settings: Partial<FirehoseStreamSettings> = {},
  more: (stack: TerraformStack) => Partial<DeliveryStreamProps> = () => ({}),
) {
  return (stack: TerraformStack) =>
    new DeliveryStream(stack, "Delivery", {
      context: CONTEXT,
      settings: { ...SETTINGS, ...settings },
      ...more(stack),
    });
}

describe("DeliveryStream", () => {
  describe("GIVEN the source context and settings, and no key", () => {
    const tf = synthConstruct(build());
    const stream = resource(tf, "aws_kinesis_firehose_delivery_stream", "Delivery/Stream");
    const s3 = stream.extended_s3_configuration;

    test("THEN the stream writes into the archive bucket with its own delivery role", () => {
      expect(stream).toMatchObject({ name: "cwl-archive-to-archive", destination: "extended_s3" });
      expect(s3.bucket_arn).toBe(CONTEXT.archiveBucketArn);
      expect(s3.role_arn).toBe(ref(tf, "aws_iam_role", "Delivery/Role", "arn"));
    });

    test("THEN objects go under this account's and Region's data and error prefixes", () => {
      expect(s3.prefix).toMatch(new RegExp(`^cloudwatch-logs/account=${SOURCE}/region=us-east-1/year=`));
      expect(s3.error_output_prefix).toMatch(
        new RegExp(`^cloudwatch-logs-errors/account=${SOURCE}/region=us-east-1/!\\{firehose:error-output-type\\}/`),
      );
    });

    test("THEN buffering and compression follow the settings, in UTC, with no backup copy", () => {
      expect(s3).toMatchObject({
        buffering_size: 5,
        buffering_interval: 300,
        compression_format: "GZIP",
        file_extension: ".json.gz",
        custom_time_zone: "UTC",
        s3_backup_mode: "Disabled",
      });
    });

    test("THEN records are decompressed and delimited, with no Lambda", () => {
      expect(s3.processing_configuration).toEqual({
        enabled: true,
        processors: [
          { type: "Decompression", parameters: [{ parameter_name: "CompressionFormat", parameter_value: "GZIP" }] },
          { type: "AppendDelimiterToRecord" },
        ],
      });
    });

    test("THEN the stream is encrypted with an AWS-owned key", () => {
      expect(stream.server_side_encryption).toEqual({ enabled: true, key_type: "AWS_OWNED_CMK" });
    });

    test("THEN errors go to the stream's own log group, kept for the set retention, with CloudWatch Logs' own encryption", () => {
      const group = resource(tf, "aws_cloudwatch_log_group", "Delivery/ErrorLogGroup");
      expect(group).toMatchObject({ name: names.errorLogGroup, retention_in_days: 365 });
      expect(group.kms_key_id).toBeUndefined();
      expect(resource(tf, "aws_cloudwatch_log_stream", "Delivery/ErrorLogStream")).toMatchObject({
        name: names.errorLogStream,
        log_group_name: ref(tf, "aws_cloudwatch_log_group", "Delivery/ErrorLogGroup", "name"),
      });
      expect(s3.cloudwatch_logging_options).toEqual({
        enabled: true,
        log_group_name: ref(tf, "aws_cloudwatch_log_group", "Delivery/ErrorLogGroup", "name"),
        log_stream_name: ref(tf, "aws_cloudwatch_log_stream", "Delivery/ErrorLogStream", "name"),
      });
    });

    test("THEN only Firehose of this account assumes the delivery role, which writes this account's prefixes", () => {
      const role = resource(tf, "aws_iam_role", "Delivery/Role");
      expect(role.name).toBe(names.deliveryRole);
      expect(policyOf(role.assume_role_policy).Statement.map((s) => s.Sid)).toEqual(["FirehoseOfThisAccountAssumes"]);
      const policy = policyOf(resource(tf, "aws_iam_role_policy", "Delivery/RolePolicy").policy);
      expect(policy.Statement.map((s) => s.Sid)).toEqual([
        "WriteOwnPrefixes",
        "LocateArchiveBucket",
        "UseArchiveKeyThroughS3",
        "WriteOwnErrorLog",
      ]);
      expect(statement(policy, "WriteOwnPrefixes").Resource).toEqual([
        `${CONTEXT.archiveBucketArn}/cloudwatch-logs/account=${SOURCE}/*`,
        `${CONTEXT.archiveBucketArn}/cloudwatch-logs-errors/account=${SOURCE}/*`,
      ]);
    });

    test("THEN the stream is created once its role may write", () => {
      expect(stream.depends_on).toEqual([addressOf(tf, "aws_iam_role_policy", "Delivery/RolePolicy")]);
    });
  });

  test("GIVEN message extraction THEN each event's message is extracted and objects end in .log.gz", () => {
    const tf = synthConstruct(build({ messageExtraction: true }));

    const s3 = resource(tf, "aws_kinesis_firehose_delivery_stream", "Delivery/Stream").extended_s3_configuration;
    expect(s3.processing_configuration.processors.map((p: { type: string }) => p.type)).toEqual([
      "Decompression",
      "CloudWatchLogProcessing",
      "AppendDelimiterToRecord",
    ]);
    expect(s3.file_extension).toBe(".log.gz");
  });

  test.each<[boolean, "GZIP" | "UNCOMPRESSED", string]>([
    [false, "GZIP", ".json.gz"],
    [false, "UNCOMPRESSED", ".json"],
    [true, "GZIP", ".log.gz"],
    [true, "UNCOMPRESSED", ".log"],
  ])("GIVEN messageExtraction %p and %s THEN objects end in %s", (messageExtraction, compression, extension) => {
    expect(objectExtension({ messageExtraction, compression })).toBe(extension);
    expect(deliveryProcessors({ messageExtraction }).at(-1)).toEqual({ type: "AppendDelimiterToRecord" });
  });

  test("GIVEN a key and a customer managed stream key THEN the stream and its error log are encrypted with the key", () => {
    const tf = synthConstruct(
      build({ streamEncryption: "CUSTOMER_MANAGED_CMK" }, (stack) => ({ key: pipelineKey(stack) })),
    );

    const keyArn = ref(tf, "aws_kms_key", "PipelineKey/Key", "arn");
    expect(resource(tf, "aws_kinesis_firehose_delivery_stream", "Delivery/Stream").server_side_encryption).toEqual({
      enabled: true,
      key_type: "CUSTOMER_MANAGED_CMK",
      key_arn: keyArn,
    });
    expect(resource(tf, "aws_cloudwatch_log_group", "Delivery/ErrorLogGroup").kms_key_id).toBe(keyArn);
  });

  test("GIVEN a key and an AWS-owned stream key THEN only the error log is encrypted with the key", () => {
    const tf = synthConstruct(build({}, (stack) => ({ key: pipelineKey(stack) })));

    expect(resource(tf, "aws_kinesis_firehose_delivery_stream", "Delivery/Stream").server_side_encryption).toEqual({
      enabled: true,
      key_type: "AWS_OWNED_CMK",
    });
    expect(resource(tf, "aws_cloudwatch_log_group", "Delivery/ErrorLogGroup").kms_key_id).toBe(
      ref(tf, "aws_kms_key", "PipelineKey/Key", "arn"),
    );
  });

  test("GIVEN resources to wait for THEN the stream waits for them too", () => {
    const tf = synthConstruct(
      build({}, (stack) => ({
        dependsOn: [new IamRole(stack, "Other", { name: "other", assumeRolePolicy: "{}" })],
      })),
    );

    expect(resource(tf, "aws_kinesis_firehose_delivery_stream", "Delivery/Stream").depends_on).toEqual([
      addressOf(tf, "aws_iam_role_policy", "Delivery/RolePolicy"),
      addressOf(tf, "aws_iam_role", "test/Other"),
    ]);
  });

  describe("validation", () => {
    test("fails GIVEN a customer managed stream key but no key", () => {
      expect(errorsOf(build({ streamEncryption: "CUSTOMER_MANAGED_CMK" }))).toEqual([
        "DeliveryStream test/Delivery: key: expected the pipeline key, as settings.streamEncryption is CUSTOMER_MANAGED_CMK, got none",
      ]);
    });

    test.each([1, 128])("accepts a buffer of %p MiB", (bufferingSizeMiB) => {
      expect(() => synthConstruct(build({ bufferingSizeMiB }))).not.toThrow();
    });

    test.each([0, 129, 2.5])("fails GIVEN a buffer of %p MiB", (bufferingSizeMiB) => {
      expect(errorsOf(build({ bufferingSizeMiB }))).toEqual([
        `DeliveryStream test/Delivery: settings.bufferingSizeMiB: expected a Firehose buffer size in MiB: an integer from 1 to 128, got ${bufferingSizeMiB}`,
      ]);
    });

    test.each([0, 900])("accepts a buffer interval of %p seconds", (bufferingIntervalSeconds) => {
      expect(() => synthConstruct(build({ bufferingIntervalSeconds }))).not.toThrow();
    });

    test.each([-1, 901])("fails GIVEN a buffer interval of %p seconds", (bufferingIntervalSeconds) => {
      expect(errorsOf(build({ bufferingIntervalSeconds }))).toEqual([
        `DeliveryStream test/Delivery: settings.bufferingIntervalSeconds: expected a Firehose buffer interval in seconds: an integer from 0 to 900, got ${bufferingIntervalSeconds}`,
      ]);
    });

    test.each([1, 3653])("accepts an error log retention of %p days", (errorLogRetentionDays) => {
      expect(() => synthConstruct(build({ errorLogRetentionDays }))).not.toThrow();
    });

    test.each([0, 2, 3654])("fails GIVEN an error log retention of %p days", (errorLogRetentionDays) => {
      expect(errorsOf(build({ errorLogRetentionDays }))).toEqual([
        expect.stringMatching(
          new RegExp(
            `^DeliveryStream test/Delivery: settings\\.errorLogRetentionDays: expected a CloudWatch Logs retention period: one of 1, 3, 5, .*, 3653, got ${errorLogRetentionDays}$`,
          ),
        ),
      ]);
    });

    test("fails with every problem at once, one line each", () => {
      const errors = errorsOf(
        build({ streamEncryption: "CUSTOMER_MANAGED_CMK", bufferingSizeMiB: 0, errorLogRetentionDays: 2 }),
      );
      expect(errors.map((e) => e.split(": ")[1])).toEqual([
        "key",
        "settings.bufferingSizeMiB",
        "settings.errorLogRetentionDays",
      ]);
    });
  });
});
