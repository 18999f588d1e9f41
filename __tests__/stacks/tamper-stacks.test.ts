/**
 * monitoring.tamper mapped onto the stacks: on by default with the alarms,
 * off with them or on its own; the roles that apply each stack exempted;
 * an account's pipeline roles watched by exactly one of its stacks.
 */
import { iamWatchHostRegion, tamperRulePrefix } from "../../modules/naming/tamper-names";
import { ARCHIVE, errorsFor, registryWith, SOURCE } from "../helpers/registry";
import { resourcesOf, synthRegistry, type TfJson } from "../helpers/synth";

const rulesOf = (stack: TfJson) => resourcesOf(stack, "aws_cloudwatch_event_rule").map(([, r]) => r);
const tamperRules = (stack: TfJson) => rulesOf(stack).filter((r) => r.name.startsWith(tamperRulePrefix("cwl-archive")));

/** Every role ARN a stack's tamper patterns exempt. */
function exempted(stack: TfJson): string[] {
  const arns = new Set<string>();
  for (const rule of tamperRules(stack)) {
    for (const match of rule.event_pattern.matchAll(/"anything-but":\[([^\]]*)\]/g)) {
      for (const arn of JSON.parse(`[${match[1]}]`)) if (String(arn).startsWith("arn:")) arns.add(arn);
    }
  }
  return [...arns].sort();
}

describe("monitoring.tamper", () => {
  test("on by default: every stack of the registry watches, the archive collects", () => {
    const { stacks } = synthRegistry(registryWith());
    expect(resourcesOf(stacks["log-archive"]!, "aws_cloudwatch_event_bus").map(([, b]) => b.name)).toEqual([
      "cwl-archive-tamper",
    ]);
    for (const name of Object.keys(stacks)) expect(tamperRules(stacks[name]!).length).toBeGreaterThan(0);
  });

  test.each<[string, (r: any) => void]>([
    ["alarms off", (r) => (r.monitoring = { alarms: { enabled: false } })],
    ["tamper off", (r) => (r.monitoring = { tamper: { enabled: false } })],
  ])("%s: no stack holds a tamper rule, bus or role", (_case, edit) => {
    const { stacks } = synthRegistry(registryWith(edit));
    for (const stack of Object.values(stacks)) {
      expect(tamperRules(stack)).toEqual([]);
      expect(resourcesOf(stack, "aws_cloudwatch_event_bus")).toEqual([]);
      expect(resourcesOf(stack, "aws_iam_role").filter(([, r]) => r.name.includes("-tamper-"))).toEqual([]);
    }
  });

  test("fails on tamper detection without the alarms it notifies, and on exempt principals that are not roles", () => {
    expect(
      errorsFor((r) => {
        r.monitoring = {
          alarms: { enabled: false },
          tamper: { enabled: true, exemptRoleArns: ["arn:aws:iam::111111111111:user/deploy"] },
        };
      }),
    ).toEqual([
      'test.yaml: monitoring.tamper.exemptRoleArns[0]: expected an IAM role ARN such as arn:aws:iam::111111111111:role/Deploy (with its path, if any), got "arn:aws:iam::111111111111:user/deploy"',
    ]);
    expect(errorsFor((r) => (r.monitoring = { alarms: { enabled: false }, tamper: { enabled: true } }))).toEqual([
      "test.yaml: monitoring.tamper.enabled: needs alarms: tamper detection notifies the archive's alarm topic (or switch tamper detection off)",
    ]);
  });

  test("exempt: the role that applies each stack, and the registry's exempt roles; none from ambient credentials", () => {
    const extra = "arn:aws:iam::333333333333:role/ci/terraform";
    const { stacks } = synthRegistry(registryWith((r) => (r.monitoring = { tamper: { exemptRoleArns: [extra] } })));
    expect(exempted(stacks["log-archive"]!)).toEqual(
      [`arn:aws:iam::${ARCHIVE}:role/OrganizationAccountAccessRole`, extra].sort(),
    );
    expect(exempted(stacks[`log-source-${SOURCE}-eu-west-1`]!)).toEqual(
      [`arn:aws:iam::${SOURCE}:role/OrganizationAccountAccessRole`, extra].sort(),
    );
    const ambient = synthRegistry(
      registryWith((r) => {
        r.deployment = { credentials: "ambient" };
        r.monitoring = { tamper: { exemptRoleArns: [extra] } };
      }),
    ).stacks;
    expect(exempted(ambient[`log-source-${SOURCE}-eu-west-1`]!)).toEqual([extra]);
  });
});

describe("the pipeline's roles, watched in us-east-1 by one stack of the account", () => {
  test("the account's us-east-1 stack when it has one, without a Region in the rule's name", () => {
    const { stacks } = synthRegistry(registryWith());
    const iam = (region: string) =>
      tamperRules(stacks[`log-source-${SOURCE}-${region}`]!).filter((r) => r.name.endsWith("-iam"));
    expect(iam("us-east-1").map((r) => [r.name, r.region])).toEqual([["cwl-archive-tamper-src-iam", undefined]]);
    expect(iam("eu-west-1")).toEqual([]);
  });

  test("otherwise its alphabetically first Region's stack, in us-east-1; reordering the Regions moves nothing", () => {
    for (const regions of [
      ["eu-west-1", "ap-southeast-2"],
      ["ap-southeast-2", "eu-west-1"],
    ]) {
      const { stacks } = synthRegistry(registryWith((r) => (r.accounts[0].regions = regions)));
      const hosts = Object.entries(stacks)
        .filter(([name]) => name.startsWith("log-source-"))
        .flatMap(([name, stack]) =>
          tamperRules(stack)
            .filter((r) => r.name.endsWith("-iam"))
            .map((r) => [name, r.name, r.region]),
        );
      expect(hosts).toEqual([
        [`log-source-${SOURCE}-ap-southeast-2`, "cwl-archive-tamper-src-ap-southeast-2-iam", "us-east-1"],
      ]);
    }
  });

  test("iamWatchHostRegion: us-east-1 first, then the alphabetically first Region; never an empty list", () => {
    expect(iamWatchHostRegion(["eu-west-1", "us-east-1"])).toBe("us-east-1");
    expect(iamWatchHostRegion(["sa-east-1", "eu-central-1"])).toBe("eu-central-1");
    expect(() => iamWatchHostRegion([])).toThrow("an account has at least one Region");
  });
});

describe("the key-management account and the management account", () => {
  const { stacks } = synthRegistry(
    registryWith((r) => {
      r.keys = { accountId: "444444444444" };
      r.archive = { replicaRegion: "eu-central-1" };
      r.sources = { cloudTrail: { enabled: true, managementAccountId: "555555555555" } };
      r.deployment = { managementAccount: { credentials: "assumeRole", roleName: "TrailDeployer" } };
    }),
  );

  test("log-keys watches its keys in the archive's and the replica's Region, and its forwarding role where IAM records", () => {
    expect(
      tamperRules(stacks["log-keys"]!)
        .map((r) => [r.name, r.region ?? "eu-west-1"])
        .sort(),
    ).toEqual(
      [
        ["cwl-archive-tamper-keys-kms", "eu-west-1"],
        ["cwl-archive-tamper-keys-alias", "eu-west-1"],
        ["cwl-archive-tamper-keys-events", "eu-west-1"],
        ["cwl-archive-tamper-keys-guard", "eu-west-1"],
        ["cwl-archive-tamper-keys-kms", "eu-central-1"],
        ["cwl-archive-tamper-keys-alias", "eu-central-1"],
        ["cwl-archive-tamper-keys-events", "eu-central-1"],
        ["cwl-archive-tamper-keys-guard", "eu-central-1"],
        ["cwl-archive-tamper-keys-eu-west-1-iam", "us-east-1"],
        ["cwl-archive-tamper-keys-eu-west-1-events", "us-east-1"],
        ["cwl-archive-tamper-keys-eu-west-1-guard", "us-east-1"],
      ].sort(),
    );
    expect(exempted(stacks["log-keys"]!)).toEqual(["arn:aws:iam::444444444444:role/OrganizationAccountAccessRole"]);
  });

  test("the trail stack watches the trail and its forwarding role, exempting the management account's own deployment role", () => {
    expect(
      tamperRules(stacks["log-organization-trail"]!)
        .map((r) => r.name)
        .sort(),
    ).toEqual([
      "cwl-archive-tamper-trail-cloudtrail",
      "cwl-archive-tamper-trail-eu-west-1-events",
      "cwl-archive-tamper-trail-eu-west-1-guard",
      "cwl-archive-tamper-trail-eu-west-1-iam",
      "cwl-archive-tamper-trail-events",
      "cwl-archive-tamper-trail-guard",
    ]);
    expect(exempted(stacks["log-organization-trail"]!)).toEqual(["arn:aws:iam::555555555555:role/TrailDeployer"]);
  });
});
