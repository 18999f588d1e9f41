import { posix } from "node:path";
import { atlantisConfig, atlantisHeader, type AtlantisConfig } from "../../modules/atlantis/atlantis-config";
import { loadRegistry, registrySources } from "../../modules/registry/load";
import { parseRegistrySources } from "../../modules/registry/parse";
import { planned } from "../helpers/atlantis";

const FIXTURE_DIR = "__tests__/fixtures/per-account";

function fixtureConfig(): AtlantisConfig {
  const { main, accounts } = registrySources(`${FIXTURE_DIR}/registry.yaml`);
  const registry = parseRegistrySources(main, accounts);
  const accountFiles = new Map(accounts.map((a) => [posix.basename(a.file, ".yaml"), a.file]));
  return atlantisConfig({ registry, registryFile: `${FIXTURE_DIR}/registry.yaml`, accountFiles });
}

describe("atlantis.yaml", () => {
  const config = fixtureConfig();
  const all = config.projects.map((p) => p.name).sort();

  test("one project per stack folder, with the cdktf workflow", () => {
    expect(all).toEqual([
      "log-archive",
      "log-source-222222222222-eu-west-1",
      "log-source-222222222222-us-east-1",
      "log-source-333333333333-eu-central-1",
      "log-source-444444444444-eu-west-1",
    ]);
    for (const project of config.projects) {
      expect(project.dir).toBe(`cdktf.out/stacks/${project.name}`);
      expect(project.workflow).toBe("cdktf");
    }
  });

  test("the archive is planned and applied before every source project", () => {
    const archive = config.projects.find((p) => p.name === "log-archive")!;
    expect(archive.execution_order_group).toBe(0);
    expect(archive.depends_on).toBeUndefined();
    for (const project of config.projects.filter((p) => p.name !== "log-archive")) {
      expect(project.execution_order_group).toBe(1);
      expect(project.depends_on).toEqual(["log-archive"]);
    }
  });

  test.each<[string, string[], string[] | "all"]>([
    [
      "one account file (and log-archive, whose Athena tables list the accounts)",
      [`${FIXTURE_DIR}/sources/222222222222.yaml`],
      ["log-archive", "log-source-222222222222-eu-west-1", "log-source-222222222222-us-east-1"],
    ],
    [
      "another account file",
      [`${FIXTURE_DIR}/sources/333333333333.yaml`],
      ["log-archive", "log-source-333333333333-eu-central-1"],
    ],
    ["the registry file (organisation settings, inline accounts)", [`${FIXTURE_DIR}/registry.yaml`], "all"],
    ["a module", ["modules/source/delivery-stream.ts"], "all"],
    ["a nested module", ["modules/registry/schema.ts"], "all"],
    ["the lockfile", ["package-lock.json"], "all"],
    ["documentation only", ["README.md", "docs/benchmarks.md"], []],
    ["a test only", ["__tests__/atlantis/atlantis-config.test.ts"], []],
  ])("a pull request changing %s plans exactly the right stacks", (_what, changed, expected) => {
    expect(planned(config, changed)).toEqual(expected === "all" ? all : expected);
  });

  test.each([
    ["Athena and the delivery watch off", "{athena: {enabled: false}, alarms: {sources: perAccount}}", false],
    ["Athena off, the delivery watch on (it lists every account)", "{athena: {enabled: false}}", true],
  ])("with %s, an account file plans the right stacks", (_case, monitoring, archiveToo) => {
    const { main, accounts } = registrySources(`${FIXTURE_DIR}/registry.yaml`);
    const registry = parseRegistrySources({ ...main, text: `${main.text}monitoring: ${monitoring}\n` }, accounts);
    const accountFiles = new Map(accounts.map((a) => [posix.basename(a.file, ".yaml"), a.file]));
    const custom = atlantisConfig({ registry, registryFile: `${FIXTURE_DIR}/registry.yaml`, accountFiles });
    expect(planned(custom, [`${FIXTURE_DIR}/sources/333333333333.yaml`])).toEqual([
      ...(archiveToo ? ["log-archive"] : []),
      "log-source-333333333333-eu-central-1",
    ]);
  });

  test("keys in a key-management account: log-keys plans first, then the archive, then the rest", () => {
    const { main, accounts } = registrySources(`${FIXTURE_DIR}/registry.yaml`);
    const registry = parseRegistrySources(
      { ...main, text: `${main.text}keys: {accountId: "999999999999"}\n` },
      accounts,
    );
    const accountFiles = new Map(accounts.map((a) => [posix.basename(a.file, ".yaml"), a.file]));
    const withKeys = atlantisConfig({ registry, registryFile: `${FIXTURE_DIR}/registry.yaml`, accountFiles });
    const order = Object.fromEntries(
      (withKeys.projects as { name: string; execution_order_group: number }[]).map((p) => [
        p.name,
        p.execution_order_group,
      ]),
    );
    expect(order["log-keys"]).toBe(0);
    expect(order["log-archive"]).toBe(1);
    expect(order["log-source-333333333333-eu-central-1"]).toBe(2);
    // Atlantis refuses to apply a project before those it depends on: each dependency
    // is another project, of an earlier group (a project depending on itself never applies).
    const dependsOn = Object.fromEntries(withKeys.projects.map((p) => [p.name, p.depends_on ?? []]));
    expect(dependsOn["log-keys"]).toEqual([]);
    expect(dependsOn["log-archive"]).toEqual(["log-keys"]);
    expect(dependsOn["log-source-333333333333-eu-central-1"]).toEqual(["log-archive"]);
    for (const [name, dependencies] of Object.entries(dependsOn)) {
      for (const dependency of dependencies) {
        expect([name, dependency !== name && order[dependency]! < order[name]!]).toEqual([name, true]);
      }
    }
  });

  test.each([
    ["synthesize", (text: string) => text],
    ["committed", (text: string) => text.replace("deployment:\n", "deployment:\n  atlantisMode: committed\n")],
  ])("in the %s mode, the policy check stage runs the plan gate through conftest on the plan JSON", (mode, edit) => {
    // GIVEN the sample registry in that mode
    const { main, accounts } = registrySources("examples/registries/sample/registry.yaml");
    const registry = parseRegistrySources({ ...main, text: edit(main.text) }, accounts);
    const accountFiles = new Map(accounts.map((a) => [posix.basename(a.file, ".yaml"), a.file]));
    // WHEN atlantis.yaml is generated
    const generated = atlantisConfig({
      registry,
      registryFile: "examples/registries/sample/registry.yaml",
      accountFiles,
    });
    // THEN show writes $SHOWFILE and Atlantis's policy_check step runs conftest on it, with no
    // extra arguments: the gate is conftest's default namespace, its policies the server's
    const workflow = generated.workflows.cdktf as Record<string, { steps: unknown[] }>;
    expect(registry.deployment.atlantisMode).toBe(mode);
    expect(workflow.policy_check!.steps).toEqual(["show", "policy_check"]);
    expect(Object.keys(workflow)).toEqual(["plan", "policy_check", "apply"]);
  });

  test("the plan step refuses to run without a synthesised stack", () => {
    const plan = (config.workflows.cdktf as { plan: { steps: unknown[] } }).plan.steps;
    expect(plan[0]).toEqual({ run: expect.stringContaining("test -f cdk.tf.json") });
    expect(plan.slice(1)).toEqual(["init", "plan"]);
  });
});

describe("atlantisHeader", () => {
  test("GIVEN atlantis.access THEN the first deployment is log-access in the management account, then Atlantis plans", () => {
    const header = atlantisHeader(loadRegistry("examples/registries/atlantis.yaml"), "accounts/registry.yaml");
    expect(header.split("\n")[0]).toBe(
      "# Generated by `npm run atlantis` from accounts/registry.yaml; do not edit by hand.",
    );
    expect(header).toMatch(/apply log-access in the management account/);
    expect(header).toMatch(/creates the role\n# cwl-archive-atlantis in every account of atlantis\.access\.targetIds/);
    expect(header).toMatch(/Then let Atlantis plan:\n# no step by hand per account\./);
    expect(header.split("\n").every((line) => line === "" || line.startsWith("# "))).toBe(true);
  });

  test("GIVEN assumed roles without atlantis.access THEN it says the role must exist in every account, and how to create it", () => {
    const header = atlantisHeader(loadRegistry("examples/registries/minimal.yaml"), "r.yaml");
    expect(header).toMatch(/assumes the role OrganizationAccountAccessRole in its account, which\n# must exist there/);
    expect(header).toMatch(/atlantis\.access/);
  });
});
