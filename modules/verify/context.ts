/** What every check of one run shares: the target, the marker, the ports, and what the run created. */
import type { Marker } from "./marker";
import type { Clock, ReaderPorts, VerifyPorts } from "./ports";
import type { VerifyTarget } from "./target";

export interface VerifyOptions {
  /** Added to the buffering interval (and the heartbeat interval) before a wait gives up. @default 5 minutes */
  readonly marginMs: number;
  /** Between two looks at the archive or the queue. @default 30 s */
  readonly pollMs: number;
  /** Other accounts whose prefixes are searched for a marker that did not arrive under its own. @default 50 */
  readonly maxScanAccounts: number;
}

export const DEFAULT_OPTIONS: VerifyOptions = { marginMs: 5 * 60_000, pollMs: 30_000, maxScanAccounts: 50 };

/** What a run created, written into the report so that `--cleanup` removes exactly that. */
export interface Created {
  readonly logGroups: { readonly name: string; readonly region: string; readonly accountId: string }[];
  readonly objects: { readonly bucket: string; readonly key: string; readonly versionId?: string }[];
}

/** The marker object, once the delivery check found it. */
export interface FoundMarker {
  readonly key: string;
  readonly lines: readonly string[];
  readonly requestId?: string;
  readonly serverSideEncryption?: string;
  readonly kmsKeyId?: string;
  readonly lastModified: Date;
}

export interface VerifyContext {
  readonly target: VerifyTarget;
  readonly marker: Marker;
  readonly ports: VerifyPorts;
  readonly options: VerifyOptions;
  /** When the marker event was written (epoch ms). */
  readonly startedAt: number;
  readonly created: Created;
  reader?: ReaderPorts;
  readerProblem?: string;
  /** The reader role could not be assumed for a reason that is not its trust (credentials, network, throttling). */
  readerInconclusive?: boolean;
  /** The log-analyst role's ports, once assumed (with Athena). */
  analyst?: ReaderPorts;
  analystProblem?: string;
  /** As readerInconclusive, for the log-analyst role. */
  analystInconclusive?: boolean;
  /** The newest trail object of the source today, once the trail check found it. */
  trailObject?: { readonly key: string; readonly lastModified: Date };
  found?: FoundMarker;
  bucketPolicy?: string;
  archiveKeyArn?: string;
}

/** Calls `attempt` until it returns a value or the deadline passes; sleeps on the injected clock. */
export async function poll<T>(
  clock: Clock,
  deadline: number,
  pollMs: number,
  attempt: () => Promise<T | undefined>,
): Promise<T | undefined> {
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    const left = deadline - clock.now();
    if (left <= 0) return undefined;
    await clock.sleep(Math.min(pollMs, left));
  }
}

/** The wait for something Firehose buffers: its interval plus the margin. */
export function deliveryDeadline(ctx: Pick<VerifyContext, "startedAt" | "target" | "options">): number {
  return ctx.startedAt + ctx.target.bufferingSeconds * 1000 + ctx.options.marginMs;
}

export const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
