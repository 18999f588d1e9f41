/**
 * The Firehose delivery stream of one source account and Region, writing
 * cross-account into the archive bucket under this account's prefixes:
 * decompressed, one JSON document per line, with its own error log.
 *
 * Objects are encrypted by the archive bucket's default (the archive key,
 * with bucket keys): the stream names no key, so it needs no reference to the
 * archive stack.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogStream } from "@cdktf/provider-aws/lib/cloudwatch-log-stream";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import {
  KinesisFirehoseDeliveryStream,
  type KinesisFirehoseDeliveryStreamExtendedS3ConfigurationProcessingConfigurationProcessors as Processor,
} from "@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ProtectedKey } from "../constructs/protected-key";
import { firehoseDataPrefix, firehoseErrorPrefix } from "../naming/key-layout";
import { policyDocument, toPolicyJson } from "../policy/document";
import { deliveryRolePolicy, deliveryRoleTrust, type SourceContext } from "../policy/source-policies";
import type { CompressionFormat, StreamEncryption } from "../options/values";
import { formatSettingProblem, logRetentionProblem, rangeProblem, throwIfProblems } from "../constructs/validation";
import { FIREHOSE_BUFFERING_INTERVAL_SECONDS, FIREHOSE_BUFFERING_SIZE_MIB } from "./source-rules";

/** How the stream buffers, transforms, compresses and encrypts. */
export interface FirehoseStreamSettings {
  /** Buffer size before delivery, in MiB (1-128). @default 5 (in LogSource, LOG_SOURCE_DEFAULTS) */
  readonly bufferingSizeMiB: number;
  /** Buffer interval before delivery, in seconds (0-900). @default 300 (in LogSource) */
  readonly bufferingIntervalSeconds: number;
  /** Compression of the delivered objects. @default "GZIP" (in LogSource) */
  readonly compression: CompressionFormat;
  /** Deliver each event's message only, without the CloudWatch Logs envelope. @default false (in LogSource) */
  readonly messageExtraction: boolean;
  /** Key type of the stream's server-side encryption; CUSTOMER_MANAGED_CMK needs `key`. @default "AWS_OWNED_CMK" (in LogSource) */
  readonly streamEncryption: StreamEncryption;
  /** Retention of the stream's own error log group, in days (a CloudWatch Logs retention value). @default 365 (in LogSource) */
  readonly errorLogRetentionDays: number;
}

export interface DeliveryStreamProps {
  readonly context: SourceContext;
  /** Buffering, processing, compression and encryption of the stream. */
  readonly settings: FirehoseStreamSettings;
  /**
   * The pipeline key. The stream uses it for server-side encryption when the
   * registry asks for CUSTOMER_MANAGED_CMK; the error log group whenever it exists.
   * @default - AWS-owned stream encryption, CloudWatch Logs' own log encryption
   */
  readonly key?: ProtectedKey;
  /**
   * Resources the stream waits for. The subscription role's policy is one:
   * the stream takes about a minute to become active, which gives IAM time to
   * propagate before anything assumes that role.
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** The native processors, in order: no Lambda anywhere in the pipeline. */
export function deliveryProcessors(settings: Pick<FirehoseStreamSettings, "messageExtraction">): Processor[] {
  return [
    // CloudWatch Logs delivers gzip-compressed envelopes.
    { type: "Decompression", parameters: [{ parameterName: "CompressionFormat", parameterValue: "GZIP" }] },
    ...(settings.messageExtraction
      ? [
          {
            type: "CloudWatchLogProcessing",
            parameters: [{ parameterName: "DataMessageExtraction", parameterValue: "true" }],
          },
        ]
      : []),
    // Without it records are concatenated with no separator.
    { type: "AppendDelimiterToRecord" },
  ];
}

/** File extension of delivered objects, so SIEMs and Athena pick the right reader. */
export function objectExtension(settings: Pick<FirehoseStreamSettings, "messageExtraction" | "compression">): string {
  const base = settings.messageExtraction ? ".log" : ".json";
  return settings.compression === "GZIP" ? `${base}.gz` : base;
}

export class DeliveryStream extends Construct {
  readonly stream: KinesisFirehoseDeliveryStream;
  readonly role: IamRole;
  readonly rolePolicy: IamRolePolicy;
  readonly errorLogGroup: CloudwatchLogGroup;
  readonly key?: ProtectedKey;

  constructor(scope: Construct, id: string, props: DeliveryStreamProps) {
    super(scope, id);
    const { context, settings } = props;
    const { names } = context;

    const problems: string[] = [];
    if (settings.streamEncryption === "CUSTOMER_MANAGED_CMK" && !props.key) {
      problems.push("key: expected the pipeline key, as settings.streamEncryption is CUSTOMER_MANAGED_CMK, got none");
    }
    // The bounds and messages LogSource and the registry use too.
    problems.push(
      ...[
        ...rangeProblem(
          "firehose-buffering-size",
          ["settings", "bufferingSizeMiB"],
          settings.bufferingSizeMiB,
          FIREHOSE_BUFFERING_SIZE_MIB,
        ),
        ...rangeProblem(
          "firehose-buffering-interval",
          ["settings", "bufferingIntervalSeconds"],
          settings.bufferingIntervalSeconds,
          FIREHOSE_BUFFERING_INTERVAL_SECONDS,
        ),
      ].map(formatSettingProblem),
    );
    const retention = logRetentionProblem("settings.errorLogRetentionDays", settings.errorLogRetentionDays);
    if (retention) problems.push(retention);
    throwIfProblems("DeliveryStream", this, problems);
    this.key = props.key;

    this.errorLogGroup = new CloudwatchLogGroup(this, "ErrorLogGroup", {
      name: names.errorLogGroup,
      retentionInDays: settings.errorLogRetentionDays,
      kmsKeyId: this.key?.arn,
    });
    const errorLogStream = new CloudwatchLogStream(this, "ErrorLogStream", {
      name: names.errorLogStream,
      logGroupName: this.errorLogGroup.name,
    });

    this.role = new IamRole(this, "Role", {
      name: names.deliveryRole,
      description: "Firehose delivery of CloudWatch Logs into the organization's log archive",
      assumeRolePolicy: toPolicyJson(policyDocument(deliveryRoleTrust(context))),
    });
    this.rolePolicy = new IamRolePolicy(this, "RolePolicy", {
      name: "deliver-to-archive",
      role: this.role.name,
      policy: toPolicyJson(policyDocument(deliveryRolePolicy(context))),
    });

    this.stream = new KinesisFirehoseDeliveryStream(this, "Stream", {
      name: names.deliveryStream,
      destination: "extended_s3",
      serverSideEncryption: {
        enabled: true,
        keyType: settings.streamEncryption,
        keyArn: settings.streamEncryption === "CUSTOMER_MANAGED_CMK" ? this.key?.arn : undefined,
      },
      extendedS3Configuration: {
        roleArn: this.role.arn,
        bucketArn: context.archiveBucketArn,
        prefix: firehoseDataPrefix(context.accountId, context.region),
        errorOutputPrefix: firehoseErrorPrefix(context.accountId, context.region),
        bufferingSize: settings.bufferingSizeMiB,
        bufferingInterval: settings.bufferingIntervalSeconds,
        compressionFormat: settings.compression,
        fileExtension: objectExtension(settings),
        customTimeZone: "UTC",
        s3BackupMode: "Disabled",
        processingConfiguration: { enabled: true, processors: deliveryProcessors(settings) },
        cloudwatchLoggingOptions: {
          enabled: true,
          logGroupName: this.errorLogGroup.name,
          logStreamName: errorLogStream.name,
        },
      },
      dependsOn: [this.rolePolicy, ...(props.dependsOn ?? [])],
    });
  }
}
