import type { TerraformStack } from "cdktf";
import { AlarmTopic, type AlarmTopicProps, type Subscriber } from "../../modules/monitoring/alarm-topic";
import { errorsOf, ref, synthConstruct } from "../helpers/construct";
import { policyOf, resource, resourcesOf, statement, type TfJson } from "../helpers/synth";

const ACCOUNT = "111111111111";
const TOPIC_ARN = `arn:aws:sns:eu-west-1:${ACCOUNT}:cwl-archive-archive-alarms`;
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-0000-4000-8000-000000000000";
const EMAIL: Subscriber = { protocol: "email", endpoint: "ops@example.com" };
const QUEUE: Subscriber = { protocol: "sqs", endpoint: `arn:aws:sqs:eu-west-1:${ACCOUNT}:pager` };

const PROPS: AlarmTopicProps = {
  topicName: "cwl-archive-archive-alarms",
  topicArn: TOPIC_ARN,
  scope: { accountId: ACCOUNT, region: "eu-west-1", alarmNamePrefix: "cwl-archive-archive-" },
  kmsKeyArn: KEY,
  subscribers: [EMAIL, QUEUE],
};

function build(props: Partial<AlarmTopicProps> = {}) {
  return (stack: TerraformStack) => new AlarmTopic(stack, "Alarms", { ...PROPS, ...props });
}

const subscriptions = (tf: TfJson) => resourcesOf(tf, "aws_sns_topic_subscription");

describe("AlarmTopic", () => {
  describe("GIVEN a name, a key, the alarm scope and subscribers", () => {
    const tf = synthConstruct(build());

    test("THEN the topic is encrypted with the key", () => {
      expect(resource(tf, "aws_sns_topic", "Alarms/Topic")).toMatchObject({
        name: "cwl-archive-archive-alarms",
        kms_master_key_id: KEY,
      });
    });

    test("THEN only this account's alarms of the scope may publish", () => {
      const topicPolicy = resource(tf, "aws_sns_topic_policy", "Alarms/Policy");
      expect(topicPolicy.arn).toBe(ref(tf, "aws_sns_topic", "Alarms/Topic", "arn"));
      const publish = statement(policyOf(topicPolicy.policy), "AllowOwnAlarmsToPublish");
      expect(publish).toMatchObject({
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: TOPIC_ARN,
        Condition: {
          StringEquals: { "aws:SourceAccount": ACCOUNT },
          ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:cwl-archive-archive-*` },
        },
      });
    });

    test("THEN each subscriber is subscribed to the topic", () => {
      expect(
        subscriptions(tf)
          .map(([, s]) => [s.protocol, s.endpoint])
          .sort(),
      ).toEqual([
        ["email", "ops@example.com"],
        ["sqs", QUEUE.endpoint],
      ]);
      for (const [, s] of subscriptions(tf)) expect(s.topic_arn).toBe(ref(tf, "aws_sns_topic", "Alarms/Topic", "arn"));
    });

    test("THEN the topic and its parts are in the stack's Region", () => {
      expect(resource(tf, "aws_sns_topic", "Alarms/Topic").region).toBeUndefined();
      expect(resource(tf, "aws_sns_topic_policy", "Alarms/Policy").region).toBeUndefined();
    });
  });

  test("GIVEN a Region THEN the topic, its policy and its subscriptions are in that Region", () => {
    const tf = synthConstruct(build({ region: "us-east-1" }));

    expect(resource(tf, "aws_sns_topic", "Alarms/Topic").region).toBe("us-east-1");
    expect(resource(tf, "aws_sns_topic_policy", "Alarms/Policy").region).toBe("us-east-1");
    for (const [, s] of subscriptions(tf)) expect(s.region).toBe("us-east-1");
  });

  test("GIVEN no subscribers THEN the topic exists with no subscription", () => {
    const tf = synthConstruct(build({ subscribers: [] }));

    expect(resourcesOf(tf, "aws_sns_topic")).toHaveLength(1);
    expect(subscriptions(tf)).toEqual([]);
  });

  test("GIVEN the subscribers in another order THEN no subscription changes address", () => {
    const addresses = (tf: TfJson) => Object.fromEntries(subscriptions(tf).map(([name, s]) => [s.endpoint, name]));

    expect(addresses(synthConstruct(build({ subscribers: [QUEUE, EMAIL] })))).toEqual(
      addresses(synthConstruct(build())),
    );
  });

  describe("validation", () => {
    test.each(["http", "https", "email", "email-json", "sms", "sqs", "application", "lambda"])(
      "accepts the protocol %p",
      (protocol) => {
        expect(() =>
          synthConstruct(build({ subscribers: [{ protocol: protocol as never, endpoint: "somewhere" }] })),
        ).not.toThrow();
      },
    );

    test.each(["smtp", "EMAIL", "firehose"])("fails GIVEN the protocol %p", (protocol) => {
      expect(errorsOf(build({ subscribers: [EMAIL, { protocol: protocol as never, endpoint: "somewhere" }] }))).toEqual(
        [
          `AlarmTopic test/Alarms: subscribers[1].protocol: expected one of http, https, email, email-json, sms, sqs, application, lambda, got ${JSON.stringify(protocol)}`,
        ],
      );
    });

    test("fails GIVEN the same subscriber twice", () => {
      expect(errorsOf(build({ subscribers: [EMAIL, QUEUE, { ...EMAIL }] }))).toEqual([
        "AlarmTopic test/Alarms: subscribers[2]: expected each subscriber once, got a repeat of subscribers[0]",
      ]);
    });
  });
});
