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

describe("tamper detection's EventBridge constraints", () => {
  const BUS = "arn:aws:events:eu-west-1:999999999999:event-bus/cwl-archive-tamper";
  const RULE_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:rule/cwl-archive-tamper-src-s3`;
  const doc = (...statements: any[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
  const trust = (sourceArn = RULE_ARN) =>
    doc({
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnEquals: { "aws:SourceArn": sourceArn } },
    });
  /** A detection rule forwarding to a bus of another account through its role. */
  const forwarder = (target: any = {}, role: any = {}, policy: any = {}) =>
    stackOf({
      aws_cloudwatch_event_rule: { R: { name: "cwl-archive-tamper-src-s3", event_pattern: '{"source":["aws.s3"]}' } },
      aws_cloudwatch_event_target: {
        T: {
          rule: "${aws_cloudwatch_event_rule.R.name}",
          target_id: "tamper-bus",
          arn: BUS,
          role_arn: "${aws_iam_role.F.arn}",
          ...target,
        },
      },
      aws_iam_role: { F: { name: "cwl-archive-tamper-forward-eu-west-1", assume_role_policy: trust(), ...role } },
      aws_iam_role_policy: {
        P: {
          role: "${aws_iam_role.F.name}",
          policy: doc({ Effect: "Allow", Action: "events:PutEvents", Resource: BUS }),
          ...policy,
        },
      },
    });

  test("events-event-pattern-size", () => {
    expectCompliant(
      events.eventPatternSize,
      rule({ event_pattern: '{"source":["aws.s3"]}', schedule_expression: undefined }),
    );
    const long = JSON.stringify({ detail: { name: ["x".repeat(2100)] } });
    expectFinding(events.eventPatternSize, rule({ event_pattern: long }), /over the 2048 EventBridge accepts/);
    // A key id counts its longest form (36 characters) once Terraform resolves it.
    const near = JSON.stringify({ a: ["x".repeat(1990)], k: [{ suffix: "${aws_kms_key.K.key_id}" }] });
    const withKey = stackOf({
      aws_kms_key: { K: {} },
      aws_cloudwatch_event_rule: { R: { name: "r", event_pattern: near } },
    });
    expect(near.length).toBeLessThan(2048);
    expectFinding(events.eventPatternSize, withKey, /event pattern of 2056 characters/);
  });

  test("events-bus-target-role", () => {
    expectCompliant(events.busTargetRole, forwarder());
    expectFinding(events.busTargetRole, forwarder({ role_arn: undefined }), /must set role_arn/);
    expectFinding(
      events.busTargetRole,
      forwarder({}, { assume_role_policy: trust(`arn:aws:events:${REGION}:${ACCOUNT}:rule/other`) }),
      /events.amazonaws.com may not assume/,
    );
    expectFinding(
      events.busTargetRole,
      forwarder({}, {}, { policy: doc({ Effect: "Allow", Action: "events:PutEvents", Resource: `${BUS}-other` }) }),
      /allows events:PutEvents on arn:aws:events:eu-west-1:999999999999:event-bus\/cwl-archive-tamper/,
    );
  });

  const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:cwl-archive-archive-alarms`;
  const NOTIFY = `arn:aws:events:${REGION}:${ACCOUNT}:rule/cwl-archive-tamper/cwl-archive-tamper-notify`;
  const fromNotify = { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnEquals: { "aws:SourceArn": NOTIFY } };
  /** The tamper bus's rule publishing to an encrypted topic. */
  const notifier = (topicPolicy: any = {}, keyStatement: any = {}, target: any = {}) =>
    stackOf({
      aws_cloudwatch_event_bus: { B: { name: "cwl-archive-tamper" } },
      aws_cloudwatch_event_rule: {
        R: {
          name: "cwl-archive-tamper-notify",
          event_bus_name: "${aws_cloudwatch_event_bus.B.name}",
          event_pattern: "{}",
        },
      },
      aws_cloudwatch_event_target: {
        T: {
          rule: "${aws_cloudwatch_event_rule.R.name}",
          event_bus_name: "${aws_cloudwatch_event_bus.B.name}",
          target_id: "alarm-topic",
          arn: "${aws_sns_topic.S.arn}",
          input_transformer: {
            input_paths: { account: "$.account" },
            input_template: '"<account> <aws.events.rule-name>"',
          },
          ...target,
        },
      },
      aws_kms_key: {
        K: {
          policy: doc({
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: fromNotify,
            ...keyStatement,
          }),
        },
      },
      aws_sns_topic: { S: { name: "cwl-archive-archive-alarms", kms_master_key_id: "${aws_kms_key.K.arn}" } },
      aws_sns_topic_policy: {
        P: {
          arn: "${aws_sns_topic.S.arn}",
          policy: doc({
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sns:Publish",
            Resource: TOPIC,
            Condition: fromNotify,
            ...topicPolicy,
          }),
        },
      },
    });

  test("events-sns-target-permissions", () => {
    expectCompliant(events.snsTargetPermissions, notifier());
    const otherRule = {
      ArnEquals: { "aws:SourceArn": `arn:aws:events:${REGION}:${ACCOUNT}:rule/cwl-archive-tamper-notify` },
    };
    expectFinding(
      events.snsTargetPermissions,
      notifier({ Condition: otherRule }),
      /lets events.amazonaws.com sns:Publish/,
    );
    expectFinding(
      events.snsTargetPermissions,
      notifier({}, { Action: "kms:Decrypt" }),
      /does not let events.amazonaws.com kms:GenerateDataKey/,
    );
  });

  test("events-resource-policy-target-no-role", () => {
    expectCompliant(events.resourcePolicyTargetNoRole, notifier());
    expectFinding(
      events.resourcePolicyTargetNoRole,
      notifier({}, {}, { role_arn: `arn:aws:iam::${ACCOUNT}:role/x` }),
      /a sns target must not set role_arn/,
    );
  });

  test("events-input-transformer", () => {
    expectCompliant(events.inputTransformer, notifier());
    const transformer = (input_transformer: any) => notifier({}, {}, { input_transformer });
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`v${i}`, "$.id"]));
    expectFinding(
      events.inputTransformer,
      transformer({ input_paths: many, input_template: '"x"' }),
      /101 input paths/,
    );
    expectFinding(
      events.inputTransformer,
      transformer({ input_paths: { account: "$.account" }, input_template: '"<acount>"' }),
      /uses <acount>, which no input path defines/,
    );
    expectFinding(
      events.inputTransformer,
      transformer({ input_paths: { "aws.events.event": "$.id" }, input_template: '"x"' }),
      /aws.events.event is reserved/,
    );
  });
});
