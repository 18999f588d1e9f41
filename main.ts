// Composes only: see modules/app/run.ts. Workers of a parallel synthesis run
// this same bundled file.
import { run } from "./modules/app/run";

// Ctrl-C, or a runner's SIGTERM, ends the process through process.exit: the
// cleanups registered for 'exit' run (the staging folder, the Lambda packages
// in the temporary folder), and a publish in progress, being synchronous,
// completes first.
process.once("SIGINT", () => process.exit(130));
process.once("SIGTERM", () => process.exit(143));

const bundled = __filename.endsWith(".js");
run(process.env, (line) => process.stderr.write(`${line}\n`), {
  workerScript: bundled ? __filename : undefined,
  progress: process.stderr,
}).then((result) => (process.exitCode = result.exitCode));
