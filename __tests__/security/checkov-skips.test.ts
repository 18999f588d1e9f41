import { readFileSync } from "node:fs";
import { parse } from "yaml";

describe("security/checkov-skips.yaml", () => {
  const skips = parse(readFileSync("security/checkov-skips.yaml", "utf8")) as Record<string, unknown>[];

  test("every skip names a check, a resource glob and a one-line reason", () => {
    expect(skips.length).toBeGreaterThan(0);
    for (const skip of skips) {
      expect(Object.keys(skip).sort()).toEqual(["check", "reason", "resource"]);
      expect(skip.check).toMatch(/^CKV2?_AWS_\d+$/);
      expect(skip.resource).toMatch(/^[*a-z0-9_]+\.[*A-Za-z0-9_-]+$/);
      expect(typeof skip.reason).toBe("string");
      expect(skip.reason).not.toContain("\n");
      expect((skip.reason as string).length).toBeGreaterThan(20);
    }
  });

  test("no skip covers a whole check for every resource", () => {
    for (const skip of skips) expect(skip.resource).not.toMatch(/^\*\.\*$|\.\*$/);
  });
});
