/**
 * A Lambda package committed as a base64 constant (scripts/build-lambdas.mjs),
 * turned into the file a TerraformAsset copies into the stack's folder. The
 * bytes travel inside the module, so the app, the bundled library and the
 * tests need no file lookup relative to where they were bundled; the file is
 * written once per content, to a cache under the system's temporary folder.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function packageFile(name: string, base64: string): string {
  const bytes = Buffer.from(base64, "base64");
  const digest = createHash("sha256").update(bytes).digest("hex");
  const dir = join(tmpdir(), "cwl-log-archive-assets");
  const file = join(dir, `${name}-${digest}.zip`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // Written aside then renamed: parallel synthesis workers never read a half-written file.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, bytes);
    renameSync(partial, file);
  }
  return file;
}
