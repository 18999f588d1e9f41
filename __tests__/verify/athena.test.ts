import {
  assumeAnalyst,
  athenaTimestamp,
  checkAthenaCloudTrail,
  checkAthenaQuery,
  markerQuery,
  partitionHourOf,
} from "../../modules/verify/checks/athena";
import { checkDelivery, writeMarker } from "../../modules/verify/checks/delivery";
import { checkTrail } from "../../modules/verify/checks/observed-facts";
import { assumeReader } from "../../modules/verify/checks/siem";
import type { Evidence } from "../../modules/verify/result";
import type { VerifyTarget } from "../../modules/verify/target";
import { ORG, SOURCE } from "../helpers/registry";
import { sandbox, testTarget } from "./sandbox-context";

type Knobs = Parameters<typeof sandbox>[0];

/** The run up to the marker object: both roles assumed, the marker delivered. */
async function delivered(knobs: Knobs = {}, target: VerifyTarget = testTarget()) {
  const { fake, ctx } = sandbox(knobs, target);
  ctx.archiveKeyArn = fake.keyArn;
  await assumeReader(ctx);
  await assumeAnalyst(ctx);
  await checkDelivery(ctx, (await writeMarker(ctx)) as Evidence[]);
  return { fake, ctx };
}

const withTrail = (siemReads = false): VerifyTarget => ({
  ...testTarget(),
  trail: { keyPrefix: `cloudtrail/AWSLogs/${ORG}/${SOURCE}/CloudTrail/eu-west-1/`, siemReads },
});

const QUERY_1 = "a1b2c3d4-0000-4000-8000-000000000001";

describe("athena-query: the marker through the events view, as the log analyst", () => {
  test("GIVEN the marker delivered WHEN the analyst queries the view THEN the marker comes back with its account, Region, log group and event time", async () => {
    const { ctx, fake } = await delivered();
    const result = await checkAthenaQuery(ctx);
    expect(result.status).toBe("pass");
    expect(result.summary).toMatch(
      new RegExp(
        `^query ${QUERY_1} returned the marker with its account, Region, log group and event time; \\d+ bytes scanned; the 1 object\\(s\\) of the two queried hours hold \\d+ bytes$`,
      ),
    );
    // In the interactive workgroup and the Glue database, literals only: the account, the Region,
    // the marker object's hour and the next one (an OR Athena must prune), the log group.
    const [query] = fake.athenaQueries;
    expect(query).toMatchObject({ database: "cwl_archive_logs", workgroup: "cwl-archive-logs" });
    expect(query!.sql).toContain('FROM "cwl_archive_logs"."cloudwatch_events"');
    expect(query!.sql).toContain(`WHERE account = '${SOURCE}' AND region = 'eu-west-1'`);
    expect(query!.sql).toContain(
      "(year = '2026' AND month = '12' AND day = '04' AND hour = '22')\n    OR (year = '2026' AND month = '12' AND day = '04' AND hour = '23')",
    );
    expect(query!.sql).toContain(`AND log_group = '${ctx.marker.logGroup}'`);
    expect(result.evidence.map((e) => e.what)).toEqual([
      "StartQueryExecution in cwl-archive-logs",
      "GetQueryExecution: SUCCEEDED",
      "GetQueryResults",
      "ListObjectsV2 of a queried partition",
      "ListObjectsV2 of a queried partition",
      "partition pruning",
    ]);
    expect(result.evidence[1]!.detail).toMatch(new RegExp(`^query ${QUERY_1}, \\d+ bytes scanned$`));
  });

  test("fails when the query succeeds without the marker's row", async () => {
    const { ctx } = await delivered({ athena: "no-rows" });
    const result = await checkAthenaQuery(ctx);
    expect(result.status).toBe("fail");
    expect(result.summary).toBe(
      `query ${QUERY_1} returned 0 row(s), none with the marker, though the reader read ${ctx.found!.key} (projection, view or decryption)`,
    );
  });

  test("fails when the query FAILED, with Athena's state-change reason on the line", async () => {
    const { ctx, fake } = await delivered({ athena: "failed" });
    const result = await checkAthenaQuery(ctx);
    expect(result.summary).toBe(
      `query ${QUERY_1} FAILED: Permission denied on S3 path: s3://${fake.target.archiveBucket}/cloudwatch-logs/account=${SOURCE}/region=eu-west-1/`,
    );
  });

  test("gives up after the margin on the fake clock when the query never ends", async () => {
    const { ctx, fake } = await delivered({ athena: "running" });
    const before = fake.now;
    const result = await checkAthenaQuery(ctx);
    expect(result.status).toBe("fail");
    expect(result.summary).toBe(`query ${QUERY_1} RUNNING after 5 min`);
    expect(fake.now - before).toBe(5 * 60_000);
  });

  test("fails with the access denial when the analyst may not start queries", async () => {
    const { ctx } = await delivered({ athena: "denied" });
    const result = await checkAthenaQuery(ctx);
    expect(result.status).toBe("fail");
    expect(result.summary).toMatch(
      /^cannot query cloudwatch_events as the log analyst: AccessDeniedException: User: .* is not authorized to perform: athena:StartQueryExecution on resource: arn:aws:athena:eu-west-1:\d{12}:workgroup\/cwl-archive-logs$/,
    );
    expect(result.evidence[0]!.requestId).toMatch(/^REQ/);
  });

  test("fails, saying who to pass, when the caller cannot assume the log-analyst role", async () => {
    const { ctx } = await delivered({ analystRefused: true });
    const result = await checkAthenaQuery(ctx);
    expect(result.status).toBe("fail");
    expect(result.summary).toMatch(
      /^AssumeRole of arn:aws:iam::\d{12}:role\/cwl-archive-log-analyst failed: AccessDenied: .*pass --analyst-profile or --analyst-role\)$/,
    );
  });

  test("fails when Athena scans more than the queried partitions hold (no pruning)", async () => {
    const { ctx } = await delivered({ athena: "unpruned" });
    const result = await checkAthenaQuery(ctx);
    expect(result.status).toBe("fail");
    expect(result.summary).toMatch(/so partitions were not pruned$/);
  });

  test("fails naming what differs when the marker's row has another log group or event time", async () => {
    const { ctx } = await delivered();
    const athena = ctx.analyst!.athena;
    ctx.analyst = {
      ...ctx.analyst!,
      athena: {
        ...athena,
        results: async (id) => {
          const out = await athena.results(id);
          const rows = out.rows.map((r, i) =>
            i === 0 || !r[5]?.includes(ctx.marker.message)
              ? r
              : [r[0], r[1], "2026-12-04 20:58:30.000", "/other", r[4], r[5]],
          );
          return { ...out, rows };
        },
      },
    };
    const result = await checkAthenaQuery(ctx);
    expect(result.summary).toBe(
      "the marker row has the wrong log group /other, event time 2026-12-04 20:58:30.000, written 2026-12-04T21:58:30.000Z",
    );
  });

  test("a message-extraction source is found by its message alone: its objects keep no log group", () => {
    const target = testTarget((raw) => (raw.defaults = { firehose: { messageExtraction: true } }));
    const { ctx } = sandbox({}, target);
    const sql = markerQuery(ctx, "cwl_archive_logs", Date.UTC(2026, 11, 4, 22));
    expect(sql).not.toContain("log_group =");
    expect(sql).toContain(`AND strpos(message, '${ctx.marker.message}') > 0`);
  });

  test("does not apply without Athena or without a marker object", async () => {
    const noAthena = testTarget((raw) => (raw.monitoring = { athena: { enabled: false } }));
    const { ctx } = await delivered({}, noAthena);
    expect(await checkAthenaQuery(ctx)).toMatchObject({
      status: "not-applicable",
      summary: "monitoring.athena is not enabled",
    });
    expect((await assumeAnalyst(ctx)).status).toBe("not-applicable");
    const lost = await delivered({ deliver: "none" });
    expect((await checkAthenaQuery(lost.ctx)).summary).toBe("no marker object (see delivery)");
  });

  test("partition hours and Athena's timestamps are read as UTC", () => {
    expect(partitionHourOf("cloudwatch-logs/account=1/region=r/year=2026/month=01/day=02/hour=23/x.gz")).toBe(
      Date.UTC(2026, 0, 2, 23),
    );
    expect(partitionHourOf("cloudwatch-logs/account=1/x.gz")).toBeUndefined();
    expect(athenaTimestamp("2026-12-04 21:58:30.000")).toBe(Date.UTC(2026, 11, 4, 21, 58, 30));
    expect(athenaTimestamp(undefined)).toBeUndefined();
    expect(athenaTimestamp("not a time")).toBeUndefined();
  });
});

describe("athena-cloudtrail: the organization trail through the cloudtrail table", () => {
  async function trailRun(knobs: Knobs = {}) {
    const { ctx, fake } = await delivered(knobs, withTrail());
    await checkTrail(ctx);
    return { ctx, fake, result: await checkAthenaCloudTrail(ctx) };
  }

  test("GIVEN today's trail object WHEN the analyst queries the table THEN an event of the account comes back with requestparameters as JSON text", async () => {
    const { result, fake } = await trailRun();
    expect(result.status).toBe("pass");
    expect(result.summary).toBe(
      "query a1b2c3d4-0000-4000-8000-000000000001 read s3.amazonaws.com GetBucketAcl of 2026-12-04T21:41:07Z, requestparameters as JSON text",
    );
    expect(fake.athenaQueries[0]!.sql).toContain(
      `WHERE account = '${SOURCE}' AND region = 'eu-west-1'\n  AND year = '2026' AND month = '12' AND day = '04'`,
    );
  });

  test.each([
    [
      "no event",
      { cloudTrailTable: "none" as const },
      /^query \S+ returned no event of \d{12} on 2026-12-04, though cloudtrail\//,
    ],
    [
      "a nested object not as JSON text",
      { cloudTrailTable: "not-json" as const },
      /^requestparameters is not the object's JSON text: \{bucketname=/,
    ],
    ["a FAILED query", { athena: "failed" as const }, /^query \S+ FAILED: Permission denied on S3 path/],
    ["a denial", { athena: "denied" as const }, /^cannot query cloudtrail as the log analyst: AccessDeniedException/],
  ])("fails on %s, with the line", async (_, knobs, summary) => {
    const { result } = await trailRun(knobs);
    expect(result.status).toBe("fail");
    expect(result.summary).toMatch(summary);
  });

  test("does not apply without a trail or without a trail object today", async () => {
    const { ctx } = await delivered();
    expect((await checkAthenaCloudTrail(ctx)).summary).toBe("sources.cloudTrail is not enabled");
    const { result } = await trailRun({ trailObjects: false });
    expect(result.summary).toBe("no trail object of the account today (see trail-objects)");
  });
});

describe("trail-objects: the readers decrypt the trail's objects", () => {
  test("the log analyst reads a trail object; with notifySiem: [cloudtrail], the SIEM reader too", async () => {
    const { ctx } = await delivered({}, withTrail(true));
    const result = await checkTrail(ctx);
    expect(result.status).toBe("pass");
    expect(result.summary).toMatch(/; the log analyst and the SIEM reader read and decrypt them$/);
    expect(result.evidence.map((e) => e.what)).toEqual([
      "HeadObject of the newest trail object",
      "GetObject as the log analyst",
      "GetObject as the SIEM reader",
    ]);
  });

  test("fails naming each reader the key refuses (CloudTrail's encryption context without the bucket)", async () => {
    const { ctx } = await delivered({ trailReadable: false }, withTrail(true));
    const result = await checkTrail(ctx);
    expect(result.status).toBe("fail");
    expect(result.summary).toMatch(
      /^the log analyst cannot read cloudtrail\/\S+: AccessDenied: Access Denied; the SIEM reader cannot read cloudtrail\/\S+: AccessDenied: Access Denied: the key policy admits readers on the bucket's encryption context/,
    );
  });

  test("the SIEM reader is not asked when it does not read the trail; an analyst not assumed fails the check", async () => {
    const { ctx } = await delivered({ analystRefused: true }, withTrail(false));
    const result = await checkTrail(ctx);
    expect(result.status).toBe("fail");
    expect(result.summary).toMatch(/^the log analyst was not assumed \(AssumeRole of /);
    expect(result.evidence.map((e) => e.what)).toEqual(["HeadObject of the newest trail object"]);
  });
});
