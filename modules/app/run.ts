/**
 * The app's entry point logic: load the registry, build, synthesise
 * atomically. Bad input ends here with one clear message and a non-zero exit,
 * never a stack trace.
 */
import { RegistryError } from "../registry/errors";
import { loadRegistry, registryFileFromEnv } from "../registry/load";
import { atomicSynth } from "./atomic-synth";
import { buildApp } from "./build-app";
import { withoutTokenStackTraces } from "./token-stack-traces";

export interface RunResult {
  readonly exitCode: number;
}

export function run(env: NodeJS.ProcessEnv, stderr: (line: string) => void): RunResult {
  const outdir = env.CDKTF_OUTDIR ?? "cdktf.out";
  try {
    const registry = loadRegistry(registryFileFromEnv(env));
    withoutTokenStackTraces(() =>
      atomicSynth((staging) => buildApp(registry, { outdir: staging }), {
        outdir,
        removeOrphans: env.CDKTF_OUTDIR === undefined,
      }),
    );
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
