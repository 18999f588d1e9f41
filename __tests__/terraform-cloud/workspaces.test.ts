import { TerraformCloudWorkspaces, type TerraformCloudWorkspacesProps } from "../../modules/terraform-cloud/workspaces";
import { errorsOf, synthConstruct } from "../helpers/construct";

const roles = (account: string, role: string) => ({
  applyRoleArn: `arn:aws:iam::${account}:role/${role}`,
  planRoleArn: `arn:aws:iam::${account}:role/${role}-plan`,
});
const WORKSPACES = [
  { stack: "log-keys", name: "cwl-log-keys", ...roles("333333333333", "run-keys") },
  { stack: "log-archive", name: "cwl-log-archive", ...roles("111111111111", "run-archive") },
  {
    stack: "log-source-222222222222-eu-west-1",
    name: "cwl-log-source-222222222222-eu-west-1",
    ...roles("222222222222", "run"),
  },
];

function synth(extra: Partial<TerraformCloudWorkspacesProps> = {}) {
  return synthConstruct(
    (stack) =>
      new TerraformCloudWorkspaces(stack, "Workspaces", {
        organization: "acme",
        projectName: "logs",
        workspaces: WORKSPACES,
        ...extra,
      }),
  );
}

/** The env variables of each workspace, by the workspace's Terraform reference. */
function variablesByWorkspace(tf: ReturnType<typeof synth>): Map<string, Record<string, string>> {
  const byWorkspace = new Map<string, Record<string, string>>();
  for (const variable of Object.values(tf.resource.tfe_variable ?? {}) as any[]) {
    expect(variable.category).toBe("env");
    byWorkspace.set(variable.workspace_id, {
      ...byWorkspace.get(variable.workspace_id),
      [variable.key]: variable.value,
    });
  }
  return byWorkspace;
}

describe("TerraformCloudWorkspaces", () => {
  test("one workspace per stack, in the project, each with the dynamic-credential variables of its own plan and apply roles", () => {
    const tf = synth();
    expect(Object.keys(tf.resource.tfe_project!)).toHaveLength(1);
    const workspaces = Object.entries(tf.resource.tfe_workspace!) as [string, any][];
    expect(workspaces.map(([, w]) => w.name).sort()).toEqual(WORKSPACES.map((w) => w.name).sort());
    const variables = variablesByWorkspace(tf);
    for (const [address, workspace] of workspaces) {
      expect(workspace).toMatchObject({
        organization: "acme",
        project_id: expect.stringMatching(/^\$\{tfe_project\./),
      });
      const spec = WORKSPACES.find((w) => w.name === workspace.name)!;
      expect(variables.get(`\${tfe_workspace.${address}.id}`)).toEqual({
        TFC_AWS_PROVIDER_AUTH: "true",
        // One role per phase: no TFC_AWS_RUN_ROLE_ARN, which would give plans the apply's rights.
        TFC_AWS_PLAN_ROLE_ARN: spec.planRoleArn,
        TFC_AWS_APPLY_ROLE_ARN: spec.applyRoleArn,
      });
      expect(workspace.working_directory).toBeUndefined();
      expect(workspace.vcs_repo).toBeUndefined();
    }
  });

  test("sets the execution mode of every workspace through workspace settings", () => {
    const settings = Object.values(
      synth({ executionMode: "agent", agentPoolId: "apool-abc" }).resource.tfe_workspace_settings!,
    );
    expect(settings).toHaveLength(WORKSPACES.length);
    for (const s of settings as any[]) expect(s).toMatchObject({ execution_mode: "agent", agent_pool_id: "apool-abc" });
    for (const s of Object.values(synth().resource.tfe_workspace_settings!) as any[]) {
      expect(s.execution_mode).toBe("remote");
    }
  });

  test("VCS-driven workspaces run their stack's own folder", () => {
    const tf = synth({
      vcs: {
        identifier: "acme/logs",
        oauthTokenId: "ot-abc",
        branch: "main",
        workingDirectory: (s) => `cdktf.out/stacks/${s}`,
      },
    });
    for (const workspace of Object.values(tf.resource.tfe_workspace!) as any[]) {
      const stack = WORKSPACES.find((w) => w.name === workspace.name)!.stack;
      expect(workspace.working_directory).toBe(`cdktf.out/stacks/${stack}`);
      expect(workspace.vcs_repo).toEqual({ identifier: "acme/logs", oauth_token_id: "ot-abc", branch: "main" });
      // No run queued on creation, before the workspace's variables exist.
      expect(workspace.queue_all_runs).toBe(false);
    }
  });

  test("run triggers queue the reading workspace after the one it reads", () => {
    const tf = synth({ runTriggers: [{ from: "log-keys", to: "log-archive" }] });
    const triggers = Object.values(tf.resource.tfe_run_trigger!) as any[];
    expect(triggers).toHaveLength(1);
    const addressOf = (name: string) =>
      Object.entries(tf.resource.tfe_workspace!).find(([, w]) => (w as any).name === name)![0];
    expect(triggers[0]).toMatchObject({
      workspace_id: `\${tfe_workspace.${addressOf("cwl-log-archive")}.id}`,
      sourceable_id: `\${tfe_workspace.${addressOf("cwl-log-keys")}.id}`,
    });
  });

  test("fails on every inconsistent prop at once", () => {
    expect(
      errorsOf(
        (stack) =>
          new TerraformCloudWorkspaces(stack, "Workspaces", {
            organization: "acme",
            projectName: "logs",
            workspaces: [...WORKSPACES, WORKSPACES[0]!],
            executionMode: "agent",
            vcs: { identifier: "a/b", workingDirectory: (s) => s },
            runTriggers: [{ from: "log-guardrails", to: "log-archive" }],
          }),
      ),
    ).toEqual([
      'TerraformCloudWorkspaces test/Workspaces: agentPoolId: required with executionMode "agent"',
      "TerraformCloudWorkspaces test/Workspaces: vcs: expected exactly one of oauthTokenId and githubAppInstallationId",
      "TerraformCloudWorkspaces test/Workspaces: workspaces: duplicate workspace names",
      'TerraformCloudWorkspaces test/Workspaces: runTriggers: no workspace for stack "log-guardrails"',
    ]);
  });
});
