/**
 * Names of the Terraform Cloud (HCP Terraform) side of a deployment: the
 * workspaces' run roles in AWS and the subjects of the workload identity
 * tokens that HCP Terraform hands to AWS. Pure: used by the stacks, the
 * StackSet template and the tests alike.
 * @see https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration
 * @see https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/workload-identity-tokens
 */
import type { Partition } from "./partition";
import { arn } from "./arn";

/** The stack of the Terraform Cloud workspaces (tfe provider), when terraformCloud.workspaces.enabled. */
export const WORKSPACES_STACK = "log-workspaces";
/** The stack of the OIDC trust in every account (management account), when terraformCloud.access.enabled. */
export const ACCESS_STACK = "log-access";

/**
 * The `aud` HCP Terraform puts in the tokens it gives the AWS provider
 * unless a workspace sets TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE (this app sets none).
 */
export const TFC_AWS_AUDIENCE = "aws.workload.identity";

/**
 * The default ThumbprintList entry of the OIDC provider the StackSet
 * creates: the SHA-1 thumbprint of Starfield Services Root CA - G2, the root
 * of Amazon Trust Services' chain. CloudFormation's AWS::IAM::OIDCProvider
 * handler rejects a provider without ThumbprintList
 * (aws-cloudformation/cloudformation-coverage-roadmap#2092), while IAM
 * "secures communication with OIDC identity providers using our library of
 * trusted root certificate authorities" and uses the thumbprints only for a
 * host whose certificate no trusted CA signed: for app.terraform.io the value
 * is never checked, it only has to be 40 hex characters.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateOpenIDConnectProviderThumbprint.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc_verify-thumbprint.html
 */
export const TFC_DEFAULT_OIDC_THUMBPRINT = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280";

/**
 * The execution role service-managed StackSets create in each target account
 * ("an execution role named stacksets-exec-*"): it creates the run roles.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-custom-execution-role.html
 */
export const STACKSETS_EXECUTION_ROLE_PATTERN = "stacksets-exec-*";

/** Which run role a workspace assumes, by what its stack deploys. */
export type RunRoleKind = "source" | "archive" | "keys" | "management";

/** The run role names of one deployment: `<runRoleName>` for sources, suffixed for the others. */
export function runRoleNames(prefix: string, runRoleName?: string): Record<RunRoleKind, string> {
  const base = runRoleName ?? `${prefix}-tfc-run`;
  return { source: base, archive: `${base}-archive`, keys: `${base}-keys`, management: `${base}-management` };
}

/**
 * The phase of a run, the last field of its token's `sub`: a plan (also the
 * speculative plan of a pull request) and an apply get tokens of their own,
 * so each phase can assume a role of its own (TFC_AWS_PLAN_ROLE_ARN and
 * TFC_AWS_APPLY_ROLE_ARN).
 * @see https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/workload-identity-tokens
 */
export type RunPhase = "plan" | "apply";

/**
 * The plan role beside a run role (the apply role keeps the run role's name,
 * so that existing roles are updated, not replaced). RUN_ROLE_NAME leaves
 * room for the longest suffix, `-management-plan`, within IAM's 64 characters.
 */
export function planRoleName(applyRoleName: string): string {
  return `${applyRoleName}-plan`;
}

/** The IAM OIDC provider of a Terraform Cloud host in an account (IAM names it after the host). */
export function oidcProviderArn(accountId: string, hostname: string, partition: Partition): string {
  return arn({ partition, service: "iam", account: accountId, resource: `oidc-provider/${hostname}` });
}

/** Where a workspace lives in HCP Terraform: what the token's `sub` names. */
export interface WorkspaceScope {
  readonly organization: string;
  readonly project: string;
}

/**
 * The `sub` claim pattern of one run phase of a workspace, or of the
 * workspaces matching `workspace` when it holds a `*`:
 * `organization:<org>:project:<project>:workspace:<workspace>:run_phase:<phase>`.
 * Workspace names hold only letters, digits, `-` and `_`, so a `*` inside the
 * workspace part never reaches across a `:` into another field.
 */
export function workspaceSubject(scope: WorkspaceScope, workspace: string, phase: RunPhase): string {
  return `organization:${scope.organization}:project:${scope.project}:workspace:${workspace}:run_phase:${phase}`;
}

/** The token claim condition keys IAM derives from a provider URL: `<host>:sub` and `<host>:aud`. */
export function claimKeys(hostname: string): { readonly sub: string; readonly aud: string } {
  return { sub: `${hostname}:sub`, aud: `${hostname}:aud` };
}
