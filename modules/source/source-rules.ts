/**
 * The rules LogSource enforces on its settings, written once: LogSource (and
 * the DeliveryStream it builds) refuses props that break them, and the
 * registry runs the same functions, or builds its schema from the same
 * bounds and messages, so both report the same message (the registry adds
 * its file and YAML path). `__tests__/registry/parity.test.ts` proves it for
 * every id in LOG_SOURCE_RULE_IDS.
 */
import { Token } from "cdktf";
import { rangeProblem, type SettingProblem } from "../constructs/validation";
import type { DeliveryTopology, SubscriptionMode } from "../options/values";

export const LOG_SOURCE_RULE_IDS = [
  "central-without-message-extraction",
  "listed-needs-log-groups",
  "vpc-id",
  "heartbeat-interval",
  "firehose-buffering-size",
  "firehose-buffering-interval",
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

/** What the source rules read (a subset of LogSourceProps, so the registry can pass an account's settings). */
export interface SourceRuleInput {
  readonly accountId: string;
  readonly delivery: DeliveryTopology;
  readonly firehose?: {
    readonly messageExtraction: boolean;
    readonly bufferingSizeMiB: number;
    readonly bufferingIntervalSeconds: number;
  };
  readonly subscription: { readonly mode: SubscriptionMode; readonly logGroups: readonly unknown[] };
  readonly vpcFlowLogs?: readonly string[];
  readonly heartbeat?: { readonly intervalMinutes: number };
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
