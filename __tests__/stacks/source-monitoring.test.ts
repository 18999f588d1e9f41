import { registryWith, SOURCE } from "../helpers/registry";
import { addresses, policyOf, resource, resourcesOf, statement, synthRegistry, type TfJson } from "../helpers/synth";

const STACK = `log-source-${SOURCE}-us-east-1`;
const HEARTBEAT = "/cwl-archive/heartbeat";
const OWN_ERROR_LOG = "/aws/kinesisfirehose/cwl-archive-to-archive";

function sourceStack(edit?: (r: any) => void): TfJson {
  return synthRegistry(registryWith(edit)).stacks[STACK]!;
}

describe("heartbeat", () => {
  const stack = sourceStack();

  test("a scheduled rule writes into a dedicated log group every 15 minutes", () => {
    expect(resource(stack, "aws_cloudwatch_event_rule", "Heartbeat/Rule")).toMatchObject({
      name: "cwl-archive-heartbeat",
      schedule_expression: "rate(15 minutes)",
    });
    expect(resource(stack, "aws_cloudwatch_event_target", "Heartbeat/Target").arn).toBe(
      `arn:aws:logs:us-east-1:${SOURCE}:log-group:${HEARTBEAT}`,
    );
    expect(resource(stack, "aws_cloudwatch_log_group", "Heartbeat/LogGroup")).toMatchObject({
      name: HEARTBEAT,
      retention_in_days: 30,
    });
  });

  test("the log group's resource policy lets EventBridge write there, and only there, for this rule", () => {
    const policy = policyOf(
      resource(stack, "aws_cloudwatch_log_resource_policy", "EventLogPolicy/Policy").policy_document,
    );
    expect(statement(policy, "HeartbeatRuleWritesHeartbeats")).toEqual({
      Sid: "HeartbeatRuleWritesHeartbeats",
      Effect: "Allow",
      Principal: { Service: ["events.amazonaws.com", "delivery.logs.amazonaws.com"] },
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `arn:aws:logs:us-east-1:${SOURCE}:log-group:${HEARTBEAT}:*`,
      Condition: {
        StringEqualsIfExists: { "aws:SourceAccount": SOURCE },
        ArnEqualsIfExists: { "aws:SourceArn": `arn:aws:events:us-east-1:${SOURCE}:rule/cwl-archive-heartbeat` },
      },
    });
  });

  test("mode all: the heartbeat log group is subscribed (not excluded); only the pipeline's own log group is", () => {
    expect(resource(stack, "aws_cloudwatch_log_account_policy", "Subscriptions/AccountPolicy").selection_criteria).toBe(
      `LogGroupName NOT IN ["${OWN_ERROR_LOG}"]`,
    );
  });

  test("mode listed: the heartbeat log group gets a filter that passes every event, after the group exists", () => {
    const listed = sourceStack(
      (r) =>
        (r.accounts[0].subscription = { mode: "listed", filterPattern: "ERROR", logGroups: [{ name: "/ecs/api" }] }),
    );
    const filters = resourcesOf(listed, "aws_cloudwatch_log_subscription_filter").map(([, f]) => f);
    const heartbeat = filters.find((f) => f.log_group_name === HEARTBEAT);
    expect(heartbeat).toMatchObject({ filter_pattern: "", name: "cwl-archive-to-archive" });
    expect(heartbeat.depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^aws_cloudwatch_log_group\.Heartbeat_LogGroup/)]),
    );
    expect(filters.map((f) => f.log_group_name).sort()).toEqual(["/cwl-archive/heartbeat", "/ecs/api"]);
  });

  test("no loop: nothing the pipeline writes is subscribed, and the heartbeat is written by EventBridge alone", () => {
    const listed = sourceStack(
      (r) => (r.accounts[0].subscription = { mode: "listed", logGroups: [{ name: "/ecs/api" }] }),
    );
    const subscribed = resourcesOf(listed, "aws_cloudwatch_log_subscription_filter").map(([, f]) => f.log_group_name);
    expect(subscribed).not.toContain(OWN_ERROR_LOG);
    const deliveryPolicy = policyOf(resource(stack, "aws_iam_role_policy", "Delivery/RolePolicy").policy);
    const logWrites = deliveryPolicy.Statement.filter((s) =>
      [s.Action].flat().some((a: string) => a.startsWith("logs:")),
    );
    expect(logWrites.flatMap((s) => [s.Resource].flat())).toEqual([
      `arn:aws:logs:us-east-1:${SOURCE}:log-group:${OWN_ERROR_LOG}:log-stream:DestinationDelivery`,
    ]);
    // Alarms notify SNS, never a log group.
    for (const [, alarm] of resourcesOf(stack, "aws_cloudwatch_metric_alarm")) {
      expect(alarm.alarm_actions.join()).toMatch(/aws_sns_topic/);
    }
  });

  test("fails when the heartbeat log group is excluded or listed by hand", () => {
    expect(() => registryWith((r) => (r.defaults = { subscription: { excludeLogGroups: [HEARTBEAT] } }))).toThrow(
      /excludeLogGroups\[0\]: is the heartbeat log group: excluding it would silence the pipeline's health check/,
    );
    expect(() =>
      registryWith((r) => (r.accounts[0].subscription = { mode: "listed", logGroups: [{ name: HEARTBEAT }] })),
    ).toThrow(/logGroups\[0\]\.name: is the heartbeat log group, which is subscribed automatically/);
  });
});

describe("delivery alarms", () => {
  const stack = sourceStack(
    (r) =>
      (r.monitoring = {
        alarms: { sources: "perAccount", subscribers: [{ protocol: "email", endpoint: "secops@example.com" }] },
      }),
  );
  const alarms = Object.fromEntries(
    resourcesOf(stack, "aws_cloudwatch_metric_alarm").map(([, a]) => [a.alarm_name, a]),
  );

  test("freshness above the buffering interval plus the margin, failed deliveries, throttling, silence", () => {
    expect(Object.keys(alarms).sort()).toEqual([
      "cwl-archive-delivery-freshness",
      "cwl-archive-delivery-silence",
      "cwl-archive-delivery-success",
      "cwl-archive-delivery-throttled-records",
    ]);
    for (const alarm of Object.values(alarms) as any[]) {
      expect(alarm.namespace).toBe("AWS/Firehose");
      expect(alarm.dimensions).toEqual({ DeliveryStreamName: "cwl-archive-to-archive" });
    }
    expect(alarms["cwl-archive-delivery-freshness"]).toMatchObject({
      metric_name: "DeliveryToS3.DataFreshness",
      comparison_operator: "GreaterThanThreshold",
      threshold: 600,
    });
    expect(alarms["cwl-archive-delivery-success"]).toMatchObject({
      metric_name: "DeliveryToS3.Success",
      comparison_operator: "LessThanThreshold",
      threshold: 1,
    });
    expect(alarms["cwl-archive-delivery-throttled-records"]).toMatchObject({
      metric_name: "ThrottledRecords",
      threshold: 0,
    });
    expect(alarms["cwl-archive-delivery-silence"]).toMatchObject({
      metric_name: "IncomingRecords",
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      evaluation_periods: 6,
      treat_missing_data: "breaching",
    });
  });

  test("they notify a topic encrypted with the pipeline key, whose policies admit only this account's alarms", () => {
    const topic = resource(stack, "aws_sns_topic", "AlarmTopic/Topic");
    expect(topic).toMatchObject({ name: "cwl-archive-delivery-alarms" });
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.PipelineKey/);
    const source = {
      StringEquals: { "aws:SourceAccount": SOURCE },
      ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${SOURCE}:alarm:cwl-archive-delivery-*` },
    };
    const topicPolicy = policyOf(resource(stack, "aws_sns_topic_policy", "AlarmTopic/Policy").policy);
    expect(statement(topicPolicy, "AllowOwnAlarmsToPublish")).toMatchObject({
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Condition: source,
    });
    const keyPolicy = policyOf(resource(stack, "aws_kms_key", "PipelineKey/Key").policy);
    expect(statement(keyPolicy, "AllowOwnAlarmsToUseKey")).toMatchObject({
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Condition: source,
    });
    for (const alarm of Object.values(alarms) as any[]) {
      expect(alarm.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\.AlarmTopic/)]);
      expect(alarm.alarm_name.startsWith("cwl-archive-delivery-")).toBe(true);
    }
  });

  test("subscribers come from the registry", () => {
    expect(resourcesOf(stack, "aws_sns_topic_subscription").map(([, s]) => [s.protocol, s.endpoint])).toEqual([
      ["email", "secops@example.com"],
    ]);
  });

  test("the margin and the silence window follow the registry", () => {
    const custom = sourceStack((r) => {
      r.monitoring = { alarms: { sources: "perAccount", freshnessMarginSeconds: 120, silenceMinutes: 60 } };
      r.defaults = { firehose: { bufferingIntervalSeconds: 60 } };
    });
    const byName = Object.fromEntries(
      resourcesOf(custom, "aws_cloudwatch_metric_alarm").map(([, a]) => [a.alarm_name, a]),
    );
    expect(byName["cwl-archive-delivery-freshness"].threshold).toBe(180);
    expect(byName["cwl-archive-delivery-silence"].evaluation_periods).toBe(12);
  });
});

describe("how sources are watched", () => {
  test("by default from the archive: no alarm, topic or key in the source", () => {
    const stack = sourceStack();
    for (const type of ["aws_cloudwatch_metric_alarm", "aws_sns_topic", "aws_kms_key"]) {
      expect(resourcesOf(stack, type)).toEqual([]);
    }
  });

  test.each([
    ["perAccount", "perAccount", 4],
    ["both", "both", 4],
    ["an account's own override", "deliveryWatch", 4],
  ])("%s: the source keeps its four alarms", (_case, global, expected) => {
    const stack = sourceStack((r) => {
      r.monitoring = { alarms: { sources: global } };
      if (global === "deliveryWatch") r.accounts[0].alarms = "perAccount";
    });
    expect(resourcesOf(stack, "aws_cloudwatch_metric_alarm")).toHaveLength(expected);
  });
});

describe("switching monitoring features off removes exactly their resources", () => {
  const perAccount = (r: any) => (r.monitoring = { alarms: { sources: "perAccount" } });
  test.each<[string, (r: any) => void, (r: any) => void, RegExp]>([
    [
      "alarms",
      perAccount,
      (r) => (r.monitoring = { alarms: { enabled: false } }),
      // Tamper detection follows the alarms by default (monitoring.tamper.enabled).
      /^aws_(sns_topic|sns_topic_policy|sns_topic_subscription|cloudwatch_metric_alarm)\.|PipelineKey|TamperWatch_/,
    ],
    ["tamper detection", () => undefined, (r) => (r.monitoring = { tamper: { enabled: false } }), /TamperWatch_/],
    [
      "heartbeat",
      () => undefined,
      (r) => (r.monitoring = { heartbeat: { enabled: false } }),
      /Heartbeat_|EventLogPolicy_/,
    ],
  ])("%s", (_feature, base, off, featureResources) => {
    const all = addresses(sourceStack(base));
    const without = addresses(sourceStack(off));
    const removed = [...all].filter((a) => !without.has(a));
    const added = [...without].filter((a) => !all.has(a));
    expect(added).toEqual([]);
    expect(removed.length).toBeGreaterThan(0);
    for (const address of removed) expect(address).toMatch(featureResources);
    for (const address of without) expect(address).not.toMatch(featureResources);
  });

  test("alarms off keeps the pipeline key when the stream needs it", () => {
    const stack = sourceStack((r) => {
      r.monitoring = { alarms: { enabled: false } };
      r.accounts[0].firehose = { streamEncryption: "CUSTOMER_MANAGED_CMK" };
    });
    const keyPolicy = policyOf(resource(stack, "aws_kms_key", "PipelineKey/Key").policy);
    expect(keyPolicy.Statement.map((s) => s.Sid)).toEqual([
      "AccountAdministersKey",
      "FirehoseEncryptsStreamThroughGrant",
      "CloudWatchLogsEncryptsPipelineLogGroups",
    ]);
  });
});
