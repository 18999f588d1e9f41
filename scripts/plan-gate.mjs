// The plan gate (security/plan-gate, docs/plan-gate.md) from the command line.
//
//   npm run gate:test               format and compatibility checks, then `opa test security/plan-gate -v`
//   npm run gate -- <plan.json>...  evaluate plans (`terraform show -json <planfile>`): prints every
//                                   denial and warning, exits 1 when anything is denied
//
// OPA is built from the Go module proxy into .tools/bin (git-ignored) when it is
// missing or not the pinned version: `go install` needs Go, and takes minutes
// on a cold Go cache (3m37s measured on 2 cores, 2026-12). OPA=<path> uses
// another binary instead.
// @see https://www.openpolicyagent.org/docs/policy-testing
// @see https://pkg.go.dev/cmd/go#hdr-Compile_and_install_packages_and_dependencies
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

const OPA_VERSION = "1.22.4";
const TOOLS_BIN = resolve(".tools/bin");
const GATE_DIR = "security/plan-gate";
const POLICY_DIR = `${GATE_DIR}/policy`;
// The oldest OPA the policy must load on: `import rego.v1` needs 0.59.0.
// @see https://www.openpolicyagent.org/docs/v0-compatibility
const OLDEST_OPA = "v0.59.0";

function fail(message, status = 2) {
  console.error(`gate: ${message}`);
  process.exit(status);
}

function run(command, args) {
  const result = spawnSync(command, args, { stdio: "inherit" });
  if (result.error) fail(`${command}: ${result.error.message}`);
  if (result.status !== 0) fail(`${command} ${args.join(" ")} failed`, result.status ?? 1);
}

function versionOf(binary) {
  const result = spawnSync(binary, ["version"], { encoding: "utf8" });
  if (result.status !== 0) return undefined;
  return /^Version: (\S+)$/m.exec(result.stdout)?.[1];
}

function opaBinary() {
  if (process.env.OPA) {
    if (!versionOf(process.env.OPA)) fail(`OPA=${process.env.OPA} does not run`);
    return process.env.OPA;
  }
  const opa = `${TOOLS_BIN}/opa`;
  if (existsSync(opa) && versionOf(opa) === OPA_VERSION) return opa;
  if (spawnSync("go", ["version"]).status !== 0) {
    fail(`OPA ${OPA_VERSION} is built with Go, which is not installed: install Go, or set OPA=<path to opa>`);
  }
  console.error(`gate: building OPA ${OPA_VERSION} into .tools/bin (minutes on a cold Go cache)`);
  mkdirSync(TOOLS_BIN, { recursive: true });
  const build = spawnSync("go", ["install", `github.com/open-policy-agent/opa@v${OPA_VERSION}`], {
    stdio: "inherit",
    env: { ...process.env, GOBIN: TOOLS_BIN },
  });
  if (build.status !== 0) fail(`go install github.com/open-policy-agent/opa@v${OPA_VERSION} failed`);
  if (versionOf(opa) !== OPA_VERSION) fail(`${opa} is not OPA ${OPA_VERSION} after the build`);
  return opa;
}

function test() {
  const opa = opaBinary();
  run(opa, ["fmt", "--list", "--fail", GATE_DIR]);
  // Valid as both Rego v0 (with its rego.v1 import) and v1, and loadable by
  // OPA 0.59: older conftest and HCP Terraform runtimes read it too.
  run(opa, ["check", "--strict", "--v0-v1", POLICY_DIR]);
  run(opa, ["check", "--v0-compatible", "--capabilities", OLDEST_OPA, POLICY_DIR]);
  run(opa, ["test", GATE_DIR, "-v"]);
}

/** The plan JSON in a file: refuses what is not one, naming the file. */
function readPlan(file) {
  let plan;
  try {
    plan = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    fail(`${file}: ${error.message} (give the output of \`terraform show -json <planfile>\`)`);
  }
  if (typeof plan !== "object" || plan === null || typeof plan.format_version !== "string") {
    fail(
      `${file}: not a Terraform plan JSON (no format_version): give the output of \`terraform show -json <planfile>\``,
    );
  }
  // The plan JSON's major version changes only for incompatible formats.
  // @see https://developer.hashicorp.com/terraform/internals/json-format
  if (!plan.format_version.startsWith("1.")) fail(`${file}: plan format_version ${plan.format_version} is not 1.x`);
  if (!Array.isArray(plan.resource_changes ?? [])) fail(`${file}: resource_changes is not a list`);
  return plan;
}

function evaluate(files) {
  if (files.length === 0) fail("usage: npm run gate -- <plan.json>... (terraform show -json <planfile> > plan.json)");
  const plans = files.map(readPlan);
  const opa = opaBinary();
  let denied = 0;
  files.forEach((file, i) => {
    const result = spawnSync(
      opa,
      [
        "eval",
        "--format",
        "json",
        "--data",
        POLICY_DIR,
        "--stdin-input",
        '{"deny": data.main.deny, "warn": data.main.warn}',
      ],
      { input: JSON.stringify(plans[i]), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
    if (result.status !== 0) fail(`${file}: opa eval failed: ${result.stderr.trim()}`);
    const { deny, warn } = JSON.parse(result.stdout).result[0].expressions[0].value;
    denied += deny.length;
    console.log(`${file}: ${deny.length === 0 ? "passes" : `${deny.length} denied`}`);
    for (const message of [...deny].sort()) console.log(`  deny: ${message}`);
    for (const message of [...warn].sort()) console.log(`  warn: ${message}`);
  });
  if (denied > 0) process.exit(1);
}

const [command, ...args] = process.argv.slice(2);
if (command === "test") test();
else if (command === "eval") evaluate(args);
else fail("usage: node scripts/plan-gate.mjs test | eval <plan.json>...");
