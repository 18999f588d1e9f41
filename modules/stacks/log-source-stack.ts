/**
 * A `log-source-<accountId>-<region>` stack: the delivery pipeline of one
 * source account and Region into the archive. Every archive name and ARN it
 * uses comes from the naming module, so it plans without the archive stack's
 * state.
 */
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { archiveNames, sourceNames } from "../naming/names";
import type { SourceContext } from "../policy/source-policies";
import type { Registry, SourceAccount } from "../registry/parse";
import { sourceSettings } from "../registry/settings";
import { DeliveryStream } from "../source/delivery-stream";
import { SubscriptionRole } from "../source/subscription-role";
import { Subscriptions } from "../source/subscriptions";
import { AccountStack } from "./account-stack";

export interface LogSourceStackProps {
  readonly registry: Registry;
  readonly account: SourceAccount;
  readonly region: string;
}

export class LogSourceStack extends AccountStack {
  readonly delivery: DeliveryStream;
  readonly subscriptionRole: SubscriptionRole;
  readonly subscriptions: Subscriptions;

  constructor(scope: Construct, id: string, props: LogSourceStackProps) {
    const { registry, account, region } = props;
    super(scope, id, { registry, accountId: account.id, region });
    const prefix = registry.naming.prefix;
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

    this.subscriptionRole = new SubscriptionRole(this, "SubscriptionRole", { context });
    this.delivery = new DeliveryStream(this, "Delivery", {
      context,
      settings: settings.firehose,
      dependsOn: [this.subscriptionRole.policy],
    });
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
    });

    new TerraformOutput(this, "delivery_stream_arn", { value: this.delivery.stream.arn });
    new TerraformOutput(this, "delivery_role_arn", { value: this.delivery.role.arn });
    new TerraformOutput(this, "subscription_role_arn", { value: this.subscriptionRole.role.arn });
  }
}
