/**
 * The delivery watch's decisions, free of AWS calls so that tests can drive
 * them: which sources are unhealthy at a run, whether the run notifies, and
 * what the notification says.
 *
 * The watch reads the archive's own `Object Created` events (S3 sends them to
 * EventBridge, a rule copies those of the CloudWatch Logs data and error roots
 * into a log group). A source (account and Region) is
 * - **silent** when no object arrived under its data prefix for
 *   `silenceMinutes`: with the heartbeat writing every few minutes, the
 *   subscription, its role, the stream or the archive grant is broken, or
 *   delivery is late by more than that;
 * - **failing** when objects arrived under its error prefix in that time:
 *   records could not be processed or partitioned (the error type is named).
 *
 * A source marked as always writing logs (`heartbeatMaxBytes`, with
 * `heartbeatOnlyHours` set) is **heartbeat only** when, for that many hours,
 * every object under its data prefix was no larger than its heartbeats alone
 * make (delivery-watch/heartbeat-bound.ts): its subscription was narrowed to
 * the heartbeat log group, or everything else went quiet. A silent source is
 * reported as silent only.
 *
 * When search delivery is configured (`searchRegion`), objects under its
 * failure prefix `search-errors/region=<region>/` in that time are reported
 * too, as **search failing**: documents OpenSearch did not index (the archive
 * copy is unaffected). Those keys name no account.
 *
 * Runs are stateless: each evaluates the sources at its own scheduled time
 * `t` and at the previous run `t - interval` from the same query, and
 * notifies when the two differ (new problems, resolved problems). While
 * problems persist it reminds every `reminderHours`. A source that never
 * delivered is unhealthy at both instants, so it is reported at the next
 * reminder, not at once.
 */
import { DATA_ROOT, ERROR_ROOT, SEARCH_ERROR_ROOT } from "../../naming/key-layout";

/** A source the archive expects objects from. */
export interface ExpectedSource {
  readonly accountId: string;
  readonly region: string;
  /**
   * The source always writes logs besides the heartbeat: the largest object,
   * in bytes, that its heartbeats alone make. Objects no larger than this for
   * `heartbeatOnlyHours` make it heartbeat only.
   * @default - the source may write heartbeats only: never judged heartbeat only
   */
  readonly heartbeatMaxBytes?: number;
}

/** The account of search delivery's rows and problems: its failure keys name no account. */
export const SEARCH_ACCOUNT = "search";

/** One row of the watch query: objects of one root, account, Region and first key segment after the Region. */
export interface ObservedRow {
  readonly root: "data" | "errors" | "search-errors";
  /**
   * An account id, `central` for a central stream's records that failed
   * before their account was known, or `search` (SEARCH_ACCOUNT) for search
   * delivery's failures.
   */
  readonly account: string;
  readonly region: string;
  /**
   * First key segment after `region=<region>/`: the error output type under
   * the error root, the folder Firehose adds under the search failure prefix.
   */
  readonly segment: string;
  /** Earliest and latest event time in the query range, epoch milliseconds. */
  readonly first: number;
  readonly last: number;
  readonly objects: number;
}

/**
 * One row of the heartbeat query: data objects of one account and Region in
 * one size class, the classes split at every bound of the Region's marked
 * sources, so that a row's objects are all above or all within each bound.
 */
export interface SizeRow {
  readonly account: string;
  readonly region: string;
  /** How many of the query's bounds the row's objects exceed. */
  readonly sizeClass: number;
  /** Earliest and latest event time in the query range, epoch milliseconds. */
  readonly first: number;
  readonly last: number;
  readonly objects: number;
  /** The largest object of the row, in bytes. */
  readonly largest: number;
}

export interface WatchSettings {
  /** Minutes without a data object that make a source silent. @default - silence is not detected (no heartbeat) */
  readonly silenceMinutes?: number;
  /**
   * Hours of heartbeat-sized objects only that make a source marked as
   * always writing logs (`heartbeatMaxBytes`) heartbeat only.
   * @default - heartbeat-only sources are not looked for
   */
  readonly heartbeatOnlyHours?: number;
  /** Minutes between runs: the schedule's rate. */
  readonly intervalMinutes: number;
  /** Hours between reminders while problems persist. */
  readonly reminderHours: number;
  /**
   * Region of search delivery, whose failed documents go under
   * `search-errors/region=<region>/`: they are reported as search failures.
   * @default - search delivery is not configured: nothing is read under search-errors/
   */
  readonly searchRegion?: string;
}

export type ProblemKind = "silent" | "failing" | "search-failing" | "heartbeat-only";

export interface Problem {
  readonly kind: ProblemKind;
  /**
   * An account id, `central` for a central stream's records whose account was
   * not known, or `search` (SEARCH_ACCOUNT) for search delivery.
   */
  readonly accountId: string;
  readonly region: string;
  /** silent: the last data object seen in the query range (epoch ms), if any. */
  readonly lastSeen?: number;
  /** failing, search-failing: error types (first key segment) seen, and the object count. */
  readonly errorTypes?: readonly string[];
  readonly errorObjects?: number;
  /** heartbeat-only: the largest object seen, the most the heartbeats alone make, and the hours judged. */
  readonly largestBytes?: number;
  readonly heartbeatMaxBytes?: number;
  readonly hours?: number;
}

export interface Decision {
  readonly notify: boolean;
  readonly reason: "change" | "reminder" | "none";
  readonly current: readonly Problem[];
  readonly added: readonly Problem[];
  readonly resolved: readonly Problem[];
}

const MINUTE = 60_000;

/** The window a problem is judged over: silence minutes, or one interval when silence is not detected. */
export function windowMinutes(settings: WatchSettings): number {
  return settings.silenceMinutes ?? settings.intervalMinutes;
}

/** Query range [start, end] in epoch ms for a run at `t`: covers this run's window and the previous run's. */
export function queryRange(t: number, settings: WatchSettings): { start: number; end: number } {
  return { start: t - (windowMinutes(settings) + settings.intervalMinutes) * MINUTE, end: t };
}

/**
 * Problems at instant `at`, judged over (at - window, at]. `rows` cover
 * [t - window - interval, t] with at ∈ {t, t - interval}: a row has an event
 * in the window iff its last event is after the window start and its first
 * event is at or before `at`. `sizeRows` cover heartbeatOnlyRange(t) and
 * are judged over (at - heartbeatOnlyHours, at] the same way.
 */
export function problemsAt(
  at: number,
  expected: readonly ExpectedSource[],
  rows: readonly ObservedRow[],
  settings: WatchSettings,
  sizeRows: readonly SizeRow[] = [],
): Problem[] {
  const from = at - windowMinutes(settings) * MINUTE;
  const inWindow = (r: ObservedRow) => r.last > from && r.first <= at;
  const problems: Problem[] = [];

  if (settings.silenceMinutes !== undefined) {
    const lastData = new Map<string, number>();
    for (const r of rows) {
      if (r.root !== "data" || !inWindow(r)) continue;
      const key = sourceKey(r.account, r.region);
      lastData.set(key, Math.max(lastData.get(key) ?? 0, Math.min(r.last, at)));
    }
    for (const s of expected) {
      if (lastData.has(sourceKey(s.accountId, s.region))) continue;
      const seen = rows.filter((r) => r.root === "data" && r.account === s.accountId && r.region === s.region);
      const before = seen.filter((r) => r.last <= at).map((r) => r.last);
      problems.push({
        kind: "silent",
        accountId: s.accountId,
        region: s.region,
        ...(before.length > 0 ? { lastSeen: Math.max(...before) } : {}),
      });
    }
  }

  const failing = new Map<
    string,
    { kind: ProblemKind; account: string; region: string; types: Set<string>; objects: number }
  >();
  for (const r of rows) {
    if (r.root === "data" || !inWindow(r)) continue;
    const kind: ProblemKind = r.root === "errors" ? "failing" : "search-failing";
    const key = `${kind}/${sourceKey(r.account, r.region)}`;
    const entry = failing.get(key) ?? {
      kind,
      account: r.account,
      region: r.region,
      types: new Set<string>(),
      objects: 0,
    };
    entry.types.add(r.segment);
    entry.objects += r.objects;
    failing.set(key, entry);
  }
  for (const f of failing.values()) {
    problems.push({
      kind: f.kind,
      accountId: f.account,
      region: f.region,
      errorTypes: [...f.types].sort(),
      errorObjects: f.objects,
    });
  }
  problems.push(...heartbeatOnlyAt(at, expected, sizeRows, settings, problems));
  return problems.sort(compareProblems);
}

/**
 * Marked sources whose every object in (at - heartbeatOnlyHours, at] was no
 * larger than their heartbeats alone make. A source with no object in that
 * time is not judged (nothing arrived: silence, when detected, says so), nor
 * is a source already silent at `at`.
 */
function heartbeatOnlyAt(
  at: number,
  expected: readonly ExpectedSource[],
  sizeRows: readonly SizeRow[],
  settings: WatchSettings,
  found: readonly Problem[],
): Problem[] {
  const hours = settings.heartbeatOnlyHours;
  if (hours === undefined) return [];
  const from = at - hours * 60 * MINUTE;
  const silent = new Set(found.filter((p) => p.kind === "silent").map((p) => sourceKey(p.accountId, p.region)));
  const problems: Problem[] = [];
  for (const s of expected) {
    const bound = s.heartbeatMaxBytes;
    if (bound === undefined || silent.has(sourceKey(s.accountId, s.region))) continue;
    const seen = sizeRows.filter(
      (r) => r.account === s.accountId && r.region === s.region && r.last > from && r.first <= at,
    );
    // Rows split at every bound of the Region: one holding an object above the bound holds no other.
    if (seen.length === 0 || seen.some((r) => r.largest > bound)) continue;
    problems.push({
      kind: "heartbeat-only",
      accountId: s.accountId,
      region: s.region,
      largestBytes: Math.max(...seen.map((r) => r.largest)),
      heartbeatMaxBytes: bound,
      hours,
    });
  }
  return problems;
}

/** Whether the run at `t` notifies: on any change since the previous run, or at a reminder tick while problems persist. */
export function decide(
  t: number,
  expected: readonly ExpectedSource[],
  rows: readonly ObservedRow[],
  settings: WatchSettings,
  sizeRows: readonly SizeRow[] = [],
): Decision {
  const previousAt = t - settings.intervalMinutes * MINUTE;
  const current = problemsAt(t, expected, rows, settings, sizeRows);
  const previous = problemsAt(previousAt, expected, rows, settings, sizeRows);
  const ids = (ps: readonly Problem[]) => new Set(ps.map(problemId));
  const currentIds = ids(current);
  const previousIds = ids(previous);
  const added = current.filter((p) => !previousIds.has(problemId(p)));
  const resolved = previous.filter((p) => !currentIds.has(problemId(p)));
  if (added.length > 0 || resolved.length > 0) return { notify: true, reason: "change", current, added, resolved };
  const reminderMs = settings.reminderHours * 60 * MINUTE;
  const tick = Math.floor(t / reminderMs) !== Math.floor(previousAt / reminderMs);
  if (current.length > 0 && tick) return { notify: true, reason: "reminder", current, added, resolved };
  return { notify: false, reason: "none", current, added, resolved };
}

/** SNS subjects: at most 100 printable ASCII characters. */
const SUBJECT_MAX = 100;
/** Stay well under SNS's 256 KB message limit. */
const MESSAGE_MAX_CHARS = 200_000;

export function formatNotification(
  decision: Decision,
  t: number,
  context: { readonly namePrefix: string; readonly bucket: string; readonly settings: WatchSettings },
): { subject: string; message: string } {
  const { current, added, resolved, reason } = decision;
  const subject = (
    current.length === 0
      ? `${context.namePrefix} delivery watch: all sources healthy again`
      : `${context.namePrefix} delivery watch: ${current.length} source problem(s)` +
        (reason === "reminder" ? " (reminder)" : `, ${added.length} new, ${resolved.length} resolved`)
  ).slice(0, SUBJECT_MAX);
  const window = windowMinutes(context.settings);
  const lines = [
    `Delivery watch of s3://${context.bucket} at ${new Date(t).toISOString()}, over the last ${window} minutes.`,
    "",
    ...section("New problems", added, window),
    ...section("Resolved", resolved, window),
    ...section(reason === "reminder" ? "Problems that persist" : "All current problems", current, window),
    "Silent: no object arrived under the source's data prefix although the heartbeat writes every few minutes.",
    "Check its subscription, its stream's delivery role and the stream's errors (runbook in the README).",
    "Failing: objects arrived under the error prefix; their key names the error type.",
    ...(mentioned(decision, "heartbeat-only")
      ? [
          "Heartbeat only: the source always writes logs, yet every object under its data prefix was no larger than its",
          "heartbeats alone make: its subscription may have been narrowed to the heartbeat log group. Check its account-level",
          "subscription policy or subscription filters, and CloudTrail for who changed them (runbook in the README).",
        ]
      : []),
    ...(mentioned(decision, "search-failing")
      ? [
          `Search failing: documents OpenSearch did not index went under ${SEARCH_ERROR_ROOT} (the archive copy is unaffected);`,
          "see the search stream's error log for the reason.",
        ]
      : []),
  ];
  let message = lines.join("\n");
  if (message.length > MESSAGE_MAX_CHARS) {
    message = `${message.slice(0, MESSAGE_MAX_CHARS)}\n... truncated: ${current.length} current problems in all.`;
  }
  return { subject, message };
}

function mentioned(decision: Decision, kind: ProblemKind): boolean {
  return [...decision.current, ...decision.added, ...decision.resolved].some((p) => p.kind === kind);
}

function section(title: string, problems: readonly Problem[], window: number): string[] {
  if (problems.length === 0) return [];
  return [`${title} (${problems.length}):`, ...problems.map((p) => `  ${describe(p, window)}`), ""];
}

export function describe(p: Problem, window: number): string {
  if (p.kind === "search-failing") {
    return `SEARCH  search delivery ${p.region}: ${p.errorObjects} object(s) under ${searchErrorPrefix(p.region)} (${(p.errorTypes ?? []).join(", ")})`;
  }
  const who = p.accountId === "central" ? `central stream ${p.region}` : `${p.accountId} ${p.region}`;
  if (p.kind === "heartbeat-only") {
    return `HEARTBEAT ONLY ${who}: only heartbeat-sized objects (max ${p.largestBytes} bytes, heartbeats alone up to ${p.heartbeatMaxBytes}) for ${p.hours} h`;
  }
  if (p.kind === "silent") {
    const seen = p.lastSeen === undefined ? "none in the query range" : new Date(p.lastSeen).toISOString();
    return `SILENT  ${who}: no object under ${DATA_ROOT}account=${p.accountId}/region=${p.region}/ for ${window} min (last: ${seen})`;
  }
  return `FAILING ${who}: ${p.errorObjects} object(s) under ${ERROR_ROOT}account=${p.accountId}/region=${p.region}/ (${(p.errorTypes ?? []).join(", ")})`;
}

function sourceKey(account: string, region: string): string {
  return `${account}/${region}`;
}

function problemId(p: Problem): string {
  return `${p.kind}/${sourceKey(p.accountId, p.region)}`;
}

function compareProblems(a: Problem, b: Problem): number {
  return problemId(a) < problemId(b) ? -1 : problemId(a) > problemId(b) ? 1 : 0;
}

// ---------------------------------------------------------------------------
// The expected sources, stored as SSM parameters: one line per account,
// `<account id> <region>,<region>...`, split into values of at most
// SOURCES_CHUNK_CHARS characters (a standard parameter holds 4 KB). Account
// ids only: renaming an account in the registry changes no stack. A source
// that always writes logs gets a line of its own with a third field,
// `heartbeat-max=<bytes>`; without any, the values are what they always were
// (and a function of before this field reads such a line's first two).
// ---------------------------------------------------------------------------

export const SOURCES_CHUNK_CHARS = 4000;

const HEARTBEAT_MAX_FIELD = /^heartbeat-max=([1-9][0-9]{0,8})$/;

/** The description of a sources parameter, naming the third field only where a line has it. */
export function sourcesDescription(value: string): string {
  const base = "Sources the delivery watch expects objects from: <account id> <regions>";
  return value.includes(" heartbeat-max=")
    ? `${base}[ heartbeat-max=<bytes>], one per line; heartbeat-max marks a source that always writes logs`
    : `${base}, one per line`;
}

export function encodeSources(sources: readonly ExpectedSource[]): string[] {
  const lines = new Map<string, { id: string; field: string; regions: Set<string> }>();
  for (const s of sources) {
    const field = s.heartbeatMaxBytes === undefined ? "" : `heartbeat-max=${s.heartbeatMaxBytes}`;
    const key = `${s.accountId} ${field}`;
    const line = lines.get(key) ?? { id: s.accountId, field, regions: new Set<string>() };
    line.regions.add(s.region);
    lines.set(key, line);
  }
  const text = [...lines.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, l]) => [l.id, [...l.regions].sort().join(","), ...(l.field ? [l.field] : [])].join(" "));
  const chunks: string[] = [];
  let chunk = "";
  for (const line of text) {
    const next = chunk === "" ? line : `${chunk}\n${line}`;
    if (next.length > SOURCES_CHUNK_CHARS && chunk !== "") {
      chunks.push(chunk);
      chunk = line;
    } else {
      chunk = next;
    }
  }
  if (chunk !== "") chunks.push(chunk);
  return chunks;
}

/** The sources of the parameters' values; a third field other than heartbeat-max fails the run (it names the line). */
export function decodeSources(values: readonly string[]): ExpectedSource[] {
  const sources: ExpectedSource[] = [];
  for (const value of values) {
    for (const line of value.split("\n")) {
      const [accountId, regions, field, ...rest] = line.trim().split(" ");
      if (!accountId || !regions) continue;
      const bound = field === undefined ? undefined : HEARTBEAT_MAX_FIELD.exec(field)?.[1];
      if ((field !== undefined && bound === undefined) || rest.length > 0) {
        throw new Error(
          `sources: expected <account id> <regions>[ heartbeat-max=<bytes>], got ${JSON.stringify(line)}`,
        );
      }
      for (const region of regions.split(",")) {
        sources.push({ accountId, region, ...(bound !== undefined ? { heartbeatMaxBytes: Number(bound) } : {}) });
      }
    }
  }
  return sources;
}

// ---------------------------------------------------------------------------
// The Logs Insights queries over the copied S3 events: one per Region of the
// expected sources, and one for search delivery's failures when it is
// configured. EventBridge carries S3's object key as the object's name: the
// keys are matched as written, with their `=` (not URL-encoded as in S3's own
// SQS/SNS notifications; see __tests__/fixtures/s3-eventbridge-events.ts).
// ---------------------------------------------------------------------------

/** Where the watch's events may come from: only S3 events of the archive bucket, in the archive account. */
export interface EventOrigin {
  readonly accountId: string;
  readonly bucket: string;
}

const root = (prefix: string) => prefix.slice(0, -1);

/**
 * Parse of a CloudWatch Logs object key (data or error root): root, account,
 * Region and the first segment after the Region. Logs Insights regular
 * expressions, which JavaScript reads the same way (named groups, `\/`).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Parse.html
 */
export const SOURCE_KEY_PATTERN = `^(?<root>${root(ERROR_ROOT)}|${root(DATA_ROOT)})\\/account=(?<sourceAccount>[0-9]{12}|central)\\/region=(?<sourceRegion>[a-z0-9-]+)\\/(?<segment>[^\\/]+)\\/`;

/**
 * Parse of a search failure key: `search-errors/region=<region>/`, then the
 * first folder Firehose writes under the backup prefix, reported as the error
 * type. AWS documents that failed documents get `AmazonOpenSearchService-failed/`
 * appended to the prefix and that records the transform fails on go to
 * `processing-failed/`, but not where the time path goes: if it comes first,
 * the "type" is the year. Every object is counted either way.
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_AmazonopensearchserviceDestinationConfiguration.html
 * @see https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html
 */
export const SEARCH_KEY_PATTERN = `^(?<root>${root(SEARCH_ERROR_ROOT)})\\/region=(?<sourceRegion>[a-z0-9-]+)\\/(?<segment>[^\\/]+)\\/`;

/** `search-errors/region=<region>/`, where search delivery writes what it failed to index. */
export function searchErrorPrefix(region: string): string {
  return `${SEARCH_ERROR_ROOT}region=${region}/`;
}

function checkOrigin(region: string, origin: EventOrigin): void {
  if (!/^[a-z0-9-]+$/.test(region)) throw new Error(`not a Region: ${JSON.stringify(region)}`);
  if (!/^\d{12}$/.test(origin.accountId)) throw new Error(`not an account id: ${JSON.stringify(origin.accountId)}`);
  if (!/^[a-z0-9.-]{3,63}$/.test(origin.bucket)) throw new Error(`not a bucket name: ${JSON.stringify(origin.bucket)}`);
}

/**
 * Only events whose envelope says S3 sent them for the archive bucket of the
 * archive account count: `aws.*` sources cannot be sent with PutEvents, and an
 * event from another account carries that account, so no one can make a
 * silent source look alive by writing into the log group.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
 */
function originFilter(origin: EventOrigin): string {
  return `| filter source = "aws.s3" and account = "${origin.accountId}" and detail.bucket.name = "${origin.bucket}"`;
}

/**
 * One Region's query over the data and error roots. Region, account and
 * bucket values are checked before they enter the query.
 */
export function watchQuery(region: string, origin: EventOrigin): string {
  checkOrigin(region, origin);
  return [
    "fields @timestamp",
    originFilter(origin),
    `| parse detail.object.key /${SOURCE_KEY_PATTERN}/`,
    `| filter sourceRegion = "${region}"`,
    "| stats min(@timestamp) as first, max(@timestamp) as last, count(*) as objects by root, sourceAccount, sourceRegion, segment",
  ].join("\n");
}

/**
 * Search delivery's failures in its Region. A query of its own: its keys name
 * no account, and grouping by a field a parse left empty is not something the
 * Logs Insights documentation defines.
 */
export function searchErrorsQuery(region: string, origin: EventOrigin): string {
  checkOrigin(region, origin);
  return [
    "fields @timestamp",
    originFilter(origin),
    `| parse detail.object.key /${SEARCH_KEY_PATTERN}/`,
    `| filter sourceRegion = "${region}"`,
    "| stats min(@timestamp) as first, max(@timestamp) as last, count(*) as objects by root, sourceRegion, segment",
  ].join("\n");
}

/**
 * Query range of the heartbeat query for a run at `t`: this run's
 * heartbeatOnlyHours and the previous run's. It starts one second after
 * t - hours - interval, so that no event sits on the earlier window's
 * excluded start (S3 event times are whole seconds; Logs Insights includes
 * the start of a range): a row then has an event in the earlier window iff
 * its first event is at or before that window's end.
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_StartQuery.html
 */
export function heartbeatOnlyRange(t: number, settings: WatchSettings): { start: number; end: number } {
  const hours = settings.heartbeatOnlyHours ?? 0;
  return { start: t - (hours * 60 + settings.intervalMinutes) * MINUTE + 1000, end: t };
}

/** The distinct heartbeat bounds of a Region's marked sources, ascending: where the heartbeat query splits sizes. */
export function heartbeatBounds(expected: readonly ExpectedSource[], region: string): number[] {
  const bounds = expected.filter((s) => s.region === region).map((s) => s.heartbeatMaxBytes);
  return [...new Set(bounds.filter((b) => b !== undefined))].sort((a, b) => a - b);
}

/**
 * One Region's heartbeat query: its data objects by account and size class,
 * the class being how many of `bounds` an object exceeds (each term is 1 for
 * a size above that bound, else 0: `least(greatest(size - bound, 0), 1)`),
 * with their times, count and largest size. One scan serves every bound of
 * the Region; each source reads the rows split at its own.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-operations-functions.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Stats.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
 */
export function heartbeatSizeQuery(region: string, origin: EventOrigin, bounds: readonly number[]): string {
  checkOrigin(region, origin);
  if (bounds.length === 0 || bounds.some((b) => !Number.isSafeInteger(b) || b <= 0)) {
    throw new Error(`not heartbeat bounds: ${JSON.stringify(bounds)}`);
  }
  const sizeClass = [...bounds]
    .sort((a, b) => a - b)
    .map((b) => `least(greatest(detail.object.size - ${b}, 0), 1)`)
    .join(" + ");
  return [
    "fields @timestamp",
    originFilter(origin),
    `| parse detail.object.key /${SOURCE_KEY_PATTERN}/`,
    `| filter root = "${root(DATA_ROOT)}" and sourceRegion = "${region}"`,
    `| fields ${sizeClass} as sizeClass`,
    "| stats min(@timestamp) as first, max(@timestamp) as last, count(*) as objects, max(detail.object.size) as largest by sourceAccount, sourceRegion, sizeClass",
  ].join("\n");
}

/** A result row of GetQueryResults: a list of { field, value }. */
export type ResultRow = readonly { readonly field?: string; readonly value?: string }[];

/** Logs Insights returns timestamps as `yyyy-MM-dd HH:mm:ss.SSS` in UTC. */
function parseTimestamp(value: string): number {
  return Date.parse(`${value.replace(" ", "T")}Z`);
}

const ROOTS: Readonly<Record<string, ObservedRow["root"]>> = {
  [root(DATA_ROOT)]: "data",
  [root(ERROR_ROOT)]: "errors",
  [root(SEARCH_ERROR_ROOT)]: "search-errors",
};

export function rowsFromResults(results: readonly ResultRow[]): ObservedRow[] {
  const rows: ObservedRow[] = [];
  for (const result of results) {
    const f = Object.fromEntries(result.map((c) => [c.field ?? "", c.value ?? ""]));
    const kind = Object.hasOwn(ROOTS, f.root ?? "") ? ROOTS[f.root!] : undefined;
    const account = kind === "search-errors" ? SEARCH_ACCOUNT : f.sourceAccount;
    const first = parseTimestamp(f.first ?? "");
    const last = parseTimestamp(f.last ?? "");
    if (!kind || !account || !f.sourceRegion || Number.isNaN(first) || Number.isNaN(last)) continue;
    rows.push({
      root: kind,
      account,
      region: f.sourceRegion,
      segment: f.segment ?? "",
      first,
      last,
      objects: Number(f.objects ?? "0"),
    });
  }
  return rows;
}

/** The heartbeat query's results as rows; a row missing a field or a number is dropped. */
export function sizeRowsFromResults(results: readonly ResultRow[]): SizeRow[] {
  const number = (value: string | undefined) =>
    value === undefined || value.trim() === "" ? Number.NaN : Number(value);
  const rows: SizeRow[] = [];
  for (const result of results) {
    const f = Object.fromEntries(result.map((c) => [c.field ?? "", c.value ?? ""]));
    const row = {
      account: f.sourceAccount ?? "",
      region: f.sourceRegion ?? "",
      sizeClass: number(f.sizeClass),
      first: parseTimestamp(f.first ?? ""),
      last: parseTimestamp(f.last ?? ""),
      objects: number(f.objects),
      largest: number(f.largest),
    };
    const numbers = [row.sizeClass, row.first, row.last, row.objects, row.largest];
    if (row.account === "" || row.region === "" || numbers.some(Number.isNaN)) continue;
    rows.push(row);
  }
  return rows;
}
