// Composes only: see modules/app/run.ts. Workers of a parallel synthesis run
// this same bundled file.
import { run } from "./modules/app/run";

const bundled = __filename.endsWith(".js");
run(process.env, (line) => process.stderr.write(`${line}\n`), {
  workerScript: bundled ? __filename : undefined,
  progress: process.stderr,
}).then((result) => (process.exitCode = result.exitCode));
