import { ACCOUNT, corpusSuite, expectCompliant, expectFinding, REGION, stackOf } from "./lib/fixture";
import { mergeAccount } from "./lib/run";
import * as events from "./rules/events";

const rule = (config: any = {}, target: any = {}, extra: any = {}) =>
  stackOf({
    aws_cloudwatch_event_rule: {
      R: { name: "cwl-archive-heartbeat", schedule_expression: "rate(5 minutes)", ...config },
      ...extra,
    },
    aws_cloudwatch_event_target: {
      T: { rule: "${aws_cloudwatch_event_rule.R.name}", target_id: "pipeline-log-group", arn: "a", ...target },
    },
  });

test("events-rule-name", () => {
  expectCompliant(events.ruleName, rule());
  expectFinding(events.ruleName, rule({ name: "heartbeat rule" }), /must be 1-64/);
  expectFinding(events.ruleName, rule({ name: "r".repeat(65) }), /must be 1-64/);
});

test("events-rule-name-unique", () => {
  expectCompliant(
    events.ruleNamesUnique,
    rule({}, {}, { S: { name: "cwl-archive-heartbeat", event_bus_name: "custom" } }),
  );
  expectFinding(events.ruleNamesUnique, rule({}, {}, { S: { name: "cwl-archive-heartbeat" } }), /used by 2 resources/);
});

test("events-target-id", () => {
  expectCompliant(events.targetId, rule());
  expectFinding(events.targetId, rule({}, { target_id: "pipeline/log-group" }), /must be 1-64/);
});

test("events-schedule-rate-expression", () => {
  expectCompliant(events.scheduleExpression, rule({ schedule_expression: "rate(1 minute)" }));
  expectFinding(
    events.scheduleExpression,
    rule({ schedule_expression: "rate(1 minutes)" }),
    /a value of 1 takes the singular unit/,
  );
  expectFinding(
    events.scheduleExpression,
    rule({ schedule_expression: "rate(5 minute)" }),
    /a value above 1 takes the plural unit/,
  );
  expectFinding(events.scheduleExpression, rule({ schedule_expression: "rate(0 minutes)" }), /must be positive/);
  expectFinding(events.scheduleExpression, rule({ schedule_expression: "rate(5 seconds)" }), /is not rate/);
});

describe("events-log-group-target", () => {
  const GROUP_ARN = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/cwl-archive/heartbeat`;
  const RULE_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:rule/cwl-archive-heartbeat`;
  const policy = (statement: any = {}) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: ["events.amazonaws.com", "delivery.logs.amazonaws.com"] },
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `${GROUP_ARN}:*`,
          Condition: {
            StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT },
            ArnEqualsIfExists: { "aws:SourceArn": RULE_ARN },
          },
          ...statement,
        },
      ],
    });
  /** The heartbeat: a schedule writing into a log group that its resource policy opens to EventBridge. */
  const heartbeat = (statement: any = {}, target: any = {}, resources: any = {}) =>
    stackOf({
      aws_cloudwatch_log_group: { G: { name: "/cwl-archive/heartbeat" } },
      aws_cloudwatch_log_resource_policy: { P: { policy_name: "events", policy_document: policy(statement) } },
      aws_cloudwatch_event_rule: { R: { name: "cwl-archive-heartbeat", schedule_expression: "rate(5 minutes)" } },
      aws_cloudwatch_event_target: {
        T: { rule: "${aws_cloudwatch_event_rule.R.name}", target_id: "pipeline-log-group", arn: GROUP_ARN, ...target },
      },
      ...resources,
    });

  test("holds for a group, its policy and no role", () => {
    expectCompliant(events.logGroupTarget, heartbeat());
    expectCompliant(events.logGroupTarget, heartbeat({ Action: "logs:*", Condition: undefined }));
  });

  test("fails without a policy that admits the rule", () => {
    expectFinding(
      events.logGroupTarget,
      heartbeat({ Condition: { ArnEquals: { "aws:SourceArn": `${RULE_ARN}-old` } } }),
      /no log resource policy in eu-west-1 lets events.amazonaws.com logs:CreateLogStream on \/cwl-archive\/heartbeat/,
    );
    expectFinding(events.logGroupTarget, heartbeat({ Action: "logs:PutLogEvents" }), /logs:CreateLogStream/);
    expectFinding(events.logGroupTarget, heartbeat({ Resource: `${GROUP_ARN}-other:*` }), /logs:PutLogEvents/);
    expectFinding(
      events.logGroupTarget,
      heartbeat({ Principal: { Service: "delivery.logs.amazonaws.com" } }),
      /lets events.amazonaws.com/,
    );
  });

  test("fails with a role, or without the log group", () => {
    expectFinding(
      events.logGroupTarget,
      heartbeat({}, { role_arn: `arn:aws:iam::${ACCOUNT}:role/events` }),
      /must not set role_arn/,
    );
    expectFinding(
      events.logGroupTarget,
      heartbeat({}, {}, { aws_cloudwatch_log_group: { G: { name: "/cwl-archive/other" } } }),
      /no aws_cloudwatch_log_group \/cwl-archive\/heartbeat in eu-west-1/,
    );
  });

  test("finds the policy in another stack of the account", () => {
    const withoutPolicy = heartbeat();
    delete (withoutPolicy.resource as any).aws_cloudwatch_log_resource_policy;
    const policyStack = stackOf({
      aws_cloudwatch_log_resource_policy: { P: { policy_name: "events", policy_document: policy() } },
    });
    expectFinding(events.logGroupTarget, mergeAccount([{ stack: "a", json: withoutPolicy }]), /no log resource policy/);
    expectCompliant(
      events.logGroupTarget,
      mergeAccount([
        { stack: "a", json: withoutPolicy },
        { stack: "b", json: policyStack },
      ]),
    );
  });
});

corpusSuite(events.rules);
