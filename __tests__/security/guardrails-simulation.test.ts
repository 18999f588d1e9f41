/**
 * The organization guardrails, proven with the IAM simulator: the service
 * control policies on the workloads OU and the resource control policies on
 * the log-archive and key accounts, read from the synthesised log-guardrails
 * stack, evaluated with every other policy the app ships. Each denied row is
 * also evaluated without the organization's policies and must then be
 * allowed, and its deciding statement must be an SCP's or RCP's: the denial is
 * the guardrail's, not a side effect of another policy.
 */
import { archiveNames, sourceNames } from "../../modules/naming/names";
import { registryWith } from "../helpers/registry";
import { synthRegistry } from "../helpers/synth";
import { controlPoliciesOf, organizationPoliciesOf, type OrganizationPolicy } from "./support/organization-policies";
import { checkPolicy, loadCatalogue, servicesOf } from "./support/policy-catalogue";
import { buildWorld, type PolicyWorld } from "./support/policy-world";
import { simulate, type AttachedPolicy, type Organization, type Principal, type Scenario } from "./support/simulate";

const ORG_ID = "o-a1b2c3d4e5";
const ARCHIVE = "111111111111";
/** A source account in subscription mode all, with a customer-managed stream key. */
const SOURCE = "222222222222";
/** A source account in subscription mode listed. */
const LISTED = "333333333333";
const KEYS = "444444444444";
const MANAGEMENT = "555555555555";
const ROOT = "r-ab12";
const WORKLOADS = "ou-ab12-workload1";
const SECURITY = "ou-ab12-security1";
const BREAK_GLASS = "LogPipelineBreakGlass";
const DEPLOYMENT = "OrganizationAccountAccessRole";
const REGION = "eu-west-1";
const PREFIX = "cwl-archive";

const registry = registryWith((raw) => {
  raw.archive = { replicaRegion: "eu-central-1" };
  raw.keys = { accountId: KEYS };
  raw.accounts = [
    { id: SOURCE, name: "payments-prod", regions: [REGION], firehose: { streamEncryption: "CUSTOMER_MANAGED_CMK" } },
    {
      id: LISTED,
      name: "orders-prod",
      regions: [REGION],
      subscription: { mode: "listed", logGroups: [{ name: "/app/orders" }] },
    },
  ];
  raw.guardrails = {
    enabled: true,
    managementAccountId: MANAGEMENT,
    targetIds: [WORKLOADS],
    breakGlassRoleName: BREAK_GLASS,
  };
  raw.deployment = { managementAccount: { credentials: "assumeRole", roleName: "GuardrailsDeployer" } };
});

const src = sourceNames(PREFIX, SOURCE, REGION);
const archive = archiveNames({
  prefix: PREFIX,
  archiveAccountId: ARCHIVE,
  archiveRegion: REGION,
  replicaRegion: "eu-central-1",
});
const OBJECT = `${archive.archiveBucketArn}/cloudwatch-logs/account=${SOURCE}/region=${REGION}/year=2026/month=11/day=24/hour=10/o.json.gz`;
// The ARN without its trailing ":*": the simulator reads "*" as a wildcard request; the SCPs name both forms.
const logGroup = (account: string, name: string) => `arn:aws:logs:${REGION}:${account}:log-group:${name}`;
const CUSTOMER_KEY = `arn:aws:kms:${REGION}:${SOURCE}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const role = (account: string, name: string): Principal => ({ admin: `arn:aws:iam::${account}:role/${name}` });
const admin = (account: string) => role(account, "Administrator");

let world: PolicyWorld;
let organizationPolicies: OrganizationPolicy[];
let withGuardrails: Organization;
let without: Organization;
let keyArn: (account: string, alias: string) => string;

beforeAll(() => {
  const { stacks } = synthRegistry(registry);
  world = buildWorld(stacks);
  organizationPolicies = organizationPoliciesOf(stacks);
  const members = new Set([ARCHIVE, SOURCE, LISTED, KEYS, MANAGEMENT]);
  without = { id: ORG_ID, members, managementAccountId: MANAGEMENT };
  withGuardrails = {
    ...without,
    controlPolicies: controlPoliciesOf(
      stacks,
      new Map([
        [SOURCE, [ROOT, WORKLOADS]],
        [LISTED, [ROOT, WORKLOADS]],
        [ARCHIVE, [ROOT, SECURITY]],
        [KEYS, [ROOT, SECURITY]],
        [MANAGEMENT, [ROOT]],
      ]),
    ),
  };
  // A key of the customer's own, whose key policy (like every default key policy) trusts the account's IAM.
  world.keyPolicies.set(CUSTOMER_KEY, {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${SOURCE}:root` }, Action: "kms:*", Resource: "*" }],
  });
  keyArn = (account, alias) => {
    const region = alias === archive.replicaKeyAlias ? "eu-central-1" : REGION;
    const arn = world.keysByAlias.get(`${account}/${region}/${alias}`);
    if (!arn) throw new Error(`no key ${alias} in ${account}`);
    return arn;
  };
});

/** A row: the request, the decision with the guardrails, and whether they are what denies it. */
type Row = Scenario & {
  /** Denied rows only: false when the request is denied even without the guardrails. @default true */
  readonly byGuardrail?: boolean;
};

const keyRequest = (account: string, alias: string) => ({
  resource: keyArn(account, alias),
  // kms:ResourceAliases is a property of the key; the request carries its aliases.
  context: { "kms:ResourceAliases": [alias] },
});

function sourceRows(): Row[] {
  const pipelineKey = () => keyRequest(SOURCE, src.pipelineKeyAlias);
  return [
    // --- denied: the pipeline of a member account ---------------------------------
    {
      name: "member admin deletes the account subscription policy",
      principal: admin(SOURCE),
      action: "logs:DeleteAccountPolicy",
      resource: "*",
      expect: "Denied",
    },
    {
      name: "member admin narrows the account subscription policy",
      principal: admin(SOURCE),
      action: "logs:PutAccountPolicy",
      resource: "*",
      expect: "Denied",
    },
    {
      name: "member root user deletes the account subscription policy",
      principal: { admin: `arn:aws:iam::${SOURCE}:root` },
      action: "logs:DeleteAccountPolicy",
      resource: "*",
      expect: "Denied",
    },
    {
      name: "member admin deletes the delivery stream",
      principal: admin(SOURCE),
      action: "firehose:DeleteDeliveryStream",
      resource: src.deliveryStreamArn,
      expect: "Denied",
    },
    {
      name: "member admin repoints the delivery stream",
      principal: admin(SOURCE),
      action: "firehose:UpdateDestination",
      resource: src.deliveryStreamArn,
      expect: "Denied",
    },
    {
      name: "member admin stops the stream's encryption",
      principal: admin(SOURCE),
      action: "firehose:StopDeliveryStreamEncryption",
      resource: src.deliveryStreamArn,
      expect: "Denied",
    },
    {
      name: "member admin edits the delivery role's policy",
      principal: admin(SOURCE),
      action: "iam:PutRolePolicy",
      resource: src.deliveryRoleArn,
      expect: "Denied",
    },
    {
      name: "member admin edits the subscription role's trust",
      principal: admin(SOURCE),
      action: "iam:UpdateAssumeRolePolicy",
      resource: src.subscriptionRoleArn,
      expect: "Denied",
    },
    {
      name: "member admin deletes the subscription role",
      principal: admin(SOURCE),
      action: "iam:DeleteRole",
      resource: src.subscriptionRoleArn,
      expect: "Denied",
    },
    {
      name: "member admin trusts themselves in the break-glass role",
      principal: admin(SOURCE),
      action: "iam:UpdateAssumeRolePolicy",
      resource: `arn:aws:iam::${SOURCE}:role/${BREAK_GLASS}`,
      expect: "Denied",
    },
    {
      name: "member admin creates a role with the deployment role's name",
      principal: admin(SOURCE),
      action: "iam:CreateRole",
      resource: `arn:aws:iam::${SOURCE}:role/${DEPLOYMENT}`,
      expect: "Denied",
    },
    {
      name: "member admin schedules the pipeline key's deletion",
      principal: admin(SOURCE),
      action: "kms:ScheduleKeyDeletion",
      ...pipelineKey(),
      expect: "Denied",
    },
    {
      name: "member admin replaces the pipeline key's policy",
      principal: admin(SOURCE),
      action: "kms:PutKeyPolicy",
      ...pipelineKey(),
      expect: "Denied",
    },
    {
      name: "member admin deletes the pipeline key's alias",
      principal: admin(SOURCE),
      action: "kms:DeleteAlias",
      resource: `arn:aws:kms:${REGION}:${SOURCE}:${src.pipelineKeyAlias}`,
      expect: "Denied",
    },
    {
      name: "member admin disables the heartbeat rule",
      principal: admin(SOURCE),
      action: "events:DisableRule",
      resource: src.heartbeatRuleArn,
      expect: "Denied",
    },
    {
      name: "member admin removes the heartbeat rule's target",
      principal: admin(SOURCE),
      action: "events:RemoveTargets",
      resource: src.heartbeatRuleArn,
      expect: "Denied",
    },
    {
      name: "member admin disables a tamper detection rule",
      principal: admin(SOURCE),
      action: "events:DisableRule",
      resource: `arn:aws:events:${REGION}:${SOURCE}:rule/cwl-archive-tamper-src-logs`,
      expect: "Denied",
    },
    {
      name: "member admin edits a tamper forwarder's trust",
      principal: admin(SOURCE),
      action: "iam:UpdateAssumeRolePolicy",
      resource: `arn:aws:iam::${SOURCE}:role/cwl-archive-tamper-forward-${REGION}`,
      expect: "Denied",
    },
    {
      name: "member admin disables their own rule",
      principal: admin(SOURCE),
      action: "events:DisableRule",
      resource: `arn:aws:events:${REGION}:${SOURCE}:rule/app-nightly-job`,
      expect: "Allowed",
    },
    {
      name: "member admin deletes the heartbeat log group",
      principal: admin(SOURCE),
      action: "logs:DeleteLogGroup",
      resource: logGroup(SOURCE, src.heartbeatLogGroup),
      expect: "Denied",
    },
    {
      name: "listed member admin deletes the pipeline's filter",
      principal: admin(LISTED),
      action: "logs:DeleteSubscriptionFilter",
      resource: logGroup(LISTED, "/app/orders"),
      expect: "Denied",
    },
    {
      name: "listed member admin replaces the pipeline's filter",
      principal: admin(LISTED),
      action: "logs:PutSubscriptionFilter",
      resource: logGroup(LISTED, "/app/orders"),
      expect: "Denied",
    },
    {
      name: "listed member admin deletes the heartbeat's filter",
      principal: admin(LISTED),
      action: "logs:DeleteSubscriptionFilter",
      resource: logGroup(LISTED, src.heartbeatLogGroup),
      expect: "Denied",
    },
    {
      name: "an exempt name in a path it does not have is not exempt",
      principal: role(SOURCE, `team/${DEPLOYMENT}`),
      action: "firehose:DeleteDeliveryStream",
      resource: src.deliveryStreamArn,
      expect: "Denied",
    },
    // --- allowed: the exempt roles -------------------------------------------------
    {
      name: "deployment role deletes the account subscription policy",
      principal: role(SOURCE, DEPLOYMENT),
      action: "logs:DeleteAccountPolicy",
      resource: "*",
      expect: "Allowed",
    },
    {
      name: "deployment role puts the account subscription policy",
      principal: role(SOURCE, DEPLOYMENT),
      action: "logs:PutAccountPolicy",
      resource: "*",
      expect: "Allowed",
    },
    {
      name: "deployment role updates the delivery stream",
      principal: role(SOURCE, DEPLOYMENT),
      action: "firehose:UpdateDestination",
      resource: src.deliveryStreamArn,
      expect: "Allowed",
    },
    {
      name: "deployment role edits the delivery role",
      principal: role(SOURCE, DEPLOYMENT),
      action: "iam:PutRolePolicy",
      resource: src.deliveryRoleArn,
      expect: "Allowed",
    },
    {
      name: "deployment role replaces the pipeline key's policy",
      principal: role(SOURCE, DEPLOYMENT),
      action: "kms:PutKeyPolicy",
      ...pipelineKey(),
      expect: "Allowed",
    },
    {
      name: "deployment role replaces the listed filter",
      principal: role(LISTED, DEPLOYMENT),
      action: "logs:PutSubscriptionFilter",
      resource: logGroup(LISTED, "/app/orders"),
      expect: "Allowed",
    },
    {
      name: "break-glass role deletes the delivery stream",
      principal: role(SOURCE, BREAK_GLASS),
      action: "firehose:DeleteDeliveryStream",
      resource: src.deliveryStreamArn,
      expect: "Allowed",
    },
    {
      name: "break-glass role deletes the account subscription policy",
      principal: role(SOURCE, BREAK_GLASS),
      action: "logs:DeleteAccountPolicy",
      resource: "*",
      expect: "Allowed",
    },
    // --- allowed: what the guardrails do not touch ---------------------------------
    {
      name: "customer's own filter of another name on its own log group",
      principal: admin(SOURCE),
      action: "logs:PutSubscriptionFilter",
      resource: logGroup(SOURCE, "/app/payments"),
      expect: "Allowed",
    },
    {
      name: "customer deletes its own filter on its own log group",
      principal: admin(LISTED),
      action: "logs:DeleteSubscriptionFilter",
      resource: logGroup(LISTED, "/app/other"),
      expect: "Allowed",
    },
    {
      name: "customer deletes its own delivery stream",
      principal: admin(SOURCE),
      action: "firehose:DeleteDeliveryStream",
      resource: `arn:aws:firehose:${REGION}:${SOURCE}:deliverystream/app-metrics`,
      expect: "Allowed",
    },
    {
      name: "customer edits its own role",
      principal: admin(SOURCE),
      action: "iam:PutRolePolicy",
      resource: `arn:aws:iam::${SOURCE}:role/app-service`,
      expect: "Allowed",
    },
    {
      name: "customer schedules its own key's deletion",
      principal: admin(SOURCE),
      action: "kms:ScheduleKeyDeletion",
      resource: CUSTOMER_KEY,
      context: { "kms:ResourceAliases": ["alias/app"] },
      expect: "Allowed",
    },
    {
      name: "customer deletes its own rule",
      principal: admin(SOURCE),
      action: "events:DeleteRule",
      resource: `arn:aws:events:${REGION}:${SOURCE}:rule/app-nightly`,
      expect: "Allowed",
    },
    {
      name: "customer deletes its own log group",
      principal: admin(SOURCE),
      action: "logs:DeleteLogGroup",
      resource: logGroup(SOURCE, "/app/payments"),
      expect: "Allowed",
    },
    // --- what SCPs never judge --------------------------------------------------------
    {
      name: "a service-linked role is not judged by SCPs",
      principal: role(SOURCE, "aws-service-role/logs.amazonaws.com/AWSServiceRoleForLogs"),
      action: "logs:DeleteAccountPolicy",
      resource: "*",
      expect: "Allowed",
    },
    {
      name: "the management account is not judged by SCPs",
      principal: admin(MANAGEMENT),
      action: "logs:DeleteAccountPolicy",
      resource: "*",
      expect: "Allowed",
    },
  ];
}

function archiveRows(): Row[] {
  const archiveKey = () => keyRequest(KEYS, archive.archiveKeyAlias);
  return [
    // --- denied: the archive and its keys ----------------------------------------
    {
      name: "log-archive admin deletes an object version",
      principal: admin(ARCHIVE),
      action: "s3:DeleteObjectVersion",
      resource: OBJECT,
      expect: "Denied",
    },
    {
      name: "log-archive admin deletes an object",
      principal: admin(ARCHIVE),
      action: "s3:DeleteObject",
      resource: OBJECT,
      expect: "Denied",
    },
    {
      name: "log-archive admin bypasses governance retention",
      principal: admin(ARCHIVE),
      action: "s3:BypassGovernanceRetention",
      resource: OBJECT,
      expect: "Denied",
    },
    {
      name: "log-archive admin shortens the lifecycle",
      principal: admin(ARCHIVE),
      action: "s3:PutLifecycleConfiguration",
      resource: archive.archiveBucketArn,
      expect: "Denied",
    },
    {
      name: "log-archive admin changes Object Lock",
      principal: admin(ARCHIVE),
      action: "s3:PutBucketObjectLockConfiguration",
      resource: archive.archiveBucketArn,
      expect: "Denied",
    },
    {
      name: "log-archive admin suspends versioning",
      principal: admin(ARCHIVE),
      action: "s3:PutBucketVersioning",
      resource: archive.archiveBucketArn,
      expect: "Denied",
    },
    {
      name: "log-archive admin changes replication",
      principal: admin(ARCHIVE),
      action: "s3:PutReplicationConfiguration",
      resource: archive.archiveBucketArn,
      expect: "Denied",
    },
    {
      name: "log-archive admin replaces the bucket policy",
      principal: admin(ARCHIVE),
      action: "s3:PutBucketPolicy",
      resource: archive.archiveBucketArn,
      expect: "Denied",
    },
    {
      name: "log-archive admin deletes a replica version",
      principal: admin(ARCHIVE),
      action: "s3:DeleteObjectVersion",
      resource: `${archive.replicaBucketArn}/cloudwatch-logs/o.json.gz`,
      expect: "Denied",
    },
    {
      name: "key-account admin schedules the archive key's deletion",
      principal: admin(KEYS),
      action: "kms:ScheduleKeyDeletion",
      ...archiveKey(),
      expect: "Denied",
    },
    {
      name: "key-account admin disables the archive key",
      principal: admin(KEYS),
      action: "kms:DisableKey",
      ...archiveKey(),
      expect: "Denied",
    },
    {
      name: "key-account admin replaces the archive key's policy",
      principal: admin(KEYS),
      action: "kms:PutKeyPolicy",
      ...archiveKey(),
      expect: "Denied",
    },
    {
      name: "key-account admin repoints the archive key's alias",
      principal: admin(KEYS),
      action: "kms:UpdateAlias",
      resource: `arn:aws:kms:${REGION}:${KEYS}:${archive.archiveKeyAlias}`,
      expect: "Denied",
    },
    {
      name: "a break-glass name in another account is not exempt at the archive",
      principal: role(SOURCE, BREAK_GLASS),
      action: "s3:DeleteObjectVersion",
      resource: OBJECT,
      expect: "Denied",
      // The bucket policy already refuses every other account.
      byGuardrail: false,
    },
    {
      // Terraform never deletes archived objects: a deployment role someone
      // re-trusts gains no deletion (fresh-eyes review).
      name: "log-archive deployment role deletes an object version",
      principal: role(ARCHIVE, DEPLOYMENT),
      action: "s3:DeleteObjectVersion",
      resource: OBJECT,
      expect: "Denied",
    },
    // --- allowed -----------------------------------------------------------------------
    {
      name: "log-archive deployment role changes the lifecycle",
      principal: role(ARCHIVE, DEPLOYMENT),
      action: "s3:PutLifecycleConfiguration",
      resource: archive.archiveBucketArn,
      expect: "Allowed",
    },
    {
      name: "log-archive deployment role puts the bucket policy",
      principal: role(ARCHIVE, DEPLOYMENT),
      action: "s3:PutBucketPolicy",
      resource: archive.archiveBucketArn,
      expect: "Allowed",
    },
    {
      name: "break-glass role deletes an object version",
      principal: role(ARCHIVE, BREAK_GLASS),
      action: "s3:DeleteObjectVersion",
      resource: OBJECT,
      expect: "Allowed",
    },
    {
      name: "break-glass role changes the lifecycle",
      principal: role(ARCHIVE, BREAK_GLASS),
      action: "s3:PutLifecycleConfiguration",
      resource: archive.archiveBucketArn,
      expect: "Allowed",
    },
    {
      name: "key-account deployment role replaces the archive key's policy",
      principal: role(KEYS, DEPLOYMENT),
      action: "kms:PutKeyPolicy",
      ...archiveKey(),
      expect: "Allowed",
    },
    {
      name: "log-archive admin reads an object",
      principal: admin(ARCHIVE),
      action: "s3:GetObject",
      resource: OBJECT,
      expect: "Allowed",
    },
    {
      name: "log-archive admin changes the bucket's tags",
      principal: admin(ARCHIVE),
      action: "s3:PutBucketTagging",
      resource: archive.archiveBucketArn,
      expect: "Allowed",
    },
  ];
}

describe("the guardrail documents", () => {
  test("GIVEN listed groups, a key account and a replica THEN one SCP and one RCP, each under 5,120 characters", () => {
    expect(organizationPolicies.map((p) => `${p.type} ${p.targets.join(",")}`).sort()).toEqual([
      `RESOURCE_CONTROL_POLICY ${ARCHIVE},${KEYS}`,
      `SERVICE_CONTROL_POLICY ${WORKLOADS}`,
    ]);
    for (const p of organizationPolicies) expect([...p.content].length).toBeLessThanOrEqual(5120);
  });

  test("GIVEN the documents THEN every action, resource type and condition key matches AWS's catalogue", async () => {
    const documents = organizationPolicies.map((p) => p.document);
    const catalogue = await loadCatalogue(servicesOf(documents));
    const problems = organizationPolicies.flatMap((p) => checkPolicy(catalogue, p.document, p.name).problems);
    expect(problems).toEqual([]);
  });
});

describe("the guardrails in the simulator", () => {
  const rows = () => [...sourceRows(), ...archiveRows()];

  test("the matrix has allowed and denied rows of member, archive and key accounts", () => {
    const all = rows();
    expect(all.length).toBeGreaterThanOrEqual(50);
    expect(all.filter((r) => r.expect === "Denied").length).toBeGreaterThanOrEqual(25);
    expect(all.filter((r) => r.expect === "Allowed").length).toBeGreaterThanOrEqual(20);
  });

  test("every row reaches its decision, and each denial is the guardrail's", async () => {
    const wrong: string[] = [];
    const lines: string[] = [];
    for (const row of rows()) {
      const outcome = await simulate(world, withGuardrails, row);
      lines.push(`${outcome.decision === row.expect ? "ok  " : "FAIL"} ${row.expect.padEnd(7)} ${row.name}`);
      if (outcome.decision !== row.expect) {
        wrong.push(`${row.name}: expected ${row.expect}, got ${outcome.result} (${outcome.decisive.join(", ")})`);
        continue;
      }
      if (row.expect !== "Denied" || row.byGuardrail === false) continue;
      if (!outcome.decisive.some((d) => d.startsWith("scp:") || d.startsWith("rcp:"))) {
        wrong.push(`${row.name}: denied by ${outcome.decisive.join(", ")}, not by a guardrail`);
      }
      const baseline = await simulate(world, without, row);
      if (baseline.decision !== "Allowed") {
        wrong.push(`${row.name}: denied even without the guardrails (${baseline.decisive.join(", ")})`);
      }
    }
    process.stdout.write(`Guardrail simulation (${lines.length} rows)\n${lines.join("\n")}\n`);
    expect(wrong).toEqual([]);
  });
});

/** The organization with every attached policy of one type passed through `edit`. */
function edited(
  org: Organization,
  type: "serviceControlPolicies" | "resourceControlPolicies",
  edit: (document: any) => any,
): Organization {
  const policies = org.controlPolicies!;
  const changed = new Map<string, readonly AttachedPolicy[]>(
    [...policies[type]].map(([target, list]) => [
      target,
      list.map((p) => ({ name: p.name, policy: edit(structuredClone(p.policy)) })),
    ]),
  );
  return { ...org, controlPolicies: { ...policies, [type]: changed } };
}

describe("the proof fails when a guardrail breaks", () => {
  const row = (name: string) => [...sourceRows(), ...archiveRows()].find((r) => r.name === name)!;

  test("GIVEN the account policy statement dropped THEN a member admin may delete the subscription policy", async () => {
    const broken = edited(withGuardrails, "serviceControlPolicies", (d) => ({
      ...d,
      Statement: d.Statement.filter((s: any) => s.Sid !== "DenyAccountPolicyChanges"),
    }));
    const outcome = await simulate(world, broken, row("member admin deletes the account subscription policy"));
    expect(outcome.decision).toBe("Allowed");
  });

  test("GIVEN every role exempt at the archive THEN an admin may delete object versions", async () => {
    const broken = edited(withGuardrails, "resourceControlPolicies", (d) => {
      for (const s of d.Statement) s.Condition.ArnNotLike["aws:PrincipalArn"] = ["arn:aws:iam::*:role/*"];
      return d;
    });
    const outcome = await simulate(world, broken, row("log-archive admin deletes an object version"));
    expect(outcome.decision).toBe("Allowed");
  });

  test("GIVEN the pipeline key's alias condition misspelt THEN a member admin may schedule its deletion", async () => {
    const broken = edited(withGuardrails, "serviceControlPolicies", (d) => {
      for (const s of d.Statement) {
        const aliases = s.Condition?.["ForAnyValue:StringEquals"];
        if (aliases) aliases["kms:ResourceAliases"] = ["alias/cwl-archive-pipelines"];
      }
      return d;
    });
    const outcome = await simulate(world, broken, row("member admin schedules the pipeline key's deletion"));
    expect(outcome.decision).toBe("Allowed");
  });

  test("GIVEN an RCP that names principals THEN the simulator refuses it, as Organizations would", async () => {
    const broken = edited(withGuardrails, "resourceControlPolicies", (d) => {
      for (const s of d.Statement) s.Principal = { AWS: `arn:aws:iam::${ARCHIVE}:root` };
      return d;
    });
    await expect(simulate(world, broken, row("log-archive admin deletes an object version"))).rejects.toThrow(
      /Principal must be \\?"\*\\?" in a resource control policy/,
    );
  });
});
