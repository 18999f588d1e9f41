/**
 * Terraform addresses are the identity of deployed resources: a resource
 * whose address changes is destroyed and created again. Every resource
 * address of every stack of the sample registry must stay what the checked-in
 * fixture lists (regenerate it with `npm run addresses` only when a change of
 * address is intended, and add `moved` blocks for it).
 */
import { readFileSync } from "node:fs";
import { loadRegistry } from "../../modules/registry/load";
import { addresses, synthRegistry } from "../helpers/synth";

const FIXTURE = "__tests__/fixtures/addresses/sample.json";

describe("resource addresses", () => {
  const expected = JSON.parse(readFileSync(FIXTURE, "utf8")) as Record<string, string[]>;
  const { stacks } = synthRegistry(loadRegistry("examples/registries/sample/registry.yaml"));

  test("the sample registry has exactly the stacks of the fixture", () => {
    expect(Object.keys(stacks).sort()).toEqual(Object.keys(expected).sort());
  });

  test.each(Object.keys(expected).sort())("%s keeps every resource address", (stack) => {
    expect([...addresses(stacks[stack]!)].sort()).toEqual(expected[stack]);
  });
});
