/**
 * docs/limitations.md names, for every fact relied on but not confirmed, the
 * verify check that settles it or why none can; every check it names exists.
 */
import { readFileSync } from "node:fs";
import { runVerify } from "../../modules/verify/run";
import { FakeSandbox } from "./fake-sandbox";
import { RUN_ID, testTarget } from "./sandbox-context";

/** The bullets of the facts of the project (the command's own facts, listed last, are about verify itself). */
function factBullets(markdown: string): string[] {
  const start = markdown.indexOf("## Facts relied on");
  const end = markdown.indexOf("**The verify command itself**");
  return markdown
    .slice(start, end)
    .split("\n")
    .filter((line) => line.startsWith("- "));
}

/** The check ids a bullet names after its **Verify:** mark. */
function namedChecks(bullet: string): string[] {
  const verify = bullet.slice(bullet.indexOf("**Verify:**"));
  return [...verify.matchAll(/`([a-z][a-z-]+)`/g)].map((m) => m[1]!);
}

test("every unconfirmed fact names the verify check that settles it, or says why none can", async () => {
  const markdown = readFileSync("docs/limitations.md", "utf8");
  const target = testTarget();
  const outcome = await runVerify(target, new FakeSandbox(target).ports(), RUN_ID, new Map());
  const ids = new Set(outcome.checks.map((c) => c.id));
  const facts = factBullets(markdown);
  expect(facts.length).toBeGreaterThan(10);
  const unnamed = facts.filter((b) => !b.includes("**Verify:**"));
  expect(unnamed).toEqual([]);
  const unknown = facts.flatMap(namedChecks).filter((id) => !ids.has(id));
  expect(unknown).toEqual([]);
});

test("the check catches a fact without a verify line and a check that does not exist", () => {
  expect(namedChecks("- a fact. **Verify:** `delivery` and `no-such-check`.")).toEqual(["delivery", "no-such-check"]);
  expect(factBullets("## Facts relied on\n- one\n**The verify command itself**\n- two\n")).toEqual(["- one"]);
});
