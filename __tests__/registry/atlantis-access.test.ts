import { errorsFor, registryWith, type RawRegistry } from "../helpers/registry";

const ATLANTIS = "arn:aws:iam::999999999990:role/atlantis-server";

/** A registry that asks for Atlantis's deployment roles, with everything they need. */
function atlantis(raw: RawRegistry, access: Record<string, unknown> = {}) {
  raw.sources = { cloudTrail: { enabled: true, managementAccountId: "999999999999" } };
  raw.deployment = {
    roleName: "cwl-archive-atlantis",
    managementAccount: { credentials: "assumeRole", roleName: "cwl-archive-atlantis-management" },
  };
  raw.atlantis = {
    access: { enabled: true, principalArns: [ATLANTIS], targetIds: ["ou-ab12-workload1"], ...access },
  };
}

describe("registry: atlantis.access", () => {
  test("off by default, with the Terraform Cloud run roles' default policy", () => {
    const registry = registryWith();
    expect(registry.atlantis.access.enabled).toBe(false);
    expect(registry.atlantis.access.principalArns).toEqual([]);
    expect(registry.atlantis.access.policyArns).toEqual(registry.terraformCloud.access.runRolePolicyArns);
  });

  test("loads with assumeRole credentials, a role of its own and the management account from the trail", () => {
    const registry = registryWith((r) => atlantis(r));
    expect(registry.atlantis.access.targetIds).toEqual(["ou-ab12-workload1"]);
    expect(registry.atlantis.access.principalArns).toEqual([ATLANTIS]);
  });

  test("fails with ambient credentials (nothing would assume the roles), naming the field", () => {
    expect(
      errorsFor((r) => {
        atlantis(r);
        r.deployment = { credentials: "ambient", roleName: "cwl-archive-atlantis" };
      }),
    ).toEqual([
      'test.yaml: atlantis.access.enabled: needs deployment.credentials assumeRole (each stack\'s provider assumes the role the StackSet creates), got "ambient"',
    ]);
  });

  test("fails with OrganizationAccountAccessRole, which Organizations already created in the accounts it created", () => {
    expect(
      errorsFor((r) => {
        atlantis(r);
        (r.deployment as Record<string, unknown>).roleName = undefined;
      }),
    ).toEqual([
      expect.stringMatching(
        /^test\.yaml: deployment\.roleName: expected a role of its own with atlantis\.access\.enabled, such as cwl-archive-atlantis: Organizations already created OrganizationAccountAccessRole/,
      ),
    ]);
  });

  test("fails without principals, targets or management account, naming each", () => {
    expect(
      errorsFor((r) => {
        atlantis(r, { principalArns: [], targetIds: [] });
        r.sources = {};
        r.deployment = { roleName: "cwl-archive-atlantis" };
      }),
    ).toEqual([
      expect.stringMatching(/^test\.yaml: atlantis\.access\.principalArns: expected at least one IAM role ARN/),
      expect.stringMatching(/^test\.yaml: atlantis\.access\.targetIds: expected at least one root or OU id/),
      expect.stringMatching(/^test\.yaml: atlantis\.access\.managementAccountId: is required/),
    ]);
  });

  test("fails on duplicates, a principal that is not a role, and a second management account", () => {
    expect(
      errorsFor((r) =>
        atlantis(r, {
          principalArns: [ATLANTIS, ATLANTIS, "arn:aws:iam::999999999990:user/atlantis"],
          targetIds: ["ou-ab12-workload1", "ou-ab12-workload1"],
          managementAccountId: "999999999998",
        }),
      ),
    ).toEqual([
      'test.yaml: atlantis.access.principalArns[2]: expected an IAM role ARN such as arn:aws:iam::111111111111:role/atlantis (with its path, if any), got "arn:aws:iam::999999999990:user/atlantis"',
    ]);
    expect(
      errorsFor((r) =>
        atlantis(r, {
          principalArns: [ATLANTIS, ATLANTIS],
          targetIds: ["ou-ab12-workload1", "ou-ab12-workload1"],
          managementAccountId: "999999999998",
        }),
      ),
    ).toEqual([
      `test.yaml: atlantis.access.principalArns[1]: duplicate principal, got "${ATLANTIS}"`,
      'test.yaml: atlantis.access.targetIds[1]: duplicate target, got "ou-ab12-workload1"',
      'test.yaml: atlantis.access.managementAccountId: expected the organization\'s one management account, sources.cloudTrail.managementAccountId (999999999999), got "999999999998"',
    ]);
  });

  test("cannot be combined with Terraform Cloud's access: one needs assumed roles, the other ambient credentials", () => {
    const errors = errorsFor((r) => {
      atlantis(r);
      r.terraformCloud = { access: { enabled: true, targetIds: ["ou-ab12-workload1"] } };
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        'test.yaml: terraformCloud.access.enabled: needs deployment.credentials ambient (the workspaces\' dynamic credentials), got "assumeRole"',
      ]),
    );
  });
});
