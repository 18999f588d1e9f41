/**
 * The freshness check of the committed-output Atlantis mode covers
 * policies.json: a committed stack whose policies.json is missing or is not
 * what the synthesis writes fails `npm run check:committed`, naming the stack
 * and the file.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compareStacks, describeDifference } from "../../modules/app/committed-output";
import { POLICIES_FILE } from "../../modules/app/policies-file";
import { run } from "../../modules/app/run";
import { SAMPLE_REGISTRY } from "../helpers/corpus";
import { scratchDir } from "../helpers/scratch";

const STACK = "log-source-482019375610-eu-west-1";

/** A copy of the sample registry in the committed mode, synthesised into `<copy>/cdktf.out`. */
async function committedSample(): Promise<{ registryFile: string; stacksDir: string }> {
  const dir = scratchDir("cwl-committed-policies-");
  cpSync(join(SAMPLE_REGISTRY, ".."), dir, { recursive: true });
  const registryFile = join(dir, "registry.yaml");
  const text = readFileSync(registryFile, "utf8");
  writeFileSync(registryFile, text.replace("deployment:\n", "deployment:\n  atlantisMode: committed\n"));
  const result = await run({ REGISTRY_FILE: registryFile, CDKTF_OUTDIR: join(dir, "cdktf.out") }, () => {});
  expect(result.exitCode).toBe(0);
  return { registryFile, stacksDir: join(dir, "cdktf.out", "stacks") };
}

/** A copy of a synthesis's stacks, as a repository would commit them. */
function commit(stacksDir: string): string {
  const committed = join(scratchDir("cwl-committed-copy-"), "stacks");
  cpSync(stacksDir, committed, { recursive: true });
  return committed;
}

/** policies.json of `stack` as an older synthesis wrote it: its first document one statement shorter. */
function makeStale(stacksDir: string, stack: string): void {
  const file = join(stacksDir, stack, POLICIES_FILE);
  const policies = JSON.parse(readFileSync(file, "utf8")) as Record<string, { Statement: unknown[] }>;
  Object.values(policies)[0]!.Statement.pop();
  writeFileSync(file, `${JSON.stringify(policies, undefined, 2)}\n`);
}

describe("the freshness check of committed stacks, for policies.json", () => {
  let fresh: { registryFile: string; stacksDir: string };
  beforeAll(async () => {
    fresh = await committedSample();
  });

  test("passes when every stack's cdk.tf.json and policies.json are the synthesis's", () => {
    expect(describeDifference(compareStacks(commit(fresh.stacksDir), fresh.stacksDir))).toEqual([]);
  });

  test("fails on a stale policies.json, naming the stack and the file", () => {
    // GIVEN committed stacks where only one policies.json is stale
    const committed = commit(fresh.stacksDir);
    makeStale(committed, STACK);
    // WHEN they are compared with the synthesis
    const difference = compareStacks(committed, fresh.stacksDir);
    // THEN that file, and only it, is named
    expect(difference.changed).toEqual([]);
    expect(describeDifference(difference)).toEqual([`${STACK}: committed policies.json differs from npx cdktf synth`]);
  });

  test("fails on a stack committed without its policies.json", () => {
    const committed = commit(fresh.stacksDir);
    rmSync(join(committed, STACK, POLICIES_FILE));
    expect(describeDifference(compareStacks(committed, fresh.stacksDir))).toEqual([
      `${STACK}: policies.json not committed (npx cdktf synth writes it beside cdk.tf.json)`,
    ]);
  });

  test("names both files of a stack whose cdk.tf.json and policies.json are stale", () => {
    const committed = commit(fresh.stacksDir);
    makeStale(committed, STACK);
    writeFileSync(join(committed, STACK, "cdk.tf.json"), "{}");
    expect(describeDifference(compareStacks(committed, fresh.stacksDir))).toEqual([
      `${STACK}: committed cdk.tf.json differs from npx cdktf synth`,
      `${STACK}: committed policies.json differs from npx cdktf synth`,
    ]);
  });

  describe("npm run check:committed", () => {
    beforeAll(() => execFileSync("node", ["scripts/build.mjs", "scripts/check-committed.ts"], { stdio: "pipe" }));

    const check = (committedDir: string) =>
      spawnSync("node", ["dist/scripts/check-committed.js"], {
        env: { ...process.env, REGISTRY_FILE: fresh.registryFile, COMMITTED_STACKS_DIR: committedDir },
        encoding: "utf8",
      });

    test("passes on the committed synthesis, policies.json included", () => {
      const result = check(commit(fresh.stacksDir));
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      expect(result.stdout).toContain("is current");
    });

    test("fails on a stale policies.json, naming it", () => {
      const committed = commit(fresh.stacksDir);
      makeStale(committed, STACK);
      const result = check(committed);
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(
        `check:committed: ${committed} is not what npx cdktf synth produces; run it and commit cdktf.out/stacks:\n` +
          `  ${STACK}: committed policies.json differs from npx cdktf synth\n`,
      );
    });
  });
});
