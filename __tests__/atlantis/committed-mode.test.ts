/**
 * The committed-output Atlantis mode: the synthesised stacks are committed,
 * CI fails when they are not exactly what `npx cdktf synth` produces, and each
 * project autoplans only when its own cdk.tf.json changes, so a change to the
 * code plans exactly the stacks whose Terraform changed.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Aspects, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { buildApp } from "../../modules/app/build-app";
import { compareStacks, describeDifference } from "../../modules/app/committed-output";
import { atlantisConfig, STACKS_DIR } from "../../modules/atlantis/atlantis-config";
import { registrySources } from "../../modules/registry/load";
import { parseRegistrySources, type Registry } from "../../modules/registry/parse";
import { planned } from "../helpers/atlantis";

const root = mkdtempSync(join(tmpdir(), "cwl-committed-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The sample registry, in the committed mode. */
function sample(): { registry: Registry; accountFiles: Map<string, string> } {
  const { main, accounts } = registrySources("examples/registries/sample/registry.yaml");
  const text = main.text.replace("deployment:\n", "deployment:\n  atlantisMode: committed\n");
  const registry = parseRegistrySources({ ...main, text }, accounts);
  const accountFiles = new Map(accounts.map((a) => [posix.basename(a.file, ".yaml"), a.file]));
  return { registry, accountFiles };
}

/** Synthesises into `<root>/<name>`, with an optional aspect standing for a change of code. */
function synth(registry: Registry, name: string, aspect?: IAspect): string {
  const outdir = join(root, name);
  const app = buildApp(registry, { outdir });
  // cdktf invokes the aspects of each stack (not the App's) at synthesis.
  if (aspect) for (const stack of app.node.children) Aspects.of(stack).add(aspect);
  app.synth();
  return join(outdir, "stacks");
}

/**
 * A change of one construct's default: GuardDuty findings kept 60 days in
 * the source account instead of 30. Only accounts with GuardDuty have that
 * log group, so only their stacks' Terraform changes.
 */
const guardDutyRetention60: IAspect = {
  visit(node: IConstruct) {
    if (node instanceof CloudwatchLogGroup && node.node.path.includes("/GuardDuty/")) node.retentionInDays = 60;
  },
};

/** Repository paths of the cdk.tf.json files that differ between two syntheses. */
function changedFiles(before: string, after: string): string[] {
  return compareStacks(before, after).changed.map((stack) => `${STACKS_DIR}/${stack}/cdk.tf.json`);
}

describe("committed-output Atlantis mode", () => {
  const { registry, accountFiles } = sample();
  const config = atlantisConfig({ registry, registryFile: "examples/registries/sample/registry.yaml", accountFiles });

  test("each project autoplans on its own cdk.tf.json only, and no hook needs to synthesise", () => {
    for (const project of config.projects) expect(project.autoplan.when_modified).toEqual(["cdk.tf.json"]);
    expect(JSON.stringify(config.workflows)).toContain("this stack is not committed");
  });

  test("a change of one construct's default plans exactly the stacks whose Terraform changed", () => {
    const before = synth(registry, "before");
    const after = synth(registry, "after", guardDutyRetention60);
    const changed = changedFiles(before, after);
    // The sample sends GuardDuty findings from 482019375610, in two Regions.
    expect(changed).toEqual([
      `${STACKS_DIR}/log-source-482019375610-eu-west-1/cdk.tf.json`,
      `${STACKS_DIR}/log-source-482019375610-us-east-1/cdk.tf.json`,
    ]);
    // The pull request holds the code change and the two regenerated stacks.
    const pullRequest = ["modules/source/log-source.ts", ...changed];
    expect(planned(config, pullRequest)).toEqual([
      "log-source-482019375610-eu-west-1",
      "log-source-482019375610-us-east-1",
    ]);
    // The synthesize mode plans every stack for the same change of code.
    const synthesizeMode = atlantisConfig({
      registry: { ...registry, deployment: { ...registry.deployment, atlantisMode: "synthesize" } },
      registryFile: "examples/registries/sample/registry.yaml",
      accountFiles,
    });
    expect(planned(synthesizeMode, ["modules/source/log-source.ts"])).toHaveLength(config.projects.length);
  });

  test("a change that alters no Terraform plans nothing", () => {
    const before = synth(registry, "same-before");
    const after = synth(registry, "same-after");
    expect(planned(config, ["modules/source/log-source.ts", ...changedFiles(before, after)])).toEqual([]);
  });
});

describe("the freshness check of committed stacks", () => {
  function stacksDir(name: string, stacks: Record<string, string>): string {
    const dir = join(root, "freshness", name);
    for (const [stack, text] of Object.entries(stacks)) {
      mkdirSync(join(dir, stack), { recursive: true });
      writeFileSync(join(dir, stack, "cdk.tf.json"), text);
    }
    return dir;
  }

  test("passes when the committed stacks are exactly the synthesis", () => {
    const fresh = synth(sample().registry, "fresh");
    const committed = join(root, "freshness", "copy");
    for (const stack of readdirSync(fresh)) {
      mkdirSync(join(committed, stack), { recursive: true });
      writeFileSync(join(committed, stack, "cdk.tf.json"), readFileSync(join(fresh, stack, "cdk.tf.json")));
    }
    expect(describeDifference(compareStacks(committed, fresh))).toEqual([]);
  });

  test("fails on a stale, a missing and a left-over stack, naming each", () => {
    const fresh = stacksDir("fresh", { a: '{"x":1}', b: '{"x":2}', c: "{}" });
    const committed = stacksDir("committed", { a: '{"x":1}', b: '{"x":1}', d: "{}" });
    expect(describeDifference(compareStacks(committed, fresh))).toEqual([
      "c: synthesised but not committed",
      "d: committed but no longer synthesised (remove it)",
      "b: committed cdk.tf.json differs from npx cdktf synth",
    ]);
  });
});
