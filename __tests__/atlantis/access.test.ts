/**
 * atlantis.access: the log-access stack creates, through one service-managed
 * StackSet, the role every stack's provider assumes (deployment.roleName) in
 * every account of the target OUs, and in the management account the roles
 * of the stacks that deploy there; no cloud backend, no ambient credentials.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html
 */
import { loadRegistry } from "../../modules/registry/load";
import { resourcesOf, synthRegistry, type TfJson } from "../helpers/synth";
import { rolesIn, templateOf } from "../security/support/stack-set";

const registry = loadRegistry("examples/registries/atlantis.yaml");
const MANAGEMENT = "800000000000";
const ATLANTIS = "arn:aws:iam::800000000009:role/atlantis-server";

let stacks: Record<string, TfJson>;
let access: TfJson;
beforeAll(() => {
  stacks = synthRegistry(registry).stacks;
  access = stacks["log-access"]!;
});

function stackSet(): any {
  const sets = resourcesOf(access, "aws_cloudformation_stack_set");
  expect(sets).toHaveLength(1);
  return sets[0]![1];
}

describe("GIVEN atlantis.access with the S3 backend and assumeRole credentials", () => {
  test("log-access is synthesised, with the registry's S3 backend and no cloud block", () => {
    expect(access.terraform?.backend?.s3).toMatchObject({ bucket: "acme-terraform-state" });
    expect(access.terraform?.cloud).toBeUndefined();
  });

  test("log-access runs with the management account's own credentials, not a role it creates", () => {
    const [provider] = (access.provider as any).aws as any[];
    expect(provider.assume_role).toBeUndefined();
    expect(provider.allowed_account_ids).toEqual([MANAGEMENT]);
  });

  test("a service-managed StackSet with automatic deployment, one instance per OU kept on removal", () => {
    expect(stackSet()).toMatchObject({
      name: "cwl-archive-atlantis-access",
      permission_model: "SERVICE_MANAGED",
      auto_deployment: { enabled: true },
      capabilities: ["CAPABILITY_NAMED_IAM"],
    });
    const instances = resourcesOf(access, "aws_cloudformation_stack_set_instance").map(([, i]) => i);
    expect(instances.map((i) => i.deployment_targets.organizational_unit_ids).sort()).toEqual([
      ["ou-ex08-security1"],
      ["ou-ex08-workload1"],
    ]);
    for (const instance of instances) expect(instance.retain_stack).toBe(true);
  });

  test("the template creates deployment.roleName in every account, with the managed policies of atlantis.access", () => {
    const template = templateOf(stackSet().template_body);
    for (const account of [registry.logArchive.accountId, registry.keys!.accountId, "800000000003"]) {
      const roles = rolesIn(template, account);
      expect(roles.map((r) => r.roleName)).toEqual(["cwl-archive-atlantis"]);
      expect(roles[0]!.managedPolicyArns).toEqual(["arn:aws:iam::aws:policy/AdministratorAccess"]);
    }
  });

  test("the role trusts the Atlantis server's role, by aws:PrincipalArn, inside the organization; never the account alone", () => {
    const [role] = rolesIn(templateOf(stackSet().template_body), "800000000003");
    const statements = (role!.trust as any).Statement as any[];
    expect(statements).toHaveLength(1);
    expect(statements[0]).toEqual({
      Sid: "AtlantisRunnersOfThisOrganization",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::800000000009:root" },
      Action: "sts:AssumeRole",
      Condition: {
        ArnEquals: { "aws:PrincipalArn": ATLANTIS },
        StringEquals: { "aws:PrincipalOrgID": "o-exa1mple08" },
      },
    });
  });

  test("in the management account, the role the trail and guardrails stacks assume, with the same trust", () => {
    // Besides tamper detection's forwarder (the management role is watched).
    const roles = resourcesOf(access, "aws_iam_role")
      .map(([, r]) => r)
      .filter((r) => !r.name.includes("tamper-forward"));
    expect(roles.map((r) => r.name)).toEqual(["cwl-archive-atlantis-management"]);
    expect(JSON.parse(roles[0].assume_role_policy).Statement[0].Condition.ArnEquals).toEqual({
      "aws:PrincipalArn": ATLANTIS,
    });
    expect(stacks["log-organization-trail"]!.provider!.aws![0].assume_role[0].role_arn).toBe(
      `arn:aws:iam::${MANAGEMENT}:role/cwl-archive-atlantis-management`,
    );
  });

  test("a source stack in the management account adds deployment.roleName there", () => {
    const withManagementSource = loadRegistry("examples/registries/atlantis.yaml");
    const registryWithSource = {
      ...withManagementSource,
      accounts: [...withManagementSource.accounts, { ...withManagementSource.accounts[1]!, id: MANAGEMENT }],
    };
    const tf = synthRegistry(registryWithSource as typeof withManagementSource).stacks["log-access"]!;
    expect(
      resourcesOf(tf, "aws_iam_role")
        .map(([, r]) => r.name)
        .filter((name) => !name.includes("tamper-forward"))
        .sort(),
    ).toEqual(["cwl-archive-atlantis", "cwl-archive-atlantis-management"]);
  });

  test("the other stacks assume deployment.roleName in their own account", () => {
    const source = stacks["log-source-800000000003-eu-west-1"]!;
    expect((source.provider as any).aws[0].assume_role[0].role_arn).toBe(
      "arn:aws:iam::800000000003:role/cwl-archive-atlantis",
    );
  });
});

describe("GIVEN tamper detection in the management account", () => {
  // The deployment roles are exempt from the configuration watches of the
  // stacks they apply; changes to the roles themselves must still notify,
  // or a role could re-trust itself without a notification.
  test("every change to a management deployment role notifies, with no exemption of any caller", () => {
    const iam = resourcesOf(access, "aws_cloudwatch_event_rule")
      .map(([, r]) => r)
      .find((r) => r.name.endsWith("-iam"))!;
    const pattern = JSON.parse(iam.event_pattern);
    const branches = pattern.detail.$or.filter((b: any) =>
      JSON.stringify(b.requestParameters).includes("cwl-archive-atlantis-management"),
    );
    const events = branches.flatMap((b: any) => b.eventName).sort();
    expect(events).toEqual(
      [
        "AttachRolePolicy",
        "DeleteRole",
        "DeleteRolePermissionsBoundary",
        "DeleteRolePolicy",
        "DetachRolePolicy",
        "PutRolePermissionsBoundary",
        "PutRolePolicy",
        "UpdateAssumeRolePolicy",
      ].sort(),
    );
    for (const branch of branches) expect(JSON.stringify(branch)).not.toMatch(/anything-but|userIdentity/);
  });
});
