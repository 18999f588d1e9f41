/**
 * Policies of a source account and Region: the Firehose delivery role, the
 * role CloudWatch Logs assumes to feed the stream, and the optional stream
 * key. Pure functions of registry-derived names.
 */
import { partitionOf, servicePrincipal } from "../naming/partition";
import { arn } from "../naming/arn";
import { accountRootArn, type SourceNames } from "../naming/names";
import type { Statement } from "./document";
import { accountObjectArns, keyAdministrators, s3EncryptionContext } from "./archive-policies";
import { alarmsUseKey, logGroupsUseKey } from "./monitoring-policies";
import { viaService } from "./statements";

export interface SourceContext {
  readonly accountId: string;
  readonly region: string;
  readonly archiveRegion: string;
  readonly archiveAccountId: string;
  /** The account that holds the archive key: a key-management account, or the log-archive account. */
  readonly archiveKeyAccountId: string;
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
      Principal: { Service: servicePrincipal("firehose") },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": ctx.accountId } },
    },
  ];
}

export function deliveryRolePolicy(ctx: SourceContext): Statement[] {
  return [
    {
      Sid: "WriteOwnPrefixes",
      Effect: "Allow",
      Action: ["s3:AbortMultipartUpload", "s3:PutObject", "s3:PutObjectAcl"],
      Resource: accountObjectArns(ctx.archiveBucketArn, ctx.accountId),
    },
    {
      Sid: "LocateArchiveBucket",
      Effect: "Allow",
      Action: "s3:GetBucketLocation",
      Resource: ctx.archiveBucketArn,
    },
    {
      // The archive key's ARN is not known here (no cross-stack references):
      // any key of the account that holds it, but only as S3 uses it for the
      // archive bucket. The key policy narrows it to the archive key.
      Sid: "UseArchiveKeyThroughS3",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: arn({ service: "kms", region: ctx.archiveRegion, account: ctx.archiveKeyAccountId, resource: `key/*` }),
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
      Principal: { Service: servicePrincipal("logs") },
      Action: "sts:AssumeRole",
      Condition: {
        StringLike: {
          "aws:SourceArn": arn({ service: "logs", region: ctx.region, account: ctx.accountId, resource: `*` }),
        },
      },
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
 * Central topology: the role a source's subscriptions name when they deliver
 * to the organization's CloudWatch Logs destination. CloudWatch Logs assumes
 * it to validate that the sender may subscribe its log groups.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CreateSubscriptionFilter-IAMrole.html
 */
export function centralSubscriptionRolePolicy(ctx: Pick<SourceContext, "accountId" | "region">): Statement[] {
  return [
    {
      Sid: "ForwardOwnLogGroups",
      Effect: "Allow",
      Action: "logs:PutLogEvents",
      Resource: arn({ service: "logs", region: ctx.region, account: ctx.accountId, resource: `log-group:*` }),
    },
  ];
}

/**
 * The pipeline key of a source account and Region: the stream's server-side
 * encryption (CUSTOMER_MANAGED_CMK), the pipeline's log groups, and the alarm
 * topic. The account administers it and never uses it directly: each use is
 * a service's.
 */
export function pipelineKeyPolicy(
  ctx: SourceContext,
  uses: { readonly logGroupArns: readonly string[]; readonly alarms: boolean; readonly stream: boolean },
): Statement[] {
  return [
    keyAdministrators(ctx.accountId, partitionOf(ctx.region)),
    ...(uses.stream ? [firehoseGrantsForStream(ctx)] : []),
    ...(uses.logGroupArns.length > 0 ? [logGroupsUseKey(ctx.region, uses.logGroupArns)] : []),
    ...(uses.alarms
      ? [alarmsUseKey({ accountId: ctx.accountId, region: ctx.region, alarmNamePrefix: ctx.names.alarmNamePrefix })]
      : []),
  ];
}

/**
 * Firehose encrypts a stream with a customer managed key through a grant it
 * creates when the stream is created or its encryption started, with the
 * caller's permissions: the account's principals may create grants on the key
 * only when Firehose of this Region asks on their behalf, for an AWS resource.
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeliveryStreamEncryptionConfigurationInput.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/grant-authorization.html
 */
export function firehoseGrantsForStream(ctx: Pick<SourceContext, "accountId" | "region">): Statement {
  return {
    Sid: "FirehoseEncryptsStreamThroughGrant",
    Effect: "Allow",
    Principal: { AWS: accountRootArn(ctx.accountId, partitionOf(ctx.region)) },
    Action: "kms:CreateGrant",
    Resource: "*",
    Condition: {
      StringEquals: { "kms:ViaService": viaService("firehose", ctx.region) },
      Bool: { "kms:GrantIsForAWSResource": "true" },
    },
  };
}

/** An EventBridge rule of the pipeline that writes into a log group of its own. */
export interface EventLogTarget {
  /** Statement id, e.g. HeartbeatRuleWritesHeartbeats. */
  readonly sid: string;
  readonly logGroupArn: string;
  readonly ruleArn: string;
}

/**
 * Lets EventBridge write into the pipeline's event log groups (heartbeat,
 * GuardDuty findings): one account-level resource policy, one statement per
 * rule and log group. AWS documents this policy without conditions; the
 * `IfExists` conditions bind each statement to its own rule wherever the
 * service sends the keys, without risking a silent loss where it does not.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-cloudwatchlogs-permissions
 */
export function eventLogPolicy(ctx: Pick<SourceContext, "accountId">, targets: readonly EventLogTarget[]): Statement[] {
  return targets.map((target) => ({
    Sid: target.sid,
    Effect: "Allow",
    Principal: { Service: [servicePrincipal("events"), servicePrincipal("delivery.logs")] },
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: `${target.logGroupArn}:*`,
    Condition: {
      StringEqualsIfExists: { "aws:SourceAccount": ctx.accountId },
      ArnEqualsIfExists: { "aws:SourceArn": target.ruleArn },
    },
  }));
}
