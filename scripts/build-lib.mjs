// npm run build:lib: the library's package entry point. esbuild bundles
// modules/index.ts into lib/index.js (CommonJS) with cdktf, constructs and
// the AWS provider left external, so that a caller's app and this library
// share one construct tree; tsc writes the declarations (lib/index.d.ts).
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";

rmSync("lib", { recursive: true, force: true });
await build({
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
const tsc = spawnSync("npx", ["tsc", "-p", "tsconfig.lib.json"], { stdio: "inherit" });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
console.log("build:lib: lib/index.js and lib/index.d.ts");
