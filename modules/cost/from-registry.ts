/**
 * The registry as the cost model sees it: every account and Region with the
 * settings it is deployed with (modules/registry/settings.ts, the same
 * functions the stacks use), and the uniform organizations of the topology
 * comparison, built from the registry's defaults. Pure: a parsed registry in,
 * model inputs out.
 *
 * Honoured, because they change what is billed: the Regions (inter-Region
 * transfer), each account's delivery topology, its monitoring choice
 * (`alarms`), its stream's buffering, compression and encryption; the
 * archive's Region, replica, retention, tiers and size rule; the heartbeat,
 * the watch and the central streams. Not honoured, and said so in the report
 * (NOT_MODELLED): see there.
 */
import type { Registry } from "../registry/parse";
import { sourceMonitoringOf, sourceSettings } from "../registry/settings";
import {
  athenaTBPerMonth,
  type AthenaCutoffs,
  type Organization,
  type Scenario,
  type SourceGroup,
  type SourceMonitoringCost,
} from "./model";

/** Registry settings that change the bill but that the model does not price, and why. */
export const NOT_MODELLED: readonly string[] = [
  "`firehose.messageExtraction`: keeping only each event's message shrinks the objects by an amount that depends on the messages; such accounts are priced with the full envelope, an upper bound.",
  "`subscription` (mode, filter patterns, exclusions): they decide how much is forwarded; the model takes the forwarded volume as its input (`--gb-per-day`).",
  "`central.kinesisStream.mode: PROVISIONED`: priced as on-demand.",
  "Requests to customer-managed keys (`streamEncryption: CUSTOMER_MANAGED_CMK`, the archive keys), the first 10 alarm metrics that CloudWatch does not bill, and the stream error log groups.",
  "Direct deliveries to the archive (CloudTrail, Config, VPC flow logs, log agents, GuardDuty findings) and search delivery.",
];

/** The workgroups' cutoffs; no Athena at all when the registry switches it off. */
function athenaCutoffs(registry: Registry): AthenaCutoffs | undefined {
  const { athena } = registry.monitoring;
  return athena.enabled
    ? { interactiveGiB: athena.bytesScannedCutoffGiB, huntingGiB: athena.huntingBytesScannedCutoffGiB }
    : undefined;
}

/** How an account is watched, or "none" when the registry switches alarms off. */
function monitoringOf(registry: Registry, account: Registry["accounts"][number]): SourceMonitoringCost {
  return registry.monitoring.alarms.enabled ? sourceMonitoringOf(registry, account) : "none";
}

/** The organization-wide settings the model prices, from the registry. */
function organizationSettings(registry: Registry): Omit<Organization, "sources"> {
  const { archive, monitoring, central } = registry;
  return {
    archiveRegion: registry.logArchive.region,
    replicaRegion: archive.replicaRegion,
    compressionRatio: 0.15,
    retentionDays: archive.retentionDays,
    transitions: archive.transitions,
    replicationTimeControl: archive.replicationTimeControl,
    smallObjectsStayInStandard: archive.minimumObjectSizeRule === "all_storage_classes_128K",
    heartbeatMinutes: monitoring.heartbeat.enabled ? monitoring.heartbeat.intervalMinutes : 0,
    watchIntervalMinutes: monitoring.alarms.watch.intervalMinutes,
    silenceMinutes: monitoring.alarms.silenceMinutes,
    athenaTBPerMonth: 0,
    central: {
      bufferingIntervalSeconds: central.bufferingIntervalSeconds,
      bufferingSizeMiB: central.bufferingSizeMiB,
      kinesisStream: central.kinesisStream.enabled,
    },
  };
}

/**
 * The registry's organization as deployed: one source group per account and
 * Region, each with the account's own delivery, monitoring and stream
 * settings, at `gbPerDay` GB a day each.
 */
export function organizationFromRegistry(registry: Registry, gbPerDay: number): Organization {
  const sources: SourceGroup[] = registry.accounts.flatMap((account) => {
    const settings = sourceSettings(registry, account);
    return account.regions.map((region) => ({
      label: `${account.name} (${account.id})`,
      accountRegions: 1,
      region,
      gbPerDay,
      delivery: settings.delivery,
      monitoring: monitoringOf(registry, account),
      stream: {
        bufferingIntervalSeconds: settings.firehose.bufferingIntervalSeconds,
        bufferingSizeMiB: settings.firehose.bufferingSizeMiB,
        compression: settings.firehose.compression,
        streamEncryption: settings.firehose.streamEncryption,
      },
      ...(settings.delivery === "perAccount" && settings.firehose.messageExtraction
        ? { notes: ["messages only, priced with the envelope"] }
        : {}),
    }));
  });
  const settings = organizationSettings(registry);
  const cutoffs = athenaCutoffs(registry);
  return {
    ...settings,
    athenaTBPerMonth: cutoffs ? athenaTBPerMonth(sources, settings.compressionRatio, cutoffs) : 0,
    sources,
  };
}

/** Every Region the registry's accounts forward from, the archive's first, the others sorted. */
export function registryRegions(registry: Registry): string[] {
  const used = new Set(registry.accounts.flatMap((a) => a.regions));
  const others = [...used].filter((r) => r !== registry.logArchive.region).sort();
  return used.has(registry.logArchive.region) ? [registry.logArchive.region, ...others] : others;
}

/**
 * A uniform organization of `accounts` accounts, each in `regions`, with the
 * registry's organization-wide settings and its defaults for sources (no
 * account's overrides): the organizations of the topology comparison.
 */
export function scenarioFromRegistry(
  registry: Registry,
  size: { readonly accounts: number; readonly regions: readonly string[]; readonly gbPerDay: number },
): Scenario {
  const settings = organizationSettings(registry);
  const { firehose } = registry.defaults;
  return {
    accounts: size.accounts,
    regions: size.regions,
    gbPerAccountRegionDay: size.gbPerDay,
    archiveRegion: settings.archiveRegion,
    retentionDays: settings.retentionDays,
    transitions: settings.transitions,
    replica: settings.replicaRegion !== undefined,
    replicaRegion: settings.replicaRegion,
    replicationTimeControl: settings.replicationTimeControl,
    smallObjectsStayInStandard: settings.smallObjectsStayInStandard,
    sourceMonitoring: registry.monitoring.alarms.enabled ? registry.monitoring.alarms.sources : "none",
    heartbeatMinutes: settings.heartbeatMinutes,
    watchIntervalMinutes: settings.watchIntervalMinutes,
    silenceMinutes: settings.silenceMinutes,
    bufferingIntervalSeconds: firehose.bufferingIntervalSeconds,
    bufferingSizeMiB: firehose.bufferingSizeMiB,
    compression: firehose.compression,
    streamEncryption: firehose.streamEncryption,
    centralBufferingIntervalSeconds: settings.central.bufferingIntervalSeconds,
    centralBufferingSizeMiB: settings.central.bufferingSizeMiB,
    ...(athenaCutoffs(registry) ? { athenaCutoffs: athenaCutoffs(registry) } : { athenaTBPerMonth: 0 }),
  };
}
