/**
 * docs/registry.md is the schema, rendered: every key the loader accepts has
 * its row (run `npm run schema` when this fails).
 */
import { readFileSync } from "node:fs";
import { registryJsonSchemaText } from "../../modules/registry/json-schema";
import { referenceRows } from "../../modules/registry/reference";

/** The table's rows as trimmed cells (prettier's padding aside). */
function tableRows(text: string): string[][] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
}

describe("docs/registry.md", () => {
  const schema = JSON.parse(registryJsonSchemaText());
  const rows = referenceRows(schema);

  test("has one row per key of the schema, in order, with its default and meaning (run npm run schema when this fails)", () => {
    const documented = tableRows(readFileSync("docs/registry.md", "utf8"));
    expect(documented.map((r) => r[0])).toEqual(rows.map((r) => `\`${r.key}\``));
    expect(documented.map((r) => r[2])).toEqual(rows.map((r) => r.default.replace(/\|/g, "\\|")));
  });

  test("covers keys at every depth: nested objects, account entries, backend forms", () => {
    const keys = rows.map((r) => r.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        "archive.objectLock.mode",
        "accounts[].subscription.logGroups[].filterPattern",
        "deployment.backend (type: cloud).organization",
        "migrations[].allow",
      ]),
    );
  });

  test("every key has a meaning", () => {
    expect(rows.filter((r) => r.description === "" && !/\[\]$/.test(r.key)).map((r) => r.key)).toEqual([]);
  });
});
