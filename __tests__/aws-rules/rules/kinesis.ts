/**
 * Amazon Kinesis Data Streams: names and retention.
 */
import { defineRule, type Rule } from "../lib/rule";
import { all, unresolved, type Res } from "../lib/tf";
import { uniqueNameRule } from "../lib/unique";

const SERVICE = "kinesis";

export const streamName = defineRule<Res>({
  id: "kinesis-stream-name",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kinesis-stream.html",
  description: "Stream names: pattern ^[a-zA-Z0-9_.-]+$, 1-128 characters.",
  needs: "central.kinesisStream.enabled",
  targets: (stack) =>
    all(stack, "aws_kinesis_stream").filter((s) => typeof s.config.name === "string" && !unresolved(s.config.name)),
  address: (s) => s.address,
  violations: (s) =>
    /^[a-zA-Z0-9_.-]{1,128}$/.test(s.config.name)
      ? []
      : [`stream name "${s.config.name}" must be 1-128 of [a-zA-Z0-9_.-]`],
});

export const streamNamesUnique = uniqueNameRule({
  id: "kinesis-stream-name-unique",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html",
  description:
    "A stream name is scoped to the account and Region: two streams of one name in one account and Region cannot exist.",
  needs: "central.kinesisStream.enabled",
  type: "aws_kinesis_stream",
  nameOf: (c) => c.name,
  perRegion: true,
});

export const retention = defineRule<Res>({
  id: "kinesis-retention-period",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/kinesis/latest/APIReference/API_IncreaseStreamRetentionPeriod.html",
  description: "Retention is 24 hours (the default and minimum) to 8,760 hours (365 days), the maximum.",
  needs: "central.kinesisStream.enabled",
  targets: (stack) => all(stack, "aws_kinesis_stream").filter((s) => s.config.retention_period !== undefined),
  address: (s) => s.address,
  violations: (s) => {
    const h = s.config.retention_period;
    return Number.isInteger(h) && h >= 24 && h <= 8760 ? [] : [`retention_period ${h} h, must be 24-8760`];
  },
});

export const rules: readonly Rule[] = [streamName, streamNamesUnique, retention];
