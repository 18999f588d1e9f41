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
import { alarmTopicPolicy, type AlarmScope } from "../policy/monitoring-policies";

export interface Subscriber {
  readonly protocol: string;
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
}

export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, "Topic", {
      region: props.region,
      name: props.topicName,
      kmsMasterKeyId: props.kmsKeyArn,
    });
    new SnsTopicPolicy(this, "Policy", {
      region: props.region,
      arn: this.topic.arn,
      policy: toPolicyJson(policyDocument(alarmTopicPolicy(props.scope, props.topicArn))),
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
