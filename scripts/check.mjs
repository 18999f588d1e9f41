// npm run check: proves an organization's own registry (REGISTRY_FILE, or
// accounts/registry.yaml), the command an adopter's CI runs:
//   1. the registry loads and every stack synthesises (cdktf.out left alone);
//   2. the registry-generic tests over its stacks: the AWS apply-time rule
//      catalogue, the policy catalogue, key policies, confused-deputy
//      conditions, the security matrix derived from the registry, the
//      pipeline's own log groups never subscribed, apply order, alarms that
//      can fire and recover;
//   3. atlantis.yaml is what `npm run atlantis` writes for it (when present);
//   4. checkov over its stacks (npm run scan).
// Every step runs; the exit code is non-zero when any fails.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const registry = process.env.REGISTRY_FILE || "accounts/registry.yaml";
const env = { ...process.env, REGISTRY_FILE: registry };

/** The tests whose assertions hold for any registry (fixture-only assertions skip themselves). */
const GENERIC_TESTS = [
  "__tests__/aws-rules",
  "__tests__/security/policy-catalogue.test.ts",
  "__tests__/security/key-policy-uses.test.ts",
  "__tests__/security/confused-deputy.test.ts",
  "__tests__/security/registry-matrix.test.ts",
  "__tests__/naming/pipeline-log-groups.test.ts",
  "__tests__/app/apply-order.test.ts",
  "__tests__/behaviour/alarms-over-timelines.test.ts",
];

const results = [];
/** Runs one step; a command exiting with `skippedStatus` compared nothing and is reported as skipped. */
function step(name, command, args, extraEnv = {}, skippedStatus = undefined) {
  console.log(`\n== check: ${name}`);
  const run = spawnSync(command, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  const skipped = skippedStatus !== undefined && run.status === skippedStatus;
  results.push({ name, ok: run.status === 0 || skipped, skipped });
  return run.status === 0;
}

const scratch = mkdtempSync(join(tmpdir(), "cwl-check-"));
try {
  step("build", "node", ["scripts/build.mjs"]);
  const loads = step(`${registry} synthesises`, "node", ["dist/main.js"], { CDKTF_OUTDIR: join(scratch, "out") });
  if (loads) {
    step("registry-generic tests over its stacks", "npx", ["jest", ...GENERIC_TESTS], { CWL_CHECK_REGISTRY: registry });
    if (step("build the atlantis.yaml check", "node", ["scripts/build.mjs", "scripts/check-atlantis.ts"])) {
      // Status 3: no atlantis.yaml, or one written for another registry (see check-atlantis.ts).
      step("atlantis.yaml is up to date", "node", ["dist/scripts/check-atlantis.js"], {}, 3);
    }
    step("checkov", "node", ["scripts/scan.mjs"]);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`\ncheck of ${registry}:`);
for (const r of results) console.log(`  ${r.skipped ? "skip" : r.ok ? "ok  " : "FAIL"} ${r.name}`);
if (results.some((r) => !r.ok)) process.exit(1);
