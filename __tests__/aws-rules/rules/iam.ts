/**
 * AWS IAM: role names, paths and session duration, trust and inline policy
 * sizes as IAM counts them, policy names and characters.
 */
import type { TfJson } from "../../helpers/synth";
import { iamCharacters } from "../lib/policy";
import { defineRule, type Rule } from "../lib/rule";
import { all, applyValue, blocks, partitionOfRegion, refTo, stackRegion, unresolved, type Res } from "../lib/tf";
import { uniqueNameRule } from "../lib/unique";

const SERVICE = "iam";
const QUOTAS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html";

const roles = (stack: TfJson) => all(stack, "aws_iam_role");
const NAME = /^[\w+=,.@-]+$/;

export const roleName = defineRule<Res>({
  id: "iam-role-name-path-description",
  service: SERVICE,
  source: QUOTAS,
  description:
    "Role names are at most 64 characters of alphanumerics and + = , . @ _ -; paths at most 512 characters, " +
    "beginning and ending with '/'; descriptions at most 1,000 characters.",
  needs: "any stack (every stack has roles)",
  targets: roles,
  address: (r) => r.address,
  violations: (r) => {
    const { name, path, description } = r.config;
    const out: string[] = [];
    if (typeof name === "string" && !unresolved(name) && !(name.length <= 64 && NAME.test(name))) {
      out.push(`role name "${name}" must be 1-64 of [A-Za-z0-9+=,.@_-]`);
    }
    if (path !== undefined && !(typeof path === "string" && path.length <= 512 && /^\/([\x21-\x7e]*\/)?$/.test(path))) {
      out.push(`path "${path}" must begin and end with / and be at most 512 characters`);
    }
    if (typeof description === "string" && [...description].length > 1000)
      out.push(`description is ${[...description].length} characters, at most 1000`);
    return out;
  },
});

export const roleNamesUnique = uniqueNameRule({
  id: "iam-role-name-unique",
  service: SERVICE,
  source: QUOTAS,
  description:
    "'Names of users, groups, roles, and instance profiles must be unique within the account. They aren't " +
    "distinguished by case.' Roles are global: unique across Regions.",
  needs: "any stack",
  type: "aws_iam_role",
  nameOf: (c) => c.name,
  perRegion: false,
  ignoreCase: true,
});

export const maxSessionDuration = defineRule<Res>({
  id: "iam-role-max-session-duration",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
  description: "MaxSessionDuration 'can have a value from 1 hour to 12 hours' (3,600-43,200 seconds).",
  needs: "monitoring.athena or siem (roles people assume)",
  targets: (stack) => roles(stack).filter((r) => r.config.max_session_duration !== undefined),
  address: (r) => r.address,
  violations: (r) => {
    const d = r.config.max_session_duration;
    return Number.isInteger(d) && d >= 3600 && d <= 43_200 ? [] : [`max_session_duration is ${d}, must be 3600-43200`];
  },
});

// Default "Role trust policy length" quota, in characters, white space not counted.
const TRUST_POLICY_CHARACTERS = 2_048;

export const trustPolicyLength = defineRule<Res>({
  id: "iam-role-trust-policy-length",
  service: SERVICE,
  source: QUOTAS,
  description:
    "A role trust policy is at most 2,048 characters (the default quota, adjustable), counted as IAM does: " +
    "characters without white space, of the policy as sent with references resolved.",
  needs: "any stack",
  targets: (stack) => roles(stack).filter((r) => typeof r.config.assume_role_policy === "string"),
  address: (r) => r.address,
  violations: (r, stack) => {
    const n = iamCharacters(stack, r.config.assume_role_policy);
    return n <= TRUST_POLICY_CHARACTERS
      ? []
      : [`trust policy is ${n} non-white-space characters, at most ${TRUST_POLICY_CHARACTERS}`];
  },
});

interface InlinePolicy {
  readonly owner: Res;
  readonly name: unknown;
  readonly policy: string;
  readonly address: string;
}

/** Inline policies of each role: aws_iam_role_policy resources and the role's own inline_policy blocks. */
function inlinePolicies(stack: TfJson): InlinePolicy[] {
  const out: InlinePolicy[] = [];
  for (const p of all(stack, "aws_iam_role_policy")) {
    const owner = refTo(stack, p.config.role) ?? roles(stack).find((r) => r.config.name === p.config.role);
    if (owner) out.push({ owner, name: p.config.name, policy: String(p.config.policy), address: p.address });
  }
  for (const r of roles(stack)) {
    for (const b of blocks(r.config.inline_policy)) {
      if (typeof b.policy === "string") out.push({ owner: r, name: b.name, policy: b.policy, address: r.address });
    }
  }
  return out;
}

// "Role policy size cannot exceed 10,240 characters" (aggregate of inline policies), white space not counted.
const INLINE_AGGREGATE_CHARACTERS = 10_240;

export const inlinePolicyAggregate = defineRule<Res>({
  id: "iam-role-inline-policies-aggregate",
  service: SERVICE,
  source: QUOTAS,
  description:
    "The inline policies of a role add up to at most 10,240 characters, counted as IAM does (no white space), " +
    "references resolved.",
  needs: "any stack",
  targets: (stack) => roles(stack).filter((r) => inlinePolicies(stack).some((p) => p.owner.address === r.address)),
  address: (r) => r.address,
  violations: (role, stack) => {
    const total = inlinePolicies(stack)
      .filter((p) => p.owner.address === role.address)
      .reduce((n, p) => n + iamCharacters(stack, p.policy), 0);
    return total <= INLINE_AGGREGATE_CHARACTERS
      ? []
      : [`inline policies total ${total} characters, at most ${INLINE_AGGREGATE_CHARACTERS}`];
  },
});

export const inlinePolicyName = defineRule<InlinePolicy>({
  id: "iam-inline-policy-name",
  service: SERVICE,
  source: QUOTAS,
  description:
    "An inline policy name is at most 128 characters, unique within its role, of basic Latin characters except " +
    "the reserved \\ / * ? and space.",
  needs: "any stack",
  targets: inlinePolicies,
  address: (p) => p.address,
  violations: (p, stack) => {
    if (typeof p.name !== "string" || unresolved(p.name)) return [];
    const out: string[] = [];
    if (!(p.name.length >= 1 && p.name.length <= 128 && /^[\x21-\x7e]+$/.test(p.name) && !/[\\/*?]/.test(p.name))) {
      out.push(`policy name "${p.name}" must be 1-128 basic Latin characters without \\ / * ? or space`);
    }
    const twins = inlinePolicies(stack).filter((q) => q.owner.address === p.owner.address && q.name === p.name);
    if (twins.length > 1) out.push(`policy name "${p.name}" is used ${twins.length} times on ${p.owner.address}`);
    return out;
  },
});

export const policyCharacters = defineRule<{ address: string; text: string; what: string }>({
  id: "iam-policy-document-characters",
  service: SERVICE,
  source: QUOTAS,
  description:
    "'Policy documents can contain only the following Unicode characters: horizontal tab (U+0009), linefeed " +
    "(U+000A), carriage return (U+000D), and characters in the range U+0020 to U+00FF.'",
  needs: "any stack",
  targets: (stack) => [
    ...roles(stack)
      .filter((r) => typeof r.config.assume_role_policy === "string")
      .map((r) => ({ address: r.address, text: applyValue(stack, r.config.assume_role_policy), what: "trust policy" })),
    ...inlinePolicies(stack).map((p) => ({
      address: p.address,
      text: applyValue(stack, p.policy),
      what: "inline policy",
    })),
  ],
  address: (t) => t.address,
  violations: (t) => {
    const bad = [...t.text].filter((c) => !/[\t\n\r\u0020-\u00ff]/.test(c));
    return bad.length === 0
      ? []
      : [`${t.what} contains characters IAM rejects: ${JSON.stringify([...new Set(bad)].join(""))}`];
  },
});

/** `^[0-9a-fA-F]{40}$`: a SHA-1 thumbprint of the provider's certificate. */
const THUMBPRINT = /^[0-9a-fA-F]{40}$/;

export const openIdConnectProvider = defineRule<Res>({
  id: "iam-oidc-provider",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html",
  description:
    "The URL 'must begin with https://', may have a path but no query or port; at most 100 client ids of at most " +
    "255 characters; at most 5 thumbprints of 40 hex characters. One provider per URL in an account.",
  needs: "siem.sentinel with createOidcProvider (the default)",
  targets: (stack) => all(stack, "aws_iam_openid_connect_provider"),
  address: (r) => r.address,
  violations: (r) => {
    const { url, client_id_list: clients = [], thumbprint_list: thumbprints = [] } = r.config;
    const out: string[] = [];
    if (typeof url === "string" && !unresolved(url) && !/^https:\/\/[^/?#:]+(\/[^?#]*)?$/.test(url)) {
      out.push(`url "${url}" must begin with https:// and have no port or query`);
    }
    if (clients.length > 100 || clients.some((c: string) => c.length > 255)) {
      out.push("client_id_list must hold at most 100 ids of at most 255 characters");
    }
    if (thumbprints.length > 5 || thumbprints.some((t: string) => !THUMBPRINT.test(t))) {
      out.push("thumbprint_list must hold at most 5 thumbprints of 40 hex characters");
    }
    return out;
  },
});

/** An AWS::IAM::OIDCProvider of a CloudFormation template a StackSet deploys. */
interface TemplateProvider {
  readonly address: string;
  readonly properties: any;
}

function templateProviders(stack: TfJson): TemplateProvider[] {
  return all(stack, "aws_cloudformation_stack_set").flatMap((set) => {
    const body = set.config.template_body;
    if (typeof body !== "string" || unresolved(body)) return [];
    const template = JSON.parse(body.replaceAll("$${", "${"));
    return Object.entries<any>(template.Resources ?? {})
      .filter(([, resource]) => resource.Type === "AWS::IAM::OIDCProvider")
      .map(([logicalId, resource]) => ({
        address: `${set.address} ${logicalId}`,
        properties: resource.Properties ?? {},
      }));
  });
}

/**
 * The same constraints in a StackSet's template, plus one of CloudFormation's
 * own: its AWS::IAM::OIDCProvider handler fails with "Value null at
 * 'thumbprintList' failed to satisfy constraint" when ThumbprintList is
 * absent, although the template reference and IAM's API call it optional
 * (aws-cloudformation/cloudformation-coverage-roadmap#2092). Neither cdktf
 * nor the provider look inside template_body.
 */
export const templateOpenIdConnectProvider = defineRule<TemplateProvider>({
  id: "iam-oidc-provider-in-template",
  service: SERVICE,
  source: "https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/2092",
  description:
    "An AWS::IAM::OIDCProvider in a StackSet template needs a ThumbprintList of 1-5 thumbprints of 40 hex " +
    "characters (CloudFormation's handler rejects a missing one), a Url beginning with https:// and at most " +
    "100 client ids.",
  needs: "terraformCloud.access enabled without existingOidcProvider",
  targets: templateProviders,
  address: (p) => p.address,
  violations: (p) => {
    const { Url: url, ClientIdList: clients = [], ThumbprintList: thumbprints } = p.properties;
    const out: string[] = [];
    if (typeof url === "string" && !/^https:\/\/[^/?#:]+(\/[^?#]*)?$/.test(url)) {
      out.push(`Url "${url}" must begin with https:// and have no port or query`);
    }
    if (!Array.isArray(clients) || clients.length > 100) out.push("ClientIdList must hold at most 100 ids");
    if (!Array.isArray(thumbprints) || thumbprints.length === 0) {
      out.push("ThumbprintList is required: CloudFormation rejects an OIDC provider without one");
    } else if (
      thumbprints.length > 5 ||
      thumbprints.some((t: unknown) => typeof t !== "string" || !THUMBPRINT.test(t))
    ) {
      out.push("ThumbprintList must hold at most 5 thumbprints of 40 hex characters");
    }
    return out;
  },
});

/** An AWS::IAM::Role of a CloudFormation template a StackSet deploys. */
function templateRoles(stack: TfJson): TemplateProvider[] {
  return all(stack, "aws_cloudformation_stack_set").flatMap((set) => {
    const body = set.config.template_body;
    if (typeof body !== "string" || unresolved(body)) return [];
    const template = JSON.parse(body.replaceAll("$${", "${"));
    return Object.entries<any>(template.Resources ?? {})
      .filter(([, resource]) => resource.Type === "AWS::IAM::Role")
      .map(([logicalId, resource]) => ({
        address: `${set.address} ${logicalId}`,
        properties: resource.Properties ?? {},
      }));
  });
}

/** A template value as CloudFormation resolves it, pseudo parameters at their longest (a 12-digit account, aws-us-gov). */
function resolvedForLength(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolvedForLength);
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0]![0] === "Fn::Sub" && typeof entries[0]![1] === "string") {
    return entries[0]![1].replaceAll("${AWS::AccountId}", "123456789012").replaceAll("${AWS::Partition}", "aws-us-gov");
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolvedForLength(v)]));
}

// Default "Managed policies attached to an IAM role" quota.
const MANAGED_POLICIES_PER_ROLE = 10;

/**
 * The quotas of roles created by a StackSet's template: the same as for a
 * Terraform role (name, description, trust policy length), plus the managed
 * policies per role. Neither cdktf nor the provider look inside template_body.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html
 */
export const templateRole = defineRule<TemplateProvider>({
  id: "iam-role-in-template",
  service: SERVICE,
  source: QUOTAS,
  description:
    "An AWS::IAM::Role in a StackSet template: RoleName 1-64 of [A-Za-z0-9+=,.@_-], Description at most 1,000 " +
    "characters, a trust policy of at most 2,048 characters without white space (default quota), at most 10 " +
    "managed policies (default quota).",
  needs: "terraformCloud.access or atlantis.access enabled",
  targets: templateRoles,
  address: (r) => r.address,
  violations: (r) => {
    const { RoleName: name, Description: description, AssumeRolePolicyDocument: trust } = r.properties;
    const policies: unknown[] = r.properties.ManagedPolicyArns ?? [];
    const out: string[] = [];
    const resolvedName = resolvedForLength(name);
    if (!(typeof resolvedName === "string" && resolvedName.length <= 64 && NAME.test(resolvedName))) {
      out.push(`RoleName "${String(resolvedName)}" must be 1-64 of [A-Za-z0-9+=,.@_-]`);
    }
    if (typeof description === "string" && [...description].length > 1000)
      out.push(`Description is ${[...description].length} characters, at most 1000`);
    const characters = JSON.stringify(resolvedForLength(trust) ?? {}).replace(/\s/g, "").length;
    if (characters > TRUST_POLICY_CHARACTERS)
      out.push(`trust policy is ${characters} non-white-space characters, at most ${TRUST_POLICY_CHARACTERS}`);
    if (policies.length > MANAGED_POLICIES_PER_ROLE)
      out.push(`${policies.length} managed policies, at most ${MANAGED_POLICIES_PER_ROLE}`);
    return out;
  },
});

/** Every `arn:<partition>:` written in a string (policies are JSON strings of the same stack). */
const ARN_PARTITION = /\barn:(aws(?:-[a-z]+)*):/g;

/** Every literal string under `value`, with its path. */
function stringsOf(value: unknown, path: string): [string, string][] {
  if (typeof value === "string") return [[value, path]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsOf(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => (k === "//" ? [] : stringsOf(v, path ? `${path}.${k}` : k)));
  }
  return [];
}

export const arnPartition = defineRule<{ address: string; config: unknown }>({
  id: "iam-arn-partition",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html",
  description:
    "Each AWS account is scoped to one partition (aws, aws-us-gov, aws-cn), and IAM roles and resource-based " +
    "policies delegate access only within it: an ARN of another partition in a stack's resources or provider " +
    "names nothing its account can use, and a policy that names it grants nothing (or fails to apply). Every ARN " +
    "a stack writes must be in the partition of its provider's Region.",
  needs: "any stack (every stack writes ARNs)",
  targets: (stack) => [
    ...(stack.provider?.aws ?? []).map((config: unknown, i: number) => ({ address: `provider.aws[${i}]`, config })),
    ...Object.entries(stack.resource ?? {}).flatMap(([type, byName]) =>
      Object.entries(byName as Record<string, unknown>).map(([name, config]) => ({
        address: `${type}.${name}`,
        config,
      })),
    ),
  ],
  address: (t) => t.address,
  violations: (t, stack) => {
    const expected = partitionOfRegion(stackRegion(stack));
    return stringsOf(t.config, "").flatMap(([value, path]) =>
      [...value.matchAll(ARN_PARTITION)]
        .filter((m) => m[1] !== expected)
        .map(
          (m) =>
            `${path} names partition ${m[1]} (arn:${m[1]}:...), not ${expected}, the partition of the stack's Region`,
        ),
    );
  },
});

export const rules: readonly Rule[] = [
  arnPartition,
  openIdConnectProvider,
  templateOpenIdConnectProvider,
  templateRole,
  roleName,
  roleNamesUnique,
  maxSessionDuration,
  trustPolicyLength,
  inlinePolicyAggregate,
  inlinePolicyName,
  policyCharacters,
];
