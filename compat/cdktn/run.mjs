// npm run compat:cdktn: builds this same source against CDK Terrain (cdktn and
// @cdktn/provider-aws, pinned in compat/cdktn/package-lock.json) by aliasing
// the cdktf packages at bundle time (no second copy of the code), synthesises
// a registry (REGISTRY_FILE or the sample) with both builds, and compares
// them. Every difference must be explained by an entry of
// compat/cdktn/expected-differences.json (a JSON path pattern and a reason);
// an unexplained difference, or an entry that explains nothing, fails.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const COMPAT = "compat/cdktn";
const MODULES = resolve(COMPAT, "node_modules");
const registries = process.env.REGISTRY_FILE
  ? [process.env.REGISTRY_FILE]
  : [
      "accounts/registry.yaml",
      "accounts/minimal.yaml",
      ...readdirSync("accounts/examples")
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => `accounts/examples/${f}`),
    ];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", ...options });
  if (result.status !== 0) {
    console.error(`compat:cdktn: ${command} ${args.join(" ")} failed`);
    process.exit(result.status ?? 1);
  }
}

// 1. The pinned CDK Terrain packages, installed from their own lockfile.
const lock = join(COMPAT, "package-lock.json");
const stamp = join(MODULES, ".package-lock.json");
if (!existsSync(stamp) || statSync(stamp).mtimeMs < statSync(lock).mtimeMs) {
  console.log("compat:cdktn: installing the pinned CDK Terrain packages");
  run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: COMPAT });
}

// 2. The source type-checks against cdktn's and @cdktn/provider-aws's
//    declarations (compat/cdktn/tsconfig.json maps the package names): a
//    class or argument the cdktn provider lacks fails here.
run("npx", ["tsc", "-p", join(COMPAT, "tsconfig.json")]);

// 3. The app, bundled with cdktf -> cdktn, @cdktf/provider-aws -> @cdktn/provider-aws,
//    and the constructs package cdktn was built with (one construct tree).
await build({
  entryPoints: ["main.ts"],
  outfile: join(COMPAT, "dist/main.js"),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  logLevel: "warning",
  legalComments: "none",
  alias: {
    cdktf: join(MODULES, "cdktn"),
    "@cdktf/provider-aws": join(MODULES, "@cdktn/provider-aws"),
    constructs: join(MODULES, "constructs"),
  },
});
run("node", ["scripts/build.mjs"]);

// 4. Both builds, every registry of the corpus.
const out = mkdtempSync(join(tmpdir(), "cwl-compat-"));
const differences = [];
let stackCount = 0;
try {
  for (const [index, registry] of registries.entries()) {
    mkdirSync(join(out, String(index)));
    for (const [name, bundle] of [
      ["cdktf", "dist/main.js"],
      ["cdktn", join(COMPAT, "dist/main.js")],
    ]) {
      run("node", [bundle], {
        env: { ...process.env, REGISTRY_FILE: registry, CDKTF_OUTDIR: join(out, String(index), name) },
      });
    }
    stackCount += compareRegistry(join(out, String(index)), registry);
  }

  const expected = JSON.parse(readFileSync(join(COMPAT, "expected-differences.json"), "utf8"));
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
    `compat:cdktn: ${stackCount} stacks of ${registries.length} registries, ${differences.length} differences`,
  );
  for (const [i, e] of expected.entries()) {
    if (used.has(i)) console.log(`  explained: ${e.path}: ${e.reason}`);
  }
  for (const d of unexplained) {
    console.error(`  UNEXPLAINED ${d.path}: cdktf ${JSON.stringify(d.cdktf)} / cdktn ${JSON.stringify(d.cdktn)}`);
  }
  const stale = expected.filter((_, i) => !used.has(i));
  for (const e of stale) console.error(`  STALE ${e.path}: explains no difference; remove it`);
  if (unexplained.length > 0 || stale.length > 0) process.exit(1);
} finally {
  rmSync(out, { recursive: true, force: true });
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
    console.error(`compat:cdktn: ${registry}: stacks differ: ${stacks} vs ${cdktnStacks}`);
    process.exit(1);
  }
  for (const stack of stacks) {
    const read = (name) => strip(JSON.parse(readFileSync(join(dir, name, "stacks", stack, "cdk.tf.json"), "utf8")));
    compare(read("cdktf"), read("cdktn"), `${registry} ${stack}`);
  }
  return stacks.length;
}
