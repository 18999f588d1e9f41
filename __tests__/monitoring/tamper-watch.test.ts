import type { TerraformStack } from "cdktf";
import { TamperBus, type TamperBusProps } from "../../modules/monitoring/tamper-bus";
import { TamperWatch, type TamperWatchProps } from "../../modules/monitoring/tamper-watch";
import { bucketWatches, keyWatches, roleWatches, tamperInputTransformer } from "../../modules/policy/tamper-patterns";
import { errorsOf, ref, STACK_REGION, synthConstruct } from "../helpers/construct";
import { policyOf, resource, resourcesOf, type TfJson } from "../helpers/synth";

const ACCOUNT = "222222222222";
const ARCHIVE = "111111111111";
const BUS_ARN = `arn:aws:events:eu-west-1:${ARCHIVE}:event-bus/cwl-archive-tamper`;
const DEPLOY = `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole`;

const PROPS: TamperWatchProps = {
  accountId: ACCOUNT,
  stackRegion: STACK_REGION,
  kind: "source",
  busArn: BUS_ARN,
  exemptRoleArns: [DEPLOY],
  regions: [
    { region: STACK_REGION, watches: bucketWatches(["b"]), otherRules: ["cwl-archive-heartbeat"] },
    { region: "us-east-1", remote: true, watches: roleWatches(["cwl-archive-cwl-"]) },
  ],
};

function build(props: Partial<TamperWatchProps> = {}) {
  return (stack: TerraformStack) => new TamperWatch(stack, "Tamper", { ...PROPS, ...props });
}

const rules = (tf: TfJson) => resourcesOf(tf, "aws_cloudwatch_event_rule").map(([, r]) => r);

describe("TamperWatch", () => {
  describe("GIVEN watches in the stack's Region and IAM in us-east-1", () => {
    const tf = synthConstruct(build());

    test("THEN one rule per service and Region, and two that watch the rules, all enabled", () => {
      expect(
        rules(tf)
          .map((r) => [r.name, r.region ?? STACK_REGION, r.state])
          .sort(),
      ).toEqual(
        [
          ["cwl-archive-tamper-src-s3", "eu-west-1", "ENABLED"],
          ["cwl-archive-tamper-src-events", "eu-west-1", "ENABLED"],
          ["cwl-archive-tamper-src-guard", "eu-west-1", "ENABLED"],
          // Rules in a Region the stack does not own carry the stack's Region in their names.
          ["cwl-archive-tamper-src-eu-west-1-iam", "us-east-1", "ENABLED"],
          ["cwl-archive-tamper-src-eu-west-1-events", "us-east-1", "ENABLED"],
          ["cwl-archive-tamper-src-eu-west-1-guard", "us-east-1", "ENABLED"],
        ].sort(),
      );
    });

    test("THEN every rule forwards to the tamper bus through the forwarding role, in its own Region", () => {
      const targets = resourcesOf(tf, "aws_cloudwatch_event_target").map(([, t]) => t);
      expect(targets).toHaveLength(6);
      for (const target of targets) {
        expect(target).toMatchObject({ arn: BUS_ARN, target_id: "tamper-bus" });
        expect(target.role_arn).toBe(ref(tf, "aws_iam_role", "Tamper/Role", "arn"));
      }
      expect(targets.filter((t) => t.region === "us-east-1")).toHaveLength(3);
    });

    test("THEN the role may only put events on the bus, and only this account's detection rules assume it", () => {
      const role = resource(tf, "aws_iam_role", "Tamper/Role");
      expect(role.name).toBe("cwl-archive-tamper-forward-eu-west-1");
      const trust = policyOf(role.assume_role_policy).Statement[0];
      expect(trust.Principal).toEqual({ Service: "events.amazonaws.com" });
      expect(trust.Condition.StringEquals).toEqual({ "aws:SourceAccount": ACCOUNT });
      expect(trust.Condition.ArnEquals["aws:SourceArn"]).toHaveLength(6);
      expect(trust.Condition.ArnEquals["aws:SourceArn"]).toContain(
        `arn:aws:events:us-east-1:${ACCOUNT}:rule/cwl-archive-tamper-src-eu-west-1-iam`,
      );
      expect(policyOf(resource(tf, "aws_iam_role_policy", "Tamper/Policy").policy).Statement).toEqual([
        { Sid: "PutEventsOnTheTamperBusOnly", Effect: "Allow", Action: "events:PutEvents", Resource: BUS_ARN },
      ]);
    });

    test("THEN the events rule watches every tamper rule by prefix and the other rules of the Region by name", () => {
      const events = rules(tf).find((r) => r.name === "cwl-archive-tamper-src-events")!;
      const pattern = JSON.parse(events.event_pattern);
      expect(pattern.detail.$or[0].requestParameters.name).toEqual([
        { prefix: "cwl-archive-tamper-" },
        "cwl-archive-heartbeat",
      ]);
    });
  });

  describe("fails", () => {
    test("fails on a bus ARN, exempt roles, Regions or an account that AWS would refuse, naming each", () => {
      expect(
        errorsOf(
          build({
            accountId: "1",
            busArn: "arn:aws:sns:eu-west-1:111111111111:topic",
            exemptRoleArns: ["arn:aws:iam::222222222222:user/alice"],
            regions: [],
          }),
        ),
      ).toEqual([
        'TamperWatch test/Tamper: accountId: expected a 12-digit AWS account id, got "1"',
        'TamperWatch test/Tamper: busArn: expected an event bus ARN, got "arn:aws:sns:eu-west-1:111111111111:topic"',
        "TamperWatch test/Tamper: regions: expected at least one Region to watch",
        'TamperWatch test/Tamper: exemptRoleArns[0]: expected an IAM role ARN (arn:<partition>:iam::<account>:role/<path and name>), got "arn:aws:iam::222222222222:user/alice"',
      ]);
    });

    test("fails on a pattern over EventBridge's size, naming the rule", () => {
      const many = Array.from({ length: 30 }, (_, i) => `arn:aws:iam::${ACCOUNT}:role/deployment-role-number-${i}`);
      const errors = errorsOf(build({ exemptRoleArns: many }));
      expect(errors).toContainEqual(
        expect.stringMatching(
          /^TamperWatch test\/Tamper: the event pattern of cwl-archive-tamper-src-s3 in eu-west-1 would be \d+ characters, over EventBridge's 2048: exempt fewer roles \(30 now\)/,
        ),
      );
    });

    test("fails on a Region listed twice", () => {
      expect(errorsOf(build({ regions: [PROPS.regions[0]!, PROPS.regions[0]!] }))).toContain(
        'TamperWatch test/Tamper: regions[1].region: duplicate Region "eu-west-1"',
      );
    });
  });

  test("a key is watched by its id, which Terraform fills in", () => {
    const tf = synthConstruct(
      build({ regions: [{ region: STACK_REGION, watches: keyWatches([{ id: "${aws_kms_key.k.key_id}" }]) }] }),
    );
    const kms = rules(tf).find((r) => r.name === "cwl-archive-tamper-src-kms")!;
    expect(kms.event_pattern).toContain('"keyId":[{"suffix":"${aws_kms_key.k.key_id}"}]');
  });
});

const BUS_PROPS: TamperBusProps = {
  accountId: ARCHIVE,
  region: "eu-west-1",
  organizationId: "o-a1b2c3d4e5",
  topicArn: `arn:aws:sns:eu-west-1:${ARCHIVE}:cwl-archive-archive-alarms`,
};

describe("TamperBus", () => {
  const tf = synthConstruct((stack) => new TamperBus(stack, "Bus", BUS_PROPS));

  test("a custom bus, never the default one, that the organization may put events on", () => {
    expect(resource(tf, "aws_cloudwatch_event_bus", "Bus/Bus").name).toBe("cwl-archive-tamper");
    const policy = resource(tf, "aws_cloudwatch_event_bus_policy", "Bus/Policy");
    expect(policy.event_bus_name).toBe(ref(tf, "aws_cloudwatch_event_bus", "Bus/Bus", "name"));
    expect(policyOf(policy.policy).Statement[0].Condition).toEqual({
      StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" },
    });
  });

  test("its rule notifies the alarm topic, without a role, with the readable line", () => {
    const rule = resource(tf, "aws_cloudwatch_event_rule", "Bus/Rule");
    expect(rule).toMatchObject({
      name: "cwl-archive-tamper-notify",
      event_bus_name: ref(tf, "aws_cloudwatch_event_bus", "Bus/Bus", "name"),
    });
    const target = resource(tf, "aws_cloudwatch_event_target", "Bus/Target");
    expect(target.arn).toBe(BUS_PROPS.topicArn);
    expect(target.role_arn).toBeUndefined();
    expect(target.input_transformer).toEqual({
      input_paths: tamperInputTransformer().inputPaths,
      input_template: tamperInputTransformer().inputTemplate,
    });
  });

  test("fails on an organization id or an account that is not one", () => {
    expect(
      errorsOf((stack) => new TamperBus(stack, "Bus", { ...BUS_PROPS, accountId: "x", organizationId: "org" })),
    ).toEqual([
      'TamperBus test/Bus: accountId: expected a 12-digit AWS account id, got "x"',
      'TamperBus test/Bus: organizationId: expected "o-" and 10 to 32 lowercase letters or digits, got "org"',
    ]);
  });
});
