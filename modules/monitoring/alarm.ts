/** One CloudWatch alarm that notifies a topic when it fires and when it recovers. */
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { Construct } from "constructs";

export interface AlarmSpec {
  /** Construct id, a short noun. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly statistic: "Average" | "Maximum" | "Minimum" | "Sum";
  readonly comparison: "GreaterThanThreshold" | "LessThanThreshold";
  readonly threshold: number;
  /** Seconds per datapoint. @default 300 */
  readonly period?: number;
  readonly evaluationPeriods: number;
  /** How missing datapoints count: silence is breaching, a quiet success metric is not. */
  readonly treatMissingData: "breaching" | "notBreaching";
  /** Region of the alarm (that of its metric). @default - the stack's Region */
  readonly region?: string;
}

export function addAlarm(scope: Construct, spec: AlarmSpec, topicArn: string): CloudwatchMetricAlarm {
  return new CloudwatchMetricAlarm(scope, spec.id, {
    region: spec.region,
    alarmName: spec.name,
    alarmDescription: spec.description,
    namespace: spec.namespace,
    metricName: spec.metricName,
    dimensions: spec.dimensions,
    statistic: spec.statistic,
    comparisonOperator: spec.comparison,
    threshold: spec.threshold,
    period: spec.period ?? 300,
    evaluationPeriods: spec.evaluationPeriods,
    datapointsToAlarm: spec.evaluationPeriods,
    treatMissingData: spec.treatMissingData,
    alarmActions: [topicArn],
    okActions: [topicArn],
  });
}
