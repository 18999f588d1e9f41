import { App, TerraformStack } from "cdktf";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { atomicSynth } from "../../modules/app/atomic-synth";
import { run } from "../../modules/app/run";
import { MINIMAL_YAML } from "../helpers/registry";
import { scratchDir } from "../helpers/scratch";

function snapshotDir(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[path] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return files;
}

function existingOutput(): string {
  const root = scratchDir("cwl-atomic-");
  const outdir = join(root, "cdktf.out");
  mkdirSync(join(outdir, "stacks", "log-archive"), { recursive: true });
  writeFileSync(join(outdir, "manifest.json"), '{"previous":true}');
  writeFileSync(join(outdir, "stacks", "log-archive", "cdk.tf.json"), '{"previous":true}');
  return outdir;
}

describe("bad input leaves cdktf.out as it was", () => {
  test("a registry error exits 1 with the message and no stack trace, and writes nothing", async () => {
    const outdir = existingOutput();
    const before = snapshotDir(outdir);
    const registryFile = join(dirname(outdir), "registry.yaml");
    writeFileSync(registryFile, MINIMAL_YAML.replace("eu-west-1", "eu-west-9"));
    const lines: string[] = [];
    const result = await run({ REGISTRY_FILE: registryFile, CDKTF_OUTDIR: outdir }, (line) => lines.push(line));
    expect(result.exitCode).toBe(1);
    expect(lines.join("\n")).toContain(`${registryFile}: logArchive.region: unknown AWS Region`);
    expect(snapshotDir(outdir)).toEqual(before);
    expect(readdirSync(dirname(outdir)).filter((f) => f.includes("staging"))).toEqual([]);
  });

  test("a failure during synthesis leaves the previous output and no staging directory", async () => {
    const outdir = existingOutput();
    const before = snapshotDir(outdir);
    await expect(
      atomicSynth(
        (staging) => {
          const app = new App({ outdir: staging });
          const stack = new TerraformStack(app, "log-archive");
          stack.node.addValidation({ validate: () => ["broken on purpose"] });
          app.synth();
        },
        { outdir, removeOrphans: true },
      ),
    ).rejects.toThrow("broken on purpose");
    expect(snapshotDir(outdir)).toEqual(before);
    expect(readdirSync(dirname(outdir)).filter((f) => f.includes("staging"))).toEqual([]);
  });

  test("under the cdktf CLI, a good registry replaces the output and leaves stale stack folders for the CLI to remove", async () => {
    const outdir = existingOutput();
    mkdirSync(join(outdir, "stacks", "log-source-999999999999-eu-west-1"), { recursive: true });
    const registryFile = join(dirname(outdir), "registry.yaml");
    writeFileSync(registryFile, MINIMAL_YAML);
    expect((await run({ REGISTRY_FILE: registryFile, CDKTF_OUTDIR: outdir }, () => {})).exitCode).toBe(0);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual([
      "log-archive",
      "log-source-222222222222-eu-west-1",
      "log-source-222222222222-us-east-1",
      "log-source-999999999999-eu-west-1",
    ]);
    expect(readFileSync(join(outdir, "stacks", "log-archive", "cdk.tf.json"), "utf8")).not.toContain("previous");
  });

  test("run directly, a synthesis removes stack folders the registry no longer has", async () => {
    const outdir = existingOutput();
    mkdirSync(join(outdir, "stacks", "log-source-999999999999-eu-west-1"), { recursive: true });
    await atomicSynth(
      (staging) => {
        const app = new App({ outdir: staging });
        new TerraformStack(app, "log-archive");
        app.synth();
      },
      { outdir, removeOrphans: true },
    );
    expect(readdirSync(join(outdir, "stacks"))).toEqual(["log-archive"]);
  });
});

describe("the app command, as the cdktf CLI runs it", () => {
  beforeAll(() => {
    execFileSync("node", ["scripts/build.mjs"], { stdio: "pipe" });
  });

  test("exits non-zero on a bad registry, printing only the problems", () => {
    const root = scratchDir("cwl-cli-");
    const registryFile = join(root, "registry.yaml");
    writeFileSync(registryFile, MINIMAL_YAML.replace('"222222222222"', "222222222222"));
    const result = spawnSync("node", ["dist/main.js"], {
      env: { ...process.env, REGISTRY_FILE: registryFile, CDKTF_OUTDIR: join(root, "cdktf.out") },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `Registry error (cdktf.out left unchanged):\n${registryFile}: accounts[0].id: expected a 12-digit account id as a quoted string (a YAML number loses leading zeros), got 222222222222\n`,
    );
    expect(result.stdout).toBe("");
    expect(existsSync(join(root, "cdktf.out"))).toBe(false);
  });

  test("a synthesis leaves the temporary directory as it found it", () => {
    // GIVEN an empty temporary directory for the app's process
    const root = scratchDir("cwl-cli-");
    const tmp = join(root, "tmp");
    mkdirSync(tmp);
    const registryFile = join(root, "registry.yaml");
    writeFileSync(registryFile, MINIMAL_YAML);
    // WHEN the app synthesises (the log-archive stack packages the delivery watch's function)
    const result = spawnSync("node", ["dist/main.js"], {
      env: { ...process.env, REGISTRY_FILE: registryFile, CDKTF_OUTDIR: join(root, "cdktf.out"), TMPDIR: tmp },
      encoding: "utf8",
    });
    // THEN nothing is left there
    expect(result.status).toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
  });

  test("synthesises the registry REGISTRY_FILE names when it holds only the design's required keys", () => {
    const root = scratchDir("cwl-cli-");
    const registryFile = join(root, "registry.yaml");
    writeFileSync(registryFile, MINIMAL_YAML);
    const result = spawnSync("node", ["dist/main.js"], {
      env: { ...process.env, REGISTRY_FILE: registryFile, CDKTF_OUTDIR: join(root, "cdktf.out") },
      encoding: "utf8",
    });
    expect(result.status).toBe(0);
    expect(readdirSync(join(root, "cdktf.out", "stacks")).sort()).toEqual([
      "log-archive",
      "log-source-222222222222-eu-west-1",
      "log-source-222222222222-us-east-1",
    ]);
  });
});
