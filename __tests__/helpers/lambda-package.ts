/** Reading a committed Lambda package (a stored zip of one index.mjs, base64 in a handler-zip.ts). */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";

/** The package's one file, after checking the zip's signature, its name and Terraform's filebase64sha256. */
export function packagedCode(base64: string, sha256: string): string {
  const zip = Buffer.from(base64, "base64");
  expect(createHash("sha256").update(zip).digest("base64")).toBe(sha256);
  expect(zip.readUInt32LE(0)).toBe(0x04034b50);
  const nameLength = zip.readUInt16LE(26);
  expect(zip.subarray(30, 30 + nameLength).toString()).toBe("index.mjs");
  const code = zip.subarray(30 + nameLength, 30 + nameLength + zip.readUInt32LE(18)).toString();
  expect(code).toMatch(/export\s*\{[^}]*\bhandler\b/);
  return code;
}

/** Throws when a committed package is not the build of its handler (npm run build:lambdas). */
export function expectPackagesCurrent(): void {
  expect(() => execFileSync("node", ["scripts/build-lambdas.mjs", "--check"], { stdio: "pipe" })).not.toThrow();
}
