import type { TerraformStack } from "cdktf";
import { sourceNames } from "../../modules/naming/names";
import type { EventLogTarget } from "../../modules/policy/source-policies";
import { LOG_RETENTION_DAYS } from "../../modules/registry/schema";
import {
  CLOUDWATCH_LOGS_RETENTION_DAYS,
  EventLog,
  EventLogPolicy,
  rateExpression,
  type EventLogProps,
} from "../../modules/constructs/event-log";
import { addressOf, errorsOf, ref, synthConstruct } from "../helpers/construct";
import { policyOf, resource, resourcesOf, statement } from "../helpers/synth";

const ACCOUNT = "222222222222";
const names = sourceNames("cwl-archive", ACCOUNT, "eu-west-1");
const HEARTBEAT: EventLogTarget = {
  sid: "HeartbeatRuleWritesHeartbeats",
  logGroupArn: names.heartbeatLogGroupArn,
  ruleArn: names.heartbeatRuleArn,
};
const GUARDDUTY: EventLogTarget = {
  sid: "GuardDutyRuleWritesFindings",
  logGroupArn: names.guardDutyLogGroupArn,
  ruleArn: names.guardDutyRuleArn,
};
const PATTERN = { source: ["aws.guardduty"], "detail-type": ["GuardDuty Finding"] };

/** The event log policy, and a heartbeat event log that waits for it. */
function build(props: Partial<EventLogProps> = {}) {
  return (stack: TerraformStack) => {
    const policy = new EventLogPolicy(stack, "EventLogPolicy", {
      policyName: names.eventLogPolicy,
      accountId: ACCOUNT,
      targets: [HEARTBEAT],
    });
    return new EventLog(stack, "Heartbeat", {
      logGroupName: names.heartbeatLogGroup,
      logGroupArn: names.heartbeatLogGroupArn,
      retentionDays: 30,
      ruleName: names.heartbeatRule,
      description: "Heartbeat",
      scheduleExpression: "rate(5 minutes)",
      policy: policy.resource,
      ...props,
    });
  };
}

function buildPolicy(targets: readonly EventLogTarget[]) {
  return (stack: TerraformStack) =>
    new EventLogPolicy(stack, "EventLogPolicy", { policyName: names.eventLogPolicy, accountId: ACCOUNT, targets });
}

describe("EventLog", () => {
  describe("GIVEN a schedule", () => {
    const tf = synthConstruct(build());

    test("THEN a log group of the given name keeps events for the given retention, with CloudWatch Logs' own encryption", () => {
      const group = resource(tf, "aws_cloudwatch_log_group", "Heartbeat/LogGroup");
      expect(group).toMatchObject({ name: "/cwl-archive/heartbeat", retention_in_days: 30 });
      expect(group.kms_key_id).toBeUndefined();
    });

    test("THEN a rule runs on the schedule and matches no events", () => {
      const rule = resource(tf, "aws_cloudwatch_event_rule", "Heartbeat/Rule");
      expect(rule).toMatchObject({
        name: "cwl-archive-heartbeat",
        description: "Heartbeat",
        schedule_expression: "rate(5 minutes)",
      });
      expect(rule.event_pattern).toBeUndefined();
    });

    test("THEN the rule writes into the log group once the policy lets it and the group exists", () => {
      expect(resource(tf, "aws_cloudwatch_event_target", "Heartbeat/Target")).toMatchObject({
        rule: ref(tf, "aws_cloudwatch_event_rule", "Heartbeat/Rule", "name"),
        target_id: "pipeline-log-group",
        arn: names.heartbeatLogGroupArn,
        depends_on: [
          addressOf(tf, "aws_cloudwatch_log_resource_policy", "EventLogPolicy/Policy"),
          addressOf(tf, "aws_cloudwatch_log_group", "Heartbeat/LogGroup"),
        ],
      });
    });
  });

  test("GIVEN an event pattern THEN the rule matches it and runs on no schedule", () => {
    const tf = synthConstruct(build({ scheduleExpression: undefined, eventPattern: PATTERN }));

    const rule = resource(tf, "aws_cloudwatch_event_rule", "Heartbeat/Rule");
    expect(JSON.parse(rule.event_pattern)).toEqual(PATTERN);
    expect(rule.schedule_expression).toBeUndefined();
  });

  test("GIVEN a key THEN the log group is encrypted with it", () => {
    const key = "arn:aws:kms:eu-west-1:222222222222:key/0a1b2c3d-0000-4000-8000-000000000000";
    const tf = synthConstruct(build({ kmsKeyArn: key }));

    expect(resource(tf, "aws_cloudwatch_log_group", "Heartbeat/LogGroup").kms_key_id).toBe(key);
  });

  test.each([
    [1, "rate(1 minute)"],
    [5, "rate(5 minutes)"],
    [60, "rate(60 minutes)"],
  ])("rateExpression(%p) is %p, which EventLog accepts", (minutes, expression) => {
    expect(rateExpression(minutes)).toBe(expression);
    expect(() => synthConstruct(build({ scheduleExpression: expression }))).not.toThrow();
  });

  test("the retention periods are the ones the registry accepts", () => {
    expect([...CLOUDWATCH_LOGS_RETENTION_DAYS]).toEqual([...LOG_RETENTION_DAYS]);
  });

  describe("validation", () => {
    test("fails GIVEN both a schedule and an event pattern", () => {
      expect(errorsOf(build({ eventPattern: PATTERN }))).toEqual([
        "EventLog test/Heartbeat: expected exactly one of scheduleExpression and eventPattern, got both",
      ]);
    });

    test("fails GIVEN neither a schedule nor an event pattern", () => {
      expect(errorsOf(build({ scheduleExpression: undefined }))).toEqual([
        "EventLog test/Heartbeat: expected exactly one of scheduleExpression and eventPattern, got neither",
      ]);
    });

    test.each([
      "rate(1 minute)",
      "rate(2 minutes)",
      "rate(1 hour)",
      "rate(12 hours)",
      "rate(1 day)",
      "rate(7 days)",
      "cron(0 12 * * ? *)",
      "cron(0/5 8-17 ? * MON-FRI *)",
    ])("accepts the schedule %p", (scheduleExpression) => {
      expect(() => synthConstruct(build({ scheduleExpression }))).not.toThrow();
    });

    test.each([
      "rate(0 minutes)",
      "rate(1 minutes)",
      "rate(5 minute)",
      "rate(2 weeks)",
      "rate(1.5 hours)",
      "every 5 minutes",
      "cron(0 12 * * ?)",
    ])("fails GIVEN the schedule %p", (scheduleExpression) => {
      expect(errorsOf(build({ scheduleExpression }))).toEqual([
        `EventLog test/Heartbeat: scheduleExpression: expected rate(<value> <unit>) with a positive whole value and a unit of minute(s), hour(s) or day(s), singular for 1 and plural otherwise, or cron(<six fields>), got ${JSON.stringify(scheduleExpression)}`,
      ]);
    });

    test.each([1, 3653])("accepts a retention of %p days", (retentionDays) => {
      expect(() => synthConstruct(build({ retentionDays }))).not.toThrow();
    });

    test.each([0, 2, 3654])("fails GIVEN a retention of %p days", (retentionDays) => {
      expect(errorsOf(build({ retentionDays }))).toEqual([
        `EventLog test/Heartbeat: retentionDays: expected a CloudWatch Logs retention period: one of ${CLOUDWATCH_LOGS_RETENTION_DAYS.join(", ")}, got ${retentionDays}`,
      ]);
    });

    test("fails with every problem at once, one line each", () => {
      const errors = errorsOf(
        build({ scheduleExpression: "rate(0 minutes)", eventPattern: PATTERN, retentionDays: 2 }),
      );
      expect(errors).toHaveLength(3);
      expect(errors[0]).toContain("got both");
      expect(errors[1]).toContain("scheduleExpression:");
      expect(errors[2]).toContain("retentionDays:");
    });
  });
});

describe("EventLogPolicy", () => {
  test("GIVEN targets THEN one account-level policy lets EventBridge write into each log group, for its own rule", () => {
    const tf = synthConstruct(buildPolicy([HEARTBEAT, GUARDDUTY]));

    const [[, resourcePolicy]] = resourcesOf(tf, "aws_cloudwatch_log_resource_policy") as [[string, any]];
    expect(resourcePolicy.policy_name).toBe("cwl-archive-event-logs");
    const policy = policyOf(resourcePolicy.policy_document);
    expect(policy.Statement.map((s) => s.Sid)).toEqual([HEARTBEAT.sid, GUARDDUTY.sid]);
    expect(statement(policy, HEARTBEAT.sid)).toEqual({
      Sid: HEARTBEAT.sid,
      Effect: "Allow",
      Principal: { Service: ["events.amazonaws.com", "delivery.logs.amazonaws.com"] },
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${names.heartbeatLogGroupArn}:*`,
      Condition: {
        StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT },
        ArnEqualsIfExists: { "aws:SourceArn": names.heartbeatRuleArn },
      },
    });
  });

  test("fails GIVEN no targets, which would be a policy without a statement", () => {
    expect(errorsOf(buildPolicy([]))).toEqual([
      "EventLogPolicy test/EventLogPolicy: targets: expected at least one rule and log group, got none (a policy needs a statement)",
    ]);
  });

  test("fails GIVEN so many targets that the policy exceeds 5120 characters", () => {
    const targets = Array.from({ length: 20 }, (_, i) => ({ ...HEARTBEAT, sid: `Rule${i}WritesEvents` }));

    expect(errorsOf(buildPolicy(targets))).toEqual([
      expect.stringMatching(
        /^EventLogPolicy test\/EventLogPolicy: targets: expected a policy of at most 5120 characters, got \d+ for 20 targets$/,
      ),
    ]);
  });
});
