/**
 * Synthesis across processes. The parent validated the registry already; each
 * worker is the same bundled app, started with CWL_SYNTH_SHARD=<i>/<n> and an
 * output directory, and builds only its share of the stacks. The parent builds
 * shard 0 meanwhile, then merges the outputs.
 */
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Registry } from "../registry/parse";
import { buildApp, stackNames } from "./build-app";
import { mergeShards } from "./merge-shards";
import { POLICIES_FILE, renderPolicies, stackPolicies } from "./policies-file";
import { PROGRESS_MARKER } from "./progress";
import { shardStacks } from "./shards";

export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/**
 * Builds and synthesises one shard into `outdir`: each stack's cdk.tf.json,
 * and its policies.json beside it.
 */
export function synthShard(
  registry: Registry,
  shard: ShardSpec,
  outdir: string,
  stacks = stackNames(registry),
  onStackSynthesized?: () => void,
): void {
  const only = new Set(shardStacks(stacks, shard.index, shard.count));
  // Written as each stack is turned into Terraform JSON, so that no stack's
  // policies are held until the end (15 MB at 3,001 stacks). The stack folder
  // then moves whole, from a shard to the staging folder to the output.
  const onStackTerraform = (stack: string, terraform: unknown) => {
    const dir = join(outdir, "stacks", stack);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, POLICIES_FILE), renderPolicies(stackPolicies(terraform)));
  };
  buildApp(registry, { outdir, only, onStackSynthesized, onStackTerraform }).synth();
}

function runWorker(script: string, env: NodeJS.ProcessEnv, onStack?: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    let partial = "";
    // Progress markers are counted; every other line is kept for the error message.
    child.stderr.on("data", (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop()!;
      for (const line of lines) {
        if (line === PROGRESS_MARKER) onStack?.();
        else stderr += `${line}\n`;
      }
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`synthesis worker ${env.CWL_SYNTH_SHARD} failed (${code}):\n${stderr}`)),
    );
  });
}

/**
 * Synthesises every stack into `outdir` with `count` processes. `script` is
 * the bundled app that workers run; `env` carries REGISTRY_FILE and ACCOUNTS.
 */
export async function parallelSynth(
  registry: Registry,
  outdir: string,
  count: number,
  script: string,
  env: NodeJS.ProcessEnv,
  stacks = stackNames(registry),
  onStack?: () => void,
): Promise<void> {
  const shardDir = (index: number) => `${outdir}.shard-${index}`;
  try {
    const workers = Array.from({ length: count - 1 }, (_, i) =>
      runWorker(
        script,
        {
          ...env,
          CWL_SYNTH_SHARD: `${i + 1}/${count}`,
          CWL_SYNTH_OUTDIR: shardDir(i + 1),
          ...(onStack ? { CWL_SYNTH_PROGRESS: "1" } : {}),
        },
        onStack,
      ),
    );
    // Wait for every worker even if one fails, so none writes after cleanup.
    const settled = Promise.allSettled(workers);
    synthShard(registry, { index: 0, count }, shardDir(0), stacks, onStack);
    for (const result of await settled) if (result.status === "rejected") throw result.reason;
    mergeShards(
      Array.from({ length: count }, (_, i) => shardDir(i)),
      outdir,
    );
  } finally {
    for (let i = 0; i < count; i++) rmSync(shardDir(i), { recursive: true, force: true });
  }
}
