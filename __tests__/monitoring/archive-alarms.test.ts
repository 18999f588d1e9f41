import type { TerraformStack } from "cdktf";
import { ArchiveAlarms, archiveAlarmSpecs, type ArchiveAlarmsProps } from "../../modules/monitoring/archive-alarms";
import { synthConstruct } from "../helpers/construct";
import { resource, resourcesOf } from "../helpers/synth";

const TOPIC = "arn:aws:sns:eu-west-1:111111111111:cwl-archive-archive-alarms";
const PROPS: ArchiveAlarmsProps = {
  alarmNamePrefix: "cwl-archive-archive-",
  topicArn: TOPIC,
  queueName: "cwl-archive-siem-notifications",
  deadLetterQueueName: "cwl-archive-siem-notifications-dlq",
  alarms: { queueAgeAlarmSeconds: 3600 },
};
const REPLICATION = { sourceBucket: "archive", destinationBucket: "replica", ruleId: "replicate-archive" };

function build(props: Partial<ArchiveAlarmsProps> = {}) {
  return (stack: TerraformStack) => new ArchiveAlarms(stack, "ArchiveAlarms", { ...PROPS, ...props });
}

describe("ArchiveAlarms", () => {
  test("GIVEN a queue per prefix THEN each source's queue has its dead-letter and age alarms", () => {
    const tf = synthConstruct(
      build({
        sourceQueues: [
          {
            suffix: "cloudtrail",
            queueName: "cwl-archive-siem-notifications-cloudtrail",
            deadLetterQueueName: "cwl-archive-siem-notifications-cloudtrail-dlq",
          },
        ],
      }),
    );
    expect(resource(tf, "aws_cloudwatch_metric_alarm", "ArchiveAlarms/DeadLetters-cloudtrail")).toMatchObject({
      alarm_name: "cwl-archive-archive-siem-dead-letters-cloudtrail",
      metric_name: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: "cwl-archive-siem-notifications-cloudtrail-dlq" },
      threshold: 0,
      alarm_actions: [TOPIC],
    });
    expect(resource(tf, "aws_cloudwatch_metric_alarm", "ArchiveAlarms/QueueAge-cloudtrail")).toMatchObject({
      alarm_name: "cwl-archive-archive-siem-queue-age-cloudtrail",
      metric_name: "ApproximateAgeOfOldestMessage",
      dimensions: { QueueName: "cwl-archive-siem-notifications-cloudtrail" },
      threshold: 3600,
    });
    // The data prefix's alarms keep their names.
    expect(resource(tf, "aws_cloudwatch_metric_alarm", "ArchiveAlarms/DeadLetters").alarm_name).toBe(
      "cwl-archive-archive-siem-dead-letters",
    );
  });

  describe("GIVEN the SIEM queues and no replication", () => {
    const tf = synthConstruct(build());

    test("THEN any notification in the dead-letter queue raises an alarm", () => {
      expect(resource(tf, "aws_cloudwatch_metric_alarm", "ArchiveAlarms/DeadLetters")).toMatchObject({
        alarm_name: "cwl-archive-archive-siem-dead-letters",
        namespace: "AWS/SQS",
        metric_name: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: "cwl-archive-siem-notifications-dlq" },
        statistic: "Maximum",
        comparison_operator: "GreaterThanThreshold",
        threshold: 0,
        treat_missing_data: "notBreaching",
      });
    });

    test("THEN a notification older than the set age raises an alarm: the SIEM has stalled", () => {
      expect(resource(tf, "aws_cloudwatch_metric_alarm", "ArchiveAlarms/QueueAge")).toMatchObject({
        alarm_name: "cwl-archive-archive-siem-queue-age",
        metric_name: "ApproximateAgeOfOldestMessage",
        dimensions: { QueueName: "cwl-archive-siem-notifications" },
        threshold: 3600,
      });
    });

    test("THEN there is no replication alarm", () => {
      expect(
        resourcesOf(tf, "aws_cloudwatch_metric_alarm")
          .map(([, a]) => a.alarm_name)
          .sort(),
      ).toEqual(["cwl-archive-archive-siem-dead-letters", "cwl-archive-archive-siem-queue-age"]);
    });

    test("THEN every alarm notifies the topic when it fires and when it recovers, after one 5-minute period", () => {
      for (const [, alarm] of resourcesOf(tf, "aws_cloudwatch_metric_alarm")) {
        expect(alarm).toMatchObject({
          alarm_actions: [TOPIC],
          ok_actions: [TOPIC],
          period: 300,
          evaluation_periods: 1,
          datapoints_to_alarm: 1,
        });
      }
    });
  });

  test("GIVEN replication THEN objects that failed to replicate raise an alarm on the rule's metrics", () => {
    const tf = synthConstruct(build({ replication: REPLICATION }));

    expect(resource(tf, "aws_cloudwatch_metric_alarm", "ArchiveAlarms/ReplicationFailures")).toMatchObject({
      alarm_name: "cwl-archive-archive-replication-failures",
      namespace: "AWS/S3",
      metric_name: "OperationsFailedReplication",
      dimensions: { SourceBucket: "archive", DestinationBucket: "replica", RuleId: "replicate-archive" },
      statistic: "Sum",
      threshold: 0,
    });
  });

  test("archiveAlarmSpecs gives the alarms as data, in a stable order", () => {
    expect(archiveAlarmSpecs({ ...PROPS, replication: REPLICATION }).map((s) => s.id)).toEqual([
      "DeadLetters",
      "QueueAge",
      "ReplicationFailures",
    ]);
  });
});
