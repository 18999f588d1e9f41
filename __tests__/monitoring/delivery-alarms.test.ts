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
};

function build(props: Partial<DeliveryAlarmsProps> = {}) {
  return (stack: TerraformStack) => new DeliveryAlarms(stack, "DeliveryAlarms", { ...PROPS, ...props });
}

const alarm = (tf: ReturnType<typeof synthConstruct>, id: string) =>
  resource(tf, "aws_cloudwatch_metric_alarm", `DeliveryAlarms/${id}`);

describe("DeliveryAlarms", () => {
  describe("GIVEN a stream, its buffering interval and the thresholds", () => {
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
      const [silence] = deliveryAlarmSpecs({ ...PROPS, alarms: { ...PROPS.alarms, silenceMinutes } }).filter(
        (s) => s.id === "Silence",
      );
      expect(silence!.evaluationPeriods).toBe(periods);
      expect(() => synthConstruct(build({ alarms: { ...PROPS.alarms, silenceMinutes } }))).not.toThrow();
    },
  );

  test.each([0, 1441, 2.5])("fails GIVEN %p minutes of silence", (silenceMinutes) => {
    expect(errorsOf(build({ alarms: { ...PROPS.alarms, silenceMinutes } }))).toEqual([
      `DeliveryAlarms test/DeliveryAlarms: alarms.silenceMinutes: expected a whole number of minutes from 1 to 1440, got ${silenceMinutes}`,
    ]);
  });
});
