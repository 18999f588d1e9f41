/**
 * An SNS topic for the pipeline's alarms, encrypted with a customer-managed
 * key (whose policy must admit CloudWatch: see monitoring-policies.ts), with
 * the registry's subscribers.
 */
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { createHash } from "node:crypto";
import { policyDocument, toPolicyJson } from "../policy/document";
import type { Statement } from "../policy/document";
import { alarmTopicPolicy, type AlarmScope } from "../policy/monitoring-policies";
import { throwIfProblems } from "../constructs/validation";

/**
 * SNS protocols an alarm topic can deliver to without a subscription role
 * (`firehose` needs one this construct does not create). The registry offers
 * a subset (SUBSCRIBER_PROTOCOLS).
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
 */
export const ALARM_TOPIC_PROTOCOLS = [
  "http",
  "https",
  "email",
  "email-json",
  "sms",
  "sqs",
  "application",
  "lambda",
] as const;
export type AlarmTopicProtocol = (typeof ALARM_TOPIC_PROTOCOLS)[number];

export interface Subscriber {
  readonly protocol: AlarmTopicProtocol;
  readonly endpoint: string;
}

export interface AlarmTopicProps {
  readonly topicName: string;
  readonly topicArn: string;
  readonly scope: AlarmScope;
  /** ARN of the customer-managed key that encrypts the topic. */
  readonly kmsKeyArn: string;
  readonly subscribers: readonly Subscriber[];
  /** Region of the topic; alarms notify topics of their own Region. @default - the stack's Region */
  readonly region?: string;
  /**
   * Statements appended to the topic policy: other publishers, such as the
   * tamper bus's rule (tamperRulePublishes), each scoped to its source.
   * @default - only this account's alarms publish
   */
  readonly additionalStatements?: readonly Statement[];
}

/**
 * The protocols SNS subscribes, less `firehose`, which needs a subscription
 * role this construct does not create.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
 */
const PROTOCOLS: readonly string[] = ALARM_TOPIC_PROTOCOLS;

function alarmTopicProblems(props: AlarmTopicProps): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  props.subscribers.forEach((subscriber, i) => {
    if (!PROTOCOLS.includes(subscriber.protocol)) {
      problems.push(
        `subscribers[${i}].protocol: expected one of ${PROTOCOLS.join(", ")}, got ${JSON.stringify(subscriber.protocol)}`,
      );
    }
    // Subscriptions are keyed by what they are: the same one twice has no address of its own.
    const key = `${subscriber.protocol}:${subscriber.endpoint}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else problems.push(`subscribers[${i}]: expected each subscriber once, got a repeat of subscribers[${first}]`);
  });
  return problems;
}

export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const problems = alarmTopicProblems(props);
    throwIfProblems("AlarmTopic", this, problems);
    this.topic = new SnsTopic(this, "Topic", {
      region: props.region,
      name: props.topicName,
      kmsMasterKeyId: props.kmsKeyArn,
    });
    new SnsTopicPolicy(this, "Policy", {
      region: props.region,
      arn: this.topic.arn,
      policy: toPolicyJson(
        policyDocument(alarmTopicPolicy(props.scope, props.topicArn), props.additionalStatements ?? []),
      ),
    });
    for (const subscriber of props.subscribers) {
      // Keyed by what it is, not by its position in the registry.
      const key = createHash("sha256")
        .update(`${subscriber.protocol}:${subscriber.endpoint}`)
        .digest("hex")
        .slice(0, 12);
      new SnsTopicSubscription(this, `Subscriber-${key}`, {
        region: props.region,
        topicArn: this.topic.arn,
        protocol: subscriber.protocol,
        endpoint: subscriber.endpoint,
      });
    }
  }
}
