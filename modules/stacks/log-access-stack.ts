/**
 * The `log-access` stack (terraformCloud.access.enabled), in the management
 * account: what lets every workspace get dynamic credentials for its own
 * account, with no stack and no step by hand per account.
 *
 * - A service-managed StackSet that creates, in every account of
 *   terraformCloud.access.targetIds (and every account that joins them
 *   later), the OIDC provider of the Terraform Cloud host and the source run
 *   role, trusted only by the workspaces `<prefix>log-source-<that account>-*`;
 *   in the log-archive and key-management accounts also their own roles.
 * - In the management account itself, which StackSets never deploy to, the
 *   provider and one role for the workspaces of the stacks that deploy there
 *   (log-organization-trail, log-guardrails).
 *
 * Applied first, by hand, with the management account's credentials.
 */
import { partitionOf } from "../naming/partition";
import { TerraformOutput } from "cdktf";
import { TamperWatch } from "../monitoring/tamper-watch";
import { globalEventsRegion, tamperBusNames } from "../naming/tamper-names";
import { roleWatches } from "../policy/tamper-patterns";
import type { Construct } from "constructs";
import { iamRoleArn } from "../naming/names";
import { planRoleName, runRoleNames } from "../naming/terraform-cloud";
import { accessTemplateBody } from "../policy/terraform-cloud-policies";
import type { Registry } from "../registry/parse";
import { accessManagementAccountId, accountOfStack, tamperEnabled, tamperExemptRoleArns } from "../registry/settings";
import { OrganizationStackSet } from "../terraform-cloud/access-stack-set";
import { TerraformCloudRunRole } from "../terraform-cloud/oidc-run-role";
import { AccountStack } from "./account-stack";
import { workspaceName } from "./backend";
import { cloudBackendOf, setupBackend, workspaceStacks } from "./log-workspaces-stack";
import { managementCredentials } from "./organization-trail-stack";

export interface LogAccessStackProps {
  readonly registry: Registry;
  /** Every stack the app synthesises (stackNames). */
  readonly stacks: readonly string[];
}

export class LogAccessStack extends AccountStack {
  readonly stackSet: OrganizationStackSet;
  readonly managementRole?: TerraformCloudRunRole;

  constructor(scope: Construct, id: string, props: LogAccessStackProps) {
    const { registry } = props;
    const management = accessManagementAccountId(registry);
    if (management === undefined) {
      throw new Error("LogAccessStack needs terraformCloud.access.managementAccountId (the registry checks it)");
    }
    const access = registry.terraformCloud.access;
    super(scope, id, {
      registry,
      accountId: management,
      region: access.region ?? registry.logArchive.region,
      credentials: managementCredentials(registry.deployment),
      backend: setupBackend(cloudBackendOf(registry)),
    });
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
}
