/** Monitoring: the source's heartbeat arrives, the delivery watch sees the marker, no alarm is in ALARM. */
import { watchQuery, rowsFromResults } from "../../monitoring/delivery-watch/evaluate";
import { deliveryDeadline, poll, type VerifyContext } from "../context";
import { hourPrefixes } from "./delivery";
import { objectLines, lineIsHeartbeat } from "../record-format";
import {
  errorEvidence,
  messageOf,
  fail,
  notApplicable,
  pass,
  type CheckResult,
  type Evidence,
  judged,
  withoutReader,
} from "../result";

export const HEARTBEAT = { id: "heartbeat", title: "Heartbeat object of the source" };
export const WATCH = { id: "delivery-watch", title: "Delivery watch's query sees the source (and the marker)" };
export const ALARMS = { id: "alarms", title: "No alarm in ALARM" };

export async function checkHeartbeat(ctx: VerifyContext): Promise<CheckResult> {
  const { target, reader } = ctx;
  const heartbeat = target.heartbeat;
  if (!heartbeat) return notApplicable(HEARTBEAT, "monitoring.heartbeat is off");
  if (!reader) return withoutReader(ctx, HEARTBEAT);
  const interval = heartbeat.intervalMinutes * 60_000;
  // A heartbeat written just before the run is in an object up to one buffering interval later.
  const from = ctx.startedAt - interval - target.bufferingSeconds * 1000;
  const deadline = deliveryDeadline(ctx) + interval;
  const seen = new Set<string>();
  try {
    const found = await poll(ctx.ports.clock, deadline, ctx.options.pollMs, async () => {
      // An object is dated by its oldest record: up to a buffering interval earlier.
      const dated = from - target.bufferingSeconds * 1000;
      for (const prefix of hourPrefixes(target.sourceAccountId, target.sourceRegion, dated, ctx.ports.clock.now())) {
        const listed = await reader.s3.list(target.archiveBucket, prefix);
        for (const object of listed.objects) {
          if (seen.has(object.key) || object.lastModified.getTime() < from) continue;
          seen.add(object.key);
          const got = await reader.s3.get(target.archiveBucket, object.key);
          const lines = objectLines(got.body, target.compression);
          if (typeof lines !== "string" && lines.some((l) => lineIsHeartbeat(l, target, heartbeat))) {
            return { key: object.key, requestId: got.requestId, size: object.size };
          }
        }
      }
      return undefined;
    });
    if (found) {
      return pass(HEARTBEAT, `heartbeat of ${heartbeat.logGroup} archived`, [
        {
          what: "GetObject of the heartbeat object",
          requestId: found.requestId,
          key: found.key,
          detail: `${found.size} bytes (compare with the bound under the watch's SSM parameters)`,
        },
      ]);
    }
    return fail(HEARTBEAT, `no heartbeat object within ${heartbeat.intervalMinutes} min + buffering + margin`, [
      { what: `read ${seen.size} object(s) of the source` },
    ]);
  } catch (error) {
    return judged(
      error,
      fail(HEARTBEAT, `could not read the archive: ${messageOf(error)}`, [
        errorEvidence("ListObjectsV2/GetObject", error),
      ]),
    );
  }
}

/**
 * The watch's own query (modules/monitoring/delivery-watch/evaluate.ts), run
 * over the watch's event log group: it must count the source's data objects
 * up to the marker object. This settles the facts the watch relies on: S3
 * events reach EventBridge with unencoded keys, EventBridge writes them into
 * the log group, and Logs Insights accepts the query.
 */
export async function checkWatch(ctx: VerifyContext): Promise<CheckResult> {
  const { target, found } = ctx;
  if (!target.watch) return notApplicable(WATCH, "the delivery watch does not watch this account");
  if (!found) return notApplicable(WATCH, "no marker object (see delivery)");
  const query = watchQuery(target.sourceRegion, { accountId: target.archiveAccountId, bucket: target.archiveBucket });
  const marked = found.lastModified.getTime();
  const deadline = ctx.ports.clock.now() + ctx.options.marginMs;
  let queryId: string | undefined;
  let rowsSeen = 0;
  try {
    const row = await poll(ctx.ports.clock, deadline, ctx.options.pollMs, async () => {
      const start = Math.floor((ctx.startedAt - target.watch!.windowMinutes * 60_000) / 1000);
      const result = await ctx.ports.archive.logs.query(
        target.watch!.eventLogGroup,
        query,
        start,
        Math.ceil(ctx.ports.clock.now() / 1000),
      );
      queryId = result.queryId;
      const rows = rowsFromResults(result.rows);
      rowsSeen = rows.length;
      return rows.find(
        (r) =>
          r.root === "data" &&
          r.account === target.sourceAccountId &&
          r.region === target.sourceRegion &&
          r.last >= marked - 1000,
      );
    });
    const evidence: Evidence[] = [{ what: `Logs Insights query ${queryId ?? ""} on ${target.watch.eventLogGroup}` }];
    if (row) {
      return pass(
        WATCH,
        `the watch's query counts ${row.objects} object(s) of the source, the last at or after the marker`,
        evidence,
      );
    }
    return fail(WATCH, `the watch's query has no row for the source's marker object (${rowsSeen} row(s))`, evidence);
  } catch (error) {
    return judged(
      error,
      fail(WATCH, `the watch's query failed: ${messageOf(error)}`, [
        errorEvidence("StartQuery/GetQueryResults", error),
      ]),
      "logs:StartQuery and GetQueryResults in the log-archive account",
    );
  }
}

export async function checkAlarms(ctx: VerifyContext): Promise<CheckResult> {
  const evidence: Evidence[] = [];
  const alarming: string[] = [];
  try {
    const archive = await ctx.ports.archive.alarms.inAlarm(`${ctx.target.prefix}-`);
    evidence.push({
      what: `DescribeAlarms ${ctx.target.prefix}-* in the log-archive account`,
      requestId: archive.requestId,
    });
    alarming.push(...archive.names);
    if (ctx.target.sourceAlarmPrefix) {
      const source = await ctx.ports.source.alarms.inAlarm(ctx.target.sourceAlarmPrefix);
      evidence.push({
        what: `DescribeAlarms ${ctx.target.sourceAlarmPrefix}* in the source`,
        requestId: source.requestId,
      });
      alarming.push(...source.names);
    }
  } catch (error) {
    return judged(
      error,
      fail(ALARMS, `DescribeAlarms failed: ${messageOf(error)}`, [...evidence, errorEvidence("DescribeAlarms", error)]),
      "cloudwatch:DescribeAlarms",
    );
  }
  if (alarming.length > 0) return fail(ALARMS, `in ALARM: ${alarming.join(", ")}`, evidence);
  return pass(ALARMS, "no alarm of the pipeline in ALARM", evidence);
}
