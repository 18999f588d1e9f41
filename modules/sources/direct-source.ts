/**
 * The seam every direct source (an AWS service or agent that writes straight
 * to the archive, or GuardDuty through CloudWatch Logs) plugs into: its
 * registry section, its folder under the archive and the statements of the
 * archive bucket's and archive key's policies that admit it. The registry's
 * schema composes the sections in order. The archive (LogArchive) and the key policies
 * (key-statements.ts, shared with LogKeys) call every registered source in a
 * loop (direct-sources.ts), so a new source is its folder under
 * modules/sources/ plus one line in that list.
 */
import type { Construct } from "constructs";
import type { z } from "zod";
import type { DirectSourcesContext } from "../policy/direct-source-policies";
import type { Statement } from "../policy/document";

/**
 * The registry's own field types a section builds on, handed in by the
 * registry's schema (a source's folder never imports the registry).
 */
export interface RegistryPrimitives {
  /** A 12-digit account id, as a quoted string. */
  readonly accountId: z.ZodString;
  /** An AWS Region name. */
  readonly region: z.ZodString;
  /** An IAM role name. */
  readonly roleName: RegExp;
}

/** What LogSource hands every direct source in a source account and Region. */
export interface SourceSideContext {
  /** ARN of the archive bucket (derived from names; no state is read). */
  readonly archiveBucketArn: string;
  /** VPC ids of this Region whose flow logs go to the archive. */
  readonly vpcFlowLogs: readonly string[];
}

export interface DirectSource {
  /** Its key under `sources:` of the registry, e.g. `cloudTrail`. */
  readonly registryKey: string;
  /** Its registry section (shape, defaults, messages); semantics.ts checks what spans sections. */
  registrySection(primitives: RegistryPrimitives): z.ZodType;
  /** Its root in the archive, a key of DIRECT_SOURCE_ROOTS (its objects live under `<kind>/`). */
  readonly kind: string;
  /**
   * What it builds in a source account and Region, added to LogSource itself
   * (scope), so that its resources keep their addresses.
   * @default - nothing in the source accounts
   */
  sourceParts?(scope: Construct, ctx: SourceSideContext): void;
  /** Statements of the archive bucket's policy that let it write; none when ctx does not enable it. */
  bucketStatements(ctx: DirectSourcesContext): Statement[];
  /** Statements of the archive key's policy that let S3 encrypt for it; none when ctx does not enable it. */
  keyStatements(ctx: DirectSourcesContext): Statement[];
}
