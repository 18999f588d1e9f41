/**
 * docs/day-two.md's table is the tested scenarios, rendered: it cannot say
 * something registry-changes.test.ts does not prove. Run `npm run day-two`
 * when this fails.
 */
import { readFileSync } from "node:fs";
import { SCENARIOS } from "./scenarios";
import { dayTwoTable, TABLE_END, TABLE_START } from "./table";

/** The table between the markers, as rows of trimmed cells (prettier's padding aside). */
function rows(text: string): string[][] {
  const body = text.slice(text.indexOf(TABLE_START) + TABLE_START.length, text.indexOf(TABLE_END));
  return body
    .split("\n")
    .filter((line) => line.startsWith("|"))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim())
        .map((c) => (/^:?-+:?$/.test(c) ? "---" : c)),
    );
}

test("docs/day-two.md holds the table of every tested change (run npm run day-two when this fails)", () => {
  const text = readFileSync("docs/day-two.md", "utf8");
  expect(rows(text)).toEqual(rows(dayTwoTable(SCENARIOS)));
});

test("every section the plan gate points to exists", () => {
  const text = readFileSync("docs/day-two.md", "utf8");
  const rules = readFileSync("security/plan-gate/policy/rules.rego", "utf8");
  const sections = [...new Set([...rules.matchAll(/"section":\s*"([a-z-]+)"/g)].map((m) => m[1]!))];
  expect(sections.length).toBeGreaterThan(3);
  const headings = new Set(
    [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^a-z0-9]+/g, "-")),
  );
  expect(sections.filter((s) => !headings.has(s))).toEqual([]);
});
