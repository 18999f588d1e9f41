/**
 * The log-guardrails stack from the registry: where it deploys and with what
 * credentials, what the registry maps onto the construct, its place in the
 * apply order and in Atlantis, and the registry's refusals.
 */
import { stackNames } from "../../modules/app/build-app";
import { atlantisConfig } from "../../modules/atlantis/atlantis-config";
import { GUARDRAILS_STACK } from "../../modules/naming/names";
import { loadRegistry } from "../../modules/registry/load";
import {
  logGuardrailsProps,
  stackSetCreatedRoleNames,
  subscribedLogGroups,
} from "../../modules/stacks/log-guardrails-stack";
import { ARCHIVE, errorsFor, registryWith, SOURCE, type RawRegistry } from "../helpers/registry";
import { policyOf, resourcesOf, synthRegistry } from "../helpers/synth";

const MANAGEMENT = "555555555555";
const LISTED = "333333333333";

function withGuardrails(raw: RawRegistry): void {
  raw.guardrails = {
    enabled: true,
    managementAccountId: MANAGEMENT,
    targetIds: ["ou-ab12-workload1"],
    breakGlassRoleName: "LogPipelineBreakGlass",
  };
  raw.deployment = { managementAccount: { credentials: "assumeRole", roleName: "GuardrailsDeployer" } };
}

describe("the log-guardrails stack", () => {
  const registry = registryWith((raw) => {
    withGuardrails(raw);
    raw.accounts.push({
      id: LISTED,
      name: "orders-prod",
      regions: ["eu-west-1"],
      subscription: {
        mode: "listed",
        logGroups: [{ name: "/app/orders", regions: ["eu-west-1"] }, { name: "/app/audit" }],
      },
    });
    raw.sources = { guardDuty: { accounts: [LISTED] } };
  });
  const { stacks } = synthRegistry(registry);
  const stack = stacks[GUARDRAILS_STACK]!;

  test("GIVEN guardrails WHEN synthesised THEN the stack deploys into the management account with its own role", () => {
    expect(stack.provider.aws![0]).toMatchObject({
      allowed_account_ids: [MANAGEMENT],
      region: "eu-west-1",
      assume_role: [{ role_arn: `arn:aws:iam::${MANAGEMENT}:role/GuardrailsDeployer` }],
    });
    expect(
      resourcesOf(stack, "aws_organizations_policy")
        .map(([, p]) => p.name)
        .sort(),
    ).toEqual(["cwl-archive-guardrails-rcp-1", "cwl-archive-guardrails-scp-1"]);
    expect(Object.keys(stack.output ?? {})).toEqual(
      expect.arrayContaining(["service_control_policy_ids", "resource_control_policy_ids"]),
    );
  });

  test("GIVEN listed accounts THEN their groups and the pipeline's own groups there carry the filter guardrail", () => {
    expect(subscribedLogGroups(registry)).toEqual([
      "/app/audit",
      "/app/orders",
      "/cwl-archive/guardduty",
      "/cwl-archive/heartbeat",
    ]);
  });

  test("GIVEN the registry THEN the deployment role is always exempt, and the archive's accounts get the RCP", () => {
    const props = logGuardrailsProps(registry);
    expect(props.deploymentRoleNames).toEqual(["OrganizationAccountAccessRole"]);
    expect(props.archive).toMatchObject({ accountId: ARCHIVE, region: "eu-west-1", accessLogging: true });
    const rcp = resourcesOf(stack, "aws_organizations_policy_attachment")
      .map(([, a]) => a.target_id)
      .sort();
    expect(rcp).toEqual([ARCHIVE, "ou-ab12-workload1"]);
  });

  test("GIVEN every account in listed mode THEN account policies of other types stay free", () => {
    const listedOnly = registryWith((raw) => {
      withGuardrails(raw);
      raw.defaults = { subscription: { mode: "listed", logGroups: [{ name: "/app/x" }] } };
    });
    const scp = resourcesOf(synthRegistry(listedOnly).stacks[GUARDRAILS_STACK]!, "aws_organizations_policy").find(
      ([, p]) => p.type === "SERVICE_CONTROL_POLICY",
    )![1];
    expect(policyOf(scp.content).Statement.map((s: any) => s.Sid)).not.toContain("DenyAccountPolicyChanges");
  });

  test("GIVEN guardrails THEN they are applied last, and Atlantis plans them after the sources", () => {
    expect(stackNames(registry).at(-1)).toBe(GUARDRAILS_STACK);
    const config = atlantisConfig({ registry, registryFile: "accounts/registry.yaml", accountFiles: new Map() });
    const orders = Object.fromEntries(config.projects.map((p) => [p.name, p.execution_order_group]));
    expect(orders[GUARDRAILS_STACK]).toBe(2);
    expect(orders[`log-source-${SOURCE}-eu-west-1`]).toBe(1);
  });

  test("GIVEN no log-access THEN no role creator: the StackSets' execution role is judged like any role", () => {
    expect(logGuardrailsProps(registry).roleCreator).toBeUndefined();
  });

  test("GIVEN log-access THEN the StackSets' execution role may create exactly the roles its template creates", () => {
    expect(logGuardrailsProps(loadRegistry("examples/registries/terraform-cloud.yaml")).roleCreator).toEqual({
      principalNames: ["stacksets-exec-*"],
      roleNames: [
        "cwl-archive-tfc-run",
        "cwl-archive-tfc-run-archive",
        "cwl-archive-tfc-run-archive-plan",
        "cwl-archive-tfc-run-keys",
        "cwl-archive-tfc-run-keys-plan",
        "cwl-archive-tfc-run-plan",
      ],
    });
    expect(stackSetCreatedRoleNames(loadRegistry("examples/registries/atlantis.yaml"))).toEqual([
      "cwl-archive-atlantis",
    ]);
  });

  test.each(["terraform-cloud", "atlantis"])(
    "GIVEN the %s example THEN the role creator's roles are every role of log-access's StackSet templates",
    (example) => {
      const exampleRegistry = loadRegistry(`examples/registries/${example}.yaml`);
      const access = synthRegistry(exampleRegistry).stacks["log-access"]!;
      const templateRoles = resourcesOf(access, "aws_cloudformation_stack_set").flatMap(([, set]) =>
        Object.values(JSON.parse(set.template_body.replace(/\$\$\{/g, "${")).Resources as Record<string, any>)
          .filter((r) => r.Type === "AWS::IAM::Role")
          .map((r) => r.Properties.RoleName),
      );
      expect([...templateRoles].sort()).toEqual(stackSetCreatedRoleNames(exampleRegistry));
    },
  );

  test("GIVEN no guardrails section THEN no stack", () => {
    expect(stackNames(registryWith())).not.toContain(GUARDRAILS_STACK);
  });
});

describe("the registry's guardrails section", () => {
  const errors = (edit: (raw: RawRegistry) => void) =>
    errorsFor((raw) => {
      withGuardrails(raw);
      edit(raw);
    });

  test("fails on target ids that are neither a root nor an OU", () => {
    expect(errors((r: any) => (r.guardrails.targetIds = ["o-a1b2c3d4e5", "ou-ab12-workload1"]))).toEqual([
      'test.yaml: guardrails.targetIds[0]: expected a root id (r-ab12) or an OU id (ou-ab12-cd34ef56) of the organization, got "o-a1b2c3d4e5"',
    ]);
  });

  test("fails on an enabled section without targets or break-glass role, listing both", () => {
    expect(
      errors((r: any) => {
        delete r.guardrails.targetIds;
        delete r.guardrails.breakGlassRoleName;
      }),
    ).toEqual([
      "test.yaml: guardrails.targetIds: expected at least one root or OU id: the service control policies are attached to them",
      "test.yaml: guardrails.breakGlassRoleName: is required when guardrails.enabled is true: name the role that may still repair or remove the pipeline in an emergency",
    ]);
  });

  test("fails without a management account", () => {
    expect(errors((r: any) => delete r.guardrails.managementAccountId)).toContain(
      "test.yaml: guardrails.managementAccountId: is required when guardrails.enabled is true (or set sources.cloudTrail.managementAccountId): the policies are created in the management account",
    );
  });

  test("fails on a management account other than the trail's", () => {
    expect(
      errors((r: any) => (r.sources = { cloudTrail: { enabled: true, managementAccountId: "666666666666" } })),
    ).toContain(
      'test.yaml: guardrails.managementAccountId: expected the organization\'s one management account, sources.cloudTrail.managementAccountId (666666666666), got "555555555555"',
    );
  });

  test("fails when the archive is in the management account, which RCPs never protect", () => {
    expect(errors((r: any) => (r.guardrails.managementAccountId = ARCHIVE))).toContain(
      `test.yaml: guardrails.managementAccountId: is also logArchive.accountId: resource control policies never apply to the management account's resources, so the archive would stay unprotected; keep the archive and its keys in member accounts, got "${ARCHIVE}"`,
    );
  });

  test("fails with ambient credentials and no exempt runner role", () => {
    expect(errors((r: any) => (r.deployment = { credentials: "ambient" }))).toEqual([
      "test.yaml: guardrails.exemptRoleNames: is required with deployment.credentials ambient: name the roles your runners apply the stacks with, or the guardrails would deny them",
    ]);
  });

  test("fails with assumeRole credentials and no role in the management account", () => {
    expect(errors((r: any) => delete r.deployment)).toEqual([
      "test.yaml: deployment.managementAccount: is required when the guardrails stack (log-guardrails) is created with deployment.credentials assumeRole: the management account has no OrganizationAccountAccessRole (Organizations creates it only in accounts it creates); name a role you created there, or use ambient credentials",
    ]);
  });

  test.each([
    [0, "expected a number of policies: an integer from 1 to 4"],
    [5, "expected a number of policies: an integer from 1 to 4"],
  ])("fails on maxPoliciesPerTarget %i", (value, message) => {
    expect(errors((r: any) => (r.guardrails.maxPoliciesPerTarget = value))).toEqual([
      `test.yaml: guardrails.maxPoliciesPerTarget: ${message}, got ${value}`,
    ]);
  });

  test("fails on an exempt role with characters IAM refuses, and on unknown keys", () => {
    expect(
      errors((r: any) => {
        r.guardrails.exemptRoleNames = ["terraform apply"];
        r.guardrails.breakglassRoleName = "x";
      }),
    ).toEqual([
      expect.stringMatching(
        /^test\.yaml: guardrails\.exemptRoleNames\[0\]: expected an IAM role name, or its path and name/,
      ),
      'test.yaml: guardrails.breakglassRoleName: unknown key (did you mean "breakGlassRoleName"?); allowed keys here: breakGlassRoleName, denyAccountPolicyChanges, enabled, exemptRoleNames, managementAccountId, maxPoliciesPerTarget, targetIds, got "x"',
    ]);
  });
});
