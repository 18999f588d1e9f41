/**
 * A `log-source-<accountId>-<region>` stack: the delivery pipeline of one
 * source account and Region into the archive, with its heartbeat and alarms.
 * Every archive name and ARN it uses comes from the naming module, so it
 * plans without the archive stack's state.
 */
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { ProtectedKey } from "../constructs/protected-key";
import { AlarmTopic } from "../monitoring/alarm-topic";
import { DeliveryAlarms } from "../monitoring/delivery-alarms";
import { archiveNames, sourceNames } from "../naming/names";
import { pipelineKeyPolicy, type SourceContext } from "../policy/source-policies";
import type { Registry, SourceAccount } from "../registry/parse";
import { sourceSettings } from "../registry/settings";
import { DeliveryStream } from "../source/delivery-stream";
import { Heartbeat } from "../source/heartbeat";
import { SubscriptionRole } from "../source/subscription-role";
import { Subscriptions } from "../source/subscriptions";
import { AccountStack } from "./account-stack";

export interface LogSourceStackProps {
  readonly registry: Registry;
  readonly account: SourceAccount;
  readonly region: string;
}

export class LogSourceStack extends AccountStack {
  readonly key?: ProtectedKey;
  readonly delivery: DeliveryStream;
  readonly subscriptionRole: SubscriptionRole;
  readonly subscriptions: Subscriptions;
  readonly heartbeat?: Heartbeat;
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
    const context: SourceContext = {
      accountId: account.id,
      region,
      archiveRegion: registry.logArchive.region,
      archiveAccountId: registry.logArchive.accountId,
      archiveBucketArn: archive.archiveBucketArn,
      names,
    };

    // One key for everything in the account and Region that needs a customer key.
    if (settings.firehose.streamEncryption === "CUSTOMER_MANAGED_CMK" || alarms.enabled) {
      this.key = new ProtectedKey(this, "PipelineKey", {
        description: "Encrypts the CloudWatch Logs archive pipeline of this account and Region",
        alias: names.pipelineKeyAlias,
        statements: pipelineKeyPolicy(context, {
          logGroupArns: [names.errorLogGroupArn, ...(heartbeat.enabled ? [names.heartbeatLogGroupArn] : [])],
          alarms: alarms.enabled,
        }),
      });
    }

    this.subscriptionRole = new SubscriptionRole(this, "SubscriptionRole", { context });
    this.delivery = new DeliveryStream(this, "Delivery", {
      context,
      settings: settings.firehose,
      key: this.key,
      dependsOn: [this.subscriptionRole.policy],
    });
    if (heartbeat.enabled) {
      this.heartbeat = new Heartbeat(this, "Heartbeat", { context, settings: heartbeat, kmsKeyArn: this.key?.arn });
    }
    this.subscriptions = new Subscriptions(this, "Subscriptions", {
      prefix,
      accountId: account.id,
      region,
      settings: settings.subscription,
      filterName: names.subscriptionFilter,
      accountPolicyName: names.accountPolicy,
      deliveryStreamArn: names.deliveryStreamArn,
      roleArn: names.subscriptionRoleArn,
      dependsOn: [this.delivery.stream, this.subscriptionRole.policy],
      ownLogGroups: this.heartbeat ? [{ name: names.heartbeatLogGroup, createdBy: this.heartbeat.logGroup }] : [],
    });

    if (alarms.enabled && this.key) {
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

    new TerraformOutput(this, "delivery_stream_arn", { value: this.delivery.stream.arn });
    new TerraformOutput(this, "delivery_role_arn", { value: this.delivery.role.arn });
    new TerraformOutput(this, "subscription_role_arn", { value: this.subscriptionRole.role.arn });
    if (this.alarmTopic) new TerraformOutput(this, "alarm_topic_arn", { value: this.alarmTopic.topic.arn });
  }
}
