/**
 * Effective settings of one source account: the organisation defaults with
 * the account's overrides applied. Pure; used by the semantic checks and by
 * the source stacks, so both always agree.
 */
import { centralNames, deliveryWatchNames, pipelineLogGroups } from "../naming/names";
import type { Registry } from "./types";

type Defaults = Registry["defaults"];
type Account = Registry["accounts"][number];

export type SubscriptionSettings = Defaults["subscription"];
export type FirehoseSettings = Defaults["firehose"];

export type DeliveryTopology = Defaults["delivery"];

export interface SourceSettings {
  readonly subscription: Readonly<SubscriptionSettings>;
  readonly firehose: Readonly<FirehoseSettings>;
  readonly delivery: DeliveryTopology;
}

interface SettingsInput {
  readonly defaults: Defaults;
}

export function sourceSettings(
  registry: SettingsInput,
  account: Pick<Account, "subscription" | "firehose" | "delivery">,
): SourceSettings {
  return {
    subscription: { ...registry.defaults.subscription, ...definedOnly(account.subscription) },
    firehose: { ...registry.defaults.firehose, ...definedOnly(account.firehose) },
    delivery: account.delivery ?? registry.defaults.delivery,
  };
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

interface TopologyInput extends SettingsInput {
  readonly naming: { readonly prefix: string };
  readonly logArchive: { readonly accountId: string; readonly region: string };
  readonly accounts: readonly Pick<Account, "id" | "regions" | "subscription" | "firehose" | "delivery" | "alarms">[];
  readonly monitoring: { readonly alarms: Pick<Registry["monitoring"]["alarms"], "enabled" | "sources"> };
}

type AlarmsInput = Pick<TopologyInput, "monitoring" | "accounts">;

/** How an account is watched: its own override, or monitoring.alarms.sources. */
export function sourceMonitoringOf(registry: Pick<TopologyInput, "monitoring">, account: Pick<Account, "alarms">) {
  return account.alarms ?? registry.monitoring.alarms.sources;
}

/** Accounts the delivery watch expects objects from (none when alarms are off). */
export function watchedAccounts<A extends TopologyInput["accounts"][number]>(registry: {
  readonly monitoring: TopologyInput["monitoring"];
  readonly accounts: readonly A[];
}): A[] {
  if (!registry.monitoring.alarms.enabled) return [];
  return registry.accounts.filter((a) => sourceMonitoringOf(registry, a) !== "perAccount");
}

/** Whether the log-archive account runs the delivery watch. */
export function deliveryWatchEnabled(registry: AlarmsInput): boolean {
  return watchedAccounts(registry).length > 0;
}

/** Whether an account carries its own delivery alarms in each of its Regions. */
export function perAccountAlarmsEnabled(
  registry: Pick<TopologyInput, "monitoring">,
  account: Pick<Account, "alarms">,
): boolean {
  return registry.monitoring.alarms.enabled && sourceMonitoringOf(registry, account) !== "deliveryWatch";
}

/**
 * Per registry, computed once: every source stack asks, so recomputing it
 * would cost O(accounts) per stack, O(accounts squared) per synthesis.
 */
const centralAccountsCache = new WeakMap<TopologyInput, ReadonlyMap<string, readonly string[]>>();

/** Accounts that deliver through the central stream of each Region. */
export function centralAccountsByRegion(registry: TopologyInput): ReadonlyMap<string, readonly string[]> {
  const cached = centralAccountsCache.get(registry);
  if (cached) return cached;
  const byRegion = new Map<string, string[]>();
  for (const account of registry.accounts) {
    if (sourceSettings(registry, account).delivery !== "central") continue;
    for (const region of account.regions) byRegion.set(region, [...(byRegion.get(region) ?? []), account.id]);
  }
  centralAccountsCache.set(registry, byRegion);
  return byRegion;
}

/** Source Regions served by a central stream in the log-archive account, sorted. */
export function centralRegions(registry: TopologyInput): string[] {
  return [...centralAccountsByRegion(registry).keys()].sort();
}

/**
 * Every log group the pipeline writes to in an account and Region, in any
 * topology: the per-account stream's error log group, and in the log-archive
 * account the central stream's error log group of each central Region and
 * the delivery watch's two log groups (each archived object would otherwise
 * add an event that is archived again). A
 * subscription on any of them would loop forever, so none is ever subscribed.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Subscriptions-recursion-prevention.html
 */
export function pipelineLogGroupsOf(registry: TopologyInput, accountId: string, region: string): string[] {
  const prefix = registry.naming.prefix;
  const groups = pipelineLogGroups(prefix, accountId, region);
  if (accountId === registry.logArchive.accountId && centralAccountsByRegion(registry).has(region)) {
    groups.push(centralNames(prefix, accountId, region).errorLogGroup);
  }
  if (
    accountId === registry.logArchive.accountId &&
    region === registry.logArchive.region &&
    deliveryWatchEnabled(registry)
  ) {
    const watch = deliveryWatchNames(prefix, accountId, region);
    groups.push(watch.eventLogGroup, watch.functionLogGroup);
  }
  return groups;
}

export {
  excludedLogGroups,
  listedLogGroupsIn,
  SELECTION_CRITERIA_MAX_BYTES,
  selectionCriteria,
} from "../naming/log-groups";
