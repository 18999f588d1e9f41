import type { TerraformStack } from "cdktf";
import {
  DeliveryAlarms,
  deliveryAlarmSpecs,
  PARTITION_WARNING_SHARE,
  type DeliveryAlarmsProps,
} from "../../modules/monitoring/delivery-alarms";
import { errorsOf, synthConstruct } from "../helpers/construct";
import { resource, resourcesOf } from "../helpers/synth";

const TOPIC = "arn:aws:sns:us-east-1:222222222222:cwl-archive-delivery-alarms";
const PROPS: DeliveryAlarmsProps = {
  streamName: "cwl-archive-to-archive",
  alarmNamePrefix: "cwl-archive-delivery-",
  topicArn: TOPIC,
  firehose: { bufferingIntervalSeconds: 300 },
  alarms: { freshnessMarginSeconds: 120, silenceMinutes: 30 },
  heartbeatIntervalMinutes: 15,
};

function build(props: Partial<DeliveryAlarmsProps> = {}) {
  return (stack: TerraformStack) => new DeliveryAlarms(stack, "DeliveryAlarms", { ...PROPS, ...props });
}

const alarm = (tf: ReturnType<typeof synthConstruct>, id: string) =>
  resource(tf, "aws_cloudwatch_metric_alarm", `DeliveryAlarms/${id}`);

describe("DeliveryAlarms", () => {
  describe("GIVEN a stream, its buffering interval, the thresholds and a heartbeat every 15 minutes", () => {
    const tf = synthConstruct(build());

    test("THEN records older than the buffering interval plus the margin raise the freshness alarm", () => {
      expect(alarm(tf, "Freshness")).toMatchObject({
        alarm_name: "cwl-archive-delivery-freshness",
        namespace: "AWS/Firehose",
        metric_name: "DeliveryToS3.DataFreshness",
        dimensions: { DeliveryStreamName: "cwl-archive-to-archive" },
        threshold: 420,
        evaluation_periods: 3,
      });
    });

    test("THEN failed deliveries and throttled records raise alarms", () => {
      expect(alarm(tf, "Success")).toMatchObject({
        metric_name: "DeliveryToS3.Success",
        comparison_operator: "LessThanThreshold",
        threshold: 1,
      });
      expect(alarm(tf, "Throttling")).toMatchObject({ metric_name: "ThrottledRecords", threshold: 0 });
    });

    test("THEN no incoming record for the silence window raises the silence alarm, missing data counting as silence", () => {
      expect(alarm(tf, "Silence")).toMatchObject({
        metric_name: "IncomingRecords",
        period: 300,
        evaluation_periods: 6,
        datapoints_to_alarm: 6,
        treat_missing_data: "breaching",
      });
    });

    test("THEN there are no partition alarms, and every alarm notifies the topic in the stack's Region", () => {
      const alarms = resourcesOf(tf, "aws_cloudwatch_metric_alarm").map(([, a]) => a);
      expect(alarms).toHaveLength(4);
      for (const a of alarms) {
        expect(a).toMatchObject({ alarm_actions: [TOPIC], ok_actions: [TOPIC] });
        expect(a.region).toBeUndefined();
      }
    });
  });

  test("GIVEN a Region THEN every alarm is in that Region", () => {
    const tf = synthConstruct(build({ region: "eu-central-1" }));

    for (const [, a] of resourcesOf(tf, "aws_cloudwatch_metric_alarm")) expect(a.region).toBe("eu-central-1");
  });

  test("GIVEN an active-partition quota THEN exceeding it, and using 80 % of it, raise alarms", () => {
    const tf = synthConstruct(build({ activePartitionQuota: 500 }));

    expect(alarm(tf, "PartitionCountExceeded")).toMatchObject({
      alarm_name: "cwl-archive-delivery-partition-count-exceeded",
      metric_name: "PartitionCountExceeded",
      threshold: 0,
    });
    expect(alarm(tf, "PartitionCount")).toMatchObject({
      alarm_name: "cwl-archive-delivery-partition-count-high",
      metric_name: "PartitionCount",
      threshold: Math.floor(500 * PARTITION_WARNING_SHARE),
    });
  });

  test.each([
    [1, 1],
    [5, 1],
    [6, 2],
    [1440, 288],
  ])(
    "GIVEN %p minutes of silence THEN the silence alarm evaluates %p periods of 5 minutes",
    (silenceMinutes, periods) => {
      const props = { alarms: { ...PROPS.alarms, silenceMinutes }, heartbeatIntervalMinutes: 1 };
      const [silence] = deliveryAlarmSpecs({ ...PROPS, ...props }).filter((s) => s.id === "Silence");
      expect(silence!.evaluationPeriods).toBe(periods);
      expect(() => synthConstruct(build(props))).not.toThrow();
    },
  );

  test.each([0, 1441, 2.5])("fails GIVEN %p minutes of silence", (silenceMinutes) => {
    expect(errorsOf(build({ alarms: { ...PROPS.alarms, silenceMinutes } }))).toEqual([
      `DeliveryAlarms test/DeliveryAlarms: alarms.silenceMinutes: expected a whole number of minutes from 1 to 1440, got ${silenceMinutes}`,
    ]);
  });
});

describe("DeliveryAlarms without a heartbeat", () => {
  // Firehose publishes no IncomingRecords datapoint while no record arrives, and
  // the silence alarm counts missing data as breaching: without a heartbeat a
  // quiet, healthy stream would keep it in ALARM for ever (issue 19, defect 4).
  test("GIVEN no heartbeat THEN there is no silence alarm, and the other alarms remain", () => {
    const tf = synthConstruct(build({ heartbeatIntervalMinutes: undefined }));

    const names = resourcesOf(tf, "aws_cloudwatch_metric_alarm").map(([, a]) => a.alarm_name);
    expect(names.sort()).toEqual([
      "cwl-archive-delivery-freshness",
      "cwl-archive-delivery-success",
      "cwl-archive-delivery-throttled-records",
    ]);
  });

  test("GIVEN no heartbeat THEN the silence window is not checked against one", () => {
    expect(() =>
      synthConstruct(build({ heartbeatIntervalMinutes: undefined, alarms: { ...PROPS.alarms, silenceMinutes: 5 } })),
    ).not.toThrow();
  });
});

describe("DeliveryAlarms and the heartbeat interval", () => {
  test.each([
    [15, 15],
    [30, 15],
    [60, 60],
    [16, 20],
  ])(
    "GIVEN %p minutes of silence and a heartbeat every %p minutes THEN the window holds a heartbeat",
    (silence, hb) => {
      expect(() =>
        synthConstruct(build({ heartbeatIntervalMinutes: hb, alarms: { ...PROPS.alarms, silenceMinutes: silence } })),
      ).not.toThrow();
    },
  );

  test.each([
    [30, 60],
    [5, 15],
  ])(
    "fails GIVEN %p minutes of silence and a heartbeat every %p minutes (the alarm would fire between heartbeats)",
    (silence, hb) => {
      expect(
        errorsOf(build({ heartbeatIntervalMinutes: hb, alarms: { ...PROPS.alarms, silenceMinutes: silence } })),
      ).toEqual([
        `DeliveryAlarms test/DeliveryAlarms: alarms.silenceMinutes: expected a silence window of at least the heartbeat interval (${hb} minutes), since an idle stream receives one record per heartbeat, got ${silence}`,
      ]);
    },
  );

  test.each([0, 2.5])("fails GIVEN a heartbeat every %p minutes", (hb) => {
    expect(errorsOf(build({ heartbeatIntervalMinutes: hb }))).toEqual([
      `DeliveryAlarms test/DeliveryAlarms: heartbeatIntervalMinutes: expected a whole number of minutes of at least 1, got ${hb}`,
    ]);
  });

  test("fails naming every problem at once", () => {
    expect(errorsOf(build({ heartbeatIntervalMinutes: 0, alarms: { ...PROPS.alarms, silenceMinutes: 0 } }))).toEqual([
      "DeliveryAlarms test/DeliveryAlarms: alarms.silenceMinutes: expected a whole number of minutes from 1 to 1440, got 0",
      "DeliveryAlarms test/DeliveryAlarms: heartbeatIntervalMinutes: expected a whole number of minutes of at least 1, got 0",
    ]);
  });
});

describe("DeliveryAlarms of a stream that reads a Kinesis data stream", () => {
  // Firehose lists IncomingRecords and ThrottledRecords under "Data ingestion
  // through Direct PUT"; a Kinesis-sourced stream publishes
  // DataReadFromKinesisStream.Records instead, and its producers are throttled
  // by the Kinesis stream (WriteProvisionedThroughputExceeded).
  // https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html
  // https://docs.aws.amazon.com/streams/latest/dev/monitoring-with-cloudwatch.html
  const tf = synthConstruct(build({ kinesisStreamName: "cwl-archive-central-eu-west-1" }));

  test("THEN silence counts the records read from the Kinesis stream", () => {
    expect(alarm(tf, "Silence")).toMatchObject({
      namespace: "AWS/Firehose",
      metric_name: "DataReadFromKinesisStream.Records",
      dimensions: { DeliveryStreamName: "cwl-archive-to-archive" },
      statistic: "Sum",
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      treat_missing_data: "breaching",
    });
  });

  test("THEN throttling watches writes into the Kinesis stream, keeping the alarm's name", () => {
    expect(alarm(tf, "Throttling")).toMatchObject({
      alarm_name: "cwl-archive-delivery-throttled-records",
      namespace: "AWS/Kinesis",
      metric_name: "WriteProvisionedThroughputExceeded",
      dimensions: { StreamName: "cwl-archive-central-eu-west-1" },
      statistic: "Sum",
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
      treat_missing_data: "notBreaching",
    });
  });

  test("THEN no alarm reads a Direct PUT metric", () => {
    const metrics = resourcesOf(tf, "aws_cloudwatch_metric_alarm").map(([, a]) => a.metric_name);
    expect(metrics).not.toContain("IncomingRecords");
    expect(metrics).not.toContain("ThrottledRecords");
  });
});
