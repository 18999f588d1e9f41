/**
 * The security proof over every registry the tests run on (the fixture
 * corpus, or with `npm run check` the organization's own registry): rows
 * derived from the registry and its stacks (support/registry-matrix.ts).
 */
import { loadRegistry } from "../../modules/registry/load";
import { corpusFiles, corpusStacks, fixtureTest } from "../helpers/corpus";
import { registryMatrix, organizationOf } from "./support/registry-matrix";
import { buildWorld } from "./support/policy-world";
import { simulate } from "./support/simulate";

describe.each(corpusFiles())("%s", (file) => {
  const registry = loadRegistry(file);
  const world = buildWorld(
    Object.fromEntries(
      corpusStacks()
        .filter((s) => s.registry === file)
        .map((s) => [s.stack, s.json]),
    ),
  );
  const { rows, missing } = registryMatrix(registry, world);

  test("every principal the registry implies exists in its stacks", () => {
    expect(missing).toEqual([]);
  });

  test("every derived row reaches the decision AWS must reach", async () => {
    const org = organizationOf(registry);
    const failures: string[] = [];
    for (const row of rows) {
      const outcome = await simulate(world, org, row);
      if (outcome.decision !== row.expect) {
        failures.push(`${row.name}: ${outcome.decision}, expected ${row.expect} [${outcome.decisive.join(", ")}]`);
      }
    }
    expect(rows.length).toBeGreaterThan(5);
    expect(failures).toEqual([]);
  });
});

fixtureTest("the derived matrix fails when a writer's prefix condition is lost", async () => {
  // GIVEN the sample's stacks, with the bucket policy's own-prefix resources widened to the whole bucket
  const file = corpusFiles()[0]!;
  const registry = loadRegistry(file);
  const stacks = Object.fromEntries(
    corpusStacks()
      .filter((s) => s.registry === file)
      .map((s) => [s.stack, JSON.parse(s.text.replace(/cloudwatch-logs\/account=\$\$\{aws:PrincipalAccount\}/g, "*"))]),
  );
  const world = buildWorld(stacks);
  const { rows } = registryMatrix(registry, world);
  const org = organizationOf(registry);
  // WHEN the rows run
  const wrong: string[] = [];
  for (const row of rows) if ((await simulate(world, org, row)).decision !== row.expect) wrong.push(row.name);
  // THEN a delivery role writing another account's prefix is caught
  expect(wrong.some((name) => /writes another account's prefix/.test(name))).toBe(true);
});
