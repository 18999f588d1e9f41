import { ARCHIVE, registryWith } from "../helpers/registry";
import { addresses, policyOf, resource, resourcesOf, statement, synthRegistry, type TfJson } from "../helpers/synth";

const BUCKET = `cwl-archive-${ARCHIVE}-eu-west-1`;

function archiveStack(edit?: (r: any) => void): TfJson {
  return synthRegistry(registryWith(edit)).stacks["log-archive"]!;
}

describe("archive alarms", () => {
  const stack = archiveStack((r) => (r.archive = { replicaRegion: "eu-central-1" }));
  const alarms: Record<string, any> = Object.fromEntries(
    resourcesOf(stack, "aws_cloudwatch_metric_alarm").map(([, a]) => [a.alarm_name, a]),
  );

  test("dead letters, a stalled SIEM, and failed replication", () => {
    expect(alarms["cwl-archive-archive-siem-dead-letters"]).toMatchObject({
      namespace: "AWS/SQS",
      metric_name: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: "cwl-archive-siem-notifications-dlq" },
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
    });
    expect(alarms["cwl-archive-archive-siem-queue-age"]).toMatchObject({
      metric_name: "ApproximateAgeOfOldestMessage",
      dimensions: { QueueName: "cwl-archive-siem-notifications" },
      threshold: 3600,
    });
    expect(alarms["cwl-archive-archive-replication-failures"]).toMatchObject({
      namespace: "AWS/S3",
      metric_name: "OperationsFailedReplication",
      dimensions: {
        SourceBucket: BUCKET,
        DestinationBucket: `cwl-archive-replica-${ARCHIVE}-eu-central-1`,
        RuleId: "replicate-archive",
      },
    });
  });

  test("replication metrics, which the replication alarm reads, are on in the rule", () => {
    const config = resource(stack, "aws_s3_bucket_replication_configuration", "Replication/Configuration");
    expect(config.rule[0].destination.metrics.status).toBe("Enabled");
  });

  // S3: "Metrics cannot contain an event threshold when ReplicationTime is not
  // specified or Disabled" (hashicorp/terraform-provider-aws#21895).
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html
  test("without Replication Time Control the metrics carry no event threshold, which S3 would reject", () => {
    const noRtc = synthRegistry(
      registryWith((raw) => {
        raw.archive = { replicaRegion: "eu-central-1", replicationTimeControl: false };
      }),
    ).stacks["log-archive"]!;
    const config = resource(noRtc, "aws_s3_bucket_replication_configuration", "Replication/Configuration");
    expect(config.rule[0].destination.metrics).toEqual({ status: "Enabled" });
    expect(config.rule[0].destination.replication_time).toBeUndefined();
  });

  test("no replication alarm without replication", () => {
    const plain = archiveStack();
    const names = resourcesOf(plain, "aws_cloudwatch_metric_alarm").map(([, a]) => a.alarm_name);
    expect(names.sort()).toEqual([
      "cwl-archive-archive-athena-hunting-scanned",
      "cwl-archive-archive-athena-scanned",
      "cwl-archive-archive-delivery-watch-fails",
      "cwl-archive-archive-delivery-watch-not-running",
      "cwl-archive-archive-siem-dead-letters",
      "cwl-archive-archive-siem-queue-age",
    ]);
  });

  test("they notify a topic encrypted with a customer key that admits only this account's archive alarms", () => {
    const topic = resource(stack, "aws_sns_topic", "AlarmTopic/Topic");
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.MonitoringKey/);
    const keyPolicy = policyOf(resource(stack, "aws_kms_key", "MonitoringKey/Key").policy);
    expect(statement(keyPolicy, "AllowOwnAlarmsToUseKey").Condition).toEqual({
      StringEquals: { "aws:SourceAccount": ARCHIVE },
      ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:eu-west-1:${ARCHIVE}:alarm:cwl-archive-archive-*` },
    });
    for (const alarm of Object.values(alarms)) {
      expect(alarm.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\.AlarmTopic/)]);
    }
  });
});

describe("Athena", () => {
  const stack = archiveStack((r) => {
    r.accounts.push({ id: "333333333333", name: "b", regions: ["eu-central-1"] });
    r.accounts.push({ id: "444444444444", name: "c", regions: ["eu-west-1"], firehose: { messageExtraction: true } });
    r.monitoring = { athena: { analystPrincipals: ["arn:aws:iam::111111111111:role/SecurityAnalyst"] } };
  });

  test("a Glue table over the data prefix, projected on account, Region and date", () => {
    const table = resource(stack, "aws_glue_catalog_table", "Athena/EnvelopeTable");
    expect(table).toMatchObject({
      name: "cloudwatch_logs",
      database_name: "cwl_archive_logs",
      table_type: "EXTERNAL_TABLE",
    });
    expect(table.partition_keys.map((k: any) => k.name)).toEqual(["account", "region", "year", "month", "day", "hour"]);
    expect(table.storage_descriptor.location).toBe(`s3://${BUCKET}/cloudwatch-logs/`);
    expect(table.parameters).toMatchObject({
      "projection.enabled": "true",
      "projection.account.type": "enum",
      "projection.region.values": "eu-central-1,eu-west-1,us-east-1",
      "projection.month.digits": "2",
      "storage.location.template": `s3://${BUCKET}/cloudwatch-logs/account=$\${account}/region=$\${region}/year=$\${year}/month=$\${month}/day=$\${day}/hour=$\${hour}/`,
    });
    expect(table.storage_descriptor.columns.map((c: any) => c.name)).toEqual([
      "messagetype",
      "owner",
      "loggroup",
      "logstream",
      "subscriptionfilters",
      "logevents",
    ]);
  });

  test("a second table reads the message-extraction variant, one message per line", () => {
    const table = resource(stack, "aws_glue_catalog_table", "Athena/MessagesTable");
    expect(table.name).toBe("cloudwatch_messages");
    expect(table.storage_descriptor.columns).toEqual([{ name: "message", type: "string" }]);
  });

  // Both tables share the data prefix and project every account, whatever
  // format it writes now: objects from before an account's messageExtraction
  // changed stay queryable (the envelope table skips lines that are not JSON,
  // the events view keeps envelope lines out of the messages side).
  test("both tables project one account list: the registry's accounts and the archive's account folders", () => {
    const envelope = resource(stack, "aws_glue_catalog_table", "Athena/EnvelopeTable");
    const messages = resource(stack, "aws_glue_catalog_table", "Athena/MessagesTable");
    expect(messages.parameters["projection.account.values"]).toBe(envelope.parameters["projection.account.values"]);
    const list = Object.values(stack.locals ?? {})[0] as string;
    expect(list).toContain(`concat(["${ARCHIVE}", "222222222222", "333333333333", "444444444444"]`);
    expect(list).toContain('"cloudwatch-logs/"');
  });

  // "If you do not enable the feature on a table before you run a query,
  // Athena skips all of the table's S3 Glacier Flexible Retrieval and S3
  // Glacier Deep Archive objects": every table reads restored objects.
  // https://docs.aws.amazon.com/athena/latest/ug/querying-glacier.html
  test("every table reads objects restored from Glacier and Deep Archive", () => {
    const tables = resourcesOf(stack, "aws_glue_catalog_table").filter(([, t]) => t.table_type === "EXTERNAL_TABLE");
    expect(tables.length).toBeGreaterThanOrEqual(3);
    for (const [, table] of tables) expect(table.parameters.read_restored_glacier_objects).toBe("true");
  });

  test("without direct sources, the CloudWatch Logs tables, the delivery errors table, their any-account twins and the views", () => {
    const plain = archiveStack();
    const tables = resourcesOf(plain, "aws_glue_catalog_table").map(([, t]) => t.name);
    const base = ["cloudwatch_logs", "cloudwatch_logs_errors", "cloudwatch_messages"];
    expect(tables.sort()).toEqual(
      [...base, ...base.map((t) => `${t}_any_account`), "cloudwatch_events", "guardduty_findings"].sort(),
    );
  });

  test("a workgroup whose settings queries cannot override, with encrypted results", () => {
    const workgroup = resource(stack, "aws_athena_workgroup", "Athena/Workgroup");
    expect(workgroup.configuration).toMatchObject({
      enforce_workgroup_configuration: true,
      publish_cloudwatch_metrics_enabled: true,
      bytes_scanned_cutoff_per_query: 10 * 1024 ** 3,
      result_configuration: {
        output_location: `s3://cwl-archive-athena-results-${ARCHIVE}-eu-west-1/cwl-archive-logs/`,
        encryption_configuration: { encryption_option: "SSE_KMS" },
      },
    });
    const lifecycle = resource(stack, "aws_s3_bucket_lifecycle_configuration", "Athena/Results/Lifecycle");
    expect(lifecycle.rule[0].expiration).toEqual([{ days: 30 }]);
    expect(
      resource(stack, "aws_s3_bucket_public_access_block", "Athena/Results/PublicAccessBlock").block_public_policy,
    ).toBe(true);
  });

  test("the named analyst queries in the interactive workgroup and the hunter in the hunting one; neither can write the archive; the SIEM reader cannot query", () => {
    for (const [role, workgroup] of [
      ["Analyst", "cwl-archive-logs"],
      ["Hunter", "cwl-archive-logs-hunting"],
    ]) {
      const trust = policyOf(resource(stack, "aws_iam_role", `Athena/${role}Role`).assume_role_policy);
      // The sample names no hunters: the analysts may hunt, by assuming the hunter role.
      expect(trust.Statement[0].Principal).toEqual({ AWS: "arn:aws:iam::111111111111:role/SecurityAnalyst" });
      const policy = policyOf(resource(stack, "aws_iam_role_policy", `Athena/${role}Policy`).policy);
      expect(statement(policy, "QueryInLogsWorkgroup").Resource).toBe(
        `arn:aws:athena:eu-west-1:${ARCHIVE}:workgroup/${workgroup}`,
      );
      expect(statement(policy, "NeverWriteOrDelete").Effect).toBe("Deny");
    }
    const readerPolicy = policyOf(resource(stack, "aws_iam_role_policy", "SiemReader/Policy").policy);
    expect(readerPolicy.Statement.map((st) => st.Sid)).not.toContain("QueryInLogsWorkgroup");
  });

  test("each workgroup has a daily scan alarm on its ProcessedBytes, to the archive's alarm topic", () => {
    for (const [id, workgroup, gib] of [
      ["ScanAlarm", "cwl-archive-logs", 100],
      ["HuntingScanAlarm", "cwl-archive-logs-hunting", 10240],
    ] as const) {
      const alarm = resource(stack, "aws_cloudwatch_metric_alarm", `Athena/${id}`);
      expect(alarm.threshold).toBe(gib * 1024 ** 3);
      expect(alarm.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\.AlarmTopic/)]);
      const metrics = alarm.metric_query.filter((q: any) => q.metric).map((q: any) => q.metric);
      expect(metrics.map((m: any) => m.dimensions.QueryState).sort()).toEqual(["CANCELLED", "FAILED", "SUCCEEDED"]);
      for (const m of metrics) {
        expect(m).toMatchObject({ namespace: "AWS/Athena", metric_name: "ProcessedBytes", period: 86400, stat: "Sum" });
        expect(m.dimensions).toMatchObject({ WorkGroup: workgroup, QueryType: "DML" });
      }
    }
  });
});

describe("switching archive features off removes exactly their resources", () => {
  const all = addresses(archiveStack());

  test.each<[string, (r: any) => void, RegExp]>([
    [
      "alarms",
      (r) => (r.monitoring = { alarms: { enabled: false } }),
      // Tamper detection follows the alarms by default (monitoring.tamper.enabled).
      /^aws_(sns_topic|sns_topic_policy|cloudwatch_metric_alarm)\.|MonitoringKey|DeliveryWatch_|Tamper(Bus|Watch)_/,
    ],
    ["tamper detection", (r) => (r.monitoring = { tamper: { enabled: false } }), /Tamper(Bus|Watch)_/],
    ["Athena", (r) => (r.monitoring = { athena: { enabled: false } }), /(^|\.)Athena_/],
  ])("%s", (_feature, off, featureResources) => {
    const without = addresses(archiveStack(off));
    const removed = [...all].filter((a) => !without.has(a));
    expect([...without].filter((a) => !all.has(a))).toEqual([]);
    expect(removed.length).toBeGreaterThan(0);
    for (const address of removed) expect(address).toMatch(featureResources);
    for (const address of without) expect(address).not.toMatch(featureResources);
  });
});
