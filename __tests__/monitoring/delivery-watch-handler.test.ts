/**
 * One run of the delivery watch's handler against fake AWS ports: what it
 * reads, which queries it starts over which range, and when it publishes.
 */
import {
  configFromEnvironment,
  run,
  scheduledTime,
  type WatchConfig,
  type WatchPorts,
} from "../../modules/monitoring/delivery-watch/handler";
import type { ResultRow } from "../../modules/monitoring/delivery-watch/evaluate";

const T = Date.UTC(2026, 11, 1, 12, 0, 0);
const CONFIG: WatchConfig = {
  logGroupName: "/aws/events/cwl-archive-delivery-watch",
  topicArn: "arn:aws:sns:eu-west-1:111111111111:cwl-archive-archive-alarms",
  sourcesPath: "/cwl-archive/delivery-watch/sources",
  namePrefix: "cwl-archive",
  bucket: "cwl-archive-111111111111-eu-west-1",
  archiveAccountId: "111111111111",
  settings: { silenceMinutes: 30, intervalMinutes: 5, reminderHours: 6 },
};

function row(account: string, region: string, firstMinute: number, lastMinute: number): ResultRow {
  const stamp = (m: number) => new Date(T + m * 60_000).toISOString().replace("T", " ").replace("Z", "");
  return [
    { field: "root", value: "cloudwatch-logs" },
    { field: "sourceAccount", value: account },
    { field: "sourceRegion", value: region },
    { field: "segment", value: "year=2026" },
    { field: "first", value: stamp(firstMinute) },
    { field: "last", value: stamp(lastMinute) },
    { field: "objects", value: "4" },
  ];
}

function fakePorts(chunks: string[], resultsByRegion: Record<string, ResultRow[]>) {
  const calls = {
    queries: [] as { group: string; query: string; start: number; end: number }[],
    published: [] as string[][],
  };
  const ports: WatchPorts = {
    readSourceChunks: async (path) => (path === CONFIG.sourcesPath ? chunks : []),
    query: async (group, query, start, end) => {
      calls.queries.push({ group, query, start, end });
      const region = /sourceRegion = "([a-z0-9-]+)"/.exec(query)![1]!;
      return resultsByRegion[region] ?? [];
    },
    publish: async (topic, subject, message) => {
      calls.published.push([topic, subject, message]);
    },
  };
  return { ports, calls };
}

describe("a run", () => {
  test("queries each Region once over the two windows and stays quiet when every source delivers", async () => {
    const { ports, calls } = fakePorts(["222222222222 eu-west-1,us-east-1"], {
      "eu-west-1": [row("222222222222", "eu-west-1", -35, -1)],
      "us-east-1": [row("222222222222", "us-east-1", -35, -1)],
    });
    await expect(run(T, CONFIG, ports)).resolves.toEqual({ notified: false, problems: 0, sources: 2 });
    expect(calls.queries.map((q) => [q.group, q.start, q.end])).toEqual([
      [CONFIG.logGroupName, T - 35 * 60_000, T],
      [CONFIG.logGroupName, T - 35 * 60_000, T],
    ]);
    expect(calls.queries.map((q) => /sourceRegion = "(.*)"/.exec(q.query)![1])).toEqual(["eu-west-1", "us-east-1"]);
    expect(calls.published).toEqual([]);
  });

  test("publishes once to the alarm topic when a source falls silent, naming it", async () => {
    const { ports, calls } = fakePorts(["222222222222 eu-west-1", "333333333333 eu-west-1"], {
      "eu-west-1": [row("222222222222", "eu-west-1", -35, -1), row("333333333333", "eu-west-1", -34, -32)],
    });
    await expect(run(T, CONFIG, ports)).resolves.toMatchObject({ notified: true, problems: 1 });
    expect(calls.published).toHaveLength(1);
    const [topic, subject, message] = calls.published[0]!;
    expect(topic).toBe(CONFIG.topicArn);
    expect(subject).toContain("1 new");
    expect(message).toContain("SILENT  333333333333 eu-west-1");
  });

  test("with search delivery, also queries its failures once and names them", async () => {
    const search: WatchConfig = { ...CONFIG, settings: { ...CONFIG.settings, searchRegion: "eu-west-1" } };
    const queries: string[] = [];
    const published: string[] = [];
    const ports: WatchPorts = {
      readSourceChunks: async () => ["222222222222 eu-west-1"],
      query: async (_group, query) => {
        queries.push(query);
        if (!query.includes("search-errors")) return [row("222222222222", "eu-west-1", -35, -1)];
        const stamp = (m: number) => new Date(T + m * 60_000).toISOString().replace("T", " ").replace("Z", "");
        return [
          [
            { field: "root", value: "search-errors" },
            { field: "sourceRegion", value: "eu-west-1" },
            { field: "segment", value: "AmazonOpenSearchService-failed" },
            { field: "first", value: stamp(-3) },
            { field: "last", value: stamp(-2) },
            { field: "objects", value: "5" },
          ],
        ];
      },
      publish: async (_topic, _subject, message) => {
        published.push(message);
      },
    };
    await expect(run(T, search, ports)).resolves.toMatchObject({ notified: true, problems: 1 });
    expect(queries).toHaveLength(2);
    expect(queries[1]).toContain("search-errors");
    expect(published[0]).toContain(
      "SEARCH  search delivery eu-west-1: 5 object(s) under search-errors/region=eu-west-1/",
    );
  });

  test("with a source that always writes logs, also queries its Region's object sizes over the hours, and names it", async () => {
    const hours: WatchConfig = { ...CONFIG, settings: { ...CONFIG.settings, heartbeatOnlyHours: 6 } };
    const calls: { query: string; start: number; end: number }[] = [];
    const published: string[] = [];
    const stamp = (m: number) => new Date(T + m * 60_000).toISOString().replace("T", " ").replace("Z", "");
    const ports: WatchPorts = {
      readSourceChunks: async () => [
        "222222222222 eu-west-1 heartbeat-max=728\n333333333333 eu-west-1,us-east-1 heartbeat-max=2648\n444444444444 ap-south-1",
      ],
      query: async (_group, query, start, end) => {
        calls.push({ query, start, end });
        if (!query.includes("sizeClass")) {
          const region = /sourceRegion = "([a-z0-9-]+)"/.exec(query)![1]!;
          return ["222222222222", "333333333333", "444444444444"].map((a) => row(a, region, -35, -1));
        }
        return [
          [
            { field: "sourceAccount", value: "222222222222" },
            { field: "sourceRegion", value: "eu-west-1" },
            { field: "sizeClass", value: "0" },
            { field: "first", value: stamp(-364) },
            { field: "last", value: stamp(-1) },
            { field: "objects", value: "70" },
            { field: "largest", value: "612" },
          ],
        ];
      },
      publish: async (_topic, _subject, message) => {
        published.push(message);
      },
    };
    await expect(run(T, hours, ports)).resolves.toMatchObject({ notified: true, problems: 1 });
    const sizes = calls.filter((c) => c.query.includes("sizeClass"));
    // One per Region with a marked source (not ap-south-1), each split at that Region's bounds.
    expect(sizes.map((c) => /sourceRegion = "(.*)"/.exec(c.query)![1])).toEqual(["eu-west-1", "us-east-1"]);
    expect(sizes[0]!.query).toContain("detail.object.size - 728, 0), 1) + least(greatest(detail.object.size - 2648");
    expect(sizes[1]!.query).not.toContain("- 728,");
    expect(sizes.map((c) => [c.start, c.end])).toEqual([
      [T - 365 * 60_000 + 1000, T],
      [T - 365 * 60_000 + 1000, T],
    ]);
    expect(published[0]).toContain(
      "HEARTBEAT ONLY 222222222222 eu-west-1: only heartbeat-sized objects (max 612 bytes",
    );
  });

  test("without HEARTBEAT_ONLY_HOURS, marked sources are read but no size is queried", async () => {
    const { ports, calls } = fakePorts(["222222222222 eu-west-1 heartbeat-max=728"], {
      "eu-west-1": [row("222222222222", "eu-west-1", -35, -1)],
    });
    await expect(run(T, CONFIG, ports)).resolves.toEqual({ notified: false, problems: 0, sources: 1 });
    expect(calls.queries).toHaveLength(1);
  });

  test("fails loudly without expected sources (the watch's error alarm reports it)", async () => {
    const { ports } = fakePorts([], {});
    await expect(run(T, CONFIG, ports)).rejects.toThrow(
      "no expected sources under /cwl-archive/delivery-watch/sources",
    );
  });
});

describe("the run's instant", () => {
  test("is the scheduled event's time floored to the minute, not the start of the invocation", () => {
    expect(scheduledTime({ time: "2026-12-01T12:05:00Z" }, T + 999_999)).toBe(T + 5 * 60_000);
    expect(scheduledTime({ time: "2026-12-01T12:05:42Z" }, 0)).toBe(T + 5 * 60_000);
    expect(scheduledTime(undefined, T + 61_000)).toBe(T + 60_000);
  });
});

describe("the configuration", () => {
  const env = {
    EVENT_LOG_GROUP: CONFIG.logGroupName,
    ALARM_TOPIC_ARN: CONFIG.topicArn,
    SOURCES_PATH: CONFIG.sourcesPath,
    NAME_PREFIX: "cwl-archive",
    ARCHIVE_BUCKET: CONFIG.bucket,
    ARCHIVE_ACCOUNT_ID: "111111111111",
    SILENCE_MINUTES: "30",
    INTERVAL_MINUTES: "5",
    REMINDER_HOURS: "6",
  };

  test("comes from the function's environment", () => {
    expect(configFromEnvironment(env)).toEqual(CONFIG);
  });

  test("SILENCE_MINUTES 0 turns silence detection off", () => {
    expect(configFromEnvironment({ ...env, SILENCE_MINUTES: "0" }).settings).toEqual({
      intervalMinutes: 5,
      reminderHours: 6,
    });
  });

  test("SEARCH_REGION, set only with search delivery, turns its failures on", () => {
    expect(configFromEnvironment({ ...env, SEARCH_REGION: "eu-west-1" }).settings.searchRegion).toBe("eu-west-1");
    expect(configFromEnvironment(env).settings).not.toHaveProperty("searchRegion");
    expect(() => configFromEnvironment({ ...env, SEARCH_REGION: "eu west" })).toThrow(
      "SEARCH_REGION: expected a Region",
    );
  });

  test("HEARTBEAT_ONLY_HOURS, set only when a source always writes logs, turns heartbeat-only sources on", () => {
    expect(configFromEnvironment({ ...env, HEARTBEAT_ONLY_HOURS: "6" }).settings.heartbeatOnlyHours).toBe(6);
    expect(configFromEnvironment(env).settings).not.toHaveProperty("heartbeatOnlyHours");
    expect(() => configFromEnvironment({ ...env, HEARTBEAT_ONLY_HOURS: "0" })).toThrow(
      "HEARTBEAT_ONLY_HOURS: expected at least 1 hour",
    );
    expect(() => configFromEnvironment({ ...env, HEARTBEAT_ONLY_HOURS: "six" })).toThrow(
      "HEARTBEAT_ONLY_HOURS: expected a whole number",
    );
  });

  test("a missing or malformed variable fails the run with its name", () => {
    expect(() => configFromEnvironment({ ...env, ALARM_TOPIC_ARN: "" })).toThrow("ALARM_TOPIC_ARN is not set");
    expect(() => configFromEnvironment({ ...env, INTERVAL_MINUTES: "five" })).toThrow(
      "INTERVAL_MINUTES: expected a whole number",
    );
  });
});
