import { buildApp, stackNames } from "../../modules/app/build-app";
import { loadRegistry } from "../../modules/registry/load";
import { parseRegistry } from "../../modules/registry/parse";
import { accountOfStack } from "../../modules/registry/settings";
import { registryWith } from "../helpers/registry";
import { scratchDir } from "../helpers/scratch";
import { resourcesOf, synthRegistry, type TfJson } from "../helpers/synth";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";

const registry = loadRegistry("examples/registries/terraform-cloud.yaml");

/** Every workspace of a log-workspaces stack with its env variables, by workspace name. */
function workspacesOf(stack: TfJson): Map<string, { workspace: any; variables: Record<string, string> }> {
  const byAddress = new Map<string, { workspace: any; variables: Record<string, string> }>();
  for (const [address, workspace] of resourcesOf(stack, "tfe_workspace")) {
    byAddress.set(`\${tfe_workspace.${address}.id}`, { workspace, variables: {} });
  }
  for (const [, variable] of resourcesOf(stack, "tfe_variable")) {
    expect(variable.category).toBe("env");
    byAddress.get(variable.workspace_id)!.variables[variable.key] = variable.value;
  }
  return new Map([...byAddress.values()].map((entry) => [entry.workspace.name, entry]));
}

describe("log-workspaces", () => {
  const { stacks } = synthRegistry(registry);
  const workspaces = workspacesOf(stacks["log-workspaces"]!);

  test("has a workspace for every other stack the registry synthesises, and none for itself or log-access", () => {
    const expected = Object.keys(stacks)
      .filter((s) => s !== "log-workspaces" && s !== "log-access")
      .map((s) => `cwl-${s}`)
      .sort();
    expect([...workspaces.keys()].sort()).toEqual(expected);
  });

  test("every workspace has dynamic credentials for a plan role and an apply role in its own stack's account", () => {
    for (const [name, { variables }] of workspaces) {
      const stack = name.slice("cwl-".length);
      expect(variables.TFC_AWS_PROVIDER_AUTH).toBe("true");
      // One role per phase (HashiCorp's TFC_AWS_PLAN_ROLE_ARN and TFC_AWS_APPLY_ROLE_ARN), none for both.
      expect(variables.TFC_AWS_RUN_ROLE_ARN).toBeUndefined();
      expect(variables.TFC_AWS_APPLY_ROLE_ARN).toMatch(
        /^arn:aws:iam::\d{12}:role\/cwl-archive-tfc-run(-archive|-keys|-management)?$/,
      );
      expect(variables.TFC_AWS_PLAN_ROLE_ARN).toBe(`${variables.TFC_AWS_APPLY_ROLE_ARN}-plan`);
      expect(variables.TFC_AWS_APPLY_ROLE_ARN!.split(":")[4]).toBe(accountOfStack(registry, stack));
      // and the role its stack's provider will find there: the stack refuses any other account
      expect(stacks[stack]!.provider.aws![0].allowed_account_ids).toEqual([accountOfStack(registry, stack)]);
    }
    expect(workspaces.get("cwl-log-archive")!.variables.TFC_AWS_APPLY_ROLE_ARN).toBe(
      "arn:aws:iam::700000000001:role/cwl-archive-tfc-run-archive",
    );
    expect(workspaces.get("cwl-log-organization-trail")!.variables.TFC_AWS_PLAN_ROLE_ARN).toBe(
      "arn:aws:iam::700000000000:role/cwl-archive-tfc-run-management-plan",
    );
  });

  test("the workspaces are those the stacks' cloud blocks name, in the project they name", () => {
    const [[, project]] = resourcesOf(stacks["log-workspaces"]!, "tfe_project");
    for (const [stack, json] of Object.entries(stacks)) {
      if (stack === "log-workspaces" || stack === "log-access") continue;
      expect(json.terraform.cloud).toMatchObject({
        organization: "acme-security",
        workspaces: { project: project.name },
      });
      expect(workspaces.has(json.terraform.cloud.workspaces.name)).toBe(true);
    }
  });

  test("the two setup stacks keep their state in workspaces of the default project, which exist before the project", () => {
    for (const stack of ["log-workspaces", "log-access"]) {
      expect(stacks[stack]!.terraform.cloud).toEqual({
        organization: "acme-security",
        hostname: "app.terraform.io",
        workspaces: { name: `cwl-${stack}` },
      });
    }
  });

  test("adding an account adds its workspaces", () => {
    const more = parseRegistry(
      stringify({
        organization: registry.organization,
        logArchive: registry.logArchive,
        deployment: { credentials: "ambient", backend: { type: "cloud", organization: "acme", project: "logs" } },
        terraformCloud: { workspaces: { enabled: true } },
        accounts: [
          { id: "222222222222", name: "a", regions: ["eu-west-1"] },
          { id: "333333333333", name: "b", regions: ["eu-west-1", "us-east-1"] },
        ],
      }),
      "test.yaml",
    );
    const names = [...workspacesOf(synthRegistry(more).stacks["log-workspaces"]!).keys()].sort();
    expect(names).toEqual([
      "log-archive",
      "log-source-222222222222-eu-west-1",
      "log-source-333333333333-eu-west-1",
      "log-source-333333333333-us-east-1",
    ]);
  });

  test("in committed mode with a VCS connection each workspace runs its committed stack folder", () => {
    const committed = registryWith((r) => {
      r.deployment = {
        credentials: "ambient",
        atlantisMode: "committed",
        backend: { type: "cloud", organization: "acme", project: "logs" },
      };
      r.terraformCloud = {
        workspaces: { enabled: true, vcs: { identifier: "acme/log-archive", githubAppInstallationId: "ghain-abc123" } },
      };
    });
    for (const { workspace } of workspacesOf(synthRegistry(committed).stacks["log-workspaces"]!).values()) {
      expect(workspace.working_directory).toBe(`cdktf.out/stacks/${workspace.name}`);
      expect(workspace.vcs_repo).toEqual({
        identifier: "acme/log-archive",
        github_app_installation_id: "ghain-abc123",
      });
    }
  });

  test("log-keys runs before log-archive through a run trigger; sources get none", () => {
    const triggers = resourcesOf(stacks["log-workspaces"]!, "tfe_run_trigger");
    expect(triggers.map(([, t]) => t["//"].metadata.path)).toEqual([
      "log-workspaces/Workspaces/log-archive-After-log-keys",
    ]);
  });
});

describe("log-access", () => {
  const access = synthRegistry(registry).stacks["log-access"]!;

  test("deploys from the management account with a service-managed StackSet to the target OUs, accounts joining later included", () => {
    expect(access.provider.aws![0].allowed_account_ids).toEqual(["700000000000"]);
    const [[, stackSet]] = resourcesOf(access, "aws_cloudformation_stack_set");
    expect(stackSet).toMatchObject({
      permission_model: "SERVICE_MANAGED",
      call_as: "SELF",
      auto_deployment: { enabled: true, retain_stacks_on_account_removal: false },
      capabilities: ["CAPABILITY_NAMED_IAM"],
    });
    const instances = resourcesOf(access, "aws_cloudformation_stack_set_instance").map(([, i]) => i);
    expect(instances.map((i) => i.deployment_targets.organizational_unit_ids)).toEqual([
      ["ou-ex07-security1"],
      ["ou-ex07-workload1"],
    ]);
    for (const instance of instances) {
      expect(instance).toMatchObject({ stack_set_instance_region: "eu-west-1", retain_stack: true });
    }
  });

  test("adding an OU adds its own instance and leaves the others' addresses and arguments as they were", () => {
    // deployment_targets is ForceNew: one instance naming every OU would be replaced, every run role deleted.
    const grown = loadRegistry("examples/registries/terraform-cloud.yaml");
    const bigger = synthRegistry({
      ...grown,
      terraformCloud: {
        ...grown.terraformCloud,
        access: {
          ...grown.terraformCloud.access,
          targetIds: [...grown.terraformCloud.access.targetIds, "ou-ex07-sandbox1"],
        },
      },
    }).stacks["log-access"]!;
    const before = new Map(resourcesOf(access, "aws_cloudformation_stack_set_instance"));
    const after = new Map(resourcesOf(bigger, "aws_cloudformation_stack_set_instance"));
    expect(after.size).toBe(before.size + 1);
    for (const [address, instance] of before) expect(after.get(address)).toEqual(instance);
    const added = [...after.keys()].filter((address) => !before.has(address));
    expect(added).toHaveLength(1);
    expect(added[0]).toContain("ou-ex07-sandbox1");
    expect(after.get(added[0]!)!.deployment_targets.organizational_unit_ids).toEqual(["ou-ex07-sandbox1"]);
  });

  test("the StackSet's OIDC provider has a 40-hex ThumbprintList, which CloudFormation requires, from the registry", () => {
    const template = JSON.parse(resourcesOf(access, "aws_cloudformation_stack_set")[0]![1].template_body);
    expect(template.Resources.TerraformCloudOidcProvider.Properties.ThumbprintList).toEqual([
      "9e99a48a9960b14926bb7f3b02e22da2b0ab7280",
    ]);
    const own = loadRegistry("examples/registries/terraform-cloud.yaml");
    const custom = synthRegistry({
      ...own,
      terraformCloud: {
        ...own.terraformCloud,
        access: { ...own.terraformCloud.access, oidcThumbprint: "0123456789abcdef0123456789abcdef01234567" },
      },
    }).stacks["log-access"]!;
    const customTemplate = JSON.parse(resourcesOf(custom, "aws_cloudformation_stack_set")[0]![1].template_body);
    expect(customTemplate.Resources.TerraformCloudOidcProvider.Properties.ThumbprintList).toEqual([
      "0123456789abcdef0123456789abcdef01234567",
    ]);
    expect(resourcesOf(custom, "aws_iam_openid_connect_provider")[0]![1].thumbprint_list).toEqual([
      "0123456789abcdef0123456789abcdef01234567",
    ]);
  });

  test("creates the OIDC provider for the host, or trusts the existing one when told", () => {
    const template = (json: TfJson) =>
      JSON.parse(resourcesOf(json, "aws_cloudformation_stack_set")[0]![1].template_body);
    expect(template(access).Resources.TerraformCloudOidcProvider.Properties).toMatchObject({
      Url: "https://app.terraform.io",
      ClientIdList: ["aws.workload.identity"],
    });
    expect(resourcesOf(access, "aws_iam_openid_connect_provider")).toHaveLength(1);
    const reusing = loadRegistry("examples/registries/terraform-cloud.yaml");
    const existing = synthRegistry({
      ...reusing,
      terraformCloud: {
        ...reusing.terraformCloud,
        access: { ...reusing.terraformCloud.access, existingOidcProvider: true },
      },
    }).stacks["log-access"]!;
    expect(template(existing).Resources.TerraformCloudOidcProvider).toBeUndefined();
    expect(template(existing).Resources.SourceRunRole.DependsOn).toBeUndefined();
    expect(resourcesOf(existing, "aws_iam_openid_connect_provider")).toHaveLength(0);
    const [[, role]] = resourcesOf(existing, "aws_iam_role");
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal.Federated).toBe(
      "arn:aws:iam::700000000000:oidc-provider/app.terraform.io",
    );
  });
});

describe("log-workspaces grows by 5 resources a workspace", () => {
  // 100 accounts here; docs/deploying.md gives the count at 1,000 accounts x 3 Regions (15,011).
  test("a workspace, its settings and its three variables per stack, plus the project", () => {
    const big = registryWith((r) => {
      r.sources = { cloudTrail: { enabled: true, managementAccountId: "999999999999" } };
      r.deployment = { credentials: "ambient", backend: { type: "cloud", organization: "acme", project: "logs" } };
      r.terraformCloud = { workspaces: { enabled: true } };
      r.accounts = Array.from({ length: 100 }, (_, i) => ({
        id: String(200000000000 + i),
        name: `workload-${i}`,
        regions: ["eu-west-1", "us-east-1", "ap-southeast-2"],
      }));
    });
    const outdir = scratchDir("cwl-workspaces-");
    buildApp(big, { outdir, only: new Set(["log-workspaces"]) }).synth();
    const json = JSON.parse(readFileSync(join(outdir, "stacks", "log-workspaces", "cdk.tf.json"), "utf8")) as TfJson;
    const counts = Object.fromEntries(Object.entries(json.resource).map(([type, r]) => [type, Object.keys(r).length]));
    const workspaceCount = stackNames(big).length - 1;
    expect(workspaceCount).toBe(302);
    expect(counts).toEqual({
      tfe_project: 1,
      tfe_workspace: workspaceCount,
      tfe_workspace_settings: workspaceCount,
      tfe_variable: 3 * workspaceCount,
    });
  });
});
