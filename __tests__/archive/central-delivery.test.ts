import type { TerraformStack } from "cdktf";
import {
  CENTRAL_PARTITION_QUERY,
  CentralDelivery,
  type CentralDeliveryProps,
  type CentralStreamSettings,
} from "../../modules/archive/central-delivery";
import { centralDataPrefix, centralErrorPrefix } from "../../modules/naming/key-layout";
import { archiveNames, centralNames } from "../../modules/naming/names";
import type { CentralContext } from "../../modules/policy/central-policies";
import { addressOf, errorsOf, ref, synthConstruct } from "../helpers/construct";
import { policyOf, resource, resourcesOf, statement, type TfJson } from "../helpers/synth";

const ACCOUNT = "111111111111";
const ORG = "o-a1b2c3d4e5";
const REGION = "us-east-1";
const names = centralNames("cwl-archive", ACCOUNT, REGION);
const BUCKET = archiveNames({
  prefix: "cwl-archive",
  archiveAccountId: ACCOUNT,
  archiveRegion: "eu-west-1",
}).archiveBucketArn;
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/archive`;
const SETTINGS: CentralStreamSettings = {
  bufferingSizeMiB: 64,
  bufferingIntervalSeconds: 300,
  kinesisStream: { enabled: false, mode: "ON_DEMAND", shards: 1 },
};

function context(kinesis: boolean): CentralContext {
  return {
    organizationId: ORG,
    archiveAccountId: ACCOUNT,
    archiveRegion: "eu-west-1",
    archiveBucketArn: BUCKET,
    region: REGION,
    destinationArn: names.destinationArn,
    deliveryStreamArn: names.deliveryStreamArn,
    kinesisStreamArn: kinesis ? names.kinesisStreamArn : undefined,
    errorLogGroupArn: names.errorLogGroupArn,
    errorLogStream: "DestinationDelivery",
  };
}

function build(settings: Partial<CentralStreamSettings> = {}, props: Partial<CentralDeliveryProps> = {}) {
  const merged = { ...SETTINGS, ...settings };
  return (stack: TerraformStack) =>
    new CentralDelivery(stack, "Central", {
      context: context(merged.kinesisStream.enabled),
      names,
      settings: merged,
      archiveKeyArn: KEY,
      errorLogRetentionDays: 365,
      ...props,
    });
}

const kinesis = (mode: "ON_DEMAND" | "PROVISIONED", shards = 1) => ({ kinesisStream: { enabled: true, mode, shards } });
const stream = (tf: TfJson) => resource(tf, "aws_kinesis_firehose_delivery_stream", "Central/Stream");

describe("CentralDelivery", () => {
  describe("GIVEN no Kinesis stream", () => {
    const tf = synthConstruct(build());
    const s3 = stream(tf).extended_s3_configuration;

    test("THEN a Firehose in the source Region, encrypted with an AWS-owned key, writes into the archive", () => {
      expect(stream(tf)).toMatchObject({
        name: names.deliveryStream,
        region: REGION,
        destination: "extended_s3",
        server_side_encryption: { enabled: true, key_type: "AWS_OWNED_CMK" },
      });
      expect(stream(tf).kinesis_source_configuration).toBeUndefined();
      expect(s3).toMatchObject({
        bucket_arn: BUCKET,
        role_arn: ref(tf, "aws_iam_role", "Central/FirehoseRole", "arn"),
      });
    });

    test("THEN each record goes under the account of its own envelope, through dynamic partitioning", () => {
      expect(s3).toMatchObject({
        prefix: centralDataPrefix(REGION),
        error_output_prefix: centralErrorPrefix(REGION),
        dynamic_partitioning_configuration: { enabled: true, retry_duration: 300 },
        buffering_size: 64,
        buffering_interval: 300,
        compression_format: "GZIP",
        file_extension: ".json.gz",
      });
      expect(s3.processing_configuration.processors).toEqual([
        { type: "Decompression", parameters: [{ parameter_name: "CompressionFormat", parameter_value: "GZIP" }] },
        {
          type: "MetadataExtraction",
          parameters: [
            { parameter_name: "JsonParsingEngine", parameter_value: "JQ-1.6" },
            { parameter_name: "MetadataExtractionQuery", parameter_value: CENTRAL_PARTITION_QUERY },
          ],
        },
        { type: "AppendDelimiterToRecord" },
      ]);
    });

    test("THEN errors go to the stream's own log group in the Region, kept for the set retention", () => {
      expect(resource(tf, "aws_cloudwatch_log_group", "Central/ErrorLogGroup")).toMatchObject({
        name: names.errorLogGroup,
        region: REGION,
        retention_in_days: 365,
      });
      expect(s3.cloudwatch_logging_options).toMatchObject({
        enabled: true,
        log_group_name: ref(tf, "aws_cloudwatch_log_group", "Central/ErrorLogGroup", "name"),
      });
    });

    test("THEN the Firehose role is the archive account's and writes the data, control and error prefixes", () => {
      const trust = policyOf(resource(tf, "aws_iam_role", "Central/FirehoseRole").assume_role_policy);
      expect(statement(trust, "FirehoseOfTheArchiveAccountAssumes").Condition).toEqual({
        StringEquals: { "sts:ExternalId": ACCOUNT },
      });
      const policy = policyOf(resource(tf, "aws_iam_role_policy", "Central/FirehosePolicy").policy);
      expect(policy.Statement.map((s) => s.Sid)).toEqual([
        "WriteArchive",
        "LocateArchiveBucket",
        "UseArchiveKeyThroughS3",
        "WriteOwnErrorLog",
      ]);
      expect(statement(policy, "UseArchiveKeyThroughS3").Resource).toBe(KEY);
      expect(stream(tf).depends_on).toEqual([addressOf(tf, "aws_iam_role_policy", "Central/FirehosePolicy")]);
    });

    test("THEN the organization may subscribe to a destination that puts into the Firehose", () => {
      const destination = resource(tf, "aws_cloudwatch_log_destination", "Central/Destination");
      expect(destination).toMatchObject({
        name: names.destination,
        region: REGION,
        role_arn: ref(tf, "aws_iam_role", "Central/DestinationRole", "arn"),
        target_arn: ref(tf, "aws_kinesis_firehose_delivery_stream", "Central/Stream", "arn"),
        depends_on: [addressOf(tf, "aws_iam_role_policy", "Central/DestinationPolicy")],
      });
      const access = resource(tf, "aws_cloudwatch_log_destination_policy", "Central/DestinationAccess");
      expect(access.destination_name).toBe(ref(tf, "aws_cloudwatch_log_destination", "Central/Destination", "name"));
      expect(statement(policyOf(access.access_policy), "OrganizationSubscribes").Condition).toEqual({
        StringEquals: { "aws:PrincipalOrgID": ORG },
      });
      const putInto = policyOf(resource(tf, "aws_iam_role_policy", "Central/DestinationPolicy").policy);
      expect(statement(putInto, "PutRecordsIntoCentralStream").Resource).toBe(names.deliveryStreamArn);
      const trust = policyOf(resource(tf, "aws_iam_role", "Central/DestinationRole").assume_role_policy);
      expect(statement(trust, "CloudWatchLogsOfTheRegionAssumes").Principal).toEqual({
        Service: `logs.${REGION}.amazonaws.com`,
      });
    });

    test("THEN there is no Kinesis stream", () => {
      expect(resourcesOf(tf, "aws_kinesis_stream")).toEqual([]);
    });
  });

  describe("GIVEN an on-demand Kinesis stream", () => {
    const tf = synthConstruct(build(kinesis("ON_DEMAND")));
    const kinesisStream = resource(tf, "aws_kinesis_stream", "Central/KinesisStream");

    test("THEN the destination puts into an encrypted Kinesis stream with a day of replay, which the Firehose reads", () => {
      expect(kinesisStream).toMatchObject({
        name: names.kinesisStream,
        region: REGION,
        stream_mode_details: { stream_mode: "ON_DEMAND" },
        retention_period: 24,
        encryption_type: "KMS",
        kms_key_id: "alias/aws/kinesis",
      });
      expect(kinesisStream.shard_count).toBeUndefined();
      expect(resource(tf, "aws_cloudwatch_log_destination", "Central/Destination").target_arn).toBe(
        ref(tf, "aws_kinesis_stream", "Central/KinesisStream", "arn"),
      );
      expect(stream(tf).kinesis_source_configuration).toEqual({
        kinesis_stream_arn: ref(tf, "aws_kinesis_stream", "Central/KinesisStream", "arn"),
        role_arn: ref(tf, "aws_iam_role", "Central/FirehoseRole", "arn"),
      });
      expect(stream(tf).server_side_encryption).toBeUndefined();
    });
  });

  test("GIVEN a provisioned Kinesis stream THEN it has the set number of shards", () => {
    const tf = synthConstruct(build(kinesis("PROVISIONED", 4)));

    expect(resource(tf, "aws_kinesis_stream", "Central/KinesisStream")).toMatchObject({
      stream_mode_details: { stream_mode: "PROVISIONED" },
      shard_count: 4,
    });
  });

  describe("validation", () => {
    test.each([64, 128])("accepts a buffer of %p MiB", (bufferingSizeMiB) => {
      expect(() => synthConstruct(build({ bufferingSizeMiB }))).not.toThrow();
    });

    test.each([63, 129])("fails GIVEN a buffer of %p MiB", (bufferingSizeMiB) => {
      expect(errorsOf(build({ bufferingSizeMiB }))).toEqual([
        `CentralDelivery test/Central: settings.bufferingSizeMiB: expected a Firehose buffer size in MiB: an integer from 64 to 128, got ${bufferingSizeMiB}`,
      ]);
    });

    test.each([60, 900])("accepts a buffer interval of %p seconds", (bufferingIntervalSeconds) => {
      expect(() => synthConstruct(build({ bufferingIntervalSeconds }))).not.toThrow();
    });

    test.each([0, 59, 901])("fails GIVEN a buffer interval of %p seconds", (bufferingIntervalSeconds) => {
      expect(errorsOf(build({ bufferingIntervalSeconds }))).toEqual([
        `CentralDelivery test/Central: settings.bufferingIntervalSeconds: expected a Firehose buffer interval in seconds: an integer from 60 to 900, got ${bufferingIntervalSeconds}`,
      ]);
    });

    test("accepts a provisioned Kinesis stream of 1 shard, and ignores shards on demand", () => {
      expect(() => synthConstruct(build(kinesis("PROVISIONED", 1)))).not.toThrow();
      expect(() => synthConstruct(build(kinesis("ON_DEMAND", 0)))).not.toThrow();
    });

    test.each([0, 1.5])("fails GIVEN a provisioned Kinesis stream of %p shards", (shards) => {
      expect(errorsOf(build(kinesis("PROVISIONED", shards)))).toEqual([
        `CentralDelivery test/Central: settings.kinesisStream.shards: expected a shard count: an integer from 1 to 500, got ${shards}`,
      ]);
    });

    test.each([1, 3653])("accepts an error log retention of %p days", (errorLogRetentionDays) => {
      expect(() => synthConstruct(build({}, { errorLogRetentionDays }))).not.toThrow();
    });

    test("fails GIVEN an error log retention CloudWatch Logs does not offer", () => {
      expect(errorsOf(build({}, { errorLogRetentionDays: 10 }))).toEqual([
        expect.stringMatching(
          /^CentralDelivery test\/Central: errorLogRetentionDays: expected a CloudWatch Logs retention period: one of .*, got 10$/,
        ),
      ]);
    });

    test("fails with every problem at once, one line each", () => {
      const errors = errorsOf(
        build({ bufferingSizeMiB: 5, bufferingIntervalSeconds: 0 }, { errorLogRetentionDays: 10 }),
      );
      expect(errors.map((e) => e.split(": ")[1])).toEqual([
        "settings.bufferingSizeMiB",
        "settings.bufferingIntervalSeconds",
        "errorLogRetentionDays",
      ]);
    });
  });
});
