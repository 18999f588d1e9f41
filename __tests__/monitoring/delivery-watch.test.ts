import type { TerraformStack } from "cdktf";
import {
  DeliveryWatch,
  expectedSources,
  objectEventPattern,
  type DeliveryWatchProps,
} from "../../modules/monitoring/delivery-watch";
import { HANDLER_ZIP_BASE64, HANDLER_ZIP_SHA256 } from "../../modules/monitoring/delivery-watch/handler-zip";
import { errorsOf, ref, synthConstruct } from "../helpers/construct";
import { expectPackagesCurrent, packagedCode } from "../helpers/lambda-package";
import { policyOf, resource, resourcesOf, statement } from "../helpers/synth";

const ACCOUNT = "111111111111";
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-0000-4000-8000-000000000000";
const TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT}:cwl-archive-archive-alarms`;
const BUCKET = `cwl-archive-${ACCOUNT}-eu-west-1`;

const PROPS: DeliveryWatchProps = {
  accountId: ACCOUNT,
  region: "eu-west-1",
  namePrefix: "cwl-archive",
  alarmNamePrefix: "cwl-archive-archive-",
  bucketName: BUCKET,
  topicArn: TOPIC,
  monitoringKeyArn: KEY,
  sources: [
    { accountId: "222222222222", region: "eu-west-1" },
    { accountId: "222222222222", region: "us-east-1" },
  ],
  silenceMinutes: 30,
};

function build(props: Partial<DeliveryWatchProps> = {}) {
  return (stack: TerraformStack) => new DeliveryWatch(stack, "Watch", { ...PROPS, ...props });
}

describe("DeliveryWatch", () => {
  const tf = synthConstruct(build());

  test("copies only the archive bucket's new objects under the data and error roots into an /aws/events/ log group", () => {
    const rule = resource(tf, "aws_cloudwatch_event_rule", "Watch/ObjectEvents/Rule");
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ["aws.s3"],
      "detail-type": ["Object Created"],
      detail: {
        bucket: { name: [BUCKET] },
        object: { key: [{ prefix: "cloudwatch-logs/" }, { prefix: "cloudwatch-logs-errors/" }] },
      },
    });
    expect(objectEventPattern(BUCKET)).toEqual(JSON.parse(rule.event_pattern));
    const group = resource(tf, "aws_cloudwatch_log_group", "Watch/ObjectEvents/LogGroup");
    expect(group).toMatchObject({
      name: "/aws/events/cwl-archive-delivery-watch",
      retention_in_days: 3,
      kms_key_id: KEY,
    });
    const target = resource(tf, "aws_cloudwatch_event_target", "Watch/ObjectEvents/Target");
    expect(target.arn).toBe(`arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/events/cwl-archive-delivery-watch`);
  });

  test("EventBridge may write into that log group only, for that rule", () => {
    const policy = policyOf(
      resource(tf, "aws_cloudwatch_log_resource_policy", "Watch/EventPolicy/Policy").policy_document,
    );
    const grant = statement(policy, "ObjectEventsToWatchLog");
    expect(grant.Resource).toBe(`arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/events/cwl-archive-delivery-watch:*`);
    expect(grant.Condition.ArnEqualsIfExists["aws:SourceArn"]).toBe(
      `arn:aws:events:eu-west-1:${ACCOUNT}:rule/cwl-archive-delivery-watch-objects`,
    );
  });

  test("lists the expected sources in standard SSM parameters under its path", () => {
    const params = resourcesOf(tf, "aws_ssm_parameter").map(([, p]) => p);
    expect(params).toEqual([
      expect.objectContaining({
        name: "/cwl-archive/delivery-watch/sources/000",
        description: "Sources the delivery watch expects objects from: <account id> <regions>, one per line",
        type: "String",
        tier: "Standard",
        value: "222222222222 eu-west-1,us-east-1",
      }),
    ]);
  });

  test("runs a Node.js 22 function from the committed package, without reserved concurrency", () => {
    const fn = resource(tf, "aws_lambda_function", "Watch/Function");
    expect(fn).toMatchObject({
      function_name: "cwl-archive-delivery-watch",
      runtime: "nodejs22.x",
      handler: "index.handler",
      architectures: ["arm64"],
      timeout: 300,
      source_code_hash: HANDLER_ZIP_SHA256,
      tracing_config: { mode: "Active" },
      logging_config: { log_format: "Text" },
    });
    expect(fn.filename).toMatch(/^assets\/.+\.zip$/);
    // Accounts with a reduced Lambda quota cannot reserve concurrency: the apply would fail.
    expect(fn.reserved_concurrent_executions).toBeUndefined();
    expect(fn.environment.variables).toEqual({
      EVENT_LOG_GROUP: "/aws/events/cwl-archive-delivery-watch",
      ALARM_TOPIC_ARN: TOPIC,
      SOURCES_PATH: "/cwl-archive/delivery-watch/sources",
      NAME_PREFIX: "cwl-archive",
      ARCHIVE_BUCKET: BUCKET,
      ARCHIVE_ACCOUNT_ID: ACCOUNT,
      SILENCE_MINUTES: "30",
      INTERVAL_MINUTES: "5",
      REMINDER_HOURS: "6",
    });
    const log = resource(tf, "aws_cloudwatch_log_group", "Watch/FunctionLogGroup");
    expect(log).toMatchObject({
      name: "/aws/lambda/cwl-archive-delivery-watch",
      kms_key_id: KEY,
      retention_in_days: 30,
    });
  });

  test("GIVEN search delivery THEN its failure root is copied too, and the function is told search delivery's Region", () => {
    const search = synthConstruct(build({ reportSearchErrors: true }));
    const rule = resource(search, "aws_cloudwatch_event_rule", "Watch/ObjectEvents/Rule");
    expect(JSON.parse(rule.event_pattern).detail.object.key).toEqual([
      { prefix: "cloudwatch-logs/" },
      { prefix: "cloudwatch-logs-errors/" },
      { prefix: "search-errors/" },
    ]);
    expect(resource(search, "aws_lambda_function", "Watch/Function").environment.variables.SEARCH_REGION).toBe(
      "eu-west-1",
    );
  });

  test("without search delivery nothing under search-errors/ is copied, and the function is not told of it", () => {
    const rule = resource(tf, "aws_cloudwatch_event_rule", "Watch/ObjectEvents/Rule");
    expect(rule.event_pattern).not.toContain("search-errors/");
    expect(resource(tf, "aws_lambda_function", "Watch/Function").environment.variables).not.toHaveProperty(
      "SEARCH_REGION",
    );
  });

  test("without silence (no heartbeat) the function is told 0", () => {
    const quiet = synthConstruct(build({ silenceMinutes: undefined }));
    expect(resource(quiet, "aws_lambda_function", "Watch/Function").environment.variables.SILENCE_MINUTES).toBe("0");
  });

  describe("GIVEN sources that always write logs", () => {
    const marked = synthConstruct(
      build({
        heartbeatIntervalMinutes: 15,
        sources: [
          {
            accountId: "222222222222",
            region: "eu-west-1",
            expectsLogs: true,
            delivery: { bufferingIntervalSeconds: 300, compression: "GZIP", messageExtraction: false },
          },
          { accountId: "222222222222", region: "us-east-1" },
          { accountId: "333333333333", region: "eu-west-1", expectsLogs: true },
        ],
      }),
    );

    test("THEN each is listed with the most bytes its heartbeats alone take, the others as before", () => {
      const [param] = resourcesOf(marked, "aws_ssm_parameter").map(([, p]) => p);
      // 728: two heartbeats in 300 s of GZIP envelopes; 2304: three in 900 s of uncompressed ones (no delivery given).
      expect(param.value).toBe(
        "222222222222 us-east-1\n222222222222 eu-west-1 heartbeat-max=728\n333333333333 eu-west-1 heartbeat-max=2304",
      );
      expect(param.description).toContain("heartbeat-max marks a source that always writes logs");
    });

    test("THEN the function is told the hours, 6 by default", () => {
      const vars = resource(marked, "aws_lambda_function", "Watch/Function").environment.variables;
      expect(vars.HEARTBEAT_ONLY_HOURS).toBe("6");
      const twelve = synthConstruct(
        build({
          heartbeatIntervalMinutes: 15,
          heartbeatOnlyHours: 12,
          sources: [{ ...PROPS.sources[0]!, expectsLogs: true }],
        }),
      );
      expect(resource(twelve, "aws_lambda_function", "Watch/Function").environment.variables.HEARTBEAT_ONLY_HOURS).toBe(
        "12",
      );
    });

    test("THEN without any, the function is not told of them", () => {
      const vars = resource(tf, "aws_lambda_function", "Watch/Function").environment.variables;
      expect(vars).not.toHaveProperty("HEARTBEAT_ONLY_HOURS");
      const unmarked = synthConstruct(build({ heartbeatIntervalMinutes: 15 }));
      expect(resource(unmarked, "aws_lambda_function", "Watch/Function").environment.variables).not.toHaveProperty(
        "HEARTBEAT_ONLY_HOURS",
      );
    });
  });

  test("expectedSources: the bound from the heartbeat interval and each source's delivery", () => {
    const gzip = { bufferingIntervalSeconds: 300, compression: "GZIP" as const, messageExtraction: true };
    expect(
      expectedSources(
        [
          { accountId: "222222222222", region: "eu-west-1", expectsLogs: true, delivery: gzip },
          { accountId: "222222222222", region: "us-east-1", expectsLogs: false, delivery: gzip },
        ],
        15,
      ),
    ).toEqual([
      { accountId: "222222222222", region: "eu-west-1", heartbeatMaxBytes: 340 },
      { accountId: "222222222222", region: "us-east-1" },
    ]);
  });

  test.each([1, 71])("accepts heartbeatOnlyHours %i with 3 days of copied events", (hours) => {
    expect(() => synthConstruct(build({ heartbeatOnlyHours: hours }))).not.toThrow();
  });

  test.each([
    [0, 3, 71],
    [72, 3, 71],
    [24, 1, 23],
  ])("fails heartbeatOnlyHours %i with %i day(s) of copied events, naming the most (%i)", (hours, days, most) => {
    expect(errorsOf(build({ heartbeatOnlyHours: hours, eventRetentionDays: days })).join("\n")).toContain(
      `heartbeatOnlyHours: expected a whole number of hours from 1 to ${most} (the copied S3 events are kept eventRetentionDays, ${days} days, and each run reads one interval more), got ${hours}`,
    );
  });

  test("fails a source that expects logs without the heartbeat, and a bad delivery, naming each", () => {
    const errors = errorsOf(
      build({
        sources: [
          {
            accountId: "222222222222",
            region: "eu-west-1",
            expectsLogs: true,
            delivery: { bufferingIntervalSeconds: 1000, compression: "GZIP", messageExtraction: false },
          },
        ],
      }),
    ).join("\n");
    expect(errors).toContain(
      "sources[0].expectsLogs: expected heartbeatIntervalMinutes as well: only the heartbeat tells a source that delivers nothing else",
    );
    expect(errors).toContain(
      "sources[0].delivery.bufferingIntervalSeconds: expected a whole number of seconds from 0 to 900, got 1000",
    );
  });

  test.each([0, 61])("fails heartbeatIntervalMinutes %i", (minutes) => {
    expect(errorsOf(build({ heartbeatIntervalMinutes: minutes })).join("\n")).toContain(
      `heartbeatIntervalMinutes: expected a whole number of minutes from 1 to 60, got ${minutes}`,
    );
  });

  test("a schedule runs it every interval; only that rule of this account may invoke it", () => {
    expect(resource(tf, "aws_cloudwatch_event_rule", "Watch/Schedule").schedule_expression).toBe("rate(5 minutes)");
    const permission = resource(tf, "aws_lambda_permission", "Watch/SchedulePermission");
    expect(permission).toMatchObject({
      principal: "events.amazonaws.com",
      action: "lambda:InvokeFunction",
      source_arn: `arn:aws:events:eu-west-1:${ACCOUNT}:rule/cwl-archive-delivery-watch-schedule`,
    });
    // AWS documents this grant with SourceArn alone; a SourceAccount condition EventBridge might not send would block every run.
    expect(permission.source_account).toBeUndefined();
    const target = resource(tf, "aws_cloudwatch_event_target", "Watch/ScheduleTarget");
    expect(target.arn).toBe(ref(tf, "aws_lambda_function", "Watch/Function", "arn"));
  });

  test("its role queries its log group, reads its sources and publishes to the topic through SNS only", () => {
    const policy = policyOf(resource(tf, "aws_iam_role_policy", "Watch/RolePolicy").policy);
    expect(statement(policy, "QueryTheObjectEvents").Resource).toEqual([
      `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/events/cwl-archive-delivery-watch`,
      `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/events/cwl-archive-delivery-watch:*`,
    ]);
    expect(statement(policy, "ReadExpectedSources").Resource).toEqual([
      `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/cwl-archive/delivery-watch/sources`,
      `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/cwl-archive/delivery-watch/sources/*`,
    ]);
    expect(statement(policy, "PublishToAlarmTopic").Resource).toBe(TOPIC);
    expect(statement(policy, "EncryptForAlarmTopic")).toMatchObject({
      Resource: KEY,
      Condition: { StringEquals: { "kms:ViaService": "sns.eu-west-1.amazonaws.com" } },
    });
    const actions = policy.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(actions.filter((a: string) => /^s3:|Delete|Put(?!LogEvents|Trace|Telemetry)/.test(a))).toEqual([]);
  });

  test("two alarms watch the watch: failed runs, and no run for three intervals", () => {
    const alarms = Object.fromEntries(resourcesOf(tf, "aws_cloudwatch_metric_alarm").map(([, a]) => [a.alarm_name, a]));
    expect(alarms["cwl-archive-archive-delivery-watch-fails"]).toMatchObject({
      namespace: "AWS/Lambda",
      metric_name: "Errors",
      period: 300,
      evaluation_periods: 2,
      treat_missing_data: "notBreaching",
      alarm_actions: [TOPIC],
    });
    expect(alarms["cwl-archive-archive-delivery-watch-not-running"]).toMatchObject({
      metric_name: "Invocations",
      comparison_operator: "LessThanThreshold",
      evaluation_periods: 3,
      treat_missing_data: "breaching",
    });
  });

  test("rejects settings AWS or the watch cannot work with, naming each", () => {
    const errors = errorsOf(
      build({ intervalMinutes: 0, reminderHours: 200, silenceMinutes: 2, eventRetentionDays: 2, sources: [] }),
    );
    expect(errors.join("\n")).toContain(
      "intervalMinutes: expected a number of minutes: an integer from 1 to 60, got 0",
    );
    expect(errors.join("\n")).toContain("reminderHours: expected a number of hours: an integer from 1 to 168, got 200");
    expect(errors.join("\n")).toContain("eventRetentionDays: expected a CloudWatch Logs retention period");
    expect(errors.join("\n")).toContain("sources: expected at least one source account and Region, got none");
    // A window shorter than the interval between runs would leave minutes no run judges.
    expect(errorsOf(build({ silenceMinutes: 2 })).join("\n")).toContain(
      "silenceMinutes: expected a whole number of minutes from 5 to 1440, got 2",
    );
    const bad = errorsOf(build({ sources: [{ accountId: "12", region: "Europe" }] })).join("\n");
    expect(bad).toContain('sources[0].accountId: expected a 12-digit account id, got "12"');
    expect(bad).toContain('sources[0].region: expected a Region such as eu-west-1, got "Europe"');
  });
});

describe("the function's package", () => {
  test("is the committed build of handler.ts (npm run build:lambdas when this fails)", () => {
    expectPackagesCurrent();
  });

  test("is one stored index.mjs exporting the handler, and its hash is Terraform's filebase64sha256", () => {
    expect(packagedCode(HANDLER_ZIP_BASE64, HANDLER_ZIP_SHA256)).toMatch(/from "@aws-sdk\/client-cloudwatch-logs"/);
  });
});
