import { ACCOUNT, corpusSuite, expectCompliant, expectFinding, REGION, stackOf } from "./lib/fixture";
import * as lambda from "./rules/lambda";

const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

const RULE_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:rule/watch-schedule`;

/** A scheduled function as the delivery watch deploys it: role, function, rule, permission, target. */
const watch = (fn: any = {}, permission: any = {}, extra: any = {}) =>
  stackOf({
    aws_iam_role: { Role: { name: "watch", assume_role_policy: TRUST } },
    aws_lambda_function: {
      Fn: {
        function_name: "watch",
        description: "Names the sources that fell silent",
        role: "${aws_iam_role.Role.arn}",
        runtime: "nodejs22.x",
        handler: "index.handler",
        reserved_concurrent_executions: 1,
        environment: { variables: { EVENT_LOG_GROUP: "/aws/events/watch", INTERVAL_MINUTES: "5" } },
        ...fn,
      },
      ...extra,
    },
    aws_cloudwatch_event_rule: { Schedule: { name: "watch-schedule", schedule_expression: "rate(5 minutes)" } },
    aws_lambda_permission: {
      P: {
        statement_id: "ScheduleRunsTheWatch",
        action: "lambda:InvokeFunction",
        function_name: "${aws_lambda_function.Fn.function_name}",
        principal: "events.amazonaws.com",
        source_arn: RULE_ARN,
        source_account: ACCOUNT,
        ...permission,
      },
    },
    aws_cloudwatch_event_target: {
      T: {
        rule: "${aws_cloudwatch_event_rule.Schedule.name}",
        target_id: "watch",
        arn: "${aws_lambda_function.Fn.arn}",
      },
    },
  });

test("lambda-environment-variable-keys", () => {
  expectCompliant(lambda.environmentKeys, watch({ environment: { variables: { TZ: "UTC", A1: "x" } } }));
  expectFinding(
    lambda.environmentKeys,
    watch({ environment: { variables: { AWS_REGION: "eu-west-1" } } }),
    /"AWS_REGION" is reserved/,
  );
  expectFinding(lambda.environmentKeys, watch({ environment: { variables: { "1KEY": "x" } } }), /must start with/);
  expectFinding(lambda.environmentKeys, watch({ environment: { variables: { A: "x" } } }), /must start with/);
  expectFinding(lambda.environmentKeys, watch({ environment: { variables: { "MY-KEY": "x" } } }), /must start with/);
});

test("lambda-environment-variables-size", () => {
  expectCompliant(lambda.environmentSize, watch({ environment: { variables: { SOURCES: "x".repeat(4000) } } }));
  expectFinding(
    lambda.environmentSize,
    watch({ environment: { variables: { SOURCES: "x".repeat(4090) } } }),
    /bytes as JSON, at most 4096/,
  );
  // An unresolved reference counts at its worst-case length.
  expectFinding(
    lambda.environmentSize,
    watch({
      environment: {
        variables: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`V${i}`, "${aws_iam_role.Missing.arn}"])),
      },
    }),
    /at most 4096/,
  );
});

test("lambda-function-description", () => {
  expectCompliant(lambda.functionDescription, watch({ description: "d".repeat(256) }));
  expectFinding(lambda.functionDescription, watch({ description: "d".repeat(257) }), /257 characters, at most 256/);
});

test("lambda-handler", () => {
  expectCompliant(lambda.handler, watch({ handler: "dist/index.handler" }));
  expectCompliant(lambda.handler, watch({ runtime: "python3.13", handler: "main" }));
  expectFinding(lambda.handler, watch({ handler: "index. handler" }), /white space/);
  expectFinding(lambda.handler, watch({ handler: "handler" }), /not <file>\.<exported function>/);
  expectFinding(lambda.handler, watch({ handler: "index." }), /not <file>\.<exported function>/);
});

test("lambda-execution-role-trust", () => {
  expectCompliant(lambda.executionRoleTrust, watch());
  const edgeOnly = stackOf({
    aws_iam_role: {
      Role: {
        name: "watch",
        assume_role_policy: TRUST.replace("lambda.amazonaws.com", "edgelambda.amazonaws.com"),
      },
    },
    aws_lambda_function: { Fn: { function_name: "watch", role: "${aws_iam_role.Role.arn}" } },
  });
  expectFinding(lambda.executionRoleTrust, edgeOnly, /does not trust lambda.amazonaws.com/);
});

test("lambda-active-tracing-permissions", () => {
  const traced = (policyActions: string[], dependsOn: string[] = ["aws_iam_role_policy.Policy"]) =>
    stackOf({
      aws_iam_role: { Role: { name: "watch", assume_role_policy: TRUST } },
      aws_iam_role_policy: {
        Policy: {
          role: "${aws_iam_role.Role.name}",
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Sid: "Traces", Effect: "Allow", Action: policyActions, Resource: "*" }],
          }),
        },
      },
      aws_lambda_function: {
        Fn: {
          function_name: "watch",
          role: "${aws_iam_role.Role.arn}",
          tracing_config: { mode: "Active" },
          depends_on: dependsOn,
        },
      },
    });
  expectCompliant(lambda.activeTracingPermissions, traced(["xray:PutTraceSegments", "xray:PutTelemetryRecords"]));
  expectCompliant(lambda.activeTracingPermissions, traced(["xray:Put*"]));
  expectFinding(
    lambda.activeTracingPermissions,
    traced(["logs:PutLogEvents"]),
    /does not allow xray:PutTraceSegments, xray:PutTelemetryRecords/,
  );
  expectFinding(
    lambda.activeTracingPermissions,
    traced(["xray:PutTraceSegments", "xray:PutTelemetryRecords"], []),
    /does not depend on the inline policy/,
  );
});

test("lambda-function-name-unique", () => {
  expectCompliant(
    lambda.functionNamesUnique,
    watch({}, {}, { Other: { function_name: "watch", region: "us-east-1" } }),
  );
  expectFinding(lambda.functionNamesUnique, watch({}, {}, { Other: { function_name: "watch" } }), /used by 2/);
});

test("lambda-permission-statement-id-unique", () => {
  const two = (id: string) =>
    stackOf({
      aws_lambda_function: { Fn: { function_name: "watch" } },
      aws_lambda_permission: {
        A: { statement_id: "Schedule", function_name: "${aws_lambda_function.Fn.function_name}" },
        B: { statement_id: id, function_name: "watch" },
      },
    });
  expectCompliant(lambda.statementIdsUnique, two("Other"));
  expectFinding(lambda.statementIdsUnique, two("Schedule"), /used by 2 permissions/);
});

test("lambda-events-target-permission", () => {
  expectCompliant(lambda.eventsTargetPermission, watch());
  expectCompliant(lambda.eventsTargetPermission, watch({}, { source_arn: undefined }));
  expectFinding(
    lambda.eventsTargetPermission,
    watch({}, { source_arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/other-rule` }),
    /no aws_lambda_permission lets events.amazonaws.com invoke aws_lambda_function.Fn from .*rule\/watch-schedule/,
  );
  expectFinding(
    lambda.eventsTargetPermission,
    watch({}, { principal: "s3.amazonaws.com" }),
    /no aws_lambda_permission/,
  );
  expectFinding(lambda.eventsTargetPermission, watch({}, { qualifier: "live" }), /no aws_lambda_permission/);
});

corpusSuite(lambda.rules);
