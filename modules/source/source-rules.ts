/**
 * The rules LogSource enforces on its settings, written once: LogSource (and
 * the DeliveryStream it builds) refuses props that break them, and the
 * registry runs the same functions, or builds its schema from the same
 * bounds and messages, so both report the same message (the registry adds
 * its file and YAML path). `__tests__/registry/parity.test.ts` proves it for
 * every id in LOG_SOURCE_RULE_IDS.
 */
import { Token } from "cdktf";
import {
  logRetentionRuleProblems,
  rangeProblem,
  rangeRuleProblems,
  type SettingProblem,
} from "../constructs/validation";
import { excludedLogGroups, SELECTION_CRITERIA_MAX_BYTES, selectionCriteria } from "../naming/log-groups";
import type { DeliveryTopology, SubscriptionMode } from "../options/values";

export const LOG_SOURCE_RULE_IDS = [
  "central-without-message-extraction",
  "listed-needs-log-groups",
  "vpc-id",
  "heartbeat-interval",
  "firehose-buffering-size",
  "firehose-buffering-interval",
  "iam-propagation-seconds",
  "heartbeat-retention",
  "firehose-error-log-retention",
  "heartbeat-not-in-subscription",
  "listed-not-pipeline-log-group",
  "selection-criteria-size",
] as const;

export type LogSourceRule = (typeof LOG_SOURCE_RULE_IDS)[number];
export type LogSourceProblem = SettingProblem<LogSourceRule>;

/**
 * VPC ids: `vpc-` and 8 or 17 lowercase hexadecimal characters.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html
 */
export const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const VPC_ID_MESSAGE =
  "expected a VPC id: vpc- and 8 or 17 lowercase hexadecimal characters, such as vpc-0a1b2c3d";

/**
 * Firehose buffering hints of a source's own stream.
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html
 */
export const FIREHOSE_BUFFERING_SIZE_MIB = { what: "a Firehose buffer size in MiB", min: 1, max: 128 } as const;
export const FIREHOSE_BUFFERING_INTERVAL_SECONDS = {
  what: "a Firehose buffer interval in seconds",
  min: 0,
  max: 900,
} as const;
/** Minutes between heartbeats: a whole number (an EventBridge rate expression), at most hourly. */
export const HEARTBEAT_INTERVAL_MINUTES = { what: "a number of minutes", min: 1, max: 60 } as const;

/**
 * Seconds the subscription waits for IAM: CloudWatch Logs checks the role
 * when the subscription is put; ten minutes covers IAM's propagation with room.
 */
export const IAM_PROPAGATION_SECONDS = { what: "a number of seconds", min: 0, max: 600 } as const;

/** The subscription settings the subscription rules read. */
export interface SubscriptionRuleInput {
  readonly mode: SubscriptionMode;
  readonly filterPattern: string;
  readonly excludeLogGroups: readonly string[];
  readonly logGroups: readonly { readonly name: string; readonly regions?: readonly string[] }[];
}

/**
 * The heartbeat log group is subscribed in every mode: listing it would
 * subscribe it twice, excluding it would silence the pipeline's health check.
 */
export function heartbeatSubscriptionProblems(
  subscription: SubscriptionRuleInput,
  heartbeatLogGroup: string | undefined,
): LogSourceProblem[] {
  if (heartbeatLogGroup === undefined) return [];
  const listed = subscription.mode === "listed";
  const names = listed ? subscription.logGroups.map((g) => g.name) : subscription.excludeLogGroups;
  const index = names.indexOf(heartbeatLogGroup);
  if (index === -1) return [];
  return [
    {
      rule: "heartbeat-not-in-subscription",
      path: listed ? ["subscription", "logGroups", index, "name"] : ["subscription", "excludeLogGroups", index],
      message: listed
        ? "is the heartbeat log group, which is subscribed automatically; remove it here"
        : "is the heartbeat log group: excluding it would silence the pipeline's health check (switch monitoring.heartbeat off instead)",
      value: heartbeatLogGroup,
    },
  ];
}

/** A listed log group of this Region that the pipeline writes to would loop forever. */
export function listedPipelineLogGroupProblems(
  subscription: SubscriptionRuleInput,
  pipelineLogGroups: readonly string[],
  region: string,
): LogSourceProblem[] {
  if (subscription.mode !== "listed") return [];
  const own = new Set(pipelineLogGroups);
  return subscription.logGroups.flatMap((group, index): LogSourceProblem[] =>
    (group.regions !== undefined && !group.regions.includes(region)) || !own.has(group.name)
      ? []
      : [
          {
            rule: "listed-not-pipeline-log-group",
            path: ["subscription", "logGroups", index, "name"],
            message: `is the pipeline's own log group in ${region}: subscribing it would loop forever`,
            value: group.name,
          },
        ],
  );
}

/**
 * In mode "all" the account policy's selection criteria exclude the
 * pipeline's log groups and `excludeLogGroups`; with a filter pattern, the
 * pipeline's own event log groups (`apart`) leave the policy too.
 */
export function selectionCriteriaProblems(
  subscription: SubscriptionRuleInput,
  pipelineLogGroups: readonly string[],
  apart: readonly string[],
  region: string,
): LogSourceProblem[] {
  if (subscription.mode !== "all") return [];
  const others = subscription.filterPattern === "" ? [] : apart;
  const criteria = selectionCriteria(excludedLogGroups([...pipelineLogGroups, ...others], subscription));
  if (Token.isUnresolved(criteria)) return [];
  const bytes = Buffer.byteLength(criteria, "utf8");
  if (bytes <= SELECTION_CRITERIA_MAX_BYTES) return [];
  return [
    {
      rule: "selection-criteria-size",
      path: ["subscription", "excludeLogGroups"],
      message: `makes the account-level selection criteria ${bytes} bytes in ${region}; CloudWatch Logs accepts at most ${SELECTION_CRITERIA_MAX_BYTES} (use fewer, or mode "listed")`,
    },
  ];
}

/** What the source rules read (a subset of LogSourceProps, so the registry can pass an account's settings). */
export interface SourceRuleInput {
  readonly accountId: string;
  readonly delivery: DeliveryTopology;
  readonly firehose?: {
    readonly messageExtraction: boolean;
    readonly bufferingSizeMiB: number;
    readonly bufferingIntervalSeconds: number;
    readonly errorLogRetentionDays?: number;
  };
  readonly subscription: SubscriptionRuleInput;
  readonly vpcFlowLogs?: readonly string[];
  readonly heartbeat?: { readonly intervalMinutes: number; readonly retentionDays: number };
  readonly iamPropagationSeconds?: number;
  /**
   * The Region and the log groups the pipeline writes to there (never
   * subscribed), with the heartbeat's and GuardDuty's log groups when on.
   * Without them (the registry, which judges them per Region) the
   * subscription rules are not run.
   */
  readonly logGroups?: {
    readonly region: string;
    readonly pipeline: readonly string[];
    readonly heartbeat?: string;
    readonly guardDuty?: string;
  };
}

/** Problems of a LogSource's settings (paths from its props). */
export function logSourceRuleProblems(props: SourceRuleInput): LogSourceProblem[] {
  const problems: LogSourceProblem[] = [];
  if (props.delivery === "central" && props.firehose?.messageExtraction === true) {
    const account = Token.isUnresolved(props.accountId) ? "" : ` (account ${props.accountId})`;
    problems.push({
      rule: "central-without-message-extraction",
      path: ["firehose", "messageExtraction"],
      message: `cannot be combined with delivery "central"${account}: the central stream partitions by the envelope's owner, which message extraction removes`,
      value: true,
    });
  }
  if (props.subscription.mode === "listed" && props.subscription.logGroups.length === 0) {
    problems.push({
      rule: "listed-needs-log-groups",
      path: ["subscription", "logGroups"],
      message: 'expected at least one log group: mode "listed" subscribes only the log groups listed here',
    });
  }
  (props.vpcFlowLogs ?? []).forEach((vpcId, index) => {
    if (!Token.isUnresolved(vpcId) && !VPC_ID.test(vpcId)) {
      problems.push({ rule: "vpc-id", path: ["vpcFlowLogs", index], message: VPC_ID_MESSAGE, value: vpcId });
    }
  });
  problems.push(
    ...rangeProblem(
      "heartbeat-interval",
      ["heartbeat", "intervalMinutes"],
      props.heartbeat?.intervalMinutes,
      HEARTBEAT_INTERVAL_MINUTES,
    ),
  );
  problems.push(
    ...rangeRuleProblems<LogSourceRule>(
      [{ rule: "iam-propagation-seconds", path: ["iamPropagationSeconds"], range: IAM_PROPAGATION_SECONDS }],
      props,
    ),
    ...logRetentionRuleProblems<LogSourceRule>(
      [
        { rule: "heartbeat-retention", path: ["heartbeat", "retentionDays"] },
        { rule: "firehose-error-log-retention", path: ["firehose", "errorLogRetentionDays"] },
      ],
      props,
    ),
  );
  const groups = props.logGroups;
  if (groups) {
    const apart = [groups.heartbeat, groups.guardDuty].filter((g): g is string => g !== undefined);
    problems.push(
      ...heartbeatSubscriptionProblems(props.subscription, groups.heartbeat),
      ...listedPipelineLogGroupProblems(props.subscription, groups.pipeline, groups.region),
      ...selectionCriteriaProblems(props.subscription, groups.pipeline, apart, groups.region),
    );
  }
  if (props.delivery === "perAccount") {
    problems.push(
      ...rangeProblem(
        "firehose-buffering-size",
        ["firehose", "bufferingSizeMiB"],
        props.firehose?.bufferingSizeMiB,
        FIREHOSE_BUFFERING_SIZE_MIB,
      ),
      ...rangeProblem(
        "firehose-buffering-interval",
        ["firehose", "bufferingIntervalSeconds"],
        props.firehose?.bufferingIntervalSeconds,
        FIREHOSE_BUFFERING_INTERVAL_SECONDS,
      ),
    );
  }
  return problems;
}
