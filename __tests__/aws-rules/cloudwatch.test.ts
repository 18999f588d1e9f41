import { corpusSuite, expectCompliant, expectFinding, stackOf } from "./lib/fixture";
import * as cloudwatch from "./rules/cloudwatch";

const alarm = (config: any = {}, extra: any = {}) =>
  stackOf({
    aws_cloudwatch_metric_alarm: {
      A: {
        alarm_name: "cwl-archive-delivery-silence",
        alarm_description: "No record for 30 minutes",
        namespace: "AWS/Firehose",
        metric_name: "IncomingRecords",
        period: 300,
        evaluation_periods: 6,
        datapoints_to_alarm: 6,
        ...config,
      },
      ...extra,
    },
  });

test("cloudwatch-alarm-period", () => {
  expectCompliant(cloudwatch.alarmPeriod, alarm({ period: 20 }));
  expectFinding(cloudwatch.alarmPeriod, alarm({ period: 45 }), /period 45 is not 10, 20, 30 or a multiple of 60/);
  expectFinding(cloudwatch.alarmPeriod, alarm({ period: 90 }), /period 90/);
});

test("cloudwatch-alarm-evaluation-range", () => {
  expectCompliant(
    cloudwatch.alarmEvaluationRange,
    alarm({ period: 300, evaluation_periods: 288, datapoints_to_alarm: 1 }),
  );
  expectCompliant(
    cloudwatch.alarmEvaluationRange,
    alarm({ period: 3600, evaluation_periods: 168, datapoints_to_alarm: 1 }),
  );
  expectFinding(
    cloudwatch.alarmEvaluationRange,
    alarm({ period: 300, evaluation_periods: 289 }),
    /86700 s, at most 86400/,
  );
  expectFinding(cloudwatch.alarmEvaluationRange, alarm({ period: 3600, evaluation_periods: 169 }), /at most 604800/);
});

test("cloudwatch-alarm-datapoints", () => {
  expectCompliant(cloudwatch.alarmDatapoints, alarm({ evaluation_periods: 3, datapoints_to_alarm: 2 }));
  expectFinding(
    cloudwatch.alarmDatapoints,
    alarm({ evaluation_periods: 3, datapoints_to_alarm: 4 }),
    /datapoints_to_alarm 4 must be 1 to evaluation_periods \(3\)/,
  );
  expectFinding(
    cloudwatch.alarmDatapoints,
    alarm({ evaluation_periods: 0, datapoints_to_alarm: undefined }),
    /evaluation_periods is 0/,
  );
});

test("cloudwatch-alarm-name-and-description", () => {
  expectCompliant(cloudwatch.alarmNames, alarm());
  expectFinding(cloudwatch.alarmNames, alarm({ alarm_name: "a".repeat(256) }), /256 characters, must be 1-255/);
  expectFinding(cloudwatch.alarmNames, alarm({ alarm_description: "d".repeat(1025) }), /at most 1024/);
});

test("cloudwatch-alarm-name-unique", () => {
  expectCompliant(
    cloudwatch.alarmNamesUnique,
    alarm({}, { B: { alarm_name: "cwl-archive-delivery-silence", region: "us-east-1" } }),
  );
  expectFinding(
    cloudwatch.alarmNamesUnique,
    alarm({}, { B: { alarm_name: "cwl-archive-delivery-silence" } }),
    /used by 2 resources/,
  );
});

corpusSuite(cloudwatch.rules);
