/**
 * How log groups are subscribed to the delivery stream, in either mode:
 *
 * - `all`: one account-level subscription filter policy covers every
 *   existing and future log group of the account and Region, minus the
 *   pipeline's own log groups and the registry's exclusions. Its size does
 *   not depend on how many log groups the account has.
 * - `listed`: one subscription filter per listed log group, all named alike,
 *   so ours takes exactly one of the log group's subscription slots and never
 *   replaces a filter of another name.
 */
import { CloudwatchLogAccountPolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-account-policy";
import { CloudwatchLogSubscriptionFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-subscription-filter";
import { Token, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { createHash } from "node:crypto";
import { filterPatternProblem } from "../naming/filter-pattern";
import { excludedLogGroups, listedLogGroupsIn, selectionCriteria, type ListedLogGroup } from "../naming/log-groups";
import type { SubscriptionMode } from "../options/values";
import { formatSettingProblem, throwIfProblems } from "../constructs/validation";
import { selectionCriteriaProblems } from "./source-rules";

/** Which log groups are forwarded, and which events of them. */
export interface SubscriptionSelection {
  /** `all`: one account-level policy for every log group; `listed`: one filter per group of `logGroups`. @default "all" (in LogSource) */
  readonly mode: SubscriptionMode;
  /** Filter pattern of the subscription; "" forwards every event. @default "" (in LogSource) */
  readonly filterPattern: string;
  /** `all` mode: log groups never forwarded, besides the pipeline's own. @default - none (in LogSource) */
  readonly excludeLogGroups: readonly string[];
  /** `listed` mode: the log groups to subscribe. @default - none (in LogSource; `listed` needs at least one) */
  readonly logGroups: readonly ListedLogGroup[];
}

export interface SubscriptionsProps {
  readonly region: string;
  /** Log groups the pipeline writes to in this account and Region: never subscribed (no loops). */
  readonly pipelineLogGroups: readonly string[];
  /** Which log groups are forwarded. */
  readonly settings: SubscriptionSelection;
  readonly filterName: string;
  readonly accountPolicyName: string;
  readonly deliveryStreamArn: string;
  readonly roleArn: string;
  /** Resources that must exist first: the role policy and the stream. */
  readonly dependsOn: ITerraformDependable[];
  /**
   * Log groups the pipeline itself creates and subscribes in every mode (the
   * heartbeat), with the resource that creates each.
   * @default - none
   */
  readonly ownLogGroups?: readonly { readonly name: string; readonly createdBy: ITerraformDependable }[];
}

/** The account-level subscription filter policy document. */
export function accountPolicyDocument(
  props: Pick<SubscriptionsProps, "deliveryStreamArn" | "roleArn" | "settings">,
): string {
  return JSON.stringify({
    DestinationArn: props.deliveryStreamArn,
    RoleArn: props.roleArn,
    FilterPattern: props.settings.filterPattern,
  });
}

/**
 * Construct id of a listed log group's filter: readable, and unique even
 * when two names sanitise alike. Derived from the name, never from the
 * position in the list, so reordering the registry changes nothing.
 */
export function logGroupConstructId(logGroupName: string): string {
  const readable = logGroupName
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
  const hash = createHash("sha256").update(logGroupName).digest("hex").slice(0, 8);
  return `LogGroup-${readable}-${hash}`;
}

export class Subscriptions extends Construct {
  readonly accountPolicy?: CloudwatchLogAccountPolicy;
  readonly filters: CloudwatchLogSubscriptionFilter[] = [];

  constructor(scope: Construct, id: string, props: SubscriptionsProps) {
    super(scope, id);
    const { settings } = props;
    const problems: string[] = [];
    // CloudWatch Logs refuses a malformed pattern only at apply.
    const pattern = (prop: string, value: string) => {
      const problem = Token.isUnresolved(value) ? undefined : filterPatternProblem(value);
      if (problem) problems.push(`${prop}: ${problem}`);
    };
    pattern("settings.filterPattern", settings.filterPattern);
    // In mode all, a filter pattern would apply to the pipeline's own groups
    // too and drop the heartbeat (an idle account would look silent forever):
    // they leave the account policy for filters of their own that pass every event.
    const ownApart = settings.mode === "all" && settings.filterPattern !== "" ? (props.ownLogGroups ?? []) : [];
    const notInPolicy = [...props.pipelineLogGroups, ...ownApart.map((group) => group.name)];
    if (settings.mode === "all") {
      // LogSource's rule and message (the registry's too).
      problems.push(
        ...selectionCriteriaProblems(
          settings,
          props.pipelineLogGroups,
          ownApart.map((group) => group.name),
          props.region,
        ).map((p) => formatSettingProblem({ ...p, path: ["settings", ...p.path.slice(1)] })),
      );
    } else {
      settings.logGroups.forEach((group, i) => {
        if (group.filterPattern !== undefined) pattern(`settings.logGroups[${i}].filterPattern`, group.filterPattern);
      });
    }
    throwIfProblems("Subscriptions", this, problems);
    if (settings.mode === "all") {
      this.accountPolicy = new CloudwatchLogAccountPolicy(this, "AccountPolicy", {
        policyName: props.accountPolicyName,
        policyType: "SUBSCRIPTION_FILTER_POLICY",
        policyDocument: accountPolicyDocument(props),
        scope: "ALL",
        // Always non-empty: the pipeline's own log groups are excluded first.
        selectionCriteria: selectionCriteria(excludedLogGroups(notInPolicy, settings)),
        dependsOn: props.dependsOn,
      });
    }
    // A listed group names the Regions where it exists: PutSubscriptionFilter
    // fails on a log group that does not exist.
    const listed = (settings.mode === "listed" ? listedLogGroupsIn(settings, props.region) : []).map((group) => ({
      name: group.name,
      filterPattern: group.filterPattern ?? settings.filterPattern,
      dependsOn: props.dependsOn,
    }));
    // The pipeline's own groups pass every event: a heartbeat must never be filtered out.
    const own = (settings.mode === "listed" ? (props.ownLogGroups ?? []) : ownApart).map((group) => ({
      name: group.name,
      filterPattern: "",
      dependsOn: [...props.dependsOn, group.createdBy],
    }));
    for (const group of [...listed, ...own]) {
      this.filters.push(
        new CloudwatchLogSubscriptionFilter(this, logGroupConstructId(group.name), {
          name: props.filterName,
          logGroupName: group.name,
          filterPattern: group.filterPattern,
          destinationArn: props.deliveryStreamArn,
          roleArn: props.roleArn,
          dependsOn: group.dependsOn,
        }),
      );
    }
  }
}
