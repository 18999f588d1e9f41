/**
 * Evaluates sts:AssumeRoleWithWebIdentity against a role's trust policy with
 * the real IAM policy evaluator (@cloud-copilot/iam-simulate), for a workload
 * identity token whose claims IAM exposes as `<provider host>:<claim>`
 * condition keys. A claim the simulator ignored fails the row instead of
 * silently testing something else.
 *
 * The simulator knows the claim keys of a fixed list of identity providers
 * (Google, Cognito, GitHub, GitLab, ...), not HCP Terraform's: like the
 * stand-ins of simulate.ts, the claims of the Terraform Cloud host are
 * renamed, in the trust policy and the request alike, to Cognito's `sub` and
 * `aud` keys, which no policy of ours uses. The semantics (string conditions
 * on one request value each) are the same.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { Decision } from "./simulate";

export interface WebIdentityRequest {
  /** The OIDC provider the token was checked against (the request's federated principal). */
  readonly providerArn: string;
  /** The role to assume. */
  readonly roleArn: string;
  /** The role's trust policy, as IAM holds it (no Terraform or CloudFormation escapes). */
  readonly trust: unknown;
  /** Token claims as condition keys, e.g. { "app.terraform.io:sub": "...", "app.terraform.io:aud": "..." }. */
  readonly claims: Readonly<Record<string, string>>;
}

const STAND_IN_HOST = "cognito-identity.amazonaws.com";

/** Renames `<host>:sub` and `<host>:aud` of every host in `value` to the stand-in's keys. */
function standIn<T>(value: T, hosts: readonly string[]): T {
  let text = JSON.stringify(value);
  if (text.includes(`"${STAND_IN_HOST}:`))
    throw new Error(`${STAND_IN_HOST} is used by a policy; pick another stand-in`);
  for (const host of hosts) {
    for (const claim of ["sub", "aud"]) text = text.split(`"${host}:${claim}"`).join(`"${STAND_IN_HOST}:${claim}"`);
  }
  return JSON.parse(text) as T;
}

export async function assumeWithWebIdentity(request: WebIdentityRequest): Promise<Decision> {
  const account = request.roleArn.split(":")[4]!;
  const hosts = [...new Set(Object.keys(request.claims).map((key) => key.slice(0, key.lastIndexOf(":"))))];
  const claims = standIn(request.claims, hosts);
  const response = await runSimulation(
    {
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: standIn(request.trust, hosts) as never,
      request: {
        principal: request.providerArn,
        action: "sts:AssumeRoleWithWebIdentity",
        resource: { resource: request.roleArn, accountId: account },
        contextVariables: { ...claims },
      },
    },
    {},
  );
  if (response.resultType === "error") {
    throw new Error(`the simulator rejected the request: ${JSON.stringify(response.errors)}`);
  }
  if (response.resultType !== "single") throw new Error(`unexpected ${response.resultType} result`);
  const ignored = (response.result.ignoredContextKeys ?? []).filter((key) => key in claims);
  if (ignored.length > 0) throw new Error(`the simulator ignored the claims ${ignored.join(", ")}`);
  return response.overallResult === "Allowed" ? "Allowed" : "Denied";
}
