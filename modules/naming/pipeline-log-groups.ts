/**
 * Every log group the pipeline writes to, in which account and Region, and
 * why. A subscription on any of them would loop forever: each delivery,
 * invocation or archived object writes an event there, which is delivered
 * again, and so on, billed at every turn. So none is ever subscribed.
 *
 * This is the one declaration the source stacks exclude and the registry
 * checks listed groups against. It is not trusted on its word:
 * __tests__/source/pipeline-log-groups.test.ts derives, from every stack of
 * every corpus registry, each log group the stacks create or make AWS create
 * (log group resources, Lambda functions' default groups, Firehose error
 * logging, EventBridge log targets) and fails when one is missing here or
 * subscribed by the source stack of its account and Region.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Subscriptions-recursion-prevention.html
 */
import { centralNames, deliveryWatchNames, searchNames, sourceNames } from "./names";

/** One log group the pipeline writes to. */
export interface PipelineLogGroup {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  /** What writes to it. */
  readonly writer: string;
}

/** What the log-archive account runs, as far as its log groups go. */
export interface ArchiveAccountFeatures {
  readonly prefix: string;
  readonly accountId: string;
  /** The archive's Region, where the delivery watch and search delivery run. */
  readonly region: string;
  /** Source Regions served by a central stream in the log-archive account. */
  readonly centralRegions: readonly string[];
  readonly deliveryWatch: boolean;
  readonly search: boolean;
}

/**
 * The log groups of one source account and Region's own pipeline: its
 * stream's error log group. Excluded in every topology, so that switching
 * from perAccount to central never subscribes a group the old stream left.
 */
export function sourceLogGroups(prefix: string, accountId: string, region: string): PipelineLogGroup[] {
  const name = sourceNames(prefix, accountId, region).errorLogGroup;
  return [{ accountId, region, name, writer: "the account's Firehose (error logging)" }];
}

/** Names of the log groups a source account's own pipeline writes to in a Region: never subscribed. */
export function pipelineLogGroups(prefix: string, accountId: string, region: string): string[] {
  return sourceLogGroups(prefix, accountId, region).map((g) => g.name);
}

/** The log groups the log-archive account's stack writes to, in every Region. */
export function archiveAccountLogGroups(features: ArchiveAccountFeatures): PipelineLogGroup[] {
  const { prefix, accountId, region } = features;
  const at = (groupRegion: string, name: string, writer: string): PipelineLogGroup => ({
    accountId,
    region: groupRegion,
    name,
    writer,
  });
  const groups = features.centralRegions.map((r) =>
    at(r, centralNames(prefix, accountId, r).errorLogGroup, "the central Firehose (error logging)"),
  );
  if (features.deliveryWatch) {
    const watch = deliveryWatchNames(prefix, accountId, region);
    groups.push(
      // Each archived object adds an event here: subscribed, it would archive itself.
      at(region, watch.eventLogGroup, "the delivery watch's EventBridge rule (one event per archived object)"),
      at(region, watch.functionLogGroup, "the delivery watch function"),
    );
  }
  if (features.search) {
    const search = searchNames(prefix, accountId, region);
    groups.push(
      // Each transform run writes START/END/REPORT lines that would flow back into the central stream.
      at(region, search.functionLogGroup, "the search transform function"),
      at(region, search.errorLogGroup, "the search Firehose (error logging)"),
    );
  }
  return groups;
}

/** Names of the groups of one account and Region, without duplicates, in declaration order. */
export function logGroupNamesIn(groups: readonly PipelineLogGroup[], accountId: string, region: string): string[] {
  return [...new Set(groups.filter((g) => g.accountId === accountId && g.region === region).map((g) => g.name))];
}
