/**
 * The run's marker: everything the command creates is named after it, so
 * that `--cleanup` removes only what a run created and a reviewer can tell
 * the run's objects and log group from anything else.
 */
import { randomBytes } from "node:crypto";

export interface Marker {
  readonly runId: string;
  /** The fresh log group in the source account, subscribed like any other by the account-level policy. */
  readonly logGroup: string;
  readonly logStream: string;
  /** The one log event written into it. */
  readonly message: string;
  /** Where probes that must be refused would land if a denial failed: never a data prefix. */
  readonly probePrefix: string;
}

/** `20261204T214500Z-1a2b3c`: sortable, and unique enough for one sandbox. */
export function newRunId(now: number, random: () => string = () => randomBytes(3).toString("hex")): string {
  const stamp = new Date(now)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  return `${stamp}-${random()}`;
}

export function markerFor(prefix: string, runId: string): Marker {
  return {
    runId,
    logGroup: `/${prefix}/verify/${runId}`,
    logStream: "marker",
    message: `${prefix} verify marker ${runId}`,
    probePrefix: `verify/${runId}/`,
  };
}

/** A run id as `newRunId` makes it: anything else could widen what cleanup deletes. */
export const RUN_ID_PATTERN = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;

/**
 * Whether a name was made by the run `runId` (cleanup refuses anything else):
 * its marker log group, or a probe under its own `verify/<runId>/`, never
 * another run's.
 */
export function isMarkerName(prefix: string, runId: string, name: string): boolean {
  if (!RUN_ID_PATTERN.test(runId)) return false;
  const marker = markerFor(prefix, runId);
  return name === marker.logGroup || (name.startsWith(marker.probePrefix) && name.length > marker.probePrefix.length);
}
