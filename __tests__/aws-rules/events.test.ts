import { corpusSuite, expectCompliant, expectFinding, stackOf } from "./lib/fixture";
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

corpusSuite(events.rules);
