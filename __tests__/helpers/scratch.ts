/**
 * Temporary folders for a test file, removed when the file's tests end: a
 * test run leaves the system's temporary directory as it found it (checked by
 * global-teardown.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const created: string[] = [];

/** A new empty folder under the system's temporary directory, named `<prefix><random>`. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});
