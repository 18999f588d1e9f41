// npm run check:package (CI, after npm run build:lib): the built package as a
// caller gets it. The example app (examples/embedded/main.ts) is bundled with
// "cwl-log-archive", cdktf, constructs and the AWS provider left external, so
// at run time Node resolves the package by name through its own "exports" to
// lib/index.js, and the library and the app share one cdktf. The example is
// then synthesised, and the declarations must name both composite constructs.
import { build } from "esbuild";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

function fail(message) {
  console.error(`check:package: ${message}`);
  process.exit(1);
}

const types = readFileSync("lib/index.d.ts", "utf8");
for (const name of ["LogArchive", "LogArchiveProps", "LogSource", "LogSourceProps"]) {
  if (!types.includes(name)) fail(`lib/index.d.ts does not declare ${name}`);
}

// Inside the package folder, so that Node's self-reference finds "exports".
const bundle = resolve("dist/check-package/example.js");
await build({
  entryPoints: ["examples/embedded/main.ts"],
  outfile: bundle,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  logLevel: "warning",
  // The repository's tsconfig maps the package name to the source; a caller has no such mapping.
  tsconfigRaw: {},
  external: ["cwl-log-archive", "cdktf", "constructs", "@cdktf/provider-aws", "@cdktf/provider-aws/*"],
});
const require = createRequire(import.meta.url);
const { buildExampleApp } = require(bundle);
if (!require.resolve("cwl-log-archive").endsWith(join("lib", "index.js")))
  fail("the package name does not resolve to lib/index.js");

const outdir = mkdtempSync(join(tmpdir(), "cwl-package-"));
try {
  buildExampleApp(outdir).synth();
  const stacks = readdirSync(join(outdir, "stacks")).sort();
  const read = (stack) => JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
  const archive = stacks.find((s) => s.includes("archive"));
  const workload = stacks.find((s) => s.includes("workload"));
  if (!archive || !read(archive).resource.aws_s3_bucket) fail(`no archive bucket in the example's stacks ${stacks}`);
  if (!workload || !read(workload).resource.aws_kinesis_firehose_delivery_stream) {
    fail(`no delivery stream in the example's stacks ${stacks}`);
  }
  console.log("check:package: the example app runs against the built package, embedding LogArchive and LogSource");
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
