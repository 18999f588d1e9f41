/**
 * Evaluates one request against the policy world with a real IAM policy
 * evaluator (@cloud-copilot/iam-simulate, AGPL-3.0, a devDependency only).
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
  | { readonly service: string };

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
}

const ADMINISTRATOR_ACCESS: Json = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

/**
 * iam-simulate drops condition keys whose variable part follows a colon, such
 * as `kms:EncryptionContext:aws:s3:arn` (it only recognises `/`-separated
 * variables like `aws:PrincipalTag/x`), so such a condition could never
 * match. The harness renames that key, in policies and request context
 * alike, to a KMS string key the simulator evaluates and no policy of ours
 * uses. The semantics (a string condition on one request value) are the same.
 */
const STAND_INS: Record<string, string> = {
  "kms:EncryptionContext:aws:s3:arn": "kms:RequestAlias",
  "kms:EncryptionContext:aws:cloudtrail:arn": "kms:KeyOrigin",
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
    case "s3":
      return world.bucketPolicies.get(`arn:aws:s3:::${resource.slice("arn:aws:s3:::".length).split("/")[0]}`);
    case "kms":
      return world.keyPolicies.get(resource);
    case "sqs":
      return world.queuePolicies.get(resource);
    case "sns":
      return world.topicPolicies.get(resource);
    case "es":
      // arn:aws:es:<region>:<account>:domain/<name>[/<path>]
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
    "service" in principal ? principal.service : "role" in principal ? principal.role : principal.admin;
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
    ...(action.startsWith("kms:") && !("service" in principal) ? { "kms:CallerAccount": accountOf(principalId) } : {}),
    ...scenario.context,
  };
  const resourcePolicy = resourcePolicyFor(world, action, resource);
  const response = await runSimulation(
    {
      identityPolicies: adapt(identityPolicies),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: adapt(resourcePolicy) as never,
      request: {
        principal: principalId,
        action,
        resource: { resource, accountId: ownerOf(world, resource) },
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
  const pick = (kind: "allowStatements" | "denyStatements") =>
    ["identityAnalysis", "resourceAnalysis"].flatMap((part) =>
      ((analysis?.[part]?.[kind] ?? []) as Json[]).map(
        (s) => `${part.replace("Analysis", "")}:${s.explain?.identifier ?? "?"}`,
      ),
    );
  return {
    decision,
    result: response.overallResult,
    decisive: decision === "Allowed" ? pick("allowStatements") : pick("denyStatements"),
  };
}
