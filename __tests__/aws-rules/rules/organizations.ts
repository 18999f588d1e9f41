/**
 * AWS Organizations: the service control policies (SCPs) and resource
 * control policies (RCPs) of the guardrails stack, judged as Organizations
 * judges them when Terraform calls CreatePolicy and AttachPolicy: size,
 * grammar, attachments per target, target ids, and the credentials of the
 * management account.
 *
 * The SCP grammar checked is the narrower one Organizations has accepted from
 * the start (Deny statements may carry Resource ARNs and Conditions; Allow
 * statements only `"*"`; `*` only at the end of an action; no Principal,
 * NotPrincipal). Organizations has since widened it; a policy in the narrow
 * grammar is accepted by both.
 */
import type { TfJson } from "../../helpers/synth";
import { characters, utf8Bytes } from "../lib/policy";
import { defineRule, type Rule } from "../lib/rule";
import { all, first, parseRef, provider, unresolved, type Res } from "../lib/tf";

const SERVICE = "organizations";
const LIMITS = "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html";
const SCP_SYNTAX = "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html";
const RCP_SYNTAX = "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html";

const SCP = "SERVICE_CONTROL_POLICY";
const RCP = "RESOURCE_CONTROL_POLICY";
/** The provider's default type (internal/service/organizations/policy.go). */
const typeOf = (p: Res): string => (typeof p.config.type === "string" ? p.config.type : SCP);

const policies = (stack: TfJson, ...types: string[]) =>
  all(stack, "aws_organizations_policy").filter((p) => types.includes(typeOf(p)));

/** The policy document as Organizations receives it (the `$${` escape undone), or undefined if it is not JSON. */
function documentOf(p: Res): any {
  try {
    return JSON.parse(String(p.config.content).replace(/\$\$\{/g, "${"));
  } catch {
    return undefined;
  }
}

function statementsOf(document: any): any[] {
  const s = document?.Statement;
  return s === undefined ? [] : Array.isArray(s) ? s : [s];
}

function listOf(value: unknown): string[] {
  return value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);
}

const MAX_CHARACTERS = 5120;

export const policySize = defineRule<Res>({
  id: "organizations-policy-size",
  service: SERVICE,
  source: LIMITS,
  description:
    "Service control policies and resource control policies are at most 5,120 characters. Every character sent " +
    "counts (only the console strips white space outside quotes; an SDK or Terraform call is counted as sent); an " +
    "earlier edition of the same page counted 5,120 bytes, so both measures must hold, of the text as sent and of the " +
    "provider's compact normal form.",
  needs: "guardrails.enabled",
  targets: (stack) => policies(stack, SCP, RCP).filter((p) => typeof p.config.content === "string"),
  address: (p) => p.address,
  violations: (p, stack) => {
    const n = Math.max(characters(stack, p.config.content), utf8Bytes(stack, p.config.content));
    return n <= MAX_CHARACTERS ? [] : [`${typeOf(p)} content is ${n} characters, at most ${MAX_CHARACTERS}`];
  },
});

/** Problems common to both grammars: JSON, Version, Sid, Effect. */
function commonProblems(document: any): string[] {
  if (document === undefined || typeof document !== "object") return ["content is not a JSON policy document"];
  const out: string[] = [];
  if (document.Version !== "2012-10-17")
    out.push(`Version must be "2012-10-17", got ${JSON.stringify(document.Version)}`);
  const statements = statementsOf(document);
  if (statements.length === 0) out.push("has no Statement");
  statements.forEach((s, i) => {
    const at = `Statement[${i}]${typeof s?.Sid === "string" ? ` ${s.Sid}` : ""}`;
    // IAM's Sid rule: ASCII letters and digits only.
    if (s?.Sid !== undefined && !/^[A-Za-z0-9]*$/.test(String(s.Sid)))
      out.push(`${at}: Sid must be letters and digits`);
    if (s?.Effect !== "Allow" && s?.Effect !== "Deny") out.push(`${at}: Effect must be Allow or Deny`);
    if (s?.Resource === undefined && s?.NotResource === undefined) out.push(`${at}: needs Resource or NotResource`);
  });
  return out;
}

export const scpGrammar = defineRule<Res>({
  id: "organizations-scp-grammar",
  service: SERVICE,
  source: SCP_SYNTAX,
  description:
    "An SCP has Version 2012-10-17; no statement has Principal or NotPrincipal ('Unsupported elements'); each has " +
    'Action or NotAction, NotAction only with Deny; an Allow names only Resource "*" and no Condition; `*` and `?` ' +
    "in an action stand alone or at its end ('servicename:*action' is invalid).",
  needs: "guardrails.enabled",
  targets: (stack) => policies(stack, SCP),
  address: (p) => p.address,
  violations: (p) => {
    const document = documentOf(p);
    const out = commonProblems(document);
    statementsOf(document).forEach((s, i) => {
      const at = `Statement[${i}]${typeof s?.Sid === "string" ? ` ${s.Sid}` : ""}`;
      for (const element of ["Principal", "NotPrincipal"]) {
        if (s?.[element] !== undefined) out.push(`${at}: ${element} is not supported in an SCP`);
      }
      if ((s?.Action === undefined) === (s?.NotAction === undefined))
        out.push(`${at}: needs exactly one of Action and NotAction`);
      if (s?.NotAction !== undefined && s?.Effect !== "Deny") out.push(`${at}: NotAction only with Deny`);
      if (s?.Effect === "Allow") {
        if (listOf(s.Resource).some((r) => r !== "*")) out.push(`${at}: an Allow may only name Resource "*"`);
        if (s.Condition !== undefined) out.push(`${at}: Condition only with Deny`);
      }
      for (const action of [...listOf(s?.Action), ...listOf(s?.NotAction)]) {
        if (action === "*") continue;
        const name = action.slice(action.indexOf(":") + 1);
        if (!/^[a-z0-9-]+:/.test(action)) out.push(`${at}: action ${action} is not <service>:<action>`);
        else if (/[*?]./.test(name)) out.push(`${at}: action ${action} has a wildcard before its end`);
      }
    });
    return out;
  },
});

/**
 * Services whose actions RCPs apply to, as the RCP page listed them at launch
 * and AWS Control Tower's RCP controls list them. The list has grown since; a
 * service missing here is reported, to be confirmed and added with its source.
 * @see https://docs.aws.amazon.com/controltower/latest/controlreference/rcp-controls.html
 */
const RCP_SERVICES = new Set(["s3", "sts", "kms", "sqs", "secretsmanager"]);

export const rcpGrammar = defineRule<Res>({
  id: "organizations-rcp-grammar",
  service: SERVICE,
  source: RCP_SYNTAX,
  description:
    "An RCP has Version 2012-10-17 ('Every RCP must include a Version element'); Effect Deny only ('the effect of " +
    'Allow is only supported for the RCPFullAWSAccess policy\'); Principal "*" with the Condition choosing ' +
    "principals (every example of the page, and the rule the IAM simulator's RCP validator applies; the page's own " +
    "sentence was not confirmed); Action, never NotAction or NotPrincipal; actions of services RCPs support.",
  needs: "guardrails.enabled",
  targets: (stack) => policies(stack, RCP),
  address: (p) => p.address,
  violations: (p) => {
    const document = documentOf(p);
    const out = commonProblems(document);
    statementsOf(document).forEach((s, i) => {
      const at = `Statement[${i}]${typeof s?.Sid === "string" ? ` ${s.Sid}` : ""}`;
      if (s?.Effect !== "Deny") out.push(`${at}: Effect must be Deny in an RCP`);
      if (s?.Principal !== "*") out.push(`${at}: Principal must be "*" in an RCP, got ${JSON.stringify(s?.Principal)}`);
      for (const element of ["NotPrincipal", "NotAction"]) {
        if (s?.[element] !== undefined) out.push(`${at}: ${element} is not supported in an RCP`);
      }
      const actions = listOf(s?.Action);
      if (actions.length === 0) out.push(`${at}: needs Action`);
      for (const action of actions) {
        const service = action.split(":")[0]!;
        if (action !== "*" && !RCP_SERVICES.has(service)) {
          out.push(`${at}: action ${action}: RCPs are not known to apply to ${service}`);
        }
      }
    });
    return out;
  },
});

interface Target {
  readonly id: string;
  readonly type: string;
  readonly attachments: Res[];
}

/** Attachments by target and policy type (the policy named by reference, or by literal id when it is not in the stack). */
function targetsOf(stack: TfJson): Target[] {
  const byKey = new Map<string, Target>();
  for (const a of all(stack, "aws_organizations_policy_attachment")) {
    if (typeof a.config.target_id !== "string" || unresolved(a.config.target_id)) continue;
    const ref = parseRef(a.config.policy_id);
    const policy = ref ? stack.resource?.aws_organizations_policy?.[ref.name] : undefined;
    if (!policy) continue;
    const type = typeof policy.type === "string" ? policy.type : SCP;
    const key = `${type} ${a.config.target_id}`;
    const target: Target = byKey.get(key) ?? { id: a.config.target_id, type, attachments: [] };
    target.attachments.push(a);
    byKey.set(key, target);
  }
  return [...byKey.values()];
}

/** FullAWSAccess (RCPFullAWSAccess) is attached wherever the type is enabled, and takes one of the five places. */
const OWN_POLICIES_PER_TARGET = 5 - 1;

export const policiesPerTarget = defineRule<Target>({
  id: "organizations-policies-per-target",
  service: SERVICE,
  source: LIMITS,
  description:
    "At most 5 SCPs and 5 RCPs are attached directly to a root, an OU or an account; FullAWSAccess and " +
    "RCPFullAWSAccess are attached to every one when the type is enabled (RCPFullAWSAccess cannot be detached), so " +
    "a stack may attach at most 4 of each type to one target, fewer if the organization attaches its own.",
  needs: "guardrails.enabled",
  targets: targetsOf,
  address: (t) => t.attachments[0]!.address,
  violations: (t) =>
    t.attachments.length <= OWN_POLICIES_PER_TARGET
      ? []
      : [
          `${t.attachments.length} ${t.type} attached to ${t.id}, at most ${OWN_POLICIES_PER_TARGET} besides the AWS one`,
        ],
});

export const attachmentTarget = defineRule<Res>({
  id: "organizations-attachment-target-id",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/organizations/latest/APIReference/API_AttachPolicy.html",
  description:
    "AttachPolicy's TargetId is a root (r- and 4-32 lowercase letters or digits), an OU (ou-, the 4-32 of its root, " +
    "-, and 8-32 more) or an account (12 digits).",
  needs: "guardrails.enabled",
  targets: (stack) =>
    all(stack, "aws_organizations_policy_attachment").filter(
      (a) => typeof a.config.target_id === "string" && !unresolved(a.config.target_id),
    ),
  address: (a) => a.address,
  violations: (a) => {
    const id: string = a.config.target_id;
    return /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|\d{12})$/.test(id)
      ? []
      : [`target_id "${id}" is neither a root, an OU nor an account id`];
  },
});

export const managementCredentials = defineRule<Res>({
  id: "organizations-policy-not-via-organization-access-role",
  service: SERVICE,
  source:
    "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_create-cross-account-role.html",
  description:
    "Organizations policies are created and attached from the management account (or a delegated administrator), " +
    "and AWS Organizations creates OrganizationAccountAccessRole only in member accounts it creates: a stack with " +
    "Organizations policies must not reach its account by assuming that role.",
  needs: "guardrails.enabled",
  targets: (stack) => all(stack, "aws_organizations_policy"),
  address: (p) => p.address,
  violations: (_, stack) => {
    const role: unknown = first(provider(stack).assume_role)?.role_arn;
    return typeof role === "string" && role.endsWith(":role/OrganizationAccountAccessRole")
      ? [`the provider assumes ${role}, which the management account does not have`]
      : [];
  },
});

export const rules: readonly Rule[] = [
  policySize,
  scpGrammar,
  rcpGrammar,
  policiesPerTarget,
  attachmentTarget,
  managementCredentials,
];
