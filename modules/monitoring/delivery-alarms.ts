/**
 * Alarms of one Firehose delivery stream: late deliveries, failed deliveries,
 * throttling, and, while a heartbeat writes into the stream, silence. With the
 * heartbeat writing every few minutes, an hour without incoming records means
 * the chain is broken, not that the account is quiet; without a heartbeat it
 * means nothing, so there is no silence alarm then.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/firehose-cloudwatch-metrics-best-practices.html
 */
import { Token } from "cdktf";
import { Construct } from "constructs";
import { addAlarm, type AlarmSpec } from "./alarm";
import { throwIfProblems } from "../constructs/validation";

export interface DeliveryAlarmsProps {
  readonly streamName: string;
  readonly alarmNamePrefix: string;
  readonly topicArn: string;
  /** Buffering interval of the stream, in seconds: records are late only beyond it. */
  readonly firehose: { readonly bufferingIntervalSeconds: number };
  /** Thresholds of the freshness and silence alarms. */
  readonly alarms: {
    /** Freshness alarms above the buffering interval plus this margin, in seconds. */
    readonly freshnessMarginSeconds: number;
    /** Minutes without an incoming record that mean the chain is broken (used only with `heartbeatIntervalMinutes`). */
    readonly silenceMinutes: number;
  };
  /**
   * Minutes between the heartbeats written into the stream (the end-to-end
   * heartbeat of every source that delivers into it). Only with a heartbeat is
   * there a silence alarm: Firehose publishes no datapoint while no record
   * arrives, the alarm counts missing data as breaching, so without a
   * heartbeat a quiet but healthy stream would keep it in ALARM for ever.
   * @default - no heartbeat: no silence alarm
   */
  readonly heartbeatIntervalMinutes?: number;
  /**
   * Name of the Kinesis data stream the delivery stream reads from. Firehose
   * publishes IncomingRecords and ThrottledRecords only for Direct PUT, so with
   * a Kinesis source the silence alarm counts DataReadFromKinesisStream.Records
   * and the throttling alarm watches writes into the Kinesis stream being
   * throttled (AWS/Kinesis WriteProvisionedThroughputExceeded).
   * @see https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html
   * @see https://docs.aws.amazon.com/streams/latest/dev/monitoring-with-cloudwatch.html
   * @default - the stream is fed by Direct PUT (CloudWatch Logs subscriptions or a destination)
   */
  readonly kinesisStreamName?: string;
  /** Region of the stream (and of its alarms). @default - the stack's Region */
  readonly region?: string;
  /**
   * The stream partitions dynamically with this active-partition quota: adds
   * an alarm when the quota is exceeded (records then go to the error prefix)
   * and one when 80 % of it is in use.
   * @default - no dynamic partitioning, no partition alarms
   */
  readonly activePartitionQuota?: number;
}

/** Share of the active-partition quota at which the early warning fires. */
export const PARTITION_WARNING_SHARE = 0.8;

const PERIOD = 300;

/** Periods of 300 s the silence alarm evaluates for `silenceMinutes`. */
export function silencePeriods(silenceMinutes: number): number {
  return Math.ceil((silenceMinutes * 60) / PERIOD);
}

export function deliveryAlarmSpecs(props: Omit<DeliveryAlarmsProps, "topicArn">): AlarmSpec[] {
  const dimensions = { DeliveryStreamName: props.streamName };
  const namespace = "AWS/Firehose";
  const name = (what: string) => `${props.alarmNamePrefix}${what}`;
  const kinesis = props.kinesisStreamName;
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
    kinesis === undefined
      ? {
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
        }
      : {
          id: "Throttling",
          name: name("throttled-records"),
          description: `CloudWatch Logs is throttled by the Kinesis stream ${kinesis} in front of the delivery stream: records are retried and may be dropped. Add shards, or use on-demand mode.`,
          namespace: "AWS/Kinesis",
          metricName: "WriteProvisionedThroughputExceeded",
          dimensions: { StreamName: kinesis },
          statistic: "Sum",
          comparison: "GreaterThanThreshold",
          threshold: 0,
          evaluationPeriods: 1,
          treatMissingData: "notBreaching",
        },
    ...(props.heartbeatIntervalMinutes === undefined
      ? []
      : [
          {
            id: "Silence",
            name: name("silence"),
            description: `No record reached the stream for ${props.alarms.silenceMinutes} minutes although the heartbeat writes every ${props.heartbeatIntervalMinutes} minutes: the subscription, its role or the stream is broken.`,
            namespace,
            metricName: kinesis === undefined ? "IncomingRecords" : "DataReadFromKinesisStream.Records",
            dimensions,
            statistic: "Sum",
            comparison: "LessThanThreshold",
            threshold: 1,
            evaluationPeriods: silencePeriods(props.alarms.silenceMinutes),
            treatMissingData: "breaching",
          } satisfies AlarmSpec,
        ]),
    ...(props.activePartitionQuota === undefined ? [] : partitionAlarmSpecs(props, props.activePartitionQuota)),
  ];
}

/**
 * Dynamic partitioning: `PartitionCountExceeded` is 1 while the stream holds
 * more active partitions than its quota (the excess records are delivered to
 * the error prefix), and `PartitionCount` is the number of active partitions.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html
 * @see https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html
 */
function partitionAlarmSpecs(props: Omit<DeliveryAlarmsProps, "topicArn">, quota: number): AlarmSpec[] {
  const dimensions = { DeliveryStreamName: props.streamName };
  return [
    {
      id: "PartitionCountExceeded",
      name: `${props.alarmNamePrefix}partition-count-exceeded`,
      description: `The stream holds more active partitions than its quota (${quota}): records of the excess partitions go to the error prefix. Request a Firehose quota increase and raise central.activePartitionQuota.`,
      namespace: "AWS/Firehose",
      metricName: "PartitionCountExceeded",
      dimensions,
      statistic: "Maximum",
      comparison: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
    },
    {
      id: "PartitionCount",
      name: `${props.alarmNamePrefix}partition-count-high`,
      description: `The stream uses more than ${PARTITION_WARNING_SHARE * 100} % of its active-partition quota (${quota}): ask for a quota increase before records go to the error prefix.`,
      namespace: "AWS/Firehose",
      metricName: "PartitionCount",
      dimensions,
      statistic: "Maximum",
      comparison: "GreaterThanThreshold",
      threshold: Math.floor(quota * PARTITION_WARNING_SHARE),
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
    },
  ];
}

/**
 * The silence alarm evaluates ceil(silenceMinutes × 60 / 300) periods of
 * 300 s: CloudWatch needs at least one, and an alarm whose period is under an
 * hour evaluates at most one day (86,400 s), so 1 to 1440 minutes.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
const SILENCE_MINUTES = { min: 1, max: 86_400 / 60 } as const;

function deliveryAlarmsProblems(props: DeliveryAlarmsProps): string[] {
  const problems: string[] = [];
  const silence = props.alarms.silenceMinutes;
  const { min, max } = SILENCE_MINUTES;
  const silenceValid = Token.isUnresolved(silence) || (Number.isInteger(silence) && silence >= min && silence <= max);
  if (!silenceValid) {
    problems.push(`alarms.silenceMinutes: expected a whole number of minutes from ${min} to ${max}, got ${silence}`);
  }
  const heartbeat = props.heartbeatIntervalMinutes;
  if (heartbeat === undefined || Token.isUnresolved(heartbeat)) return problems;
  if (!(Number.isInteger(heartbeat) && heartbeat >= 1)) {
    problems.push(`heartbeatIntervalMinutes: expected a whole number of minutes of at least 1, got ${heartbeat}`);
  } else if (silenceValid && !Token.isUnresolved(silence) && (silencePeriods(silence) * PERIOD) / 60 < heartbeat) {
    // A healthy idle stream receives one record per heartbeat: a window shorter
    // than the interval between two of them is empty between heartbeats, and
    // the alarm would fire and recover every interval.
    problems.push(
      `alarms.silenceMinutes: expected a silence window of at least the heartbeat interval (${heartbeat} minutes), since an idle stream receives one record per heartbeat, got ${silence}`,
    );
  }
  return problems;
}

export class DeliveryAlarms extends Construct {
  constructor(scope: Construct, id: string, props: DeliveryAlarmsProps) {
    super(scope, id);
    const problems = deliveryAlarmsProblems(props);
    throwIfProblems("DeliveryAlarms", this, problems);
    for (const spec of deliveryAlarmSpecs(props)) addAlarm(this, { ...spec, region: props.region }, props.topicArn);
  }
}
