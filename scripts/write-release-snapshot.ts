/**
 * npm run release:snapshot: records, for every registry of the corpus, each
 * protected resource of every stack (the plan gate's protected types) with
 * the arguments that would force its replacement. Taken at a release, it is
 * what __tests__/day-two/upgrade.test.ts compares HEAD with: an upgrade must
 * keep, or retire with a removed block, every protected resource a user of
 * that release has deployed.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execSync } from "node:child_process";
import { buildApp } from "../modules/app/build-app";
import { loadRegistry } from "../modules/registry/load";
import { FORCE_NEW } from "../__tests__/day-two/protected";

const REGISTRIES = [
  "examples/registries/sample/registry.yaml",
  "examples/registries/minimal.yaml",
  ...readdirSync("examples/registries")
    .filter((f) => /\.ya?ml$/.test(f) && f !== "minimal.yaml")
    .sort()
    .map((f) => `examples/registries/${f}`),
];

const snapshot: Record<string, Record<string, Record<string, Record<string, unknown>>>> = {};
for (const file of REGISTRIES) {
  const outdir = mkdtempSync(join(tmpdir(), "cwl-release-"));
  try {
    buildApp(loadRegistry(file), { outdir }).synth();
    const stacks: Record<string, Record<string, Record<string, unknown>>> = {};
    for (const stack of readdirSync(join(outdir, "stacks")).sort()) {
      const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
      const region = json.provider?.aws?.find((p: { alias?: string }) => p.alias === undefined)?.region;
      const kept: Record<string, Record<string, unknown>> = {};
      for (const [type, byName] of Object.entries(json.resource ?? {}) as [
        string,
        Record<string, Record<string, unknown>>,
      ][]) {
        const args = FORCE_NEW[type];
        if (!args) continue;
        for (const [name, config] of Object.entries(byName)) {
          kept[`${type}.${name}`] = Object.fromEntries(
            args
              .map((a) => [a, a === "region" ? (config.region ?? region) : config[a]])
              .filter(([, v]) => v !== undefined),
          );
        }
      }
      stacks[stack] = kept;
    }
    snapshot[file] = stacks;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
const commit = execSync("git rev-parse HEAD", { encoding: "utf8" }).trim();
const out = process.argv[2] ?? "__tests__/fixtures/release/protected.json";
writeFileSync(out, `${JSON.stringify({ commit, registries: snapshot }, null, 2)}\n`);
process.stdout.write(`wrote ${out} at ${commit}\n`);
