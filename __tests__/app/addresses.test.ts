/**
 * Terraform addresses are the identity of deployed resources: a resource
 * whose address changes is destroyed and created again. Every resource
 * address of every stack of the sample registry must stay what the checked-in
 * fixture lists (regenerate it with `npm run addresses` only when a change of
 * address is intended, and add `moved` blocks for it).
 */
import { readFileSync } from "node:fs";
import { loadRegistry } from "../../modules/registry/load";
import { addresses, synthRegistry, type TfJson } from "../helpers/synth";

const FIXTURE = "__tests__/fixtures/addresses/sample.json";

/**
 * What is wrong with a stack's `moved` blocks: each must move an address that
 * landed (the fixture's) to one the stack now has, or Terraform would plan a
 * destroy and a create after all.
 */
function movedProblems(stack: TfJson, landed: readonly string[]): string[] {
  const moved = ((stack as { moved?: { from: string; to: string }[] }).moved ?? []).map((m) => ({
    from: m.from.replace(/^\$\{|\}$/g, ""),
    to: m.to.replace(/^\$\{|\}$/g, ""),
  }));
  const now = addresses(stack);
  return moved.flatMap(({ from, to }) => [
    ...(landed.includes(from) ? [] : [`moved from ${from}: not a landed address`]),
    ...(now.has(to) ? [] : [`moved to ${to}: no such resource`]),
  ]);
}

describe("resource addresses", () => {
  const expected = JSON.parse(readFileSync(FIXTURE, "utf8")) as Record<string, string[]>;
  const { stacks } = synthRegistry(loadRegistry("examples/registries/sample/registry.yaml"));

  test("the sample registry has exactly the stacks of the fixture", () => {
    expect(Object.keys(stacks).sort()).toEqual(Object.keys(expected).sort());
  });

  test.each(Object.keys(expected).sort())("%s keeps every resource address", (stack) => {
    expect([...addresses(stacks[stack]!)].sort()).toEqual(expected[stack]);
  });

  test.each(Object.keys(expected).sort())("%s moves only landed addresses, to addresses it has", (stack) => {
    expect(movedProblems(stacks[stack]!, expected[stack]!)).toEqual([]);
  });

  test("GIVEN a moved block from an address that never landed to one that does not exist THEN both are reported", () => {
    const stack = {
      resource: { aws_s3_bucket: { Kept: {} } },
      moved: [
        { from: "aws_s3_bucket.Landed", to: "aws_s3_bucket.Kept" },
        { from: "aws_s3_bucket.Never", to: "aws_s3_bucket.Missing" },
      ],
    } as unknown as TfJson;
    expect(movedProblems(stack, ["aws_s3_bucket.Landed"])).toEqual([
      "moved from aws_s3_bucket.Never: not a landed address",
      "moved to aws_s3_bucket.Missing: no such resource",
    ]);
  });
});
