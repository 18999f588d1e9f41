/**
 * npm run cost: prices the registry (REGISTRY_FILE, default
 * accounts/registry.yaml) and compares the topologies; `--help` lists the
 * options. The command is modules/cost/cli.ts; this is only the file system
 * and the process around it.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { runCost } from "../modules/cost/cli";
import { loadRegistry } from "../modules/registry/load";

// "npm run -s cost | head": the reader has what it wanted once it closes the pipe.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = runCost(process.argv.slice(2), process.env, {
  readText: (file) => readFileSync(file, "utf8"),
  writeText: (file, text) => writeFileSync(file, text),
  makeDirectory: (directory) => mkdirSync(directory, { recursive: true }),
  loadRegistry,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
