/**
 * Amazon CloudWatch Logs: log groups and streams, subscription filters,
 * destinations and their policies, resource policies, account-level
 * subscription policies, and the pipeline never subscribing its own logs.
 */
import type { TfJson } from "../../helpers/synth";
import { characters, utf8Bytes } from "../lib/policy";
import { defineRule, type Rule } from "../lib/rule";
import { all, applyValue, arnRegion, first, literal, refTo, regionOf, unresolved, type Res } from "../lib/tf";
import { uniqueNameRule } from "../lib/unique";

const SERVICE = "logs";

const literalName = (value: unknown): value is string => typeof value === "string" && !unresolved(value);

export const logGroupName = defineRule<Res>({
  id: "logs-log-group-name",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
  description:
    "Log group names are 1-512 characters of a-z, A-Z, 0-9, '_', '-', '/', '.', '#', and 'can't start with the string aws/'.",
  needs: "any source stack",
  targets: (stack) => all(stack, "aws_cloudwatch_log_group").filter((g) => literalName(g.config.name)),
  address: (g) => g.address,
  violations: (g) => {
    const name: string = g.config.name;
    const out: string[] = [];
    if (!/^[.\-_/#A-Za-z0-9]{1,512}$/.test(name))
      out.push(`log group name "${name}" must be 1-512 of [.-_/#A-Za-z0-9]`);
    if (name.startsWith("aws/")) out.push(`log group name "${name}" starts with the reserved aws/`);
    return out;
  },
});

export const logGroupNamesUnique = uniqueNameRule({
  id: "logs-log-group-name-unique",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
  description: "'Log group names must be unique within a Region for an AWS account' (ResourceAlreadyExistsException).",
  needs: "any source stack",
  type: "aws_cloudwatch_log_group",
  nameOf: (c) => c.name,
  perRegion: true,
});

const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export const retention = defineRule<Res>({
  id: "logs-retention-in-days",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html",
  description: `retentionInDays is one of ${RETENTION_DAYS.join(", ")} (0 in Terraform means never expire: no policy is put).`,
  needs: "any source stack",
  targets: (stack) => all(stack, "aws_cloudwatch_log_group").filter((g) => g.config.retention_in_days !== undefined),
  address: (g) => g.address,
  violations: (g) => {
    const d = g.config.retention_in_days;
    return d === 0 || RETENTION_DAYS.includes(d) ? [] : [`retention_in_days ${d} is not an allowed value`];
  },
});

export const logStreamName = defineRule<Res>({
  id: "logs-log-stream-name",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogStream.html",
  description: "Log stream names are 1-512 characters and cannot contain ':' or '*'.",
  needs: "any source stack (the Firehose error log streams)",
  targets: (stack) => all(stack, "aws_cloudwatch_log_stream").filter((s) => literalName(s.config.name)),
  address: (s) => s.address,
  violations: (s) =>
    /^[^:*]{1,512}$/.test(s.config.name)
      ? []
      : [`log stream name "${s.config.name}" must be 1-512 characters without : or *`],
});

/** Regular expressions in a filter pattern are written between percent signs. */
const regexCount = (pattern: string) => (pattern.match(/%[^%]*%/g) ?? []).length;

function filterPatternProblems(pattern: unknown, where: string): string[] {
  if (typeof pattern !== "string") return [];
  const out: string[] = [];
  if (pattern.length > 1024) out.push(`${where} filter pattern is ${pattern.length} characters, at most 1024`);
  if (regexCount(pattern) > 2)
    out.push(`${where} filter pattern has ${regexCount(pattern)} regular expressions, at most 2`);
  return out;
}

export const subscriptionFilter = defineRule<Res>({
  id: "logs-subscription-filter",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutSubscriptionFilter.html",
  description:
    "filterName is 1-512 characters without ':' or '*'; filterPattern is at most 1,024 characters with at most two " +
    "regular expressions ('a quota of two regular expression patterns within a single filter pattern'); the " +
    "destination is in the log group's Region.",
  needs: "subscription.mode: listed",
  targets: (stack) => all(stack, "aws_cloudwatch_log_subscription_filter"),
  address: (f) => f.address,
  violations: (f, stack) => {
    const out: string[] = [];
    if (literalName(f.config.name) && !/^[^:*]{1,512}$/.test(f.config.name))
      out.push(`filter name "${f.config.name}" must be 1-512 characters without : or *`);
    out.push(...filterPatternProblems(f.config.filter_pattern, "the"));
    const destRegion = arnRegion(applyValue(stack, String(f.config.destination_arn)));
    const region = regionOf(stack, f.config);
    if (destRegion !== undefined && destRegion !== region) {
      out.push(`destination ${f.config.destination_arn} is in ${destRegion}, the log group in ${region}`);
    }
    return out;
  },
});

export const subscriptionFiltersPerLogGroup = defineRule<string>({
  id: "logs-subscription-filters-per-log-group",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutSubscriptionFilter.html",
  description:
    "'Each log group can have up to two subscription filters associated with it' (a quota CloudWatch Logs may have " +
    "raised since; two is the documented value read). Counted over every stack of the account.",
  needs: "subscription.mode: listed",
  scope: "account",
  targets: (stack) => [
    ...new Set(
      all(stack, "aws_cloudwatch_log_subscription_filter").map(
        (f) => `${regionOf(stack, f.config)}:${literal(String(f.config.log_group_name))}`,
      ),
    ),
  ],
  address: (key) => `aws_cloudwatch_log_subscription_filter[${key}]`,
  violations: (key, stack) => {
    const filters = all(stack, "aws_cloudwatch_log_subscription_filter").filter(
      (f) => `${regionOf(stack, f.config)}:${literal(String(f.config.log_group_name))}` === key,
    );
    return filters.length > 2 ? [`${filters.length} subscription filters on one log group, at most 2`] : [];
  },
});

export const destinationName = defineRule<Res>({
  id: "logs-destination-name",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDestination.html",
  description: "destinationName is 1-512 characters without ':' or '*'.",
  needs: "central delivery (the central destinations)",
  targets: (stack) => all(stack, "aws_cloudwatch_log_destination").filter((d) => literalName(d.config.name)),
  address: (d) => d.address,
  violations: (d) =>
    /^[^:*]{1,512}$/.test(d.config.name)
      ? []
      : [`destination name "${d.config.name}" must be 1-512 characters without : or *`],
});

export const destinationPolicySize = defineRule<Res>({
  id: "logs-destination-policy-size",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDestinationPolicy.html",
  description: "A destination's access policy 'can be up to 5120 bytes' (UTF-8 bytes as sent, references resolved).",
  needs: "central delivery",
  targets: (stack) => all(stack, "aws_cloudwatch_log_destination_policy"),
  address: (p) => p.address,
  violations: (p, stack) => {
    const bytes = utf8Bytes(stack, p.config.access_policy);
    return bytes <= 5120 ? [] : [`access policy is ${bytes} bytes, at most 5120`];
  },
});

export const resourcePolicySize = defineRule<Res>({
  id: "logs-resource-policy-size",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/step-functions/latest/dg/bp-cwl.html",
  description:
    "'CloudWatch Logs resource policies are limited to 5120 characters' (characters as sent, references resolved). " +
    "The number is stated on this Step Functions page; the CloudWatch Logs PutResourcePolicy reference read did not state it.",
  needs: "monitoring.heartbeat or sources.guardDuty (the event log groups' policy)",
  targets: (stack) => all(stack, "aws_cloudwatch_log_resource_policy"),
  address: (p) => p.address,
  violations: (p, stack) => {
    const length = characters(stack, p.config.policy_document);
    return length <= 5120 ? [] : [`resource policy is ${length} characters, at most 5120`];
  },
});

export const resourcePoliciesPerRegion = defineRule<string>({
  id: "logs-resource-policies-per-region",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutResourcePolicy.html",
  description:
    "'An account can have up to 10 resource policies per AWS Region.' Counted over every stack of the account; " +
    "policies created outside Terraform also count, so this is a lower bound.",
  needs: "monitoring.heartbeat or sources.guardDuty",
  scope: "account",
  targets: (stack) => [
    ...new Set(all(stack, "aws_cloudwatch_log_resource_policy").map((p) => String(regionOf(stack, p.config)))),
  ],
  address: (region) => `aws_cloudwatch_log_resource_policy[${region}]`,
  violations: (region, stack) => {
    const n = all(stack, "aws_cloudwatch_log_resource_policy").filter(
      (p) => regionOf(stack, p.config) === region,
    ).length;
    return n > 10 ? [`${n} resource policies in ${region}, at most 10`] : [];
  },
});

interface AccountPolicy {
  readonly res: Res;
  readonly document: any;
}

function subscriptionPolicies(stack: TfJson): AccountPolicy[] {
  return all(stack, "aws_cloudwatch_log_account_policy")
    .filter((p) => p.config.policy_type === "SUBSCRIPTION_FILTER_POLICY")
    .map((res) => {
      let document: any;
      try {
        document = JSON.parse(literal(String(res.config.policy_document)));
      } catch {
        document = undefined;
      }
      return { res, document };
    });
}

/** The log group names a `LogGroupName NOT IN [...]` selection criteria excludes; undefined if not of that form. */
export function excludedLogGroups(criteria: unknown): string[] | undefined {
  if (typeof criteria !== "string") return [];
  const m = /^\s*LogGroupName\s+NOT\s+IN\s+(\[.*\])\s*$/s.exec(literal(criteria));
  if (!m) return undefined;
  try {
    const names = JSON.parse(m[1]!);
    return Array.isArray(names) ? names : undefined;
  } catch {
    return undefined;
  }
}

// "SelectionCriteria string can be up to 25KB and cloudwatchlogs determines the length of selectionCriteria by
// using its UTF-8 bytes"; 25KB read as 25,000 bytes, the stricter reading. PolicyDocument: "Maximum length of 30720".
const SELECTION_BYTES = 25_000;
const DOCUMENT_CHARACTERS = 30_720;

export const accountPolicy = defineRule<AccountPolicy>({
  id: "logs-account-subscription-policy",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutAccountPolicy.html",
  description:
    "An account-level subscription filter policy: policyName 1-256 characters without ':' or '*'; scope ALL; the " +
    "only selectionCriteria is `LogGroupName NOT IN [...]`, at most 25 KB in UTF-8 bytes (read as 25,000, the " +
    "stricter reading); the policy document at most 30,720 characters, its FilterPattern at most 1,024 characters " +
    "with at most two regular expressions, its DestinationArn in the policy's Region.",
  needs: "subscription.mode: all",
  targets: subscriptionPolicies,
  address: (p) => p.res.address,
  violations: ({ res, document }, stack) => {
    const c = res.config;
    const out: string[] = [];
    if (literalName(c.policy_name) && !/^[^:*]{1,256}$/.test(c.policy_name))
      out.push(`policy name "${c.policy_name}" must be 1-256 characters without : or *`);
    if (c.scope !== undefined && c.scope !== "ALL") out.push(`scope is ${c.scope}, only ALL is supported`);
    if (c.selection_criteria !== undefined) {
      if (excludedLogGroups(c.selection_criteria) === undefined)
        out.push(`selection criteria "${c.selection_criteria}" is not LogGroupName NOT IN [...]`);
      const bytes = utf8Bytes(stack, c.selection_criteria);
      if (bytes > SELECTION_BYTES) out.push(`selection criteria is ${bytes} bytes, at most ${SELECTION_BYTES}`);
    }
    const length = characters(stack, String(c.policy_document));
    if (length > DOCUMENT_CHARACTERS)
      out.push(`policy document is ${length} characters, at most ${DOCUMENT_CHARACTERS}`);
    if (!document) return [...out, "policy document is not JSON"];
    out.push(...filterPatternProblems(document.FilterPattern, "the policy's"));
    const destRegion = arnRegion(document.DestinationArn);
    if (destRegion !== undefined && destRegion !== regionOf(stack, c)) {
      out.push(`DestinationArn is in ${destRegion}, the policy in ${regionOf(stack, c)}`);
    }
    return out;
  },
});

export const oneSubscriptionPolicyPerRegion = defineRule<string>({
  id: "logs-one-subscription-policy-per-region",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutAccountPolicy.html",
  description:
    "'Each account can have one account-level subscription filter policy per Region.' Counted over every stack of the account.",
  needs: "subscription.mode: all",
  scope: "account",
  targets: (stack) => [...new Set(subscriptionPolicies(stack).map((p) => String(regionOf(stack, p.res.config))))],
  address: (region) => `aws_cloudwatch_log_account_policy[${region}]`,
  violations: (region, stack) => {
    const n = subscriptionPolicies(stack).filter((p) => regionOf(stack, p.res.config) === region).length;
    return n > 1 ? [`${n} subscription filter account policies in ${region}, at most 1`] : [];
  },
});

export interface PipelineLogGroup {
  readonly name: string;
  readonly region: string;
  /** What writes into it (or the log group itself, when the stacks create it and nothing archived on purpose feeds it). */
  readonly writer: Res;
}

/** Name of a log group given by reference or literally; undefined when unknown at plan time. */
function logGroupNameOf(stack: TfJson, value: unknown): { name: string; group?: Res } | undefined {
  const group = refTo(stack, value);
  const name = group ? group.config.name : value;
  return typeof name === "string" && !unresolved(name) ? { name, group } : undefined;
}

/** Every `cloudwatch_logging_options` block anywhere in a delivery stream's configuration. */
function loggingOptions(value: unknown): any[] {
  if (Array.isArray(value)) return value.flatMap(loggingOptions);
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === "cloudwatch_logging_options" ? [first(inner)].filter(Boolean) : loggingOptions(inner),
  );
}

/** The log group an EventBridge target writes to, from its ARN (`arn:aws:logs:<r>:<a>:log-group:<name>`). */
function eventTargetLogGroup(stack: TfJson, target: Res): { name: string; group?: Res } | undefined {
  const arnValue = target.config.arn;
  const group = refTo(stack, arnValue);
  if (group?.type === "aws_cloudwatch_log_group")
    return logGroupNameOf(stack, `\${aws_cloudwatch_log_group.${group.name}.name}`);
  const arn = typeof arnValue === "string" ? applyValue(stack, arnValue) : undefined;
  const match = arn === undefined ? null : /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:*]+)/.exec(arn);
  return match ? { name: match[1]! } : undefined;
}

/**
 * Whether an EventBridge rule's events come from outside the pipeline, so that
 * its log group is archived on purpose (the heartbeat's schedule, GuardDuty's
 * findings): only rules on S3's events (the archive's objects) are fed by the
 * pipeline's own deliveries.
 */
function ruleFedFromOutside(stack: TfJson, target: Res): boolean {
  const rule =
    refTo(stack, target.config.rule) ??
    all(stack, "aws_cloudwatch_event_rule").find((r) => r.config.name === target.config.rule);
  if (!rule) return false;
  if (rule.config.schedule_expression !== undefined) return true;
  const pattern = typeof rule.config.event_pattern === "string" ? JSON.parse(rule.config.event_pattern) : undefined;
  const sources: unknown[] = Array.isArray(pattern?.source) ? pattern.source : [];
  return sources.length > 0 && !sources.includes("aws.s3");
}

/**
 * Every log group the stacks make the pipeline write to, derived from what
 * they create: delivery streams' error logging (any destination), Lambda
 * functions' log groups (their own or the default `/aws/lambda/<name>`),
 * EventBridge targets whose rule follows the archive's S3 events, and every
 * other log group the stacks create, except those fed by a rule from outside
 * the pipeline (the heartbeat, GuardDuty findings), which are archived on
 * purpose.
 */
export function pipelineLogGroups(stack: TfJson): PipelineLogGroup[] {
  const found = new Map<string, PipelineLogGroup>();
  const add = (name: string, region: string | undefined, writer: Res) => {
    const key = `${region}\u0000${name}`;
    if (!found.has(key)) found.set(key, { name, region: String(region), writer });
  };
  const fedFromOutside = new Set<string>();
  for (const target of all(stack, "aws_cloudwatch_event_target")) {
    const group = eventTargetLogGroup(stack, target);
    if (!group) continue;
    const region = regionOf(stack, group.group?.config ?? target.config);
    if (ruleFedFromOutside(stack, target)) fedFromOutside.add(`${region}\u0000${group.name}`);
    else add(group.name, region, target);
  }
  for (const stream of all(stack, "aws_kinesis_firehose_delivery_stream")) {
    for (const options of loggingOptions(stream.config)) {
      if (options.enabled === false || options.log_group_name === undefined) continue;
      const group = logGroupNameOf(stack, options.log_group_name);
      if (group) add(group.name, regionOf(stack, group.group?.config ?? stream.config), stream);
    }
  }
  for (const fn of all(stack, "aws_lambda_function")) {
    const own = first(fn.config.logging_config)?.log_group;
    const group = own !== undefined ? logGroupNameOf(stack, own) : undefined;
    const name =
      group?.name ?? (literalName(fn.config.function_name) ? `/aws/lambda/${fn.config.function_name}` : undefined);
    if (name !== undefined) add(name, regionOf(stack, fn.config), fn);
  }
  for (const group of all(stack, "aws_cloudwatch_log_group")) {
    if (!literalName(group.config.name)) continue;
    const region = regionOf(stack, group.config);
    if (!fedFromOutside.has(`${region}\u0000${group.config.name}`)) add(group.config.name, region, group);
  }
  return [...found.values()];
}

export const pipelineNotSubscribed = defineRule<PipelineLogGroup>({
  id: "logs-pipeline-log-groups-not-subscribed",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Subscriptions-recursion-prevention.html",
  description:
    "A log group the pipeline writes to (delivery streams' error logging, Lambda functions, EventBridge rules on the " +
    "archive's events, any other log group the stacks create but the heartbeat's and GuardDuty's) must never be subscribed: no " +
    "subscription filter on it, and every account-level subscription policy of its account and Region excludes it " +
    "in its selection criteria, or errors feed the pipeline that produces them, a loop AWS warns bills for " +
    "ingestion, Firehose and S3. Checked over every stack of the account (the log-archive account can be a source too).",
  needs: "any source stack (delivery streams log their errors)",
  scope: "account",
  targets: pipelineLogGroups,
  address: (g) => `aws_cloudwatch_log_group[${g.region}:${g.name}]`,
  violations: (g, stack) => {
    const out: string[] = [];
    for (const f of all(stack, "aws_cloudwatch_log_subscription_filter")) {
      const target = refTo(stack, f.config.log_group_name);
      const name = target ? target.config.name : f.config.log_group_name;
      if (name === g.name && regionOf(stack, f.config) === g.region)
        out.push(`subscribed by ${f.address}; ${g.writer.address} writes to it`);
    }
    for (const p of subscriptionPolicies(stack)) {
      if (regionOf(stack, p.res.config) !== g.region) continue;
      const excluded = excludedLogGroups(p.res.config.selection_criteria) ?? [];
      if (!excluded.includes(g.name))
        out.push(
          `not excluded by ${p.res.address} (selection criteria ${JSON.stringify(p.res.config.selection_criteria ?? "none")}); ${g.writer.address} writes to it`,
        );
    }
    return out;
  },
});

export const rules: readonly Rule[] = [
  logGroupName,
  logGroupNamesUnique,
  retention,
  logStreamName,
  subscriptionFilter,
  subscriptionFiltersPerLogGroup,
  destinationName,
  destinationPolicySize,
  resourcePolicySize,
  resourcePoliciesPerRegion,
  accountPolicy,
  oneSubscriptionPolicyPerRegion,
  pipelineNotSubscribed,
];
