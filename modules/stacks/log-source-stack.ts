/**
 * A `log-source-<accountId>-<region>` stack: how one source account and
 * Region feeds the archive. Per-account topology: its own Firehose writing
 * cross-account into the archive, with alarms. Central topology: only the
 * subscriptions and their role, pointing at the organization's CloudWatch
 * Logs destination in the log-archive account. Either way: the heartbeat,
 * GuardDuty findings and VPC Flow Logs when the registry asks. Every archive
 * name and ARN comes from the naming module, so it plans without the archive
 * stack's state.
 */
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { IamPropagationWait } from "../constructs/iam-propagation-wait";
import { ProtectedKey } from "../constructs/protected-key";
import { AlarmTopic } from "../monitoring/alarm-topic";
import { DeliveryAlarms } from "../monitoring/delivery-alarms";
import { DIRECT_SOURCE_ROOTS } from "../naming/key-layout";
import { archiveNames, centralNames, sourceNames } from "../naming/names";
import { pipelineKeyPolicy, type EventLogTarget, type SourceContext } from "../policy/source-policies";
import type { Registry, SourceAccount } from "../registry/parse";
import { pipelineLogGroupsOf, sourceSettings } from "../registry/settings";
import { DeliveryStream } from "../source/delivery-stream";
import { EventLog, EventLogPolicy, rateExpression } from "../source/event-log";
import { SubscriptionRole } from "../source/subscription-role";
import { Subscriptions } from "../source/subscriptions";
import { AccountStack } from "./account-stack";

export interface LogSourceStackProps {
  readonly registry: Registry;
  readonly account: SourceAccount;
  readonly region: string;
}

/** GuardDuty findings kept in the source account before the archive has them. */
const GUARDDUTY_RETENTION_DAYS = 30;

export class LogSourceStack extends AccountStack {
  readonly key?: ProtectedKey;
  readonly delivery?: DeliveryStream;
  readonly subscriptionRole: SubscriptionRole;
  readonly subscriptions: Subscriptions;
  readonly heartbeat?: EventLog;
  readonly guardDuty?: EventLog;
  readonly alarmTopic?: AlarmTopic;

  constructor(scope: Construct, id: string, props: LogSourceStackProps) {
    const { registry, account, region } = props;
    super(scope, id, { registry, accountId: account.id, region });
    const prefix = registry.naming.prefix;
    const { alarms, heartbeat } = registry.monitoring;
    const archive = archiveNames({
      prefix,
      archiveAccountId: registry.logArchive.accountId,
      archiveRegion: registry.logArchive.region,
    });
    const names = sourceNames(prefix, account.id, region);
    const settings = sourceSettings(registry, account);
    const central = settings.delivery === "central";
    const guardDutyOn = registry.sources.guardDuty.accounts.includes(account.id);
    const context: SourceContext = {
      accountId: account.id,
      region,
      archiveRegion: registry.logArchive.region,
      archiveAccountId: registry.logArchive.accountId,
      archiveBucketArn: archive.archiveBucketArn,
      names,
    };
    // Delivery alarms watch this account's stream: in the central topology the
    // stream and its alarms are in the log-archive account.
    const alarmsHere = alarms.enabled && !central;

    const eventLogGroups = [
      ...(heartbeat.enabled ? [names.heartbeatLogGroupArn] : []),
      ...(guardDutyOn ? [names.guardDutyLogGroupArn] : []),
    ];
    if ((!central && settings.firehose.streamEncryption === "CUSTOMER_MANAGED_CMK") || alarmsHere) {
      // One key for everything in the account and Region that needs a customer key.
      this.key = new ProtectedKey(this, "PipelineKey", {
        description: "Encrypts the CloudWatch Logs archive pipeline of this account and Region",
        alias: names.pipelineKeyAlias,
        statements: pipelineKeyPolicy(context, {
          logGroupArns: [...(central ? [] : [names.errorLogGroupArn]), ...eventLogGroups],
          alarms: alarmsHere,
        }),
      });
    }

    this.subscriptionRole = new SubscriptionRole(this, "SubscriptionRole", { context, central });
    // Subscriptions start only once IAM has propagated the role: the first
    // apply must not need a retry.
    const iamPropagated = new IamPropagationWait(this, "SubscriptionRolePropagation", {
      seconds: registry.deployment.iamPropagationSeconds,
      after: [this.subscriptionRole.role, this.subscriptionRole.policy],
      triggers: { role: this.subscriptionRole.role.arn, policy: this.subscriptionRole.policy.policy },
    });
    if (!central) {
      this.delivery = new DeliveryStream(this, "Delivery", {
        context,
        settings: settings.firehose,
        key: this.key,
        dependsOn: [this.subscriptionRole.policy],
      });
    }

    const targets: EventLogTarget[] = [
      ...(heartbeat.enabled
        ? [
            {
              sid: "HeartbeatRuleWritesHeartbeats",
              logGroupArn: names.heartbeatLogGroupArn,
              ruleArn: names.heartbeatRuleArn,
            },
          ]
        : []),
      ...(guardDutyOn
        ? [
            {
              sid: "GuardDutyRuleWritesFindings",
              logGroupArn: names.guardDutyLogGroupArn,
              ruleArn: names.guardDutyRuleArn,
            },
          ]
        : []),
    ];
    if (targets.length > 0) {
      const policy = new EventLogPolicy(this, "EventLogPolicy", {
        policyName: names.eventLogPolicy,
        accountId: account.id,
        targets,
      });
      if (heartbeat.enabled) {
        this.heartbeat = new EventLog(this, "Heartbeat", {
          logGroupName: names.heartbeatLogGroup,
          logGroupArn: names.heartbeatLogGroupArn,
          retentionDays: heartbeat.retentionDays,
          kmsKeyArn: this.key?.arn,
          ruleName: names.heartbeatRule,
          description: "Heartbeat of the CloudWatch Logs archive pipeline",
          scheduleExpression: rateExpression(heartbeat.intervalMinutes),
          policy: policy.resource,
        });
      }
      if (guardDutyOn) {
        this.guardDuty = new EventLog(this, "GuardDuty", {
          logGroupName: names.guardDutyLogGroup,
          logGroupArn: names.guardDutyLogGroupArn,
          retentionDays: GUARDDUTY_RETENTION_DAYS,
          kmsKeyArn: this.key?.arn,
          ruleName: names.guardDutyRule,
          description: "GuardDuty findings into the CloudWatch Logs archive",
          eventPattern: { source: ["aws.guardduty"], "detail-type": ["GuardDuty Finding"] },
          policy: policy.resource,
        });
      }
    }

    // The pipeline's own event log groups are subscribed in every mode.
    const own = [
      ...(this.heartbeat ? [{ name: names.heartbeatLogGroup, createdBy: this.heartbeat.logGroup }] : []),
      ...(this.guardDuty ? [{ name: names.guardDutyLogGroup, createdBy: this.guardDuty.logGroup }] : []),
    ];
    const destination = central ? centralNames(prefix, registry.logArchive.accountId, region) : undefined;
    this.subscriptions = new Subscriptions(this, "Subscriptions", {
      region,
      pipelineLogGroups: pipelineLogGroupsOf(registry, account.id, region),
      settings: settings.subscription,
      filterName: names.subscriptionFilter,
      accountPolicyName: names.accountPolicy,
      deliveryStreamArn: destination ? destination.destinationArn : names.deliveryStreamArn,
      roleArn: names.subscriptionRoleArn,
      dependsOn: [...(this.delivery ? [this.delivery.stream] : []), ...iamPropagated.dependables],
      ownLogGroups: own,
    });

    for (const flow of (account.vpcFlowLogs ?? []).filter((f) => f.region === region)) {
      new FlowLog(this, `FlowLog-${flow.vpcId}`, {
        vpcId: flow.vpcId,
        trafficType: "ALL",
        logDestinationType: "s3",
        logDestination: `${archive.archiveBucketArn}/${DIRECT_SOURCE_ROOTS["vpc-flow-logs"]}`,
        maxAggregationInterval: 600,
        destinationOptions: { fileFormat: "plain-text", perHourPartition: true, hiveCompatiblePartitions: false },
      });
    }

    if (alarmsHere && this.key && this.delivery) {
      this.alarmTopic = new AlarmTopic(this, "AlarmTopic", {
        topicName: names.alarmTopic,
        topicArn: names.alarmTopicArn,
        scope: { accountId: account.id, region, alarmNamePrefix: names.alarmNamePrefix },
        kmsKeyArn: this.key.arn,
        subscribers: alarms.subscribers,
      });
      new DeliveryAlarms(this, "DeliveryAlarms", {
        streamName: names.deliveryStream,
        alarmNamePrefix: names.alarmNamePrefix,
        topicArn: this.alarmTopic.topic.arn,
        firehose: settings.firehose,
        alarms,
      });
    }

    if (this.delivery) {
      new TerraformOutput(this, "delivery_stream_arn", { value: this.delivery.stream.arn });
      new TerraformOutput(this, "delivery_role_arn", { value: this.delivery.role.arn });
    }
    new TerraformOutput(this, "subscription_role_arn", { value: this.subscriptionRole.role.arn });
    if (this.alarmTopic) new TerraformOutput(this, "alarm_topic_arn", { value: this.alarmTopic.topic.arn });
  }
}
