/**
 * The registered direct sources, in the order their statements appear in the
 * bucket and key policies (changing it rewrites both policies). A new source:
 * its folder under modules/sources/ and one line here.
 */
import type { DirectSourcesContext } from "../policy/direct-source-policies";
import type { Statement } from "../policy/document";
import { agentsSource } from "./agents/agents-policies";
import { configSource } from "./config/config-policies";
import type { DirectSource } from "./direct-source";
import { trailSource } from "./trail/trail-policies";
import { vpcFlowLogsSource } from "./vpc-flow-logs/vpc-flow-logs-policies";

export const DIRECT_SOURCE_KINDS: readonly DirectSource[] = [
  trailSource,
  configSource,
  agentsSource,
  vpcFlowLogsSource,
];

/** The archive bucket's statements of every direct source ctx enables. */
export function directSourceBucketStatements(
  ctx: DirectSourcesContext,
  sources: readonly DirectSource[] = DIRECT_SOURCE_KINDS,
): Statement[] {
  return sources.flatMap((source) => source.bucketStatements(ctx));
}

/**
 * The services write with the bucket's default encryption, so S3 uses the
 * archive key on their behalf: the key policy must admit each of them, for
 * the archive bucket only.
 */
export function directSourceKeyStatements(
  ctx: DirectSourcesContext,
  sources: readonly DirectSource[] = DIRECT_SOURCE_KINDS,
): Statement[] {
  return sources.flatMap((source) => source.keyStatements(ctx));
}
