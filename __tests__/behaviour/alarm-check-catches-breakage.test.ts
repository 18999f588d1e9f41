/**
 * A proof that the generic alarm check fails when an alarm is broken: small
 * stacks, written by hand, each with one alarm that cannot fire or cannot
 * recover, and the healthy counterpart that passes.
 */
import type { TfJson } from "../helpers/synth";
import { checkAlarm, collectAlarms, type WatchedAlarm } from "./alarm-check";
import type { WorldSettings } from "./pipeline-world";

const STREAM = "cwl-archive-to-archive";

function stack(alarm: Record<string, unknown>, options: { kinesis?: boolean } = {}): TfJson {
  return {
    terraform: {},
    provider: {},
    resource: {
      aws_kinesis_firehose_delivery_stream: {
        Stream: {
          name: STREAM,
          destination: "extended_s3",
          extended_s3_configuration: { buffering_interval: 300 },
          ...(options.kinesis
            ? { kinesis_source_configuration: { kinesis_stream_arn: "${aws_kinesis_stream.Kinesis.arn}" } }
            : {}),
        },
      },
      ...(options.kinesis ? { aws_kinesis_stream: { Kinesis: { name: "front" } } } : {}),
      aws_cloudwatch_metric_alarm: {
        Alarm: {
          alarm_name: "under-test",
          namespace: "AWS/Firehose",
          dimensions: { DeliveryStreamName: STREAM },
          period: 300,
          evaluation_periods: 1,
          datapoints_to_alarm: 1,
          treat_missing_data: "notBreaching",
          ...alarm,
        },
      },
    },
  };
}

const silence = {
  metric_name: "IncomingRecords",
  statistic: "Sum",
  comparison_operator: "LessThanThreshold",
  threshold: 1,
  evaluation_periods: 6,
  datapoints_to_alarm: 6,
  treat_missing_data: "breaching",
};
const throttling = {
  metric_name: "ThrottledRecords",
  statistic: "Sum",
  comparison_operator: "GreaterThanThreshold",
  threshold: 0,
};
const HEARTBEAT: WorldSettings = { heartbeatMinutes: 15, partitionQuota: 500 };
const NO_HEARTBEAT: WorldSettings = { partitionQuota: 500 };

function only(tf: TfJson, settings: WorldSettings): WatchedAlarm {
  const { alarms, problems } = collectAlarms("test.yaml", { "log-source": tf }, settings);
  expect(problems).toEqual([]);
  return alarms[0]!;
}

describe("the generic alarm check", () => {
  test("passes a silence alarm while a heartbeat writes every 15 minutes", () => {
    expect(checkAlarm(only(stack(silence), HEARTBEAT))).toEqual([]);
  });

  test("fails a silence alarm without a heartbeat (issue 19, defect 4): it never recovers", () => {
    expect(checkAlarm(only(stack(silence), NO_HEARTBEAT))).toEqual([
      expect.stringMatching(
        /^test\.yaml log-source under-test: never recovers: in ALARM after ".*", the healthy world \(no heartbeat\) does not bring it back to OK/,
      ),
    ]);
  });

  test("fails a silence window shorter than the heartbeat interval: the alarm fires between heartbeats", () => {
    const hourly: WorldSettings = { heartbeatMinutes: 60, partitionQuota: 500 };
    expect(checkAlarm(only(stack(silence), hourly))).toEqual([expect.stringContaining("never recovers")]);
  });

  test("fails a silence alarm on IncomingRecords of a stream that reads a Kinesis stream: it never recovers", () => {
    expect(checkAlarm(only(stack(silence, { kinesis: true }), HEARTBEAT))).toEqual([
      expect.stringContaining("never recovers"),
    ]);
  });

  test("passes a throttling alarm on a Direct PUT stream, fails it on a Kinesis-fed one: it can never fire", () => {
    expect(checkAlarm(only(stack(throttling), HEARTBEAT))).toEqual([]);
    expect(checkAlarm(only(stack(throttling, { kinesis: true }), HEARTBEAT))).toEqual([
      "test.yaml log-source under-test: can never fire: no timeline reaches ALARM within 720 minutes (AWS does not publish AWS/Firehose ThrottledRecords for this resource)",
    ]);
  });

  test("fails a threshold the metric cannot cross: a success ratio below 0 can never fire", () => {
    const impossible = {
      metric_name: "DeliveryToS3.Success",
      statistic: "Average",
      comparison_operator: "LessThanThreshold",
      threshold: 0,
    };
    expect(checkAlarm(only(stack(impossible), HEARTBEAT))).toEqual([expect.stringContaining("can never fire")]);
  });

  test("refuses to guess: an alarm on a metric the table does not know is a problem, named", () => {
    const unknown = stack({
      metric_name: "BackupToS3.Success",
      statistic: "Average",
      comparison_operator: "LessThanThreshold",
      threshold: 1,
    });
    expect(collectAlarms("test.yaml", { "log-source": unknown }, HEARTBEAT).problems).toEqual([
      "test.yaml log-source under-test: metric AWS/Firehose BackupToS3.Success is not in the metric table of pipeline-world.ts: add what it measures and when AWS publishes it",
    ]);
  });
});
