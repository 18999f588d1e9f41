/**
 * The delivery watch's decisions, against hand-computed cases. Times are
 * minutes after a fixed instant; the watch runs every 5 minutes and calls a
 * source silent after 30 minutes without a data object.
 */
import {
  decide,
  decodeSources,
  describe as describeProblem,
  encodeSources,
  formatNotification,
  heartbeatBounds,
  heartbeatOnlyRange,
  heartbeatSizeQuery,
  problemsAt,
  queryRange,
  rowsFromResults,
  SEARCH_ACCOUNT,
  searchErrorsQuery,
  sizeRowsFromResults,
  SOURCES_CHUNK_CHARS,
  sourcesDescription,
  watchQuery,
  type ExpectedSource,
  type ObservedRow,
  type SizeRow,
  type WatchSettings,
} from "../../modules/monitoring/delivery-watch/evaluate";

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const at = (minutes: number) => T0 + minutes * 60_000;
const SETTINGS: WatchSettings = { silenceMinutes: 30, intervalMinutes: 5, reminderHours: 6 };
const A = "222222222222";
const B = "333333333333";
const EXPECTED: ExpectedSource[] = [
  { accountId: A, region: "eu-west-1" },
  { accountId: B, region: "eu-west-1" },
];

function data(account: string, first: number, last: number, region = "eu-west-1"): ObservedRow {
  return { root: "data", account, region, segment: "year=2026", first: at(first), last: at(last), objects: 3 };
}

function errors(account: string, type: string, first: number, last: number, objects = 2): ObservedRow {
  return { root: "errors", account, region: "eu-west-1", segment: type, first: at(first), last: at(last), objects };
}

function searchErrors(type: string, first: number, last: number, objects = 3): ObservedRow {
  const row = { account: SEARCH_ACCOUNT, region: "eu-west-1", segment: type, first: at(first), last: at(last) };
  return { root: "search-errors", ...row, objects };
}

describe("the query range", () => {
  test("covers this run's window and the previous run's: silence plus one interval", () => {
    expect(queryRange(at(60), SETTINGS)).toEqual({ start: at(25), end: at(60) });
  });

  test("is one interval deep for each run when silence is not detected", () => {
    expect(queryRange(at(60), { intervalMinutes: 5, reminderHours: 6 })).toEqual({ start: at(50), end: at(60) });
  });
});

describe("problems at an instant", () => {
  test("a source with a data object inside the window is healthy", () => {
    expect(problemsAt(at(60), EXPECTED, [data(A, 26, 58), data(B, 31, 59)], SETTINGS)).toEqual([]);
  });

  test("a source whose last object is older than the silence window is silent, with its last object", () => {
    const problems = problemsAt(at(60), EXPECTED, [data(A, 26, 58), data(B, 25, 29)], SETTINGS);
    expect(problems).toEqual([{ kind: "silent", accountId: B, region: "eu-west-1", lastSeen: at(29) }]);
  });

  test("a source never seen in the range is silent without a last object", () => {
    const problems = problemsAt(at(60), EXPECTED, [data(A, 26, 58)], SETTINGS);
    expect(problems).toEqual([{ kind: "silent", accountId: B, region: "eu-west-1" }]);
  });

  test("a source seen only in another Region is silent in this one", () => {
    const problems = problemsAt(at(60), EXPECTED, [data(A, 26, 58), data(B, 26, 58, "us-east-1")], SETTINGS);
    expect(problems.map((p) => `${p.kind} ${p.accountId} ${p.region}`)).toEqual([`silent ${B} eu-west-1`]);
  });

  test("error objects inside the window make a source failing, naming every error type", () => {
    const rows = [
      data(A, 26, 58),
      data(B, 26, 58),
      errors(B, "processing-failed", 50, 55),
      errors(B, "format-conversion-failed", 40, 40, 1),
    ];
    expect(problemsAt(at(60), EXPECTED, rows, SETTINGS)).toEqual([
      {
        kind: "failing",
        accountId: B,
        region: "eu-west-1",
        errorTypes: ["format-conversion-failed", "processing-failed"],
        errorObjects: 3,
      },
    ]);
  });

  test("errors of a central stream, whose account was not known, are reported for the stream", () => {
    const rows = [data(A, 26, 58), data(B, 26, 58), errors("central", "processing-failed", 50, 50)];
    const [problem] = problemsAt(at(60), EXPECTED, rows, SETTINGS);
    expect(problem).toMatchObject({ kind: "failing", accountId: "central" });
    expect(describeProblem(problem!, 30)).toContain("central stream eu-west-1");
  });

  test("without the heartbeat only failing records are reported: a quiet source is not a broken one", () => {
    const settings = { intervalMinutes: 5, reminderHours: 6 };
    expect(problemsAt(at(60), EXPECTED, [errors(A, "processing-failed", 57, 57)], settings)).toEqual([
      { kind: "failing", accountId: A, region: "eu-west-1", errorTypes: ["processing-failed"], errorObjects: 2 },
    ]);
  });
});

describe("when a run notifies", () => {
  test("nothing changes and all is well: no notification", () => {
    const decision = decide(at(60), EXPECTED, [data(A, 25, 59), data(B, 25, 59)], SETTINGS);
    expect(decision).toMatchObject({ notify: false, reason: "none", current: [] });
  });

  test("a source falls silent between two runs: one notification naming it", () => {
    // B's last object at minute 28: healthy at 55 (window 25-55), silent at 60 (window 30-60).
    const decision = decide(at(60), EXPECTED, [data(A, 25, 59), data(B, 25, 28)], SETTINGS);
    expect(decision.notify).toBe(true);
    expect(decision.reason).toBe("change");
    expect(decision.added.map((p) => p.accountId)).toEqual([B]);
    expect(decision.resolved).toEqual([]);
  });

  test("a silent source delivers again: one notification saying it is resolved", () => {
    // B's first object in the range at minute 57: silent at 55, healthy at 60.
    const decision = decide(at(60), EXPECTED, [data(A, 25, 59), data(B, 57, 59)], SETTINGS);
    expect(decision).toMatchObject({ notify: true, reason: "change", current: [], added: [] });
    expect(decision.resolved.map((p) => p.accountId)).toEqual([B]);
  });

  test("a source that stays silent is not repeated at every run...", () => {
    const decision = decide(at(65), EXPECTED, [data(A, 30, 64)], SETTINGS);
    expect(decision.notify).toBe(false);
    expect(decision.current.map((p) => p.accountId)).toEqual([B]);
  });

  test("...but at the first run of every reminder period", () => {
    // 18:00 UTC starts a 6-hour period: the run at 18:00 reminds, the one at 18:05 does not.
    const sixPm = 6 * 60;
    expect(decide(at(sixPm), EXPECTED, [data(A, sixPm - 35, sixPm - 1)], SETTINGS)).toMatchObject({
      notify: true,
      reason: "reminder",
    });
    expect(decide(at(sixPm + 5), EXPECTED, [data(A, sixPm - 30, sixPm + 4)], SETTINGS).notify).toBe(false);
  });
});

describe("the notification", () => {
  test("names every problem by account and Region under the prefix, with a subject SNS accepts", () => {
    const decision = decide(
      at(60),
      EXPECTED,
      [data(A, 25, 59), data(B, 25, 28), errors(A, "processing-failed", 58, 58)],
      SETTINGS,
    );
    const { subject, message } = formatNotification(decision, at(60), {
      namePrefix: "cwl-archive",
      bucket: "cwl-archive-111111111111-eu-west-1",
      settings: SETTINGS,
    });
    expect(subject).toBe("cwl-archive delivery watch: 2 source problem(s), 2 new, 0 resolved");
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(message).toContain(
      `SILENT  ${B} eu-west-1: no object under cloudwatch-logs/account=${B}/region=eu-west-1/ for 30 min`,
    );
    expect(message).toContain(
      `FAILING ${A} eu-west-1: 2 object(s) under cloudwatch-logs-errors/account=${A}/region=eu-west-1/ (processing-failed)`,
    );
  });

  test("says when all sources are healthy again", () => {
    const decision = decide(at(60), EXPECTED, [data(A, 25, 59), data(B, 57, 59)], SETTINGS);
    const { subject } = formatNotification(decision, at(60), {
      namePrefix: "cwl-archive",
      bucket: "b",
      settings: SETTINGS,
    });
    expect(subject).toBe("cwl-archive delivery watch: all sources healthy again");
  });

  test("stays under SNS's 256 KB message limit with thousands of silent sources", () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ accountId: String(400000000000 + i), region: "eu-west-1" }));
    const decision = decide(at(6 * 60), many, [], SETTINGS);
    const { message } = formatNotification(decision, at(6 * 60), { namePrefix: "p", bucket: "b", settings: SETTINGS });
    expect(Buffer.byteLength(message)).toBeLessThan(256 * 1024);
    expect(message).toContain("truncated: 5000 current problems in all");
  });
});

describe("the expected sources in SSM parameters", () => {
  test("round-trip, one line per account with its Regions, sorted", () => {
    const sources = [
      { accountId: B, region: "us-east-1" },
      { accountId: A, region: "eu-west-1" },
      { accountId: B, region: "eu-west-1" },
    ];
    expect(encodeSources(sources)).toEqual([`${A} eu-west-1\n${B} eu-west-1,us-east-1`]);
    expect(decodeSources(encodeSources(sources))).toEqual([
      { accountId: A, region: "eu-west-1" },
      { accountId: B, region: "eu-west-1" },
      { accountId: B, region: "us-east-1" },
    ]);
  });

  test("split into values a standard parameter holds (4 KB), at 1,000 accounts in 3 Regions", () => {
    const sources = Array.from({ length: 1000 }, (_, i) =>
      ["eu-west-1", "us-east-1", "ap-southeast-2"].map((region) => ({ accountId: String(500000000000 + i), region })),
    ).flat();
    const chunks = encodeSources(sources);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(SOURCES_CHUNK_CHARS);
    expect(decodeSources(chunks)).toHaveLength(3000);
  });
});

describe("the Logs Insights query", () => {
  const origin = { accountId: "111111111111", bucket: "cwl-archive-111111111111-eu-west-1" };

  test("counts only S3's events for the archive bucket in the archive account, for one Region", () => {
    const query = watchQuery("eu-west-1", origin);
    expect(query).toContain(
      'filter source = "aws.s3" and account = "111111111111" and detail.bucket.name = "cwl-archive-111111111111-eu-west-1"',
    );
    expect(query).toContain('filter sourceRegion = "eu-west-1"');
    expect(query).toContain(
      "stats min(@timestamp) as first, max(@timestamp) as last, count(*) as objects by root, sourceAccount, sourceRegion, segment",
    );
  });

  test("refuses values that would change the query", () => {
    expect(() => watchQuery('eu-west-1" or 1=1', origin)).toThrow("not a Region");
    expect(() => watchQuery("eu-west-1", { ...origin, accountId: "1" })).toThrow("not an account id");
    expect(() => watchQuery("eu-west-1", { ...origin, bucket: 'b" or "' })).toThrow("not a bucket name");
  });

  test("results are read back into rows; Logs Insights timestamps are UTC", () => {
    const rows = rowsFromResults([
      [
        { field: "root", value: "cloudwatch-logs" },
        { field: "sourceAccount", value: A },
        { field: "sourceRegion", value: "eu-west-1" },
        { field: "segment", value: "year=2026" },
        { field: "first", value: "2026-12-01 11:25:00.000" },
        { field: "last", value: "2026-12-01 11:59:30.000" },
        { field: "objects", value: "7" },
      ],
      [{ field: "root", value: "cloudwatch-logs-control" }],
    ]);
    expect(rows).toEqual([
      {
        root: "data",
        account: A,
        region: "eu-west-1",
        segment: "year=2026",
        first: at(-35),
        last: at(-0.5),
        objects: 7,
      },
    ]);
  });
});

describe("search delivery's failures", () => {
  const SEARCH: WatchSettings = { ...SETTINGS, searchRegion: "eu-west-1" };
  const healthy = [data(A, 26, 58), data(B, 26, 58)];

  test("objects under search-errors/ inside the window are a search failure, naming every error type", () => {
    const rows = [
      ...healthy,
      searchErrors("AmazonOpenSearchService-failed", 50, 55),
      searchErrors("processing-failed", 45, 45, 1),
    ];
    expect(problemsAt(at(60), EXPECTED, rows, SEARCH)).toEqual([
      {
        kind: "search-failing",
        accountId: SEARCH_ACCOUNT,
        region: "eu-west-1",
        errorTypes: ["AmazonOpenSearchService-failed", "processing-failed"],
        errorObjects: 4,
      },
    ]);
  });

  test("objects older than the window are not", () => {
    expect(problemsAt(at(60), EXPECTED, [...healthy, searchErrors("processing-failed", 10, 20)], SEARCH)).toEqual([]);
  });

  test("are reported apart from a central stream's failures in the same Region", () => {
    const rows = [
      ...healthy,
      searchErrors("processing-failed", 50, 55),
      errors("central", "processing-failed", 50, 55),
    ];
    expect(problemsAt(at(60), EXPECTED, rows, SEARCH).map((p) => `${p.kind} ${p.accountId}`)).toEqual([
      "failing central",
      "search-failing search",
    ]);
  });

  test("are reported without the heartbeat too: they do not depend on silence", () => {
    const quiet: WatchSettings = { intervalMinutes: 5, reminderHours: 6, searchRegion: "eu-west-1" };
    expect(problemsAt(at(60), EXPECTED, [searchErrors("processing-failed", 57, 58)], quiet)).toHaveLength(1);
  });

  test("a new search failure notifies, and so does its end", () => {
    const rows = [...healthy, searchErrors("AmazonOpenSearchService-failed", 57, 58)];
    expect(decide(at(60), EXPECTED, rows, SEARCH)).toMatchObject({ notify: true, reason: "change" });
    const later = decide(at(90), EXPECTED, [data(A, 66, 89), data(B, 66, 89), ...rows], SEARCH);
    expect(later).toMatchObject({ notify: true, current: [], resolved: [{ kind: "search-failing" }] });
  });

  test("the notification names search delivery's Region and prefix, and says the archive copy is unaffected", () => {
    const rows = [...healthy, searchErrors("AmazonOpenSearchService-failed", 57, 58)];
    const decision = decide(at(60), EXPECTED, rows, SEARCH);
    const { message } = formatNotification(decision, at(60), {
      namePrefix: "cwl-archive",
      bucket: "b",
      settings: SEARCH,
    });
    expect(message).toContain(
      "SEARCH  search delivery eu-west-1: 3 object(s) under search-errors/region=eu-west-1/ (AmazonOpenSearchService-failed)",
    );
    expect(message).toContain("the archive copy is unaffected");
    expect(describeProblem(decision.current[0]!, 30)).toMatch(/^SEARCH {2}search delivery eu-west-1/);
  });

  test("a notification without search failures does not mention search", () => {
    const decision = decide(at(60), EXPECTED, [data(A, 26, 58)], SEARCH);
    const { message } = formatNotification(decision, at(60), {
      namePrefix: "cwl-archive",
      bucket: "b",
      settings: SEARCH,
    });
    expect(message).not.toContain("search");
  });

  describe("the query", () => {
    const origin = { accountId: "111111111111", bucket: "cwl-archive-111111111111-eu-west-1" };

    test("counts only S3's events for the archive bucket under search-errors/ of search delivery's Region", () => {
      const query = searchErrorsQuery("eu-west-1", origin);
      expect(query).toContain(
        'filter source = "aws.s3" and account = "111111111111" and detail.bucket.name = "cwl-archive-111111111111-eu-west-1"',
      );
      expect(query).toContain("parse detail.object.key /^(?<root>search-errors)\\/region=");
      expect(query).toContain('filter sourceRegion = "eu-west-1"');
      expect(query).toContain("by root, sourceRegion, segment");
    });

    test("refuses values that would change the query", () => {
      expect(() => searchErrorsQuery('eu-west-1" or 1=1', origin)).toThrow("not a Region");
      expect(() => searchErrorsQuery("eu-west-1", { ...origin, bucket: 'b" or "' })).toThrow("not a bucket name");
    });

    test("its rows, which name no account, are read back as search delivery's", () => {
      const rows = rowsFromResults([
        [
          { field: "root", value: "search-errors" },
          { field: "sourceRegion", value: "eu-west-1" },
          { field: "segment", value: "AmazonOpenSearchService-failed" },
          { field: "first", value: "2026-12-01 11:50:00.000" },
          { field: "last", value: "2026-12-01 11:55:00.000" },
          { field: "objects", value: "2" },
        ],
      ]);
      expect(rows).toEqual([
        {
          root: "search-errors",
          account: SEARCH_ACCOUNT,
          region: "eu-west-1",
          segment: "AmazonOpenSearchService-failed",
          first: at(-10),
          last: at(-5),
          objects: 2,
        },
      ]);
    });
  });
});

describe("heartbeat-only sources", () => {
  // A always writes logs: an object of at most 728 bytes holds its heartbeats alone. B may be quiet.
  const MARKED: ExpectedSource[] = [
    { accountId: A, region: "eu-west-1", heartbeatMaxBytes: 728 },
    { accountId: B, region: "eu-west-1" },
  ];
  const HOURS: WatchSettings = { ...SETTINGS, heartbeatOnlyHours: 6 };
  // Runs at minute 400: the window is (40, 400], the previous run's (35, 395].
  const T = 400;
  const alive = [data(A, T - 30, T - 1), data(B, T - 30, T - 1)];

  function sizes(account: string, largest: number, first: number, last: number, sizeClass = largest > 728 ? 1 : 0) {
    const row: SizeRow = {
      account,
      region: "eu-west-1",
      sizeClass,
      first: at(first),
      last: at(last),
      objects: 40,
      largest,
    };
    return row;
  }

  test("a marked source whose every object for 6 h was heartbeat-sized is heartbeat only, with its largest object", () => {
    const rows = [sizes(A, 612, 36, T - 2), sizes(A, 540, 40, 41)];
    expect(problemsAt(at(T), MARKED, alive, HOURS, rows)).toEqual([
      {
        kind: "heartbeat-only",
        accountId: A,
        region: "eu-west-1",
        largestBytes: 612,
        heartbeatMaxBytes: 728,
        hours: 6,
      },
    ]);
  });

  test("one larger object inside the 6 h is enough to be healthy", () => {
    const rows = [sizes(A, 612, 36, T - 2), sizes(A, 5000, 200, 200)];
    expect(problemsAt(at(T), MARKED, alive, HOURS, rows)).toEqual([]);
  });

  test("a larger object exactly 6 h before no longer counts: the window excludes its start", () => {
    const rows = [sizes(A, 612, 36, T - 2), sizes(A, 5000, 36, T - 360)];
    expect(problemsAt(at(T), MARKED, alive, HOURS, rows).map((p) => p.kind)).toEqual(["heartbeat-only"]);
  });

  test("an object of exactly the bound is heartbeat-sized; one byte more is not", () => {
    expect(problemsAt(at(T), MARKED, alive, HOURS, [sizes(A, 728, 36, T - 2)])).toHaveLength(1);
    expect(problemsAt(at(T), MARKED, alive, HOURS, [sizes(A, 729, 36, T - 2)])).toEqual([]);
  });

  test("a source not marked is never heartbeat only: it may have nothing else to say", () => {
    expect(problemsAt(at(T), MARKED, alive, HOURS, [sizes(B, 500, 36, T - 2)])).toEqual([]);
  });

  test("a silent source is reported as silent only", () => {
    const rows = [data(B, T - 30, T - 1), data(A, T - 60, T - 40)];
    expect(problemsAt(at(T), MARKED, rows, HOURS, [sizes(A, 612, 36, T - 40)]).map((p) => p.kind)).toEqual(["silent"]);
  });

  test("a source with no object in the 6 h is not judged (silence, when detected, speaks for it)", () => {
    const quiet = { ...HOURS, silenceMinutes: undefined };
    expect(problemsAt(at(T), MARKED, [], quiet, [sizes(A, 612, 10, 30)])).toEqual([]);
  });

  test("without heartbeatOnlyHours nothing is looked for", () => {
    expect(problemsAt(at(T), MARKED, alive, SETTINGS, [sizes(A, 612, 36, T - 2)])).toEqual([]);
  });

  test("the last larger object leaving the window notifies once, as a new problem", () => {
    // The larger object at minute 38: inside the previous run's window (35, 395], outside this one's (40, 400].
    const rows = [sizes(A, 612, 36, T - 2), sizes(A, 5000, 38, 38)];
    const decision = decide(at(T), MARKED, alive, HOURS, rows);
    expect(decision).toMatchObject({ notify: true, reason: "change", resolved: [] });
    expect(decision.added.map((p) => `${p.kind} ${p.accountId}`)).toEqual([`heartbeat-only ${A}`]);
    expect(decide(at(T + 5), MARKED, alive, HOURS, rows).notify).toBe(false);
  });

  test("a larger object arriving resolves it, once", () => {
    const rows = [sizes(A, 612, 36, T - 2), sizes(A, 5000, T - 2, T - 2)];
    const decision = decide(at(T), MARKED, alive, HOURS, rows);
    expect(decision).toMatchObject({ notify: true, reason: "change", current: [], added: [] });
    expect(decision.resolved.map((p) => p.kind)).toEqual(["heartbeat-only"]);
  });

  test("it is reminded like every problem that persists", () => {
    const sixPm = 18 * 60;
    const rows = [sizes(A, 612, sixPm - 365, sixPm - 1)];
    const running = [data(A, sixPm - 35, sixPm - 1), data(B, sixPm - 35, sixPm - 1)];
    expect(decide(at(sixPm), MARKED, running, HOURS, rows)).toMatchObject({ notify: true, reason: "reminder" });
  });

  test("the notification names it, with its largest object, the bound and the hours, and says what to check", () => {
    const decision = decide(at(T), MARKED, alive, HOURS, [sizes(A, 612, 36, T - 2), sizes(A, 5000, 38, 38)]);
    const { subject, message } = formatNotification(decision, at(T), {
      namePrefix: "cwl-archive",
      bucket: "b",
      settings: HOURS,
    });
    expect(subject).toBe("cwl-archive delivery watch: 1 source problem(s), 1 new, 0 resolved");
    expect(message).toContain(
      `HEARTBEAT ONLY ${A} eu-west-1: only heartbeat-sized objects (max 612 bytes, heartbeats alone up to 728) for 6 h`,
    );
    expect(message).toContain("narrowed to the heartbeat log group");
  });

  test("a notification without it does not explain it", () => {
    const decision = decide(at(60), EXPECTED, [data(A, 26, 58)], HOURS);
    const { message } = formatNotification(decision, at(60), { namePrefix: "p", bucket: "b", settings: HOURS });
    expect(message).not.toContain("Heartbeat only");
  });

  test("its query range covers this run's 6 h and the previous run's, from one second after their start", () => {
    expect(heartbeatOnlyRange(at(T), HOURS)).toEqual({ start: at(T - 365) + 1000, end: at(T) });
  });

  describe("the query", () => {
    const origin = { accountId: "111111111111", bucket: "cwl-archive-111111111111-eu-west-1" };

    test("splits one Region's data objects at every bound of its marked sources, in one scan", () => {
      const query = heartbeatSizeQuery("eu-west-1", origin, [2648, 728]);
      expect(query).toContain(
        'filter source = "aws.s3" and account = "111111111111" and detail.bucket.name = "cwl-archive-111111111111-eu-west-1"',
      );
      expect(query).toContain('filter root = "cloudwatch-logs" and sourceRegion = "eu-west-1"');
      expect(query).toContain(
        "fields least(greatest(detail.object.size - 728, 0), 1) + least(greatest(detail.object.size - 2648, 0), 1) as sizeClass",
      );
      expect(query).toContain(
        "stats min(@timestamp) as first, max(@timestamp) as last, count(*) as objects, max(detail.object.size) as largest by sourceAccount, sourceRegion, sizeClass",
      );
    });

    test("refuses values that would change the query", () => {
      expect(() => heartbeatSizeQuery('eu-west-1" or 1=1', origin, [728])).toThrow("not a Region");
      expect(() => heartbeatSizeQuery("eu-west-1", origin, [])).toThrow("not heartbeat bounds");
      expect(() => heartbeatSizeQuery("eu-west-1", origin, [0])).toThrow("not heartbeat bounds");
      expect(() => heartbeatSizeQuery("eu-west-1", origin, [1.5])).toThrow("not heartbeat bounds");
    });

    test("takes the distinct bounds of the Region's marked sources, ascending", () => {
      const sources = [
        { accountId: A, region: "eu-west-1", heartbeatMaxBytes: 2648 },
        { accountId: B, region: "eu-west-1", heartbeatMaxBytes: 728 },
        { accountId: "444444444444", region: "eu-west-1", heartbeatMaxBytes: 728 },
        { accountId: A, region: "us-east-1", heartbeatMaxBytes: 340 },
        { accountId: "555555555555", region: "eu-west-1" },
      ];
      expect(heartbeatBounds(sources, "eu-west-1")).toEqual([728, 2648]);
      expect(heartbeatBounds(sources, "ap-south-1")).toEqual([]);
    });

    test("its results are read back into rows; incomplete ones are dropped", () => {
      const rows = sizeRowsFromResults([
        [
          { field: "sourceAccount", value: A },
          { field: "sourceRegion", value: "eu-west-1" },
          { field: "sizeClass", value: "0" },
          { field: "first", value: "2026-12-01 06:00:00.000" },
          { field: "last", value: "2026-12-01 11:55:00.000" },
          { field: "objects", value: "72" },
          { field: "largest", value: "612" },
        ],
        [
          { field: "sourceAccount", value: A },
          { field: "sourceRegion", value: "eu-west-1" },
          { field: "sizeClass", value: "" },
        ],
      ]);
      expect(rows).toEqual([
        { account: A, region: "eu-west-1", sizeClass: 0, first: at(-360), last: at(-5), objects: 72, largest: 612 },
      ]);
    });
  });

  describe("in the SSM parameters", () => {
    test("a marked source gets a line of its own with its bound; the others are written as before", () => {
      const sources: ExpectedSource[] = [
        { accountId: B, region: "eu-west-1" },
        { accountId: A, region: "us-east-1", heartbeatMaxBytes: 728 },
        { accountId: A, region: "eu-central-1" },
        { accountId: A, region: "eu-west-1", heartbeatMaxBytes: 728 },
      ];
      const chunks = encodeSources(sources);
      expect(chunks).toEqual([`${A} eu-central-1\n${A} eu-west-1,us-east-1 heartbeat-max=728\n${B} eu-west-1`]);
      expect(decodeSources(chunks)).toEqual([
        { accountId: A, region: "eu-central-1" },
        { accountId: A, region: "eu-west-1", heartbeatMaxBytes: 728 },
        { accountId: A, region: "us-east-1", heartbeatMaxBytes: 728 },
        { accountId: B, region: "eu-west-1" },
      ]);
    });

    test("without marked sources the values and their description are what they always were", () => {
      const [value] = encodeSources([{ accountId: A, region: "eu-west-1" }]);
      expect(value).toBe(`${A} eu-west-1`);
      expect(sourcesDescription(value!)).toBe(
        "Sources the delivery watch expects objects from: <account id> <regions>, one per line",
      );
      expect(sourcesDescription(`${A} eu-west-1 heartbeat-max=728`)).toContain("heartbeat-max marks a source");
    });

    test("a function of before this field reads a marked line as the same source, unmarked", () => {
      // decodeSources as it was: the first two fields of each line.
      const before = (values: string[]) =>
        values.flatMap((v) =>
          v.split("\n").flatMap((line) => {
            const [accountId, regions] = line.trim().split(" ");
            return accountId && regions ? regions.split(",").map((region) => ({ accountId, region })) : [];
          }),
        );
      expect(before([`${A} eu-west-1,us-east-1 heartbeat-max=728`])).toEqual([
        { accountId: A, region: "eu-west-1" },
        { accountId: A, region: "us-east-1" },
      ]);
    });

    test.each([`${A} eu-west-1 heartbeat-max=`, `${A} eu-west-1 logs=728`, `${A} eu-west-1 heartbeat-max=728 x`])(
      "a line with a third field of another form fails the run, naming it: %s",
      (line) => {
        expect(() => decodeSources([line])).toThrow(
          `sources: expected <account id> <regions>[ heartbeat-max=<bytes>], got ${JSON.stringify(line)}`,
        );
      },
    );
  });
});
