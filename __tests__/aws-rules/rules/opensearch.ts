/**
 * Amazon OpenSearch Service: the domain access policy (aws_opensearch_domain_policy,
 * or aws_opensearch_domain's access_policies) as UpdateDomainConfig receives it.
 *
 * Checked by the provider already, so not here: that access_policies is JSON
 * (validation.StringIsJSON); the provider also sends it normalised (compact,
 * one line), so the API pattern .* (no line break) cannot fail.
 */
import type { TfJson } from "../../helpers/synth";
import { characters, list, statementsOf, type Statement } from "../lib/policy";
import { defineRule, type Rule } from "../lib/rule";
import {
  all,
  arnOf,
  dependsOn,
  literal,
  parseRef,
  partitionOfRegion,
  refTo,
  stackAccount,
  stackRegion,
  unresolved,
  type Res,
} from "../lib/tf";

const SERVICE = "opensearch";
const NEEDS = "search.enabled (the search delivery's domain access policy, examples/registries/locked-compliance.yaml)";
const PRINCIPAL = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html";

interface DomainPolicy {
  readonly res: Res;
  /** The access_policies attribute as written in cdk.tf.json. */
  readonly policy: string;
}

function domainPolicies(stack: TfJson): DomainPolicy[] {
  return [...all(stack, "aws_opensearch_domain_policy"), ...all(stack, "aws_opensearch_domain")]
    .filter((res) => typeof res.config.access_policies === "string")
    .map((res) => ({ res, policy: res.config.access_policies }));
}

/** The policy as a document (escapes undone, references left as written), or undefined when it is not JSON. */
function documentOf(policy: string): any {
  try {
    return JSON.parse(literal(policy));
  } catch {
    return undefined;
  }
}

/** The values of a statement's `AWS` principal (and NotPrincipal), `*` for the bare wildcard. */
function awsPrincipals(s: Statement): string[] {
  return [s.Principal, s.NotPrincipal].flatMap((p) => {
    if (p === undefined) return [];
    if (p === "*") return ["*"];
    return typeof p === "object" && p !== null ? list((p as Record<string, unknown>).AWS) : [];
  });
}

/** A principal as saved: a literal, or a whole reference to a resource whose ARN the stack determines. */
function principalValue(stack: TfJson, value: string): string | undefined {
  if (!unresolved(value)) return value;
  const target = refTo(stack, value);
  return target && parseRef(value)?.attr === "arn" ? arnOf(stack, target) : undefined;
}

// "The maximum size of a policy document is 100 KB": the PolicyDocument shape, Length Constraints 0-102,400.
const ACCESS_POLICY_CHARACTERS = 102_400;

export const accessPolicySize = defineRule<DomainPolicy>({
  id: "opensearch-domain-access-policy-size",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_AccessPoliciesStatus.html",
  description:
    "A domain access policy (the API's PolicyDocument: 'Length Constraints: Minimum length of 0. Maximum length of " +
    "102400.'; its shape documentation: 'The maximum size of a policy document is 100 KB') is at most 102,400 " +
    "characters, measured on the policy as sent, references resolved or at their worst-case length, and on the " +
    "provider's compact form, whichever is longer.",
  needs: NEEDS,
  targets: domainPolicies,
  address: (p) => p.res.address,
  violations: (p, stack) => {
    const n = characters(stack, p.policy);
    return n <= ACCESS_POLICY_CHARACTERS
      ? []
      : [`access policy is ${n} characters, at most ${ACCESS_POLICY_CHARACTERS}`];
  },
});

const POLICY_VERSIONS = ["2012-10-17", "2008-10-17"];

export const accessPolicyGrammar = defineRule<DomainPolicy>({
  id: "opensearch-domain-access-policy-grammar",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html",
  description:
    "The domain access policy is an IAM resource-based policy (ac.html: its 'Principal JSON policy element in IAM " +
    "specifies the accounts, users, or roles that are allowed access'): 'IAM supports the following Version element " +
    "values: 2012-10-17 … 2008-10-17'; it has at least one statement, each with Effect Allow or Deny and, as 'You " +
    "must use the Principal element in resource-based policies' (reference_policies_elements_principal.html), a " +
    "Principal or NotPrincipal. A missing Version is not a finding: IAM falls back to 2008-10-17, which the page " +
    "advises against ('you should always include a Version element and set it to 2012-10-17') but does not reject.",
  needs: NEEDS,
  targets: (stack) => domainPolicies(stack).filter((p) => documentOf(p.policy) !== undefined),
  address: (p) => p.res.address,
  violations: (p) => {
    const doc = documentOf(p.policy);
    const out: string[] = [];
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return ["access policy is not a JSON object"];
    if (doc.Version !== undefined && !POLICY_VERSIONS.includes(doc.Version))
      out.push(`Version ${JSON.stringify(doc.Version)} is not one of ${POLICY_VERSIONS.join(", ")}`);
    const statements = statementsOf(p.policy) ?? [];
    if (statements.length === 0) out.push("access policy has no Statement");
    statements.forEach((s, i) => {
      const name = s.Sid ?? `#${i + 1}`;
      if (s.Effect !== "Allow" && s.Effect !== "Deny")
        out.push(`statement ${name} has Effect ${JSON.stringify(s.Effect)}, must be Allow or Deny`);
      if (s.Principal === undefined && s.NotPrincipal === undefined)
        out.push(`statement ${name} has no Principal (required in a resource-based policy)`);
    });
    return out;
  },
});

/** IAM principal ARNs a resource-based policy can name (groups cannot be principals). */
const PRINCIPAL_ARN =
  /^arn:aws(-[a-z]+)*:(iam::\d{12}:(root|user\/.+|role\/.+|federated-user\/.+)|sts::\d{12}:(assumed-role\/[^/]+\/.+|federated-user\/.+))$/;

export const accessPolicyPrincipals = defineRule<DomainPolicy>({
  id: "opensearch-domain-access-policy-principals",
  service: SERVICE,
  source: PRINCIPAL,
  description:
    "Each AWS principal of the domain access policy is '*', a 12-digit account id, or the ARN of an account root " +
    "(arn:aws:iam::<account>:root), IAM user, IAM role, assumed-role session or federated user session; 'You " +
    "cannot use a wildcard to match part of a principal name or ARN', and a user group cannot be a principal. " +
    "A policy OpenSearch cannot save fails UpdateDomainConfig with InvalidTypeException ('Error setting policy'); " +
    "a wildcard inside a role ARN was reported to fail that way (boto/boto3#305, not an AWS page). References the " +
    "stack cannot resolve are skipped.",
  needs: NEEDS,
  targets: (stack) => domainPolicies(stack).filter((p) => statementsOf(p.policy) !== undefined),
  address: (p) => p.res.address,
  violations: (p, stack) =>
    (statementsOf(p.policy) ?? []).flatMap((s, i) =>
      awsPrincipals(s).flatMap((raw) => {
        if (raw === "*") return [];
        const value = principalValue(stack, raw);
        if (value === undefined) return [];
        if (/^\d{12}$/.test(value)) return [];
        const name = s.Sid ?? `#${i + 1}`;
        if (/[*?]/.test(value))
          return [`statement ${name}: principal ${JSON.stringify(value)} uses a wildcard inside a name or ARN`];
        return PRINCIPAL_ARN.test(value)
          ? []
          : [`statement ${name}: principal ${JSON.stringify(value)} is not an account id or an IAM principal ARN`];
      }),
    ),
});

export const accessPolicyRolesFirst = defineRule<DomainPolicy>({
  id: "opensearch-domain-access-policy-roles-exist-first",
  service: SERVICE,
  source: "https://github.com/hashicorp/terraform-provider-aws/pull/36281",
  description:
    "A role (or user) named as a principal must exist when the policy is saved: IAM 'transforms' a principal ARN " +
    "'to the role unique principal ID when you save the policy' (reference_policies_elements_principal.html), and " +
    "UpdateDomainConfig fails with 'InvalidTypeException: Error setting policy' while IAM does not yet know the role " +
    "(the provider's fix retries on IAM eventual consistency; it cannot help a role that is created later). So a " +
    "role or user of the same stack named in the policy must be referenced by it or in its depends_on.",
  needs: NEEDS,
  targets: (stack) =>
    domainPolicies(stack).filter((p) => (statementsOf(p.policy) ?? []).some((s) => awsPrincipals(s).length > 0)),
  address: (p) => p.res.address,
  violations: (p, stack) => {
    const named = new Set((statementsOf(p.policy) ?? []).flatMap(awsPrincipals));
    const identities = [...all(stack, "aws_iam_role"), ...all(stack, "aws_iam_user")];
    return identities.flatMap((identity) => {
      const arn = identity.type === "aws_iam_role" ? arnOf(stack, identity) : userArn(stack, identity);
      const byRef = [...named].some((v) => refTo(stack, v)?.address === identity.address);
      if (!byRef && (arn === undefined || !named.has(arn))) return [];
      const ordered =
        byRef ||
        p.policy.includes(`\${${identity.type}.${identity.name}.`) ||
        dependsOn(p.res.config).includes(identity.address);
      return ordered ? [] : [`names ${identity.address} (${arn ?? "by reference"}) but does not depend on it`];
    });
  },
});

export const accessPolicyNoNotPrincipal = defineRule<DomainPolicy>({
  id: "opensearch-domain-access-policy-no-notprincipal",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html",
  description:
    "A domain access policy uses no NotPrincipal: 'OpenSearch Service supports most policy elements in the IAM " +
    "Policy Elements Reference, with the exception of NotPrincipal' (ac.html, 'Policy element reference'). IAM " +
    "accepts NotPrincipal in other resource policies, and the provider checks only that the policy is JSON, so a " +
    "deny written as 'everyone but these' must be a Principal * with an ArnNotEquals condition on aws:PrincipalArn " +
    "instead. NotAction and NotResource are not excluded by the page and are not findings.",
  needs: NEEDS,
  targets: (stack) => domainPolicies(stack).filter((p) => statementsOf(p.policy) !== undefined),
  address: (p) => p.res.address,
  violations: (p) =>
    (statementsOf(p.policy) ?? []).flatMap((s, i) =>
      s.NotPrincipal === undefined ? [] : [`statement ${s.Sid ?? `#${i + 1}`} uses NotPrincipal`],
    ),
});

/** The ARN of an IAM user of the stack, from its literal name and path. */
function userArn(stack: TfJson, user: Res): string | undefined {
  const { name, path } = user.config;
  const account = stackAccount(stack);
  return typeof name === "string" && !unresolved(name) && account
    ? `arn:${partitionOfRegion(stackRegion(stack))}:iam::${account}:user${path ?? "/"}${name}`
    : undefined;
}

export const rules: readonly Rule[] = [
  accessPolicySize,
  accessPolicyGrammar,
  accessPolicyPrincipals,
  accessPolicyRolesFirst,
  accessPolicyNoNotPrincipal,
];
