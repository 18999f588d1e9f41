// accounts/ ships as a copy of the sample registry (examples/registries/sample/),
// the one the tests and the generated docs use. While accounts/ still holds
// the sample (same organization id), every file must equal the sample's but
// for its first line (the $schema comment, relative to where the file is):
// this repository's CI runs it so that the two never drift. Once accounts/
// holds an organization's own registry, there is nothing to compare.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const SAMPLE = "examples/registries/sample";
const SHIPPED = "accounts";

const organizationId = (file) => /^organization:\s*\n\s+id:\s*(\S+)/m.exec(readFileSync(file, "utf8"))?.[1];
const body = (file) => readFileSync(file, "utf8").split("\n").slice(1).join("\n");

if (organizationId(join(SHIPPED, "registry.yaml")) !== organizationId(join(SAMPLE, "registry.yaml"))) {
  console.log(`${SHIPPED}/ holds an organization's own registry: not compared with the sample`);
  process.exit(0);
}
const files = ["registry.yaml", ...readdirSync(join(SAMPLE, "sources")).map((f) => `sources/${f}`)];
const shippedSources = existsSync(join(SHIPPED, "sources")) ? readdirSync(join(SHIPPED, "sources")) : [];
const problems = [
  ...files.filter((f) => !existsSync(join(SHIPPED, f)) || body(join(SHIPPED, f)) !== body(join(SAMPLE, f))),
  ...shippedSources.map((f) => `sources/${f}`).filter((f) => !files.includes(f)),
];
if (problems.length > 0) {
  console.error(`${SHIPPED}/ differs from ${SAMPLE}/ (copy the sample's change to both): ${problems.join(", ")}`);
  process.exit(1);
}
console.log(`${SHIPPED}/ is the sample registry of ${SAMPLE}/`);
