/**
 * Removes the run's temporary folder (global-setup.ts), then fails the run if
 * anything else the run created is left in the system's temporary directory.
 */
import { readdirSync, rmSync } from "node:fs";
import { RUN_DIR_ENV, SYSTEM_TMP_BEFORE_ENV, SYSTEM_TMP_ENV } from "./global-setup";

export default function globalTeardown(): void {
  const run = process.env[RUN_DIR_ENV];
  if (run) rmSync(run, { recursive: true, force: true });
  const system = process.env[SYSTEM_TMP_ENV];
  const before = new Set<string>(JSON.parse(process.env[SYSTEM_TMP_BEFORE_ENV] ?? "[]"));
  if (!system) return;
  // Only names the tests and the app use (the scripts that run outside jest, compat:cdktn,
  // npm run check and the release snapshot, clean up after themselves and may run meanwhile).
  const outside = /^cwl-(compat|check|release)-/;
  const left = readdirSync(system).filter((n) => n.startsWith("cwl-") && !outside.test(n) && !before.has(n));
  if (left.length > 0) {
    throw new Error(`the test run left ${left.length} folder(s) in ${system}: ${left.join(", ")}`);
  }
}
