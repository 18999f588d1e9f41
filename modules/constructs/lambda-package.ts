/**
 * A Lambda package committed as a base64 constant (scripts/build-lambdas.mjs),
 * turned into the file a TerraformAsset copies into the stack's folder. The
 * bytes travel inside the module, so the app, the bundled library and the
 * tests need no file lookup relative to where they were bundled. The file is
 * written once per content and process, into a folder of the system's
 * temporary directory that is removed when the process exits: a synthesis
 * leaves the temporary directory as it found it.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let folder: string | undefined;

/** This process's folder for package files, removed at exit. */
function packageFolder(): string {
  if (folder === undefined) {
    const created = mkdtempSync(join(tmpdir(), "cwl-log-archive-assets-"));
    folder = created;
    process.once("exit", () => rmSync(created, { recursive: true, force: true }));
  }
  return folder;
}

export function packageFile(name: string, base64: string): string {
  const bytes = Buffer.from(base64, "base64");
  const digest = createHash("sha256").update(bytes).digest("hex");
  const file = join(packageFolder(), `${name}-${digest}.zip`);
  if (!existsSync(file)) writeFileSync(file, bytes);
  return file;
}
