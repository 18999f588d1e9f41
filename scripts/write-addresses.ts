/**
 * npm run addresses: writes __tests__/fixtures/addresses/sample.json, every
 * resource address of every stack of the sample registry. The address test
 * compares each synthesis with it: a refactor that moves a resource to a new
 * address (which Terraform would destroy and recreate) fails the test unless
 * the fixture is regenerated on purpose, with `moved` blocks where needed.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../modules/app/build-app";
import { loadRegistry } from "../modules/registry/load";

export const ADDRESSES_FIXTURE = "__tests__/fixtures/addresses/sample.json";

const outdir = mkdtempSync(join(tmpdir(), "cwl-addresses-"));
try {
  buildApp(loadRegistry("examples/registries/sample/registry.yaml"), { outdir }).synth();
  const addresses: Record<string, string[]> = {};
  for (const stack of readdirSync(join(outdir, "stacks")).sort()) {
    const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as {
      resource: Record<string, Record<string, unknown>>;
    };
    addresses[stack] = Object.entries(json.resource)
      .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
      .sort();
  }
  writeFileSync(ADDRESSES_FIXTURE, `${JSON.stringify(addresses, null, 2)}\n`);
  // The fixture is checked in: keep it in the repository's format.
  spawnSync("npx", ["prettier", "--write", ADDRESSES_FIXTURE], { stdio: "ignore" });
  console.log(
    `wrote ${ADDRESSES_FIXTURE}: ${Object.values(addresses).flat().length} addresses in ${Object.keys(addresses).length} stacks`,
  );
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
