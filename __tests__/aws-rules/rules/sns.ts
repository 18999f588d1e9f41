/**
 * Amazon SNS: topic names and topic policies.
 */
import { list, principals, statementsOf, utf8Bytes } from "../lib/policy";
import { defineRule, type Rule } from "../lib/rule";
import { all, applyValue, arnOf, refTo, unresolved, type Res } from "../lib/tf";
import { uniqueNameRule } from "../lib/unique";

const SERVICE = "sns";

export const topicName = defineRule<Res>({
  id: "sns-topic-name",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
  description:
    "'Topic names must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, " +
    "and must be between 1 and 256 characters long. For a FIFO topic, the name must end with the .fifo suffix.'",
  needs: "monitoring.alarms.enabled (the alarm topics)",
  targets: (stack) =>
    all(stack, "aws_sns_topic").filter((t) => typeof t.config.name === "string" && !unresolved(t.config.name)),
  address: (t) => t.address,
  violations: (t) => {
    const name: string = t.config.name;
    const isFifo = t.config.fifo_topic === true;
    const base = isFifo ? name.replace(/\.fifo$/, "") : name;
    const out: string[] = [];
    if (name.length > 256 || !/^[A-Za-z0-9_-]+$/.test(base))
      out.push(`topic name "${name}" must be 1-256 of [A-Za-z0-9_-]`);
    if (isFifo !== name.endsWith(".fifo"))
      out.push(`topic name "${name}" ${isFifo ? "must" : "must not"} end in .fifo`);
    return out;
  },
});

export const topicNamesUnique = uniqueNameRule({
  id: "sns-topic-name-unique",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
  description:
    "A topic name is unique per account and Region; CreateTopic 'is idempotent, so if the requester already owns a " +
    "topic with the specified name, that topic's ARN is returned', and two stacks would then fight over one topic.",
  needs: "monitoring.alarms.enabled",
  type: "aws_sns_topic",
  nameOf: (c) => c.name,
  perRegion: true,
});

// "Bytes: 30 kb; Statements: 100; Principals: 1 to 200; Resource: 1 ... must match the ARN of the policy's topic."
// 30 kb is read as 30,000 bytes, the stricter reading, as the page gives no byte count.
const TOPIC_POLICY = { bytes: 30_000, statements: 100, principals: 200 } as const;

export const topicPolicyQuotas = defineRule<Res>({
  id: "sns-topic-policy-quotas",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-language-api-permissions-reference.html",
  description:
    "A topic policy has at most 30 kb (read as 30,000 UTF-8 bytes, the stricter reading), 100 statements, 1-200 " +
    "principals per statement, unique statement Sids, and exactly one Resource per statement: the ARN of the " +
    "policy's own topic.",
  needs: "monitoring.alarms.enabled",
  targets: (stack) => all(stack, "aws_sns_topic_policy"),
  address: (p) => p.address,
  violations: (p, stack) => {
    const out: string[] = [];
    const bytes = utf8Bytes(stack, p.config.policy);
    if (bytes > TOPIC_POLICY.bytes) out.push(`policy is ${bytes} bytes, at most ${TOPIC_POLICY.bytes}`);
    const statements = statementsOf(p.config.policy) ?? [];
    if (statements.length > TOPIC_POLICY.statements)
      out.push(`${statements.length} statements, at most ${TOPIC_POLICY.statements}`);
    const sids = statements.map((s) => s.Sid).filter((s) => s !== undefined);
    if (new Set(sids).size !== sids.length) out.push("statement Sids are not unique");
    const topic = refTo(stack, p.config.arn);
    const topicArn = topic
      ? arnOf(stack, topic)
      : typeof p.config.arn === "string"
        ? applyValue(stack, p.config.arn)
        : undefined;
    for (const s of statements) {
      const n = principals(s).length;
      if (n < 1 || n > TOPIC_POLICY.principals)
        out.push(`statement ${s.Sid ?? "(no Sid)"} has ${n} principals, must be 1-200`);
      const resources = list(s.Resource).map((r) => applyValue(stack, r));
      if (resources.length !== 1)
        out.push(`statement ${s.Sid ?? "(no Sid)"} has ${resources.length} resources, exactly 1 required`);
      else if (topicArn && resources[0] !== topicArn)
        out.push(`statement ${s.Sid ?? "(no Sid)"} names ${resources[0]}, not the topic ${topicArn}`);
    }
    return out;
  },
});

export const rules: readonly Rule[] = [topicName, topicNamesUnique, topicPolicyQuotas];
