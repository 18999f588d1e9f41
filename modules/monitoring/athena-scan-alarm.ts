/**
 * A workgroup-wide cost alarm: the bytes a workgroup's queries scanned in a
 * day, above a threshold. The per-query cutoff cancels one runaway query;
 * this catches many reasonable ones (a loop of queries, a dashboard refreshing
 * a hunt) that add up.
 *
 * Athena publishes `ProcessedBytes` (namespace `AWS/Athena`, the bytes a DML
 * query scanned) only for workgroups with `publish_cloudwatch_metrics_enabled`,
 * with the dimensions `QueryState`, `QueryType` and `WorkGroup`. An alarm reads
 * one exact dimension set, so the alarm sums the three final states of DML
 * queries of the workgroup (a cancelled query is billed for what it scanned);
 * `FILL(m, 0)` lets a day with only successful queries still count.
 * @see https://docs.aws.amazon.com/athena/latest/ug/query-metrics-viewing.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Dimension ("you must specify the same dimensions that were used when the metrics were created")
 */
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { Construct } from "constructs";

/** The final states of a query, as the `QueryState` dimension spells them. */
export const FINAL_QUERY_STATES = ["SUCCEEDED", "FAILED", "CANCELLED"] as const;

/**
 * One day, one period: the alarm reads each day's sum once (period × evaluation
 * periods may reach 604,800 s for periods of an hour or more).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
const DAY_SECONDS = 86_400;

export interface AthenaScanAlarmProps {
  /** Construct id, a short noun. */
  readonly id: string;
  readonly alarmName: string;
  readonly workgroup: string;
  /** Alarm above this many GiB scanned in a day. */
  readonly dailyGiB: number;
  readonly topicArn: string;
}

export function athenaScanAlarm(scope: Construct, props: AthenaScanAlarmProps): CloudwatchMetricAlarm {
  if (!(Number.isInteger(props.dailyGiB) && props.dailyGiB >= 1)) {
    throw new Error(
      `athenaScanAlarm ${props.id}: dailyGiB: expected a whole number of GiB of at least 1, got ${props.dailyGiB}`,
    );
  }
  const ids = FINAL_QUERY_STATES.map((_, i) => `m${i + 1}`);
  return new CloudwatchMetricAlarm(scope, props.id, {
    alarmName: props.alarmName,
    alarmDescription: `Queries of the Athena workgroup ${props.workgroup} scanned more than ${props.dailyGiB} GiB in a day (about $${((props.dailyGiB / 1024) * 5).toFixed(2)} at $5 per TB).`,
    comparisonOperator: "GreaterThanThreshold",
    threshold: props.dailyGiB * 1024 ** 3,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    // No query in a day is no cost.
    treatMissingData: "notBreaching",
    metricQuery: [
      ...FINAL_QUERY_STATES.map((state, i) => ({
        id: ids[i]!,
        returnData: false,
        metric: {
          namespace: "AWS/Athena",
          metricName: "ProcessedBytes",
          dimensions: { WorkGroup: props.workgroup, QueryType: "DML", QueryState: state },
          stat: "Sum",
          period: DAY_SECONDS,
        },
      })),
      {
        id: "scanned",
        label: `Bytes scanned by ${props.workgroup} in a day`,
        expression: ids.map((id) => `FILL(${id}, 0)`).join(" + "),
        returnData: true,
      },
    ],
    alarmActions: [props.topicArn],
    okActions: [props.topicArn],
  });
}
