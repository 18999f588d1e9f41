/**
 * Organization guardrails: AWS Organizations policies, created in the
 * management account, that keep everyone but the deployment and break-glass
 * roles from dismantling the pipeline.
 *
 * - Service control policies, attached to roots or OUs, deny the principals of
 *   member accounts the calls that delete or change the pipeline's resources
 *   there: the account-level subscription filter policy, the listed
 *   subscription filters, the delivery stream, the pipeline's roles, key,
 *   heartbeat rule and log groups (modules/policy/guardrail-policies.ts).
 * - Resource control policies, attached to the log-archive account and the
 *   key-management account, deny every principal, of any account, the calls
 *   that delete archived objects or loosen the buckets and keys that hold them.
 *   An RCP judges the resource's side, so it also covers principals of other
 *   accounts that a bucket or key policy might one day admit.
 *
 * SCPs never judge the management account, service-linked roles or AWS
 * services; RCPs never judge the management account's resources. Both policy
 * types must be enabled in the organization before the first apply.
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/enable-policy-type.html
 */
import { partitionOf, type Partition } from "../naming/partition";
import { partitionOfScope } from "../constructs/partition";
import { KMS_KEY_ARN } from "../naming/arn";
import { OrganizationsPolicy } from "@cdktf/provider-aws/lib/organizations-policy";
import { OrganizationsPolicyAttachment } from "@cdktf/provider-aws/lib/organizations-policy-attachment";
import { Construct } from "constructs";
import { formatSettingProblem, isAccountIdOrToken, namePrefixProblem, throwIfProblems } from "../constructs/validation";
import { guardrailRuleProblems } from "./guardrail-rules";
import { DEFAULT_NAME_PREFIX, guardrailNames } from "../naming/names";
import { toPolicyJson, type PolicyDocument } from "../policy/document";
import {
  archiveGuardrailStatements,
  exemptRoleArns,
  packPolicies,
  sourceGuardrailStatements,
} from "../policy/guardrail-policies";
import {
  EXEMPT_ROLE_PATTERN,
  EXEMPT_ROLE_PATTERN_MAX_LENGTH,
  isRootOrOrganizationalUnitId,
  MAX_EXEMPT_ROLES,
  ORGANIZATION_POLICY_MAX_CHARACTERS,
} from "../options/guardrails";

/** The source accounts' pipeline, as the SCPs see it. */
export interface SourceGuardrails {
  /**
   * Log groups that carry one of the pipeline's subscription filters in some
   * account and Region: the listed log groups, and the heartbeat and GuardDuty
   * groups of listed accounts. Their subscription filters, of any name, may
   * only be changed by the exempt roles.
   * @default []
   */
  readonly subscribedLogGroups?: readonly string[];
  /**
   * Whether some account uses the account-level subscription filter policy
   * (subscription mode `all`).
   * @default true
   */
  readonly accountPolicy?: boolean;
}

/** The archive, as the RCPs see it. */
export interface ArchiveGuardrails {
  /** The log-archive account: its buckets are protected, and an RCP is attached to it. */
  readonly accountId: string;
  /** Region of the archive bucket. */
  readonly region: string;
  /** @default - no replica */
  readonly replicaRegion?: string;
  /**
   * The key-management account, when the keys are kept there: an RCP is
   * attached to it too.
   * @default - the keys are in the log-archive account
   */
  readonly keyAccountId?: string;
  /**
   * Whether the archive's server access log buckets exist (they are protected like the archive).
   * @default true
   */
  readonly accessLogging?: boolean;
  /**
   * Keys that encrypted objects the archive still holds, denied deletion, disabling and re-policying by ARN.
   * @default []
   */
  readonly previousKeyArns?: readonly string[];
}

/** A role creator of the guardrails, by role names. */
export interface RoleCreatorNames {
  /** The creator's roles (path and name, `*` allowed), e.g. stacksets-exec-*. */
  readonly principalNames: readonly string[];
  /** The exempt roles it creates, by exact name: the only protected roles it may change. */
  readonly roleNames: readonly string[];
}

export interface OrganizationGuardrailsProps {
  /**
   * Prefix of every physical name (the pipeline's resources are found by it).
   * @default "cwl-archive"
   */
  readonly namePrefix?: string;
  /** Roots (`r-…`) and OUs (`ou-…`) the SCPs are attached to: those holding the source accounts. */
  readonly targetIds: readonly string[];
  /**
   * Roles that apply the stacks in member accounts (path and name, `*` allowed):
   * exempt, so that Terraform can still create, change and delete the pipeline.
   */
  readonly deploymentRoleNames: readonly string[];
  /** The role people assume to change the pipeline by hand in an emergency: exempt. */
  readonly breakGlassRoleName: string;
  /**
   * Further exempt roles (path and name, `*` allowed), e.g. the roles that
   * manage other CloudWatch Logs account policies when `denyAccountPolicyChanges`.
   * @default []
   */
  readonly exemptRoleNames?: readonly string[];
  /**
   * A role that creates some of the exempt roles in member accounts, and may
   * create and change those roles only: the StackSet execution role
   * `stacksets-exec-*`, which creates the Terraform Cloud run roles and
   * Atlantis's deployment role. The pipeline's roles, the other exempt roles
   * and every other guardrail still deny it.
   * @default - none
   */
  readonly roleCreator?: RoleCreatorNames;
  /**
   * The pipeline of the source accounts.
   * @default - no service control policy
   */
  readonly sources?: SourceGuardrails;
  /**
   * The archive's buckets and keys.
   * @default - no resource control policy
   */
  readonly archive?: ArchiveGuardrails;
  /**
   * Deny logs:PutAccountPolicy and logs:DeleteAccountPolicy (when an account
   * uses the account-level subscription filter policy). CloudWatch Logs offers
   * no way to name the policy or its type in a policy, so this denies account
   * policies of every type (data protection, field index, transformer, ...) to
   * every principal but the exempt roles. false leaves the subscription filter
   * policy to detection (monitoring) alone.
   * @default true
   * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
   */
  readonly denyAccountPolicyChanges?: boolean;
  /**
   * SCPs (and RCPs) of these guardrails that one target may carry. AWS allows
   * 5 per root, OU and account, one of which FullAWSAccess (RCPFullAWSAccess)
   * takes; leave room for your own. More are needed only with very many listed
   * log groups: the construct refuses to synthesise beyond this.
   * @default 2
   * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
   */
  readonly maxPoliciesPerTarget?: number;
  /**
   * The organization's partition, which the policies' ARNs name.
   * @default - the partition of archive.region, else of the stack's provider Region
   */
  readonly partition?: Partition;
}

function roleProblems(prop: string, names: readonly string[]): string[] {
  return names.flatMap((name, i) =>
    EXEMPT_ROLE_PATTERN.test(name) && name.length <= EXEMPT_ROLE_PATTERN_MAX_LENGTH
      ? []
      : [
          `${prop}[${i}]: expected an IAM role name, or path/name, of letters, digits and +=,.@_-, * matching any characters, got ${JSON.stringify(name)}`,
        ],
  );
}

function guardrailProblems(props: OrganizationGuardrailsProps): string[] {
  const problems: string[] = [];
  const prefixProblem = namePrefixProblem(props.namePrefix);
  if (prefixProblem) problems.push(prefixProblem);
  props.targetIds.forEach((id, i) => {
    if (!isRootOrOrganizationalUnitId(id)) {
      problems.push(
        `targetIds[${i}]: expected a root id (r-…) or an OU id (ou-…-…) of the organization, got ${JSON.stringify(id)}`,
      );
    }
  });
  if (new Set(props.targetIds).size !== props.targetIds.length) problems.push("targetIds: expected no duplicates");
  if (props.deploymentRoleNames.length === 0) problems.push("deploymentRoleNames: expected at least one role");
  problems.push(...roleProblems("deploymentRoleNames", props.deploymentRoleNames));
  problems.push(...roleProblems("breakGlassRoleName", [props.breakGlassRoleName]).map((p) => p.replace("[0]", "")));
  problems.push(...roleProblems("exemptRoleNames", props.exemptRoleNames ?? []));
  if ((props.exemptRoleNames ?? []).length > MAX_EXEMPT_ROLES) {
    problems.push(`exemptRoleNames: expected at most ${MAX_EXEMPT_ROLES} roles, got ${props.exemptRoleNames!.length}`);
  }
  // The registry's rules and messages.
  problems.push(...guardrailRuleProblems(props).map(formatSettingProblem));
  const { archive } = props;
  if (archive) {
    if (!isAccountIdOrToken(archive.accountId)) {
      problems.push(`archive.accountId: expected a 12-digit AWS account id, got ${JSON.stringify(archive.accountId)}`);
    }
    if (archive.keyAccountId !== undefined && !isAccountIdOrToken(archive.keyAccountId)) {
      problems.push(
        `archive.keyAccountId: expected a 12-digit AWS account id, got ${JSON.stringify(archive.keyAccountId)}`,
      );
    }
    (archive.previousKeyArns ?? []).forEach((key, i) => {
      if (!KMS_KEY_ARN.test(key)) {
        problems.push(`archive.previousKeyArns[${i}]: expected a KMS key ARN, got ${JSON.stringify(key)}`);
      }
    });
  }
  if (!props.sources && !archive) problems.push("sources, archive: expected at least one of them to protect");
  return problems;
}

export class OrganizationGuardrails extends Construct {
  /** The SCP documents, in attachment order. */
  readonly serviceControlPolicyDocuments: readonly PolicyDocument[];
  /** The RCP documents, in attachment order. */
  readonly resourceControlPolicyDocuments: readonly PolicyDocument[];
  readonly serviceControlPolicies: readonly OrganizationsPolicy[];
  readonly resourceControlPolicies: readonly OrganizationsPolicy[];
  /** Where the RCPs are attached: the log-archive account and the key-management account. */
  readonly resourceControlTargets: readonly string[];

  constructor(scope: Construct, id: string, props: OrganizationGuardrailsProps) {
    super(scope, id);
    const fail = (problems: string[]) => {
      throwIfProblems("OrganizationGuardrails", this, problems);
    };
    fail(guardrailProblems(props));
    const prefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
    const max = props.maxPoliciesPerTarget ?? 2;
    const exemptRoles = [...props.deploymentRoleNames, props.breakGlassRoleName, ...(props.exemptRoleNames ?? [])];
    const { sources, archive } = props;
    const partition = props.partition ?? (archive ? partitionOf(archive.region) : partitionOfScope(this));
    this.serviceControlPolicyDocuments = sources
      ? packPolicies(
          sourceGuardrailStatements({
            prefix,
            subscribedLogGroups: [...new Set(sources.subscribedLogGroups ?? [])].sort(),
            accountPolicy: sources.accountPolicy ?? true,
            denyAccountPolicyChanges: props.denyAccountPolicyChanges ?? true,
            exemptRoles,
            exempt: exemptRoleArns(["*"], exemptRoles, partition),
            roleCreator: props.roleCreator && {
              principals: exemptRoleArns(["*"], props.roleCreator.principalNames, partition),
              roleNames: props.roleCreator.roleNames,
            },
            partition,
          }),
          ORGANIZATION_POLICY_MAX_CHARACTERS,
        )
      : [];
    this.resourceControlTargets = archive
      ? [...new Set([archive.accountId, ...(archive.keyAccountId ? [archive.keyAccountId] : [])])]
      : [];
    this.resourceControlPolicyDocuments = archive
      ? packPolicies(
          archiveGuardrailStatements({
            prefix,
            archiveAccountId: archive.accountId,
            archiveRegion: archive.region,
            replicaRegion: archive.replicaRegion,
            accessLogging: archive.accessLogging ?? true,
            previousKeyArns: archive.previousKeyArns ?? [],
            // The accounts are known: an exempt name in any other account stays denied.
            exempt: exemptRoleArns(this.resourceControlTargets, exemptRoles, partition),
            objectDeletionExempt: exemptRoleArns(this.resourceControlTargets, [props.breakGlassRoleName], partition),
          }),
          ORGANIZATION_POLICY_MAX_CHARACTERS,
        )
      : [];
    const counts: string[] = [];
    const over = (what: string, n: number, hint: string) => {
      if (n > max)
        counts.push(`maxPoliciesPerTarget: ${what} need ${n} policies per target, more than ${max}: ${hint}`);
    };
    over(
      "the service control policies",
      this.serviceControlPolicyDocuments.length,
      "list fewer log groups (subscription mode listed), use mode all, or raise maxPoliciesPerTarget if the targets have room",
    );
    over("the resource control policies", this.resourceControlPolicyDocuments.length, "raise maxPoliciesPerTarget");
    fail(counts);

    const names = guardrailNames(prefix);
    this.serviceControlPolicies = this.serviceControlPolicyDocuments.map((document, i) =>
      this.policy(`ServiceControlPolicy${i + 1}`, {
        name: names.serviceControlPolicy(i + 1),
        type: "SERVICE_CONTROL_POLICY",
        document,
        description: `Keeps all but the deployment and break-glass roles from changing the ${prefix} log pipeline of member accounts (${i + 1} of ${this.serviceControlPolicyDocuments.length}).`,
        targets: props.targetIds,
      }),
    );
    this.resourceControlPolicies = this.resourceControlPolicyDocuments.map((document, i) =>
      this.policy(`ResourceControlPolicy${i + 1}`, {
        name: names.resourceControlPolicy(i + 1),
        type: "RESOURCE_CONTROL_POLICY",
        document,
        description: `Keeps all but the deployment and break-glass roles from deleting or loosening the ${prefix} archive and its keys (${i + 1} of ${this.resourceControlPolicyDocuments.length}).`,
        targets: this.resourceControlTargets,
      }),
    );
  }

  /**
   * One policy and its attachments. Attachment ids come from the target id,
   * never its position, so reordering targets replaces nothing.
   */
  private policy(
    id: string,
    spec: {
      name: string;
      type: "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY";
      document: PolicyDocument;
      description: string;
      targets: readonly string[];
    },
  ): OrganizationsPolicy {
    const policy = new OrganizationsPolicy(this, id, {
      name: spec.name,
      type: spec.type,
      description: spec.description,
      // Compact JSON: Organizations counts every character sent through the API.
      content: toPolicyJson(spec.document),
    });
    for (const target of [...spec.targets].sort()) {
      new OrganizationsPolicyAttachment(this, `${id}-${target}`, { policyId: policy.id, targetId: target });
    }
    return policy;
  }
}
