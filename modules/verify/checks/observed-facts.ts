/**
 * Facts of docs/limitations.md that only a live account shows: the trail's
 * objects, their key header and whether the readers decrypt them, flow-log
 * delivery under the account's own folder, replication of the marker
 * object, search delivery.
 */
import { prefixAt } from "../../naming/key-layout";
import { deliveryDeadline, poll, type VerifyContext } from "../context";
import type { ReaderPorts } from "../ports";
import {
  errorEvidence,
  fail,
  notApplicable,
  pass,
  type CheckResult,
  type Evidence,
  messageOf,
  judged,
} from "../result";

export const TRAIL = {
  id: "trail-objects",
  title: "Organization trail objects, their KMS key header, and the readers decrypting them",
};
export const FLOW_LOGS = { id: "flow-logs", title: "VPC Flow Logs under the account's own folder" };
export const REPLICATION = { id: "replication", title: "Marker object replicated" };
export const SEARCH = { id: "search-index", title: "Search index receives the marker" };

/** `YYYY/MM/DD/` of a UTC day: the date folders CloudTrail and VPC Flow Logs write. */
export function dayFolder(t: number): string {
  return prefixAt("!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/", new Date(t));
}

/**
 * Today's and yesterday's folders (UTC): just after midnight today's folder
 * is still empty, since CloudTrail delivers about every 5 minutes and flow
 * logs every 10 (or 1) minutes.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
 */
export function recentDayFolders(t: number): [string, string] {
  return [dayFolder(t), dayFolder(t - 24 * 3600_000)];
}

/** The objects under `root` + each recent day folder, newest first; the prefixes listed and the last request id. */
async function listRecent(ctx: VerifyContext, root: string) {
  const prefixes = recentDayFolders(ctx.ports.clock.now()).map((day) => `${root}${day}`);
  const objects = [];
  let requestId: string | undefined;
  for (const prefix of prefixes) {
    const listed = await ctx.ports.archive.s3.list(ctx.target.archiveBucket, prefix);
    objects.push(...listed.objects);
    requestId = listed.requestId ?? requestId;
  }
  objects.sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime());
  return { objects, requestId, where: prefixes.join(" or ") };
}

export async function checkTrail(ctx: VerifyContext): Promise<CheckResult> {
  const trail = ctx.target.trail;
  if (!trail) return notApplicable(TRAIL, "sources.cloudTrail is not enabled");
  const { s3 } = ctx.ports.archive;
  const [today, yesterday] = recentDayFolders(ctx.ports.clock.now());
  const prefix = `${trail.keyPrefix}{${today},${yesterday}}`;
  try {
    const listed = await listRecent(ctx, trail.keyPrefix);
    const newest = listed.objects[0];
    if (!newest) {
      return fail(
        TRAIL,
        `no trail object under ${listed.where} (today or yesterday, UTC; CloudTrail delivers about every 5 minutes)`,
        [{ what: "ListObjectsV2", requestId: listed.requestId }],
      );
    }
    const head = await s3.head(ctx.target.archiveBucket, newest.key);
    const evidence = [
      {
        what: "HeadObject of the newest trail object",
        requestId: head.requestId,
        key: newest.key,
        detail: `${head.serverSideEncryption ?? "none"}, key ${head.kmsKeyId ?? "none"}, bucket key ${String(head.bucketKeyEnabled ?? false)}`,
      },
    ];
    if (head.serverSideEncryption !== "aws:kms" || (ctx.archiveKeyArn && head.kmsKeyId !== ctx.archiveKeyArn)) {
      return fail(TRAIL, "the trail's objects are not encrypted with the archive key", evidence);
    }
    ctx.trailObject = { key: newest.key, lastModified: newest.lastModified };
    const refused = await trailReads(ctx, newest.key, evidence);
    if (refused.length > 0) {
      return fail(
        TRAIL,
        `${refused.join("; ")}: the key policy admits readers on the bucket's encryption context, which CloudTrail's objects may lack (see limitations.md)`,
        evidence,
      );
    }
    const readers = [ctx.target.athena ? "the log analyst" : "", ctx.target.trail?.siemReads ? "the SIEM reader" : ""]
      .filter(Boolean)
      .join(" and ");
    return pass(
      TRAIL,
      `the trail writes SSE-KMS objects with the archive key (its header was admitted by the bucket policy)${readers ? `; ${readers} read and decrypt them` : ""}`,
      evidence,
    );
  } catch (error) {
    return judged(
      error,
      fail(TRAIL, `cannot list or head ${prefix} with the log-archive credentials: ${messageOf(error)}`, [
        errorEvidence("ListObjectsV2/HeadObject", error),
      ]),
      "s3:ListBucket and GetObject in the log-archive account",
    );
  }
}

/**
 * GetObject of a trail object by each role that reads the trail: the log
 * analyst (with Athena) and the SIEM reader (with `notifySiem: [cloudtrail]`).
 * Returns why each that could not read it failed; adds the evidence.
 */
async function trailReads(ctx: VerifyContext, key: string, evidence: Evidence[]): Promise<string[]> {
  const readers: { who: string; ports?: ReaderPorts; problem?: string }[] = [];
  if (ctx.target.athena) readers.push({ who: "the log analyst", ports: ctx.analyst, problem: ctx.analystProblem });
  if (ctx.target.trail?.siemReads)
    readers.push({ who: "the SIEM reader", ports: ctx.reader, problem: ctx.readerProblem });
  const refused: string[] = [];
  for (const { who, ports, problem } of readers) {
    if (!ports) {
      refused.push(`${who} was not assumed (${problem ?? "no credentials"})`);
      continue;
    }
    try {
      const got = await ports.s3.get(ctx.target.archiveBucket, key);
      evidence.push({
        what: `GetObject as ${who}`,
        requestId: got.requestId,
        key,
        detail: `${got.body.length} bytes decrypted, ${got.serverSideEncryption ?? "none"}`,
      });
    } catch (error) {
      refused.push(`${who} cannot read ${key}: ${messageOf(error)}`);
      evidence.push(errorEvidence(`GetObject as ${who}`, error));
    }
  }
  return refused;
}

export async function checkFlowLogs(ctx: VerifyContext): Promise<CheckResult> {
  const flowLogs = ctx.target.flowLogs;
  if (!flowLogs) return notApplicable(FLOW_LOGS, "no VPC flow log of this account and Region in the registry");
  const [today, yesterday] = recentDayFolders(ctx.ports.clock.now());
  const prefix = `${flowLogs.keyPrefix}{${today},${yesterday}}`;
  try {
    const listed = await listRecent(ctx, flowLogs.keyPrefix);
    const first = listed.objects[0];
    if (!first) {
      return fail(
        FLOW_LOGS,
        `no flow-log object under ${listed.where} (today or yesterday, UTC; delivery every 10 minutes, only with traffic)`,
        [{ what: "ListObjectsV2", requestId: listed.requestId }],
      );
    }
    return pass(FLOW_LOGS, `${listed.objects.length} flow-log object(s) under the account's own folder`, [
      { what: "ListObjectsV2", requestId: listed.requestId, key: first.key },
    ]);
  } catch (error) {
    return judged(
      error,
      fail(FLOW_LOGS, `cannot list ${prefix} with the log-archive credentials: ${messageOf(error)}`, [
        errorEvidence("ListObjectsV2", error),
      ]),
      "s3:ListBucket in the log-archive account",
    );
  }
}

export async function checkReplication(ctx: VerifyContext): Promise<CheckResult> {
  if (!ctx.target.replicaBucket) return notApplicable(REPLICATION, "archive.replicaRegion is not set");
  const { found, reader } = ctx;
  if (!found || !reader) return notApplicable(REPLICATION, "no marker object (see delivery)");
  // S3 replicates most objects within 15 minutes (the RTC SLA); without RTC there is no bound.
  const deadline = Math.max(ctx.ports.clock.now(), deliveryDeadline(ctx)) + 15 * 60_000;
  let last = "";
  let requestId: string | undefined;
  try {
    const status = await poll(ctx.ports.clock, deadline, ctx.options.pollMs, async () => {
      const head = await reader.s3.head(ctx.target.archiveBucket, found.key);
      last = head.replicationStatus ?? "none";
      requestId = head.requestId;
      return last === "COMPLETED" || last === "FAILED" ? last : undefined;
    });
    const evidence = [{ what: `HeadObject: x-amz-replication-status ${last}`, requestId, key: found.key }];
    if (status === "COMPLETED") return pass(REPLICATION, `replicated to ${ctx.target.replicaBucket}`, evidence);
    return fail(REPLICATION, `replication status ${last}`, evidence);
  } catch (error) {
    return judged(
      error,
      fail(REPLICATION, `cannot read the marker object's replication status: ${messageOf(error)}`, [
        errorEvidence("HeadObject", error),
      ]),
      "s3:GetObject in the log-archive account",
    );
  }
}

export function checkSearch(ctx: VerifyContext): CheckResult {
  if (!ctx.target.search) return notApplicable(SEARCH, "search delivery is not enabled");
  return notApplicable(
    SEARCH,
    `not observed: the command does not query OpenSearch; search the index for "${ctx.marker.message}"`,
  );
}
