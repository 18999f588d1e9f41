/**
 * Amazon EventBridge rules and targets: names, ids, schedule expressions.
 */
import { defineRule, type Rule } from "../lib/rule";
import { all, unresolved, type Res } from "../lib/tf";
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

export const rules: readonly Rule[] = [ruleName, ruleNamesUnique, targetId, scheduleExpression];
