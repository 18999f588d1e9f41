/**
 * AWS CloudTrail: trail names, S3 key prefixes, and where an organization
 * trail can be created from.
 */
import { defineRule, type Rule } from "../lib/rule";
import { all, first, provider, unresolved, type Res } from "../lib/tf";

const SERVICE = "cloudtrail";

const trails = (stack: Parameters<typeof all>[0]) => all(stack, "aws_cloudtrail");

export const trailName = defineRule<Res>({
  id: "cloudtrail-trail-name",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-trail-naming-requirements.html",
  description:
    "Trail names contain only ASCII letters, numbers, '.', '_' and '-'; start and end with a letter or number; are " +
    "3-128 characters; have no adjacent '.', '_' or '-'; and are not in IP address format.",
  needs: "sources.cloudTrail.createTrail",
  targets: (stack) => trails(stack).filter((t) => typeof t.config.name === "string" && !unresolved(t.config.name)),
  address: (t) => t.address,
  violations: (t) => {
    const name: string = t.config.name;
    const out: string[] = [];
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/.test(name))
      out.push(`trail name "${name}" must be 3-128 of [A-Za-z0-9._-], starting and ending alphanumeric`);
    if (/[._-]{2}/.test(name)) out.push(`trail name "${name}" has adjacent periods, underscores or dashes`);
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) out.push(`trail name "${name}" is in IP address format`);
    return out;
  },
});

export const s3KeyPrefix = defineRule<Res>({
  id: "cloudtrail-s3-key-prefix-length",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html",
  description: "S3KeyPrefix: 'The maximum length is 200 characters.'",
  needs: "sources.cloudTrail.createTrail",
  targets: (stack) => trails(stack).filter((t) => typeof t.config.s3_key_prefix === "string"),
  address: (t) => t.address,
  violations: (t) =>
    t.config.s3_key_prefix.length <= 200
      ? []
      : [`s3_key_prefix is ${t.config.s3_key_prefix.length} characters, at most 200`],
});

export const kmsKeyIdIsKeyArn = defineRule<Res>({
  id: "cloudtrail-kms-key-id-is-a-key-arn",
  service: SERVICE,
  source: "https://github.com/hashicorp/terraform-provider-aws/issues/33928",
  description:
    "CloudTrail stores KmsKeyId as the key's ARN whatever names it (CreateTrail: 'The value is a fully specified ARN to a " +
    "KMS key'), and the provider does not suppress the difference: an alias (ARN or name) or a bare key id shows a change " +
    "on every plan. Name the key by its key ARN (literal, or a key's or key data source's `arn`).",
  needs: "sources.cloudTrail.createTrail",
  targets: (stack) => trails(stack).filter((t) => t.config.kms_key_id !== undefined),
  address: (t) => t.address,
  violations: (t) => {
    const value: unknown = t.config.kms_key_id;
    if (typeof value !== "string") return [`kms_key_id is not a string`];
    if (unresolved(value))
      return /^\$\{(data\.)?aws_kms_key\.[^.]+\.arn\}$/.test(value) ? [] : [`kms_key_id ${value} is not a key's arn`];
    return /^arn:[^:]+:kms:[^:]+:\d{12}:key\//.test(value) ? [] : [`kms_key_id "${value}" is not a key ARN`];
  },
});

export const organizationTrailCredentials = defineRule<Res>({
  id: "cloudtrail-organization-trail-not-via-organization-access-role",
  service: SERVICE,
  source:
    "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_create-cross-account-role.html",
  description:
    "An organization trail is created in the management account, and AWS Organizations creates " +
    "OrganizationAccountAccessRole only in member accounts it creates, never in the management account: a stack " +
    "with an organization trail must not reach its account by assuming that role.",
  needs: "sources.cloudTrail.createTrail",
  targets: (stack) => trails(stack).filter((t) => t.config.is_organization_trail === true),
  address: (t) => t.address,
  violations: (_, stack) => {
    const role: unknown = first(provider(stack).assume_role)?.role_arn;
    return typeof role === "string" && role.endsWith(":role/OrganizationAccountAccessRole")
      ? [`the provider assumes ${role}, which does not exist in the management account`]
      : [];
  },
});

export const rules: readonly Rule[] = [kmsKeyIdIsKeyArn, trailName, s3KeyPrefix, organizationTrailCredentials];
