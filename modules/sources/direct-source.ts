/**
 * The seam every direct source (an AWS service or agent that writes straight
 * to the archive, or GuardDuty through CloudWatch Logs) plugs into: its
 * registry section, its folder under the archive and the statements of the
 * archive bucket's and archive key's policies that admit it, its Athena
 * tables and what it builds in the source accounts. The registry's schema
 * composes the sections in order and derives `notifySiem` from the roots; the
 * key layout (DIRECT_SOURCE_ROOTS), the archive (LogArchive, its Athena
 * tables), the key policies (key-statements.ts, shared with LogKeys) and
 * LogSource call every registered source in a loop (direct-sources.ts), so a
 * new source is its folder under modules/sources/ plus one line in
 * registered-sources.ts.
 */
import type { Construct } from "constructs";
import type { z } from "zod";
import type { DirectSourceTables, LogTablesInput, TableConfig } from "../archive/glue-table";
import type { SourceNames } from "../naming/names";
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
  /** Whether GuardDuty findings of this account go through a subscribed log group. */
  readonly guardDuty: boolean;
  /** The physical names of the pipeline in this account and Region. */
  readonly names: SourceNames;
}

/**
 * An EventBridge rule of the source account writing into a log group of the
 * pipeline, as the heartbeat does: LogSource builds it beside the heartbeat
 * (one resource policy for both, the pipeline key, a subscription like its own
 * log groups, tamper watches on the group and the rule).
 */
export interface SourceEventLog {
  /** Construct id under LogSource (part of the resource addresses). */
  readonly id: string;
  /** Sid of its statement in the shared CloudWatch Logs resource policy. */
  readonly sid: string;
  readonly logGroupName: string;
  readonly logGroupArn: string;
  /** Days the source account keeps the events (a CloudWatch Logs retention value). */
  readonly retentionDays: number;
  readonly ruleName: string;
  readonly ruleArn: string;
  /** Description of the rule. */
  readonly description: string;
  /** The events the rule matches. */
  readonly eventPattern: Record<string, unknown>;
}

export interface DirectSource {
  /** Its key under `sources:` of the registry, e.g. `cloudTrail`. */
  readonly registryKey: string;
  /**
   * Its registry section (shape, defaults, messages); semantics.ts checks what
   * spans sections. The section of a source with a root has a boolean
   * `enabled` (whether the registry lets the archive admit it).
   */
  registrySection(primitives: RegistryPrimitives): z.ZodType;
  /** Its name: its key in DIRECT_SOURCE_ROOTS, and how `notifySiem` names it. */
  readonly kind: string;
  /**
   * Its folder in the archive (`<kind>/`), which DIRECT_SOURCE_ROOTS, the
   * SIEM announcements (`notifySiem`) and the replay command take from here.
   * @default - it writes nothing straight to the archive (GuardDuty goes through CloudWatch Logs)
   */
  readonly root?: string;
  /**
   * What it builds in a source account and Region, added to LogSource itself
   * (scope), so that its resources keep their addresses.
   * @default - nothing in the source accounts
   */
  sourceParts?(scope: Construct, ctx: SourceSideContext): void;
  /**
   * The EventBridge-to-CloudWatch-Logs routes it needs in a source account
   * and Region, which LogSource builds with the heartbeat's (see SourceEventLog).
   * @default - none
   */
  eventLogs?(ctx: SourceSideContext): SourceEventLog[];
  /**
   * Its Athena tables over its folder; none when `direct` does not enable it.
   * @default - no table
   */
  athenaTables?(input: LogTablesInput, direct: DirectSourceTables): TableConfig[];
  /** Statements of the archive bucket's policy that let it write; none when ctx does not enable it. */
  bucketStatements(ctx: DirectSourcesContext): Statement[];
  /** Statements of the archive key's policy that let S3 encrypt for it; none when ctx does not enable it. */
  keyStatements(ctx: DirectSourcesContext): Statement[];
}
