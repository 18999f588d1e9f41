// npm run scan: checkov over every synthesised stack.
// 1. installs the pinned checkov into .venv (git-ignored) if missing;
// 2. synthesises the registry in use (REGISTRY_FILE, or accounts/registry.yaml),
//    or with --corpus every fixture registry, into .scan/<name>/;
// 3. runs checkov's Terraform JSON scanner on each, and its CloudFormation
//    scanner on the templates the stacks hand to CloudFormation (StackSets);
// 4. fails on any failed check not matched by security/checkov-skips.yaml,
//    and, with --corpus, on any skip that matches nothing in the whole corpus.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { parse } from "yaml";

const CHECKOV_VERSION = "3.3.30";
const VENV = ".venv";
const CHECKOV = `${VENV}/bin/checkov`;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", ...options });
  if (result.status !== 0) {
    console.error(`scan: ${command} ${args.join(" ")} failed`);
    process.exit(result.status ?? 1);
  }
  return result;
}

function installedVersion() {
  if (!existsSync(CHECKOV)) return undefined;
  return spawnSync(CHECKOV, ["--version"], { encoding: "utf8" }).stdout.trim();
}

if (installedVersion() !== CHECKOV_VERSION) {
  console.log(`scan: installing checkov ${CHECKOV_VERSION} into ${VENV}/`);
  if (!existsSync(`${VENV}/bin/pip`)) run("python3", ["-m", "venv", VENV]);
  run(`${VENV}/bin/pip`, ["install", "--quiet", "--disable-pip-version-check", `checkov==${CHECKOV_VERSION}`]);
}

// `--corpus` scans the fixture registries, which together switch every option
// on and off: there a skip that matches nothing is stale and fails. Without it,
// the registry in use (REGISTRY_FILE, or accounts/registry.yaml): a skip for a
// feature that registry does not use is expected, and only listed.
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== "--corpus");
if (unknown.length > 0) {
  console.error(`scan: unknown argument ${unknown.join(" ")}; usage: npm run scan [-- --corpus]`);
  process.exit(2);
}
const corpus = args.includes("--corpus");
const registries = corpus
  ? [
      "examples/registries/sample/registry.yaml",
      "examples/registries/minimal.yaml",
      ...readdirSync("examples/registries")
        .filter((f) => /\.ya?ml$/.test(f) && f !== "minimal.yaml")
        .sort()
        .map((f) => `examples/registries/${f}`),
    ]
  : [process.env.REGISTRY_FILE || "accounts/registry.yaml"];

run("node", ["scripts/build.mjs"]);
rmSync(".scan", { recursive: true, force: true });
mkdirSync(".scan");
const reports = [];
for (const registry of registries) {
  const outdir = `.scan/${basename(registry).replace(/\.ya?ml$/, "")}`;
  console.log(`scan: synthesising ${registry} into ${outdir}`);
  run("node", ["dist/main.js"], { env: { ...process.env, REGISTRY_FILE: registry, CDKTF_OUTDIR: outdir } });
  // checkov 3.3 cannot parse Terraform's `removed` blocks nor
  // `terraform.required_version` (it skips the whole file as "Failed to parse
  // template"); they hold no security setting (addresses to forget, the
  // Terraform version), so the scratch copies are scanned without them.
  for (const stack of readdirSync(`${outdir}/stacks`)) {
    // policies.json repeats cdk.tf.json's policies for reviewers; checkov's
    // terraform_json framework would read it as Terraform and fail to parse it.
    rmSync(`${outdir}/stacks/${stack}/policies.json`, { force: true });
    const file = `${outdir}/stacks/${stack}/cdk.tf.json`;
    const json = JSON.parse(readFileSync(file, "utf8"));
    if (json.removed === undefined && json.terraform?.required_version === undefined) continue;
    delete json.removed;
    delete json.terraform?.required_version;
    writeFileSync(file, JSON.stringify(json, null, 2));
  }
  console.log(`scan: running checkov on ${outdir}`);
  reports.push(...checkov(`${outdir}/stacks`, "terraform_json"));
  // A StackSet's template is a string to Terraform, so the Terraform scanner
  // never looks inside it: each is written out as a CloudFormation template
  // (Terraform's $${ escapes undone) and scanned as what AWS deploys.
  const templates = `${outdir}/cloudformation`;
  for (const stack of readdirSync(`${outdir}/stacks`)) {
    const json = JSON.parse(readFileSync(`${outdir}/stacks/${stack}/cdk.tf.json`, "utf8"));
    for (const [name, stackSet] of Object.entries(json.resource?.aws_cloudformation_stack_set ?? {})) {
      mkdirSync(templates, { recursive: true });
      writeFileSync(`${templates}/${stack}.${name}.json`, stackSet.template_body.replace(/\$\$\{/g, "${"));
    }
  }
  if (existsSync(templates)) reports.push(...checkov(templates, "cloudformation"));
}

function checkov(directory, framework) {
  const scan = spawnSync(CHECKOV, ["-d", directory, "--framework", framework, "--quiet", "--compact", "-o", "json"], {
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (!scan.stdout) {
    console.error(scan.stderr);
    process.exit(1);
  }
  return [JSON.parse(scan.stdout)].flat();
}
// A file checkov could not parse is a file nothing was checked in: fail, never pass silently.
const unparsed = reports.reduce((n, r) => n + (r.summary?.parsing_errors ?? 0), 0);
if (unparsed > 0) {
  console.error(`scan: checkov could not parse ${unparsed} file(s); nothing in them was checked`);
  process.exit(1);
}
const failed = reports.flatMap((r) => r.results?.failed_checks ?? []);
const passed = reports.reduce((n, r) => n + (r.summary?.passed ?? 0), 0);

function globToRegExp(glob) {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
}

/**
 * "<type>.<name>" of a finding. For some Terraform JSON findings checkov prints
 * "resource.<name>" without the type; the type is then read from the stack.
 */
function resourceOf(check) {
  // CloudFormation findings name the resource "<AWS::Type>.<logical id>".
  if (check.resource.startsWith("AWS::")) return check.resource;
  const [type, name] = [check.resource.slice(0, check.resource.lastIndexOf(".")), check.resource.split(".").pop()];
  if (type !== "resource") return `${type}.${name}`;
  const stack = JSON.parse(readFileSync(check.file_abs_path, "utf8"));
  return `${Object.keys(stack.resource).find((t) => stack.resource[t][name]) ?? "unknown"}.${name}`;
}

const skips = parse(readFileSync("security/checkov-skips.yaml", "utf8"));
const used = new Set();
const unexplained = [];
const explained = new Map();
for (const check of failed) {
  const full = resourceOf(check);
  const index = skips.findIndex((s) => s.check === check.check_id && globToRegExp(s.resource).test(full));
  if (index === -1) unexplained.push(`${check.check_id} ${full} (${check.check_name}) in ${check.file_path}`);
  else {
    used.add(index);
    explained.set(index, (explained.get(index) ?? 0) + 1);
  }
}
const stale = skips.filter((_, i) => !used.has(i));

console.log(
  `\ncheckov ${CHECKOV_VERSION} over ${registries.length} registries: ${passed} passed, ${failed.length - unexplained.length} failed as documented, ${unexplained.length} failed unexplained`,
);
for (const [index, count] of [...explained.entries()].sort((a, b) => a[0] - b[0])) {
  const s = skips[index];
  console.log(`  skipped ${s.check} x${count} on ${s.resource}: ${s.reason}`);
}
for (const line of unexplained) console.error(`  FAILED ${line}`);
if (corpus) {
  for (const s of stale) console.error(`  STALE skip ${s.check} ${s.resource}: it matches no failed check; remove it`);
} else if (stale.length > 0) {
  console.log(`  ${stale.length} skip(s) concern features this registry does not use`);
}
if (unexplained.length > 0 || (corpus && stale.length > 0)) process.exit(1);
