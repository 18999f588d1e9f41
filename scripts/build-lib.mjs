// npm run build:lib (also npm's `prepare`, so an install from git or `npm pack`
// builds it): the library's package entry point.
//
//   1. esbuild bundles modules/index.ts into lib/index.js (CommonJS) with
//      cdktf, constructs and the AWS provider left external (they are peer
//      dependencies), so that a caller's app and this library share one
//      construct tree; nothing else is required at run time.
//   2. tsc writes the declarations of what modules/index.ts reaches into
//      dist/lib-types (build output, not shipped).
//   3. API Extractor rolls them up into the one lib/index.d.ts that ships, and
//      compares the public surface with the committed report
//      docs/api/cwl-log-archive.api.md. A type that a public declaration names
//      but modules/index.ts does not export ("forgotten export") fails the build.
//
//   node scripts/build-lib.mjs                 build; the report is not touched
//   node scripts/build-lib.mjs --check-api     build; exit 1 when the report is stale (npm test)
//   node scripts/build-lib.mjs --update-api    build and rewrite the report (npm run api)
import { Extractor, ExtractorConfig } from "@microsoft/api-extractor";
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const mode = process.argv.includes("--update-api")
  ? "update"
  : process.argv.includes("--check-api")
    ? "check"
    : "build";
const REPORT = "docs/api/cwl-log-archive.api.md";

rmSync(join(root, "lib"), { recursive: true, force: true });
rmSync(join(root, "dist/lib-types"), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ["modules/index.ts"],
  outfile: "lib/index.js",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: "linked",
  logLevel: "warning",
  legalComments: "none",
  external: ["cdktf", "constructs", "@cdktf/provider-aws", "@cdktf/provider-aws/*"],
});

// The project's own TypeScript (5.9), not a global one.
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const types = spawnSync(process.execPath, [tsc, "-p", "tsconfig.lib.json"], { cwd: root, stdio: "inherit" });
if (types.status !== 0) process.exit(types.status ?? 1);

const prepared = ExtractorConfig.prepare({
  configObject: ExtractorConfig.loadFile(join(root, "api-extractor.json")),
  configObjectFullPath: join(root, "api-extractor.json"),
  packageJsonFullPath: join(root, "package.json"),
});
// A plain build (prepare, npm ci) never writes the committed report: with the
// report off it is neither compared nor rewritten; --check-api compares it.
if (mode === "build") prepared.apiReportEnabled = false;
const result = Extractor.invoke(prepared, {
  localBuild: mode === "update",
  // API Extractor analyses with a TypeScript of its own; the system typings are the project's.
  typescriptCompilerFolder: dirname(dirname(tsc)),
  // Everything to stderr: `npm pack --json` runs this as `prepare`, and its stdout must stay JSON.
  messageCallback(message) {
    message.handled = true;
    if (message.logLevel === "none" || message.logLevel === "verbose" || message.logLevel === "info") return;
    console.error(`${message.logLevel}: ${message.formatMessageWithLocation(root)}`);
  },
});
if (!result.succeeded && mode === "build" && existsSync(join(root, "lib/index.d.ts"))) {
  // npm ci runs this as `prepare`: a public-surface error must not stop a
  // developer's install (or the synth that follows it). npm test runs
  // --check-api, which fails on the same errors.
  console.error(
    `build:lib: lib/ built, but API Extractor found ${result.errorCount} error(s) in the public declarations (above); npm test (check:api) fails on them.`,
  );
  process.exit(0);
}
if (!result.succeeded) {
  if (result.errorCount === 0 && result.apiReportChanged) {
    console.error(
      `build:lib: the public API changed and ${REPORT} is stale. If the change is intended, run \`npm run api\` and commit ${REPORT}.`,
    );
  } else {
    console.error(`build:lib: API Extractor found ${result.errorCount} error(s) in the public declarations (above).`);
  }
  process.exit(1);
}
if (mode === "update" && result.apiReportChanged) console.error(`build:lib: ${REPORT} rewritten; commit it.`);
console.error(`build:lib: lib/index.js and lib/index.d.ts${mode === "check" ? `; ${REPORT} is current` : ""}`);
