import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformStack, Testing } from "cdktf";
import { partitionOfScope } from "../../modules/constructs/partition";
import { OrganizationGuardrails } from "../../modules/guardrails/organization-guardrails";
import {
  dnsSuffix,
  iamEventsRegion,
  partitionOf,
  partitionOfRegion,
  regionalServicePrincipal,
  servicePrincipal,
  sqsQueueUrl,
  viaServiceName,
} from "../../modules/naming/partition";
import { ALL_REGIONS, CHINA_REGIONS, GOVCLOUD_REGIONS, regionsOf } from "../../modules/naming/regions";
import { TerraformCloudRunRole } from "../../modules/terraform-cloud/oidc-run-role";
import type { TfJson } from "../helpers/synth";

describe("the partition of a Region", () => {
  test.each([
    ["eu-west-1", "aws"],
    ["us-east-1", "aws"],
    ["us-gov-west-1", "aws-us-gov"],
    ["us-gov-east-1", "aws-us-gov"],
    ["cn-north-1", "aws-cn"],
    ["cn-northwest-1", "aws-cn"],
  ])("%s is in %s", (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
    expect(regionsOf(partitionOf(region))).toContain(region);
  });

  test("what is not one Region has no partition of its own", () => {
    expect(partitionOfRegion("*")).toBeUndefined();
    expect(partitionOfRegion("")).toBeUndefined();
    expect(partitionOf("*")).toBe("aws");
  });

  test("every known Region is in exactly one partition's list", () => {
    for (const region of ALL_REGIONS) {
      const lists = (["aws", "aws-us-gov", "aws-cn"] as const).filter((p) => regionsOf(p).includes(region));
      expect(lists).toEqual([partitionOf(region)]);
    }
    expect(GOVCLOUD_REGIONS).toEqual(["us-gov-east-1", "us-gov-west-1"]);
    expect(CHINA_REGIONS).toEqual(["cn-north-1", "cn-northwest-1"]);
  });
});

describe("names of services and endpoints", () => {
  test("service principals are global in every partition; Regional ones and endpoints take China's suffix", () => {
    expect(servicePrincipal("delivery.logs")).toBe("delivery.logs.amazonaws.com");
    expect(dnsSuffix("aws-us-gov")).toBe("amazonaws.com");
    expect(dnsSuffix("aws-cn")).toBe("amazonaws.com.cn");
    expect(regionalServicePrincipal("logs", "us-gov-west-1")).toBe("logs.us-gov-west-1.amazonaws.com");
    expect(regionalServicePrincipal("logs", "cn-north-1")).toBe("logs.cn-north-1.amazonaws.com.cn");
    expect(viaServiceName("s3", "eu-west-1")).toBe("s3.eu-west-1.amazonaws.com");
    expect(viaServiceName("sqs", "cn-northwest-1")).toBe("sqs.cn-northwest-1.amazonaws.com.cn");
    expect(sqsQueueUrl("cn-north-1", "111111111111", "q")).toBe(
      "https://sqs.cn-north-1.amazonaws.com.cn/111111111111/q",
    );
  });

  test("IAM's events arrive in one Region of each partition", () => {
    expect(iamEventsRegion("aws")).toBe("us-east-1");
    expect(iamEventsRegion("aws-us-gov")).toBe("us-gov-west-1");
    expect(iamEventsRegion("aws-cn")).toBe("cn-north-1");
  });
});

/** A stack whose default provider is in `region`, with what `build` adds. */
function synthIn(region: string | undefined, build: (stack: TerraformStack) => void): TfJson {
  const stack = new TerraformStack(new App({ stackTraces: false }), "test");
  if (region !== undefined) new AwsProvider(stack, "aws", { region });
  build(stack);
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

describe("a construct's default partition", () => {
  test("GIVEN the stack's default provider THEN it is that provider's Region's; without one, aws", () => {
    const seen: string[] = [];
    synthIn("us-gov-west-1", (stack) => seen.push(partitionOfScope(stack)));
    synthIn("cn-north-1", (stack) => {
      new AwsProvider(stack, "other", { region: "eu-west-1", alias: "other" });
      seen.push(partitionOfScope(stack));
    });
    synthIn(undefined, (stack) => seen.push(partitionOfScope(stack)));
    expect(seen).toEqual(["aws-us-gov", "aws-cn", "aws"]);
  });

  test("GIVEN a GovCloud stack THEN a Terraform Cloud run role names GovCloud's ReadOnlyAccess and OIDC provider", () => {
    const tf = synthIn("us-gov-west-1", (stack) => {
      new TerraformCloudRunRole(stack, "Run", {
        accountId: "111111111111",
        hostname: "app.terraform.io",
        scope: { organization: "acme", project: "logs" },
        workspaces: ["cwl-log-archive"],
        roleName: "cwl-archive-tfc-run",
        policyArns: ["arn:aws-us-gov:iam::aws:policy/AdministratorAccess"],
        existingOidcProvider: true,
      });
    });
    const text = JSON.stringify(tf);
    expect(text).toContain("arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess");
    expect(text).toContain("arn:aws-us-gov:iam::111111111111:oidc-provider/app.terraform.io");
    expect(text).not.toMatch(/arn:aws:/);
  });

  test("GIVEN guardrails of a GovCloud archive THEN every ARN of their policies is GovCloud's, or the partition given", () => {
    const guardrails = (partition?: "aws-cn") =>
      JSON.stringify(
        synthIn("us-gov-west-1", (stack) => {
          new OrganizationGuardrails(stack, "Guardrails", {
            targetIds: ["r-ab12"],
            deploymentRoleNames: ["OrganizationAccountAccessRole"],
            breakGlassRoleName: "LogPipelineBreakGlass",
            sources: { subscribedLogGroups: ["/app/orders"] },
            archive: { accountId: "111111111111", region: "us-gov-west-1", replicaRegion: "us-gov-east-1" },
            partition,
          });
        }),
      );
    expect(guardrails()).toContain("arn:aws-us-gov:logs:*:*:log-group:/app/orders");
    expect(guardrails()).not.toMatch(/arn:aws:/);
    expect(guardrails("aws-cn")).toContain("arn:aws-cn:iam::*:role/OrganizationAccountAccessRole");
  });
});
