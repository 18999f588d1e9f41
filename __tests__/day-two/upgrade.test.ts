/**
 * Upgrading this project must not destroy what a user of the last release has
 * deployed. __tests__/fixtures/release/protected.json records, at the last
 * release (`npm run release:snapshot`), every protected resource of every
 * corpus stack with the arguments that force its replacement. Synthesised at
 * HEAD from the same registry files, each must still be generated with the
 * same arguments, or be retired with a `removed` block (left in AWS), or be
 * named by a migration note of the README that tells users what to do.
 */
import { readFileSync } from "node:fs";
import { corpusStacks } from "../helpers/corpus";
import { FORCE_NEW, resourcesByAddress, retiredAddresses } from "./protected";

interface Snapshot {
  readonly commit: string;
  readonly registries: Record<string, Record<string, Record<string, Record<string, unknown>>>>;
}

const snapshot = JSON.parse(readFileSync("__tests__/fixtures/release/protected.json", "utf8")) as Snapshot;

/**
 * Protected resources an upgrade may replace or drop without a removed block,
 * each with the README migration note that says what to do. Empty: none.
 */
const MIGRATION_NOTES: readonly { readonly address: RegExp; readonly note: string }[] = [];

/** What an upgrade would do wrong to one registry's protected resources, from its snapshot to HEAD's stacks. */
export function upgradeProblems(
  recorded: Record<string, Record<string, Record<string, unknown>>>,
  stacks: (stack: string) => any,
): string[] {
  const problems: string[] = [];
  for (const [stack, resources] of Object.entries(recorded)) {
    const now = stacks(stack);
    if (!now) {
      problems.push(`${stack}: no longer synthesised`);
      continue;
    }
    const created = resourcesByAddress(now);
    const retired = retiredAddresses(now);
    const region = now.provider?.aws?.find((p: { alias?: string }) => p.alias === undefined)?.region;
    for (const [address, before] of Object.entries(resources)) {
      if (MIGRATION_NOTES.some((n) => n.address.test(address))) continue;
      const config = created.get(address);
      if (config === undefined) {
        if (!retired.has(address)) problems.push(`${stack} ${address}: destroyed (neither generated nor retired)`);
        continue;
      }
      const type = address.split(".")[0]!;
      const changed = FORCE_NEW[type]!.filter((arg) => {
        const value = arg === "region" ? (config.region ?? region) : config[arg];
        // A Computed ForceNew argument left out keeps its value (see protected.ts).
        if (value === undefined && (arg === "object_lock_enabled" || arg === "multi_region")) return false;
        return JSON.stringify(value) !== JSON.stringify(before[arg]);
      });
      if (changed.length > 0) problems.push(`${stack} ${address}: replaced (${changed.join(", ")} changed)`);
    }
  }
  return problems;
}

describe(`upgrading from the release at ${snapshot.commit.slice(0, 12)}`, () => {
  const head = corpusStacks();

  test.each(Object.keys(snapshot.registries))("%s keeps every protected resource it deployed", (file) => {
    const stacks = (stack: string) => head.find((s) => s.registry === file && s.stack === stack)?.json;
    expect(upgradeProblems(snapshot.registries[file]!, stacks)).toEqual([]);
  });

  test("fails on a protected resource an upgrade drops without a removed block, or replaces", () => {
    // GIVEN the sample's archive stack as HEAD makes it, and a release that had a key HEAD no longer makes
    const file = "examples/registries/sample/registry.yaml";
    const archive = head.find((s) => s.registry === file && s.stack === "log-archive")!.json;
    const recorded = {
      "log-archive": {
        "aws_kms_key.Gone_Key_00000000": { region: "eu-west-1" },
        "aws_s3_bucket.ArchiveBucket_6AAAC12A": { region: "eu-west-1", bucket: "another-name" },
      },
    };
    expect(upgradeProblems(recorded, (s) => (s === "log-archive" ? archive : undefined))).toEqual([
      "log-archive aws_kms_key.Gone_Key_00000000: destroyed (neither generated nor retired)",
      "log-archive aws_s3_bucket.ArchiveBucket_6AAAC12A: replaced (bucket changed)",
    ]);
  });
});
