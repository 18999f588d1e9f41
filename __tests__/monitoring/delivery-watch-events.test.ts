/**
 * The delivery watch from the archive's objects to its decisions, through S3's
 * `Object Created` events as EventBridge delivers them
 * (__tests__/fixtures/s3-eventbridge-events.ts): which events the watch's rule
 * copies, and what its Logs Insights queries make of their keys, including
 * keys with characters URL encoding would change (=, spaces, +, %, unicode).
 */
import { objectEventPattern } from "../../modules/monitoring/delivery-watch";
import {
  decide,
  heartbeatBounds,
  heartbeatOnlyRange,
  heartbeatSizeQuery,
  problemsAt,
  rowsFromResults,
  SEARCH_ACCOUNT,
  searchErrorsQuery,
  sizeRowsFromResults,
  watchQuery,
  type ExpectedSource,
  type ObservedRow,
  type WatchSettings,
} from "../../modules/monitoring/delivery-watch/evaluate";
import { objectCreated, urlEncodedKey, type ObjectCreatedEvent } from "../fixtures/s3-eventbridge-events";
import { matchesPattern } from "../helpers/event-pattern";
import { runQuery } from "../helpers/logs-insights";

const ARCHIVE = "111111111111";
const BUCKET = `cwl-archive-${ARCHIVE}-eu-west-1`;
const SOURCE = "222222222222";
const ORIGIN = { accountId: ARCHIVE, bucket: BUCKET };
const T = Date.UTC(2026, 11, 1, 12, 0, 0);
const DATE = "year=2026/month=12/day=01/hour=11/";

function event(key: string, minutesBefore = 5, bucket = BUCKET, account = ARCHIVE, size?: number): ObjectCreatedEvent {
  const time = new Date(T - minutesBefore * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  return objectCreated({ account, region: "eu-west-1", bucket, key, time, ...(size !== undefined ? { size } : {}) });
}

/** What the rule copies into the log group: each event as a JSON message at its time. */
function copied(events: readonly ObjectCreatedEvent[], searchErrors = true) {
  const pattern = objectEventPattern(BUCKET, { searchErrors });
  return events
    .filter((e) => matchesPattern(e, pattern))
    .map((e) => ({ timestamp: Date.parse(e.time), message: JSON.stringify(e) }));
}

/** The rows the watch reads for a Region: its data and error query, and the search query. */
function rows(events: readonly ObjectCreatedEvent[], region = "eu-west-1"): ObservedRow[] {
  const log = copied(events);
  return [
    ...rowsFromResults(runQuery(watchQuery(region, ORIGIN), log)),
    ...rowsFromResults(runQuery(searchErrorsQuery(region, ORIGIN), log)),
  ];
}

describe("the fixtures", () => {
  test("are Object Created events in EventBridge's documented shape", () => {
    const e = event(`cloudwatch-logs/account=${SOURCE}/region=eu-west-1/${DATE}x.gz`);
    expect(e).toMatchObject({
      version: "0",
      "detail-type": "Object Created",
      source: "aws.s3",
      account: ARCHIVE,
      region: "eu-west-1",
      resources: [`arn:aws:s3:::${BUCKET}`],
      detail: { bucket: { name: BUCKET }, object: { key: expect.any(String) }, reason: "PutObject" },
    });
    expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});

describe("the rule's event pattern", () => {
  const pattern = objectEventPattern(BUCKET, { searchErrors: true });

  test.each([
    `cloudwatch-logs/account=${SOURCE}/region=eu-west-1/${DATE}cwl-archive-to-archive-1-2026-12-01-11-55-00-0a1b.gz`,
    `cloudwatch-logs-errors/account=${SOURCE}/region=eu-west-1/processing-failed/${DATE}x.gz`,
    `cloudwatch-logs-errors/account=central/region=us-east-1/partition-failed/${DATE}x.gz`,
    "search-errors/region=eu-west-1/AmazonOpenSearchService-failed/2026/12/01/11/cwl-archive-search-1-2026-12-01",
  ])("copies a new object under a watched root: %s", (key) => {
    expect(matchesPattern(event(key), pattern)).toBe(true);
  });

  test.each([
    ["another root", `cloudwatch-logs-control/account=${SOURCE}/region=eu-west-1/${DATE}x.gz`],
    ["a direct source's root", "vpc-flow-logs/AWSLogs/222222222222/x.log.gz"],
    ["a root named alike but not the same, in another case", `CloudWatch-Logs/account=${SOURCE}/region=eu-west-1/x`],
    ["a key that only contains a root", `archive/cloudwatch-logs/account=${SOURCE}/region=eu-west-1/x`],
  ])("ignores %s", (_case, key) => {
    expect(matchesPattern(event(key), pattern)).toBe(false);
  });

  test("ignores another bucket's objects, and events other than Object Created", () => {
    const key = `cloudwatch-logs/account=${SOURCE}/region=eu-west-1/${DATE}x.gz`;
    expect(matchesPattern(event(key, 5, "someone-elses-bucket"), pattern)).toBe(false);
    expect(matchesPattern({ ...event(key), "detail-type": "Object Deleted" }, pattern)).toBe(false);
  });

  test("without search delivery, ignores search-errors/", () => {
    const key = "search-errors/region=eu-west-1/AmazonOpenSearchService-failed/2026/12/01/11/x";
    expect(matchesPattern(event(key), objectEventPattern(BUCKET))).toBe(false);
  });
});

describe("the queries' reading of object keys", () => {
  // Firehose names objects after the stream, a version, a timestamp and a random part; a
  // key could hold any character after the prefix the watch reads, and the error root's
  // first segment is an error type the watch repeats as it finds it.
  test.each([
    ["=", `cloudwatch-logs/account=${SOURCE}/region=eu-west-1/year=2026/month=12/a=b.gz`],
    ["spaces", `cloudwatch-logs/account=${SOURCE}/region=eu-west-1/${DATE}my stream 1.gz`],
    ["+", `cloudwatch-logs/account=${SOURCE}/region=eu-west-1/${DATE}a+b+c.gz`],
    ["%", `cloudwatch-logs/account=${SOURCE}/region=eu-west-1/${DATE}100%25 done%.gz`],
    ["unicode", `cloudwatch-logs/account=${SOURCE}/region=eu-west-1/${DATE}jörð-日志-😀.gz`],
  ])("a data key with %s after the Region names its account and Region", (_case, key) => {
    expect(rows([event(key)])).toEqual([
      expect.objectContaining({ root: "data", account: SOURCE, region: "eu-west-1", segment: "year=2026", objects: 1 }),
    ]);
  });

  test("an error key keeps its error type as written, spaces, +, % and unicode included", () => {
    const key = `cloudwatch-logs-errors/account=${SOURCE}/region=eu-west-1/format conversion+failed 100% ü/${DATE}x.gz`;
    expect(rows([event(key)])).toEqual([
      expect.objectContaining({ root: "errors", account: SOURCE, segment: "format conversion+failed 100% ü" }),
    ]);
  });

  test("a central stream's error key names the stream's Region and no account", () => {
    const key = `cloudwatch-logs-errors/account=central/region=us-east-1/partition-failed/${DATE}x.gz`;
    expect(rows([event(key)], "us-east-1")).toEqual([
      expect.objectContaining({ root: "errors", account: "central", region: "us-east-1", segment: "partition-failed" }),
    ]);
    expect(rows([event(key)], "eu-west-1")).toEqual([]);
  });

  test("a search failure key names search delivery's Region and the folder Firehose adds", () => {
    const key = "search-errors/region=eu-west-1/AmazonOpenSearchService-failed/2026/12/01/11/cwl-archive-search-1";
    expect(rows([event(key)])).toEqual([
      expect.objectContaining({
        root: "search-errors",
        account: SEARCH_ACCOUNT,
        region: "eu-west-1",
        segment: "AmazonOpenSearchService-failed",
      }),
    ]);
  });

  test("counts only S3's own events for the archive bucket of the archive account", () => {
    const key = `cloudwatch-logs/account=${SOURCE}/region=eu-west-1/${DATE}x.gz`;
    const forged = { ...event(key), source: "custom.app" };
    const elsewhere = event(key, 5, BUCKET, "999999999999");
    expect(runQuery(watchQuery("eu-west-1", ORIGIN), copied([forged as ObjectCreatedEvent, elsewhere]))).toEqual([]);
  });

  test("groups objects by root, account, Region and segment, with their first and last times", () => {
    const keys = [1, 7, 3].map((m) => `cloudwatch-logs/account=${SOURCE}/region=eu-west-1/${DATE}${m}.gz`);
    const got = rows([event(keys[0]!, 1), event(keys[1]!, 7), event(keys[2]!, 3)]);
    expect(got).toEqual([
      {
        root: "data",
        account: SOURCE,
        region: "eu-west-1",
        segment: "year=2026",
        first: T - 7 * 60_000,
        last: T - 60_000,
        objects: 3,
      },
    ]);
  });

  // S3 URL-encodes keys for its SQS, SNS and Lambda notifications, not (as far as AWS
  // documents and captured events show) for EventBridge. If EventBridge ever did, the
  // watch would read no account and call every source silent: loud, not quiet.
  test("a key URL-encoded as S3 encodes it for SQS and SNS is not read as a source", () => {
    const key = urlEncodedKey(`cloudwatch-logs/account=${SOURCE}/region=eu-west-1/${DATE}my stream+1.gz`);
    expect(key).toContain("account%3D");
    expect(rows([event(key)])).toEqual([]);
  });
});

describe("from objects to problems", () => {
  const settings = { silenceMinutes: 30, intervalMinutes: 5, reminderHours: 6, searchRegion: "eu-west-1" };
  const expected = [{ accountId: SOURCE, region: "eu-west-1" }];

  test("a source whose data objects arrive is healthy; its failed records and search's failures are named", () => {
    const events = [
      event(`cloudwatch-logs/account=${SOURCE}/region=eu-west-1/${DATE}a b+c%ü.gz`, 4),
      event(`cloudwatch-logs-errors/account=${SOURCE}/region=eu-west-1/processing-failed/${DATE}x`, 3),
      event("search-errors/region=eu-west-1/processing-failed/2026/12/01/11/x", 2),
    ];
    expect(problemsAt(T, expected, rows(events), settings)).toEqual([
      { kind: "failing", accountId: SOURCE, region: "eu-west-1", errorTypes: ["processing-failed"], errorObjects: 1 },
      {
        kind: "search-failing",
        accountId: SEARCH_ACCOUNT,
        region: "eu-west-1",
        errorTypes: ["processing-failed"],
        errorObjects: 1,
      },
    ]);
  });

  test("a source whose only object is older than the silence window is silent", () => {
    const events = [event(`cloudwatch-logs/account=${SOURCE}/region=eu-west-1/${DATE}x.gz`, 45)];
    expect(problemsAt(T, expected, rows(events), settings)).toEqual([
      { kind: "silent", accountId: SOURCE, region: "eu-west-1", lastSeen: T - 45 * 60_000 },
    ]);
  });
});

describe("heartbeat-sized objects, through the heartbeat query", () => {
  // A always writes logs (heartbeats alone: at most 728 bytes an object); C too, with a larger bound
  // (uncompressed objects, 2304); B may be quiet.
  const C = "444444444444";
  const expected: ExpectedSource[] = [
    { accountId: SOURCE, region: "eu-west-1", heartbeatMaxBytes: 728 },
    { accountId: C, region: "eu-west-1", heartbeatMaxBytes: 2304 },
    { accountId: "333333333333", region: "eu-west-1" },
  ];
  const settings: WatchSettings = { silenceMinutes: 30, intervalMinutes: 5, reminderHours: 6, heartbeatOnlyHours: 6 };
  const dataKey = (account: string, n: number) => `cloudwatch-logs/account=${account}/region=eu-west-1/${DATE}${n}.gz`;

  /** An object of `account` every 15 minutes over the last 7 hours, of `size` bytes, and `extra` ones. */
  function objects(account: string, size: (minutesBefore: number) => number): ObjectCreatedEvent[] {
    return Array.from({ length: 28 }, (_, i) => {
      const minutesBefore = 1 + i * 15;
      return event(dataKey(account, i), minutesBefore, BUCKET, ARCHIVE, size(minutesBefore));
    });
  }

  /** The watch's rows over the log group, as the handler reads them for a run at T. */
  function read(events: readonly ObjectCreatedEvent[]) {
    const { start, end } = heartbeatOnlyRange(T, settings);
    const log = copied(events).filter((e) => e.timestamp >= start && e.timestamp <= end);
    const sizeRows = sizeRowsFromResults(
      runQuery(heartbeatSizeQuery("eu-west-1", ORIGIN, heartbeatBounds(expected, "eu-west-1")), log),
    );
    const recent = copied(events).filter((e) => e.timestamp >= T - 35 * 60_000);
    return { rows: rowsFromResults(runQuery(watchQuery("eu-west-1", ORIGIN), recent)), sizeRows };
  }

  test("a marked source whose objects all stayed heartbeat-sized is named; one with a real object is not", () => {
    const events = [
      ...objects(SOURCE, () => 612),
      ...objects(C, (m) => (m === 121 ? 40_000 : 700)),
      ...objects("333333333333", () => 480),
    ];
    const { rows, sizeRows } = read(events);
    expect(problemsAt(T, expected, rows, settings, sizeRows)).toEqual([
      {
        kind: "heartbeat-only",
        accountId: SOURCE,
        region: "eu-west-1",
        largestBytes: 612,
        heartbeatMaxBytes: 728,
        hours: 6,
      },
    ]);
  });

  test("each source reads the rows split at its own bound: 1,000 bytes is real for one, heartbeats for another", () => {
    const events = [...objects(SOURCE, (m) => (m === 61 ? 1000 : 612)), ...objects(C, (m) => (m === 61 ? 1000 : 700))];
    const { rows, sizeRows } = read(events);
    expect(new Set(sizeRows.map((r) => r.sizeClass))).toEqual(new Set([0, 1]));
    expect(
      problemsAt(T, expected.slice(0, 2), rows, settings, sizeRows).map((p) => `${p.kind} ${p.accountId}`),
    ).toEqual([`heartbeat-only ${C}`]);
  });

  test("objects older than the hours, errors and other Regions do not count", () => {
    const events = [
      ...objects(SOURCE, (m) => (m > 6 * 60 ? 90_000 : 612)),
      event(
        `cloudwatch-logs-errors/account=${SOURCE}/region=eu-west-1/processing-failed/${DATE}x`,
        20,
        BUCKET,
        ARCHIVE,
        90_000,
      ),
      objectCreated({
        account: ARCHIVE,
        region: "eu-west-1",
        bucket: BUCKET,
        key: `cloudwatch-logs/account=${SOURCE}/region=us-east-1/${DATE}x.gz`,
        time: new Date(T - 30 * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
        size: 90_000,
      }),
    ];
    const { rows, sizeRows } = read(events);
    const problems = problemsAt(T, expected.slice(0, 1), rows, settings, sizeRows);
    expect(problems.map((p) => p.kind)).toEqual(["failing", "heartbeat-only"]);
  });

  test("a real object leaving the hours between two runs is notified once", () => {
    // The only real object 6 h 3 min before T: inside the previous run's hours, outside this run's.
    const events = objects(SOURCE, (m) => (m === 361 ? 40_000 : 612)).map((e) =>
      e.detail.object.size === 40_000 ? event(dataKey(SOURCE, 99), 363, BUCKET, ARCHIVE, 40_000) : e,
    );
    const { rows, sizeRows } = read(events);
    const decision = decide(T, expected.slice(0, 1), rows, settings, sizeRows);
    expect(decision).toMatchObject({ notify: true, reason: "change" });
    expect(decision.added.map((p) => p.kind)).toEqual(["heartbeat-only"]);
  });
});

describe("the test helpers refuse what they do not model", () => {
  test("an event pattern operator other than prefix", () => {
    expect(() => matchesPattern(event("x"), { detail: { object: { key: [{ wildcard: "*.gz" }] } } })).toThrow(
      'operator {"wildcard":"*.gz"} is not modelled',
    );
  });

  test("a query command other than those the watch uses", () => {
    expect(() => runQuery("fields @timestamp\n| sort @timestamp desc", [])).toThrow(
      'command "sort @timestamp desc" is not modelled',
    );
  });

  test("an expression other than a sum of numbers, fields, least and greatest", () => {
    const log = copied([event(`cloudwatch-logs/account=${SOURCE}/region=eu-west-1/${DATE}x.gz`)]);
    const stats = "| stats min(@timestamp) as first, max(@timestamp) as last, count(*) as objects by x";
    expect(() => runQuery(`fields @timestamp\n| fields abs(detail.object.size) as x\n${stats}`, log)).toThrow(
      'expression "abs(detail.object.size)" is not modelled',
    );
    expect(() => runQuery(`fields @timestamp\n| fields detail.object.size * 2 as x\n${stats}`, log)).toThrow(
      "* is left over",
    );
  });

  test("an expression over a field that is not a number, or that an event lacks", () => {
    const log = copied([event(`cloudwatch-logs/account=${SOURCE}/region=eu-west-1/${DATE}x.gz`)]);
    const stats = "| stats min(@timestamp) as first, max(@timestamp) as last, count(*) as objects by x";
    expect(() => runQuery(`fields @timestamp\n| fields detail.object.key - 1 as x\n${stats}`, log)).toThrow(
      "detail.object.key is not a number",
    );
    expect(() => runQuery(`fields @timestamp\n| fields nothere + 1 as x\n${stats}`, log)).toThrow(
      "nothere is not a number",
    );
  });

  test("a computed field and the largest of a field, as the heartbeat query asks", () => {
    const log = copied([
      event(`cloudwatch-logs/account=${SOURCE}/region=eu-west-1/${DATE}1.gz`, 5, BUCKET, ARCHIVE, 700),
      event(`cloudwatch-logs/account=${SOURCE}/region=eu-west-1/${DATE}2.gz`, 4, BUCKET, ARCHIVE, 729),
      event(`cloudwatch-logs/account=${SOURCE}/region=eu-west-1/${DATE}3.gz`, 3, BUCKET, ARCHIVE, 5000),
    ]);
    const query = [
      "fields @timestamp",
      "| fields least(greatest(detail.object.size - 728, 0), 1) as big",
      "| stats min(@timestamp) as first, max(@timestamp) as last, count(*) as objects, max(detail.object.size) as largest by big",
    ].join("\n");
    const byClass = Object.fromEntries(
      runQuery(query, log).map((row) => {
        const f = Object.fromEntries(row.map((c) => [c.field, c.value]));
        return [f.big, [f.objects, f.largest]];
      }),
    );
    expect(byClass).toEqual({ "0": ["1", "700"], "1": ["2", "5000"] });
  });

  test("grouping by a field an event lacks", () => {
    const log = copied([event(`cloudwatch-logs/account=${SOURCE}/region=eu-west-1/${DATE}x.gz`)]);
    expect(() =>
      runQuery(
        "fields @timestamp\n| stats min(@timestamp) as first, max(@timestamp) as last, count(*) as objects by nothere",
        log,
      ),
    ).toThrow("an event has no nothere to group by");
  });
});
