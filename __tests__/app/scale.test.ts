import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stackNames } from "../../modules/app/build-app";
import { run } from "../../modules/app/run";
import { parseShard, shardStacks, workerCount } from "../../modules/app/shards";
import { subsetStacks } from "../../modules/app/subset";
import { withoutTokenStackTraces } from "../../modules/app/token-stack-traces";
import { sourceStackName } from "../../modules/naming/names";
import { workspaceName } from "../../modules/stacks/backend";
import { registrySources, SAMPLE_REGISTRY_FILE } from "../../modules/registry/load";
import { parseRegistrySources } from "../../modules/registry/parse";
import { MINIMAL_YAML, registryWith } from "../helpers/registry";
import { synthRegistry } from "../helpers/synth";
import { scratchDir } from "../helpers/scratch";

function bigRegistry(accounts: number) {
  return registryWith((r) => {
    r.accounts = Array.from({ length: accounts }, (_, i) => ({
      id: String(200000000000 + i),
      name: `workload-${i}`,
      regions: ["eu-west-1", "us-east-1", "ap-southeast-2"],
    }));
  });
}

describe("shards", () => {
  test("every stack is built by exactly one shard", () => {
    const names = stackNames(bigRegistry(50));
    const shards = [0, 1, 2].map((i) => shardStacks(names, i, 3));
    expect(shards.flat().sort()).toEqual([...names].sort());
    expect(new Set(shards.flat()).size).toBe(names.length);
  });

  test("worker count: one process for small registries, one per core for large ones, overridable", () => {
    expect(workerCount(11, 2)).toBe(1);
    expect(workerCount(3001, 2)).toBe(2);
    expect(workerCount(3001, 2, "1")).toBe(1);
    expect(() => workerCount(10, 2, "zero")).toThrow("CWL_SYNTH_WORKERS must be an integer from 1 to 64");
    expect(parseShard("1/2")).toEqual({ index: 1, count: 2 });
    expect(() => parseShard("2/2")).toThrow();
  });
});

describe("ACCOUNTS subsets", () => {
  const registry = registryWith((r) => r.accounts.push({ id: "333333333333", name: "b", regions: ["eu-west-1"] }));

  test("unset or empty means every stack", () => {
    expect(subsetStacks(undefined, registry, "x/out")).toBeUndefined();
    expect(subsetStacks(" ", registry, "x/out")).toBeUndefined();
  });

  test("selects the stacks of the listed accounts; the archive only when its account is listed", () => {
    expect(subsetStacks("333333333333", registry, "subset.out")).toEqual(["log-source-333333333333-eu-west-1"]);
    expect(subsetStacks("111111111111, 333333333333", registry, "subset.out")).toEqual([
      "log-archive",
      "log-source-333333333333-eu-west-1",
    ]);
  });

  test("the key-management account's id selects log-keys, which applies first", () => {
    const withKeys = registryWith((r) => (r.keys = { accountId: "444444444444" }));
    expect(subsetStacks("444444444444", withKeys, "subset.out")).toEqual(["log-keys"]);
    expect(subsetStacks("111111111111,444444444444", withKeys, "subset.out")).toEqual(["log-keys", "log-archive"]);
  });

  test("can never replace the full output in cdktf.out", () => {
    expect(() => subsetStacks("333333333333", registry, "cdktf.out")).toThrow(
      "environment: ACCOUNTS: a subset cannot be written to cdktf.out, which must always hold every stack",
    );
    expect(() => subsetStacks("333333333333", registry, "/somewhere/else/cdktf.out")).toThrow(
      /cannot be written to cdktf\.out/,
    );
  });

  test("rejects ids that are malformed or not in the registry, naming each", () => {
    expect(() => subsetStacks("12,999999999999", registry, "subset.out")).toThrow(
      [
        'environment: ACCOUNTS[0]: expected a 12-digit account id, got "12"',
        'environment: ACCOUNTS[1]: not an account of the registry, got "999999999999"',
      ].join("\n"),
    );
  });

  test("run() writes only the subset, and refuses cdktf.out with exit 1 and no output", async () => {
    const root = scratchDir("cwl-subset-");
    const registryFile = join(root, "registry.yaml");
    writeFileSync(registryFile, MINIMAL_YAML);
    const lines: string[] = [];
    const refused = await run(
      { REGISTRY_FILE: registryFile, ACCOUNTS: "222222222222", CDKTF_OUTDIR: join(root, "cdktf.out") },
      (l) => lines.push(l),
    );
    expect(refused.exitCode).toBe(1);
    expect(lines.join("\n")).toContain("a subset cannot be written to cdktf.out");
    expect(readdirSync(root)).toEqual(["registry.yaml"]);
    const ok = await run(
      { REGISTRY_FILE: registryFile, ACCOUNTS: "222222222222", CDKTF_OUTDIR: join(root, "subset.out") },
      () => {},
    );
    expect(ok.exitCode).toBe(0);
    expect(readdirSync(join(root, "subset.out", "stacks")).sort()).toEqual([
      "log-source-222222222222-eu-west-1",
      "log-source-222222222222-us-east-1",
    ]);
  });
});

describe("Terraform Cloud at scale", () => {
  test("1,000 accounts in 3 Regions get 3,001 distinct, valid workspace names", () => {
    const names = stackNames(bigRegistry(1000)).map((stack) =>
      workspaceName(
        { type: "cloud", organization: "acme", hostname: "app.terraform.io", workspacePrefix: "cwl-archive-prod-" },
        stack,
      ),
    );
    expect(names).toHaveLength(3001);
    expect(new Set(names).size).toBe(3001);
    for (const name of names) {
      expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(name.length).toBeLessThanOrEqual(90);
    }
    expect(names).toContain(`cwl-archive-prod-${sourceStackName("200000000999", "ap-southeast-2")}`);
  });

  test("the longest prefix and Region still fit the 90-character limit", () => {
    const longest = workspaceName(
      { type: "cloud", organization: "acme", hostname: "app.terraform.io", workspacePrefix: "x".repeat(40) },
      sourceStackName("999999999999", "ap-southeast-4"),
    );
    expect(longest.length).toBeLessThanOrEqual(90);
  });
});

describe("parallel synthesis", () => {
  beforeAll(() => execFileSync("node", ["scripts/build.mjs"], { stdio: "pipe" }));

  function synth(workers: string, outdir: string, registryFile: string) {
    const result = spawnSync("node", ["dist/main.js"], {
      env: { ...process.env, REGISTRY_FILE: registryFile, CDKTF_OUTDIR: outdir, CWL_SYNTH_WORKERS: workers },
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  }

  function tree(dir: string): Record<string, string> {
    const files: Record<string, string> = { manifest: readFileSync(join(dir, "manifest.json"), "utf8") };
    for (const stack of readdirSync(join(dir, "stacks"))) {
      files[stack] = readFileSync(join(dir, "stacks", stack, "cdk.tf.json"), "utf8");
      files[`${stack}/policies.json`] = readFileSync(join(dir, "stacks", stack, "policies.json"), "utf8");
    }
    return files;
  }

  test("two processes produce byte-identical output to one", () => {
    const root = scratchDir("cwl-parallel-");
    synth("1", join(root, "one"), "examples/registries/sample/registry.yaml");
    synth("2", join(root, "two"), "examples/registries/sample/registry.yaml");
    expect(tree(join(root, "two"))).toEqual(tree(join(root, "one")));
    expect(readdirSync(root).sort()).toEqual(["one", "two"]);
  });
});

describe("token stack traces", () => {
  test("are skipped for cdktf's captures while real errors keep their stack", () => {
    const result = withoutTokenStackTraces(() => {
      const capture: { stack: string } = { stack: "" };
      Error.captureStackTrace(capture);
      return { plain: capture.stack, real: new Error("boom").stack as string };
    });
    expect(result.plain).toBe("");
    expect(result.real).toMatch(/^Error: boom\n\s+at /);
    const after: { stack: string } = { stack: "" };
    Error.captureStackTrace(after);
    expect(after.stack).not.toBe("");
  });
});

/** The sample registry with its `deployment.backend` replaced by `backend` (YAML flow mapping). */
function sampleWithBackend(backend: string) {
  const { main, accounts } = registrySources(SAMPLE_REGISTRY_FILE);
  const text = main.text.replace(/^ {2}backend:\n {4}type: local.*$/m, `  backend: ${backend}`);
  expect(text).not.toBe(main.text);
  return parseRegistrySources({ ...main, text }, accounts);
}

/**
 * Per-stack cost that grows with the organization: a construct whose
 * synthesis starts a process made 3,001 stacks take minutes instead of
 * seconds (cdktf's DataResource and CloudBackend each run `terraform version`
 * for every instance). No child process may be started while the sample
 * registry synthesises, whichever backend it uses.
 */
describe("synthesis starts no process", () => {
  test.each([
    ["local", "{ type: local }"],
    ["s3", "{ type: s3, bucket: acme-terraform-state, region: eu-west-1 }"],
    ["cloud", "{ type: cloud, organization: acme-security, project: log-archive, workspacePrefix: cwl- }"],
    ["cloud (Terraform Enterprise)", "{ type: cloud, organization: acme, hostname: tfe.acme.example }"],
  ])("no spawnSync or execSync while every stack of the sample synthesises (%s backend)", (type, backend) => {
    const registry = sampleWithBackend(backend);
    expect(registry.deployment.backend.type).toBe(type.split(" ")[0]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const childProcess = require("node:child_process") as typeof import("node:child_process");
    const spawn = jest.spyOn(childProcess, "spawnSync");
    const exec = jest.spyOn(childProcess, "execSync");
    try {
      const { stacks } = synthRegistry(registry);
      expect(Object.keys(stacks).length).toBeGreaterThan(3);
      for (const stack of Object.values(stacks)) {
        const terraform = stack.terraform;
        if (type.startsWith("cloud")) expect(terraform.cloud.workspaces.name).toBeDefined();
        if (type === "s3") expect(terraform.backend.s3.bucket).toBe("acme-terraform-state");
      }
      expect(spawn).not.toHaveBeenCalled();
      expect(exec).not.toHaveBeenCalled();
    } finally {
      spawn.mockRestore();
      exec.mockRestore();
    }
  });
});
