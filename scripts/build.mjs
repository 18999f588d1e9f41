// Bundles the app (main.ts) into dist/main.js with esbuild: a fast transpile
// without type checking (npm test type-checks). One bundled file also loads
// much faster than thousands of provider modules resolved one by one.
import { build } from "esbuild";

const entryPoints = process.argv.slice(2);
await build({
  entryPoints: entryPoints.length > 0 ? entryPoints : ["main.ts"],
  outdir: "dist",
  outbase: ".",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: "linked",
  logLevel: "warning",
  legalComments: "none",
});
