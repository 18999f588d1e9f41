/**
 * AWS Organizations facts the guardrails are built around, shared by the
 * registry schema (which validates the registry's values) and the
 * OrganizationGuardrails construct (which validates its props). Pure data.
 */

/**
 * Target ids of AttachPolicy: a root is "r-" and 4-32 lowercase letters or
 * digits; an OU is "ou-", the 4-32 characters of its root, "-" and 8-32 more.
 * @see https://docs.aws.amazon.com/organizations/latest/APIReference/API_AttachPolicy.html
 */
export const ORGANIZATION_ROOT_ID = /^r-[0-9a-z]{4,32}$/;
export const ORGANIZATIONAL_UNIT_ID = /^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$/;

/** Whether `id` is the id of a root or an OU (what the guardrails' SCPs attach to). */
export function isRootOrOrganizationalUnitId(id: string): boolean {
  return ORGANIZATION_ROOT_ID.test(id) || ORGANIZATIONAL_UNIT_ID.test(id);
}

/**
 * Maximum size of a service control policy and of a resource control policy:
 * 5,120 characters. Organizations counts every character it is sent; only the
 * console strips white space outside quotes, so documents sent through the API
 * (Terraform) are counted as sent.
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
 */
export const ORGANIZATION_POLICY_MAX_CHARACTERS = 5120;

/**
 * SCPs (and RCPs) attached directly to one root, OU or account: at most 5.
 * FullAWSAccess (RCPFullAWSAccess) takes one of them wherever the policy type
 * is enabled, so at most 4 remain for everything else.
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
 */
export const POLICIES_PER_TARGET = 5;
export const FREE_POLICY_SLOTS_PER_TARGET = POLICIES_PER_TARGET - 1;
/** OrganizationGuardrails' maxPoliciesPerTarget: its range and message, which the registry's schema uses too. */
export const MAX_POLICIES_PER_TARGET = {
  what: "a number of policies",
  min: 1,
  max: FREE_POLICY_SLOTS_PER_TARGET,
} as const;

/**
 * An exempt role: its path and name as they follow `role/` in its ARN, `*`
 * matching any characters (`OrganizationAccountAccessRole`,
 * `aws-reserved/sso.amazonaws.com/*AWSReservedSSO_LogAdmin_*`). IAM names are
 * 1-64 of [\w+=,.@-], paths at most 512 characters.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
 */
export const EXEMPT_ROLE_PATTERN = /^([\w+=,.@*-]+\/)*[\w+=,.@*-]{1,64}$/;
export const EXEMPT_ROLE_PATTERN_MAX_LENGTH = 576;

/** Exempt role patterns the guardrails accept: every one lengthens every statement. */
export const MAX_EXEMPT_ROLES = 10;
