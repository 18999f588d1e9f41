/**
 * Which log groups a subscription covers: the account-level selection
 * criteria and the listed groups of a Region. Pure; used by the registry's
 * checks and by the Subscriptions construct, so both always agree.
 */

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
  pipelineGroups: readonly string[],
  subscription: { readonly excludeLogGroups: readonly string[] },
): string[] {
  return [...new Set([...pipelineGroups, ...subscription.excludeLogGroups])];
}

/** `LogGroupName NOT IN ["a", "b"]`: the only selection criteria AWS supports. */
export function selectionCriteria(excluded: readonly string[]): string {
  return `LogGroupName NOT IN [${excluded.map((name) => JSON.stringify(name)).join(", ")}]`;
}

/** A log group subscribed in `listed` mode. */
export interface ListedLogGroup {
  /** Exact log group name. */
  readonly name: string;
  /** Filter pattern of this group. @default - the subscription's filterPattern */
  readonly filterPattern?: string;
  /** Regions where the group exists and is subscribed. @default - every Region of the account */
  readonly regions?: readonly string[];
}

/** The listed log groups subscribed in one Region: those without `regions`, and those naming it. */
export function listedLogGroupsIn<T extends ListedLogGroup>(
  subscription: { readonly logGroups: readonly T[] },
  region: string,
): T[] {
  return subscription.logGroups.filter((group) => group.regions === undefined || group.regions.includes(region));
}
