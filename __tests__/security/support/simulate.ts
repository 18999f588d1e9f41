/**
 * Evaluates one request against the policy world with a real IAM policy
 * evaluator (@cloud-copilot/iam-simulate, AGPL-3.0, a devDependency only),
 * including, when the organization carries them, the service control
 * policies on the principal's path and the resource control policies on the
 * resource's path (root first, the account last).
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { ownerOf, type Json, type PolicyWorld } from "./policy-world";

export type Decision = "Allowed" | "Denied";

export type Principal =
  /** A role the app creates: its inline policies are its identity policies. */
  | { readonly role: string }
  /** A principal with AdministratorAccess in its own account. */
  | { readonly admin: string }
  /** An AWS service principal, e.g. s3.amazonaws.com. */
  | { readonly service: string }
  /** A web identity: the ARN of the IAM OIDC provider that issued the token (AssumeRoleWithWebIdentity). */
  | { readonly federated: string };

export interface Scenario {
  readonly name: string;
  readonly principal: Principal;
  readonly action: string;
  readonly resource: string;
  /** Request context beyond what the principal implies (TLS on, org membership). */
  readonly context?: Readonly<Record<string, string | string[]>>;
  readonly expect: Decision;
}

export interface Outcome {
  readonly decision: Decision;
  /** The simulator's own result: Allowed, ExplicitlyDenied or ImplicitlyDenied. */
  readonly result: string;
  /** Statements that decided it: the denying ones, or the allowing ones. */
  readonly decisive: string[];
}

export interface Organization {
  readonly id: string;
  /** Accounts that are members of the organization. */
  readonly members: ReadonlySet<string>;
  /**
   * The management account: SCPs never judge its principals, RCPs never its resources.
   * @default - none of the members
   */
  readonly managementAccountId?: string;
  /**
   * Service and resource control policies, by where they are attached.
   * @default - none: requests are evaluated without SCPs and RCPs
   */
  readonly controlPolicies?: ControlPolicies;
}

/** A policy attached to a root, an OU or an account. */
export interface AttachedPolicy {
  readonly name: string;
  readonly policy: Json;
}

/** The organization's control policies, and where each member account sits. */
export interface ControlPolicies {
  /** Root and OU ids from the root down to each member account, the account itself left out. */
  readonly paths: ReadonlyMap<string, readonly string[]>;
  /** SCPs attached to each root, OU or account id, besides FullAWSAccess (attached everywhere, as AWS does). */
  readonly serviceControlPolicies: ReadonlyMap<string, readonly AttachedPolicy[]>;
  /** RCPs attached to each root, OU or account id, besides RCPFullAWSAccess (the simulator adds it at every level). */
  readonly resourceControlPolicies: ReadonlyMap<string, readonly AttachedPolicy[]>;
}

/**
 * FullAWSAccess, attached by AWS to the root, every OU and every account when
 * SCPs are enabled: an SCP level without an Allow would deny everything.
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 */
const FULL_AWS_ACCESS: AttachedPolicy = {
  name: "FullAWSAccess",
  policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
};

/**
 * Service-linked roles live under /aws-service-role/; SCPs never restrict them.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html
 */
function isServiceLinkedRole(principalArn: string): boolean {
  return /^arn:aws(-us-gov|-cn)?:iam::\d{12}:role\/aws-service-role\//.test(principalArn);
}

/** The levels from the root to `account`, each with the policies attached there; none outside the rules' reach. */
function levels(
  org: Organization,
  account: string,
  attached: (policies: ControlPolicies) => ReadonlyMap<string, readonly AttachedPolicy[]>,
  base: readonly AttachedPolicy[],
): { orgIdentifier: string; policies: AttachedPolicy[] }[] {
  const policies = org.controlPolicies;
  if (!policies || !org.members.has(account) || account === org.managementAccountId) return [];
  const path = policies.paths.get(account);
  if (!path) throw new Error(`the organization places no path for member account ${account}`);
  return [...path, account].map((id) => ({
    orgIdentifier: id,
    policies: [...base, ...(attached(policies).get(id) ?? [])].map((p) => ({ name: p.name, policy: adapt(p.policy) })),
  }));
}

const ADMINISTRATOR_ACCESS: Json = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

/**
 * iam-simulate drops condition keys whose variable part follows a colon, such
 * as `kms:EncryptionContext:aws:s3:arn` (it only recognises `/`-separated
 * variables like `aws:PrincipalTag/x`), and web-identity keys of providers
 * its catalogue does not list, so such a condition could never match. The harness renames that key, in policies and request context
 * alike, to a KMS string key the simulator evaluates and no policy of ours
 * uses. The semantics (a string condition on one request value) are the same.
 */
const STAND_INS: Record<string, string> = {
  // Provider-specific web-identity keys exist only for the providers AWS's
  // catalogue lists; Entra ID's audience key stands in as Google's.
  "sts.windows.net/33e01921-4d64-4f8c-a055-5bdaffd5e33d/:aud": "accounts.google.com:aud",
  "kms:EncryptionContext:aws:s3:arn": "kms:RequestAlias",
  "kms:EncryptionContext:aws:cloudtrail:arn": "kms:KeyOrigin",
  "kms:EncryptionContext:aws:sns:topicArn": "kms:KeySpec",
};

function adapt<T>(value: T): T {
  if (value === undefined) return value;
  let text = JSON.stringify(value);
  for (const [key, standIn] of Object.entries(STAND_INS)) {
    if (text.includes(`"${standIn}"`)) throw new Error(`${standIn} is used by a policy; pick another stand-in key`);
    text = text.split(key).join(standIn);
  }
  return JSON.parse(text) as T;
}

function accountOf(arn: string): string {
  return arn.split(":")[4]!;
}

function resourcePolicyFor(world: PolicyWorld, action: string, resource: string): Json | undefined {
  const service = action.split(":")[0];
  switch (service) {
    case "sts":
      return world.roles.get(resource)?.trust;
    case "s3": {
      // The bucket of an object, in any partition: arn:<partition>:s3:::<bucket>/<key>.
      const [bucketArn] = resource.split("/");
      return world.bucketPolicies.get(bucketArn!);
    }
    case "kms":
      return world.keyPolicies.get(resource);
    case "sqs":
      return world.queuePolicies.get(resource);
    case "sns":
      return world.topicPolicies.get(resource);
    case "es":
      // arn:<partition>:es:<region>:<account>:domain/<name>[/<path>]
      return world.domainPolicies.get(resource.split("/").slice(0, 2).join("/"));
    case "logs": {
      if (resource.includes(":destination:")) return world.destinationPolicies.get(resource);
      // Account-level resource policies; this app puts at most one per account and Region.
      const [, , , region, account] = resource.split(":");
      const policies = world.logResourcePolicies.get(`${account}/${region}`) ?? [];
      return policies.length === 0
        ? undefined
        : { Version: "2012-10-17", Statement: policies.flatMap((p) => p.Statement as Json[]) };
    }
    default:
      return undefined;
  }
}

function principalContext(principal: Principal, org: Organization): Record<string, string | string[]> {
  if ("federated" in principal) return {};
  if ("service" in principal) {
    return { "aws:PrincipalIsAWSService": "true", "aws:PrincipalServiceName": principal.service };
  }
  const arn = "role" in principal ? principal.role : principal.admin;
  const account = accountOf(arn);
  const context: Record<string, string | string[]> = {
    "aws:PrincipalArn": arn,
    "aws:PrincipalAccount": account,
    "aws:PrincipalIsAWSService": "false",
  };
  if (org.members.has(account)) context["aws:PrincipalOrgID"] = org.id;
  return context;
}

export async function simulate(world: PolicyWorld, org: Organization, scenario: Scenario): Promise<Outcome> {
  const { principal, action, resource } = scenario;
  const principalId =
    "federated" in principal
      ? principal.federated
      : "service" in principal
        ? principal.service
        : "role" in principal
          ? principal.role
          : principal.admin;
  let identityPolicies: { name: string; policy: Json }[] = [];
  if ("role" in principal) {
    const role = world.roles.get(principal.role);
    if (!role) throw new Error(`${scenario.name}: no role ${principal.role} in the synthesised stacks`);
    identityPolicies = role.policies;
  } else if ("admin" in principal) {
    identityPolicies = [{ name: "AdministratorAccess", policy: ADMINISTRATOR_ACCESS }];
  }
  const context: Record<string, string | string[]> = {
    "aws:SecureTransport": "true",
    ...principalContext(principal, org),
    ...(action.startsWith("kms:") && "role" in principal ? { "kms:CallerAccount": accountOf(principalId) } : {}),
    ...(action.startsWith("kms:") && "admin" in principal ? { "kms:CallerAccount": accountOf(principalId) } : {}),
    ...scenario.context,
  };
  const resourcePolicy = resourcePolicyFor(world, action, resource);
  // SCPs judge IAM principals of member accounts, never AWS services or service-linked roles.
  const serviceControlPolicies =
    "service" in principal || "federated" in principal || isServiceLinkedRole(principalId)
      ? []
      : levels(org, accountOf(principalId), (p) => p.serviceControlPolicies, [FULL_AWS_ACCESS]);
  // An action that takes no resource ARN ("*") acts in the caller's own account.
  const resourceAccount =
    resource === "*" && ("role" in principal || "admin" in principal)
      ? accountOf(principalId)
      : ownerOf(world, resource);
  const resourceControlPolicies = levels(org, resourceAccount, (p) => p.resourceControlPolicies, []);
  const response = await runSimulation(
    {
      identityPolicies: adapt(identityPolicies),
      serviceControlPolicies,
      resourceControlPolicies,
      resourcePolicy: adapt(resourcePolicy) as never,
      request: {
        principal: principalId,
        action,
        resource: { resource, accountId: resourceAccount },
        contextVariables: adapt(context),
      },
    },
    {},
  );
  if (response.resultType === "error") {
    throw new Error(`${scenario.name}: the simulator rejected the request: ${JSON.stringify(response.errors)}`);
  }
  if (response.resultType !== "single") throw new Error(`${scenario.name}: unexpected ${response.resultType} result`);
  // A context key the simulator drops would make the row test something else.
  const ignored = (response.result.ignoredContextKeys ?? []).filter((key) => key in adapt(scenario.context ?? {}));
  if (ignored.length > 0) {
    throw new Error(`${scenario.name}: the simulator ignored context keys ${ignored.join(", ")}`);
  }
  const analysis = response.result.analysis as Json;
  const decision: Decision = response.overallResult === "Allowed" ? "Allowed" : "Denied";
  const pick = (kind: "allowStatements" | "denyStatements") => [
    ...["identityAnalysis", "resourceAnalysis"].flatMap((part) =>
      ((analysis?.[part]?.[kind] ?? []) as Json[]).map(
        (s) => `${part.replace("Analysis", "")}:${s.explain?.identifier ?? "?"}`,
      ),
    ),
    // Control policies only ever decide a denial: their Allows (FullAWSAccess) grant nothing.
    ...(kind === "denyStatements"
      ? ["scpAnalysis", "rcpAnalysis"].flatMap((part) =>
          ((analysis?.[part]?.ouAnalysis ?? []) as Json[]).flatMap((level) =>
            ((level.denyStatements ?? []) as Json[]).map(
              (s) => `${part.replace("Analysis", "")}:${s.explain?.identifier ?? "?"}`,
            ),
          ),
        )
      : []),
  ];
  return {
    decision,
    result: response.overallResult,
    decisive: decision === "Allowed" ? pick("allowStatements") : pick("denyStatements"),
  };
}
