/**
 * The security proof: every policy the app ships, read from the synthesised
 * cdk.tf.json, evaluated by an independent IAM policy evaluator against a
 * matrix of requests with the decision AWS must reach.
 */
import {
  buildWorld,
  describeRow,
  evaluateMatrix,
  keyArns,
  scenarios,
  synthesiseSample,
  type RowResult,
} from "./support/matrix";

let results: RowResult[];

beforeAll(async () => {
  const world = buildWorld(synthesiseSample());
  results = await evaluateMatrix(world, scenarios(keyArns(world)));
  process.stdout.write(`IAM simulation matrix (${results.length} rows)\n${results.map(describeRow).join("\n")}\n`);
});

test("the matrix has at least 40 rows and covers allowed and denied requests", () => {
  expect(results.length).toBeGreaterThanOrEqual(40);
  expect(results.some((r) => r.scenario.expect === "Allowed")).toBe(true);
  expect(results.some((r) => r.scenario.expect === "Denied")).toBe(true);
});

test("every row reaches the expected decision", () => {
  const failures = results.filter((r) => !r.ok).map(describeRow);
  expect(failures).toEqual([]);
});
