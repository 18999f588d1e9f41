import { ACCOUNT, REGION, corpusSuite, expectCompliant, expectFinding, stackOf } from "./lib/fixture";
import * as sns from "./rules/sns";

const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:alarms`;

function topic(edit: (res: any, statements: any[]) => void = () => {}) {
  const statements: any[] = [
    {
      Sid: "AllowOwnAlarmsToPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Resource: TOPIC_ARN,
    },
  ];
  const res: any = {
    aws_sns_topic: { T: { name: "alarms" } },
    aws_sns_topic_policy: { P: { arn: "${aws_sns_topic.T.arn}", policy: "" } },
  };
  edit(res, statements);
  res.aws_sns_topic_policy.P.policy = JSON.stringify({ Version: "2012-10-17", Statement: statements });
  return stackOf(res);
}

test("sns-topic-name", () => {
  expectCompliant(sns.topicName, topic());
  expectFinding(
    sns.topicName,
    topic((r) => (r.aws_sns_topic.T.name = "alarms.v2")),
    /must be 1-256 of/,
  );
  expectFinding(
    sns.topicName,
    topic((r) => (r.aws_sns_topic.T.fifo_topic = true)),
    /must end in .fifo/,
  );
});

test("sns-topic-name-unique", () => {
  expectCompliant(sns.topicNamesUnique, topic());
  expectFinding(
    sns.topicNamesUnique,
    topic((r) => (r.aws_sns_topic.U = { name: "alarms" })),
    /used by 2 resources/,
  );
});

test("sns-topic-policy-quotas", () => {
  expectCompliant(sns.topicPolicyQuotas, topic());
  expectFinding(
    sns.topicPolicyQuotas,
    topic((_, s) => (s[0].Resource = `arn:aws:sns:${REGION}:${ACCOUNT}:other`)),
    /names arn:aws:sns:eu-west-1:111122223333:other, not the topic/,
  );
  expectFinding(
    sns.topicPolicyQuotas,
    topic((_, s) => (s[0].Resource = [TOPIC_ARN, TOPIC_ARN])),
    /2 resources, exactly 1/,
  );
  expectFinding(
    sns.topicPolicyQuotas,
    topic((_, s) => s.push({ ...s[0] })),
    /Sids are not unique/,
  );
  expectFinding(
    sns.topicPolicyQuotas,
    topic((_, s) => s.push(...Array.from({ length: 100 }, (_, i) => ({ ...s[0], Sid: `S${i}` })))),
    /101 statements, at most 100/,
  );
});

corpusSuite(sns.rules);
