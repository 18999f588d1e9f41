/**
 * The `log-workspaces` stack (terraformCloud.workspaces.enabled): the
 * registry translated into one `TerraformCloudWorkspaces` construct, the
 * Terraform Cloud project and a workspace for every other stack the registry
 * synthesises, so that adding an account adds its workspaces in the same pull
 * request. Applied with a Terraform Cloud token (TFE_TOKEN) of a user or team
 * allowed to manage workspaces; it holds no AWS resource.
 */
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { iamRoleArn, STACKS_DIR } from "../naming/names";
import {
  ACCESS_STACK,
  planRoleName,
  runRoleNames,
  WORKSPACES_STACK,
  type RunRoleKind,
} from "../naming/terraform-cloud";
import type { Registry } from "../registry/parse";
import { ACKNOWLEDGEMENTS_OUTPUT } from "../options/values";
import {
  accessManagementAccountId,
  accountOfStack,
  acknowledgementsFor,
  registryPartition,
} from "../registry/settings";
import { TerraformCloudWorkspaces, type WorkspaceSpec } from "../terraform-cloud/workspaces";
import { addBackend, workspaceName } from "./backend";

type CloudBackend = Extract<Registry["deployment"]["backend"], { type: "cloud" }>;

/** The registry's cloud backend, or an error naming what the Terraform Cloud stacks need. */
export function cloudBackendOf(registry: Registry): CloudBackend & { readonly project: string } {
  const backend = registry.deployment.backend;
  if (backend.type !== "cloud" || backend.project === undefined) {
    throw new Error(
      "the Terraform Cloud stacks need deployment.backend type cloud with a project (the registry checks it)",
    );
  }
  return { ...backend, project: backend.project };
}

/**
 * The state backend of the two stacks that set Terraform Cloud up
 * (log-access, log-workspaces): their workspaces exist before the project,
 * which log-workspaces creates, so they live in the organization's default
 * project (created once by hand with local execution: see docs/terraform-cloud.md).
 */
export function setupBackend(backend: CloudBackend): CloudBackend {
  return { ...backend, project: undefined };
}

/** Which run role a stack's workspace assumes. */
export function runRoleKindOf(registry: Registry, stack: string): RunRoleKind {
  if (accountOfStack(registry, stack) === accessManagementAccountId(registry)) return "management";
  if (stack === "log-archive") return "archive";
  if (stack === "log-keys") return "keys";
  return "source";
}

/** The apply role ARN of a stack's workspace (TFC_AWS_APPLY_ROLE_ARN). */
export function runRoleArnOf(registry: Registry, stack: string): string {
  const names = runRoleNames(registry.naming.prefix, registry.terraformCloud.access.runRoleName);
  return iamRoleArn(
    accountOfStack(registry, stack),
    names[runRoleKindOf(registry, stack)],
    registryPartition(registry),
  );
}

/** The plan role ARN of a stack's workspace (TFC_AWS_PLAN_ROLE_ARN). */
export function planRoleArnOf(registry: Registry, stack: string): string {
  const names = runRoleNames(registry.naming.prefix, registry.terraformCloud.access.runRoleName);
  return iamRoleArn(
    accountOfStack(registry, stack),
    planRoleName(names[runRoleKindOf(registry, stack)]),
    registryPartition(registry),
  );
}

/** The stacks that have workspaces here: every stack but the two that set Terraform Cloud up. */
export function workspaceStacks(stacks: readonly string[]): string[] {
  return stacks.filter((stack) => stack !== WORKSPACES_STACK && stack !== ACCESS_STACK);
}

export interface LogWorkspacesStackProps {
  readonly registry: Registry;
  /** Every stack the app synthesises (stackNames), in apply order. */
  readonly stacks: readonly string[];
}

export class LogWorkspacesStack extends TerraformStack {
  readonly workspaces: TerraformCloudWorkspaces;

  constructor(scope: Construct, id: string, props: LogWorkspacesStackProps) {
    super(scope, id);
    const { registry } = props;
    const backend = cloudBackendOf(registry);
    const settings = registry.terraformCloud.workspaces;
    new TfeProvider(this, "tfe", { hostname: backend.hostname, organization: backend.organization });
    addBackend(this, id, setupBackend(backend));
    this.addOverride("terraform.required_version", ">= 1.7");
    // As every stack: the plan gate reads the registry's acknowledgements from the plan.
    new TerraformOutput(this, ACKNOWLEDGEMENTS_OUTPUT, {
      value: acknowledgementsFor(registry, id),
      description: "Changes the registry's migrations acknowledge for this stack (read by security/plan-gate)",
    });
    const stacks = workspaceStacks(props.stacks);
    const specs: WorkspaceSpec[] = stacks.map((stack) => ({
      stack,
      name: workspaceName(backend, stack),
      applyRoleArn: runRoleArnOf(registry, stack),
      planRoleArn: planRoleArnOf(registry, stack),
    }));
    const has = (stack: string) => stacks.includes(stack);
    this.workspaces = new TerraformCloudWorkspaces(this, "Workspaces", {
      organization: backend.organization,
      projectName: backend.project,
      workspaces: specs,
      executionMode: settings.executionMode,
      agentPoolId: settings.agentPoolId,
      vcs: settings.vcs && {
        ...settings.vcs,
        workingDirectory: (stack) => `${STACKS_DIR}/${stack}`,
      },
      // Only where a stack reads, at plan time, what another creates: log-archive
      // reads the keys by alias. Sources get none: they read nothing of the
      // archive at plan time, and 3,000 runs queued by every archive apply
      // would only load the API.
      runTriggers: has("log-keys") ? [{ from: "log-keys", to: "log-archive" }] : [],
    });
  }
}
