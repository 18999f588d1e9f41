/**
 * Synthesises the corpus (the sample and the option registries) once per
 * test run, into a temporary folder that every test file reads: about twenty
 * files check the same stacks, and each synthesising them again cost most of
 * the suite's time. The folder is removed by global-teardown.ts.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CORPUS_DIR_ENV, writeCorpus } from "./helpers/corpus";

export default function globalSetup(): void {
  const dir = mkdtempSync(join(tmpdir(), "cwl-corpus-"));
  writeCorpus(dir);
  process.env[CORPUS_DIR_ENV] = dir;
}
