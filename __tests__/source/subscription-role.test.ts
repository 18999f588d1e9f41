import type { TerraformStack } from "cdktf";
import { SubscriptionRole } from "../../modules/source/subscription-role";
import { ref, synthConstruct } from "../helpers/construct";
import { SOURCE, sourceContext } from "../helpers/source-context";
import { policyOf, resource } from "../helpers/synth";

const CONTEXT = sourceContext();
const { names } = CONTEXT;

function build(central?: boolean) {
  return (stack: TerraformStack) => new SubscriptionRole(stack, "SubscriptionRole", { context: CONTEXT, central });
}

describe("SubscriptionRole", () => {
  describe("GIVEN the source context only", () => {
    const tf = synthConstruct(build());

    test("THEN CloudWatch Logs of this account and Region, and nothing else, assumes the role", () => {
      const role = resource(tf, "aws_iam_role", "SubscriptionRole/Role");
      expect(role.name).toBe("cwl-archive-cwl-us-east-1");
      expect(policyOf(role.assume_role_policy).Statement).toEqual([
        {
          Sid: "CloudWatchLogsOfThisAccountAndRegionAssumes",
          Effect: "Allow",
          Principal: { Service: "logs.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringLike: { "aws:SourceArn": `arn:aws:logs:us-east-1:${SOURCE}:*` } },
        },
      ]);
    });

    test("THEN the role may put records into this account's delivery stream only (not central: the default)", () => {
      const policy = resource(tf, "aws_iam_role_policy", "SubscriptionRole/Policy");
      expect(policy).toMatchObject({
        name: "put-into-delivery-stream",
        role: ref(tf, "aws_iam_role", "SubscriptionRole/Role", "name"),
      });
      expect(policyOf(policy.policy).Statement).toEqual([
        {
          Sid: "PutRecordsIntoDeliveryStream",
          Effect: "Allow",
          Action: ["firehose:PutRecord", "firehose:PutRecordBatch"],
          Resource: names.deliveryStreamArn,
        },
      ]);
    });
  });

  test("GIVEN central THEN the role may only forward this account's log groups to the destination", () => {
    const tf = synthConstruct(build(true));

    expect(policyOf(resource(tf, "aws_iam_role_policy", "SubscriptionRole/Policy").policy).Statement).toEqual([
      {
        Sid: "ForwardOwnLogGroups",
        Effect: "Allow",
        Action: "logs:PutLogEvents",
        Resource: `arn:aws:logs:us-east-1:${SOURCE}:log-group:*`,
      },
    ]);
  });
});
