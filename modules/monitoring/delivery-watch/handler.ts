/**
 * The delivery watch's Lambda handler (Node.js 22, ES module). It is bundled
 * by `npm run build:lambdas` into handler-zip.ts next to this file; the AWS SDK
 * clients are not bundled, the Lambda runtime provides them.
 *
 * One run: read the expected sources (SSM parameters under SOURCES_PATH), run
 * one Logs Insights query per Region over the copied S3 events (and one for
 * search delivery's failures when SEARCH_REGION names its Region, and, when
 * HEARTBEAT_ONLY_HOURS is set, one over those hours per Region with a source
 * that always writes logs), decide, and publish to the alarm topic when the
 * decision says so. Every failure throws:
 * the function's Errors alarm reports a watch that cannot run.
 */
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand } from "@aws-sdk/client-cloudwatch-logs";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetParametersByPathCommand, SSMClient } from "@aws-sdk/client-ssm";
import {
  decide,
  decodeSources,
  formatNotification,
  heartbeatBounds,
  heartbeatOnlyRange,
  heartbeatSizeQuery,
  queryRange,
  rowsFromResults,
  searchErrorsQuery,
  sizeRowsFromResults,
  watchQuery,
  type ExpectedSource,
  type ObservedRow,
  type ResultRow,
  type SizeRow,
  type WatchSettings,
} from "./evaluate";

/** What a run needs from AWS: injected so that tests can drive `run` without AWS. */
export interface WatchPorts {
  readSourceChunks(path: string): Promise<string[]>;
  query(logGroupName: string, queryString: string, start: number, end: number): Promise<ResultRow[]>;
  publish(topicArn: string, subject: string, message: string): Promise<void>;
}

export interface WatchConfig {
  readonly logGroupName: string;
  readonly topicArn: string;
  readonly sourcesPath: string;
  readonly namePrefix: string;
  readonly bucket: string;
  /** The log-archive account: the only account whose S3 events count. */
  readonly archiveAccountId: string;
  readonly settings: WatchSettings;
}

export interface RunResult {
  readonly notified: boolean;
  readonly problems: number;
  readonly sources: number;
}

/** A run at scheduled time `t` (epoch ms, whole minutes). */
export async function run(t: number, config: WatchConfig, ports: WatchPorts): Promise<RunResult> {
  const expected = decodeSources(await ports.readSourceChunks(config.sourcesPath));
  if (expected.length === 0) throw new Error(`no expected sources under ${config.sourcesPath}`);
  const { start, end } = queryRange(t, config.settings);
  const origin = { accountId: config.archiveAccountId, bucket: config.bucket };
  const queries = regionsOf(expected).map((region) => watchQuery(region, origin));
  const { searchRegion } = config.settings;
  if (searchRegion !== undefined) queries.push(searchErrorsQuery(searchRegion, origin));
  const rows: ObservedRow[] = [];
  for (const query of queries) {
    rows.push(...rowsFromResults(await ports.query(config.logGroupName, query, start, end)));
  }
  const sizeRows: SizeRow[] = [];
  const marked = expected.filter((s) => s.heartbeatMaxBytes !== undefined);
  if (config.settings.heartbeatOnlyHours !== undefined && marked.length > 0) {
    const range = heartbeatOnlyRange(t, config.settings);
    for (const region of regionsOf(marked)) {
      const query = heartbeatSizeQuery(region, origin, heartbeatBounds(marked, region));
      sizeRows.push(...sizeRowsFromResults(await ports.query(config.logGroupName, query, range.start, range.end)));
    }
  }
  const decision = decide(t, expected, rows, config.settings, sizeRows);
  if (decision.notify) {
    const { subject, message } = formatNotification(decision, t, config);
    await ports.publish(config.topicArn, subject, message);
  }
  return { notified: decision.notify, problems: decision.current.length, sources: expected.length };
}

function regionsOf(expected: readonly ExpectedSource[]): string[] {
  return [...new Set(expected.map((s) => s.region))].sort();
}

/** The scheduled event's `time`, floored to the minute: runs judge fixed instants, not their start times. */
export function scheduledTime(event: { time?: string } | undefined, now: number): number {
  const parsed = event?.time === undefined ? Number.NaN : Date.parse(event.time);
  const t = Number.isNaN(parsed) ? now : parsed;
  return Math.floor(t / 60_000) * 60_000;
}

export function configFromEnvironment(env: NodeJS.ProcessEnv): WatchConfig {
  const need = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === "") throw new Error(`environment variable ${name} is not set`);
    return value;
  };
  const whole = (name: string): number => {
    const value = Number(need(name));
    if (!Number.isInteger(value) || value < 0) throw new Error(`environment variable ${name}: expected a whole number`);
    return value;
  };
  const silence = whole("SILENCE_MINUTES");
  // Set only when a source always writes logs.
  const heartbeatOnly = env.HEARTBEAT_ONLY_HOURS === undefined ? undefined : whole("HEARTBEAT_ONLY_HOURS");
  if (heartbeatOnly === 0) throw new Error("environment variable HEARTBEAT_ONLY_HOURS: expected at least 1 hour");
  // Set only when search delivery is configured.
  const searchRegion = env.SEARCH_REGION;
  if (searchRegion !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(searchRegion)) {
    throw new Error("environment variable SEARCH_REGION: expected a Region such as eu-west-1");
  }
  return {
    logGroupName: need("EVENT_LOG_GROUP"),
    topicArn: need("ALARM_TOPIC_ARN"),
    sourcesPath: need("SOURCES_PATH"),
    namePrefix: need("NAME_PREFIX"),
    bucket: need("ARCHIVE_BUCKET"),
    archiveAccountId: need("ARCHIVE_ACCOUNT_ID"),
    settings: {
      ...(silence > 0 ? { silenceMinutes: silence } : {}),
      ...(heartbeatOnly !== undefined ? { heartbeatOnlyHours: heartbeatOnly } : {}),
      intervalMinutes: whole("INTERVAL_MINUTES"),
      reminderHours: whole("REMINDER_HOURS"),
      ...(searchRegion !== undefined ? { searchRegion } : {}),
    },
  };
}

/** Logs Insights statuses after which a query returns no more rows. */
const DONE = new Set(["Complete", "Failed", "Cancelled", "Timeout", "Unknown"]);

export function awsPorts(): WatchPorts {
  const logs = new CloudWatchLogsClient({});
  const ssm = new SSMClient({});
  const sns = new SNSClient({});
  return {
    async readSourceChunks(path) {
      const values: { name: string; value: string }[] = [];
      let nextToken: string | undefined;
      do {
        const page = await ssm.send(new GetParametersByPathCommand({ Path: path, NextToken: nextToken }));
        for (const p of page.Parameters ?? []) values.push({ name: p.Name ?? "", value: p.Value ?? "" });
        nextToken = page.NextToken;
      } while (nextToken);
      return values.sort((a, b) => (a.name < b.name ? -1 : 1)).map((v) => v.value);
    },
    async query(logGroupName, queryString, start, end) {
      const { queryId } = await logs.send(
        new StartQueryCommand({
          logGroupName,
          queryString,
          startTime: Math.floor(start / 1000),
          endTime: Math.floor(end / 1000),
          limit: 10_000,
        }),
      );
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const page = await logs.send(new GetQueryResultsCommand({ queryId }));
        if (!DONE.has(page.status ?? "")) continue;
        if (page.status !== "Complete") throw new Error(`query ${queryId} ended ${page.status}`);
        const results = page.results ?? [];
        // 10,000 rows is Logs Insights' maximum: more would be silently cut, so fail loudly instead.
        if (results.length >= 10_000) throw new Error(`query ${queryId} returned the maximum of 10,000 rows`);
        return results;
      }
    },
    async publish(topicArn, subject, message) {
      await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }));
    },
  };
}

export async function handler(event: { time?: string } | undefined): Promise<RunResult> {
  return run(scheduledTime(event, Date.now()), configFromEnvironment(process.env), awsPorts());
}
