/**
 * The GovCloud registry's proof is only a proof if a commercial ARN slipping
 * into its output fails it: the output names no `arn:aws:` at all, and when
 * one policy is rewritten as if a module had forgotten the partition, the
 * rule catalogue names it and the IAM simulation of the registry's rows
 * denies what the policy must allow.
 */
import { loadRegistry } from "../../modules/registry/load";
import { evaluate } from "../aws-rules/lib/rule";
import { arnPartition } from "../aws-rules/rules/iam";
import { corpusStacks, fixtureTest } from "../helpers/corpus";
import type { TfJson } from "../helpers/synth";
import { buildWorld, type Json } from "./support/policy-world";
import { organizationOf, registryMatrix } from "./support/registry-matrix";
import { simulate } from "./support/simulate";

const GOVCLOUD = "examples/registries/govcloud.yaml";

function govCloudStacks(): Record<string, TfJson> {
  return Object.fromEntries(
    corpusStacks()
      .filter((s) => s.registry === GOVCLOUD)
      .map((s) => [s.stack, JSON.parse(s.text) as TfJson]),
  );
}

/** The archive bucket's policy written with commercial ARNs, as a module that forgot the partition would. */
function commercialBucketPolicy(stacks: Record<string, TfJson>): string {
  const archive = stacks["log-archive"] as Json;
  const [address, policy] = Object.entries(archive.resource.aws_s3_bucket_policy as Json).find(([, r]) =>
    (r as Json)["//"].metadata.path.endsWith("ArchiveBucket/Policy"),
  )!;
  (policy as Json).policy = (policy as Json).policy.replaceAll("arn:aws-us-gov:", "arn:aws:");
  return `aws_s3_bucket_policy.${address}`;
}

async function failingRows(stacks: Record<string, TfJson>): Promise<string[]> {
  const registry = loadRegistry(GOVCLOUD);
  const world = buildWorld(stacks as Record<string, Json>);
  const { rows } = registryMatrix(registry, world);
  const failures: string[] = [];
  for (const row of rows) {
    if ((await simulate(world, organizationOf(registry), row)).decision !== row.expect) failures.push(row.name);
  }
  return failures;
}

describe("a commercial ARN in the GovCloud output", () => {
  fixtureTest("GIVEN the GovCloud registry THEN its stacks name no ARN of the commercial partition", () => {
    const texts = corpusStacks().filter((s) => s.registry === GOVCLOUD);
    expect(texts.length).toBeGreaterThan(3);
    expect(texts.filter((s) => /"arn:aws:|[^\w-]arn:aws:/.test(s.text)).map((s) => s.stack)).toEqual([]);
  });

  fixtureTest("is named by the rule catalogue", () => {
    const stacks = govCloudStacks();
    expect(evaluate(arnPartition, stacks["log-archive"]!).state).toBe("compliant");
    const address = commercialBucketPolicy(stacks);
    const { findings } = evaluate(arnPartition, stacks["log-archive"]!);
    expect(findings.map((f) => f.address)).toEqual(expect.arrayContaining([address]));
    expect(findings[0]!.message).toMatch(/names partition aws \(arn:aws:\.\.\.\), not aws-us-gov/);
  });

  fixtureTest("is caught by the IAM simulation of the registry's rows", async () => {
    const stacks = govCloudStacks();
    expect(await failingRows(stacks)).toEqual([]);
    commercialBucketPolicy(stacks);
    expect(await failingRows(stacks)).toEqual(
      expect.arrayContaining([
        "200000000002 us-gov-west-1 delivery role writes its own prefix",
        "the organization trail delivers",
      ]),
    );
  });
});
