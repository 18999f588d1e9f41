/**
 * Once per test run:
 * - every temporary file of the run (the tests', the app's, child processes')
 *   goes into one folder, `cwl-test-run-*`, that global-teardown.ts removes:
 *   TMPDIR points there before any worker starts, and os.tmpdir() follows it;
 * - the corpus (the sample and the option registries) is synthesised once,
 *   into that folder, for every test file to read: about twenty files check
 *   the same stacks, and each synthesising them again cost most of the
 *   suite's time.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CORPUS_DIR_ENV, writeCorpus } from "./helpers/corpus";

/** The run's temporary folder. */
export const RUN_DIR_ENV = "CWL_TEST_RUN_DIR";

export default function globalSetup(): void {
  const run = mkdtempSync(join(tmpdir(), "cwl-test-run-"));
  process.env[RUN_DIR_ENV] = run;
  process.env.TMPDIR = run;
  const dir = join(run, "corpus");
  mkdirSync(dir);
  writeCorpus(dir);
  process.env[CORPUS_DIR_ENV] = dir;
}
