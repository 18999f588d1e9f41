/**
 * Removes the run's temporary folder (global-setup.ts), with everything the
 * tests, the app and their child processes put there: TMPDIR pointed into it
 * for the whole run, so nothing of the run is left in the system's temporary
 * directory.
 */
import { rmSync } from "node:fs";
import { RUN_DIR_ENV } from "./global-setup";

export default function globalTeardown(): void {
  const run = process.env[RUN_DIR_ENV];
  if (run) rmSync(run, { recursive: true, force: true });
}
