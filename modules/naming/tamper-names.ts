/**
 * Physical names of tamper detection: the collection bus and its notifying
 * rule in the log-archive account, and in every watching account the
 * detection rules and the role that forwards their events. Derived from the
 * registry alone, like every name of modules/naming, so that a source stack
 * targets the bus without reading the archive's state.
 */
import { arn } from "./arn";
import { iamRoleArn } from "./names";
import { iamEventsRegion, partitionOf } from "./partition";

/** Where the watched events are collected: a custom bus of the log-archive account, in the archive's Region. */
export interface TamperBusNames {
  /** Never the default bus: an account has one default bus policy, which no stack of ours may take over. */
  readonly bus: string;
  readonly busArn: string;
  /** The rule on the bus that notifies the archive's alarm topic. */
  readonly notifyRule: string;
  /** Rules on a custom bus are named `rule/<bus>/<rule>` in their ARN. */
  readonly notifyRuleArn: string;
}

/** Every rule of tamper detection, in every stack, starts with this. */
export function tamperRulePrefix(prefix: string): string {
  return `${prefix}-tamper-`;
}

export function tamperBusNames(prefix: string, archiveAccountId: string, archiveRegion: string): TamperBusNames {
  const bus = `${prefix}-tamper`;
  const notifyRule = `${tamperRulePrefix(prefix)}notify`;
  return {
    bus,
    busArn: arn({ service: "events", region: archiveRegion, account: archiveAccountId, resource: `event-bus/${bus}` }),
    notifyRule,
    notifyRuleArn: arn({
      service: "events",
      region: archiveRegion,
      account: archiveAccountId,
      resource: `rule/${bus}/${notifyRule}`,
    }),
  };
}

/**
 * What a watching stack is: the log-archive account, the key-management
 * account, the organization trail's management account, or a source account
 * in one Region. The kind keeps the names of different stacks of one account
 * apart (the log-archive account is often a source account too).
 */
/** "access": the log-access stack, which watches the Terraform Cloud run role of the management account. */
export type TamperWatchKind = "archive" | "keys" | "trail" | "source" | "access";

/** The groups a stack's detection rules are split into, one rule per group and Region. */
export const TAMPER_RULE_GROUPS = [
  "s3",
  "kms",
  "alias",
  "logs",
  "firehose",
  "cloudtrail",
  "iam",
  "events",
  "guard",
] as const;
export type TamperRuleGroup = (typeof TAMPER_RULE_GROUPS)[number];

/** Names of one watching stack's detection rules and forwarding role. */
export interface TamperWatchNames {
  /** May only put events on the tamper bus; one per stack (IAM is global, stacks are per Region). */
  readonly forwardRole: string;
  readonly forwardRoleArn: string;
  /** What the names of every tamper detection rule start with (tamperRulePrefix). */
  readonly rulePrefix: string;
  /**
   * The name of a detection rule. `host` is set for rules a stack creates in
   * a Region other than its own (a source account's IAM watch in us-east-1):
   * they carry the stack's Region, so that the rule of the stack that hosted
   * the watch before and the rule of the one hosting it now never share a
   * name while both exist.
   */
  readonly rule: (group: TamperRuleGroup, hostRegion?: string) => string;
  readonly ruleArn: (region: string, group: TamperRuleGroup, hostRegion?: string) => string;
}

export function tamperWatchNames(
  prefix: string,
  accountId: string,
  kind: TamperWatchKind,
  stackRegion: string,
): TamperWatchNames {
  const forwardRole = `${prefix}-tamper-forward-${kind === "source" ? stackRegion : kind}`;
  const scope = kind === "source" ? "src" : kind;
  const rulePrefix = tamperRulePrefix(prefix);
  const rule = (group: TamperRuleGroup, hostRegion?: string) =>
    hostRegion === undefined ? `${rulePrefix}${scope}-${group}` : `${rulePrefix}${scope}-${hostRegion}-${group}`;
  return {
    forwardRole,
    forwardRoleArn: iamRoleArn(accountId, forwardRole, partitionOf(stackRegion)),
    rulePrefix,
    rule,
    ruleArn: (region, group, hostRegion) =>
      arn({ service: "events", region, account: accountId, resource: `rule/${rule(group, hostRegion)}` }),
  };
}

/**
 * The Region where IAM, a global service, delivers its events to
 * EventBridge: rules on IAM calls work only there.
 * @see https://repost.aws/knowledge-center/eventbridge-rule-triggers-iam-single-region
 */
export const GLOBAL_EVENTS_REGION = iamEventsRegion("aws");

/** GLOBAL_EVENTS_REGION of the partition of `region`. */
export function globalEventsRegion(region: string): string {
  return iamEventsRegion(partitionOf(region));
}

/**
 * The Region whose source stack watches an account's pipeline roles (in
 * us-east-1, see GLOBAL_EVENTS_REGION): the account's us-east-1 stack if it
 * has one, otherwise the stack of its alphabetically first Region. Never the
 * registry's order, so that reordering an account's Regions moves nothing;
 * exactly one stack of every account hosts it.
 */
export function iamWatchHostRegion(accountRegions: readonly string[]): string {
  if (accountRegions.length === 0) throw new Error("iamWatchHostRegion: an account has at least one Region");
  const home = globalEventsRegion(accountRegions[0]!);
  if (accountRegions.includes(home)) return home;
  return [...accountRegions].sort()[0]!;
}
