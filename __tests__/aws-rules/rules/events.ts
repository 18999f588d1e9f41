/**
 * Amazon EventBridge rules and targets: names, ids, schedule expressions, and
 * what a CloudWatch Logs target needs for EventBridge to write into it.
 */
import type { TfJson } from "../../helpers/synth";
import { actionMatches, arnMatches, list, principals, statementsOf, type Statement } from "../lib/policy";
import { defineRule, type Rule } from "../lib/rule";
import {
  all,
  applyValue,
  arnOf,
  first,
  literal,
  partitionOfRegion,
  refTo,
  regionOf,
  stackAccount,
  unresolved,
  type Res,
} from "../lib/tf";
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
        groupArn: `arn:${partitionOfRegion(region)}:logs:${region}:${account}:log-group:${groupName}`,
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

/**
 * EventBridge's default quota on the size of an event pattern.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
 */
const EVENT_PATTERN_MAX_CHARACTERS = 2048;

export const eventPatternSize = defineRule<Res>({
  id: "events-event-pattern-size",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html",
  description:
    "'Event pattern size: 2,048 — maximum size of an event pattern, in characters' (adjustable by a quota " +
    "increase, which this app does not assume), counted once Terraform has resolved the pattern's references " +
    "(a KMS key id counts its longest form, 36 characters).",
  needs: "monitoring.tamper (on with the alarms by default), the delivery watch or sources.guardDuty",
  targets: (stack) => all(stack, "aws_cloudwatch_event_rule").filter((r) => typeof r.config.event_pattern === "string"),
  address: (r) => r.address,
  violations: (r, stack) => {
    const length = applyValue(stack, r.config.event_pattern).length;
    return length > EVENT_PATTERN_MAX_CHARACTERS
      ? [`event pattern of ${length} characters, over the ${EVENT_PATTERN_MAX_CHARACTERS} EventBridge accepts`]
      : [];
  },
});

const EVENT_BUS_ARN = /^arn:[\w-]+:events:([\w-]+):(\d{12}):event-bus\/([\w.\-/]+)$/;

/** A rule's ARN: `rule/<name>` on the default bus, `rule/<bus>/<name>` on a custom one. */
function ruleArn(stack: TfJson, rule: Res): string | undefined {
  const bus =
    typeof rule.config.event_bus_name === "string" ? applyValue(stack, rule.config.event_bus_name) : "default";
  const account = stackAccount(stack);
  if (!account || typeof rule.config.name !== "string" || unresolved(rule.config.name)) return undefined;
  const region = regionOf(stack, rule.config);
  return `arn:${partitionOfRegion(region)}:events:${region}:${account}:rule/${bus === "default" ? "" : `${bus}/`}${rule.config.name}`;
}

/** Whether a statement's conditions on aws:SourceArn and aws:SourceAccount (the only keys judged) admit a rule. */
function admitsRule(s: Statement, account: string, rule: string | undefined): boolean {
  return Object.entries(s.Condition ?? {}).every(([operator, byKey]) => {
    const base = operator.replace(/IfExists$/, "");
    return Object.entries(byKey).every(([key, value]) => {
      const values = list(value);
      if (key.toLowerCase() === "aws:sourcearn" && rule !== undefined) {
        if (["ArnEquals", "ArnLike", "StringLike"].includes(base)) return values.some((v) => arnMatches(v, rule));
        if (base === "StringEquals") return values.includes(rule);
      }
      if (key.toLowerCase() === "aws:sourceaccount" && ["StringEquals", "StringLike"].includes(base)) {
        return values.some((v) => arnMatches(v, account));
      }
      return true;
    });
  });
}

/** Whether a policy document lets `principal` do `action` on `resource` (undefined: a trust policy, which names none). */
function allowsService(
  policy: unknown,
  principal: string,
  action: string,
  resource: string | undefined,
  admits: (s: Statement) => boolean,
): boolean {
  return (statementsOf(policy) ?? []).some(
    (s) =>
      s.Effect === "Allow" &&
      principals(s).some((p) => p === "*" || p === `Service:${principal}`) &&
      list(s.Action).some((a) => actionMatches(a, action)) &&
      (resource === undefined || list(s.Resource).some((r) => arnMatches(r, resource))) &&
      admits(s),
  );
}

interface BusTarget {
  readonly target: Res;
  readonly busArn: string;
  readonly rule?: Res;
}

export const busTargetRole = defineRule<BusTarget>({
  id: "events-bus-target-role",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html",
  description:
    "A rule that sends to an event bus of another account admitting an organization must have 'an IAM role with " +
    "policies that enable it to send events to the receiver account' (RoleArn in PutTargets), as must a rule " +
    "sending to another Region or bus (eb-cross-region, eb-bus-to-bus): the target sets role_arn, the role is " +
    "created in the rule's account, events.amazonaws.com may assume it (aws:SourceArn and aws:SourceAccount " +
    "conditions, if any, admitting the rule) and one of its policies allows events:PutEvents on the bus. " +
    "Otherwise PutTargets succeeds and every event is dropped.",
  needs: "monitoring.tamper (on with the alarms by default)",
  scope: "account",
  targets: (stack) =>
    all(stack, "aws_cloudwatch_event_target").flatMap((target) => {
      if (typeof target.config.arn !== "string") return [];
      const busArn = applyValue(stack, target.config.arn);
      return EVENT_BUS_ARN.test(busArn) ? [{ target, busArn, rule: ruleOfTarget(stack, target) }] : [];
    }),
  address: (t) => t.target.address,
  violations: (t, stack) => {
    if (t.target.config.role_arn === undefined) return [`a target on the event bus ${t.busArn} must set role_arn`];
    const role = refTo(stack, t.target.config.role_arn);
    if (role?.type !== "aws_iam_role")
      return [`role_arn must name a role created with the rule's account, got ${t.target.config.role_arn}`];
    const out: string[] = [];
    const account = stackAccount(stack)!;
    const arn = t.rule ? ruleArn(stack, t.rule) : undefined;
    if (
      !allowsService(role.config.assume_role_policy, "events.amazonaws.com", "sts:AssumeRole", undefined, (s) =>
        admitsRule(s, account, arn),
      )
    ) {
      out.push(`events.amazonaws.com may not assume ${role.address}${arn ? ` for ${arn}` : ""}`);
    }
    const policies = all(stack, "aws_iam_role_policy").filter(
      (p) =>
        p.config.role === `\${aws_iam_role.${role.name}.name}` || p.config.role === `\${aws_iam_role.${role.name}.id}`,
    );
    const puts = policies.some((p) =>
      (statementsOf(applyValue(stack, p.config.policy)) ?? []).some(
        (s) =>
          s.Effect === "Allow" &&
          list(s.Action).some((a) => actionMatches(a, "events:PutEvents")) &&
          list(s.Resource).some((r) => arnMatches(r, t.busArn)),
      ),
    );
    if (!puts) out.push(`no policy of ${role.address} allows events:PutEvents on ${t.busArn}`);
    return out;
  },
});

/** A target whose permission is the target's own resource policy. */
const RESOURCE_POLICY_TARGET = /^arn:[\w-]+:(sns|sqs|lambda|logs):/;

export const resourcePolicyTargetNoRole = defineRule<Res>({
  id: "events-resource-policy-target-no-role",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html",
  description:
    "'For targets that use resource-based policies (Lambda, Amazon SNS, Amazon SQS, and Amazon CloudWatch Logs), do " +
    "not specify a RoleArn in the target configuration. When you specify a RoleArn for these target types, event " +
    "delivery may fail, particularly for Amazon SQS and Amazon SNS targets with AWS KMS encryption enabled.'",
  needs: "monitoring.tamper, monitoring.heartbeat.enabled or sources.guardDuty",
  targets: (stack) =>
    all(stack, "aws_cloudwatch_event_target").filter(
      (t) => typeof t.config.arn === "string" && RESOURCE_POLICY_TARGET.test(applyValue(stack, t.config.arn)),
    ),
  address: (t) => t.address,
  violations: (t, stack) =>
    t.config.role_arn === undefined
      ? []
      : [`a ${applyValue(stack, t.config.arn).split(":")[2]} target must not set role_arn`],
});

interface TopicTarget {
  readonly target: Res;
  readonly topicArn: string;
  readonly rule?: Res;
}

export const snsTargetPermissions = defineRule<TopicTarget>({
  id: "events-sns-target-permissions",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services",
  description:
    "An SNS topic target needs the topic's policy to let events.amazonaws.com sns:Publish on it " +
    "(eb-use-resource-based), and, when the topic is encrypted with a customer managed key, the key's policy to " +
    "let events.amazonaws.com kms:GenerateDataKey* and kms:Decrypt; aws:SourceArn and aws:SourceAccount " +
    "conditions, if any, must admit the rule (other condition keys are not judged). The topic and its key are " +
    "looked up in the rule's account; otherwise every event fails to deliver.",
  needs: "monitoring.tamper (on with the alarms by default)",
  scope: "account",
  targets: (stack) =>
    all(stack, "aws_cloudwatch_event_target").flatMap((target) => {
      if (typeof target.config.arn !== "string") return [];
      const topicArn = applyValue(stack, target.config.arn);
      return /^arn:aws(-us-gov|-cn)?:sns:/.test(topicArn)
        ? [{ target, topicArn, rule: ruleOfTarget(stack, target) }]
        : [];
    }),
  address: (t) => t.target.address,
  violations: (t, stack) => {
    const topic = all(stack, "aws_sns_topic").find((r) => arnOf(stack, r) === t.topicArn);
    if (!topic) return [`no aws_sns_topic ${t.topicArn} in the rule's account`];
    const account = stackAccount(stack)!;
    const arn = t.rule ? ruleArn(stack, t.rule) : undefined;
    const admits = (s: Statement) => admitsRule(s, account, arn);
    const out: string[] = [];
    const published = all(stack, "aws_sns_topic_policy")
      .filter((p) => applyValue(stack, p.config.arn) === t.topicArn)
      .some((p) =>
        allowsService(applyValue(stack, p.config.policy), "events.amazonaws.com", "sns:Publish", t.topicArn, admits),
      );
    if (!published)
      out.push(`no policy of ${t.topicArn} lets events.amazonaws.com sns:Publish${arn ? ` for ${arn}` : ""}`);
    const key = topic.config.kms_master_key_id === undefined ? undefined : refTo(stack, topic.config.kms_master_key_id);
    if (key?.type === "aws_kms_key") {
      const policy = applyValue(stack, key.config.policy);
      for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
        if (!allowsService(policy, "events.amazonaws.com", action, "*", admits)) {
          out.push(`the key of ${t.topicArn} does not let events.amazonaws.com ${action}${arn ? ` for ${arn}` : ""}`);
        }
      }
    }
    return out;
  },
});

/**
 * Names EventBridge reserves in an input template.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 */
const RESERVED_VARIABLES = [
  "aws.events.rule-arn",
  "aws.events.rule-name",
  "aws.events.event",
  "aws.events.event.ingestion-time",
  "aws.events.event.json",
];

export const inputTransformer = defineRule<Res>({
  id: "events-input-transformer",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html",
  description:
    "'You can define up to 100 variables'; the predefined variables (aws.events.*) 'are reserved, and you can't " +
    "create variables with these names'; a variable of the template that is neither defined nor reserved is " +
    "sent as written (not checked by the API). Input paths are JSON paths from `$`.",
  needs: "monitoring.tamper (on with the alarms by default)",
  targets: (stack) => all(stack, "aws_cloudwatch_event_target").filter((t) => first(t.config.input_transformer)),
  address: (t) => t.address,
  violations: (t) => {
    const transformer = first(t.config.input_transformer);
    const paths: Record<string, string> = transformer.input_paths ?? {};
    const out: string[] = [];
    if (Object.keys(paths).length > 100) out.push(`${Object.keys(paths).length} input paths, over the 100 allowed`);
    for (const [name, path] of Object.entries(paths)) {
      if (RESERVED_VARIABLES.includes(name)) out.push(`input path variable ${name} is reserved`);
      if (typeof path !== "string" || !path.startsWith("$")) out.push(`input path ${name} is not a JSON path: ${path}`);
    }
    for (const [, variable] of String(transformer.input_template ?? "").matchAll(/<([^<>\s]+)>/g)) {
      if (!(variable! in paths) && !RESERVED_VARIABLES.includes(variable!)) {
        out.push(`the template uses <${variable}>, which no input path defines`);
      }
    }
    return out;
  },
});

export const rules: readonly Rule[] = [
  ruleName,
  ruleNamesUnique,
  targetId,
  scheduleExpression,
  logGroupTarget,
  eventPatternSize,
  busTargetRole,
  resourcePolicyTargetNoRole,
  snsTargetPermissions,
  inputTransformer,
];
