/**
 * The `log-access` stack, in the management account: what lets every stack
 * get credentials for its own account, with no stack and no step by hand per
 * account. Applied first, by hand, with the management account's credentials.
 *
 * With Terraform Cloud (terraformCloud.access.enabled):
 * - A service-managed StackSet that creates, in every account of
 *   terraformCloud.access.targetIds (and every account that joins them
 *   later), the OIDC provider of the Terraform Cloud host and the source run
 *   role, trusted only by the workspaces `<prefix>log-source-<that account>-*`;
 *   in the log-archive and key-management accounts also their own roles.
 * - In the management account itself, which StackSets never deploy to, the
 *   provider and one role for the workspaces of the stacks that deploy there
 *   (log-organization-trail, log-guardrails).
 *
 * With Atlantis (atlantis.access.enabled):
 * - A service-managed StackSet that creates deployment.roleName, the role
 *   every stack's provider assumes, in every account of
 *   atlantis.access.targetIds, trusted only by the Atlantis server's roles.
 * - In the management account itself, the roles its stacks assume
 *   (deployment.managementAccount.roleName for the trail and guardrails,
 *   deployment.roleName for its own source stacks).
 *
 * The two are exclusive (dynamic credentials are ambient, Atlantis's assumed).
 */
import { partitionOf } from "../naming/partition";
import { TerraformOutput } from "cdktf";
import { TamperWatch } from "../monitoring/tamper-watch";
import { globalEventsRegion, tamperBusNames } from "../naming/tamper-names";
import { deploymentRoleWatches, roleWatches } from "../policy/tamper-patterns";
import type { Construct } from "constructs";
import { iamRoleArn } from "../naming/names";
import { planRoleName, runRoleNames } from "../naming/terraform-cloud";
import { accessTemplateBody } from "../policy/terraform-cloud-policies";
import type { Registry } from "../registry/parse";
import { accessManagementAccountId, accountOfStack, tamperEnabled, tamperExemptRoleArns } from "../registry/settings";
import { OrganizationStackSet } from "../terraform-cloud/access-stack-set";
import { TerraformCloudRunRole } from "../terraform-cloud/oidc-run-role";
import { AtlantisDeploymentRole } from "../atlantis/deployment-role";
import { atlantisTemplateBody } from "../policy/atlantis-policies";
import { GUARDRAILS_STACK, TRAIL_STACK } from "../naming/names";
import { AccountStack, type StackCredentials } from "./account-stack";
import { workspaceName } from "./backend";
import { cloudBackendOf, setupBackend, workspaceStacks } from "./log-workspaces-stack";
import { managementCredentials } from "./organization-trail-stack";

export interface LogAccessStackProps {
  readonly registry: Registry;
  /** Every stack the app synthesises (stackNames). */
  readonly stacks: readonly string[];
}

export class LogAccessStack extends AccountStack {
  /** The Terraform Cloud StackSet (OIDC providers and run roles), with terraformCloud.access. */
  readonly stackSet?: OrganizationStackSet;
  readonly managementRole?: TerraformCloudRunRole;
  /** The Atlantis StackSet (deployment.roleName in every target account), with atlantis.access. */
  readonly atlantisStackSet?: OrganizationStackSet;
  /** The roles the management account's stacks assume, with atlantis.access. */
  readonly atlantisManagementRoles: readonly AtlantisDeploymentRole[] = [];

  constructor(scope: Construct, id: string, props: LogAccessStackProps) {
    const { registry } = props;
    const management = accessManagementAccountId(registry);
    if (management === undefined) {
      throw new Error(
        "LogAccessStack needs a management account (terraformCloud or atlantis access; the registry checks it)",
      );
    }
    const cloud = registry.terraformCloud.access.enabled;
    super(scope, id, {
      registry,
      accountId: management,
      region:
        (cloud ? registry.terraformCloud.access.region : registry.atlantis.access.region) ?? registry.logArchive.region,
      // Terraform Cloud: the state lives in the setup workspace. Atlantis: the
      // registry's backend, and your own credentials (the roles the other
      // stacks assume in the management account are created here).
      credentials: cloud ? managementCredentials(registry.deployment) : { mode: "ambient" },
      backend: cloud ? setupBackend(cloudBackendOf(registry)) : undefined,
    });
    if (registry.atlantis.access.enabled) {
      const created = this.addAtlantisAccess(management, props.stacks);
      this.atlantisStackSet = created.stackSet;
      this.atlantisManagementRoles = created.roles;
    }
    if (!cloud) return;
    const access = registry.terraformCloud.access;
    const backend = cloudBackendOf(registry);
    const scopeOfWorkspaces = { organization: backend.organization, project: backend.project };
    const names = runRoleNames(registry.naming.prefix, access.runRoleName);
    this.stackSet = new OrganizationStackSet(this, "RunRoles", {
      name: `${registry.naming.prefix}-tfc-access`,
      description: "OIDC provider and run roles of the CloudWatch Logs archive's Terraform Cloud workspaces",
      templateBody: accessTemplateBody({
        scope: scopeOfWorkspaces,
        hostname: backend.hostname,
        workspacePrefix: backend.workspacePrefix,
        namePrefix: registry.naming.prefix,
        runRoleName: access.runRoleName,
        policyArns: access.runRolePolicyArns,
        planPolicyArns: access.planRolePolicyArns,
        existingOidcProvider: access.existingOidcProvider,
        thumbprint: access.oidcThumbprint,
        archiveAccountId: registry.logArchive.accountId,
        keysAccountId: registry.keys?.accountId,
        tags: { ManagedBy: "cdktf", Project: "cwl-log-archive" },
      }),
      targetIds: access.targetIds,
      region: access.region ?? registry.logArchive.region,
    });
    const here = workspaceStacks(props.stacks).filter((stack) => accountOfStack(registry, stack) === management);
    if (here.length > 0) {
      this.managementRole = new TerraformCloudRunRole(this, "ManagementRunRole", {
        accountId: management,
        hostname: backend.hostname,
        scope: scopeOfWorkspaces,
        workspaces: here.map((stack) => workspaceName(backend, stack)),
        roleName: names.management,
        policyArns: access.runRolePolicyArns,
        planPolicyArns: access.planRolePolicyArns,
        existingOidcProvider: access.existingOidcProvider,
        thumbprint: access.oidcThumbprint,
      });
      if (tamperEnabled(registry)) {
        // The role applies the management account's stacks with their rights:
        // a change to its trust or policies hands them out, so it is watched
        // like the pipeline's own roles (IAM's events arrive in us-east-1).
        const { prefix } = registry.naming;
        const region = access.region ?? registry.logArchive.region;
        new TamperWatch(this, "TamperWatch", {
          accountId: management,
          stackRegion: region,
          kind: "access",
          namePrefix: prefix,
          busArn: tamperBusNames(prefix, registry.logArchive.accountId, registry.logArchive.region).busArn,
          exemptRoleArns: tamperExemptRoleArns(registry, undefined),
          regions: [
            {
              region: globalEventsRegion(region),
              remote: region !== globalEventsRegion(region),
              watches: roleWatches([names.management, planRoleName(names.management)]),
            },
          ],
          watchForwarder: true,
        });
      }
      new TerraformOutput(this, "management_run_role_arn", {
        value: iamRoleArn(management, names.management, partitionOf(this.region)),
        description: "Apply role of the management account's workspaces (TFC_AWS_APPLY_ROLE_ARN)",
      });
      new TerraformOutput(this, "management_plan_role_arn", {
        value: iamRoleArn(management, planRoleName(names.management), partitionOf(this.region)),
        description: "Plan role of the management account's workspaces (TFC_AWS_PLAN_ROLE_ARN)",
      });
    }
  }

  /**
   * The Atlantis part: the StackSet of deployment roles, and in the
   * management account the roles its own stacks assume, watched by tamper
   * detection like the Terraform Cloud management role.
   */
  private addAtlantisAccess(
    management: string,
    stacks: readonly string[],
  ): { stackSet: OrganizationStackSet; roles: AtlantisDeploymentRole[] } {
    const { registry } = this;
    const access = registry.atlantis.access;
    const region = access.region ?? registry.logArchive.region;
    const trust = { principalArns: access.principalArns, organizationId: registry.organization.id };
    const stackSet = new OrganizationStackSet(this, "AtlantisRoles", {
      name: `${registry.naming.prefix}-atlantis-access`,
      description: "Deployment role of the CloudWatch Logs archive's Atlantis projects",
      templateBody: atlantisTemplateBody({
        ...trust,
        roleName: registry.deployment.roleName,
        policyArns: access.policyArns,
        tags: { ManagedBy: "cdktf", Project: "cwl-log-archive" },
      }),
      targetIds: access.targetIds,
      region,
    });
    // The roles the management account's stacks assume: the trail's and the
    // guardrails' (deployment.managementAccount) and its own sources'.
    const credentialsOf = (stack: string): StackCredentials =>
      stack === TRAIL_STACK || stack === GUARDRAILS_STACK
        ? managementCredentials(registry.deployment)
        : { mode: "assumeRole", roleName: registry.deployment.roleName };
    const roleNames = [
      ...new Set(
        workspaceStacks(stacks)
          .filter((stack) => accountOfStack(registry, stack) === management)
          .map(credentialsOf)
          .flatMap((credentials) => (credentials.mode === "assumeRole" ? [credentials.roleName] : [])),
      ),
    ].sort();
    const roles = roleNames.map(
      (roleName) =>
        new AtlantisDeploymentRole(this, `AtlantisRole-${roleName}`, {
          ...trust,
          roleName,
          policyArns: access.policyArns,
        }),
    );
    if (roles.length > 0) {
      if (tamperEnabled(registry)) {
        const { prefix } = registry.naming;
        new TamperWatch(this, "TamperWatch", {
          accountId: management,
          stackRegion: this.region,
          kind: "access",
          namePrefix: prefix,
          busArn: tamperBusNames(prefix, registry.logArchive.accountId, registry.logArchive.region).busArn,
          // The roles apply the management account's other stacks, whose own
          // tamper rules this watch sees too (every tamper rule of the
          // account): their configuration calls are those stacks' applies.
          // Changes to the roles themselves notify whoever makes them
          // (deploymentRoleWatches): an exempt role could otherwise re-trust
          // itself without a notification (fresh-eyes review).
          exemptRoleArns: [
            ...tamperExemptRoleArns(registry, undefined),
            ...roleNames.map((roleName) => iamRoleArn(management, roleName, partitionOf(this.region))),
          ],
          regions: [
            {
              region: globalEventsRegion(this.region),
              remote: this.region !== globalEventsRegion(this.region),
              watches: deploymentRoleWatches(roleNames),
            },
          ],
          watchForwarder: true,
        });
      }
      new TerraformOutput(this, "management_deployment_role_arns", {
        value: roleNames.map((roleName) => iamRoleArn(management, roleName, partitionOf(this.region))),
        description: "Roles the management account's stacks assume from Atlantis",
      });
    }
    return { stackSet, roles };
  }
}
