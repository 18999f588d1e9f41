// npm run check:package (CI): the package as someone outside the repository
// gets it, one command.
//
//   1. `npm pack` (which runs `prepare`, the library build) into a temporary
//      folder; the tarball holds only the built entry point (lib/index.js, its
//      source map, the rolled-up lib/index.d.ts), package.json and the README:
//      no source, test or fixture.
//   2. For each peer set below, a fresh app in the system's temporary
//      directory (outside the repository, removed afterwards) installs the
//      tarball with its own cdktf, constructs and @cdktf/provider-aws from the
//      registry. npm refuses peers outside the package's peerDependencies
//      ranges (ERESOLVE), so an install that succeeds proves the set is in
//      range. The app must hold one copy of each peer (one construct tree).
//      The app (scripts/package-app/main.ts) is compiled with strict
//      TypeScript against the installed declarations only (skipLibCheck off,
//      so lib/index.d.ts is checked too), run, and its output checked: an
//      archive bucket with SSE-KMS in the archive stack, and in the source
//      stack a Firehose delivering to that bucket.
//   3. Every set synthesises the same stacks as the pinned set, apart from the
//      AWS provider version the binding declares.
//   4. For every set but the pinned one, the library's source is type-checked
//      against that set's peers: every argument the library passes to a
//      provider resource exists in that binding (a binding serialises only the
//      arguments it knows, so a missing one would be dropped silently).
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const PEERS = Object.keys(manifest.peerDependencies);
const TSC = createRequire(import.meta.url).resolve("typescript/bin/tsc");

/**
 * The pinned set is the repository's own (devDependencies). The other set
 * takes the far ends of the ranges that the registry serves: the oldest
 * binding of the AWS provider the range admits (21.0.0, AWS provider 6.0.0)
 * and the newest constructs 10. cdktf ^0.21.0 has one release, 0.21.0
 * (cdktf was archived in December 2025).
 */
const PEER_SETS = [
  { name: "pinned", versions: Object.fromEntries(PEERS.map((p) => [p, manifest.devDependencies[p]])) },
  { name: "range", versions: { "@cdktf/provider-aws": "21.0.0", cdktf: "0.21.0", constructs: "10.8.1" } },
];
/**
 * A set outside the ranges (constructs below cdktf's own floor): npm must
 * refuse it, so that an app cannot end up with a second construct tree.
 */
const OUT_OF_RANGE = { "@cdktf/provider-aws": "21.22.1", cdktf: "0.21.0", constructs: "10.3.0" };
/** What the tarball may hold. */
const PACKED = ["README.md", "lib/index.d.ts", "lib/index.js", "lib/index.js.map", "package.json"];

function fail(message) {
  console.error(`check:package: ${message}`);
  process.exit(1);
}

function run(command, args, cwd, what) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    process.stderr.write(result.stdout ?? "");
    process.stderr.write(result.stderr ?? "");
    fail(`${what} failed (${command} ${args.join(" ")}, in ${cwd})`);
  }
  return result.stdout;
}

const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));
const started = Date.now();
const seconds = () => `${Math.round((Date.now() - started) / 1000)}s`;
const work = mkdtempSync(join(tmpdir(), "cwl-package-check-"));
// Removed however the check ends (fail() exits): the fresh apps leave nothing behind.
process.once("exit", () => rmSync(work, { recursive: true, force: true }));

// 1. The tarball.
const [packed] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], ROOT, "npm pack"));
const files = packed.files.map((f) => f.path).sort();
if (JSON.stringify(files) !== JSON.stringify(PACKED)) {
  fail(`the tarball holds ${files.join(", ")}; expected exactly ${PACKED.join(", ")} (package.json "files")`);
}
const tarball = join(work, packed.filename);
console.log(`check:package: ${packed.filename}, ${files.length} files, ${packed.size} bytes (${seconds()})`);

// 2. A fresh app per peer set, and one that npm must refuse.
const outputs = PEER_SETS.map((set) => checkApp(set, tarball));
refusedOutOfRange(tarball);

// 3. The same stacks from every set.
for (let i = 1; i < outputs.length; i++) {
  const a = JSON.stringify(outputs[0]);
  const b = JSON.stringify(outputs[i]);
  if (a !== b) {
    fail(
      `the ${PEER_SETS[i].name} peers synthesise other stacks than the ${PEER_SETS[0].name} ones: ${firstDifference(outputs[0], outputs[i])}`,
    );
  }
}
console.log(
  `check:package: every peer set synthesises the same stacks, apart from the AWS provider version (${seconds()})`,
);

function freshApp(name, tarball, versions) {
  const app = join(work, `app-${name}`);
  mkdirSync(app);
  const dependencies = { "cwl-log-archive": `file:${tarball}`, ...versions };
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: `fresh-app-${name}`, version: "1.0.0", private: true, dependencies }),
  );
  return app;
}

function refusedOutOfRange(tarball) {
  const app = freshApp("out-of-range", tarball, OUT_OF_RANGE);
  const result = spawnSync("npm", ["install", "--no-audit", "--no-fund"], { cwd: app, encoding: "utf8" });
  if (result.status === 0 || !/ERESOLVE/.test(result.stderr)) {
    fail(
      `npm installed the package with constructs ${OUT_OF_RANGE.constructs}, outside its peer range, or failed otherwise:\n${result.stderr}`,
    );
  }
  console.log(
    `check:package: npm refuses constructs ${OUT_OF_RANGE.constructs}, outside the peer range (ERESOLVE) (${seconds()})`,
  );
}

function checkApp(set, tarball) {
  const app = freshApp(set.name, tarball, set.versions);
  run(
    "npm",
    ["install", "--no-audit", "--no-fund", "--loglevel=error"],
    app,
    `npm install of the tarball with the ${set.name} peers`,
  );
  for (const [name, version] of Object.entries(set.versions)) {
    const installed = readJson(join(app, "node_modules", name, "package.json")).version;
    if (installed !== version) fail(`${set.name}: ${name} ${installed} installed, ${version} asked for`);
  }
  const nested = join(app, "node_modules", "cwl-log-archive", "node_modules");
  if (existsSync(nested))
    fail(`${set.name}: the package brought its own ${readdirSync(nested).join(", ")}: two construct trees`);

  copyFileSync(join(ROOT, "scripts/package-app/main.ts"), join(app, "main.ts"));
  writeFileSync(
    join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "commonjs",
        moduleResolution: "node",
        lib: ["ES2022"],
        types: [],
        strict: true,
        skipLibCheck: false,
        outDir: "dist",
      },
      files: ["main.ts"],
    }),
  );
  run(process.execPath, [TSC, "-p", "tsconfig.json"], app, `${set.name}: compiling the app against lib/index.d.ts`);
  run(process.execPath, ["dist/main.js"], app, `${set.name}: synthesising the app`);
  const stacks = Object.fromEntries(
    readdirSync(join(app, "cdktf.out", "stacks"))
      .sort()
      .map((stack) => [stack, readJson(join(app, "cdktf.out", "stacks", stack, "cdk.tf.json"))]),
  );
  checkOutput(set, stacks);
  if (set !== PEER_SETS[0]) typecheckSourceAgainst(set, app);
  console.log(
    `check:package: ${set.name} peers (${Object.entries(set.versions)
      .map(([n, v]) => `${n} ${v}`)
      .join(", ")}): installed, compiled, synthesised (${seconds()})`,
  );
  return normalised(stacks);
}

/** The archive bucket, encrypted with KMS, and the source's Firehose writing into it. */
function checkOutput(set, stacks) {
  const archive = stacks.archive?.resource ?? fail(`${set.name}: no archive stack`);
  const source = stacks.source?.resource ?? fail(`${set.name}: no source stack`);
  const buckets = Object.values(archive.aws_s3_bucket ?? {}).map((b) => b.bucket);
  const streams = Object.values(source.aws_kinesis_firehose_delivery_stream ?? {});
  if (streams.length !== 1) fail(`${set.name}: ${streams.length} Firehose streams in the source stack, expected 1`);
  const target = streams[0].extended_s3_configuration?.bucket_arn;
  const archiveBucket = buckets.find((name) => target === `arn:aws:s3:::${name}`);
  if (!archiveBucket)
    fail(`${set.name}: the Firehose writes to ${target}, not to a bucket of the archive stack (${buckets.join(", ")})`);
  const kms = Object.values(archive.aws_s3_bucket_server_side_encryption_configuration ?? {}).some((c) =>
    c.rule?.some?.((r) => r.apply_server_side_encryption_by_default?.sse_algorithm === "aws:kms"),
  );
  if (!kms) fail(`${set.name}: no bucket of the archive stack is encrypted with aws:kms`);
}

/**
 * A stack without what legitimately differs between peer sets: the binding's
 * provider version, and the local backend's state path (each app's own folder).
 */
function normalised(stacks) {
  const copy = JSON.parse(JSON.stringify(stacks));
  for (const stack of Object.values(copy)) {
    if (stack.terraform?.required_providers?.aws) delete stack.terraform.required_providers.aws.version;
    if (stack.terraform?.backend?.local) delete stack.terraform.backend.local.path;
  }
  return copy;
}

function firstDifference(a, b, path = "") {
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null)
    return `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) return firstDifference(a[key], b[key], `${path}.${key}`);
  }
  return path;
}

/** modules/index.ts and all it reaches, type-checked against another set's cdktf, constructs and provider. */
function typecheckSourceAgainst(set, app) {
  const modulesOf = (name) => join(app, "node_modules", name);
  const config = join(work, `tsconfig.${set.name}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      extends: join(ROOT, "tsconfig.lib.json"),
      compilerOptions: {
        noEmit: true,
        emitDeclarationOnly: false,
        declaration: false,
        baseUrl: ROOT,
        typeRoots: [join(ROOT, "node_modules/@types")],
        paths: {
          cdktf: [modulesOf("cdktf")],
          constructs: [modulesOf("constructs")],
          "@cdktf/provider-aws/*": [`${modulesOf("@cdktf/provider-aws")}/*`],
        },
      },
      files: [join(ROOT, "modules/index.ts")],
    }),
  );
  run(
    process.execPath,
    [TSC, "-p", config],
    ROOT,
    `${set.name}: type-checking the library's source against these peers`,
  );
}
