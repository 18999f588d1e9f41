/**
 * The delivery watch from the archive's objects to its decisions, through S3's
 * `Object Created` events as EventBridge delivers them
 * (__tests__/fixtures/s3-eventbridge-events.ts): which events the watch's rule
 * copies, and what its Logs Insights queries make of their keys, including
 * keys with characters URL encoding would change (=, spaces, +, %, unicode).
 */
import { objectEventPattern } from "../../modules/monitoring/delivery-watch";
import {
  problemsAt,
  rowsFromResults,
  SEARCH_ACCOUNT,
  searchErrorsQuery,
  watchQuery,
  type ObservedRow,
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

function event(key: string, minutesBefore = 5, bucket = BUCKET, account = ARCHIVE): ObjectCreatedEvent {
  const time = new Date(T - minutesBefore * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  return objectCreated({ account, region: "eu-west-1", bucket, key, time });
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

describe("the test helpers refuse what they do not model", () => {
  test("an event pattern operator other than prefix", () => {
    expect(() => matchesPattern(event("x"), { detail: { object: { key: [{ suffix: ".gz" }] } } })).toThrow(
      'operator {"suffix":".gz"} is not modelled',
    );
  });

  test("a query command other than those the watch uses", () => {
    expect(() => runQuery("fields @timestamp\n| sort @timestamp desc", [])).toThrow(
      'command "sort @timestamp desc" is not modelled',
    );
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
