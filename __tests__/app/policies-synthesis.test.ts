/**
 * Every synthesis writes policies.json beside each stack's cdk.tf.json: the
 * atomic one-process synthesis (into the staging folder, before it replaces
 * cdktf.out), the sharded one and ACCOUNTS subsets, byte-identical in each;
 * a synthesis that fails writes nothing.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { atomicSynth } from "../../modules/app/atomic-synth";
import { stackNames } from "../../modules/app/build-app";
import { mergeShards } from "../../modules/app/merge-shards";
import { synthShard } from "../../modules/app/parallel-synth";
import { POLICIES_FILE, stackPolicies } from "../../modules/app/policies-file";
import { run } from "../../modules/app/run";
import { loadRegistry } from "../../modules/registry/load";
import { SAMPLE_REGISTRY } from "../helpers/corpus";
import { MINIMAL_YAML } from "../helpers/registry";
import { scratchDir } from "../helpers/scratch";
import { policyStrings, resolveAddress } from "./support/policies";

/** Every file under `dir`, by path relative to it. */
function filesOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(dir, relative), { withFileTypes: true })) {
      const path = join(relative, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[path] = readFileSync(join(dir, path), "utf8");
    }
  };
  walk("");
  return files;
}

/** The policies.json of every stack folder of an output, by stack. */
function policiesFiles(outdir: string): Record<string, string> {
  const stacks = readdirSync(join(outdir, "stacks")).sort();
  return Object.fromEntries(stacks.map((s) => [s, readFileSync(join(outdir, "stacks", s, POLICIES_FILE), "utf8")]));
}

/** The sample registry, synthesised the way `npx cdktf synth` runs the app (one process, published atomically). */
async function synthSample(outdir: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const result = await run({ REGISTRY_FILE: SAMPLE_REGISTRY, CDKTF_OUTDIR: outdir, ...env }, (line) => {
    throw new Error(line);
  });
  expect(result.exitCode).toBe(0);
}

describe("policies.json of the sample registry", () => {
  const root = scratchDir("cwl-policies-");
  const outdir = join(root, "cdktf.out");
  const registry = loadRegistry(SAMPLE_REGISTRY);
  beforeAll(() => synthSample(outdir));

  test("is written beside the cdk.tf.json of every stack", () => {
    const stacks = readdirSync(join(outdir, "stacks")).sort();
    expect(stacks).toEqual([...stackNames(registry)].sort());
    for (const stack of stacks) expect(existsSync(join(outdir, "stacks", stack, POLICIES_FILE))).toBe(true);
  });

  test.each(stackNames(registry))(
    "%s: holds every policy of cdk.tf.json, and only those, pretty-printed and sorted by address",
    (stack) => {
      // GIVEN the stack's cdk.tf.json, parsed again, and its policies.json
      const terraform: unknown = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
      const text = readFileSync(join(outdir, "stacks", stack, POLICIES_FILE), "utf8");
      const policies = JSON.parse(text) as Record<string, unknown>;
      // THEN each entry is the document at its address in cdk.tf.json
      for (const [address, document] of Object.entries(policies)) {
        expect(JSON.parse(resolveAddress(terraform, address))).toEqual(document);
      }
      // and every policy string of cdk.tf.json has its entry
      expect(Object.keys(policies)).toHaveLength(policyStrings(terraform).length);
      expect(Object.keys(policies).length).toBeGreaterThan(0);
      // in address order, indented by two spaces, ending with a newline
      expect(Object.keys(policies)).toEqual(Object.keys(policies).sort());
      expect(text).toBe(`${JSON.stringify(policies, undefined, 2)}\n`);
      expect(policies).toEqual(stackPolicies(terraform));
    },
  );

  test("is byte-identical from one synthesis to the next", async () => {
    const again = join(root, "again");
    await synthSample(again);
    expect(policiesFiles(again)).toEqual(policiesFiles(outdir));
  });

  test("is byte-identical when the stacks are synthesised in shards and merged", () => {
    // GIVEN the sample synthesised as two shards, merged as the parallel synthesis merges them
    const shards = [0, 1].map((index) => {
      const dir = join(root, `shard-${index}`);
      synthShard(registry, { index, count: 2 }, dir);
      return dir;
    });
    const merged = join(root, "merged");
    mergeShards(shards, merged);
    // THEN every file is the one-process synthesis's, policies.json included
    const files = filesOf(merged);
    expect(files).toEqual(filesOf(outdir));
    expect(Object.keys(files).filter((f) => f.endsWith(POLICIES_FILE))).toHaveLength(stackNames(registry).length);
  });

  test("of an ACCOUNTS subset is the full synthesis's, for the subset's stacks only", async () => {
    const subset = join(root, "subset.out");
    await synthSample(subset, { ACCOUNTS: "482019375610" });
    const full = policiesFiles(outdir);
    expect(policiesFiles(subset)).toEqual({
      "log-source-482019375610-eu-west-1": full["log-source-482019375610-eu-west-1"],
      "log-source-482019375610-us-east-1": full["log-source-482019375610-us-east-1"],
    });
  });

  test("is in the staging folder before it replaces the output", async () => {
    // GIVEN a published synthesis
    const target = join(root, "published");
    await synthSample(target);
    const before = filesOf(target);
    let staged: string[] = [];
    // WHEN the next synthesis has written its stacks into the staging folder
    await atomicSynth(
      (staging) => {
        synthShard(registry, { index: 0, count: 1 }, staging);
        staged = Object.keys(filesOf(staging)).filter((f) => f.endsWith(POLICIES_FILE));
        // THEN the output is not yet touched
        expect(filesOf(target)).toEqual(before);
      },
      { outdir: target, removeOrphans: true },
    );
    // and every stack's policies.json was staged, then published
    expect(staged).toHaveLength(stackNames(registry).length);
    expect(filesOf(target)).toEqual(before);
  });
});

describe("a synthesis that fails", () => {
  /** An output of an earlier synthesis, with its policies.json. */
  function previousOutput(): string {
    const outdir = join(scratchDir("cwl-policies-failed-"), "cdktf.out");
    mkdirSync(join(outdir, "stacks", "log-archive"), { recursive: true });
    writeFileSync(join(outdir, "manifest.json"), '{"previous":true}');
    writeFileSync(join(outdir, "stacks", "log-archive", "cdk.tf.json"), '{"previous":true}');
    writeFileSync(join(outdir, "stacks", "log-archive", POLICIES_FILE), '{"previous":{}}\n');
    return outdir;
  }

  const stagingLeft = (outdir: string) => readdirSync(dirname(outdir)).filter((f) => f.includes("staging"));

  test("fails on a registry error with the output, policies.json included, left as it was", async () => {
    // GIVEN an earlier output and a registry with an unknown Region
    const outdir = previousOutput();
    const before = filesOf(outdir);
    const registryFile = join(dirname(outdir), "registry.yaml");
    writeFileSync(registryFile, MINIMAL_YAML.replace("eu-west-1", "eu-west-9"));
    // WHEN the app runs
    const result = await run({ REGISTRY_FILE: registryFile, CDKTF_OUTDIR: outdir }, () => {});
    // THEN it fails, and nothing is written
    expect(result.exitCode).toBe(1);
    expect(filesOf(outdir)).toEqual(before);
    expect(stagingLeft(outdir)).toEqual([]);
  });

  test("fails half-way through its stacks with the output, policies.json included, left as it was", async () => {
    // GIVEN an earlier output, and a synthesis that breaks at its second stack
    const outdir = previousOutput();
    const before = filesOf(outdir);
    let synthesised = 0;
    const breakAtSecond = () => {
      if (++synthesised === 2) throw new Error("broken on purpose");
    };
    let staged = "";
    let stagedAtFailure: string[] = [];
    // WHEN it runs
    await expect(
      atomicSynth(
        (staging) => {
          staged = staging;
          try {
            synthShard(loadRegistry(SAMPLE_REGISTRY), { index: 0, count: 1 }, staging, undefined, breakAtSecond);
          } catch (error) {
            stagedAtFailure = Object.keys(filesOf(join(staging, "stacks")));
            throw error;
          }
        },
        { outdir, removeOrphans: true },
      ),
    ).rejects.toThrow("broken on purpose");
    // THEN the first stack was staged, its policies.json with it
    const first = stackNames(loadRegistry(SAMPLE_REGISTRY))[0]!;
    expect(stagedAtFailure).toEqual(expect.arrayContaining([join(first, "cdk.tf.json"), join(first, POLICIES_FILE)]));
    // and the output is untouched, the staging folder gone
    expect(filesOf(outdir)).toEqual(before);
    expect(existsSync(staged)).toBe(false);
    expect(stagingLeft(outdir)).toEqual([]);
  });
});
