/**
 * An EventBridge rule writing into a log group of the pipeline's own, which
 * the pipeline then subscribes like any other: the heartbeat (a schedule) and
 * GuardDuty findings (an event pattern). The write permission lives in one
 * account-level resource policy (see EventLogPolicy).
 */
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogResourcePolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-resource-policy";
import { Token, type ITerraformDependable } from "cdktf";
import { logRetentionProblem } from "./validation";
import { Construct } from "constructs";
import { policyDocument, toPolicyJson } from "../policy/document";
import { eventLogPolicy, type EventLogTarget } from "../policy/source-policies";

/** The retention periods CloudWatch Logs accepts, in days. */
export { LOG_RETENTION_DAYS as CLOUDWATCH_LOGS_RETENTION_DAYS } from "../options/values";

/**
 * EventBridge schedule expressions: `rate(value unit)` with a positive value
 * and a unit singular for 1 and plural otherwise, or `cron(...)` of six fields.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 */
function scheduleExpressionProblem(expression: string): string | undefined {
  if (Token.isUnresolved(expression)) return undefined;
  const rate = /^rate\((\d+) (minute|hour|day)(s?)\)$/.exec(expression);
  const valid = rate
    ? Number(rate[1]) > 0 && (Number(rate[1]) === 1) === (rate[3] === "")
    : /^cron\(\S+( \S+){5}\)$/.test(expression);
  if (valid) return undefined;
  return `scheduleExpression: expected rate(<value> <unit>) with a positive whole value and a unit of minute(s), hour(s) or day(s), singular for 1 and plural otherwise, or cron(<six fields>), got ${JSON.stringify(expression)}`;
}

export interface EventLogProps {
  readonly logGroupName: string;
  readonly logGroupArn: string;
  readonly retentionDays: number;
  readonly kmsKeyArn?: string;
  readonly ruleName: string;
  readonly description: string;
  /** EventBridge schedule, e.g. rate(5 minutes). Exactly one of schedule and eventPattern. */
  readonly scheduleExpression?: string;
  readonly eventPattern?: Record<string, unknown>;
  /** The resource policy that lets the rule write; the target waits for it. */
  readonly policy: ITerraformDependable;
}

/** EventBridge rate expression: "rate(1 minute)", "rate(5 minutes)". */
export function rateExpression(minutes: number): string {
  return `rate(${minutes} minute${minutes === 1 ? "" : "s"})`;
}

export class EventLog extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: EventLogProps) {
    super(scope, id);
    const problems: string[] = [];
    const scheduled = props.scheduleExpression !== undefined;
    if (scheduled === (props.eventPattern !== undefined)) {
      problems.push(
        `expected exactly one of scheduleExpression and eventPattern, got ${scheduled ? "both" : "neither"}`,
      );
    }
    const schedule =
      props.scheduleExpression === undefined ? undefined : scheduleExpressionProblem(props.scheduleExpression);
    const retention = logRetentionProblem("retentionDays", props.retentionDays);
    problems.push(...[schedule, retention].filter((p) => p !== undefined));
    if (problems.length > 0) throw new Error(problems.map((p) => `EventLog ${this.node.path}: ${p}`).join("\n"));
    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: props.logGroupName,
      retentionInDays: props.retentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    this.rule = new CloudwatchEventRule(this, "Rule", {
      name: props.ruleName,
      description: props.description,
      scheduleExpression: props.scheduleExpression,
      eventPattern: props.eventPattern ? JSON.stringify(props.eventPattern) : undefined,
    });
    new CloudwatchEventTarget(this, "Target", {
      rule: this.rule.name,
      targetId: "pipeline-log-group",
      arn: props.logGroupArn,
      dependsOn: [props.policy, this.logGroup],
    });
  }
}

/**
 * CloudWatch Logs resource policies are limited to 5120 characters.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/bp-cwl.html
 */
const RESOURCE_POLICY_MAX_CHARACTERS = 5120;

export class EventLogPolicy extends Construct {
  readonly resource: CloudwatchLogResourcePolicy;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly policyName: string; readonly accountId: string; readonly targets: readonly EventLogTarget[] },
  ) {
    super(scope, id);
    const problems: string[] = [];
    const document = toPolicyJson(policyDocument(eventLogPolicy({ accountId: props.accountId }, props.targets)));
    if (props.targets.length === 0) {
      problems.push("targets: expected at least one rule and log group, got none (a policy needs a statement)");
    }
    if (!Token.isUnresolved(document) && document.length > RESOURCE_POLICY_MAX_CHARACTERS) {
      problems.push(
        `targets: expected a policy of at most ${RESOURCE_POLICY_MAX_CHARACTERS} characters, got ${document.length} for ${props.targets.length} targets`,
      );
    }
    if (problems.length > 0) throw new Error(problems.map((p) => `EventLogPolicy ${this.node.path}: ${p}`).join("\n"));
    this.resource = new CloudwatchLogResourcePolicy(this, "Policy", {
      policyName: props.policyName,
      policyDocument: toPolicyJson(policyDocument(eventLogPolicy({ accountId: props.accountId }, props.targets))),
    });
  }
}
