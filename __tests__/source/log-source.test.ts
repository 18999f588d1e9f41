import { App, TerraformStack } from "cdktf";
import { LogArchive } from "../../modules/archive/log-archive";
import { tamperBusNames } from "../../modules/naming/tamper-names";
import { LOG_SOURCE_DEFAULTS } from "../../modules/source/log-source-defaults";
import { centralNames, sourceNames } from "../../modules/naming/names";
import { DEFAULT_IAM_PROPAGATION_SECONDS, LogSource, type LogSourceProps } from "../../modules/source/log-source";
import { addressOf, errorsOf, ref, synthConstruct } from "../helpers/construct";
import { resource, resourcesOf, type TfJson } from "../helpers/synth";

const SOURCE = "222222222222";
const ARCHIVE = "111111111111";
const names = sourceNames("cwl-archive", SOURCE, "us-east-1");

const PROPS: LogSourceProps = {
  accountId: SOURCE,
  region: "us-east-1",
  archive: { accountId: ARCHIVE, region: "eu-west-1" },
  delivery: "perAccount",
  firehose: {
    bufferingSizeMiB: 5,
    bufferingIntervalSeconds: 300,
    compression: "GZIP",
    messageExtraction: false,
    streamEncryption: "AWS_OWNED_CMK",
    errorLogRetentionDays: 365,
  },
  subscription: { mode: "all", filterPattern: "", excludeLogGroups: [], logGroups: [] },
  // The tests below add these parts one at a time; their defaults are tested in "GIVEN only the archive".
  heartbeat: false,
  tamper: false,
};
const ALARMS = {
  subscribers: [{ protocol: "email" as const, endpoint: "ops@example.com" }],
  freshnessMarginSeconds: 300,
  silenceMinutes: 30,
};

function build(props: Partial<LogSourceProps> = {}) {
  return (stack: TerraformStack) => new LogSource(stack, "Logs", { ...PROPS, ...props });
}

const count = (tf: TfJson, type: string) => resourcesOf(tf, type).length;

describe("LogSource GIVEN only the archive and the Region", () => {
  const tf = synthConstruct(
    (stack) =>
      new LogSource(stack, "Logs", { region: "us-east-1", archive: { accountId: ARCHIVE, region: "eu-west-1" } }),
  );

  test("THEN the account is the provider's, read when planning", () => {
    const [id] = Object.keys(tf.data?.aws_caller_identity ?? {});
    expect(id).toBeDefined();
    const policy = resourcesOf(tf, "aws_cloudwatch_log_account_policy")[0]![1];
    expect(policy.policy_document).toContain(`\${data.aws_caller_identity.${id}.account_id}`);
  });

  test("THEN the stream takes LOG_SOURCE_DEFAULTS.firehose", () => {
    const stream = resource(tf, "aws_kinesis_firehose_delivery_stream", "Logs/Delivery/Stream");
    const s3 = stream.extended_s3_configuration;
    expect([s3.buffering_size, s3.buffering_interval, s3.compression_format]).toEqual([
      LOG_SOURCE_DEFAULTS.firehose.bufferingSizeMiB,
      LOG_SOURCE_DEFAULTS.firehose.bufferingIntervalSeconds,
      LOG_SOURCE_DEFAULTS.firehose.compression,
    ]);
  });

  test("THEN one account-level policy subscribes every log group, a heartbeat runs and tamper detection reports to the archive's bus", () => {
    expect(count(tf, "aws_cloudwatch_log_account_policy")).toBe(1);
    expect(resource(tf, "aws_cloudwatch_event_rule", "Logs/Heartbeat/Rule").schedule_expression).toBe(
      `rate(${LOG_SOURCE_DEFAULTS.heartbeat.intervalMinutes} minutes)`,
    );
    expect(JSON.stringify(resourcesOf(tf, "aws_cloudwatch_event_target"))).toContain(
      tamperBusNames("cwl-archive", ARCHIVE, "eu-west-1").busArn,
    );
  });
});

describe("LogSource", () => {
  describe("GIVEN per-account delivery and only the required props", () => {
    const tf = synthConstruct(build());
    const policy = resource(tf, "aws_cloudwatch_log_account_policy", "Logs/Subscriptions/AccountPolicy");

    test("THEN the account's own stream delivers, and the account-level policy subscribes to it", () => {
      expect(resource(tf, "aws_kinesis_firehose_delivery_stream", "Logs/Delivery/Stream").name).toBe(
        "cwl-archive-to-archive",
      );
      expect(JSON.parse(policy.policy_document)).toMatchObject({
        DestinationArn: names.deliveryStreamArn,
        RoleArn: names.subscriptionRoleArn,
      });
    });

    test("THEN names start with the default prefix cwl-archive", () => {
      expect(resource(tf, "aws_iam_role", "Logs/SubscriptionRole/Role").name).toBe("cwl-archive-cwl-us-east-1");
      expect(resource(tf, "aws_iam_role", "Logs/Delivery/Role").name).toBe("cwl-archive-firehose-us-east-1");
    });

    test("THEN the stream's own error log group is never subscribed (the default pipeline log groups)", () => {
      expect(policy.selection_criteria).toBe(`LogGroupName NOT IN ["${names.errorLogGroup}"]`);
    });

    test(`THEN subscribing waits for the stream and ${DEFAULT_IAM_PROPAGATION_SECONDS} s for IAM to propagate the role`, () => {
      expect(resource(tf, "terraform_data", "Logs/SubscriptionRolePropagation/Wait").provisioner).toEqual([
        { "local-exec": { command: `sleep ${DEFAULT_IAM_PROPAGATION_SECONDS}` } },
      ]);
      expect(policy.depends_on).toEqual([
        addressOf(tf, "aws_kinesis_firehose_delivery_stream", "Logs/Delivery/Stream"),
        addressOf(tf, "terraform_data", "Logs/Drain/Wait"),
        addressOf(tf, "terraform_data", "Logs/SubscriptionRolePropagation/Wait"),
      ]);
    });

    test("THEN there is no key, no alarm, no heartbeat, no GuardDuty rule and no flow log", () => {
      for (const type of [
        "aws_kms_key",
        "aws_sns_topic",
        "aws_cloudwatch_metric_alarm",
        "aws_cloudwatch_event_rule",
        "aws_cloudwatch_log_resource_policy",
        "aws_flow_log",
      ]) {
        expect([type, count(tf, type)]).toEqual([type, 0]);
      }
    });
  });

  test("GIVEN a name prefix THEN every name starts with it", () => {
    const tf = synthConstruct(build({ namePrefix: "logs" }));

    expect(resource(tf, "aws_kinesis_firehose_delivery_stream", "Logs/Delivery/Stream").name).toBe("logs-to-archive");
    expect(
      resource(tf, "aws_kinesis_firehose_delivery_stream", "Logs/Delivery/Stream").extended_s3_configuration.bucket_arn,
    ).toBe(`arn:aws:s3:::logs-${ARCHIVE}-eu-west-1`);
  });

  test("GIVEN pipeline log groups THEN exactly those are never subscribed", () => {
    const tf = synthConstruct(build({ pipelineLogGroups: ["/a", "/b"] }));

    expect(
      resource(tf, "aws_cloudwatch_log_account_policy", "Logs/Subscriptions/AccountPolicy").selection_criteria,
    ).toBe('LogGroupName NOT IN ["/a", "/b"]');
  });

  test("GIVEN no IAM propagation pause THEN subscribing waits for the role and its policy only", () => {
    const tf = synthConstruct(build({ iamPropagationSeconds: 0 }));

    // Only the drain wait, which runs when the stream is deleted.
    expect(count(tf, "terraform_data")).toBe(1);
    expect(resource(tf, "aws_cloudwatch_log_account_policy", "Logs/Subscriptions/AccountPolicy").depends_on).toEqual([
      addressOf(tf, "aws_kinesis_firehose_delivery_stream", "Logs/Delivery/Stream"),
      addressOf(tf, "terraform_data", "Logs/Drain/Wait"),
      addressOf(tf, "aws_iam_role", "Logs/SubscriptionRole/Role"),
      addressOf(tf, "aws_iam_role_policy", "Logs/SubscriptionRole/Policy"),
    ]);
  });

  test("GIVEN a customer managed stream key THEN one pipeline key encrypts the stream and its error log", () => {
    const tf = synthConstruct(build({ firehose: { ...PROPS.firehose!, streamEncryption: "CUSTOMER_MANAGED_CMK" } }));

    expect(resource(tf, "aws_kms_alias", "Logs/PipelineKey/Alias").name).toBe("alias/cwl-archive-pipeline");
    const keyArn = ref(tf, "aws_kms_key", "Logs/PipelineKey/Key", "arn");
    expect(
      resource(tf, "aws_kinesis_firehose_delivery_stream", "Logs/Delivery/Stream").server_side_encryption.key_arn,
    ).toBe(keyArn);
    expect(resource(tf, "aws_cloudwatch_log_group", "Logs/Delivery/ErrorLogGroup").kms_key_id).toBe(keyArn);
  });

  test("GIVEN alarms THEN the stream's delivery alarms notify a topic encrypted with the pipeline key", () => {
    const tf = synthConstruct(build({ alarms: ALARMS }));

    const topic = resource(tf, "aws_sns_topic", "Logs/AlarmTopic/Topic");
    expect(topic).toMatchObject({
      name: "cwl-archive-delivery-alarms",
      kms_master_key_id: ref(tf, "aws_kms_key", "Logs/PipelineKey/Key", "arn"),
    });
    const alarms = resourcesOf(tf, "aws_cloudwatch_metric_alarm").map(([, a]) => a);
    // No heartbeat, so no silence alarm: a quiet source is not a broken one.
    expect(alarms.map((a) => a.alarm_name).sort()).toEqual(
      ["freshness", "success", "throttled-records"].map((n) => `cwl-archive-delivery-${n}`),
    );
    for (const alarm of alarms)
      expect(alarm.alarm_actions).toEqual([ref(tf, "aws_sns_topic", "Logs/AlarmTopic/Topic", "arn")]);
    expect(resourcesOf(tf, "aws_sns_topic_subscription").map(([, sub]) => sub.endpoint)).toEqual(["ops@example.com"]);
  });

  test("GIVEN a heartbeat THEN a scheduled rule writes into a subscribed log group, through the event log policy", () => {
    const tf = synthConstruct(build({ heartbeat: { intervalMinutes: 5, retentionDays: 30 } }));

    expect(resource(tf, "aws_cloudwatch_event_rule", "Logs/Heartbeat/Rule").schedule_expression).toBe(
      "rate(5 minutes)",
    );
    expect(resource(tf, "aws_cloudwatch_log_group", "Logs/Heartbeat/LogGroup")).toMatchObject({
      name: names.heartbeatLogGroup,
      retention_in_days: 30,
    });
    expect(resource(tf, "aws_cloudwatch_log_resource_policy", "Logs/EventLogPolicy/Policy").policy_name).toBe(
      names.eventLogPolicy,
    );
    // Subscribed: the account-level policy does not exclude it.
    expect(
      resource(tf, "aws_cloudwatch_log_account_policy", "Logs/Subscriptions/AccountPolicy").selection_criteria,
    ).not.toContain(names.heartbeatLogGroup);
  });

  test("GIVEN alarms and a heartbeat THEN silence for the silence window raises an alarm as well", () => {
    const tf = synthConstruct(build({ alarms: ALARMS, heartbeat: { intervalMinutes: 15, retentionDays: 30 } }));

    expect(resource(tf, "aws_cloudwatch_metric_alarm", "Logs/DeliveryAlarms/Silence")).toMatchObject({
      alarm_name: "cwl-archive-delivery-silence",
      metric_name: "IncomingRecords",
      treat_missing_data: "breaching",
    });
  });

  test("GIVEN a heartbeat and a pipeline key THEN the heartbeat log group is encrypted with the key", () => {
    const tf = synthConstruct(build({ heartbeat: { intervalMinutes: 1, retentionDays: 30 }, alarms: ALARMS }));

    expect(resource(tf, "aws_cloudwatch_log_group", "Logs/Heartbeat/LogGroup").kms_key_id).toBe(
      ref(tf, "aws_kms_key", "Logs/PipelineKey/Key", "arn"),
    );
    expect(resource(tf, "aws_cloudwatch_event_rule", "Logs/Heartbeat/Rule").schedule_expression).toBe("rate(1 minute)");
  });

  test("GIVEN GuardDuty THEN its findings go to a log group kept 30 days", () => {
    const tf = synthConstruct(build({ guardDuty: true }));

    expect(JSON.parse(resource(tf, "aws_cloudwatch_event_rule", "Logs/GuardDuty/Rule").event_pattern)).toEqual({
      source: ["aws.guardduty"],
      "detail-type": ["GuardDuty Finding"],
    });
    expect(resource(tf, "aws_cloudwatch_log_group", "Logs/GuardDuty/LogGroup")).toMatchObject({
      name: names.guardDutyLogGroup,
      retention_in_days: 30,
    });
  });

  test("GIVEN VPCs THEN each VPC's flow logs go straight to the archive's vpc-flow-logs/", () => {
    const tf = synthConstruct(build({ vpcFlowLogs: ["vpc-0a1b2c3d", "vpc-0123456789abcdef0"] }));

    expect(resource(tf, "aws_flow_log", "Logs/FlowLog-vpc-0a1b2c3d")).toMatchObject({
      vpc_id: "vpc-0a1b2c3d",
      traffic_type: "ALL",
      log_destination_type: "s3",
      log_destination: `arn:aws:s3:::cwl-archive-${ARCHIVE}-eu-west-1/vpc-flow-logs/`,
    });
    expect(count(tf, "aws_flow_log")).toBe(2);
  });

  describe("GIVEN central delivery, even with alarms and a customer managed stream key", () => {
    const tf = synthConstruct(
      build({
        delivery: "central",
        alarms: ALARMS,
        firehose: { ...PROPS.firehose!, streamEncryption: "CUSTOMER_MANAGED_CMK" },
      }),
    );

    test("THEN there is no stream, no key and no alarm here: they are in the log-archive account", () => {
      expect(count(tf, "aws_kinesis_firehose_delivery_stream")).toBe(0);
      expect(count(tf, "aws_kms_key")).toBe(0);
      expect(count(tf, "aws_cloudwatch_metric_alarm")).toBe(0);
    });

    test("THEN the subscriptions deliver to the organization's destination in this Region", () => {
      const policy = resource(tf, "aws_cloudwatch_log_account_policy", "Logs/Subscriptions/AccountPolicy");
      expect(JSON.parse(policy.policy_document).DestinationArn).toBe(
        centralNames("cwl-archive", ARCHIVE, "us-east-1").destinationArn,
      );
      expect(policy.depends_on).toEqual([addressOf(tf, "terraform_data", "Logs/SubscriptionRolePropagation/Wait")]);
    });
  });

  describe("validation", () => {
    test.each([
      ["accountId", { accountId: "1234" }],
      ["archive.accountId", { archive: { accountId: "1234", region: "eu-west-1" } }],
      ["archive.keyAccountId", { archive: { accountId: ARCHIVE, region: "eu-west-1", keyAccountId: "1234" } }],
    ] as const)("fails GIVEN a %s that is not an account id", (prop, props) => {
      expect(errorsOf(build(props))).toEqual([
        `LogSource test/Logs: ${prop}: expected a 12-digit AWS account id, got "1234"`,
      ]);
    });

    test.each([1, 60])("accepts a heartbeat every %p minutes", (intervalMinutes) => {
      expect(() => synthConstruct(build({ heartbeat: { intervalMinutes, retentionDays: 30 } }))).not.toThrow();
    });

    test.each([0, 2.5, 61])("fails GIVEN a heartbeat every %p minutes", (intervalMinutes) => {
      expect(errorsOf(build({ heartbeat: { intervalMinutes, retentionDays: 30 } }))).toEqual([
        `LogSource test/Logs: heartbeat.intervalMinutes: expected a number of minutes: an integer from 1 to 60, got ${intervalMinutes}`,
      ]);
    });

    test.each(["vpc-12345678", "vpc-0123456789abcdef0"])("accepts the VPC id %p", (vpcId) => {
      expect(() => synthConstruct(build({ vpcFlowLogs: [vpcId] }))).not.toThrow();
    });

    test.each(["vpc-123", "vpc-0123456789ABCDEF0", "subnet-12345678"])("fails GIVEN the VPC id %p", (vpcId) => {
      expect(errorsOf(build({ vpcFlowLogs: ["vpc-12345678", vpcId] }))).toEqual([
        `LogSource test/Logs: vpcFlowLogs[1]: expected a VPC id: vpc- and 8 or 17 lowercase hexadecimal characters, such as vpc-0a1b2c3d, got ${JSON.stringify(vpcId)}`,
      ]);
    });

    test("fails with every problem at once, one line each", () => {
      const errors = errorsOf(
        build({ accountId: "1", archive: { accountId: "2", region: "eu-west-1" }, vpcFlowLogs: ["vpc-1"] }),
      );
      expect(errors.map((e) => e.split(": ")[1])).toEqual(["accountId", "archive.accountId", "vpcFlowLogs[0]"]);
    });

    test("fails GIVEN a stream error log retention CloudWatch Logs does not offer (the bound it shares with the registry)", () => {
      expect(errorsOf(build({ firehose: { ...PROPS.firehose!, errorLogRetentionDays: 2 } }))).toEqual([
        expect.stringMatching(
          /^LogSource test\/Logs: firehose\.errorLogRetentionDays: expected a CloudWatch Logs retention period: one of .*, got 2$/,
        ),
      ]);
    });

    test("fails on a name prefix that would not fit AWS's names", () => {
      expect(errorsOf(build({ namePrefix: "Logs_Archive" }))).toEqual([
        'LogSource test/Logs: namePrefix: expected 3-20 lowercase letters, digits and -, starting with a letter and ending with a letter or digit, got "Logs_Archive"',
      ]);
    });

    test("fails GIVEN a LogArchive of another stack whose account is the provider's token", () => {
      const app = new App();
      const archive = new LogArchive(new TerraformStack(app, "archive"), "Archive", {
        organizationId: "o-a1b2c3d4e5",
        region: "eu-west-1",
      });
      expect(() => new LogSource(new TerraformStack(app, "source"), "Logs", { region: "eu-west-1", archive })).toThrow(
        "LogSource source/Logs: archive: expected a LogArchive with a literal accountId, or { accountId, region }: the archive is in another stack, whose state a source stack never reads",
      );
    });

    test("needs no stream settings in the central topology", () => {
      const tf = synthConstruct(build({ delivery: "central", firehose: undefined }));
      expect(resourcesOf(tf, "aws_kinesis_firehose_delivery_stream")).toEqual([]);
    });

    test("fails GIVEN an IAM propagation pause outside the bound it shares with the registry", () => {
      expect(errorsOf(build({ iamPropagationSeconds: -1 }))).toEqual([
        "LogSource test/Logs: iamPropagationSeconds: expected a number of seconds: an integer from 0 to 600, got -1",
      ]);
    });
  });
});
