/**
 * npm run check:committed (CI): in the committed-output Atlantis mode, fails
 * unless cdktf.out/stacks holds exactly what `npx cdktf synth` produces for
 * the registry (REGISTRY_FILE or the sample): every stack's cdk.tf.json and
 * policies.json. In the synthesize mode there is nothing committed to check.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compareStacks, describeDifference } from "../modules/app/committed-output";
import { synthShard } from "../modules/app/parallel-synth";
import { withoutTokenStackTraces } from "../modules/app/token-stack-traces";
import { RegistryError } from "../modules/registry/errors";
import { loadRegistry, registryFileFromEnv } from "../modules/registry/load";

const committedDir = process.env.COMMITTED_STACKS_DIR ?? "cdktf.out/stacks";
try {
  const registryFile = registryFileFromEnv(process.env);
  const registry = loadRegistry(registryFile);
  if (registry.deployment.atlantisMode !== "committed") {
    process.stdout.write(
      `check:committed: ${registryFile} uses deployment.atlantisMode synthesize; nothing is committed\n`,
    );
  } else {
    const outdir = mkdtempSync(join(tmpdir(), "cwl-committed-"));
    try {
      // The synthesis of npx cdktf synth in one process: cdk.tf.json and policies.json.
      withoutTokenStackTraces(() => synthShard(registry, { index: 0, count: 1 }, outdir), false);
      const problems = describeDifference(compareStacks(committedDir, join(outdir, "stacks")));
      if (problems.length > 0) {
        process.stderr.write(
          `check:committed: ${committedDir} is not what npx cdktf synth produces; run it and commit cdktf.out/stacks:\n`,
        );
        for (const line of problems) process.stderr.write(`  ${line}\n`);
        process.exitCode = 1;
      } else {
        process.stdout.write(`check:committed: ${committedDir} is current\n`);
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }
} catch (error) {
  if (!(error instanceof RegistryError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
