/**
 * The seam every direct source (an AWS service or agent that writes straight
 * to the archive, not through CloudWatch Logs) plugs into: its folder under
 * the archive and the statements of the archive bucket's and archive key's
 * policies that admit it. The archive (LogArchive) and the key policies
 * (key-statements.ts, shared with LogKeys) call every registered source in a
 * loop (direct-sources.ts), so a new source is its folder under
 * modules/sources/ plus one line in that list.
 */
import type { DirectSourcesContext } from "../policy/direct-source-policies";
import type { Statement } from "../policy/document";

export interface DirectSource {
  /** Its root in the archive, a key of DIRECT_SOURCE_ROOTS (its objects live under `<kind>/`). */
  readonly kind: string;
  /** Statements of the archive bucket's policy that let it write; none when ctx does not enable it. */
  bucketStatements(ctx: DirectSourcesContext): Statement[];
  /** Statements of the archive key's policy that let S3 encrypt for it; none when ctx does not enable it. */
  keyStatements(ctx: DirectSourcesContext): Statement[];
}
