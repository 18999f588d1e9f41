/**
 * Policies of a source account and Region: the Firehose delivery role, the
 * role CloudWatch Logs assumes to feed the stream, and the optional stream
 * key. Pure functions of registry-derived names.
 */
import { accountDataPrefix, accountErrorPrefix } from "../naming/key-layout";
import type { SourceNames } from "../naming/names";
import type { Statement } from "./document";
import { keyAdministrators, s3EncryptionContext } from "./archive-policies";
import { viaService } from "./statements";

export interface SourceContext {
  readonly accountId: string;
  readonly region: string;
  readonly archiveRegion: string;
  readonly archiveAccountId: string;
  readonly archiveBucketArn: string;
  readonly names: SourceNames;
}

/**
 * Firehose assumes the delivery role with the stream's account id as
 * ExternalId, so a stream of any other account cannot use it.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html
 */
export function deliveryRoleTrust(ctx: SourceContext): Statement[] {
  return [
    {
      Sid: "FirehoseOfThisAccountAssumes",
      Effect: "Allow",
      Principal: { Service: "firehose.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": ctx.accountId } },
    },
  ];
}

/** Object ARNs the delivery role may write: its own account's data and error prefixes, nothing else. */
export function deliveryObjectArns(ctx: Pick<SourceContext, "accountId" | "archiveBucketArn">): string[] {
  return [
    `${ctx.archiveBucketArn}/${accountDataPrefix(ctx.accountId)}*`,
    `${ctx.archiveBucketArn}/${accountErrorPrefix(ctx.accountId)}*`,
  ];
}

export function deliveryRolePolicy(ctx: SourceContext): Statement[] {
  return [
    {
      Sid: "WriteOwnPrefixes",
      Effect: "Allow",
      Action: ["s3:AbortMultipartUpload", "s3:PutObject", "s3:PutObjectAcl"],
      Resource: deliveryObjectArns(ctx),
    },
    {
      Sid: "LocateArchiveBucket",
      Effect: "Allow",
      Action: "s3:GetBucketLocation",
      Resource: ctx.archiveBucketArn,
    },
    {
      // The archive key's ARN is not known here (no cross-stack references):
      // any key of the archive account, but only as S3 uses it for the
      // archive bucket. The key policy narrows it to the archive key.
      Sid: "UseArchiveKeyThroughS3",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: `arn:aws:kms:${ctx.archiveRegion}:${ctx.archiveAccountId}:key/*`,
      Condition: {
        StringEquals: {
          "kms:ViaService": viaService("s3", ctx.archiveRegion),
          ...s3EncryptionContext(ctx.archiveBucketArn),
        },
      },
    },
    {
      Sid: "WriteOwnErrorLog",
      Effect: "Allow",
      Action: "logs:PutLogEvents",
      Resource: `${ctx.names.errorLogGroupArn}:log-stream:${ctx.names.errorLogStream}`,
    },
  ];
}

/**
 * CloudWatch Logs assumes this role to put subscribed events into the
 * stream; `aws:SourceArn` limits it to log groups of this account and Region.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html
 */
export function subscriptionRoleTrust(ctx: Pick<SourceContext, "accountId" | "region">): Statement[] {
  return [
    {
      Sid: "CloudWatchLogsOfThisAccountAndRegionAssumes",
      Effect: "Allow",
      Principal: { Service: "logs.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringLike: { "aws:SourceArn": `arn:aws:logs:${ctx.region}:${ctx.accountId}:*` } },
    },
  ];
}

export function subscriptionRolePolicy(ctx: SourceContext): Statement[] {
  return [
    {
      Sid: "PutRecordsIntoDeliveryStream",
      Effect: "Allow",
      Action: ["firehose:PutRecord", "firehose:PutRecordBatch"],
      Resource: ctx.names.deliveryStreamArn,
    },
  ];
}

/**
 * Key of the stream's server-side encryption and of its error log group
 * (CUSTOMER_MANAGED_CMK). Firehose uses it through grants it creates with the
 * deployer's permissions; CloudWatch Logs only for the error log group.
 */
export function streamKeyPolicy(ctx: SourceContext): Statement[] {
  return [
    { ...keyAdministrators(ctx.accountId), Action: "kms:*", Sid: "AccountGovernsKey" },
    {
      Sid: "CloudWatchLogsEncryptsErrorLog",
      Effect: "Allow",
      Principal: { Service: `logs.${ctx.region}.amazonaws.com` },
      Action: ["kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
      Resource: "*",
      Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": ctx.names.errorLogGroupArn } },
    },
  ];
}
