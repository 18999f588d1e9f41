/**
 * The Terraform Cloud (HCP Terraform) side of a deployment, as code: the
 * project, one workspace per stack with its execution mode, the dynamic
 * credential variables of each workspace, and the run triggers that keep a
 * workspace that reads another's resources in step with it.
 *
 * Dynamic credentials: a workspace whose environment holds
 * TFC_AWS_PROVIDER_AUTH=true, TFC_AWS_PLAN_ROLE_ARN and TFC_AWS_APPLY_ROLE_ARN
 * gets credentials of the plan role for every plan (speculative plans of pull
 * requests included) and of the apply role for every apply, each through a
 * workload identity token of that phase. No TFC_AWS_RUN_ROLE_ARN: it would
 * give plans and applies one role.
 * @see https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration
 * Resources of the tfe provider (0.71):
 * @see https://registry.terraform.io/providers/hashicorp/tfe/latest/docs/resources/workspace
 * @see https://registry.terraform.io/providers/hashicorp/tfe/latest/docs/resources/workspace_settings
 * @see https://registry.terraform.io/providers/hashicorp/tfe/latest/docs/resources/variable
 * @see https://registry.terraform.io/providers/hashicorp/tfe/latest/docs/resources/run_trigger
 */
import { Project } from "@cdktf/provider-tfe/lib/project";
import { RunTrigger } from "@cdktf/provider-tfe/lib/run-trigger";
import { Variable } from "@cdktf/provider-tfe/lib/variable";
import { Workspace } from "@cdktf/provider-tfe/lib/workspace";
import { WorkspaceSettings } from "@cdktf/provider-tfe/lib/workspace-settings";
import { Construct } from "constructs";

/** One stack's workspace. */
export interface WorkspaceSpec {
  /** The stack (construct ids are keyed by it: it names account and Region). */
  readonly stack: string;
  /** Workspace name, `<workspacePrefix><stack>`. */
  readonly name: string;
  /** Role the workspace's plans assume (TFC_AWS_PLAN_ROLE_ARN). */
  readonly planRoleArn: string;
  /** Role the workspace's applies assume (TFC_AWS_APPLY_ROLE_ARN). */
  readonly applyRoleArn: string;
}

/** A VCS connection: the workspaces run what is committed under their working directory. */
export interface WorkspaceVcs {
  /** `<organization>/<repository>`. */
  readonly identifier: string;
  /** OAuth token of the VCS connection (or githubAppInstallationId). @default - none */
  readonly oauthTokenId?: string;
  /** GitHub App installation (or oauthTokenId). @default - none */
  readonly githubAppInstallationId?: string;
  /** @default - the repository's default branch */
  readonly branch?: string;
  /** The folder of a stack in the repository. */
  readonly workingDirectory: (stack: string) => string;
}

export interface TerraformCloudWorkspacesProps {
  readonly organization: string;
  /** Project created for the workspaces (the `project` of every stack's cloud block). */
  readonly projectName: string;
  readonly workspaces: readonly WorkspaceSpec[];
  /** Where runs execute. @default "remote" */
  readonly executionMode?: "remote" | "agent" | "local";
  /** Agent pool, required with executionMode "agent". @default - none */
  readonly agentPoolId?: string;
  /** VCS-driven workspaces. @default - CLI-driven workspaces (npx cdktf deploy uploads each stack) */
  readonly vcs?: WorkspaceVcs;
  /**
   * Runs of `to` queued after each apply of `from` (stack names): only where
   * `to` reads what `from` creates at plan time.
   * @default []
   */
  readonly runTriggers?: readonly { readonly from: string; readonly to: string }[];
}

export class TerraformCloudWorkspaces extends Construct {
  readonly project: Project;
  /** Workspaces by stack name. */
  readonly workspaces: ReadonlyMap<string, Workspace>;

  constructor(scope: Construct, id: string, props: TerraformCloudWorkspacesProps) {
    super(scope, id);
    const executionMode = props.executionMode ?? "remote";
    const problems: string[] = [];
    if (executionMode === "agent" && props.agentPoolId === undefined) {
      problems.push(`TerraformCloudWorkspaces ${this.node.path}: agentPoolId: required with executionMode "agent"`);
    }
    if (executionMode !== "agent" && props.agentPoolId !== undefined) {
      problems.push(
        `TerraformCloudWorkspaces ${this.node.path}: agentPoolId: only with executionMode "agent", got executionMode "${executionMode}"`,
      );
    }
    if (props.vcs && (props.vcs.oauthTokenId === undefined) === (props.vcs.githubAppInstallationId === undefined)) {
      problems.push(
        `TerraformCloudWorkspaces ${this.node.path}: vcs: expected exactly one of oauthTokenId and githubAppInstallationId`,
      );
    }
    const names = new Set(props.workspaces.map((w) => w.name));
    if (names.size !== props.workspaces.length)
      problems.push(`TerraformCloudWorkspaces ${this.node.path}: workspaces: duplicate workspace names`);
    const stacks = new Set(props.workspaces.map((w) => w.stack));
    for (const trigger of props.runTriggers ?? []) {
      for (const end of [trigger.from, trigger.to]) {
        if (!stacks.has(end))
          problems.push(`TerraformCloudWorkspaces ${this.node.path}: runTriggers: no workspace for stack "${end}"`);
      }
    }
    if (problems.length > 0) throw new Error(problems.join("\n"));

    this.project = new Project(this, "Project", { organization: props.organization, name: props.projectName });
    const workspaces = new Map<string, Workspace>();
    for (const spec of props.workspaces) {
      const vcs = props.vcs;
      const workspace = new Workspace(this, `${spec.stack}-Workspace`, {
        organization: props.organization,
        projectId: this.project.id,
        name: spec.name,
        description: `Stack ${spec.stack} of the CloudWatch Logs archive (cdktf)`,
        // queue_all_runs defaults to true: a VCS-driven workspace would queue
        // its first run as soon as it is created, before its variables (the
        // dynamic credentials below) exist, and fail. The first run comes
        // from the first push under its folder, or from cdktf deploy.
        // @see https://registry.terraform.io/providers/hashicorp/tfe/latest/docs/resources/workspace#queue_all_runs
        queueAllRuns: false,
        ...(vcs
          ? {
              // With a working directory and file triggers (on by default), a
              // push starts a run only when it changes a file under that
              // folder: a change to the code plans exactly the stacks whose
              // committed Terraform changed, as in committed Atlantis mode.
              workingDirectory: vcs.workingDirectory(spec.stack),
              vcsRepo: {
                identifier: vcs.identifier,
                oauthTokenId: vcs.oauthTokenId,
                githubAppInstallationId: vcs.githubAppInstallationId,
                branch: vcs.branch,
              },
            }
          : {}),
      });
      // Execution mode lives in tfe_workspace_settings (the workspace's own
      // execution_mode argument is deprecated in the tfe provider).
      new WorkspaceSettings(this, `${spec.stack}-Settings`, {
        workspaceId: workspace.id,
        executionMode,
        agentPoolId: props.agentPoolId,
      });
      new Variable(this, `${spec.stack}-ProviderAuth`, {
        workspaceId: workspace.id,
        category: "env",
        key: "TFC_AWS_PROVIDER_AUTH",
        value: "true",
        description: "Dynamic credentials for the AWS provider",
      });
      new Variable(this, `${spec.stack}-PlanRoleArn`, {
        workspaceId: workspace.id,
        category: "env",
        key: "TFC_AWS_PLAN_ROLE_ARN",
        value: spec.planRoleArn,
        description: "The read-only role this workspace's plans assume (created by the log-access stack)",
      });
      new Variable(this, `${spec.stack}-ApplyRoleArn`, {
        workspaceId: workspace.id,
        category: "env",
        key: "TFC_AWS_APPLY_ROLE_ARN",
        value: spec.applyRoleArn,
        description: "The role this workspace's applies assume (created by the log-access stack)",
      });
      workspaces.set(spec.stack, workspace);
    }
    for (const trigger of props.runTriggers ?? []) {
      new RunTrigger(this, `${trigger.to}-After-${trigger.from}`, {
        workspaceId: workspaces.get(trigger.to)!.id,
        sourceableId: workspaces.get(trigger.from)!.id,
      });
    }
    this.workspaces = workspaces;
  }
}
