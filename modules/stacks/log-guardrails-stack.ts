/**
 * The `log-guardrails` stack, in the organization's management account: the
 * registry translated into the props of one `OrganizationGuardrails`
 * construct (service control policies on `guardrails.targetIds`, resource
 * control policies on the log-archive and key-management accounts), plus the
 * policy ids as outputs. Applied last: the guardrails exempt the deployment
 * role, so they never stand in the way of the other stacks, but a wrong
 * exemption (ambient credentials) should not block their first apply.
 */
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { OrganizationGuardrails, type OrganizationGuardrailsProps } from "../guardrails/organization-guardrails";
import { guardDutyLogGroup, heartbeatLogGroup } from "../naming/names";
import { planRoleName, runRoleNames, STACKSETS_EXECUTION_ROLE_PATTERN } from "../naming/terraform-cloud";
import type { Registry } from "../registry/parse";
import { guardrailsManagementAccountId, sourceSettings } from "../registry/settings";
import { AccountStack } from "./account-stack";
import { managementCredentials } from "./organization-trail-stack";

/**
 * Log groups that carry one of the pipeline's subscription filters in some
 * account: in listed mode, the listed groups (in any of their Regions) and
 * the pipeline's own groups that source stacks subscribe there (heartbeat,
 * GuardDuty findings). Sorted, once each.
 */
export function subscribedLogGroups(registry: Registry): string[] {
  const prefix = registry.naming.prefix;
  const groups = registry.accounts.flatMap((account) => {
    const { subscription } = sourceSettings(registry, account);
    if (subscription.mode !== "listed") return [];
    return [
      ...subscription.logGroups.map((g) => g.name),
      ...(registry.monitoring.heartbeat.enabled ? [heartbeatLogGroup(prefix)] : []),
      ...(registry.sources.guardDuty.accounts.includes(account.id) ? [guardDutyLogGroup(prefix)] : []),
    ];
  });
  return [...new Set(groups)].sort();
}

/**
 * The roles the log-access StackSets create in member accounts: each
 * Terraform Cloud apply role of the StackSet's template (source, archive,
 * keys) with its plan role, and Atlantis's deployment role. The management
 * role is created by log-access itself, where no SCP applies.
 */
export function stackSetCreatedRoleNames(registry: Registry): string[] {
  const { terraformCloud, atlantis, naming, deployment } = registry;
  const cloud = terraformCloud.access.enabled
    ? [runRoleNames(naming.prefix, terraformCloud.access.runRoleName)].flatMap((names) =>
        [names.source, names.archive, ...(registry.keys ? [names.keys] : [])].flatMap((role) => [
          role,
          planRoleName(role),
        ]),
      )
    : [];
  return [...new Set([...cloud, ...(atlantis.access.enabled ? [deployment.roleName] : [])])].sort();
}

/** The props of the management account's `OrganizationGuardrails`, from the registry. */
export function logGuardrailsProps(registry: Registry): OrganizationGuardrailsProps {
  const { guardrails, deployment, logArchive, archive } = registry;
  const stackSetRoles = stackSetCreatedRoleNames(registry);
  if (guardrails.breakGlassRoleName === undefined) {
    throw new Error("logGuardrailsProps: the registry has no guardrails.breakGlassRoleName");
  }
  return {
    namePrefix: registry.naming.prefix,
    targetIds: guardrails.targetIds,
    // Always exempt, whatever the credentials: with ambient credentials the
    // runners' own roles come in through exemptRoleNames (the registry requires one).
    deploymentRoleNames: [deployment.roleName],
    breakGlassRoleName: guardrails.breakGlassRoleName,
    exemptRoleNames: guardrails.exemptRoleNames,
    // The log-access StackSets create the run roles and Atlantis's deployment
    // role, exempt roles which the SCP protects, with the execution role
    // service-managed StackSets create in every target account,
    // "stacksets-exec-*": an ordinary role, which SCPs judge. Without this,
    // every stack instance after the SCP's attachment fails to create or
    // update its roles; with it, that role may change those roles and no
    // other protected one.
    // @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-custom-execution-role.html
    roleCreator:
      stackSetRoles.length > 0
        ? { principalNames: [STACKSETS_EXECUTION_ROLE_PATTERN], roleNames: stackSetRoles }
        : undefined,
    sources:
      registry.accounts.length > 0
        ? {
            subscribedLogGroups: subscribedLogGroups(registry),
            accountPolicy: registry.accounts.some((a) => sourceSettings(registry, a).subscription.mode === "all"),
          }
        : undefined,
    archive: {
      accountId: logArchive.accountId,
      region: logArchive.region,
      replicaRegion: archive.replicaRegion,
      keyAccountId: registry.keys?.accountId,
      accessLogging: archive.accessLogging,
      previousKeyArns: archive.previousKeyArns,
    },
    denyAccountPolicyChanges: guardrails.denyAccountPolicyChanges,
    maxPoliciesPerTarget: guardrails.maxPoliciesPerTarget,
  };
}

export class LogGuardrailsStack extends AccountStack {
  readonly guardrails: OrganizationGuardrails;

  constructor(scope: Construct, id: string, props: { readonly registry: Registry }) {
    const { registry } = props;
    const management = guardrailsManagementAccountId(registry);
    if (management === undefined) {
      throw new Error(
        "LogGuardrailsStack needs guardrails.managementAccountId or sources.cloudTrail.managementAccountId",
      );
    }
    super(scope, id, {
      registry,
      accountId: management,
      // Organizations is a global service (hosted in us-east-1); the stack keeps the archive's Region like the others.
      // @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
      region: registry.logArchive.region,
      credentials: managementCredentials(registry.deployment),
    });
    this.guardrails = new OrganizationGuardrails(this, "Default", logGuardrailsProps(registry));
    new TerraformOutput(this, "service_control_policy_ids", {
      value: this.guardrails.serviceControlPolicies.map((p) => p.id),
    });
    new TerraformOutput(this, "resource_control_policy_ids", {
      value: this.guardrails.resourceControlPolicies.map((p) => p.id),
    });
  }
}
