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
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { policyDocument, toPolicyJson } from "../policy/document";
import { eventLogPolicy, type EventLogTarget } from "../policy/source-policies";

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

export class EventLogPolicy extends Construct {
  readonly resource: CloudwatchLogResourcePolicy;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly policyName: string; readonly accountId: string; readonly targets: readonly EventLogTarget[] },
  ) {
    super(scope, id);
    this.resource = new CloudwatchLogResourcePolicy(this, "Policy", {
      policyName: props.policyName,
      policyDocument: toPolicyJson(policyDocument(eventLogPolicy({ accountId: props.accountId }, props.targets))),
    });
  }
}
