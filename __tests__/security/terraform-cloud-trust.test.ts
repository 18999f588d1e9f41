/**
 * The trust of the Terraform Cloud run roles, proven with the IAM policy
 * evaluator against HCP Terraform's documented token claims: `sub` is
 * `organization:<org>:project:<project>:workspace:<workspace>:run_phase:<plan|apply>`
 * and `aud` is `aws.workload.identity` unless a workspace sets
 * TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE.
 * @see https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/workload-identity-tokens
 * @see https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration
 */
import { loadRegistry } from "../../modules/registry/load";
import { policyOf, resourcesOf, synthRegistry, type TfJson } from "../helpers/synth";
import { assumeWithWebIdentity } from "./support/web-identity";
import { rolesIn, templateOf, type DeployedRole } from "./support/stack-set";

const registry = loadRegistry("examples/registries/terraform-cloud.yaml");
const ORG = "acme-security";
const PROJECT = "log-archive";
const HOST = "app.terraform.io";
const A = "700000000003";
const B = "700000000004";
const ARCHIVE = registry.logArchive.accountId;
const KEYS = registry.keys!.accountId;
const MANAGEMENT = "700000000000";

let access: TfJson;
beforeAll(() => {
  access = synthRegistry(registry).stacks["log-access"]!;
});

function template() {
  const [[, stackSet]] = resourcesOf(access, "aws_cloudformation_stack_set") as [string, any][];
  return templateOf(stackSet.template_body);
}

const provider = (account: string) => `arn:aws:iam::${account}:oidc-provider/${HOST}`;

/** The claims of a run of `workspace` (HCP Terraform's token), with the documented audience unless told. */
function token(workspace: string, phase = "apply", overrides: { org?: string; project?: string; aud?: string } = {}) {
  return {
    [`${HOST}:sub`]: `organization:${overrides.org ?? ORG}:project:${overrides.project ?? PROJECT}:workspace:${workspace}:run_phase:${phase}`,
    [`${HOST}:aud`]: overrides.aud ?? "aws.workload.identity",
  };
}

function role(account: string, logicalId: string): DeployedRole {
  const found = rolesIn(template(), account).find((r) => r.logicalId === logicalId);
  if (!found) throw new Error(`no ${logicalId} in ${account}`);
  return found;
}

/** The workspace's token, checked by the provider of the role's account (where the role is assumed). */
function assume(target: DeployedRole, claims: Record<string, string>) {
  return assumeWithWebIdentity({
    providerArn: provider(target.arn.split(":")[4]!),
    roleArn: target.arn,
    trust: target.trust,
    claims,
  });
}

describe("the StackSet's run roles (every account of the target OUs)", () => {
  test.each([
    [
      "a workspace of account A assumes A's role (apply)",
      A,
      "SourceRunRole",
      `cwl-log-source-${A}-eu-west-1`,
      "apply",
      {},
      "Allowed",
    ],
    [
      "a workspace of account A assumes A's plan role (plan, another Region)",
      A,
      "SourcePlanRole",
      `cwl-log-source-${A}-us-east-1`,
      "plan",
      {},
      "Allowed",
    ],
    [
      "a plan token (a pull request's speculative plan) cannot assume the apply role",
      A,
      "SourceRunRole",
      `cwl-log-source-${A}-eu-west-1`,
      "plan",
      {},
      "Denied",
    ],
    [
      "an apply token cannot assume the plan role (each phase has its own)",
      A,
      "SourcePlanRole",
      `cwl-log-source-${A}-eu-west-1`,
      "apply",
      {},
      "Denied",
    ],
    [
      "a plan token of account A cannot assume B's plan role",
      B,
      "SourcePlanRole",
      `cwl-log-source-${A}-eu-west-1`,
      "plan",
      {},
      "Denied",
    ],
    [
      "a workspace of account A cannot assume B's role",
      B,
      "SourceRunRole",
      `cwl-log-source-${A}-eu-west-1`,
      "apply",
      {},
      "Denied",
    ],
    [
      "a workspace of account B cannot assume A's role",
      A,
      "SourceRunRole",
      `cwl-log-source-${B}-eu-west-1`,
      "apply",
      {},
      "Denied",
    ],
    [
      "A's workspace name in another organization is refused",
      A,
      "SourceRunRole",
      `cwl-log-source-${A}-eu-west-1`,
      "apply",
      { org: "someone-else" },
      "Denied",
    ],
    [
      "A's workspace name in another project is refused",
      A,
      "SourceRunRole",
      `cwl-log-source-${A}-eu-west-1`,
      "apply",
      { project: "sandbox" },
      "Denied",
    ],
    [
      "a token minted for another audience is refused",
      A,
      "SourceRunRole",
      `cwl-log-source-${A}-eu-west-1`,
      "apply",
      { aud: "vault.workload.identity" },
      "Denied",
    ],
    [
      "a workspace without the prefix is refused",
      A,
      "SourceRunRole",
      `log-source-${A}-eu-west-1`,
      "apply",
      {},
      "Denied",
    ],
    [
      "the log-archive workspace cannot assume a source role",
      ARCHIVE,
      "SourceRunRole",
      "cwl-log-archive",
      "apply",
      {},
      "Denied",
    ],
    [
      "the log-archive workspace assumes the archive role",
      ARCHIVE,
      "ArchiveRunRole",
      "cwl-log-archive",
      "apply",
      {},
      "Allowed",
    ],
    [
      "a source workspace of the archive account cannot assume the archive role",
      ARCHIVE,
      "ArchiveRunRole",
      `cwl-log-source-${ARCHIVE}-eu-west-1`,
      "apply",
      {},
      "Denied",
    ],
    [
      "the log-keys workspace's plan assumes the keys plan role",
      KEYS,
      "KeysPlanRole",
      "cwl-log-keys",
      "plan",
      {},
      "Allowed",
    ],
    [
      "the log-keys workspace's plan cannot assume the keys apply role",
      KEYS,
      "KeysRunRole",
      "cwl-log-keys",
      "plan",
      {},
      "Denied",
    ],
    [
      "the log-keys workspace's apply assumes the keys apply role",
      KEYS,
      "KeysRunRole",
      "cwl-log-keys",
      "apply",
      {},
      "Allowed",
    ],
    [
      "the log-archive plan cannot assume the archive apply role",
      ARCHIVE,
      "ArchiveRunRole",
      "cwl-log-archive",
      "plan",
      {},
      "Denied",
    ],
    [
      "the log-archive workspace cannot assume the keys role",
      KEYS,
      "KeysRunRole",
      "cwl-log-archive",
      "apply",
      {},
      "Denied",
    ],
  ] as const)("%s", async (_, account, logicalId, workspace, phase, overrides, expected) => {
    expect(await assume(role(account, logicalId), token(workspace, phase, overrides))).toBe(expected);
  });

  test("a token checked by A's provider cannot assume B's role", async () => {
    const target = role(B, "SourceRunRole");
    const decision = await assumeWithWebIdentity({
      providerArn: provider(A),
      roleArn: target.arn,
      trust: target.trust,
      claims: token(`cwl-log-source-${B}-eu-west-1`),
    });
    expect(decision).toBe("Denied");
  });

  test("the archive and keys roles exist only in their accounts; every account gets the source role", () => {
    const logicalIds = (account: string) =>
      rolesIn(template(), account)
        .map((r) => r.logicalId)
        .sort();
    expect(logicalIds(A)).toEqual(["SourcePlanRole", "SourceRunRole"]);
    expect(logicalIds(ARCHIVE)).toEqual(["ArchivePlanRole", "ArchiveRunRole", "SourcePlanRole", "SourceRunRole"]);
    expect(logicalIds(KEYS)).toEqual(["KeysPlanRole", "KeysRunRole", "SourcePlanRole", "SourceRunRole"]);
  });

  test("plan roles hold only ReadOnlyAccess; apply roles the registry's policies", () => {
    const resources = template().Resources;
    for (const id of ["SourcePlanRole", "ArchivePlanRole", "KeysPlanRole"]) {
      expect(resources[id]!.Properties.ManagedPolicyArns).toEqual(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
      expect(resources[id]!.Properties.RoleName).toBe(
        `${resources[id.replace("Plan", "Run")]!.Properties.RoleName}-plan`,
      );
    }
    expect(resources.SourceRunRole!.Properties.ManagedPolicyArns).toEqual(
      registry.terraformCloud.access.runRolePolicyArns,
    );
  });

  test("the account id of the trust comes from CloudFormation in each account, not from the registry", () => {
    const source = template().Resources.SourceRunRole!.Properties.AssumeRolePolicyDocument.Statement[0];
    expect(source.Condition.StringLike[`${HOST}:sub`]).toEqual({
      "Fn::Sub": `organization:${ORG}:project:${PROJECT}:workspace:cwl-log-source-\${AWS::AccountId}-*:run_phase:apply`,
    });
  });

  test("the proof fails when the trust loses its account scope", async () => {
    // GIVEN the template with the account left out of the sub pattern
    const body = JSON.stringify(template()).replace("cwl-log-source-${AWS::AccountId}-*", "cwl-log-source-*");
    const broken = rolesIn(JSON.parse(body), B).find((r) => r.logicalId === "SourceRunRole")!;
    // THEN A's workspace would assume B's role, which the row above refuses
    expect(await assume(broken, token(`cwl-log-source-${A}-eu-west-1`))).toBe("Allowed");
  });
});

describe("the management account's run role (log-access itself, no StackSet there)", () => {
  function managementRole(phase: "plan" | "apply" = "apply"): DeployedRole {
    const name = phase === "apply" ? "cwl-archive-tfc-run-management" : "cwl-archive-tfc-run-management-plan";
    const [, iamRole] = (resourcesOf(access, "aws_iam_role") as [string, any][]).find(([, r]) => r.name === name)!;
    const trust = policyOf(iamRole.assume_role_policy) as any;
    // The provider is created in the same stack: its ARN is a reference until applied.
    trust.Statement[0].Principal.Federated = provider(MANAGEMENT);
    return {
      logicalId: "management",
      roleName: iamRole.name,
      arn: `arn:aws:iam::${MANAGEMENT}:role/${iamRole.name}`,
      trust,
      managedPolicyArns: [],
    };
  }

  test.each([
    ["the trail's workspace assumes it", "cwl-log-organization-trail", "Allowed"],
    ["the guardrails' workspace assumes it", "cwl-log-guardrails", "Allowed"],
    ["a source workspace cannot", `cwl-log-source-${A}-eu-west-1`, "Denied"],
    ["the workspaces stack's own workspace cannot", "cwl-log-workspaces", "Denied"],
  ] as const)("%s", async (_, workspace, expected) => {
    expect(await assume(managementRole(), token(workspace))).toBe(expected);
  });

  test.each([
    ["the trail's plan assumes the management plan role", "plan", "plan", "Allowed"],
    ["the trail's plan cannot assume the management apply role", "apply", "plan", "Denied"],
    ["the trail's apply cannot assume the management plan role", "plan", "apply", "Denied"],
  ] as const)("%s", async (_, rolePhase, tokenPhase, expected) => {
    expect(await assume(managementRole(rolePhase), token("cwl-log-organization-trail", tokenPhase))).toBe(expected);
  });

  test("the management plan role holds ReadOnlyAccess only", () => {
    const attachments = (resourcesOf(access, "aws_iam_role_policy_attachment") as [string, any][]).map(([, a]) => a);
    const planRole = (resourcesOf(access, "aws_iam_role") as [string, any][]).find(([, r]) =>
      r.name.endsWith("-plan"),
    )![0];
    expect(attachments.filter((a) => a.role === `\${aws_iam_role.${planRole}.name}`).map((a) => a.policy_arn)).toEqual([
      "arn:aws:iam::aws:policy/ReadOnlyAccess",
    ]);
  });
});
