/**
 * Trust of the Terraform Cloud (HCP Terraform) run roles, and the
 * CloudFormation template the log-access StackSet deploys to every account.
 *
 * HCP Terraform signs a workload identity token per run phase and the AWS
 * provider exchanges it with sts:AssumeRoleWithWebIdentity. IAM checks the
 * token against the account's OIDC provider for the host and exposes its
 * claims as `<host>:aud` and `<host>:sub`; the `sub` names organization,
 * project, workspace and run phase, so a StringLike on it scopes a role to
 * the workspaces of one account.
 * @see https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
 */
import {
  claimKeys,
  planRoleName,
  runRoleNames,
  type RunPhase,
  TFC_AWS_AUDIENCE,
  workspaceSubject,
  type WorkspaceScope,
} from "../naming/terraform-cloud";
import { escapeIamVariables, policyDocument, type PolicyDocument, type Statement } from "./document";

export interface RunRoleTrust {
  /** The OIDC provider's ARN (it may hold CloudFormation pseudo parameters such as `${AWS::AccountId}`). */
  readonly providerArn: string;
  /** The Terraform Cloud host, e.g. app.terraform.io. */
  readonly hostname: string;
  /** `sub` patterns that may assume the role (see workspaceSubject). */
  readonly subjects: readonly string[];
}

/** Runs of the named workspaces, with a token minted for AWS (`aud`), may assume the role. */
export function terraformCloudRunsAssume(trust: RunRoleTrust): Statement {
  const keys = claimKeys(trust.hostname);
  return {
    Sid: "TerraformCloudRunsOfTheseWorkspaces",
    Effect: "Allow",
    Principal: { Federated: trust.providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: { [keys.aud]: TFC_AWS_AUDIENCE },
      StringLike: { [keys.sub]: trust.subjects.length === 1 ? trust.subjects[0]! : trust.subjects },
    },
  };
}

export function runRoleTrustPolicy(trust: RunRoleTrust): PolicyDocument {
  return policyDocument(terraformCloudRunsAssume(trust));
}

/** What the StackSet's template creates in each account. */
export interface AccessTemplateProps {
  readonly scope: WorkspaceScope;
  readonly hostname: string;
  /** Prepended to stack names to form workspace names (deployment.backend.workspacePrefix). */
  readonly workspacePrefix: string;
  /** naming.prefix and terraformCloud.access.runRoleName. */
  readonly namePrefix: string;
  readonly runRoleName?: string;
  /** Managed policies of the apply roles. */
  readonly policyArns: readonly string[];
  /** Managed policies of the plan roles (ReadOnlyAccess by default). */
  readonly planPolicyArns: readonly string[];
  /** Reuse the account's existing OIDC provider for the host instead of creating it. */
  readonly existingOidcProvider: boolean;
  /** ThumbprintList of the provider (terraformCloud.access.oidcThumbprint): CloudFormation requires one. */
  readonly thumbprint: string;
  /** The log-archive account: its workspace log-archive gets a role of its own there. */
  readonly archiveAccountId: string;
  /** The key-management account (log-keys), if any. */
  readonly keysAccountId?: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** A CloudFormation value: a literal, or a string with pseudo parameters resolved by Fn::Sub. */
type CfnValue = string | { readonly "Fn::Sub": string } | CfnValue[] | { readonly [key: string]: CfnValue } | boolean;

/** Every string holding a `${AWS::...}` pseudo parameter becomes an Fn::Sub; the rest stays as it is. */
function substituted(value: unknown): CfnValue {
  if (typeof value === "string") return value.includes("${AWS::") ? { "Fn::Sub": value } : value;
  if (Array.isArray(value)) return value.map(substituted);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituted(v)]));
  }
  return value as boolean;
}

const ACCOUNT = "${AWS::AccountId}";

/**
 * The template of the log-access StackSet: in every account it reaches, the
 * OIDC provider of the host (unless it exists already) and the source run
 * role, trusted by that account's source workspaces only
 * (`<prefix>log-source-<this account>-*`, the account id resolved by
 * CloudFormation in each account); in the log-archive and key-management
 * accounts also their own roles, trusted by their one workspace.
 */
export function accessTemplate(props: AccessTemplateProps): Record<string, CfnValue> {
  const names = runRoleNames(props.namePrefix, props.runRoleName);
  const providerArn = `arn:\${AWS::Partition}:iam::${ACCOUNT}:oidc-provider/${props.hostname}`;
  const tags = Object.entries(props.tags).map(([Key, Value]) => ({ Key, Value }));
  // Each workspace gets an apply role (the run role's name and logical id, so
  // that a deployed stack updates it in place rather than replacing a named
  // role, which CloudFormation cannot do) and a read-only plan role: the
  // speculative plan of a pull request runs code nobody approved yet.
  const role = (phase: RunPhase, applyRoleName: string, workspace: string, description: string) => ({
    Type: "AWS::IAM::Role",
    ...(props.existingOidcProvider ? {} : { DependsOn: "TerraformCloudOidcProvider" }),
    Properties: {
      RoleName: phase === "apply" ? applyRoleName : planRoleName(applyRoleName),
      Description: `${description} (${phase})`,
      AssumeRolePolicyDocument: runRoleTrustPolicy({
        providerArn,
        hostname: props.hostname,
        subjects: [workspaceSubject(props.scope, `${props.workspacePrefix}${workspace}`, phase)],
      }),
      ManagedPolicyArns: [...(phase === "apply" ? props.policyArns : props.planPolicyArns)],
      Tags: tags,
    },
  });
  const pair = (
    logicalName: string,
    applyRoleName: string,
    workspace: string,
    description: string,
    condition?: string,
  ) => {
    const when = condition === undefined ? {} : { Condition: condition };
    return {
      [`${logicalName}RunRole`]: { ...role("apply", applyRoleName, workspace, description), ...when },
      [`${logicalName}PlanRole`]: { ...role("plan", applyRoleName, workspace, description), ...when },
    };
  };
  const resources: Record<string, unknown> = {
    ...(props.existingOidcProvider
      ? {}
      : {
          TerraformCloudOidcProvider: {
            Type: "AWS::IAM::OIDCProvider",
            Properties: {
              Url: `https://${props.hostname}`,
              ClientIdList: [TFC_AWS_AUDIENCE],
              // Optional for IAM, required by CloudFormation's handler ("Value
              // null at 'thumbprintList'", cloudformation-coverage-roadmap#2092);
              // IAM ignores it for hosts chaining to a trusted root CA (see
              // TFC_DEFAULT_OIDC_THUMBPRINT).
              ThumbprintList: [props.thumbprint],
              Tags: tags,
            },
          },
        }),
    ...pair(
      "Source",
      names.source,
      `log-source-${ACCOUNT}-*`,
      "Terraform Cloud runs of this account's log-source workspaces",
    ),
    ...pair(
      "Archive",
      names.archive,
      "log-archive",
      "Terraform Cloud runs of the log-archive workspace",
      "IsArchiveAccount",
    ),
    ...(props.keysAccountId === undefined
      ? {}
      : pair("Keys", names.keys, "log-keys", "Terraform Cloud runs of the log-keys workspace", "IsKeysAccount")),
  };
  const conditions: Record<string, unknown> = {
    IsArchiveAccount: { "Fn::Equals": [{ Ref: "AWS::AccountId" }, props.archiveAccountId] },
    ...(props.keysAccountId === undefined
      ? {}
      : { IsKeysAccount: { "Fn::Equals": [{ Ref: "AWS::AccountId" }, props.keysAccountId] } }),
  };
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: "Dynamic credentials of the CloudWatch Logs archive's Terraform Cloud workspaces in this account",
    Conditions: substituted(conditions),
    Resources: substituted(resources),
  };
}

/**
 * The template as the StackSet's template_body: JSON, with CloudFormation's
 * `${AWS::AccountId}` escaped for Terraform (`$${...}`) as IAM variables are.
 */
export function accessTemplateBody(props: AccessTemplateProps): string {
  return escapeIamVariables(JSON.stringify(accessTemplate(props)));
}
