/**
 * The saved queries find what they should: the synthesised Glue tables,
 * views and named queries run over a small organization's archive (every
 * object written as its writer writes it), with DuckDB standing in for
 * Athena (helpers/athena-emulator.ts: partition projection, SerDes, three
 * function macros). The account list is computed as Terraform computes it
 * from the archive's folders when log-archive is planned.
 */
import { ArchiveAthena, accountFolderRoots } from "../../modules/archive/athena";
import { accountValues, accountsFromCommonPrefixes } from "../../modules/archive/archive-accounts";
import { evaluate } from "../helpers/terraform-expression";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EXAMPLE, roleArnPattern, savedQueries, wholeIpPattern } from "../../modules/archive/saved-queries";
import { archiveNames, s3BucketArn } from "../../modules/naming/names";
import { COMMERCIAL_REGIONS } from "../../modules/naming/regions";
import { synthConstruct } from "../helpers/construct";
import { AthenaEmulator, ATHENA_MACROS, projectedPartition, type GlueTableJson } from "../helpers/athena-emulator";
import { envelope, t } from "../helpers/archive-corpus";
import { firehoseDataPrefix } from "../../modules/naming/key-layout";
import type { TfJson } from "../helpers/synth";
import {
  A,
  ARCHIVE,
  B,
  C,
  EU,
  GUARDDUTY_GROUP,
  HEARTBEAT_GROUP,
  HEARTBEAT_RULE,
  investigationCorpus,
  MGMT,
  N,
  ORG,
  R,
  REGISTRY,
  ROLE_ACCOUNT,
  US,
} from "./fixtures/investigation-corpus";

const names = archiveNames({ prefix: "cwl-archive", archiveAccountId: ARCHIVE, archiveRegion: EU });
const DB = names.glueDatabase;
const BUCKET = names.archiveBucket;
const DIRECT = { cloudTrailOrganizationId: ORG, vpcFlowLogs: true, config: true, agents: true };
const KNOWN = [ARCHIVE, MGMT, ...REGISTRY];

const tf: TfJson = synthConstruct(
  (stack) =>
    new ArchiveAthena(stack, "Athena", {
      context: {
        accountId: ARCHIVE,
        region: EU,
        archiveBucketArn: names.archiveBucketArn,
        workgroup: names.athenaWorkgroup,
        huntingWorkgroup: names.athenaHuntingWorkgroup,
        database: DB,
        resultsBucketArn: s3BucketArn(names.athenaResultsBucket, "aws"),
      },
      settings: { resultsRetentionDays: 30, bytesScannedCutoffGiB: 10, huntingBytesScannedCutoffGiB: 1024 },
      archiveBucket: BUCKET,
      archiveBucketReference: BUCKET,
      archiveKeyArn: `arn:aws:kms:${EU}:${ARCHIVE}:key/archive`,
      abortIncompleteMultipartUploadDays: 7,
      knownAccountIds: KNOWN,
      regions: [EU, US],
      serviceRegions: COMMERCIAL_REGIONS,
      direct: DIRECT,
      heartbeat: { logGroup: HEARTBEAT_GROUP, ruleName: HEARTBEAT_RULE },
      guardDutyLogGroup: GUARDDUTY_GROUP,
      names,
      organizationId: ORG,
      analystPrincipals: [`arn:aws:iam::${ARCHIVE}:role/analyst`],
    }),
);

const corpus = investigationCorpus();
/**
 * The account list as Terraform computes it when log-archive is planned over
 * this archive: the synthesised local value, evaluated with each listing's
 * folders (what ListObjectsV2 with a delimiter returns for its prefix).
 */
const listings = tf.data?.aws_s3_objects ?? {};
const ACCOUNT_VALUES = evaluate(Object.values(tf.locals ?? {})[0] as string, (name) => {
  const [, type, logical, attribute] = name.split(".");
  if (type !== "aws_s3_objects" || attribute !== "common_prefixes" || !listings[logical!]) {
    throw new Error(`unexpected reference ${name}`);
  }
  return corpus.commonPrefixes(listings[logical!].prefix);
}) as string;

/** A synthesised table with the account list Terraform would put in place of the local value. */
function planned(table: GlueTableJson): GlueTableJson {
  if (!table.parameters) return table;
  const parameters = Object.fromEntries(
    Object.entries(table.parameters).map(([k, v]) => [k, v.replace(/\$\{local\.[A-Za-z0-9_]+\}/, ACCOUNT_VALUES)]),
  );
  return { ...table, parameters };
}

const glue = Object.values(tf.resource.aws_glue_catalog_table ?? {}) as unknown as GlueTableJson[];
const namedQueries = Object.values(tf.resource.aws_athena_named_query ?? {}) as unknown as {
  name: string;
  query: string;
  database: string;
}[];
const queryText = (name: string) => {
  const q = namedQueries.find((n) => n.name === name);
  if (!q) throw new Error(`no saved query ${name}`);
  return q.query;
};

let athena: AthenaEmulator;
const loaded = new Map<string, number>();

beforeAll(async () => {
  athena = await AthenaEmulator.create(DB);
  for (const table of glue.filter((g) => g.table_type === "EXTERNAL_TABLE")) {
    loaded.set(table.name, await athena.addTable(DB, planned(table), BUCKET, corpus.objects));
  }
  // Views after tables, the findings view after the events view it reads.
  const views = glue.filter((g) => g.table_type === "VIRTUAL_VIEW");
  for (const name of ["cloudwatch_events", "guardduty_findings"]) {
    await athena.addView(
      DB,
      views.find((v) => v.name === name)!,
    );
  }
});

afterAll(() => athena.close());

describe("GIVEN an organization's archive, every object as its writer writes it", () => {
  test("THEN every table reads objects (no template misses its writer's layout)", () => {
    const tables = {
      cloudwatch_logs: expect.any(Number),
      cloudwatch_messages: expect.any(Number),
      cloudwatch_logs_errors: 1 + 1,
      cloudtrail: expect.any(Number),
      vpc_flow_logs: expect.any(Number),
      config: 1,
      agent_logs: 1,
    };
    expect(Object.fromEntries(loaded)).toEqual({
      ...tables,
      ...Object.fromEntries(Object.entries(tables).map(([name, rows]) => [`${name}_any_account`, rows])),
    });
    for (const [name, rows] of loaded) expect([name, rows > 0]).toEqual([name, true]);
    // The twins read what the tables read: here every account is in the list.
    for (const name of Object.keys(tables)) expect(loaded.get(`${name}_any_account`)).toBe(loaded.get(name));
  });

  test("THEN no table misses an account that has objects, however it joined", async () => {
    const accountsOf = async (table: string) =>
      (await athena.rows(`SELECT DISTINCT account FROM "${DB}"."${table}" ORDER BY account`)).map((r) => r.account);
    // A, B, R: the registry's (R retired); C: added later; N: central, not in the registry.
    expect(await accountsOf("cloudwatch_events")).toEqual([A, B, C, N, R].sort());
    expect(await accountsOf("cloudtrail")).toEqual([A, ROLE_ACCOUNT, N, MGMT].sort());
    expect(await accountsOf("vpc_flow_logs")).toEqual([A, N].sort());
    expect(await accountsOf("cloudwatch_logs_errors")).toEqual([A, "central"].sort());
    for (const account of [N, ROLE_ACCOUNT]) expect(ACCOUNT_VALUES.split(",")).toContain(account);
  });

  test("THEN an account that wrote after the last apply is out of the list, but read by the any-account twin when named", async () => {
    const late = "888888888888";
    const extra = investigationCorpus();
    extra.firehose(firehoseDataPrefix(late, EU), t("2026-12-04 10:05"), [
      envelope(late, "/app/new", [{ at: t("2026-12-04 10:00"), message: "first words" }]),
    ]);
    const envelopeTable = planned(glue.find((g) => g.name === "cloudwatch_logs")!);
    const twin = planned(glue.find((g) => g.name === "cloudwatch_logs_any_account")!);
    const key = [...extra.objects.keys()].find((k) => k.includes(`account=${late}/`))!;
    expect(projectedPartition(envelopeTable, key, BUCKET)).toBeUndefined();
    expect(projectedPartition(twin, key, BUCKET)?.account).toBe(late);
    expect(twin.parameters?.["projection.account.type"]).toBe("injected");
  });

  test("THEN Terraform's account list is the known accounts and every account folder, sorted and distinct", () => {
    const discovered = accountFolderRoots(DIRECT).flatMap((root) =>
      accountsFromCommonPrefixes(corpus.commonPrefixes(root.prefix), root.prefix),
    );
    expect(ACCOUNT_VALUES).toBe(accountValues(KNOWN, discovered));
    expect(ACCOUNT_VALUES).toBe([ARCHIVE, A, B, ROLE_ACCOUNT, C, N, R, MGMT].sort().join(","));
  });

  test("THEN the events view unnests envelopes with event time (milliseconds kept) and leaves message lines without", async () => {
    const rows = await athena.rows(
      `SELECT account, log_group, CAST(event_time AS varchar) AS at, format, message FROM "${DB}"."cloudwatch_events"
       WHERE year = '2026' AND month = '12' AND day = '03' AND hour = '14'`,
    );
    expect(rows).toEqual([
      { account: B, log_group: null, at: null, format: "message", message: '{"level":"ERROR","msg":"db down"}' },
      { account: B, log_group: null, at: null, format: "message", message: '{"level":"INFO"}' },
    ]);
  });
});

describe("the saved queries", () => {
  test("an IP in one account and Region over two hours: CloudWatch Logs (an early object and a late arrival included), CloudTrail and Flow Logs", async () => {
    const rows = await athena.rows(queryText("ip-in-account-region"));
    expect(rows.map((r) => [r.source, String(r.event_time).slice(0, 16)])).toEqual([
      // Under hour=09: its object was started by a record of 09:58 (Firehose dates objects by their oldest record).
      ["cloudwatch-logs", "2026-12-03 10:05"],
      // The IP in a request's parameters (a /32 rule); the rule for 203.0.113.70/32 is not listed.
      ["cloudtrail", "2026-12-03 10:20"],
      // 10:30 only: the lines of 10:32 and 10:33 hold 203.0.113.70 and 1203.0.113.7, not the IP.
      ["cloudwatch-logs", "2026-12-03 10:30"],
      ["vpc-flow-logs", "2026-12-03 10:45"],
      ["cloudtrail", "2026-12-03 11:00"],
      ["cloudwatch-logs", "2026-12-03 11:55"],
    ]);
  });

  test("accounts with ERROR-level JSON logs yesterday: every account however it joined, message extraction, an object started before midnight and late arrivals included", async () => {
    const rows = await athena.rows(queryText("error-accounts-yesterday"));
    expect(rows.map((r) => [r.account, r.region, Number(r.error_events)]).sort()).toEqual(
      [
        // 08:00, 09:00, 23:50 (late) and 00:04 (under day=02: the object was started at 23:56).
        [A, EU, 4],
        [B, EU, 1],
        [C, EU, 1],
        [N, EU, 1],
      ].sort(),
    );
  });

  test("one log group across the organization for 24 hours, an early object and a late arrival included", async () => {
    const rows = await athena.rows(queryText("log-group-across-organization"));
    expect(rows.map((r) => [r.account, r.region, r.message])).toEqual([
      [A, EU, "START RequestId: 0"], // under hour=05: its object was started at 05:57
      [A, EU, "START RequestId: 1"],
      [C, EU, "START RequestId: 4"],
      [A, US, "START RequestId: 2"],
      [N, EU, "START RequestId: 3"],
      [A, EU, "START RequestId: 5"],
    ]);
  });

  test("a role's AssumeRole calls across the organization last week: OIDC and SAML, a role with a path, a cross-account call once, accounts outside the registry, delivered the day after", async () => {
    const rows = await athena.rows(queryText("role-assume-role-last-week"));
    expect(rows.map((r) => [r.eventtime, r.account, r.eventname, r.direction, Number(r.copies)])).toEqual([
      // In the caller's and the role's account trails: listed once, from the role's account.
      ["2026-11-27T10:00:00Z", ROLE_ACCOUNT, "AssumeRole", "made by the role", 2],
      ["2026-11-30T12:00:00Z", ROLE_ACCOUNT, "AssumeRole", "assumed the role", 2],
      ["2026-12-01T09:00:00Z", ROLE_ACCOUNT, "AssumeRoleWithWebIdentity", "assumed the role", 1],
      ["2026-12-01T09:05:00Z", ROLE_ACCOUNT, "AssumeRoleWithSAML", "assumed the role", 1],
      ["2026-12-02T23:58:00Z", N, "AssumeRole", "made by the role", 1],
    ]);
    // A federated caller has no ARN: the principal id names the provider and the subject.
    expect(rows[2]!.caller).toBe(
      "token.actions.githubusercontent.com:sts.amazonaws.com:repo:acme/app:ref:refs/heads/main",
    );
  });

  test("the IP and role patterns match whole values only", async () => {
    const ip = wholeIpPattern("10.0.0.1");
    const role = roleArnPattern("444444444444", "ci.deployer");
    const cases: [string, string, boolean][] = [
      ["from 10.0.0.1", ip, true],
      ["10.0.0.1/32", ip, true],
      ["ip=10.0.0.1, port 22", ip, true],
      ["denied 10.0.0.1.", ip, true],
      ["from 10.0.0.12", ip, false],
      ["from 110.0.0.1", ip, false],
      ["version 10.0.0.1.5", ip, false],
      ["arn:aws:iam::444444444444:role/ci.deployer", role, true],
      ["arn:aws:iam::444444444444:role/ci/team/ci.deployer", role, true],
      ["arn:aws-us-gov:iam::444444444444:role/ci.deployer", role, true],
      ["arn:aws:iam::444444444444:role/ci-deployer", role, false],
      ["arn:aws:iam::444444444444:role/ci.deployer-old", role, false],
      ["arn:aws:iam::555555555555:role/ci.deployer", role, false],
    ];
    for (const [value, pattern, expected] of cases) {
      const [row] = await athena.rows(`SELECT regexp_like('${value}', '${pattern}') AS m`);
      expect([value, row!.m]).toEqual([value, expected]);
    }
  });

  test("rejected flows to port 22 over three days, a late file included", async () => {
    const rows = await athena.rows(queryText("rejected-flows-to-port"));
    expect(rows.map((r) => [r.account, r.srcaddr, r.dstaddr, Number(r.records)])).toEqual([
      [A, "198.51.100.9", "10.0.0.5", 2],
      [N, "198.51.100.10", "10.1.0.7", 1],
    ]);
  });

  test("silent sources: heartbeats of both formats, and delivery errors", async () => {
    const rows = await athena.rows(queryText("silent-sources"));
    expect(rows.map((r) => [r.account, r.region, r.problem, String(r.detail).slice(0, 19)])).toEqual([
      [A, US, "silent", "2026-12-04 09:00:00"],
      [B, EU, "silent", "2026-12-04 08:00:00"],
      ["central", EU, "delivery errors", "1 record(s) under p"],
    ]);
    expect(rows[2]!.detail).toBe("1 record(s) under processing-failed");
  });

  test("every saved query prunes partitions by literals only", () => {
    for (const q of namedQueries) {
      expect([q.name, /now\(\)|current_date|current_timestamp|interval/i.test(q.query)]).toEqual([q.name, false]);
      expect([q.name, /year = '\d{4}'/.test(q.query) || q.name === "silent-sources"]).toEqual([q.name, true]);
    }
  });
});

describe("the analysts' page", () => {
  // README's examples are the saved queries: docs/investigating.md shows them for the default prefix.
  test("shows every saved query as it is saved, for the default prefix with every direct source", () => {
    const page = readFileSync(join(__dirname, "../../docs/investigating.md"), "utf8");
    const queries = savedQueries({
      database: "cwl_archive_logs",
      heartbeatLogGroup: "/cwl-archive/heartbeat",
      heartbeatRule: "cwl-archive-heartbeat",
      direct: { cloudTrailOrganizationId: "o-a1b2c3d4e5", vpcFlowLogs: true, config: true, agents: true },
    });
    expect(queries.map((q) => q.id).sort()).toEqual(namedQueries.map((q) => q.name).sort());
    for (const q of queries) expect([q.id, page.includes(`\`\`\`sql\n${q.sql}\n\`\`\``)]).toEqual([q.id, true]);
  });
});

describe("the other sources' tables and views", () => {
  test("GuardDuty findings come out of their log group, and out of message-extraction accounts (no log group), with the finding's fields", async () => {
    expect(
      await athena.rows(
        `SELECT account, finding_type, severity, CAST(event_time AS varchar) AS at FROM "${DB}"."guardduty_findings"
         WHERE year = '2026' AND month = '12' AND day = '03' ORDER BY event_time`,
      ),
    ).toEqual([
      { account: A, finding_type: "Recon:EC2/PortProbeUnprotectedPort", severity: 2, at: "2026-12-03 10:00:00" },
      // B uses message extraction: the line is the EventBridge event, its time the event's.
      { account: B, finding_type: "UnauthorizedAccess:EC2/SSHBruteForce", severity: 5, at: "2026-12-03 12:00:00" },
    ]);
  });

  test("Config items are read from Config's unpadded date folders", async () => {
    expect(
      await athena.rows(
        `SELECT account, i.resourceid AS id, i.tags['team'] AS team FROM "${DB}"."config" CROSS JOIN UNNEST(configurationitems) AS t (i)
         WHERE year = '2026' AND month = '12' AND day = '3' AND filetype = 'ConfigHistory'`,
      ),
    ).toEqual([{ account: N, id: "sg-1", team: "payments" }]);
  });

  test("agent lines are read under their tag", async () => {
    expect(
      await athena.rows(
        `SELECT account, json_extract_scalar(line, '$.log') AS log FROM "${DB}"."agent_logs" WHERE tag = 'syslog' AND year = '2026'`,
      ),
    ).toEqual([{ account: N, log: `sshd[1]: Failed password for root from ${EXAMPLE.ip}` }]);
  });
});

describe("the translation to DuckDB: four macros with Athena's semantics", () => {
  test("is the macros only", () => {
    expect(ATHENA_MACROS.map((m) => /CREATE MACRO (\w+)/.exec(m)![1])).toEqual([
      "from_unixtime",
      "from_iso8601_timestamp",
      "json_extract_scalar",
      "regexp_like",
    ]);
  });

  test.each([
    ["from_unixtime(1796299200.123)::varchar", "2026-12-03 12:00:00.123+00"],
    ["CAST(from_iso8601_timestamp('2026-12-03T12:00:00Z') AS timestamp(3))::varchar", "2026-12-03 12:00:00"],
    [`json_extract_scalar('{"a":{"b":"x"}}', '$.a.b')`, "x"],
    [`json_extract_scalar('{"a":{"b":"x"}}', '$.a')`, null],
    [`json_extract_scalar('not json', '$.a')`, null],
    [`json_extract_scalar('{"n":2}', '$.n')`, "2"],
    ["regexp_like('from 10.0.0.12', '0\\.1')", true],
    ["regexp_like('from 10.0.0.12', '^0')", false],
  ])("%s is %p, as in Athena", async (expression, expected) => {
    expect((await athena.rows(`SELECT ${expression} AS v`))[0]!.v).toBe(expected);
  });
});
