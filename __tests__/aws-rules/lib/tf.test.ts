import { ACCOUNT, stackOf } from "./fixture";
import { mergeAccount } from "./run";
import { WORST_CASE_LENGTH, applyValue, arnOf, findBucket, regionOf, refTo } from "./tf";

const stack = stackOf({
  aws_s3_bucket: { B: { bucket: "archive" }, R: { bucket: "replica", region: "eu-central-1" } },
  aws_sqs_queue: { Q: { name: "notifications" } },
  aws_kms_key: { K: {} },
});

describe("applyValue: an attribute as AWS receives it", () => {
  test("resolves references to what the stack knows and undoes the $${ escape", () => {
    expect(applyValue(stack, "${aws_s3_bucket.B.arn}/*")).toBe("arn:aws:s3:::archive/*");
    expect(applyValue(stack, "${aws_sqs_queue.Q.arn}")).toBe(`arn:aws:sqs:eu-west-1:${ACCOUNT}:notifications`);
    expect(applyValue(stack, "s3://archive/account=$${account}/")).toBe("s3://archive/account=${account}/");
  });

  test("counts what only apply knows at its worst-case length", () => {
    expect(applyValue(stack, "${aws_kms_key.K.arn}")).toHaveLength(WORST_CASE_LENGTH.kmsKeyArn);
    expect(applyValue(stack, "${aws_kms_key.K.key_id}")).toHaveLength(WORST_CASE_LENGTH.kmsKeyId);
    expect(applyValue(stack, "${aws_iam_role.Missing.arn}")).toHaveLength(WORST_CASE_LENGTH.unknown);
  });
});

describe("resources and their Regions", () => {
  test("a resource's own region argument wins over the provider's", () => {
    expect(regionOf(stack, stack.resource.aws_s3_bucket!.R)).toBe("eu-central-1");
    expect(regionOf(stack, stack.resource.aws_s3_bucket!.B)).toBe("eu-west-1");
  });

  test("buckets are found by reference, name or ARN", () => {
    expect(findBucket(stack, "${aws_s3_bucket.R.bucket}")?.address).toBe("aws_s3_bucket.R");
    expect(findBucket(stack, "replica")?.address).toBe("aws_s3_bucket.R");
    expect(findBucket(stack, "arn:aws:s3:::archive")?.address).toBe("aws_s3_bucket.B");
    expect(arnOf(stack, refTo(stack, "${aws_s3_bucket.B.id}")!)).toBe("arn:aws:s3:::archive");
  });
});

describe("mergeAccount: the stacks of one account as one", () => {
  const merged = mergeAccount([
    { stack: "log-archive", json: stackOf({ aws_cloudwatch_log_group: { G: { name: "/g" } } }) },
    {
      stack: "log-source",
      json: stackOf(
        {
          aws_cloudwatch_log_group: { G: { name: "/g" } },
          aws_cloudwatch_log_stream: {
            S: {
              log_group_name: "${aws_cloudwatch_log_group.G.name}",
              depends_on: ["aws_cloudwatch_log_group.G"],
              note: "$${aws:username}",
            },
          },
        },
        { region: "us-east-1" },
      ),
    },
  ]);

  test("keeps every resource, named after its stack, with its Region", () => {
    expect(Object.keys(merged.resource.aws_cloudwatch_log_group!)).toEqual(["log-archive/G", "log-source/G"]);
    expect(merged.resource.aws_cloudwatch_log_group!["log-source/G"].region).toBe("us-east-1");
  });

  test("rewrites references and depends_on, not escaped interpolations", () => {
    const s = merged.resource.aws_cloudwatch_log_stream!["log-source/S"];
    expect(s.log_group_name).toBe("${aws_cloudwatch_log_group.log-source/G.name}");
    expect(s.depends_on).toEqual(["aws_cloudwatch_log_group.log-source/G"]);
    expect(s.note).toBe("$${aws:username}");
    expect(refTo(merged, s.log_group_name)?.config.region).toBe("us-east-1");
  });
});
