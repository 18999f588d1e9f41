/**
 * The end-to-end heartbeat of one source account and Region: a scheduled
 * EventBridge rule writes its event into a dedicated log group, which the
 * pipeline subscribes like any other. A heartbeat in the archive proves that
 * the subscription, both roles, the stream and the bucket all work; its
 * absence raises the silence alarm.
 */
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogResourcePolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-resource-policy";
import { Construct } from "constructs";
import { policyDocument, toPolicyJson } from "../policy/document";
import { heartbeatLogPolicy, type SourceContext } from "../policy/source-policies";
import type { Registry } from "../registry/parse";

export interface HeartbeatProps {
  readonly context: SourceContext;
  readonly settings: Registry["monitoring"]["heartbeat"];
  /** Key of the log group. @default - CloudWatch Logs' own encryption */
  readonly kmsKeyArn?: string;
}

/** EventBridge rate expression: "rate(1 minute)", "rate(5 minutes)". */
export function rateExpression(minutes: number): string {
  return `rate(${minutes} minute${minutes === 1 ? "" : "s"})`;
}

export class Heartbeat extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: HeartbeatProps) {
    super(scope, id);
    const { names } = props.context;
    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: names.heartbeatLogGroup,
      retentionInDays: props.settings.retentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    const policy = new CloudwatchLogResourcePolicy(this, "LogPolicy", {
      policyName: names.heartbeatPolicy,
      policyDocument: toPolicyJson(policyDocument(heartbeatLogPolicy(props.context))),
    });
    this.rule = new CloudwatchEventRule(this, "Rule", {
      name: names.heartbeatRule,
      description: "Heartbeat of the CloudWatch Logs archive pipeline",
      scheduleExpression: rateExpression(props.settings.intervalMinutes),
    });
    new CloudwatchEventTarget(this, "Target", {
      rule: this.rule.name,
      targetId: "heartbeat-log-group",
      arn: names.heartbeatLogGroupArn,
      dependsOn: [policy, this.logGroup],
    });
  }
}
