/**
 * Splitting the stacks of one synthesis across processes. Pure: which stacks
 * a shard builds depends only on the sorted stack names and the shard count,
 * so every process agrees without talking to the others.
 */

/** Stacks below which one process is faster than starting others. */
export const MIN_STACKS_PER_WORKER = 150;

/** Shard `index` of `count`: every `count`-th stack name, in sorted order. */
export function shardStacks(sortedStackNames: readonly string[], index: number, count: number): string[] {
  return sortedStackNames.filter((_, position) => position % count === index);
}

/**
 * How many processes to use: one per core, but only when each gets enough
 * stacks to pay for its start-up, and `CWL_SYNTH_WORKERS` overrides it.
 */
export function workerCount(stacks: number, cores: number, override?: string): number {
  if (override !== undefined && override.trim() !== "") {
    const n = Number(override);
    if (!Number.isInteger(n) || n < 1 || n > 64) {
      throw new RangeError(`CWL_SYNTH_WORKERS must be an integer from 1 to 64, got ${JSON.stringify(override)}`);
    }
    return Math.min(n, Math.max(1, stacks));
  }
  return Math.max(1, Math.min(cores, Math.floor(stacks / MIN_STACKS_PER_WORKER)));
}

/** `CWL_SYNTH_SHARD=<index>/<count>` as passed to a worker. */
export function parseShard(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index >= count) throw new RangeError(`invalid CWL_SYNTH_SHARD ${JSON.stringify(value)}`);
  return { index, count };
}
