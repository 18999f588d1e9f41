/**
 * Delivery end to end: a marker event in a fresh log group of the source
 * account must appear in an object under that account's own prefix within
 * the buffering interval plus a margin, in the record format of the contract.
 */
import { accountRegionDataPrefix, firehoseDataPrefix, prefixAt } from "../../naming/key-layout";
import { deliveryDeadline, minutes, poll, type FoundMarker, type VerifyContext } from "../context";
import type { ReaderPorts } from "../ports";
import { controlMessageCount, formatProblems, lineHasMarker, objectLines } from "../record-format";
import {
  errorEvidence,
  messageOf,
  fail,
  notApplicable,
  pass,
  type CheckResult,
  type Evidence,
  judged,
  inconclusive,
} from "../result";

export const DELIVERY = { id: "delivery", title: "Delivery end to end (marker event to its account's prefix)" };
export const RECORD_FORMAT = { id: "record-format", title: "Record format of the marker object (contract)" };

/** Writes the marker: a fresh log group in the source account and one event. */
export async function writeMarker(ctx: VerifyContext): Promise<Evidence[] | CheckResult> {
  const { source } = ctx.ports;
  const { marker, target } = ctx;
  if (target.subscriptionMode === "listed") {
    return notApplicable(
      DELIVERY,
      `the account subscribes only listed log groups (subscription.mode listed): a fresh log group is not delivered; the heartbeat check proves delivery instead`,
    );
  }
  if (target.filterPattern !== "") {
    return notApplicable(
      DELIVERY,
      `the account's filter pattern ${JSON.stringify(target.filterPattern)} decides which events are delivered, so the marker may not be; run verify with an account without a pattern (the heartbeat check proves delivery here)`,
    );
  }
  try {
    const created = await source.logs.createLogGroup(marker.logGroup);
    ctx.created.logGroups.push({
      name: marker.logGroup,
      region: target.sourceRegion,
      accountId: target.sourceAccountId,
    });
    const put = await source.logs.putEvents(marker.logGroup, marker.logStream, [
      { timestamp: ctx.startedAt, message: marker.message },
    ]);
    return [
      { what: `created log group ${marker.logGroup}`, requestId: created.requestId },
      { what: "put the marker event", requestId: put.requestId, detail: marker.message },
    ];
  } catch (error) {
    return judged(
      error,
      fail(DELIVERY, `could not write the marker event into ${marker.logGroup}: ${messageOf(error)}`, [
        errorEvidence("CreateLogGroup/PutLogEvents", error),
      ]),
      "logs:CreateLogGroup, CreateLogStream and PutLogEvents in the source account",
    );
  }
}

/** The hour prefixes of an account and Region from `from` to `to` (epoch ms, UTC hours). */
export function hourPrefixes(accountId: string, region: string, from: number, to: number): string[] {
  const hour = 3_600_000;
  const prefixes: string[] = [];
  for (let t = Math.floor(from / hour) * hour; t <= to; t += hour) {
    prefixes.push(prefixAt(firehoseDataPrefix(accountId, region), new Date(t)));
  }
  return prefixes;
}

/** Reads the objects of `accountId` written since the run began and returns the one with the marker. */
export async function scanForMarker(
  ctx: VerifyContext,
  reader: ReaderPorts,
  accountId: string,
  seen: Set<string>,
): Promise<FoundMarker | undefined> {
  const { target, marker } = ctx;
  const since = ctx.startedAt - 2 * 60_000; // clock skew between this machine and S3
  // Firehose dates an object by the arrival of its oldest record, which may
  // have waited up to a buffering interval before the marker came.
  const from = ctx.startedAt - target.bufferingSeconds * 1000 - 60_000;
  for (const prefix of hourPrefixes(accountId, target.sourceRegion, from, ctx.ports.clock.now())) {
    const listed = await reader.s3.list(target.archiveBucket, prefix);
    for (const object of listed.objects) {
      if (seen.has(object.key) || object.lastModified.getTime() < since) continue;
      seen.add(object.key);
      const got = await reader.s3.get(target.archiveBucket, object.key);
      const lines = objectLines(got.body, target.compression);
      if (typeof lines === "string") continue;
      if (lines.some((line) => lineHasMarker(line, target, marker))) {
        return {
          key: object.key,
          lines,
          requestId: got.requestId,
          serverSideEncryption: got.serverSideEncryption,
          kmsKeyId: got.kmsKeyId,
          lastModified: object.lastModified,
        };
      }
    }
  }
  return undefined;
}

export async function checkDelivery(ctx: VerifyContext, written: readonly Evidence[]): Promise<CheckResult> {
  const { target, ports } = ctx;
  const reader = ctx.reader;
  if (!reader) {
    const problem = `cannot look for the marker: ${ctx.readerProblem ?? "no reader credentials"}`;
    return ctx.readerInconclusive ? inconclusive(DELIVERY, problem, written) : fail(DELIVERY, problem, written);
  }
  const own = accountRegionDataPrefix(target.sourceAccountId, target.sourceRegion);
  const seen = new Set<string>();
  const deadline = deliveryDeadline(ctx);
  try {
    const found = await poll(ports.clock, deadline, ctx.options.pollMs, () =>
      scanForMarker(ctx, reader, target.sourceAccountId, seen),
    );
    if (found) {
      ctx.found = found;
      const after = minutes(found.lastModified.getTime() - ctx.startedAt);
      return pass(DELIVERY, `marker delivered under ${own} about ${after} after it was written`, [
        ...written,
        { what: "GetObject of the marker object (SIEM reader)", requestId: found.requestId, key: found.key },
      ]);
    }
    const elsewhere = await markerElsewhere(ctx, reader);
    if (elsewhere) {
      return fail(DELIVERY, `marker object under another account's prefix: ${elsewhere.key}, expected under ${own}`, [
        ...written,
        { what: "GetObject of the misplaced object", requestId: elsewhere.requestId, key: elsewhere.key },
      ]);
    }
    const waited = minutes(deadline - ctx.startedAt);
    return fail(
      DELIVERY,
      `no object with the marker under ${own} within ${waited} (buffering ${target.bufferingSeconds} s + margin)`,
      [...written, { what: `listed ${seen.size} new object(s) under ${own}` }],
    );
  } catch (error) {
    return judged(
      error,
      fail(DELIVERY, `could not read the archive: ${messageOf(error)}`, [
        ...written,
        errorEvidence("ListObjectsV2/GetObject", error),
      ]),
    );
  }
}

/** The marker in another account's objects: the confinement promise broken. */
async function markerElsewhere(ctx: VerifyContext, reader: ReaderPorts): Promise<FoundMarker | undefined> {
  for (const other of ctx.target.otherAccountIds.slice(0, ctx.options.maxScanAccounts)) {
    const found = await scanForMarker(ctx, reader, other, new Set());
    if (found) return found;
  }
  return undefined;
}

export function checkRecordFormat(ctx: VerifyContext): CheckResult {
  const found = ctx.found;
  if (!found) return notApplicable(RECORD_FORMAT, "no marker object to read (see delivery)");
  const problems = formatProblems(found.key, found.lines, ctx.target, ctx.target.sourceAccountId);
  const evidence = [{ what: `${found.lines.length} line(s)`, key: found.key, requestId: found.requestId }];
  const format = ctx.target.messageExtraction ? "one extracted message a line" : "one CloudWatch Logs envelope a line";
  if (problems.length > 0) return fail(RECORD_FORMAT, problems.join("; "), evidence);
  // Whether the per-account stream drops CloudWatch Logs' health checks is not documented: say what was seen.
  const control = controlMessageCount(found.lines);
  const seen = ctx.target.messageExtraction ? "" : `, ${control} CONTROL_MESSAGE line(s)`;
  return pass(
    RECORD_FORMAT,
    `${ctx.target.compression}, ${format}, ending ${ctx.target.objectExtension}${seen}`,
    evidence,
  );
}
