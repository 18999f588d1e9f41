/**
 * Synthesis that never leaves a half-written `cdktf.out`: the App writes into
 * a staging directory next to the output, and only a complete result is moved
 * into place, one stack folder at a time (renames on the same file system).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

const STACKS = "stacks";

/** Staging directory used for `outdir`: a hidden sibling, git-ignored. */
export function stagingDir(outdir: string): string {
  const absolute = resolve(outdir);
  return join(dirname(absolute), `.${basename(absolute)}.staging-${process.pid}`);
}

export interface AtomicSynthOptions {
  /** Final output directory. */
  readonly outdir: string;
  /**
   * Remove stack folders that the new synthesis no longer has. The cdktf CLI
   * removes them itself after the app exits (and fails if they are already
   * gone), so this is off when running under the CLI.
   */
  readonly removeOrphans: boolean;
}

/**
 * Runs `synthesize(staging)`, which writes a complete cdktf output into the
 * staging directory, then publishes it. If synthesis throws, the output
 * directory is untouched and the staging directory removed.
 */
export async function atomicSynth(
  synthesize: (stagingOutdir: string) => void | Promise<void>,
  options: AtomicSynthOptions,
): Promise<void> {
  const staging = stagingDir(options.outdir);
  rmSync(staging, { recursive: true, force: true });
  // An interrupted run (main.ts exits on SIGINT and SIGTERM) leaves nothing behind either.
  const cleanup = () => {
    rmSync(staging, { recursive: true, force: true });
    rmSync(`${staging}.trash`, { recursive: true, force: true });
  };
  process.once("exit", cleanup);
  try {
    await synthesize(staging);
    publish(staging, resolve(options.outdir), options.removeOrphans);
  } finally {
    cleanup();
    process.removeListener("exit", cleanup);
  }
}

function publish(staging: string, outdir: string, removeOrphans: boolean): void {
  const newStacks = new Set(listDirs(join(staging, STACKS)));
  mkdirSync(join(outdir, STACKS), { recursive: true });
  const trash = `${staging}.trash`;
  mkdirSync(trash, { recursive: true });
  try {
    for (const stack of newStacks) {
      const target = join(outdir, STACKS, stack);
      if (existsSync(target)) renameSync(target, join(trash, stack));
      renameSync(join(staging, STACKS, stack), target);
    }
    for (const entry of readdirSync(staging)) {
      if (entry === STACKS) continue;
      const target = join(outdir, entry);
      rmSync(target, { recursive: true, force: true });
      renameSync(join(staging, entry), target);
    }
    if (removeOrphans) {
      for (const stack of listDirs(join(outdir, STACKS))) {
        if (!newStacks.has(stack)) rmSync(join(outdir, STACKS, stack), { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(trash, { recursive: true, force: true });
  }
}

function listDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}
