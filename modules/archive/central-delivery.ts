/**
 * The central-destination topology for one source Region, in the log-archive
 * account: a CloudWatch Logs destination the whole organization may subscribe
 * to, and a Firehose (optionally behind a Kinesis data stream) that writes the
 * same key layout as the per-account streams. The account in each key comes
 * from the record's own envelope (`owner`, written by CloudWatch Logs) through
 * dynamic partitioning, so no source can write under another's prefix; health
 * check control messages go under cloudwatch-logs-control/, never the data
 * prefix.
 */
import { CloudwatchLogDestination } from "@cdktf/provider-aws/lib/cloudwatch-log-destination";
import { CloudwatchLogDestinationPolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-destination-policy";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogStream } from "@cdktf/provider-aws/lib/cloudwatch-log-stream";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KinesisFirehoseDeliveryStream } from "@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream";
import { KinesisStream } from "@cdktf/provider-aws/lib/kinesis-stream";
import { Construct } from "constructs";
import { centralDataPrefix, centralErrorPrefix, CONTROL_ROOT, DATA_ROOT } from "../naming/key-layout";
import type { centralNames } from "../naming/names";
import {
  centralFirehosePolicy,
  centralFirehoseTrust,
  destinationAccessPolicy,
  destinationRolePolicy,
  destinationRoleTrust,
  type CentralContext,
} from "../policy/central-policies";
import { policyDocument, toPolicyJson } from "../policy/document";
import type { KinesisStreamMode } from "../options/values";
import { formatSettingProblem, logRetentionProblem, rangeProblem, throwIfProblems } from "../constructs/validation";
import { LOG_ARCHIVE_RANGES } from "./archive-rules";

/** The central stream of one Region. */
export interface CentralStreamSettings {
  /** Firehose buffer size in MiB (dynamic partitioning needs at least 64). */
  readonly bufferingSizeMiB: number;
  /** Firehose buffer interval in seconds (60-900). */
  readonly bufferingIntervalSeconds: number;
  /** A Kinesis data stream in front of the Firehose. */
  readonly kinesisStream: {
    /** Whether the destination writes into a Kinesis data stream that the Firehose reads. */
    readonly enabled: boolean;
    /** Capacity mode of the Kinesis stream. */
    readonly mode: KinesisStreamMode;
    /** Shards in PROVISIONED mode. */
    readonly shards: number;
  };
}

export interface CentralDeliveryProps {
  readonly context: CentralContext;
  readonly names: ReturnType<typeof centralNames>;
  /** Buffering of the central stream and its optional Kinesis data stream. */
  readonly settings: CentralStreamSettings;
  readonly archiveKeyArn: string;
  /** Retention of the stream's error log group. */
  readonly errorLogRetentionDays: number;
}

/**
 * JQ over the decompressed CloudWatch Logs envelope: the partition keys of the
 * record. `owner` is the source account, set by CloudWatch Logs itself.
 */
export const CENTRAL_PARTITION_QUERY = `{root: (if .messageType == "DATA_MESSAGE" then "${DATA_ROOT.slice(0, -1)}" else "${CONTROL_ROOT.slice(0, -1)}" end), account: .owner}`;

/**
 * What the central stream accepts. Firehose buffers 1-128 MiB for 0-900 s,
 * but dynamic partitioning has no zero buffering (so at least 60 s) and, as
 * CentralStreamSettings documents, needs a buffer of at least 64 MiB. A
 * provisioned Kinesis stream has at least one shard.
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html
 * @see https://docs.aws.amazon.com/firehose/latest/dev/buffering.html
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html
 */
function centralDeliveryProblems(props: CentralDeliveryProps): string[] {
  const problems: string[] = [];
  const { settings } = props;
  // LogArchive's bounds and messages (the registry's too).
  const bound = (prop: keyof typeof LOG_ARCHIVE_RANGES, path: string[], value: number) =>
    problems.push(
      ...rangeProblem(prop, ["settings", ...path], value, LOG_ARCHIVE_RANGES[prop].range).map(formatSettingProblem),
    );
  bound("central-buffering-size", ["bufferingSizeMiB"], settings.bufferingSizeMiB);
  bound("central-buffering-interval", ["bufferingIntervalSeconds"], settings.bufferingIntervalSeconds);
  const { kinesisStream } = settings;
  if (kinesisStream.enabled && kinesisStream.mode === "PROVISIONED") {
    bound("central-kinesis-shards", ["kinesisStream", "shards"], kinesisStream.shards);
  }
  const retention = logRetentionProblem("errorLogRetentionDays", props.errorLogRetentionDays);
  if (retention) problems.push(retention);
  return problems;
}

export class CentralDelivery extends Construct {
  readonly stream: KinesisFirehoseDeliveryStream;
  readonly destination: CloudwatchLogDestination;
  readonly kinesis?: KinesisStream;

  constructor(scope: Construct, id: string, props: CentralDeliveryProps) {
    super(scope, id);
    const problems = centralDeliveryProblems(props);
    throwIfProblems("CentralDelivery", this, problems);
    const { context, names, settings } = props;
    const region = context.region;

    const errorLogGroup = new CloudwatchLogGroup(this, "ErrorLogGroup", {
      region,
      name: names.errorLogGroup,
      retentionInDays: props.errorLogRetentionDays,
    });
    const errorLogStream = new CloudwatchLogStream(this, "ErrorLogStream", {
      region,
      name: context.errorLogStream,
      logGroupName: errorLogGroup.name,
    });

    if (settings.kinesisStream.enabled) {
      const provisioned = settings.kinesisStream.mode === "PROVISIONED";
      this.kinesis = new KinesisStream(this, "KinesisStream", {
        region,
        name: names.kinesisStream,
        streamModeDetails: { streamMode: settings.kinesisStream.mode },
        shardCount: provisioned ? settings.kinesisStream.shards : undefined,
        retentionPeriod: 24,
        encryptionType: "KMS",
        kmsKeyId: "alias/aws/kinesis",
      });
    }

    const firehoseRole = new IamRole(this, "FirehoseRole", {
      name: names.firehoseRole,
      description: `Central Firehose of ${region} writing the organization's CloudWatch Logs into the archive`,
      assumeRolePolicy: toPolicyJson(policyDocument(centralFirehoseTrust(context))),
    });
    const firehosePolicy = new IamRolePolicy(this, "FirehosePolicy", {
      name: "deliver-to-archive",
      role: firehoseRole.name,
      policy: toPolicyJson(policyDocument(centralFirehosePolicy(context, props.archiveKeyArn))),
    });

    this.stream = new KinesisFirehoseDeliveryStream(this, "Stream", {
      region,
      name: names.deliveryStream,
      destination: "extended_s3",
      kinesisSourceConfiguration: this.kinesis
        ? { kinesisStreamArn: this.kinesis.arn, roleArn: firehoseRole.arn }
        : undefined,
      serverSideEncryption: this.kinesis ? undefined : { enabled: true, keyType: "AWS_OWNED_CMK" },
      extendedS3Configuration: {
        roleArn: firehoseRole.arn,
        bucketArn: context.archiveBucketArn,
        prefix: centralDataPrefix(region),
        errorOutputPrefix: centralErrorPrefix(region),
        bufferingSize: settings.bufferingSizeMiB,
        bufferingInterval: settings.bufferingIntervalSeconds,
        compressionFormat: "GZIP",
        fileExtension: ".json.gz",
        customTimeZone: "UTC",
        s3BackupMode: "Disabled",
        dynamicPartitioningConfiguration: { enabled: true, retryDuration: 300 },
        processingConfiguration: {
          enabled: true,
          processors: [
            { type: "Decompression", parameters: [{ parameterName: "CompressionFormat", parameterValue: "GZIP" }] },
            {
              type: "MetadataExtraction",
              parameters: [
                { parameterName: "JsonParsingEngine", parameterValue: "JQ-1.6" },
                { parameterName: "MetadataExtractionQuery", parameterValue: CENTRAL_PARTITION_QUERY },
              ],
            },
            { type: "AppendDelimiterToRecord" },
          ],
        },
        cloudwatchLoggingOptions: {
          enabled: true,
          logGroupName: errorLogGroup.name,
          logStreamName: errorLogStream.name,
        },
      },
      dependsOn: [firehosePolicy],
    });

    const destinationRole = new IamRole(this, "DestinationRole", {
      name: names.destinationRole,
      description: `CloudWatch Logs of ${region} putting the organization's subscribed events into the central stream`,
      assumeRolePolicy: toPolicyJson(policyDocument(destinationRoleTrust(context))),
    });
    const destinationRolePolicyResource = new IamRolePolicy(this, "DestinationPolicy", {
      name: "put-into-central-stream",
      role: destinationRole.name,
      policy: toPolicyJson(policyDocument(destinationRolePolicy(context))),
    });

    this.destination = new CloudwatchLogDestination(this, "Destination", {
      region,
      name: names.destination,
      roleArn: destinationRole.arn,
      targetArn: this.kinesis ? this.kinesis.arn : this.stream.arn,
      dependsOn: [destinationRolePolicyResource],
    });
    new CloudwatchLogDestinationPolicy(this, "DestinationAccess", {
      region,
      destinationName: this.destination.name,
      accessPolicy: toPolicyJson(policyDocument(destinationAccessPolicy(context))),
    });
  }
}
