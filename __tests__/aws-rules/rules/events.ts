/**
 * Amazon EventBridge rules and targets: names, ids, schedule expressions, and
 * what a CloudWatch Logs target needs for EventBridge to write into it.
 */
import type { TfJson } from "../../helpers/synth";
import { actionMatches, arnMatches, list, principals, statementsOf, type Statement } from "../lib/policy";
import { defineRule, type Rule } from "../lib/rule";
import { all, applyValue, arnOf, literal, refTo, regionOf, unresolved, type Res } from "../lib/tf";
import { uniqueNameRule } from "../lib/unique";

const SERVICE = "events";
const ID = /^[.\-_A-Za-z0-9]{1,64}$/;

export const ruleName = defineRule<Res>({
  id: "events-rule-name",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html",
  description:
    "Rule names are 1-64 characters of [.-_A-Za-z0-9] (API model length constraint and pattern, not re-read from the " +
    "page in this review).",
  needs: "monitoring.heartbeat.enabled or sources.guardDuty",
  targets: (stack) =>
    all(stack, "aws_cloudwatch_event_rule").filter(
      (r) => typeof r.config.name === "string" && !unresolved(r.config.name),
    ),
  address: (r) => r.address,
  violations: (r) => (ID.test(r.config.name) ? [] : [`rule name "${r.config.name}" must be 1-64 of [.-_A-Za-z0-9]`]),
});

export const ruleNamesUnique = uniqueNameRule({
  id: "events-rule-name-unique",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html",
  description:
    "PutRule 'creates or updates' a rule: two rules of one name on the default bus of an account and Region are one rule.",
  needs: "monitoring.heartbeat.enabled or sources.guardDuty",
  type: "aws_cloudwatch_event_rule",
  nameOf: (c) => (c.event_bus_name && c.event_bus_name !== "default" ? `${c.event_bus_name}/${c.name}` : c.name),
  perRegion: true,
});

export const targetId = defineRule<Res>({
  id: "events-target-id",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html",
  description: "A target Id is 1-64 characters of [.-_A-Za-z0-9] (API model, not re-read in this review).",
  needs: "monitoring.heartbeat.enabled or sources.guardDuty",
  targets: (stack) => all(stack, "aws_cloudwatch_event_target").filter((t) => typeof t.config.target_id === "string"),
  address: (t) => t.address,
  violations: (t) =>
    ID.test(t.config.target_id) ? [] : [`target_id "${t.config.target_id}" must be 1-64 of [.-_A-Za-z0-9]`],
});

export const scheduleExpression = defineRule<Res>({
  id: "events-schedule-rate-expression",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html",
  description:
    "rate(value unit): value a positive number; 'If the value is equal to 1, then the unit must be singular. If the " +
    "value is greater than 1, the unit must be plural' (rate(1 minutes) and rate(5 minute) are invalid).",
  needs: "monitoring.heartbeat.enabled",
  targets: (stack) =>
    all(stack, "aws_cloudwatch_event_rule").filter(
      (r) => typeof r.config.schedule_expression === "string" && r.config.schedule_expression.startsWith("rate("),
    ),
  address: (r) => r.address,
  violations: (r) => {
    const expr: string = r.config.schedule_expression;
    const m = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expr);
    if (!m) return [`"${expr}" is not rate(<positive integer> <minute|minutes|hour|hours|day|days>)`];
    const value = Number(m[1]);
    const plural = m[2]!.endsWith("s");
    if (value < 1) return [`"${expr}": the value must be positive`];
    return value === 1 && plural
      ? [`"${expr}": a value of 1 takes the singular unit`]
      : value > 1 && !plural
        ? [`"${expr}": a value above 1 takes the plural unit`]
        : [];
  },
});

/** The rule an EventBridge target belongs to (by reference, or by name on its bus). */
export function ruleOfTarget(stack: TfJson, target: Res): Res | undefined {
  const byRef = refTo(stack, target.config.rule);
  if (byRef) return byRef.type === "aws_cloudwatch_event_rule" ? byRef : undefined;
  const bus = target.config.event_bus_name ?? "default";
  return all(stack, "aws_cloudwatch_event_rule").find(
    (r) => r.config.name === target.config.rule && (r.config.event_bus_name ?? "default") === bus,
  );
}

interface LogGroupTarget {
  readonly target: Res;
  readonly region: string;
  readonly account: string;
  readonly groupName: string;
  readonly groupArn: string;
  readonly ruleArn: string | undefined;
}

const LOG_GROUP_ARN = /^arn:[\w-]+:logs:([\w-]+):(\d{12}):log-group:([^:*]+)(?::\*)?$/;

function logGroupTargets(stack: TfJson): LogGroupTarget[] {
  return all(stack, "aws_cloudwatch_event_target").flatMap((target) => {
    if (typeof target.config.arn !== "string") return [];
    const m = LOG_GROUP_ARN.exec(applyValue(stack, target.config.arn));
    if (!m) return [];
    const [, region, account, groupName] = m as unknown as [string, string, string, string];
    const rule = ruleOfTarget(stack, target);
    return [
      {
        target,
        region,
        account,
        groupName,
        groupArn: `arn:aws:logs:${region}:${account}:log-group:${groupName}`,
        ruleArn: rule ? arnOf(stack, rule) : undefined,
      },
    ];
  });
}

/** Whether a statement's aws:SourceArn and aws:SourceAccount conditions (the only keys judged) admit the rule. */
function conditionsAdmit(s: Statement, t: LogGroupTarget): boolean {
  return Object.entries(s.Condition ?? {}).every(([operator, byKey]) => {
    const base = operator.replace(/IfExists$/, "");
    return Object.entries(byKey).every(([key, value]) => {
      const values = list(value);
      if (key.toLowerCase() === "aws:sourcearn" && t.ruleArn !== undefined) {
        if (["ArnEquals", "ArnLike", "StringLike"].includes(base)) return values.some((v) => arnMatches(v, t.ruleArn!));
        if (base === "StringEquals") return values.includes(t.ruleArn);
      }
      if (key.toLowerCase() === "aws:sourceaccount" && ["StringEquals", "StringLike"].includes(base))
        return values.some((v) => arnMatches(v, t.account));
      return true;
    });
  });
}

/** Whether some resource policy of the Region allows EventBridge the action on the group's log streams. */
function allows(stack: TfJson, t: LogGroupTarget, action: string): boolean {
  const stream = `${t.groupArn}:log-stream:events`;
  return all(stack, "aws_cloudwatch_log_resource_policy")
    .filter((p) => regionOf(stack, p.config) === t.region)
    .some((p) =>
      (statementsOf(p.config.policy_document) ?? []).some(
        (s) =>
          s.Effect === "Allow" &&
          principals(s).some((x) => x === "*" || x === "Service:events.amazonaws.com") &&
          list(s.Action).some((a) => actionMatches(a, action)) &&
          list(s.Resource).some((r) => arnMatches(applyValue(stack, r), stream)) &&
          conditionsAdmit(s, t),
      ),
    );
}

export const logGroupTarget = defineRule<LogGroupTarget>({
  id: "events-log-group-target",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html",
  description:
    "'For Amazon CloudWatch Logs resources, EventBridge uses resource-based policies': a CloudWatch Logs target " +
    "needs a log group resource policy in its Region letting events.amazonaws.com call logs:CreateLogStream and " +
    "logs:PutLogEvents on the group's streams (aws:SourceArn and aws:SourceAccount conditions, if any, admitting " +
    "the rule; other condition keys are not judged), the log group itself (created by a stack of the account), " +
    "and no RoleArn ('For Amazon CloudWatch Logs targets, do not specify a RoleArn'). Otherwise PutTargets " +
    "succeeds and every event is dropped. The /aws/events/ prefix is a console convention (only such groups are " +
    "listed there), not an API requirement, so it is not checked.",
  needs: "monitoring.heartbeat.enabled, sources.guardDuty or the delivery watch",
  scope: "account",
  targets: logGroupTargets,
  address: (t) => t.target.address,
  violations: (t, stack) => {
    const out: string[] = [];
    if (t.target.config.role_arn !== undefined) out.push("a CloudWatch Logs target must not set role_arn");
    const exists = all(stack, "aws_cloudwatch_log_group").some(
      (g) =>
        typeof g.config.name === "string" &&
        literal(g.config.name) === t.groupName &&
        regionOf(stack, g.config) === t.region,
    );
    if (!exists) out.push(`no aws_cloudwatch_log_group ${t.groupName} in ${t.region}`);
    for (const action of ["logs:CreateLogStream", "logs:PutLogEvents"]) {
      if (!allows(stack, t, action))
        out.push(
          `no log resource policy in ${t.region} lets events.amazonaws.com ${action} on ${t.groupName}` +
            (t.ruleArn ? ` for ${t.ruleArn}` : ""),
        );
    }
    return out;
  },
});

export const rules: readonly Rule[] = [ruleName, ruleNamesUnique, targetId, scheduleExpression, logGroupTarget];
