// Composes only: see modules/app/run.ts.
import { run } from "./modules/app/run";

process.exitCode = run(process.env, (line) => process.stderr.write(`${line}\n`)).exitCode;
