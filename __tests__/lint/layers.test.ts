/**
 * The library's layers are enforced by eslint (eslint.config.mjs): a
 * construct that imports the registry, or a pure module that imports cdktf,
 * fails `npm run lint`. Each case lints a one-line file at the path where it
 * would live.
 */
import { spawnSync } from "node:child_process";

type Case = readonly [filePath: string, code: string];

const FAILING: Case[] = [
  ["modules/archive/x.ts", 'import type { Registry } from "../registry/parse";'],
  ["modules/source/x.ts", 'import { sourceSettings } from "../registry/settings";'],
  ["modules/monitoring/x.ts", 'import { LogArchiveStack } from "../stacks/log-archive-stack";'],
  ["modules/constructs/x.ts", 'import { buildApp } from "../app/build-app";'],
  ["modules/guardrails/x.ts", 'import { guardrailsEnabled } from "../registry/settings";'],
  ["modules/naming/x.ts", 'import { TerraformStack } from "cdktf";'],
  ["modules/policy/x.ts", 'import { Construct } from "constructs";'],
  ["modules/policy/x.ts", 'import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";'],
  ["modules/naming/x.ts", 'import { SecureBucket } from "../constructs/secure-bucket";'],
  ["modules/stacks/x.ts", 'import { S3Bucket } from "@cdktf/provider-aws";'],
];

const PASSING: Case[] = [
  ["modules/archive/x.ts", 'import { archiveNames } from "../naming/names";'],
  ["modules/source/x.ts", 'import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";'],
  ["modules/stacks/x.ts", 'import type { Registry } from "../registry/parse";'],
  ["modules/naming/x.ts", 'import type { Statement } from "../policy/document";'],
];

/**
 * Lints every case with the project's eslint.config.mjs in one child process
 * (jest cannot load an ES module config) and returns, per case, the
 * no-restricted-imports messages.
 */
function lint(cases: readonly Case[]): string[][] {
  const script = `
    const { ESLint } = require("eslint");
    const cases = JSON.parse(process.argv[1]);
    (async () => {
      const eslint = new ESLint();
      const out = [];
      for (const [filePath, code] of cases) {
        const [result] = await eslint.lintText(code + "\\nexport const x = 1;\\n", { filePath });
        out.push(result.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message));
      }
      process.stdout.write(JSON.stringify(out));
    })();`;
  const run = spawnSync(process.execPath, ["-e", script, JSON.stringify(cases)], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[][];
}

describe("layers", () => {
  const failing = lint(FAILING);
  const passing = lint(PASSING);

  test.each(FAILING.map((c, i) => [...c, i] as const))("fails on %s: %s", (_file, _code, i) => {
    expect(failing[i]).toHaveLength(1);
  });

  test.each(PASSING.map((c, i) => [...c, i] as const))("admits %s: %s", (_file, _code, i) => {
    expect(passing[i]).toEqual([]);
  });
});
