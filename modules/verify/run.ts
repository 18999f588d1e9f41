/**
 * One verification run: the checks in the order their evidence builds up
 * (the reader roles first, then the marker, then what the marker object proves).
 * Every check runs, whatever the others found; each says pass, fail or
 * not applicable.
 */
import { DEFAULT_OPTIONS, type Created, type VerifyContext, type VerifyOptions } from "./context";
import { markerFor } from "./marker";
import type { VerifyPorts } from "./ports";
import { fail, pass, type CheckResult } from "./result";
import { stackProblems } from "./stacks";
import type { VerifyTarget } from "./target";
import { checkDelivery, checkRecordFormat, writeMarker } from "./checks/delivery";
import { assumeReader, checkNotification, checkReaderReads, checkReaderRefusedWithoutExternalId } from "./checks/siem";
import {
  checkAdminCannotRead,
  checkDeliveryDeleteDenied,
  checkDeliveryOtherPrefixDenied,
  checkDeliveryReadDenied,
  checkReaderCannotWrite,
  checkSourceCannotRead,
  checkSseS3PutDenied,
  checkWrongKeyPutDenied,
} from "./checks/denials";
import { checkFlowLogs, checkReplication, checkSearch, checkTrail } from "./checks/observed-facts";
import { checkAlarms, checkHeartbeat, checkWatch } from "./checks/monitoring";
import { assumeAnalyst, checkAthenaCloudTrail, checkAthenaQuery } from "./checks/athena";

export const STACKS = { id: "stacks", title: "Synthesised stacks of the registry" };

export interface RunOutcome {
  readonly runId: string;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly checks: readonly CheckResult[];
  readonly created: Created;
}

/** The registry's stacks, synthesised, name what the command looks for. */
export function checkStacks(target: VerifyTarget, synthesised: ReadonlyMap<string, unknown>): CheckResult {
  const problems = stackProblems(target, synthesised);
  if (problems.length > 0) {
    return fail(STACKS, `${problems.join("; ")} (run npx cdktf synth with the same registry)`);
  }
  return pass(
    STACKS,
    `${target.stacks.join(" and ")} name the bucket, queue and roles checked here`,
    target.stacks.map((s) => ({ what: `cdktf.out/stacks/${s}/cdk.tf.json` })),
  );
}

export async function runVerify(
  target: VerifyTarget,
  ports: VerifyPorts,
  runId: string,
  synthesised: ReadonlyMap<string, unknown>,
  options: VerifyOptions = DEFAULT_OPTIONS,
): Promise<RunOutcome> {
  const startedAt = ports.clock.now();
  const ctx: VerifyContext = {
    target,
    marker: markerFor(target.prefix, runId),
    ports,
    options,
    startedAt,
    created: { logGroups: [], objects: [] },
  };
  const checks: CheckResult[] = [checkStacks(target, synthesised)];
  try {
    ctx.archiveKeyArn = (await ports.archive.s3.bucketKey(target.archiveBucket)).kmsKeyId;
  } catch {
    // Reported by the checks that need it (the denials read it again with the bucket policy).
  }
  checks.push(await assumeReader(ctx));
  checks.push(await checkReaderRefusedWithoutExternalId(ctx));
  checks.push(await assumeAnalyst(ctx));
  const written = await writeMarker(ctx);
  checks.push(Array.isArray(written) ? await checkDelivery(ctx, written) : written);
  checks.push(checkRecordFormat(ctx));
  checks.push(await checkNotification(ctx));
  checks.push(checkReaderReads(ctx));
  checks.push(await checkSseS3PutDenied(ctx));
  checks.push(await checkWrongKeyPutDenied(ctx));
  checks.push(await checkAdminCannotRead(ctx));
  checks.push(await checkSourceCannotRead(ctx));
  checks.push(await checkReaderCannotWrite(ctx));
  checks.push(await checkDeliveryOtherPrefixDenied(ctx));
  checks.push(await checkDeliveryReadDenied(ctx));
  checks.push(await checkDeliveryDeleteDenied(ctx));
  checks.push(await checkTrail(ctx));
  checks.push(await checkAthenaCloudTrail(ctx));
  checks.push(await checkFlowLogs(ctx));
  checks.push(await checkReplication(ctx));
  checks.push(checkSearch(ctx));
  checks.push(await checkAthenaQuery(ctx));
  checks.push(await checkHeartbeat(ctx));
  checks.push(await checkWatch(ctx));
  checks.push(await checkAlarms(ctx));
  return { runId, startedAt, finishedAt: ports.clock.now(), checks, created: ctx.created };
}
