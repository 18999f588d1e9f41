import type { TerraformStack } from "cdktf";
import {
  OrganizationGuardrails,
  type OrganizationGuardrailsProps,
} from "../../modules/guardrails/organization-guardrails";
import { errorsOf, synthConstruct } from "../helpers/construct";
import { policyOf, resource, resourcesOf, type TfJson } from "../helpers/synth";

const ARCHIVE = "111111111111";
const KEYS = "333333333333";

const PROPS: OrganizationGuardrailsProps = {
  targetIds: ["ou-ab12-workload1", "r-ab12"],
  deploymentRoleNames: ["OrganizationAccountAccessRole"],
  breakGlassRoleName: "LogPipelineBreakGlass",
  sources: { subscribedLogGroups: ["/app/orders"], accountPolicy: true },
  archive: { accountId: ARCHIVE, region: "eu-west-1", replicaRegion: "eu-central-1", keyAccountId: KEYS },
};

function build(props: Partial<OrganizationGuardrailsProps> = {}) {
  return (stack: TerraformStack) => new OrganizationGuardrails(stack, "Guardrails", { ...PROPS, ...props });
}

const attachments = (tf: TfJson) =>
  resourcesOf(tf, "aws_organizations_policy_attachment")
    .map(([, a]) => `${a["//"].metadata.path.split("/").pop()} -> ${a.target_id}`)
    .sort();

describe("OrganizationGuardrails", () => {
  const tf = synthConstruct(build());

  test("GIVEN sources and an archive WHEN synthesised THEN one SCP on the targets and one RCP on the archive and key accounts", () => {
    expect(resource(tf, "aws_organizations_policy", "Guardrails/ServiceControlPolicy1")).toMatchObject({
      name: "cwl-archive-guardrails-scp-1",
      type: "SERVICE_CONTROL_POLICY",
    });
    expect(resource(tf, "aws_organizations_policy", "Guardrails/ResourceControlPolicy1")).toMatchObject({
      name: "cwl-archive-guardrails-rcp-1",
      type: "RESOURCE_CONTROL_POLICY",
    });
    expect(attachments(tf)).toEqual([
      `ResourceControlPolicy1-${ARCHIVE} -> ${ARCHIVE}`,
      `ResourceControlPolicy1-${KEYS} -> ${KEYS}`,
      "ServiceControlPolicy1-ou-ab12-workload1 -> ou-ab12-workload1",
      "ServiceControlPolicy1-r-ab12 -> r-ab12",
    ]);
  });

  test("GIVEN the policies THEN their content is compact JSON under 5,120 characters, as Organizations counts it", () => {
    for (const [, policy] of resourcesOf(tf, "aws_organizations_policy")) {
      const content: string = policy.content;
      expect(content).toBe(JSON.stringify(JSON.parse(content)));
      expect([...content].length).toBeLessThanOrEqual(5120);
    }
  });

  test("GIVEN the deployment and break-glass roles THEN both are exempt in every statement", () => {
    const scp = policyOf(resource(tf, "aws_organizations_policy", "Guardrails/ServiceControlPolicy1").content);
    const rcp = policyOf(resource(tf, "aws_organizations_policy", "Guardrails/ResourceControlPolicy1").content);
    for (const s of scp.Statement) {
      expect(s.Condition.ArnNotLike["aws:PrincipalArn"]).toEqual([
        "arn:aws:iam::*:role/LogPipelineBreakGlass",
        "arn:aws:iam::*:role/OrganizationAccountAccessRole",
      ]);
    }
    for (const s of rcp.Statement) {
      // The RCP names the accounts it is attached to: a role of that name elsewhere is not exempt.
      // Deleting archived objects is the break-glass role's alone: Terraform never deletes them.
      expect(s.Condition.ArnNotLike["aws:PrincipalArn"]).toEqual(
        s.Sid === "DenyArchiveObjectDeletion"
          ? [`arn:aws:iam::${ARCHIVE}:role/LogPipelineBreakGlass`, `arn:aws:iam::${KEYS}:role/LogPipelineBreakGlass`]
          : [
              `arn:aws:iam::${ARCHIVE}:role/LogPipelineBreakGlass`,
              `arn:aws:iam::${ARCHIVE}:role/OrganizationAccountAccessRole`,
              `arn:aws:iam::${KEYS}:role/LogPipelineBreakGlass`,
              `arn:aws:iam::${KEYS}:role/OrganizationAccountAccessRole`,
            ],
      );
    }
  });

  test("GIVEN the targets in another order THEN no resource changes", () => {
    const reordered = synthConstruct(build({ targetIds: ["r-ab12", "ou-ab12-workload1"] }));
    expect(reordered.resource).toEqual(tf.resource);
  });

  test("GIVEN no archive THEN only the SCP; GIVEN no sources THEN only the RCP", () => {
    const scpOnly = synthConstruct(build({ archive: undefined }));
    expect(resourcesOf(scpOnly, "aws_organizations_policy").map(([, p]) => p.type)).toEqual(["SERVICE_CONTROL_POLICY"]);
    const rcpOnly = synthConstruct(build({ sources: undefined }));
    expect(resourcesOf(rcpOnly, "aws_organizations_policy").map(([, p]) => p.type)).toEqual([
      "RESOURCE_CONTROL_POLICY",
    ]);
  });

  test("GIVEN many listed log groups and room on the targets THEN several SCPs, each on every target", () => {
    // GIVEN
    const groups = Array.from({ length: 60 }, (_, i) => `/app/service-${i}`);

    // WHEN
    const many = synthConstruct(build({ sources: { subscribedLogGroups: groups }, maxPoliciesPerTarget: 4 }));

    // THEN
    const scps = resourcesOf(many, "aws_organizations_policy").filter(([, p]) => p.type === "SERVICE_CONTROL_POLICY");
    expect(scps.map(([, p]) => p.name).sort()).toEqual([
      "cwl-archive-guardrails-scp-1",
      "cwl-archive-guardrails-scp-2",
    ]);
    expect(attachments(many).filter((a) => a.includes("-> r-ab12"))).toHaveLength(2);
  });

  test.each([1, 4])("GIVEN maxPoliciesPerTarget %i (an edge) THEN it synthesises", (max) => {
    expect(() => synthConstruct(build({ maxPoliciesPerTarget: max }))).not.toThrow();
  });

  test("fails when the statements need more policies per target than allowed, naming the prop and the way out", () => {
    const groups = Array.from({ length: 60 }, (_, i) => `/app/service-${i}`);
    expect(errorsOf(build({ sources: { subscribedLogGroups: groups }, maxPoliciesPerTarget: 1 }))).toEqual([
      "OrganizationGuardrails test/Guardrails: maxPoliciesPerTarget: the service control policies need 2 policies per target, more than 1: list fewer log groups (subscription mode listed), use mode all, or raise maxPoliciesPerTarget if the targets have room",
    ]);
  });

  test("fails on every bad prop at once, each naming the prop and the value", () => {
    const errors = errorsOf(
      build({
        namePrefix: "X",
        targetIds: ["o-a1b2c3d4e5", "r-ab12", "r-ab12"],
        deploymentRoleNames: [],
        breakGlassRoleName: "break glass",
        exemptRoleNames: ["ok", "role/with space"],
        maxPoliciesPerTarget: 5,
        archive: { accountId: "12345", region: "eu-west-1", previousKeyArns: ["alias/old"] },
      }),
    );
    expect(errors).toEqual([
      expect.stringMatching(/namePrefix: expected 3-20 lowercase letters/),
      'OrganizationGuardrails test/Guardrails: targetIds[0]: expected a root id (r-…) or an OU id (ou-…-…) of the organization, got "o-a1b2c3d4e5"',
      "OrganizationGuardrails test/Guardrails: targetIds: expected no duplicates",
      "OrganizationGuardrails test/Guardrails: deploymentRoleNames: expected at least one role",
      'OrganizationGuardrails test/Guardrails: breakGlassRoleName: expected an IAM role name, or path/name, of letters, digits and +=,.@_-, * matching any characters, got "break glass"',
      'OrganizationGuardrails test/Guardrails: exemptRoleNames[1]: expected an IAM role name, or path/name, of letters, digits and +=,.@_-, * matching any characters, got "role/with space"',
      "OrganizationGuardrails test/Guardrails: maxPoliciesPerTarget: expected a number of policies: an integer from 1 to 4, got 5",
      'OrganizationGuardrails test/Guardrails: archive.accountId: expected a 12-digit AWS account id, got "12345"',
      'OrganizationGuardrails test/Guardrails: archive.previousKeyArns[0]: expected a KMS key ARN, got "alias/old"',
    ]);
  });

  test("fails with nothing to protect", () => {
    expect(errorsOf(build({ sources: undefined, archive: undefined }))).toEqual([
      "OrganizationGuardrails test/Guardrails: sources, archive: expected at least one of them to protect",
    ]);
  });
});
