/**
 * The guardrails and the log-access StackSets together, in the IAM simulator:
 * the SCP protects the Terraform Cloud run roles and Atlantis's deployment
 * role (exempt roles) from every non-exempt principal, but the StackSets
 * create and update them in each target account with their service-managed
 * execution role, "stacksets-exec-*" (an ordinary role of the account, which
 * SCPs judge). That role has a statement of its own: it may create and change
 * the roles the StackSets create, and nothing else the guardrails protect:
 * not the pipeline's roles, not the break-glass or deployment roles it does
 * not create, not the subscription policy, not the archive's keys. A member
 * administrator may change none of them.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-custom-execution-role.html
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 */
import { archiveNames, iamRoleArn, sourceNames, trailNames } from "../../modules/naming/names";
import { loadRegistry } from "../../modules/registry/load";
import { synthRegistry } from "../helpers/synth";
import { controlPoliciesOf } from "./support/organization-policies";
import { buildWorld, type PolicyWorld } from "./support/policy-world";
import { simulate, type Organization, type Scenario } from "./support/simulate";

const MANAGEMENT = "700000000000";
const ARCHIVE = "700000000001";
const KEYS = "700000000002";
const SOURCE = "700000000003";
const ROOT = "r-ex07";
const SECURITY = "ou-ex07-security1";
const WORKLOADS = "ou-ex07-workload1";
/** A name service-managed StackSets give their execution role (stacksets-exec-<id>). */
const execIn = (account: string) => `arn:aws:iam::${account}:role/stacksets-exec-0123456789abcdef0123456789abcdef`;
const STACKSETS_EXEC = execIn(SOURCE);
const RUN_ROLE = iamRoleArn(SOURCE, "cwl-archive-tfc-run", "aws");
const ADMIN = `arn:aws:iam::${SOURCE}:role/Administrator`;
const REGION = "eu-west-1";
const src = sourceNames("cwl-archive", SOURCE, REGION);
const archive = archiveNames({ prefix: "cwl-archive", archiveAccountId: ARCHIVE, archiveRegion: REGION });

/** A row: the request, the decision with the guardrails, and whether they are what denies it. */
type Row = Scenario & {
  /** Denied rows only: false when the request is denied even without the guardrails. @default true */
  readonly byGuardrail?: boolean;
};

/** The organization of an example registry, with and without its control policies. */
function organizationOf(file: string, accounts: { management: string; paths: [string, string[]][] }) {
  const { stacks } = synthRegistry(loadRegistry(file));
  const members = new Set([accounts.management, ...accounts.paths.map(([account]) => account)]);
  const without: Organization = { id: "o-exa1mple", members, managementAccountId: accounts.management };
  return {
    world: buildWorld(stacks),
    without,
    withGuardrails: { ...without, controlPolicies: controlPoliciesOf(stacks, new Map(accounts.paths)) },
  };
}

async function expectRow(
  org: { world: PolicyWorld; without: Organization; withGuardrails: Organization },
  row: Row,
): Promise<void> {
  const outcome = await simulate(org.world, org.withGuardrails, row);
  expect(`${outcome.decision} (${outcome.decisive.join(", ")})`).toMatch(new RegExp(`^${row.expect}`));
  if (row.expect === "Denied" && row.byGuardrail !== false) {
    expect(outcome.decisive.some((d) => d.startsWith("scp:") || d.startsWith("rcp:"))).toBe(true);
    expect((await simulate(org.world, org.without, row)).decision).toBe("Allowed");
  }
}

const cloudRows: readonly Row[] = [
  // --- allowed: what the StackSet's template needs ------------------------------------------
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
    name: "the StackSets execution role creates the plan role",
    principal: { admin: STACKSETS_EXEC },
    action: "iam:CreateRole",
    resource: iamRoleArn(SOURCE, "cwl-archive-tfc-run-plan", "aws"),
    expect: "Allowed",
  },
  {
    name: "the StackSets execution role deletes the run role (an OU leaves the targets, or the stack set goes)",
    principal: { admin: STACKSETS_EXEC },
    action: "iam:DeleteRole",
    resource: RUN_ROLE,
    expect: "Allowed",
  },
  {
    // IAM cannot subtract names from an ArnLike pattern: the exempt pattern
    // cwl-archive-tfc-run* that covers the run roles covers this name too
    // (docs/guardrails.md: exact exempt names close it).
    name: "documented limit: the StackSets execution role creates another role matching the run roles' exempt pattern",
    principal: { admin: STACKSETS_EXEC },
    action: "iam:CreateRole",
    resource: iamRoleArn(SOURCE, "cwl-archive-tfc-run-other", "aws"),
    expect: "Allowed",
  },
  // --- denied: everything else the guardrails protect ---------------------------------------
  {
    // The creator's exemption goes by role name: whoever could make a role of
    // that name would hold it (fresh-eyes review).
    name: "a member admin creates a role named like the StackSets execution role",
    principal: { admin: ADMIN },
    action: "iam:CreateRole",
    resource: iamRoleArn(SOURCE, "stacksets-exec-forged", "aws"),
    expect: "Denied",
  },
  {
    name: "a member admin trusts themselves in the StackSets execution role",
    principal: { admin: ADMIN },
    action: "iam:UpdateAssumeRolePolicy",
    resource: STACKSETS_EXEC,
    expect: "Denied",
  },
  {
    name: "a member admin creates the run role",
    principal: { admin: ADMIN },
    action: "iam:CreateRole",
    resource: RUN_ROLE,
    expect: "Denied",
  },
  {
    name: "a member admin trusts themselves in the run role",
    principal: { admin: ADMIN },
    action: "iam:UpdateAssumeRolePolicy",
    resource: RUN_ROLE,
    expect: "Denied",
  },
  {
    name: "the StackSets execution role trusts something else in the break-glass role",
    principal: { admin: STACKSETS_EXEC },
    action: "iam:UpdateAssumeRolePolicy",
    resource: iamRoleArn(SOURCE, "BreakGlass", "aws"),
    expect: "Denied",
  },
  {
    name: "the StackSets execution role creates the deployment role it does not create (OrganizationAccountAccessRole)",
    principal: { admin: STACKSETS_EXEC },
    action: "iam:CreateRole",
    resource: iamRoleArn(SOURCE, "OrganizationAccountAccessRole", "aws"),
    expect: "Denied",
  },
  {
    name: "the StackSets execution role rewrites the delivery role's policy",
    principal: { admin: STACKSETS_EXEC },
    action: "iam:PutRolePolicy",
    resource: src.deliveryRoleArn,
    expect: "Denied",
  },
  {
    name: "the StackSets execution role trusts something else in the subscription role",
    principal: { admin: STACKSETS_EXEC },
    action: "iam:UpdateAssumeRolePolicy",
    resource: src.subscriptionRoleArn,
    expect: "Denied",
  },
  {
    name: "the StackSets execution role deletes a tamper forwarder",
    principal: { admin: STACKSETS_EXEC },
    action: "iam:DeleteRole",
    resource: iamRoleArn(SOURCE, "cwl-archive-tamper-forward-source", "aws"),
    expect: "Denied",
  },
  {
    name: "the StackSets execution role changes the account's subscription policy",
    principal: { admin: STACKSETS_EXEC },
    action: "logs:PutAccountPolicy",
    resource: "*",
    expect: "Denied",
  },
  {
    name: "the StackSets execution role deletes the delivery stream",
    principal: { admin: STACKSETS_EXEC },
    action: "firehose:DeleteDeliveryStream",
    resource: src.deliveryStreamArn,
    expect: "Denied",
  },
  {
    name: "the StackSets execution role of the key account deletes the archive key's alias",
    principal: { admin: execIn(KEYS) },
    action: "kms:DeleteAlias",
    resource: `arn:aws:kms:${REGION}:${KEYS}:${archive.archiveKeyAlias}`,
    expect: "Denied",
  },
  {
    name: "the StackSets execution role of the log-archive account deletes the archive bucket's objects' versions",
    principal: { admin: execIn(ARCHIVE) },
    action: "s3:DeleteObjectVersion",
    resource: `${archive.archiveBucketArn}/cloudwatch-logs/account=${SOURCE}/region=${REGION}/o.json.gz`,
    expect: "Denied",
  },
  {
    // The organization trail belongs to the management account, where
    // StackSets never deploy: a member account's role cannot reach it at all.
    name: "the StackSets execution role deletes the organization trail",
    principal: { admin: STACKSETS_EXEC },
    action: "cloudtrail:DeleteTrail",
    resource: trailNames("cwl-archive", MANAGEMENT, REGION).arn,
    expect: "Denied",
    byGuardrail: false,
  },
];

describe("GIVEN guardrails and Terraform Cloud's log-access together", () => {
  let org: ReturnType<typeof organizationOf>;
  beforeAll(() => {
    org = organizationOf("examples/registries/terraform-cloud.yaml", {
      management: MANAGEMENT,
      paths: [
        [SOURCE, [ROOT, WORKLOADS]],
        [ARCHIVE, [ROOT, SECURITY]],
        [KEYS, [ROOT, SECURITY]],
      ],
    });
  });

  test.each(cloudRows.map((row) => [row.name, row] as const))("%s", async (_name, row) => {
    await expectRow(org, row);
  });

  /** The SCPs, each statement edited by `edit`. */
  const editedScps = (edit: (statement: any) => void): Organization => {
    const policies = org.withGuardrails.controlPolicies!;
    const scps = new Map(
      [...policies.serviceControlPolicies].map(([target, list]) => [
        target,
        list.map((p) => {
          const policy = structuredClone(p.policy) as any;
          for (const s of policy.Statement) edit(s);
          return { name: p.name, policy };
        }),
      ]),
    );
    return { ...org.withGuardrails, controlPolicies: { ...policies, serviceControlPolicies: scps } };
  };

  test("the proof fails without the execution role's exemption: the StackSet could not create the run role", async () => {
    const broken = editedScps((s) => {
      const arns = s.Condition?.ArnNotLike?.["aws:PrincipalArn"];
      if (Array.isArray(arns))
        s.Condition.ArnNotLike["aws:PrincipalArn"] = arns.filter((a: string) => !a.includes("stacksets-exec"));
    });
    expect((await simulate(org.world, broken, cloudRows[0]!)).decision).toBe("Denied");
  });

  test("the proof fails with the former, broader exemption: the execution role could rewrite the delivery role", async () => {
    const broader = editedScps((s) => {
      if (s.Sid === "DenyPipelineAndExemptRoleChanges") {
        s.Condition.ArnNotLike["aws:PrincipalArn"] = [...s.Condition.ArnNotLike["aws:PrincipalArn"], execIn("*")];
      }
    });
    const row = cloudRows.find((r) => r.name.includes("delivery role's policy"))!;
    expect((await simulate(org.world, broader, row)).decision).toBe("Allowed");
  });
});

describe("GIVEN guardrails and Atlantis's log-access together", () => {
  const A_SOURCE = "800000000003";
  const DEPLOYMENT_ROLE = iamRoleArn(A_SOURCE, "cwl-archive-atlantis", "aws");
  const exec = `arn:aws:iam::${A_SOURCE}:role/stacksets-exec-0123456789abcdef0123456789abcdef`;
  let org: ReturnType<typeof organizationOf>;
  beforeAll(() => {
    org = organizationOf("examples/registries/atlantis.yaml", {
      management: "800000000000",
      paths: [
        [A_SOURCE, ["r-ex08", "ou-ex08-workload1"]],
        ["800000000001", ["r-ex08", "ou-ex08-security1"]],
        ["800000000002", ["r-ex08", "ou-ex08-security1"]],
      ],
    });
  });

  const rows: readonly Row[] = [
    {
      name: "the StackSets execution role creates the deployment role",
      principal: { admin: exec },
      action: "iam:CreateRole",
      resource: DEPLOYMENT_ROLE,
      expect: "Allowed",
    },
    {
      name: "the StackSets execution role updates the deployment role's trust (a new Atlantis principal)",
      principal: { admin: exec },
      action: "iam:UpdateAssumeRolePolicy",
      resource: DEPLOYMENT_ROLE,
      expect: "Allowed",
    },
    {
      name: "a member admin trusts themselves in the deployment role",
      principal: { admin: `arn:aws:iam::${A_SOURCE}:role/Administrator` },
      action: "iam:UpdateAssumeRolePolicy",
      resource: DEPLOYMENT_ROLE,
      expect: "Denied",
    },
    {
      name: "the StackSets execution role trusts something else in the break-glass role",
      principal: { admin: exec },
      action: "iam:UpdateAssumeRolePolicy",
      resource: iamRoleArn(A_SOURCE, "BreakGlass", "aws"),
      expect: "Denied",
    },
    {
      name: "the StackSets execution role rewrites the delivery role's policy",
      principal: { admin: exec },
      action: "iam:PutRolePolicy",
      resource: sourceNames("cwl-archive", A_SOURCE, REGION).deliveryRoleArn,
      expect: "Denied",
    },
  ];

  test.each(rows.map((row) => [row.name, row] as const))("%s", async (_name, row) => {
    await expectRow(org, row);
  });
});
