/**
 * Trust of the deployment role Atlantis assumes in every account
 * (atlantis.access), and the CloudFormation template the log-access StackSet
 * deploys with it.
 *
 * Each stack's AWS provider assumes `deployment.roleName` in its account
 * (sts:AssumeRole, no ExternalId, no session tags) from the credentials of
 * the Atlantis server. The trust names the server's account as Principal and
 * picks the server's roles by `aws:PrincipalArn` (for a role session, the
 * role's ARN with its path), inside the organization (`aws:PrincipalOrgID`):
 * never the account alone. Naming the roles by ARN in `aws:PrincipalArn`
 * rather than in Principal keeps the trust working when the Atlantis role is
 * deleted and created again (IAM turns a role named in Principal into its
 * unique id, which a new role of the same name does not have) and lets the
 * StackSet create the roles before the Atlantis role exists (IAM refuses a
 * Principal naming a role that does not).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
 * @see https://www.runatlantis.io/docs/provider-credentials
 */
import { arn } from "../naming/arn";
import { PARTITIONS } from "../naming/partition";
import { escapeIamVariables, policyDocument, type PolicyDocument, type Statement } from "./document";

export interface AtlantisTrust {
  /** The IAM role ARNs the Atlantis server runs Terraform with. */
  readonly principalArns: readonly string[];
  /** The organization they must belong to (organization.id). */
  readonly organizationId: string;
}

/** The root ARNs of the principals' accounts (in each principal's own partition), once each, sorted. */
function rootsOf(principalArns: readonly string[]): string[] {
  const roots = principalArns.map((principal) => {
    const [, partition, , , account] = principal.split(":");
    const known = PARTITIONS.find((p) => p === partition);
    if (!known) throw new Error(`atlantisRunnersAssume: ${principal}: expected an IAM role ARN of a known partition`);
    return arn({ partition: known, service: "iam", account: account!, resource: "root" });
  });
  return [...new Set(roots)].sort();
}

/** The Atlantis server's roles, and no other principal of their accounts, may assume the role from inside the organization. */
export function atlantisRunnersAssume(trust: AtlantisTrust): Statement {
  if (trust.principalArns.length === 0)
    throw new Error("atlantisRunnersAssume: principalArns: expected at least one role ARN");
  const roots = rootsOf(trust.principalArns);
  return {
    Sid: "AtlantisRunnersOfThisOrganization",
    Effect: "Allow",
    Principal: { AWS: roots.length === 1 ? roots[0]! : roots },
    Action: "sts:AssumeRole",
    Condition: {
      ArnEquals: {
        "aws:PrincipalArn": trust.principalArns.length === 1 ? trust.principalArns[0]! : [...trust.principalArns],
      },
      StringEquals: { "aws:PrincipalOrgID": trust.organizationId },
    },
  };
}

export function atlantisRoleTrustPolicy(trust: AtlantisTrust): PolicyDocument {
  return policyDocument(atlantisRunnersAssume(trust));
}

/** What the StackSet's template creates in each account. */
export interface AtlantisTemplateProps extends AtlantisTrust {
  /** The role every stack's provider assumes (deployment.roleName). */
  readonly roleName: string;
  /** Managed policies of the role (atlantis.access.policyArns). */
  readonly policyArns: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

/** The logical id of the deployment role in the template. */
export const ATLANTIS_ROLE_LOGICAL_ID = "AtlantisDeploymentRole";

/**
 * The template of the Atlantis StackSet: the deployment role, the same in
 * every account it reaches (log-archive, log-keys and source accounts all
 * assume deployment.roleName), so it needs no condition and no pseudo
 * parameter.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html
 */
export function atlantisTemplate(props: AtlantisTemplateProps): Record<string, unknown> {
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: "Deployment role of the CloudWatch Logs archive's Atlantis projects in this account",
    Resources: {
      [ATLANTIS_ROLE_LOGICAL_ID]: {
        Type: "AWS::IAM::Role",
        Properties: {
          RoleName: props.roleName,
          Description: "Atlantis plans and applies of the CloudWatch Logs archive's stacks in this account",
          AssumeRolePolicyDocument: atlantisRoleTrustPolicy(props),
          ManagedPolicyArns: [...props.policyArns],
          Tags: Object.entries(props.tags).map(([Key, Value]) => ({ Key, Value })),
        },
      },
    },
  };
}

/** The template as the StackSet's template_body (JSON, escaped for Terraform like every policy). */
export function atlantisTemplateBody(props: AtlantisTemplateProps): string {
  return escapeIamVariables(JSON.stringify(atlantisTemplate(props)));
}
