/**
 * Effective settings of one source account: the organisation defaults with
 * the account's overrides applied. Pure; used by the semantic checks and by
 * the source stacks, so both always agree.
 */
import { pipelineLogGroups } from "../naming/names";
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

/**
 * Largest `selectionCriteria` of an account-level subscription filter policy.
 * AWS documents "up to 25KB"; we stop at 25,000 bytes so that a policy that
 * passes here never fails at apply time.
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutAccountPolicy.html
 */
export const SELECTION_CRITERIA_MAX_BYTES = 25_000;

/**
 * Log group names excluded from an account-level subscription: the pipeline's
 * own log groups first (a subscription on them would loop forever), then the
 * registry's exclusions, without duplicates, in a stable order.
 */
export function excludedLogGroups(
  prefix: string,
  accountId: string,
  region: string,
  subscription: Pick<SubscriptionSettings, "excludeLogGroups">,
): string[] {
  return [...new Set([...pipelineLogGroups(prefix, accountId, region), ...subscription.excludeLogGroups])];
}

/** `LogGroupName NOT IN ["a", "b"]`: the only selection criteria AWS supports. */
export function selectionCriteria(excluded: readonly string[]): string {
  return `LogGroupName NOT IN [${excluded.map((name) => JSON.stringify(name)).join(", ")}]`;
}
