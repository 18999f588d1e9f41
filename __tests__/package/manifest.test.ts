/**
 * package.json as a published package: cdktf, constructs and the AWS
 * provider are peers (the caller's copies, one construct tree), pinned
 * exactly for the repository itself; everything else is pinned exactly; and
 * the library build leaves exactly the peers external, so the bundle needs
 * nothing the package does not declare. Installing the tarball in a fresh app
 * is npm run check:package (CI).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};
const EXACT = /^\d+\.\d+\.\d+(-[\w.]+)?$/;

/** Whether an exact version lies in a caret range (the only form the peers use). */
function inCaretRange(version: string, range: string): boolean {
  const [major, minor, patch] = range.replace(/^\^/, "").split(".").map(Number) as [number, number, number];
  const [v1, v2, v3] = version.split(".").map(Number) as [number, number, number];
  if (major > 0) return v1 === major && (v2 > minor || (v2 === minor && v3 >= patch));
  return v1 === 0 && v2 === minor && v3 >= patch;
}

test("the package is publishable and has no runtime dependencies besides its peers", () => {
  expect(manifest.private).toBeUndefined();
  expect(manifest.dependencies ?? {}).toEqual({});
  expect(Object.keys(manifest.peerDependencies).sort()).toEqual(["@cdktf/provider-aws", "cdktf", "constructs"]);
});

test("every peer is a caret range that holds the repository's exact pin", () => {
  for (const [name, range] of Object.entries(manifest.peerDependencies)) {
    expect(range).toMatch(/^\^\d+\.\d+\.\d+$/);
    const pin = manifest.devDependencies[name]!;
    expect(pin).toMatch(EXACT);
    expect({ name, pin, range, inRange: inCaretRange(pin, range) }).toEqual({ name, pin, range, inRange: true });
  }
});

test("every other dependency is pinned exactly", () => {
  const loose = Object.entries(manifest.devDependencies).filter(([, version]) => !EXACT.test(version));
  expect(loose).toEqual([]);
});

test("the library bundle leaves exactly the peers external", () => {
  const build = readFileSync(join(ROOT, "scripts/build-lib.mjs"), "utf8");
  const external = /external: \[([^\]]*)\]/
    .exec(build)![1]!
    .match(/"([^"]+)"/g)!
    .map((s) => s.slice(1, -1));
  const peers = Object.keys(manifest.peerDependencies);
  expect(new Set(external.map((e) => e.replace(/\/\*$/, "")))).toEqual(new Set(peers));
});

test("the caret check itself", () => {
  expect(inCaretRange("0.21.0", "^0.21.0")).toBe(true);
  expect(inCaretRange("0.22.0", "^0.21.0")).toBe(false);
  expect(inCaretRange("10.3.9", "^10.4.2")).toBe(false);
  expect(inCaretRange("10.8.1", "^10.4.2")).toBe(true);
  expect(inCaretRange("22.0.0", "^21.0.0")).toBe(false);
});
