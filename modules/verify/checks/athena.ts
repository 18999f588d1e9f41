/**
 * Athena as the log analyst uses it: the log-analyst role is assumed, the
 * marker event comes back through the `cloudwatch_events` view in the
 * interactive workgroup (the view Terraform stores, the tables' projection,
 * decryption through S3 and partition pruning, all at once), and the
 * `cloudtrail` table reads the organization trail's files (its SerDe, and its
 * JSON fields as strings).
 */
import { CLOUDTRAIL_TABLE } from "../../archive/log-tables";
import { EVENTS_VIEW, qualified } from "../../archive/log-views";
import { firehoseDataPrefix, prefixAt } from "../../naming/key-layout";
import { poll, minutes, type VerifyContext } from "../context";
import type { AthenaPort, ReaderPorts } from "../ports";
import {
  errorEvidence,
  fail,
  notApplicable,
  pass,
  type CheckResult,
  type Evidence,
  messageOf,
  judged,
  inconclusive,
  failedOrInconclusive,
  isInconclusiveError,
} from "../result";

export const ANALYST_ASSUME = { id: "log-analyst-assume", title: "Log-analyst role assumed" };
export const ATHENA_QUERY = {
  id: "athena-query",
  title: "Marker event found with Athena through the events view, as the log analyst",
};
export const ATHENA_CLOUDTRAIL = {
  id: "athena-cloudtrail",
  title: "Organization trail read with Athena through the cloudtrail table, as the log analyst",
};

/** Between two GetQueryExecution calls: a query over one hour of one account takes seconds. */
export const QUERY_POLL_MS = 2_000;

/** Assumes the log-analyst role; sets ctx.analyst, or ctx.analystProblem when it cannot. */
export async function assumeAnalyst(ctx: VerifyContext): Promise<CheckResult> {
  const athena = ctx.target.athena;
  if (!athena) return notApplicable(ANALYST_ASSUME, "monitoring.athena is not enabled");
  try {
    // The analyst role has no ExternalId: its trust admits analystPrincipals of the organization.
    const assumed = await ctx.ports.analystVia.assume(athena.analystRoleArn, undefined);
    ctx.analyst = assumed.ports;
    return pass(ANALYST_ASSUME, `assumed ${athena.analystRoleArn} as ${assumed.assumedArn}`, [
      { what: "AssumeRole", requestId: assumed.requestId, detail: assumed.assumedArn },
    ]);
  } catch (error) {
    ctx.analystInconclusive = isInconclusiveError(error);
    ctx.analystProblem = ctx.analystInconclusive
      ? `AssumeRole of ${athena.analystRoleArn} failed: ${messageOf(error)}`
      : `AssumeRole of ${athena.analystRoleArn} failed: ${messageOf(error)} (is the caller in monitoring.athena.analystPrincipals? pass --analyst-profile or --analyst-role)`;
    return failedOrInconclusive(ANALYST_ASSUME, ctx.analystProblem, error, [errorEvidence("AssumeRole", error)]);
  }
}

/** One result row by column name. */
export type ResultRow = Readonly<Record<string, string | undefined>>;

export type QueryOutcome =
  | {
      readonly state: "SUCCEEDED";
      readonly id: string;
      readonly scanned?: number;
      readonly rows: readonly ResultRow[];
      readonly evidence: readonly Evidence[];
    }
  | { readonly state: string; readonly id: string; readonly reason?: string; readonly evidence: readonly Evidence[] };

/**
 * Starts a query, polls GetQueryExecution on the run's clock until it ends
 * or `timeoutMs` passes, and reads the first page of its rows.
 * @see https://docs.aws.amazon.com/athena/latest/APIReference/API_QueryExecutionStatus.html
 */
export async function runQuery(
  ctx: VerifyContext,
  athena: AthenaPort,
  sql: string,
  database: string,
  workgroup: string,
  timeoutMs: number,
): Promise<QueryOutcome> {
  const { clock } = ctx.ports;
  const started = await athena.start(sql, database, workgroup);
  const id = started.queryExecutionId;
  const evidence: Evidence[] = [
    { what: `StartQueryExecution in ${workgroup}`, requestId: started.requestId, detail: `query ${id}` },
  ];
  let last: Awaited<ReturnType<AthenaPort["execution"]>> | undefined;
  // RUNNING may go back to QUEUED after a transient error; FAILED and CANCELLED are final.
  const ended = await poll(clock, clock.now() + timeoutMs, QUERY_POLL_MS, async () => {
    last = await athena.execution(id);
    return ["SUCCEEDED", "FAILED", "CANCELLED"].includes(last.state) ? last : undefined;
  });
  const state = last?.state ?? "UNKNOWN";
  evidence.push({
    what: `GetQueryExecution: ${state}`,
    requestId: last?.requestId,
    detail: `query ${id}, ${last?.dataScannedInBytes ?? "no"} bytes scanned${last?.stateChangeReason ? `, ${last.stateChangeReason}` : ""}`,
  });
  if (!ended) return { state: `${state} after ${minutes(timeoutMs)}`, id, evidence };
  if (ended.state !== "SUCCEEDED") return { state: ended.state, id, reason: ended.stateChangeReason, evidence };
  const results = await athena.results(id);
  evidence.push({ what: "GetQueryResults", requestId: results.requestId, detail: `query ${id}` });
  const byName = results.rows.map((values) => Object.fromEntries(results.columns.map((name, i) => [name, values[i]])));
  // For a SELECT, Athena's first row repeats the column names.
  const header = byName[0] && results.columns.every((name) => byName[0]![name] === name);
  return {
    state: "SUCCEEDED",
    id,
    scanned: ended.dataScannedInBytes,
    rows: header ? byName.slice(1) : byName,
    evidence,
  };
}

/** `year=2026/month=12/day=04/hour=21/` of a marker key, as a UTC hour (epoch ms), or undefined. */
export function partitionHourOf(key: string): number | undefined {
  const m = /\/year=(\d{4})\/month=(\d{2})\/day=(\d{2})\/hour=(\d{2})\//.exec(key);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4])) : undefined;
}

/** The partition values of a UTC hour, as the keys hold them (zero-padded strings). */
function partitionValues(hour: number) {
  const iso = new Date(hour).toISOString();
  return { year: iso.slice(0, 4), month: iso.slice(5, 7), day: iso.slice(8, 10), hour: iso.slice(11, 13) };
}

const quoted = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * The saved query `log-group-across-organization` (the `cloudwatch_events`
 * view, literal partitions, the event time deciding), narrowed to the
 * marker: its account and Region, its log group and message, and the hour
 * its object is filed under plus the next one (the saved queries' reach for
 * late arrivals), as an OR of literals that Athena must prune.
 */
export function markerQuery(ctx: VerifyContext, database: string, hour: number): string {
  const { target, marker } = ctx;
  const hours = [hour, hour + 3_600_000].map((h) => {
    const p = partitionValues(h);
    return `(year = '${p.year}' AND month = '${p.month}' AND day = '${p.day}' AND hour = '${p.hour}')`;
  });
  return [
    `-- npm run verify ${marker.runId}: the marker event, as saved query log-group-across-organization finds a log group`,
    "SELECT account, region, event_time, log_group, log_stream, message",
    `FROM ${qualified(database, EVENTS_VIEW)}`,
    `WHERE account = ${quoted(target.sourceAccountId)} AND region = ${quoted(target.sourceRegion)}`,
    `  AND (${hours.join("\n    OR ")})`,
    // Message-extraction objects keep no log group: the message alone finds the marker there.
    ...(target.messageExtraction ? [] : [`  AND log_group = ${quoted(marker.logGroup)}`]),
    `  AND strpos(message, ${quoted(marker.message)}) > 0`,
    "ORDER BY event_time",
  ].join("\n");
}

/** `2026-12-04 21:58:30.000` (Athena's text of a timestamp(3)) as epoch ms. */
export function athenaTimestamp(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(`${value.trim().replace(" ", "T")}Z`);
  return Number.isNaN(t) ? undefined : t;
}

/** What of the marker row differs from what the run wrote, or [] when it matches. */
function rowMismatches(ctx: VerifyContext, row: ResultRow): string[] {
  const { target, marker } = ctx;
  const problems: string[] = [];
  if (row.account !== target.sourceAccountId) problems.push(`account ${row.account ?? "NULL"}`);
  if (row.region !== target.sourceRegion) problems.push(`region ${row.region ?? "NULL"}`);
  if (target.messageExtraction) return problems;
  if (row.log_group !== marker.logGroup) problems.push(`log group ${row.log_group ?? "NULL"}`);
  // The view divides the milliseconds by 1e3 as a double: allow its rounding, nothing more.
  const time = athenaTimestamp(row.event_time);
  if (time === undefined || Math.abs(time - ctx.startedAt) > 1) {
    problems.push(`event time ${row.event_time ?? "NULL"}, written ${new Date(ctx.startedAt).toISOString()}`);
  }
  return problems;
}

/** The analyst's ports, or the failed check saying why there are none. */
function analystOr(ctx: VerifyContext, spec: typeof ATHENA_QUERY): ReaderPorts | CheckResult {
  if (ctx.analyst) return ctx.analyst;
  const problem = ctx.analystProblem ?? "the log-analyst role was not assumed";
  return ctx.analystInconclusive ? inconclusive(spec, problem) : fail(spec, problem);
}

export async function checkAthenaQuery(ctx: VerifyContext): Promise<CheckResult> {
  const athena = ctx.target.athena;
  if (!athena) return notApplicable(ATHENA_QUERY, "monitoring.athena is not enabled");
  const { found, target } = ctx;
  if (!found) return notApplicable(ATHENA_QUERY, "no marker object (see delivery)");
  const hour = partitionHourOf(found.key);
  if (hour === undefined) return fail(ATHENA_QUERY, `the marker key has no hour partition: ${found.key}`);
  const analyst = analystOr(ctx, ATHENA_QUERY);
  if (!("athena" in analyst)) return analyst;
  const sql = markerQuery(ctx, athena.database, hour);
  try {
    const outcome = await runQuery(ctx, analyst.athena, sql, athena.database, athena.workgroup, ctx.options.marginMs);
    const evidence: Evidence[] = [...outcome.evidence];
    if (outcome.state !== "SUCCEEDED" || !("rows" in outcome)) {
      const reason = "reason" in outcome && outcome.reason ? `: ${outcome.reason}` : "";
      return fail(ATHENA_QUERY, `query ${outcome.id} ${outcome.state}${reason}`, evidence);
    }
    const row = outcome.rows.find((r) => r.message?.includes(ctx.marker.message));
    if (!row) {
      return fail(
        ATHENA_QUERY,
        `query ${outcome.id} returned ${outcome.rows.length} row(s), none with the marker, though the reader read ${found.key} (projection, view or decryption)`,
        evidence,
      );
    }
    const mismatches = rowMismatches(ctx, row);
    if (mismatches.length > 0) {
      return fail(ATHENA_QUERY, `the marker row has the wrong ${mismatches.join(", ")}`, evidence);
    }
    // Pruning: both tables of the view read each object of the two hours once, and nothing else.
    const partitions = [hour, hour + 3_600_000].map((h) =>
      prefixAt(firehoseDataPrefix(target.sourceAccountId, target.sourceRegion), new Date(h)),
    );
    let bytes = 0;
    let objects = 0;
    for (const prefix of partitions) {
      const listed = await ctx.ports.archive.s3.list(target.archiveBucket, prefix);
      for (const o of listed.objects) {
        bytes += o.size;
        objects += 1;
      }
      evidence.push({ what: "ListObjectsV2 of a queried partition", requestId: listed.requestId, key: prefix });
    }
    const scanned = outcome.scanned;
    const pruning = `${scanned ?? "unreported"} bytes scanned; the ${objects} object(s) of the two queried hours hold ${bytes} bytes`;
    evidence.push({ what: "partition pruning", key: found.key, detail: pruning });
    if (scanned !== undefined && scanned > 2 * bytes) {
      return fail(
        ATHENA_QUERY,
        `the marker was found, but ${pruning}: more than the view's two tables read there, so partitions were not pruned`,
        evidence,
      );
    }
    const what = target.messageExtraction
      ? "account and Region (message extraction keeps no log group or time)"
      : "account, Region, log group and event time";
    return pass(ATHENA_QUERY, `query ${outcome.id} returned the marker with its ${what}; ${pruning}`, evidence);
  } catch (error) {
    return judged(
      error,
      fail(ATHENA_QUERY, `cannot query ${EVENTS_VIEW} as the log analyst: ${messageOf(error)}`, [
        errorEvidence("StartQueryExecution/GetQueryExecution/GetQueryResults", error),
      ]),
    );
  }
}

/** `YYYY/MM/DD` of a trail object's key. */
function trailDay(key: string): { year: string; month: string; day: string } | undefined {
  const m = /\/(\d{4})\/(\d{2})\/(\d{2})\/[^/]+$/.exec(key);
  return m ? { year: m[1]!, month: m[2]!, day: m[3]! } : undefined;
}

/**
 * The newest event of the source account with request parameters, from the
 * day folder of the newest trail object.
 */
export function trailQuery(ctx: VerifyContext, database: string, day: { year: string; month: string; day: string }) {
  const { target } = ctx;
  return [
    `-- npm run verify ${ctx.marker.runId}: one recent event of the source account from the organization trail`,
    "SELECT eventtime, eventsource, eventname, recipientaccountid, requestparameters",
    `FROM ${qualified(database, CLOUDTRAIL_TABLE)}`,
    `WHERE account = ${quoted(target.sourceAccountId)} AND region = ${quoted(target.sourceRegion)}`,
    `  AND year = '${day.year}' AND month = '${day.month}' AND day = '${day.day}'`,
    "  AND requestparameters IS NOT NULL",
    "ORDER BY eventtime DESC",
    "LIMIT 1",
  ].join("\n");
}

/** Whether a column holds an object's JSON text (the OpenX/CloudTrail SerDe's string of a nested object). */
function isJsonObjectText(value: string | undefined): boolean {
  if (!value?.trim().startsWith("{")) return false;
  try {
    return typeof JSON.parse(value) === "object";
  } catch {
    return false;
  }
}

export async function checkAthenaCloudTrail(ctx: VerifyContext): Promise<CheckResult> {
  const athena = ctx.target.athena;
  if (!athena) return notApplicable(ATHENA_CLOUDTRAIL, "monitoring.athena is not enabled");
  if (!ctx.target.trail) return notApplicable(ATHENA_CLOUDTRAIL, "sources.cloudTrail is not enabled");
  const object = ctx.trailObject;
  if (!object) return notApplicable(ATHENA_CLOUDTRAIL, "no trail object of the account today (see trail-objects)");
  const day = trailDay(object.key);
  if (!day) return fail(ATHENA_CLOUDTRAIL, `the trail object's key has no date folder: ${object.key}`);
  const analyst = analystOr(ctx, ATHENA_CLOUDTRAIL);
  if (!("athena" in analyst)) return analyst;
  try {
    const sql = trailQuery(ctx, athena.database, day);
    const outcome = await runQuery(ctx, analyst.athena, sql, athena.database, athena.workgroup, ctx.options.marginMs);
    const evidence: Evidence[] = [...outcome.evidence];
    if (outcome.state !== "SUCCEEDED" || !("rows" in outcome)) {
      const reason = "reason" in outcome && outcome.reason ? `: ${outcome.reason}` : "";
      return fail(ATHENA_CLOUDTRAIL, `query ${outcome.id} ${outcome.state}${reason}`, evidence);
    }
    const row = outcome.rows[0];
    if (!row) {
      return fail(
        ATHENA_CLOUDTRAIL,
        `query ${outcome.id} returned no event of ${ctx.target.sourceAccountId} on ${day.year}-${day.month}-${day.day}, though ${object.key} exists (SerDe, input format or projection)`,
        evidence,
      );
    }
    evidence.push({
      what: "the newest event",
      key: object.key,
      detail: `${row.eventtime ?? "?"} ${row.eventsource ?? "?"} ${row.eventname ?? "?"}`,
    });
    if (row.recipientaccountid !== ctx.target.sourceAccountId) {
      return fail(
        ATHENA_CLOUDTRAIL,
        `the event's recipientaccountid is ${row.recipientaccountid ?? "NULL"}, not ${ctx.target.sourceAccountId}: the SerDe does not map the record's fields`,
        evidence,
      );
    }
    if (!isJsonObjectText(row.requestparameters)) {
      return fail(
        ATHENA_CLOUDTRAIL,
        `requestparameters is not the object's JSON text: ${(row.requestparameters ?? "NULL").slice(0, 80)}`,
        evidence,
      );
    }
    return pass(
      ATHENA_CLOUDTRAIL,
      `query ${outcome.id} read ${row.eventsource ?? "?"} ${row.eventname ?? "?"} of ${row.eventtime ?? "?"}, requestparameters as JSON text`,
      evidence,
    );
  } catch (error) {
    return judged(
      error,
      fail(ATHENA_CLOUDTRAIL, `cannot query ${CLOUDTRAIL_TABLE} as the log analyst: ${messageOf(error)}`, [
        errorEvidence("StartQueryExecution/GetQueryExecution/GetQueryResults", error),
      ]),
    );
  }
}
