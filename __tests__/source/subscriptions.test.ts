import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { TerraformStack } from "cdktf";
import { SELECTION_CRITERIA_MAX_BYTES } from "../../modules/naming/log-groups";
import {
  accountPolicyDocument,
  logGroupConstructId,
  Subscriptions,
  type SubscriptionSelection,
  type SubscriptionsProps,
} from "../../modules/source/subscriptions";
import { addressOf, errorsOf, synthConstruct } from "../helpers/construct";
import { resource, resourcesOf, type TfJson } from "../helpers/synth";

const STREAM = "arn:aws:firehose:us-east-1:222222222222:deliverystream/cwl-archive-to-archive";
const ROLE = "arn:aws:iam::222222222222:role/cwl-archive-cwl-us-east-1";
const OWN_ERRORS = "/aws/kinesisfirehose/cwl-archive-to-archive";
const ALL: SubscriptionSelection = { mode: "all", filterPattern: "", excludeLogGroups: [], logGroups: [] };

function build(settings: Partial<SubscriptionSelection> = {}, props: Partial<SubscriptionsProps> = {}) {
  return (stack: TerraformStack) => {
    const rolePolicy = new IamRole(stack, "Ready", { name: "ready", assumeRolePolicy: "{}" });
    const heartbeat = new CloudwatchLogGroup(stack, "HeartbeatGroup", { name: "/cwl-archive/heartbeat" });
    return new Subscriptions(stack, "Subscriptions", {
      region: "us-east-1",
      pipelineLogGroups: [OWN_ERRORS],
      settings: { ...ALL, ...settings },
      filterName: "cwl-archive-to-archive",
      accountPolicyName: "cwl-archive-to-archive",
      deliveryStreamArn: STREAM,
      roleArn: ROLE,
      dependsOn: [rolePolicy],
      ownLogGroups: [{ name: "/cwl-archive/heartbeat", createdBy: heartbeat }],
      ...props,
    });
  };
}

const filters = (tf: TfJson) => resourcesOf(tf, "aws_cloudwatch_log_subscription_filter").map(([, f]) => f);

describe("Subscriptions", () => {
  describe("GIVEN mode all", () => {
    const tf = synthConstruct(build({ excludeLogGroups: ["/noisy", OWN_ERRORS] }));
    const policy = resource(tf, "aws_cloudwatch_log_account_policy", "Subscriptions/AccountPolicy");

    test("THEN one account-level subscription filter policy sends every log group to the stream with the role", () => {
      expect(policy).toMatchObject({
        policy_name: "cwl-archive-to-archive",
        policy_type: "SUBSCRIPTION_FILTER_POLICY",
        scope: "ALL",
      });
      expect(JSON.parse(policy.policy_document)).toEqual({ DestinationArn: STREAM, RoleArn: ROLE, FilterPattern: "" });
    });

    test("THEN the pipeline's own log groups are excluded first, then the exclusions, each once", () => {
      expect(policy.selection_criteria).toBe(`LogGroupName NOT IN ["${OWN_ERRORS}", "/noisy"]`);
    });

    test("THEN the policy waits for what it depends on", () => {
      expect(policy.depends_on).toEqual([addressOf(tf, "aws_iam_role", "test/Ready")]);
    });

    test("THEN no log group has a filter of its own, not even the pipeline's own", () => {
      expect(filters(tf)).toEqual([]);
    });
  });

  test("GIVEN mode all and a filter pattern THEN the policy forwards the matching events only", () => {
    expect(
      JSON.parse(
        accountPolicyDocument({
          deliveryStreamArn: STREAM,
          roleArn: ROLE,
          settings: { ...ALL, filterPattern: "ERROR" },
        }),
      ),
    ).toEqual({ DestinationArn: STREAM, RoleArn: ROLE, FilterPattern: "ERROR" });
  });

  describe("GIVEN mode all and a filter pattern, with the heartbeat's log group", () => {
    // A heartbeat event ({"detail-type":"Scheduled Event","detail":{}}) holds no
    // ERROR: under the policy's pattern it would never be forwarded, and an idle
    // account would look silent to the watch and its alarms forever.
    const tf = synthConstruct(build({ filterPattern: "?ERROR ?Exception" }));
    const policy = resource(tf, "aws_cloudwatch_log_account_policy", "Subscriptions/AccountPolicy");

    test("THEN the heartbeat's group leaves the account policy", () => {
      expect(policy.selection_criteria).toBe(`LogGroupName NOT IN ["${OWN_ERRORS}", "/cwl-archive/heartbeat"]`);
      expect(JSON.parse(policy.policy_document).FilterPattern).toBe("?ERROR ?Exception");
    });

    test("THEN it gets a filter of its own that forwards every event, once the group exists", () => {
      expect(filters(tf)).toEqual([
        expect.objectContaining({
          log_group_name: "/cwl-archive/heartbeat",
          filter_pattern: "",
          destination_arn: STREAM,
          depends_on: expect.arrayContaining([addressOf(tf, "aws_cloudwatch_log_group", "test/HeartbeatGroup")]),
        }),
      ]);
    });
  });

  describe("GIVEN mode listed", () => {
    const tf = synthConstruct(
      build({
        mode: "listed",
        filterPattern: "ERROR",
        logGroups: [
          { name: "/app/api" },
          { name: "/app/worker", filterPattern: "" },
          { name: "/app/eu-only", regions: ["eu-west-1"] },
          { name: "/app/us-only", regions: ["us-east-1"] },
        ],
      }),
    );

    test("THEN there is no account-level policy", () => {
      expect(resourcesOf(tf, "aws_cloudwatch_log_account_policy")).toEqual([]);
    });

    test("THEN each group of this Region gets one filter of the shared name, with its own pattern or the default", () => {
      const patterns = Object.fromEntries(filters(tf).map((f) => [f.log_group_name, f.filter_pattern]));
      expect(patterns).toEqual({
        "/app/api": "ERROR",
        "/app/worker": "",
        "/app/us-only": "ERROR",
        "/cwl-archive/heartbeat": "",
      });
      for (const filter of filters(tf)) {
        expect(filter).toMatchObject({ name: "cwl-archive-to-archive", destination_arn: STREAM, role_arn: ROLE });
      }
    });

    test("THEN the pipeline's own log groups pass every event and wait for the resource that creates them", () => {
      const own = resource(
        tf,
        "aws_cloudwatch_log_subscription_filter",
        `Subscriptions/${logGroupConstructId("/cwl-archive/heartbeat")}`,
      );
      expect(own.filter_pattern).toBe("");
      expect(own.depends_on).toEqual([
        addressOf(tf, "aws_iam_role", "test/Ready"),
        addressOf(tf, "aws_cloudwatch_log_group", "test/HeartbeatGroup"),
      ]);
    });

    test("THEN a filter's address comes from its log group's name, not its place in the list", () => {
      const reordered = synthConstruct(
        build({ mode: "listed", filterPattern: "ERROR", logGroups: [{ name: "/app/us-only" }, { name: "/app/api" }] }),
      );
      const addressesOf = (t: TfJson) =>
        resourcesOf(t, "aws_cloudwatch_log_subscription_filter").map(([name, f]) => [f.log_group_name, name]);
      const before = Object.fromEntries(addressesOf(tf));
      for (const [group, address] of addressesOf(reordered)) expect(address).toBe(before[group]);
    });
  });

  test("GIVEN mode listed and no own log groups THEN only the listed groups get filters", () => {
    const tf = synthConstruct(
      build({ mode: "listed", logGroups: [{ name: "/app/api" }] }, { ownLogGroups: undefined }),
    );

    expect(filters(tf).map((f) => f.log_group_name)).toEqual(["/app/api"]);
  });

  test("logGroupConstructId is readable and tells apart names that sanitise alike", () => {
    expect(logGroupConstructId("/app/api")).toMatch(/^LogGroup-app-api-[0-9a-f]{8}$/);
    expect(logGroupConstructId("/app/api")).not.toBe(logGroupConstructId("/app.api"));
  });

  describe("validation", () => {
    test.each([0, 1024])("accepts a filter pattern of %p characters", (length) => {
      expect(() => synthConstruct(build({ filterPattern: "x".repeat(length) }))).not.toThrow();
    });

    test("fails GIVEN a filter pattern over 1024 characters", () => {
      expect(errorsOf(build({ filterPattern: "x".repeat(1025) }))).toEqual([
        "Subscriptions test/Subscriptions: settings.filterPattern: expected a filter pattern of at most 1024 characters, got 1025",
      ]);
    });

    test("fails GIVEN a listed group's filter pattern over 1024 characters", () => {
      const logGroups = [{ name: "/app/api" }, { name: "/app/worker", filterPattern: "x".repeat(1025) }];
      expect(errorsOf(build({ mode: "listed", logGroups }))).toEqual([
        "Subscriptions test/Subscriptions: settings.logGroups[1].filterPattern: expected a filter pattern of at most 1024 characters, got 1025",
      ]);
    });

    test("fails GIVEN a pattern CloudWatch Logs would refuse at apply: a regular expression with parentheses", () => {
      const logGroups = [{ name: "/app/api", filterPattern: "{ $.level = %(ERROR|WARN)% }" }];
      expect(errorsOf(build({ mode: "listed", logGroups }))).toEqual([
        "Subscriptions test/Subscriptions: settings.logGroups[0].filterPattern: expected a regular expression without parentheses: CloudWatch Logs does not support () in %(ERROR|WARN)%",
      ]);
    });

    test("fails GIVEN so many exclusions that the selection criteria exceed what CloudWatch Logs accepts", () => {
      const excludeLogGroups = Array.from({ length: 500 }, (_, i) => `/app/${"x".repeat(50)}-${i}`);
      expect(errorsOf(build({ excludeLogGroups }))).toEqual([
        expect.stringMatching(
          new RegExp(
            `^Subscriptions test/Subscriptions: settings\\.excludeLogGroups: makes the account-level selection criteria \\d+ bytes in us-east-1; CloudWatch Logs accepts at most ${SELECTION_CRITERIA_MAX_BYTES} \\(use fewer, or mode "listed"\\)$`,
          ),
        ),
      ]);
    });
  });
});
