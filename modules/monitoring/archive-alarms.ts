/**
 * Alarms of the log-archive account: notifications the SIEM failed to
 * process (dead-letter queue), a SIEM that stopped reading (age of the oldest
 * notification), and objects that failed to replicate.
 */
import { Construct } from "constructs";
import { addAlarm, type AlarmSpec } from "./alarm";

export interface ArchiveAlarmsProps {
  readonly alarmNamePrefix: string;
  readonly topicArn: string;
  readonly queueName: string;
  readonly deadLetterQueueName: string;
  /**
   * Queues of direct sources (siem queuePerPrefix), each watched like the
   * data prefix's: dead letters and age.
   * @default - none
   */
  readonly sourceQueues?: readonly {
    readonly suffix: string;
    readonly queueName: string;
    readonly deadLetterQueueName: string;
  }[];
  /** Replication to watch, when the archive replicates. */
  readonly replication?: { readonly sourceBucket: string; readonly destinationBucket: string; readonly ruleId: string };
  /** Age of the oldest unread notification that means the SIEM has stalled. */
  readonly alarms: { readonly queueAgeAlarmSeconds: number };
}

export function archiveAlarmSpecs(props: Omit<ArchiveAlarmsProps, "topicArn">): AlarmSpec[] {
  const name = (what: string) => `${props.alarmNamePrefix}${what}`;
  const specs: AlarmSpec[] = [
    {
      id: "DeadLetters",
      name: name("siem-dead-letters"),
      description:
        "Notifications the SIEM failed to process reached the dead-letter queue: their objects are not ingested.",
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: props.deadLetterQueueName },
      statistic: "Maximum",
      comparison: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
    },
    {
      id: "QueueAge",
      name: name("siem-queue-age"),
      description: `The oldest unread notification is older than ${props.alarms.queueAgeAlarmSeconds} s: the SIEM has stalled.`,
      namespace: "AWS/SQS",
      metricName: "ApproximateAgeOfOldestMessage",
      dimensions: { QueueName: props.queueName },
      statistic: "Maximum",
      comparison: "GreaterThanThreshold",
      threshold: props.alarms.queueAgeAlarmSeconds,
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
    },
  ];
  for (const q of props.sourceQueues ?? []) {
    const [deadLetters, age] = specs;
    specs.push(
      {
        ...deadLetters!,
        id: `DeadLetters-${q.suffix}`,
        name: name(`siem-dead-letters-${q.suffix}`),
        description: `Notifications of ${q.suffix}/ the SIEM failed to process reached their dead-letter queue: their objects are not ingested.`,
        dimensions: { QueueName: q.deadLetterQueueName },
      },
      {
        ...age!,
        id: `QueueAge-${q.suffix}`,
        name: name(`siem-queue-age-${q.suffix}`),
        description: `The oldest unread notification of ${q.suffix}/ is older than ${props.alarms.queueAgeAlarmSeconds} s: the SIEM has stalled.`,
        dimensions: { QueueName: q.queueName },
      },
    );
  }
  if (props.replication) {
    specs.push({
      id: "ReplicationFailures",
      name: name("replication-failures"),
      description: "Objects failed to replicate to the replica bucket.",
      namespace: "AWS/S3",
      metricName: "OperationsFailedReplication",
      dimensions: {
        SourceBucket: props.replication.sourceBucket,
        DestinationBucket: props.replication.destinationBucket,
        RuleId: props.replication.ruleId,
      },
      statistic: "Sum",
      comparison: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
    });
  }
  return specs;
}

export class ArchiveAlarms extends Construct {
  constructor(scope: Construct, id: string, props: ArchiveAlarmsProps) {
    super(scope, id);
    for (const spec of archiveAlarmSpecs(props)) addAlarm(this, spec, props.topicArn);
  }
}
