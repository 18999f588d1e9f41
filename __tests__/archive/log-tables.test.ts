/**
 * Each table's partition template against the keys its writer produces, for
 * every topology: the per-account and central Firehose prefixes of
 * modules/naming/key-layout.ts evaluated as Firehose evaluates them, and the
 * key layouts AWS documents for CloudTrail, VPC Flow Logs and Config. A key
 * is read when it lies under a projected location (helpers/athena-emulator.ts).
 */
import {
  agentLogsTable,
  ANY_ACCOUNT_SUFFIX,
  anyAccountTable,
  cloudTrailTable,
  configTable,
  deliveryErrorsTable,
  envelopeTable,
  flowLogsTable,
  locationTemplate,
  messagesTable,
  readableRoots,
  type LogTablesInput,
  type TableConfig,
} from "../../modules/archive/log-tables";
import {
  CONTROL_ROOT,
  centralDataPrefix,
  centralErrorPrefix,
  firehoseDataPrefix,
  firehoseErrorPrefix,
} from "../../modules/naming/key-layout";
import { projectedPartition, type GlueTableJson } from "../helpers/athena-emulator";
import { evaluateFirehosePrefix, t } from "../helpers/archive-corpus";

const BUCKET = "archive";
const ORG = "o-a1b2c3d4e5";
const INPUT: LogTablesInput = {
  database: "db",
  bucket: BUCKET,
  accountValues: "222222222222,333333333333",
  logRegions: ["us-east-1", "eu-west-1"],
  serviceRegions: ["eu-west-1", "us-east-1", "ap-southeast-2"],
};
const ARRIVAL = t("2026-03-04 05:06");

/** The table as cdk.tf.json holds it, for the emulator. */
function asJson(table: TableConfig): GlueTableJson {
  return {
    name: table.name,
    table_type: table.tableType as string,
    parameters: table.parameters as Record<string, string>,
    partition_keys: (table.partitionKeys as { name: string; type: string }[]).map((p) => ({ ...p })),
    storage_descriptor: { columns: [] },
  };
}

const read = (table: TableConfig, key: string) => projectedPartition(asJson(table), key, BUCKET);

describe("CloudWatch Logs tables (both formats) against Firehose's keys", () => {
  const expected = { account: "222222222222", region: "eu-west-1", year: "2026", month: "03", day: "04", hour: "05" };

  const both = [
    ["cloudwatch_logs", envelopeTable],
    ["cloudwatch_messages", messagesTable],
  ] as const;

  test.each(both)("%s reads a per-account stream's objects, with its partitions", (_, make) => {
    const key = `${evaluateFirehosePrefix(firehoseDataPrefix("222222222222", "eu-west-1"), ARRIVAL)}s-1-2026-03-04-05-06-00-x.gz`;
    expect(read(make(INPUT), key)).toEqual(expected);
  });

  test.each([envelopeTable, messagesTable])(
    "%p reads a central stream's objects, the account taken from the record",
    (make) => {
      const prefix = evaluateFirehosePrefix(centralDataPrefix("eu-west-1"), ARRIVAL, {
        root: "cloudwatch-logs",
        account: "222222222222",
      });
      expect(read(make(INPUT), `${prefix}central-1-x.gz`)).toEqual(expected);
    },
  );

  test("never reads the central control messages, nor accounts or Regions outside the lists", () => {
    const table = envelopeTable(INPUT);
    const control = evaluateFirehosePrefix(centralDataPrefix("eu-west-1"), ARRIVAL, {
      root: CONTROL_ROOT.replace(/\/$/, ""),
      account: "222222222222",
    });
    expect(read(table, `${control}x.gz`)).toBeUndefined();
    const other = evaluateFirehosePrefix(firehoseDataPrefix("444444444444", "eu-west-1"), ARRIVAL);
    expect(read(table, `${other}x.gz`)).toBeUndefined();
    const region = evaluateFirehosePrefix(firehoseDataPrefix("222222222222", "ap-southeast-2"), ARRIVAL);
    expect(read(table, `${region}x.gz`)).toBeUndefined();
  });

  test("partition values are the key's zero-padded strings: an unpadded hour is no partition", () => {
    expect(
      read(
        envelopeTable(INPUT),
        "cloudwatch-logs/account=222222222222/region=eu-west-1/year=2026/month=3/day=04/hour=05/x.gz",
      ),
    ).toBeUndefined();
  });
});

describe("the delivery errors table against Firehose's error keys", () => {
  test.each([
    ["a per-account stream", firehoseErrorPrefix("222222222222", "eu-west-1"), "222222222222"],
    ["a central stream (account unknown)", centralErrorPrefix("eu-west-1"), "central"],
  ])("reads the failures of %s, of every error type, by account and Region", (_, prefix, account) => {
    for (const type of ["processing-failed", "format-conversion-failed", "any-future-type"]) {
      const key = `${evaluateFirehosePrefix(prefix, ARRIVAL, {}, type)}x.gz`;
      expect(read(deliveryErrorsTable(INPUT), key)).toEqual({ account, region: "eu-west-1" });
    }
  });
});

describe("the direct sources' tables against AWS's documented keys", () => {
  test("CloudTrail: the organization trail's log files, not its digests, nor another organization's", () => {
    const table = cloudTrailTable(INPUT, ORG);
    const root = `cloudtrail/AWSLogs/${ORG}/222222222222`;
    expect(
      read(
        table,
        `${root}/CloudTrail/ap-southeast-2/2026/03/04/222222222222_CloudTrail_ap-southeast-2_20260304T0510Z_abcdefghijklmnop.json.gz`,
      ),
    ).toEqual({ account: "222222222222", region: "ap-southeast-2", year: "2026", month: "03", day: "04" });
    expect(read(table, `${root}/CloudTrail-Digest/eu-west-1/2026/03/04/x.json.gz`)).toBeUndefined();
    expect(
      read(table, `cloudtrail/AWSLogs/o-zzzzzzzzzz/222222222222/CloudTrail/eu-west-1/2026/03/04/x.json.gz`),
    ).toBeUndefined();
  });

  test("VPC Flow Logs: per-hour folders as the project creates them, not Hive-compatible ones", () => {
    const table = flowLogsTable(INPUT);
    expect(
      read(
        table,
        "vpc-flow-logs/AWSLogs/222222222222/vpcflowlogs/eu-west-1/2026/03/04/05/222222222222_vpcflowlogs_eu-west-1_fl-1_20260304T0505Z_h.log.gz",
      ),
    ).toEqual({ account: "222222222222", region: "eu-west-1", year: "2026", month: "03", day: "04", hour: "05" });
    expect(
      read(
        table,
        "vpc-flow-logs/AWSLogs/aws-account-id=222222222222/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2026/month=03/day=04/hour=05/x.log.gz",
      ),
    ).toBeUndefined();
  });

  test("Config: unpadded date folders, history and snapshots apart; a padded folder is not Config's", () => {
    const table = configTable(INPUT);
    const root = "config/AWSLogs/222222222222/Config/eu-west-1";
    expect(read(table, `${root}/2026/3/4/ConfigHistory/x.json.gz`)).toEqual({
      account: "222222222222",
      region: "eu-west-1",
      year: "2026",
      month: "3",
      day: "4",
      filetype: "ConfigHistory",
    });
    expect(read(table, `${root}/2026/3/4/ConfigSnapshot/x.json.gz`)?.filetype).toBe("ConfigSnapshot");
    expect(read(table, `${root}/2026/03/04/ConfigHistory/x.json.gz`)).toBeUndefined();
  });

  test("agents: docs/agents' key format, the tag injected", () => {
    expect(read(agentLogsTable(INPUT), "agents/222222222222/syslog/2026/03/04/05/abcd1234.gz")).toEqual({
      account: "222222222222",
      tag: "syslog",
      year: "2026",
      month: "03",
      day: "04",
      hour: "05",
    });
  });
});

describe("the any-account twins", () => {
  test.each([
    [
      "cloudwatch_logs",
      envelopeTable(INPUT),
      "cloudwatch-logs/account=444444444444/region=eu-west-1/year=2026/month=03/day=04/hour=05/x.gz",
    ],
    [
      "cloudtrail",
      cloudTrailTable(INPUT, ORG),
      `cloudtrail/AWSLogs/${ORG}/444444444444/CloudTrail/eu-west-1/2026/03/04/x.json.gz`,
    ],
  ])("%s's twin reads an account outside the list, which the table itself does not", (_, table, key) => {
    const twin = anyAccountTable(table);
    expect(twin.name).toBe(`${table.name}${ANY_ACCOUNT_SUFFIX}`);
    expect(read(table, key)).toBeUndefined();
    expect(read(twin, key)?.account).toBe("444444444444");
    expect({ ...twin.storageDescriptor }).toEqual({ ...table.storageDescriptor });
  });
});

describe("every table", () => {
  const tables = [
    envelopeTable(INPUT),
    messagesTable(INPUT),
    deliveryErrorsTable(INPUT),
    cloudTrailTable(INPUT, ORG),
    flowLogsTable(INPUT),
    configTable(INPUT),
    agentLogsTable(INPUT),
  ];

  test.each(tables.map((table) => [table.name, table]))(
    "%s projects every partition column and reads restored objects",
    (_, table) => {
      const parameters = table.parameters as Record<string, string>;
      const columns = (table.partitionKeys as { name: string }[]).map((p) => p.name);
      expect(parameters["read_restored_glacier_objects"]).toBe("true");
      for (const column of columns) expect(parameters[`projection.${column}.type`]).toBeDefined();
      const placeholders = [...locationTemplate(table).matchAll(/\$\{([a-z_]+)\}/g)].map((m) => m[1]);
      expect(placeholders).toEqual(columns);
      // Terraform would read ${...} as an interpolation.
      expect(parameters["storage.location.template"]).not.toMatch(/[^$]\$\{/);
    },
  );

  test("the analyst's readable roots are exactly the tables' locations", () => {
    expect(readableRoots(tables)).toEqual([
      "agents/",
      `cloudtrail/AWSLogs/${ORG}/`,
      "cloudwatch-logs-errors/",
      "cloudwatch-logs/",
      "config/AWSLogs/",
      "vpc-flow-logs/AWSLogs/",
    ]);
  });
});
