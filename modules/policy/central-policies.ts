/**
 * Policies of the central-destination topology, in the log-archive account:
 * the destination's access policy (the organization may subscribe to it), the
 * role CloudWatch Logs assumes to put into the central stream, and the role
 * of the central Firehose.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Cross-Account-Log_Subscription-Update-policy-Account.html
 */
import { regionalServicePrincipal } from "../naming/partition";
import { arn } from "../naming/arn";
import { CONTROL_ROOT, DATA_ROOT, ERROR_ROOT } from "../naming/key-layout";
import type { Statement } from "./document";
import { s3EncryptionContext } from "./archive-policies";
import { firehoseOfAccountAssumes, viaService } from "./statements";

export interface CentralContext {
  readonly organizationId: string;
  readonly archiveAccountId: string;
  readonly archiveRegion: string;
  readonly archiveBucketArn: string;
  /** Region of the destination and its stream (the source Region). */
  readonly region: string;
  readonly destinationArn: string;
  readonly deliveryStreamArn: string;
  /** The Kinesis data stream in front of the Firehose, when there is one. */
  readonly kinesisStreamArn?: string;
  readonly errorLogGroupArn: string;
  readonly errorLogStream: string;
}

/**
 * The destination's access policy: one statement for the whole organization,
 * so its size (at most 5,120 bytes) does not depend on the number of accounts.
 */
export function destinationAccessPolicy(ctx: CentralContext): Statement[] {
  return [
    {
      Sid: "OrganizationSubscribes",
      Effect: "Allow",
      Principal: "*",
      Action: ["logs:PutAccountPolicy", "logs:PutSubscriptionFilter"],
      Resource: ctx.destinationArn,
      Condition: { StringEquals: { "aws:PrincipalOrgID": ctx.organizationId } },
    },
  ];
}

/**
 * CloudWatch Logs assumes this role to put subscribed events into the
 * central stream, on behalf of any organization account of the Region.
 */
export function destinationRoleTrust(ctx: CentralContext): Statement[] {
  return [
    {
      Sid: "CloudWatchLogsOfTheRegionAssumes",
      Effect: "Allow",
      Principal: { Service: regionalServicePrincipal("logs", ctx.region) },
      Action: "sts:AssumeRole",
      Condition: {
        ArnLike: { "aws:SourceArn": arn({ service: "logs", region: ctx.region, account: "*", resource: `*` }) },
        StringEqualsIfExists: { "aws:SourceOrgID": ctx.organizationId },
      },
    },
  ];
}

export function destinationRolePolicy(ctx: CentralContext): Statement[] {
  return [
    ctx.kinesisStreamArn
      ? {
          Sid: "PutRecordsIntoCentralStream",
          Effect: "Allow",
          Action: ["kinesis:PutRecord", "kinesis:PutRecords"],
          Resource: ctx.kinesisStreamArn,
        }
      : {
          Sid: "PutRecordsIntoCentralStream",
          Effect: "Allow",
          Action: ["firehose:PutRecord", "firehose:PutRecordBatch"],
          Resource: ctx.deliveryStreamArn,
        },
  ];
}

export function centralFirehoseTrust(ctx: CentralContext): Statement[] {
  return [firehoseOfAccountAssumes(ctx.archiveAccountId)];
}

/** The central Firehose writes data, control messages and errors; the account comes from the record. */
export function centralFirehosePolicy(ctx: CentralContext, archiveKeyArn: string): Statement[] {
  const bucket = ctx.archiveBucketArn;
  return [
    {
      Sid: "WriteArchive",
      Effect: "Allow",
      Action: ["s3:AbortMultipartUpload", "s3:PutObject", "s3:PutObjectAcl"],
      Resource: [DATA_ROOT, CONTROL_ROOT, ERROR_ROOT].map((root) => `${bucket}/${root}*`),
    },
    { Sid: "LocateArchiveBucket", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: bucket },
    {
      Sid: "UseArchiveKeyThroughS3",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: archiveKeyArn,
      Condition: {
        StringEquals: { "kms:ViaService": viaService("s3", ctx.archiveRegion), ...s3EncryptionContext(bucket) },
      },
    },
    {
      Sid: "WriteOwnErrorLog",
      Effect: "Allow",
      Action: "logs:PutLogEvents",
      Resource: `${ctx.errorLogGroupArn}:log-stream:${ctx.errorLogStream}`,
    },
    ...(ctx.kinesisStreamArn
      ? [
          {
            Sid: "ReadCentralStream",
            Effect: "Allow" as const,
            Action: ["kinesis:DescribeStream", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"],
            Resource: ctx.kinesisStreamArn,
          },
        ]
      : []),
  ];
}
