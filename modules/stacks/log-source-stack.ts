/**
 * A `log-source-<accountId>-<region>` stack: the registry translated into the
 * props of one `LogSource` construct, plus the stack's outputs. The
 * construct's id is `Default`, which cdktf leaves out of resource addresses,
 * so every resource keeps the address it had before the construct existed
 * (tested against __tests__/fixtures/addresses/sample.json).
 */
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { Registry, SourceAccount } from "../registry/parse";
import { iamWatchHostRegion, tamperBusNames } from "../naming/tamper-names";
import {
  deploymentRoleArn,
  perAccountAlarmsEnabled,
  pipelineLogGroupsOf,
  sourceSettings,
  tamperEnabled,
  tamperExemptRoleArns,
} from "../registry/settings";
import { LogSource, type CompleteLogSourceProps } from "../source/log-source";
import { AccountStack } from "./account-stack";

export interface LogSourceStackProps {
  readonly registry: Registry;
  readonly account: SourceAccount;
  readonly region: string;
}

/** The props of one account and Region's `LogSource`, from the registry. */
export function logSourceProps(registry: Registry, account: SourceAccount, region: string): CompleteLogSourceProps {
  const settings = sourceSettings(registry, account);
  const { alarms, heartbeat } = registry.monitoring;
  return {
    accountId: account.id,
    region,
    archive: {
      accountId: registry.logArchive.accountId,
      region: registry.logArchive.region,
      keyAccountId: registry.keys?.accountId,
      namePrefix: registry.naming.prefix,
    },
    namePrefix: registry.naming.prefix,
    delivery: settings.delivery,
    firehose: settings.firehose,
    subscription: settings.subscription,
    pipelineLogGroups: pipelineLogGroupsOf(registry, account.id, region),
    alarms: perAccountAlarmsEnabled(registry, account) ? alarms : undefined,
    heartbeat: heartbeat.enabled ? heartbeat : false,
    guardDuty: registry.sources.guardDuty.accounts.includes(account.id),
    vpcFlowLogs: (account.vpcFlowLogs ?? []).filter((f) => f.region === region).map((f) => f.vpcId),
    iamPropagationSeconds: registry.deployment.iamPropagationSeconds,
    tamper: tamperEnabled(registry)
      ? {
          busArn: tamperBusNames(registry.naming.prefix, registry.logArchive.accountId, registry.logArchive.region)
            .busArn,
          exemptRoleArns: tamperExemptRoleArns(registry, deploymentRoleArn(registry, account.id)),
          // In the log-archive account, the archive's stack watches every role of the prefix, these among them.
          watchRoles: iamWatchHostRegion(account.regions) === region && account.id !== registry.logArchive.accountId,
        }
      : false,
  };
}

export class LogSourceStack extends AccountStack {
  readonly source: LogSource;

  constructor(scope: Construct, id: string, props: LogSourceStackProps) {
    const { registry, account, region } = props;
    super(scope, id, { registry, accountId: account.id, region });
    this.source = new LogSource(this, "Default", logSourceProps(registry, account, region));
    const s = this.source;
    if (s.delivery) {
      new TerraformOutput(this, "delivery_stream_arn", { value: s.delivery.stream.arn });
      new TerraformOutput(this, "delivery_role_arn", { value: s.delivery.role.arn });
    }
    new TerraformOutput(this, "subscription_role_arn", { value: s.subscriptionRole.role.arn });
    if (s.alarmTopic) new TerraformOutput(this, "alarm_topic_arn", { value: s.alarmTopic.topic.arn });
  }
}
