/**
 * Alarms of one Firehose delivery stream: late deliveries, failed deliveries,
 * throttling, and silence. With the heartbeat writing every few minutes, an
 * hour without incoming records means the chain is broken, not that the
 * account is quiet.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/firehose-cloudwatch-metrics-best-practices.html
 */
import { Construct } from "constructs";
import type { FirehoseSettings } from "../registry/settings";
import type { Registry } from "../registry/parse";
import { addAlarm, type AlarmSpec } from "./alarm";

export interface DeliveryAlarmsProps {
  readonly streamName: string;
  readonly alarmNamePrefix: string;
  readonly topicArn: string;
  readonly firehose: Pick<FirehoseSettings, "bufferingIntervalSeconds">;
  readonly alarms: Registry["monitoring"]["alarms"];
  /** Region of the stream (and of its alarms). @default - the stack's Region */
  readonly region?: string;
}

const PERIOD = 300;

export function deliveryAlarmSpecs(props: Omit<DeliveryAlarmsProps, "topicArn">): AlarmSpec[] {
  const dimensions = { DeliveryStreamName: props.streamName };
  const namespace = "AWS/Firehose";
  const name = (what: string) => `${props.alarmNamePrefix}${what}`;
  return [
    {
      id: "Freshness",
      name: name("freshness"),
      description: `Records wait longer than the buffering interval (${props.firehose.bufferingIntervalSeconds} s) plus ${props.alarms.freshnessMarginSeconds} s before reaching the archive.`,
      namespace,
      metricName: "DeliveryToS3.DataFreshness",
      dimensions,
      statistic: "Maximum",
      comparison: "GreaterThanThreshold",
      threshold: props.firehose.bufferingIntervalSeconds + props.alarms.freshnessMarginSeconds,
      evaluationPeriods: 3,
      treatMissingData: "notBreaching",
    },
    {
      id: "Success",
      name: name("success"),
      description:
        "Deliveries to the archive bucket fail (DeliveryToS3.Success below 1): records go to the error prefix.",
      namespace,
      metricName: "DeliveryToS3.Success",
      dimensions,
      statistic: "Average",
      comparison: "LessThanThreshold",
      threshold: 1,
      evaluationPeriods: 3,
      treatMissingData: "notBreaching",
    },
    {
      id: "Throttling",
      name: name("throttled-records"),
      description:
        "CloudWatch Logs is throttled by the stream's limits: records are retried and may be dropped after 24 h.",
      namespace,
      metricName: "ThrottledRecords",
      dimensions,
      statistic: "Sum",
      comparison: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
    },
    {
      id: "Silence",
      name: name("silence"),
      description: `No record reached the stream for ${props.alarms.silenceMinutes} minutes although the heartbeat writes every few minutes: the subscription, its role or the stream is broken.`,
      namespace,
      metricName: "IncomingRecords",
      dimensions,
      statistic: "Sum",
      comparison: "LessThanThreshold",
      threshold: 1,
      evaluationPeriods: Math.ceil((props.alarms.silenceMinutes * 60) / PERIOD),
      treatMissingData: "breaching",
    },
  ];
}

export class DeliveryAlarms extends Construct {
  constructor(scope: Construct, id: string, props: DeliveryAlarmsProps) {
    super(scope, id);
    for (const spec of deliveryAlarmSpecs(props)) addAlarm(this, { ...spec, region: props.region }, props.topicArn);
  }
}
