/**
 * What the registered direct sources (registered-sources.ts) contribute,
 * each through its DirectSource: registry sections, roots, bucket and key
 * statements, Athena tables, source-account parts. Every function takes the
 * list (the registered one by default), so a test can add a source.
 */
import type { Construct } from "constructs";
import type { DirectSourceTables, LogTablesInput, TableConfig } from "../archive/glue-table";
import type { DirectSourcesContext } from "../policy/direct-source-policies";
import type { Statement } from "../policy/document";
import type { DirectSource, RegistryPrimitives, SourceEventLog, SourceSideContext } from "./direct-source";
import { DIRECT_SOURCE_KINDS } from "./registered-sources";

export { DIRECT_SOURCE_KINDS };

/** The roots of a list of sources, by kind: those that write straight to the archive. */
export type DirectSourceRoots<L extends readonly DirectSource[]> = {
  readonly [S in L[number] as S extends { readonly root: string } ? S["kind"] : never]: S extends {
    readonly root: infer R;
  }
    ? R
    : never;
};

/** `T` written out (its keys and values), rather than by the name of the type that computes it. */
type Expanded<T> = T extends infer O ? { [K in keyof O]: O[K] } : never;

/**
 * The roots of any list of sources, keyed by their kind, in the registered
 * order. Its type is written out, so that the declarations show the roots
 * (as DIRECT_SOURCE_ROOTS always did), not the sources' own types.
 */
export function directSourceRoots<L extends readonly DirectSource[]>(sources: L): Expanded<DirectSourceRoots<L>> {
  return Object.fromEntries(
    sources.flatMap((source) => (source.root === undefined ? [] : [[source.kind, source.root]])),
  ) as Expanded<DirectSourceRoots<L>>;
}

/**
 * Roots of the AWS services (and agents) that deliver straight to the archive
 * (never the CloudWatch Logs data prefix), by the kind `notifySiem` names:
 * each registered source's own.
 */
export const DIRECT_SOURCE_ROOTS = directSourceRoots(DIRECT_SOURCE_KINDS);

/** A direct source by the name `notifySiem` uses. */
export type DirectSourceKind = keyof typeof DIRECT_SOURCE_ROOTS;

/** The sources `notifySiem` can name (those with a root), in the registered order. */
export function announceableKinds(sources: readonly DirectSource[] = DIRECT_SOURCE_KINDS): [string, ...string[]] {
  const kinds = sources.flatMap((source) => (source.root === undefined ? [] : [source.kind]));
  if (kinds.length === 0) throw new Error("expected at least one registered direct source with a root");
  return kinds as [string, ...string[]];
}

/** What the registry's `sources.notifySiem` accepts: the registered sources with a root. */
export const ANNOUNCEABLE_KINDS = announceableKinds() as readonly [DirectSourceKind, ...DirectSourceKind[]];

/** The roots the SIEM queue announces besides cloudwatch-logs/: those of the sources notifySiem names. */
export function announcedRoots(
  notifySiem: readonly string[],
  sources: readonly DirectSource[] = DIRECT_SOURCE_KINDS,
): string[] {
  const roots: Readonly<Record<string, string>> = directSourceRoots(sources);
  return notifySiem.map((kind) => {
    const root = roots[kind];
    if (root === undefined)
      throw new Error(`expected a registered direct source with a root, got ${JSON.stringify(kind)}`);
    return root;
  });
}

/** The kinds (with a root) whose bucket statements ctx enables: the sources the archive admits. */
export function admittedKinds(
  ctx: DirectSourcesContext,
  sources: readonly DirectSource[] = DIRECT_SOURCE_KINDS,
): ReadonlySet<string> {
  return new Set(
    sources.filter((source) => source.root !== undefined && source.bucketStatements(ctx).length > 0).map((s) => s.kind),
  );
}

/**
 * The kinds (with a root) whose registry section says `enabled: true`: the
 * sources a registry lets the archive admit (every source with a root has an
 * `enabled` switch in its section).
 */
export function enabledKinds(
  sections: Readonly<Record<string, unknown>>,
  sources: readonly DirectSource[] = DIRECT_SOURCE_KINDS,
): ReadonlySet<string> {
  return new Set(
    sources
      .filter((source) => source.root !== undefined)
      .filter((source) => {
        const enabled = (sections[source.registryKey] as { readonly enabled?: unknown } | undefined)?.enabled;
        if (typeof enabled !== "boolean") {
          throw new Error(
            `expected the ${source.registryKey} section of a source with a root to have an enabled switch`,
          );
        }
        return enabled;
      })
      .map((source) => source.kind),
  );
}

/** The Athena tables of every direct source `direct` enables, in the registered order. */
export function directSourceTables(
  input: LogTablesInput,
  direct: DirectSourceTables,
  sources: readonly DirectSource[] = DIRECT_SOURCE_KINDS,
): TableConfig[] {
  return sources.flatMap((source) => source.athenaTables?.(input, direct) ?? []);
}

/** The EventBridge-to-CloudWatch-Logs routes of every direct source ctx enables. */
export function directSourceEventLogs(
  ctx: SourceSideContext,
  sources: readonly DirectSource[] = DIRECT_SOURCE_KINDS,
): SourceEventLog[] {
  return sources.flatMap((source) => source.eventLogs?.(ctx) ?? []);
}

/** What every direct source builds in a source account and Region, added to `scope` (LogSource). */
export function addDirectSourceParts(
  scope: Construct,
  ctx: SourceSideContext,
  sources: readonly DirectSource[] = DIRECT_SOURCE_KINDS,
): void {
  for (const source of sources) source.sourceParts?.(scope, ctx);
}

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
