/**
 * The registered direct sources, in the order their statements appear in the
 * bucket and key policies (changing it rewrites both policies) and their
 * sections in the registry. A new source: its folder under modules/sources/
 * and one entry in DIRECT_SOURCE_KINDS.
 */
import type { DirectSourcesContext } from "../policy/direct-source-policies";
import type { Statement } from "../policy/document";
import { agentsSource } from "./agents/agents-source";
import { configSource } from "./config/config-source";
import type { DirectSource, RegistryPrimitives } from "./direct-source";
import { guardDutySource } from "./guardduty/guardduty-source";
import { trailSource } from "./trail/trail-source";
import { vpcFlowLogsSource } from "./vpc-flow-logs/vpc-flow-logs-source";

export const DIRECT_SOURCE_KINDS = [
  trailSource,
  configSource,
  agentsSource,
  vpcFlowLogsSource,
  guardDutySource,
] as const satisfies readonly DirectSource[];

/**
 * Registry keys of the built-in sources, whose settings LogArchive and
 * LogSource take as typed props (directSources.trail, guardDuty, ...). Every
 * other registered source's section reaches its statements as it is, through
 * directSources.sections.
 */
export const TYPED_SOURCE_SETTINGS: ReadonlySet<string> = new Set([
  "cloudTrail",
  "config",
  "agents",
  "vpcFlowLogs",
  "guardDuty",
]);

/** The registry sections of the registered sources without typed settings, by registryKey; undefined when none. */
export function untypedSections(sources: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  const sections = Object.fromEntries(
    (DIRECT_SOURCE_KINDS as readonly DirectSource[])
      .filter((source) => !TYPED_SOURCE_SETTINGS.has(source.registryKey))
      .map((source) => [source.registryKey, sources[source.registryKey]]),
  );
  return Object.keys(sections).length > 0 ? sections : undefined;
}

/** The registry sections of a list of sources, keyed by each one's registryKey. */
export type DirectSourceSections<L extends readonly DirectSource[]> = {
  [S in L[number] as S["registryKey"]]: ReturnType<S["registrySection"]>;
};

/** The registry sections of `sources` (the schema spreads them), in the registered order. */
export function directSourceSections(primitives: RegistryPrimitives): DirectSourceSections<typeof DIRECT_SOURCE_KINDS> {
  return registrySectionsOf(primitives, DIRECT_SOURCE_KINDS);
}

/** The registry sections of any list of sources, keyed by their registryKey. */
export function registrySectionsOf<L extends readonly DirectSource[]>(
  primitives: RegistryPrimitives,
  sources: L,
): DirectSourceSections<L> {
  return Object.fromEntries(
    sources.map((source) => [source.registryKey, source.registrySection(primitives)]),
  ) as DirectSourceSections<L>;
}

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
