import { errorsFor, registryWith, type RawRegistry } from "../helpers/registry";

/** A registry that asks for both Terraform Cloud stacks, with everything they need. */
function terraformCloud(raw: RawRegistry, extra: Record<string, unknown> = {}) {
  raw.sources = { cloudTrail: { enabled: true, managementAccountId: "999999999999" } };
  raw.deployment = {
    credentials: "ambient",
    backend: { type: "cloud", organization: "acme", project: "logs", workspacePrefix: "cwl-" },
  };
  raw.terraformCloud = {
    workspaces: { enabled: true },
    access: { enabled: true, targetIds: ["ou-ab12-workload1"] },
    ...extra,
  };
}

describe("registry: terraformCloud", () => {
  test("off by default", () => {
    const registry = registryWith();
    expect(registry.terraformCloud.workspaces.enabled).toBe(false);
    expect(registry.terraformCloud.access.enabled).toBe(false);
    expect(registry.terraformCloud.access.runRolePolicyArns).toEqual(["arn:aws:iam::aws:policy/AdministratorAccess"]);
  });

  test("loads with a cloud backend, a project and ambient credentials", () => {
    const registry = registryWith((r) => terraformCloud(r));
    expect(registry.terraformCloud.workspaces.executionMode).toBe("remote");
    expect(registry.terraformCloud.access.targetIds).toEqual(["ou-ab12-workload1"]);
    expect(registry.terraformCloud.access.existingOidcProvider).toBe(false);
  });

  test("fails without the cloud backend, its project, or ambient credentials, naming each", () => {
    expect(
      errorsFor((r) => {
        terraformCloud(r);
        r.deployment = {
          credentials: "assumeRole",
          backend: { type: "s3", bucket: "state-bucket", region: "eu-west-1" },
        };
      }),
    ).toEqual([
      expect.stringMatching(/^test\.yaml: deployment\.managementAccount: is required/),
      'test.yaml: terraformCloud.workspaces.enabled: needs deployment.backend type cloud, got type "s3"',
      'test.yaml: terraformCloud.workspaces.enabled: needs deployment.credentials ambient (the workspaces\' dynamic credentials), got "assumeRole"',
      'test.yaml: terraformCloud.access.enabled: needs deployment.backend type cloud, got type "s3"',
      'test.yaml: terraformCloud.access.enabled: needs deployment.credentials ambient (the workspaces\' dynamic credentials), got "assumeRole"',
    ]);
    expect(
      errorsFor((r) => {
        terraformCloud(r);
        r.deployment = { credentials: "ambient", backend: { type: "cloud", organization: "acme" } };
      }),
    ).toEqual([
      expect.stringMatching(
        /^test\.yaml: terraformCloud\.workspaces\.enabled: needs deployment\.backend\.project: the project is part of every run's identity token/,
      ),
      expect.stringMatching(/^test\.yaml: terraformCloud\.access\.enabled: needs deployment\.backend\.project/),
    ]);
  });

  test("fails on an agent pool without agent mode and agent mode without a pool", () => {
    expect(errorsFor((r) => terraformCloud(r, { workspaces: { enabled: true, executionMode: "agent" } }))).toEqual([
      "test.yaml: terraformCloud.workspaces.agentPoolId: is required with executionMode agent",
    ]);
    expect(errorsFor((r) => terraformCloud(r, { workspaces: { enabled: true, agentPoolId: "apool-abc123" } }))).toEqual(
      [
        'test.yaml: terraformCloud.workspaces.agentPoolId: is only used with executionMode agent, got executionMode "remote"',
      ],
    );
    expect(
      errorsFor((r) =>
        terraformCloud(r, { workspaces: { enabled: true, executionMode: "agent", agentPoolId: "pool" } }),
      ),
    ).toEqual([
      'test.yaml: terraformCloud.workspaces.agentPoolId: expected an agent pool id such as apool-a1b2c3d4, got "pool"',
    ]);
  });

  test("refuses local execution with access: dynamic credentials do nothing on the CLI's machine", () => {
    expect(errorsFor((r) => terraformCloud(r, { workspaces: { enabled: true, executionMode: "local" } }))).toEqual([
      expect.stringMatching(
        /^test\.yaml: terraformCloud\.workspaces\.executionMode: local cannot be used with terraformCloud\.access\.enabled/,
      ),
    ]);
  });

  test("plan roles are read-only by default, apply roles administer", () => {
    const registry = registryWith((r) => terraformCloud(r));
    expect(registry.terraformCloud.access.planRolePolicyArns).toEqual(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
  });

  test("fails on VCS-driven workspaces outside committed mode, or without exactly one VCS credential", () => {
    const vcs = { identifier: "acme/log-archive", oauthTokenId: "ot-abc123", githubAppInstallationId: "ghain-abc123" };
    expect(errorsFor((r) => terraformCloud(r, { workspaces: { enabled: true, vcs } }))).toEqual([
      expect.stringMatching(/^test\.yaml: terraformCloud\.workspaces\.vcs: needs deployment\.atlantisMode committed/),
      "test.yaml: terraformCloud.workspaces.vcs: expected exactly one of oauthTokenId and githubAppInstallationId",
    ]);
    const committed = registryWith((r) => {
      terraformCloud(r, {
        workspaces: { enabled: true, vcs: { identifier: "acme/log-archive", oauthTokenId: "ot-abc123" } },
      });
      (r.deployment as Record<string, unknown>).atlantisMode = "committed";
    });
    expect(committed.terraformCloud.workspaces.vcs?.identifier).toBe("acme/log-archive");
  });

  test("fails on access without targets, without a management account, or with another management account", () => {
    expect(
      errorsFor((r) => {
        terraformCloud(r, { access: { enabled: true, targetIds: ["ou-ab12-workload1", "ou-ab12-workload1"] } });
        r.sources = {};
      }),
    ).toEqual([
      expect.stringMatching(
        /^test\.yaml: terraformCloud\.access\.managementAccountId: is required when terraformCloud\.access\.enabled is true/,
      ),
      'test.yaml: terraformCloud.access.targetIds[1]: duplicate target, got "ou-ab12-workload1"',
    ]);
    expect(
      errorsFor((r) => terraformCloud(r, { access: { enabled: true, managementAccountId: "888888888888" } })),
    ).toEqual([
      'test.yaml: terraformCloud.access.managementAccountId: expected the organization\'s one management account, sources.cloudTrail.managementAccountId (999999999999), got "888888888888"',
      expect.stringMatching(/^test\.yaml: terraformCloud\.access\.targetIds: expected at least one root or OU id/),
    ]);
  });

  test("fails when the guardrails would deny the run roles", () => {
    const withGuardrails = (exempt: string[]) =>
      errorsFor((r) => {
        terraformCloud(r);
        r.guardrails = {
          enabled: true,
          targetIds: ["ou-ab12-workload1"],
          breakGlassRoleName: "BreakGlass",
          exemptRoleNames: exempt,
        };
      });
    expect(withGuardrails(["cwl-archive-tfc-run"])).toEqual([
      "test.yaml: guardrails.exemptRoleNames: must exempt the Terraform Cloud run roles, or the guardrails deny the runs that apply the stacks: add cwl-archive-tfc-run* (missing cwl-archive-tfc-run-plan, cwl-archive-tfc-run-archive, cwl-archive-tfc-run-archive-plan, cwl-archive-tfc-run-keys, cwl-archive-tfc-run-keys-plan, cwl-archive-tfc-run-management, cwl-archive-tfc-run-management-plan)",
    ]);
    expect(() =>
      registryWith((r) => {
        terraformCloud(r);
        r.guardrails = {
          enabled: true,
          targetIds: ["ou-ab12-workload1"],
          breakGlassRoleName: "BreakGlass",
          exemptRoleNames: ["cwl-archive-tfc-run*"],
        };
      }),
    ).not.toThrow();
  });

  test("fails on a run role name too long for its suffixes and on a policy that is not a managed policy ARN", () => {
    expect(
      errorsFor((r) =>
        terraformCloud(r, {
          access: {
            enabled: true,
            targetIds: ["ou-ab12-workload1"],
            runRoleName: "x".repeat(54),
            runRolePolicyArns: ["AdministratorAccess"],
          },
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /^test\.yaml: terraformCloud\.access\.runRoleName: expected an IAM role name: 1-48 characters/,
      ),
      'test.yaml: terraformCloud.access.runRolePolicyArns[0]: expected a managed policy ARN such as arn:aws:iam::aws:policy/AdministratorAccess, got "AdministratorAccess"',
    ]);
  });
});
