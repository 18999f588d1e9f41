/** Removes the corpus folder of global-setup.ts. */
import { rmSync } from "node:fs";
import { CORPUS_DIR_ENV } from "./helpers/corpus";

export default function globalTeardown(): void {
  const dir = process.env[CORPUS_DIR_ENV];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
