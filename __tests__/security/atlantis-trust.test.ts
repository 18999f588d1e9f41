/**
 * The trust of the Atlantis deployment roles (atlantis.access), proven with
 * the IAM policy evaluator: the role the StackSet creates in every target
 * account, and the management account's role log-access creates itself, may
 * be assumed by the Atlantis server's role and by nobody else: not another
 * principal of the server's account, not a role of the same name elsewhere,
 * and not the server's role once its account is outside the organization
 * (aws:PrincipalOrgID). The caller holds AdministratorAccess in its own
 * account throughout, so only the trust decides.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
import { loadRegistry } from "../../modules/registry/load";
import { resourcesOf, synthRegistry } from "../helpers/synth";
import { buildWorld, type PolicyWorld } from "./support/policy-world";
import { simulate, type Organization } from "./support/simulate";
import { rolesIn, templateOf, type DeployedRole } from "./support/stack-set";

const registry = loadRegistry("examples/registries/atlantis.yaml");
const TOOLING = "800000000009";
const ATLANTIS = `arn:aws:iam::${TOOLING}:role/atlantis-server`;
const MANAGEMENT = "800000000000";
const SOURCE = "800000000003";
const ARCHIVE = registry.logArchive.accountId;
const KEYS = registry.keys!.accountId;
const TARGETS = [ARCHIVE, KEYS, SOURCE, "800000000004"];

let world: PolicyWorld;
let template: ReturnType<typeof templateOf>;
const inOrg: Organization = {
  id: "o-exa1mple08",
  members: new Set([MANAGEMENT, TOOLING, ...TARGETS]),
  managementAccountId: MANAGEMENT,
};
/** The same organization after the Atlantis server's account left it. */
const toolingOutside: Organization = { ...inOrg, members: new Set([MANAGEMENT, ...TARGETS]) };

/** Puts the roles the StackSet's template creates in each target account into the simulated world. */
function deploy(target: PolicyWorld, roles: readonly DeployedRole[]): void {
  for (const role of roles) target.roles.set(role.arn, { arn: role.arn, trust: role.trust as any, policies: [] });
}

beforeAll(() => {
  const { stacks } = synthRegistry(registry);
  world = buildWorld(stacks);
  const [[, stackSet]] = resourcesOf(stacks["log-access"]!, "aws_cloudformation_stack_set") as [string, any][];
  template = templateOf(stackSet.template_body);
  for (const account of TARGETS) deploy(world, rolesIn(template, account));
});

const role = (account: string, name = "cwl-archive-atlantis") => `arn:aws:iam::${account}:role/${name}`;

const rows: readonly [string, string, string, Organization, "Allowed" | "Denied"][] = [
  ["the Atlantis role assumes a source account's role", ATLANTIS, role(SOURCE), inOrg, "Allowed"],
  ["the Atlantis role assumes the log-archive account's role", ATLANTIS, role(ARCHIVE), inOrg, "Allowed"],
  ["the Atlantis role assumes the key account's role", ATLANTIS, role(KEYS), inOrg, "Allowed"],
  [
    "the Atlantis role assumes the management account's role (created by log-access itself)",
    ATLANTIS,
    role(MANAGEMENT, "cwl-archive-atlantis-management"),
    inOrg,
    "Allowed",
  ],
  [
    "another role of the Atlantis server's account cannot assume a source account's role",
    `arn:aws:iam::${TOOLING}:role/developer`,
    role(SOURCE),
    inOrg,
    "Denied",
  ],
  [
    "another role of the Atlantis server's account cannot assume the management account's role",
    `arn:aws:iam::${TOOLING}:role/developer`,
    role(MANAGEMENT, "cwl-archive-atlantis-management"),
    inOrg,
    "Denied",
  ],
  [
    "an administrator of the source account itself cannot assume its deployment role",
    `arn:aws:iam::${SOURCE}:role/Administrator`,
    role(SOURCE),
    inOrg,
    "Denied",
  ],
  [
    "a role named atlantis-server in another member account cannot assume it",
    `arn:aws:iam::800000000004:role/atlantis-server`,
    role(SOURCE),
    inOrg,
    "Denied",
  ],
  [
    "the Atlantis role cannot assume it from outside the organization (aws:PrincipalOrgID)",
    ATLANTIS,
    role(SOURCE),
    toolingOutside,
    "Denied",
  ],
  [
    "the Atlantis role cannot assume the management account's role from outside the organization",
    ATLANTIS,
    role(MANAGEMENT, "cwl-archive-atlantis-management"),
    toolingOutside,
    "Denied",
  ],
];

describe("GIVEN the Atlantis deployment roles of atlantis.access", () => {
  test.each(rows)("%s", async (name, principal, roleArn, org, expected) => {
    const outcome = await simulate(world, org, {
      name,
      principal: { admin: principal },
      action: "sts:AssumeRole",
      resource: roleArn,
      expect: expected,
    });
    expect(`${outcome.decision} (${outcome.decisive.join(", ")})`).toMatch(new RegExp(`^${expected}`));
  });

  test("every target account gets the role, trusting the same principal", () => {
    for (const account of TARGETS) {
      expect(rolesIn(template, account).map((r) => r.arn)).toEqual([role(account)]);
    }
  });

  test("the proof fails when a condition is dropped: without aws:PrincipalArn any role of the server's account gets in, without aws:PrincipalOrgID the server's role from outside", async () => {
    const arn = role(SOURCE);
    const original = world.roles.get(arn)!;
    const without = (key: "ArnEquals" | "StringEquals") => {
      const trust = structuredClone(original.trust);
      delete trust.Statement[0].Condition[key];
      world.roles.set(arn, { ...original, trust });
    };
    const ask = (principal: string, org: Organization) =>
      simulate(world, org, {
        name: "broken",
        principal: { admin: principal },
        action: "sts:AssumeRole",
        resource: arn,
        expect: "Denied",
      });
    try {
      without("ArnEquals");
      expect((await ask(`arn:aws:iam::${TOOLING}:role/developer`, inOrg)).decision).toBe("Allowed");
      world.roles.set(arn, original);
      without("StringEquals");
      expect((await ask(ATLANTIS, toolingOutside)).decision).toBe("Allowed");
    } finally {
      world.roles.set(arn, original);
    }
  });
});
