/**
 * The guardrails and the log-access StackSet together, in the IAM simulator:
 * the SCP protects the Terraform Cloud run roles (exempt roles) from every
 * non-exempt principal, but the StackSet creates and updates them in each
 * target account with its service-managed execution role, "stacksets-exec-*"
 * (an ordinary role of the account, which SCPs judge). That role may change
 * the protected roles; a member administrator still may not, and the
 * execution role stays judged by the other guardrails.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-custom-execution-role.html
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 */
import { sourceNames } from "../../modules/naming/names";
import { loadRegistry } from "../../modules/registry/load";
import { synthRegistry } from "../helpers/synth";
import { controlPoliciesOf } from "./support/organization-policies";
import { buildWorld, type PolicyWorld } from "./support/policy-world";
import { simulate, type Organization, type Scenario } from "./support/simulate";

const MANAGEMENT = "700000000000";
const SOURCE = "700000000003";
const ROOT = "r-ex07";
const WORKLOADS = "ou-ex07-workload1";
/** A name service-managed StackSets give their execution role (stacksets-exec-<id>). */
const STACKSETS_EXEC = `arn:aws:iam::${SOURCE}:role/stacksets-exec-0123456789abcdef0123456789abcdef`;
const RUN_ROLE = `arn:aws:iam::${SOURCE}:role/cwl-archive-tfc-run`;

let world: PolicyWorld;
let withGuardrails: Organization;
let without: Organization;

beforeAll(() => {
  const { stacks } = synthRegistry(loadRegistry("examples/registries/terraform-cloud.yaml"));
  world = buildWorld(stacks);
  without = { id: "o-exa1mple07", members: new Set([MANAGEMENT, SOURCE]), managementAccountId: MANAGEMENT };
  withGuardrails = {
    ...without,
    controlPolicies: controlPoliciesOf(stacks, new Map([[SOURCE, [ROOT, WORKLOADS]]])),
  };
});

const rows: readonly Scenario[] = [
  {
    name: "the StackSets execution role creates the run role",
    principal: { admin: STACKSETS_EXEC },
    action: "iam:CreateRole",
    resource: RUN_ROLE,
    expect: "Allowed",
  },
  {
    name: "the StackSets execution role updates the run role's trust (a template update)",
    principal: { admin: STACKSETS_EXEC },
    action: "iam:UpdateAssumeRolePolicy",
    resource: RUN_ROLE,
    expect: "Allowed",
  },
  {
    name: "the StackSets execution role attaches the run role's managed policy",
    principal: { admin: STACKSETS_EXEC },
    action: "iam:AttachRolePolicy",
    resource: RUN_ROLE,
    expect: "Allowed",
  },
  {
    name: "a member admin creates the run role",
    principal: { admin: `arn:aws:iam::${SOURCE}:role/Administrator` },
    action: "iam:CreateRole",
    resource: RUN_ROLE,
    expect: "Denied",
  },
  {
    name: "a member admin trusts themselves in the run role",
    principal: { admin: `arn:aws:iam::${SOURCE}:role/Administrator` },
    action: "iam:UpdateAssumeRolePolicy",
    resource: RUN_ROLE,
    expect: "Denied",
  },
  {
    name: "the StackSets execution role deletes the delivery stream (the other guardrails still judge it)",
    principal: { admin: STACKSETS_EXEC },
    action: "firehose:DeleteDeliveryStream",
    resource: sourceNames("cwl-archive", SOURCE, "eu-west-1").deliveryStreamArn,
    expect: "Denied",
  },
];

describe("GIVEN guardrails and log-access together", () => {
  test.each(rows.map((row) => [row.name, row] as const))("%s", async (_name, row) => {
    const outcome = await simulate(world, withGuardrails, row);
    expect(`${outcome.decision} (${outcome.decisive.join(", ")})`).toMatch(new RegExp(`^${row.expect}`));
    if (row.expect === "Denied") {
      expect(outcome.decisive.some((d) => d.startsWith("scp:"))).toBe(true);
      expect((await simulate(world, without, row)).decision).toBe("Allowed");
    }
  });

  test("the proof fails without the execution role's exemption: the StackSet could not create the run role", async () => {
    const policies = withGuardrails.controlPolicies!;
    const scps = new Map(
      [...policies.serviceControlPolicies].map(([target, list]) => [
        target,
        list.map((p) => {
          const policy = structuredClone(p.policy) as any;
          for (const s of policy.Statement) {
            const arns = s.Condition?.ArnNotLike?.["aws:PrincipalArn"];
            if (Array.isArray(arns))
              s.Condition.ArnNotLike["aws:PrincipalArn"] = arns.filter((a: string) => !a.includes("stacksets-exec"));
          }
          return { name: p.name, policy };
        }),
      ]),
    );
    const broken = { ...withGuardrails, controlPolicies: { ...policies, serviceControlPolicies: scps } };
    expect((await simulate(world, broken, rows[0]!)).decision).toBe("Denied");
  });
});
