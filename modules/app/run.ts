/**
 * The app's entry point logic: load the registry, choose the stacks,
 * synthesise them (in several processes when there are many), publish the
 * output atomically. Bad input ends here with one clear message and a
 * non-zero exit, never a stack trace.
 */
import { availableParallelism } from "node:os";
import { RegistryError } from "../registry/errors";
import { loadRegistry, registryFileFromEnv } from "../registry/load";
import { atomicSynth } from "./atomic-synth";
import { stackNames } from "./build-app";
import { parallelSynth, synthShard } from "./parallel-synth";
import { progressOn, PROGRESS_MARKER, type ProgressStream } from "./progress";
import { parseShard, workerCount } from "./shards";
import { subsetStacks } from "./subset";
import { withoutTokenStackTraces } from "./token-stack-traces";

export interface RunResult {
  readonly exitCode: number;
}

export interface RunOptions {
  /**
   * The bundled app file, which worker processes run. Workers are only used
   * from the bundle (under ts-node there is no file a worker could start).
   * @default - one process
   */
  readonly workerScript?: string;
  /**
   * Where progress goes: written only when it is a terminal.
   * @default - no progress
   */
  readonly progress?: ProgressStream;
}

export async function run(
  env: NodeJS.ProcessEnv,
  stderr: (line: string) => void,
  options: RunOptions = {},
): Promise<RunResult> {
  const outdir = env.CDKTF_OUTDIR ?? "cdktf.out";
  const keepStackTraces = env.CWL_TOKEN_STACK_TRACES === "1";
  try {
    const registry = loadRegistry(registryFileFromEnv(env));
    if (env.CWL_SYNTH_SHARD) {
      // A worker of a parallel synthesis: the parent chose the stacks and publishes.
      const stacks = subsetStacks(env.ACCOUNTS, registry, env.CWL_SYNTH_OUTDIR!) ?? stackNames(registry);
      const marker = env.CWL_SYNTH_PROGRESS === "1" ? () => options.progress?.write(`${PROGRESS_MARKER}\n`) : undefined;
      withoutTokenStackTraces(
        () => synthShard(registry, parseShard(env.CWL_SYNTH_SHARD!), env.CWL_SYNTH_OUTDIR!, stacks, marker),
        keepStackTraces,
      );
      return { exitCode: 0 };
    }
    const stacks = subsetStacks(env.ACCOUNTS, registry, outdir) ?? stackNames(registry);
    const workers = options.workerScript
      ? workerCount(stacks.length, availableParallelism(), env.CWL_SYNTH_WORKERS)
      : 1;
    const progress = progressOn(options.progress, stacks.length);
    const onStack = progress ? () => progress.add() : undefined;
    await withoutTokenStackTraces(
      () =>
        atomicSynth(
          (staging) =>
            workers > 1
              ? parallelSynth(
                  registry,
                  staging,
                  workers,
                  options.workerScript!,
                  { ...env, CWL_SYNTH_WORKERS: "1" },
                  stacks,
                  onStack,
                )
              : synthShard(registry, { index: 0, count: 1 }, staging, stacks, onStack),
          { outdir, removeOrphans: env.CDKTF_OUTDIR === undefined },
        ),
      keepStackTraces,
    );
    progress?.finish();
    return { exitCode: 0 };
  } catch (error) {
    if (error instanceof RegistryError) {
      stderr(`Registry error${error.problems.length > 1 ? "s" : ""} (cdktf.out left unchanged):`);
      stderr(error.message);
      return { exitCode: 1 };
    }
    throw error;
  }
}
