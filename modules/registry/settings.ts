/**
 * Effective settings of one source account: the organisation defaults with
 * the account's overrides applied. Pure; used by the semantic checks and by
 * the source stacks, so both always agree.
 */
import { partitionOf, type Partition } from "../naming/partition";
import { iamRoleArn } from "../naming/names";
import { archiveAccountLogGroups, logGroupNamesIn, sourceLogGroups } from "../naming/pipeline-log-groups";
import type { MigrationAcknowledgement } from "../options/values";
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

/** Whether the registry delivers to an OpenSearch domain (the search stream and its transform). */
export function searchDeliveryEnabled(registry: {
  readonly search: { readonly enabled: boolean; readonly domainArn?: string };
}): boolean {
  return registry.search.enabled && registry.search.domainArn !== undefined;
}

interface PipelineInput extends TopologyInput {
  readonly search: { readonly enabled: boolean; readonly domainArn?: string };
}

/**
 * Every log group the pipeline writes to in an account and Region, in any
 * topology (modules/naming/pipeline-log-groups.ts): the account's stream
 * error log group, and in the log-archive account those of the central
 * streams, the delivery watch and search delivery. None is ever subscribed.
 */
export function pipelineLogGroupsOf(registry: PipelineInput, accountId: string, region: string): string[] {
  const prefix = registry.naming.prefix;
  const groups = sourceLogGroups(prefix, accountId, region);
  if (accountId === registry.logArchive.accountId) {
    groups.push(
      ...archiveAccountLogGroups({
        prefix,
        accountId,
        region: registry.logArchive.region,
        centralRegions: centralRegions(registry),
        deliveryWatch: deliveryWatchEnabled(registry),
        search: searchDeliveryEnabled(registry),
      }),
    );
  }
  return logGroupNamesIn(groups, accountId, region);
}

interface TamperInput {
  readonly monitoring: {
    readonly alarms: { readonly enabled: boolean };
    readonly tamper: { readonly enabled?: boolean; readonly exemptRoleArns: readonly string[] };
  };
}

/** Whether tamper detection runs: monitoring.tamper.enabled, by default whenever alarms are enabled. */
export function tamperEnabled(registry: TamperInput): boolean {
  return registry.monitoring.tamper.enabled ?? registry.monitoring.alarms.enabled;
}

/**
 * The role the member-account stacks of `accountId` are applied with, when
 * the registry names it (deployment.credentials assumeRole).
 */
export function deploymentRoleArn(
  registry: {
    readonly deployment: { readonly credentials: string; readonly roleName: string };
    readonly logArchive: { readonly region: string };
  },
  accountId: string,
): string | undefined {
  const { deployment } = registry;
  return deployment.credentials === "assumeRole"
    ? iamRoleArn(accountId, deployment.roleName, registryPartition(registry))
    : undefined;
}

/**
 * The registry's partition: that of the log-archive Region (the registry
 * refuses accounts, replicas and trails in another partition).
 */
export function registryPartition(registry: { readonly logArchive: { readonly region: string } }): Partition {
  return partitionOf(registry.logArchive.region);
}

/**
 * The roles whose configuration calls do not notify in a stack of
 * `accountId`: the role the stack is applied with (none with ambient
 * credentials, whose role the registry does not know) and
 * monitoring.tamper.exemptRoleArns, without duplicates.
 */
export function tamperExemptRoleArns(registry: TamperInput, deploymentRoleArn: string | undefined): string[] {
  return [
    ...new Set([...(deploymentRoleArn ? [deploymentRoleArn] : []), ...registry.monitoring.tamper.exemptRoleArns]),
  ];
}

/**
 * The acknowledgements of the registry's migrations that apply to a stack,
 * sorted, without duplicates: the stack's cwl_acknowledged_migrations output.
 */
export function acknowledgementsFor(
  registry: { readonly migrations: Registry["migrations"] },
  stackName: string,
): MigrationAcknowledgement[] {
  const applying = registry.migrations.filter((m) => m.stacks === undefined || m.stacks.includes(stackName));
  return [...new Set(applying.map((m) => m.allow))].sort();
}

export {
  excludedLogGroups,
  listedLogGroupsIn,
  SELECTION_CRITERIA_MAX_BYTES,
  selectionCriteria,
} from "../naming/log-groups";

/**
 * The account the guardrails' policies are created in: guardrails.managementAccountId,
 * else the organization trail's management account.
 */
export function guardrailsManagementAccountId(registry: {
  readonly guardrails: { readonly managementAccountId?: string };
  readonly sources: { readonly cloudTrail: { readonly managementAccountId?: string } };
}): string | undefined {
  return registry.guardrails.managementAccountId ?? registry.sources.cloudTrail.managementAccountId;
}

/** Whether the registry asks for the guardrails' stack (log-guardrails). */
export function guardrailsEnabled(
  registry: Parameters<typeof guardrailsManagementAccountId>[0] & {
    readonly guardrails: { readonly enabled: boolean };
  },
): boolean {
  return registry.guardrails.enabled && guardrailsManagementAccountId(registry) !== undefined;
}

/** The management account where log-access is applied and its StackSets created. */
export function accessManagementAccountId(registry: {
  readonly terraformCloud: { readonly access: { readonly managementAccountId?: string } };
  readonly atlantis: { readonly access: { readonly managementAccountId?: string } };
  readonly guardrails: { readonly managementAccountId?: string };
  readonly sources: { readonly cloudTrail: { readonly managementAccountId?: string } };
}): string | undefined {
  return (
    registry.terraformCloud.access.managementAccountId ??
    registry.atlantis.access.managementAccountId ??
    guardrailsManagementAccountId(registry)
  );
}

/** Whether the registry asks for the stack log-access: Terraform Cloud's trust, Atlantis's deployment roles, or both. */
export function accessStackEnabled(registry: {
  readonly terraformCloud: { readonly access: { readonly enabled: boolean } };
  readonly atlantis: { readonly access: { readonly enabled: boolean } };
}): boolean {
  return registry.terraformCloud.access.enabled || registry.atlantis.access.enabled;
}

/**
 * The account a stack deploys into, from its name alone: log-source-<id>-<region>,
 * log-archive, log-keys, and the management account's log-organization-trail and log-guardrails.
 */
export function accountOfStack(registry: Registry, stack: string): string {
  const source = /^log-source-(\d{12})-/.exec(stack);
  if (source) return source[1]!;
  switch (stack) {
    case "log-archive":
      return registry.logArchive.accountId;
    case "log-keys":
      if (registry.keys) return registry.keys.accountId;
      break;
    case "log-organization-trail":
      if (registry.sources.cloudTrail.managementAccountId) return registry.sources.cloudTrail.managementAccountId;
      break;
    case "log-guardrails": {
      const management = guardrailsManagementAccountId(registry);
      if (management) return management;
      break;
    }
  }
  throw new Error(`accountOfStack: no account for stack "${stack}"`);
}
