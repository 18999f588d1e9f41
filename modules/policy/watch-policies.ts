/**
 * Policies of the delivery watch in the log-archive account: the function's
 * role (query its event log group, read its source list, publish to the
 * archive's alarm topic through the monitoring key, write its own log), and
 * the monitoring key's grants for the watch's log groups and for publishing.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-access-control-overview-cwl.html
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
 */
import { arn } from "../naming/arn";
import type { DeliveryWatchNames } from "../naming/names";
import { accountRolesUseKey } from "./archive-policies";
import type { Statement } from "./document";
import { logGroupsUseKey } from "./monitoring-policies";
import { lambdaExecutionTrust, viaService } from "./statements";

export interface WatchContext {
  readonly accountId: string;
  readonly region: string;
  readonly names: DeliveryWatchNames;
  readonly topicArn: string;
}

/** Lambda runs the watch (see lambdaExecutionTrust). */
export function watchRoleTrust(): Statement[] {
  return [lambdaExecutionTrust("LambdaRunsTheWatch")];
}

export function watchRolePolicy(ctx: WatchContext, monitoringKeyArn: string): Statement[] {
  const { names } = ctx;
  return [
    {
      Sid: "QueryTheObjectEvents",
      Effect: "Allow",
      Action: "logs:StartQuery",
      Resource: [names.eventLogGroupArn, `${names.eventLogGroupArn}:*`],
    },
    {
      // GetQueryResults takes only a query id: the Service Authorization Reference lists no resource type for it.
      Sid: "ReadQueryResults",
      Effect: "Allow",
      Action: ["logs:GetQueryResults", "logs:StopQuery"],
      Resource: "*",
    },
    {
      Sid: "ReadExpectedSources",
      Effect: "Allow",
      Action: "ssm:GetParametersByPath",
      Resource: [sourcesPathArn(ctx), `${sourcesPathArn(ctx)}/*`],
    },
    {
      Sid: "PublishToAlarmTopic",
      Effect: "Allow",
      Action: "sns:Publish",
      Resource: ctx.topicArn,
    },
    {
      Sid: "EncryptForAlarmTopic",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: monitoringKeyArn,
      Condition: { StringEquals: { "kms:ViaService": viaService("sns", ctx.region) } },
    },
    {
      Sid: "WriteOwnLog",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${names.functionLogGroupArn}:*`,
    },
    {
      // X-Ray's write actions support no resource-level permissions.
      Sid: "WriteTraces",
      Effect: "Allow",
      Action: ["xray:PutTelemetryRecords", "xray:PutTraceSegments"],
      Resource: "*",
    },
  ];
}

/** The parameter ARN of the sources path (the path starts with `/`, so `parameter` and the path join without one). */
export function sourcesPathArn(ctx: Pick<WatchContext, "accountId" | "region" | "names">): string {
  return arn({
    service: "ssm",
    region: ctx.region,
    account: ctx.accountId,
    resource: `parameter${ctx.names.sourcesPath}`,
  });
}

/** The monitoring key's statements for the watch: its two log groups, and its role publishing to the topic. */
export function watchUsesMonitoringKey(ctx: Omit<WatchContext, "topicArn">): Statement[] {
  return [
    {
      ...logGroupsUseKey(ctx.region, [ctx.names.eventLogGroupArn, ctx.names.functionLogGroupArn]),
      Sid: "CloudWatchLogsEncryptsWatchLogGroups",
    },
    accountRolesUseKey(
      "WatchPublishesToAlarmTopic",
      ctx.accountId,
      [ctx.names.roleArn],
      ["kms:Decrypt", "kms:GenerateDataKey*"],
      {
        StringEquals: { "kms:ViaService": viaService("sns", ctx.region) },
      },
    ),
  ];
}
