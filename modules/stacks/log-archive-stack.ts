/**
 * The `log-archive` stack: the registry translated into the props of one
 * `LogArchive` construct, plus the stack's outputs. The construct's id is
 * `Default`, which cdktf leaves out of resource addresses, so every resource
 * keeps the address it had before the construct existed (tested against
 * __tests__/fixtures/addresses/sample.json).
 */
import type { SourceObjectFormat } from "../monitoring/delivery-watch";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { LogArchive, type CompleteLogArchiveProps } from "../archive/log-archive";
import { ExternalKeysLookup } from "../constructs/external-keys-lookup";
import { trailNames } from "../naming/names";
import type { Registry } from "../registry/parse";
import {
  centralRegions,
  deliveryWatchEnabled,
  deploymentRoleArn,
  searchDeliveryEnabled,
  sourceSettings,
  tamperEnabled,
  tamperExemptRoleArns,
  watchedAccounts,
} from "../registry/settings";
import { untypedSections } from "../sources/direct-sources";
import { AccountStack } from "./account-stack";

export interface LogArchiveStackProps {
  readonly registry: Registry;
}

/** The props of the log-archive account's `LogArchive`, from the registry. */
export function logArchiveProps(registry: Registry): CompleteLogArchiveProps {
  const { logArchive, archive, siem, monitoring, sources, central } = registry;
  const { cloudTrail, config, vpcFlowLogs, agents, notifySiem } = sources;
  const regions = centralRegions(registry);
  return {
    accountId: logArchive.accountId,
    region: logArchive.region,
    organizationId: registry.organization.id,
    namePrefix: registry.naming.prefix,
    archive,
    siem: {
      ...siem,
      sentinel: siem.sentinel
        ? { workspaceId: siem.sentinel.workspaceId, createProvider: siem.sentinel.createOidcProvider }
        : undefined,
      queuePerPrefix: siem.queues === "perPrefix",
    },
    alarms: monitoring.alarms.enabled
      ? {
          ...monitoring.alarms,
          // The central streams' silence alarms need the sources' heartbeat.
          heartbeatIntervalMinutes: monitoring.heartbeat.enabled ? monitoring.heartbeat.intervalMinutes : undefined,
        }
      : false,
    athena: monitoring.athena.enabled
      ? {
          ...monitoring.athena,
          // Retired accounts' objects stay in the archive: the tables keep projecting them.
          // Both formats' tables project every account: an account's objects from
          // before its messageExtraction changed stay queryable.
          knownAccountIds: [...new Set([...registry.accounts, ...registry.retiredAccounts].map((a) => a.id))].sort(),
          regions: athenaRegions(registry, regions),
        }
      : false,
    directSources: {
      trail:
        cloudTrail.enabled && cloudTrail.managementAccountId
          ? {
              arn: trailNames(
                registry.naming.prefix,
                cloudTrail.managementAccountId,
                cloudTrail.homeRegion ?? logArchive.region,
                cloudTrail.trailName,
              ).arn,
              managementAccountId: cloudTrail.managementAccountId,
            }
          : undefined,
      configRecorderRole: config.enabled ? config.recorderRoleName : undefined,
      vpcFlowLogs: vpcFlowLogs.enabled,
      agentRolePattern: agents.enabled
        ? (agents.roleNamePattern ?? `${registry.naming.prefix}-log-agent-*`)
        : undefined,
      notifySiem,
      sections: untypedSections(sources),
    },
    search:
      searchDeliveryEnabled(registry) && registry.search.domainArn
        ? {
            domainArn: registry.search.domainArn,
            indexName: registry.search.indexName,
            indexRotation: registry.search.indexRotation,
            principals: registry.search.principals,
            administrators: registry.search.administrators,
            retryDurationSeconds: registry.search.retryDurationSeconds,
          }
        : undefined,
    deliveryWatch: deliveryWatchEnabled(registry)
      ? {
          sources: watchedAccounts(registry).flatMap((a) => {
            const marked = a.expectsLogs === true && monitoring.heartbeat.enabled;
            const extra = marked ? { expectsLogs: true, delivery: objectFormatOf(registry, a) } : {};
            return a.regions.map((region) => ({ accountId: a.id, region, ...extra }));
          }),
          // Without the heartbeat a quiet source is not a broken one: only failing records are reported.
          silenceMinutes: monitoring.heartbeat.enabled ? monitoring.alarms.silenceMinutes : undefined,
          intervalMinutes: monitoring.alarms.watch.intervalMinutes,
          reminderHours: monitoring.alarms.watch.reminderHours,
          heartbeatIntervalMinutes: monitoring.heartbeat.enabled ? monitoring.heartbeat.intervalMinutes : undefined,
          heartbeatOnlyHours: monitoring.alarms.watch.heartbeatOnlyHours,
        }
      : undefined,
    tamper:
      tamperEnabled(registry) && monitoring.alarms.enabled
        ? {
            exemptRoleArns: tamperExemptRoleArns(registry, deploymentRoleArn(registry, logArchive.accountId)),
          }
        : false,
    central:
      regions.length > 0
        ? {
            regions,
            stream: central,
            activePartitionQuota: central.activePartitionQuota,
            errorLogRetentionDays: registry.defaults.firehose.errorLogRetentionDays,
          }
        : undefined,
  };
}

/**
 * Regions the tables project: where the registry's accounts (active and
 * retired) and central streams write; the archive's own Region (LogArchive's
 * default) when there are none yet.
 */
function athenaRegions(registry: Registry, centralRegions: readonly string[]): string[] {
  const accounts = [...registry.accounts, ...registry.retiredAccounts];
  const regions = [...new Set([...accounts.flatMap((a) => a.regions), ...centralRegions])].sort();
  return regions.length > 0 ? regions : [registry.logArchive.region];
}

/** How an account's objects are written: its own stream, or the central stream of its Regions (GZIP envelopes). */
function objectFormatOf(registry: Registry, account: Registry["accounts"][number]): SourceObjectFormat {
  const settings = sourceSettings(registry, account);
  if (settings.delivery === "central") {
    return {
      bufferingIntervalSeconds: registry.central.bufferingIntervalSeconds,
      compression: "GZIP",
      messageExtraction: false,
    };
  }
  const { bufferingIntervalSeconds, compression, messageExtraction } = settings.firehose;
  return { bufferingIntervalSeconds, compression, messageExtraction };
}

export class LogArchiveStack extends AccountStack {
  readonly archive: LogArchive;

  constructor(scope: Construct, id: string, props: LogArchiveStackProps) {
    const { registry } = props;
    super(scope, id, { registry, accountId: registry.logArchive.accountId, region: registry.logArchive.region });
    // The keys of a key-management account, read by their alias ARNs when
    // this stack plans (log-keys is applied first). The lookup and the
    // archive both take the id `Default`, which cdktf leaves out of resource
    // addresses, so the data sources stay data.aws_kms_key.ArchiveKey, ...
    // and the archive's resources keep theirs; ids are unique among siblings
    // only, so the archive is the lookup's child when there is one.
    const lookup = registry.keys
      ? new ExternalKeysLookup(this, "Default", {
          keyAccountId: registry.keys.accountId,
          archiveAccountId: registry.logArchive.accountId,
          archiveRegion: registry.logArchive.region,
          namePrefix: registry.naming.prefix,
          replicaRegion: registry.archive.replicaRegion,
        })
      : undefined;
    this.archive = new LogArchive(lookup ?? this, "Default", { ...logArchiveProps(registry), keys: lookup?.keys });
    this.addOutputs();
  }

  private addOutputs(): void {
    const a = this.archive;
    const outputs: Record<string, string> = {
      archive_bucket_name: a.archiveBucket.resource.bucket,
      archive_bucket_arn: a.archiveBucket.resource.arn,
      archive_key_arn: a.archiveKeyArn,
      siem_queue_url: a.notifications.queue.url,
      siem_queue_arn: a.notifications.queue.arn,
      siem_dead_letter_queue_arn: a.notifications.deadLetterQueue.arn,
      siem_queue_key_arn: a.notifications.keyArn,
      siem_reader_role_arn: a.reader.role.arn,
      siem_operator_role_arn: a.operator.role.arn,
    };
    // Queues of direct sources (siem.queues perPrefix), for their SIEM inputs.
    for (const q of a.notifications.queues.filter((queue) => queue.suffix !== "")) {
      const key = q.suffix.replace(/-/g, "_");
      outputs[`siem_queue_url_${key}`] = q.queue.url;
      outputs[`siem_dead_letter_queue_arn_${key}`] = q.deadLetterQueue.arn;
    }
    if (a.sentinel) outputs.sentinel_role_arn = a.sentinel.role.arn;
    if (a.replication) {
      outputs.replica_bucket_arn = a.replication.replica.resource.arn;
      outputs.replica_key_arn = a.replication.keyArn;
    }
    if (a.athena) {
      outputs.athena_workgroup = a.athena.workgroup.name;
      outputs.log_analyst_role_arn = a.athena.analyst.arn;
    }
    if (a.alarmTopic) outputs.alarm_topic_arn = a.alarmTopic.topic.arn;
    for (const [name, value] of Object.entries(outputs)) {
      new TerraformOutput(this, name, { value });
    }
  }
}
