/**
 * The `cloud` block of a stack (Terraform Cloud / Enterprise, one named
 * workspace), written exactly as cdktf's `CloudBackend` writes it, without
 * starting a process.
 *
 * Why not `CloudBackend` itself: its constructor adds a validation that runs
 * `terraform version` in a child process (`ValidateTerraformVersion(">=1.1")`)
 * every time a stack is validated, that is once per stack. At 1,000 accounts x
 * 3 Regions that is 3,001 processes, which made synthesis with the cloud
 * backend 5 to 8 times slower than with the local one, and fails outright on a
 * machine without Terraform. cdktf has no switch for that one check short of
 * `skipValidation`, which would drop every other validation too. The check
 * guards nothing here: every stack declares `terraform.required_version`
 * ">= 1.7" (see account-stack.ts), which Terraform enforces itself, at plan
 * time, on the machine that actually runs it.
 *
 * The JSON (`terraform.cloud`) and the manifest metadata (`backend: "cloud"`,
 * `cloud: "tfc" | "tfe"`, which cdktf-cli reads) are byte-identical to
 * CloudBackend's; __tests__/constructs/terraform-cloud-block.test.ts compares
 * the two.
 */
import { getHostNameType, TerraformBackend, type TerraformRemoteState } from "cdktf";
import type { Construct } from "constructs";

export interface TerraformCloudBlockProps {
  /** Terraform Cloud organization that holds the workspace. */
  readonly organization: string;
  /** Workspace name (`cloud.workspaces.name`). */
  readonly workspaceName: string;
  /** Project the workspace is created in on first use. @default - the organization's default project */
  readonly project?: string;
  /** Terraform Cloud or Enterprise host. @default - Terraform's default, app.terraform.io */
  readonly hostname?: string;
}

export class TerraformCloudBlock extends TerraformBackend {
  constructor(
    scope: Construct,
    private readonly props: TerraformCloudBlockProps,
  ) {
    // The same construct id and backend name as CloudBackend: the id is part
    // of the stack's construct tree, the name goes into the manifest.
    super(scope, "backend", "cloud");
  }

  /** The block's attributes, keys in CloudBackend's order (organization, hostname, workspaces). */
  private attributes(): Record<string, unknown> {
    if (Object.keys(this.rawOverrides).length > 0) {
      // CloudBackend deep-merges overrides; nothing here sets any, and a
      // silent partial merge would be worse than refusing.
      throw new Error(`${this.node.path}: overrides of the cloud block are not supported`);
    }
    return {
      organization: this.props.organization,
      hostname: this.props.hostname,
      workspaces: { name: this.props.workspaceName, project: this.props.project },
    };
  }

  public override toTerraform(): Record<string, unknown> {
    return { terraform: { cloud: this.attributes() } };
  }

  public override toHclTerraform(): Record<string, unknown> {
    const { organization, hostname } = this.props;
    return {
      terraform: {
        cloud: {
          organization,
          hostname,
          workspaces: {
            // cdktf's NamedCloudWorkspace leaves `project` out of its HCL form
            // (cdktf 0.21), so `cdktf synth --hcl` would put the workspace in
            // the default project while the JSON puts it in the registry's:
            // written here as the JSON form writes it.
            // @see https://developer.hashicorp.com/terraform/cli/cloud/settings#workspaces
            value: {
              name: { value: this.props.workspaceName, type: "simple", storageClassType: "string" },
              ...(this.props.project === undefined
                ? {}
                : { project: { value: this.props.project, type: "simple", storageClassType: "string" } }),
            },
            isBlock: true,
            type: "map",
            storageClassType: "stringmap",
          },
        },
      },
    };
  }

  public override toMetadata(): Record<string, unknown> {
    return { ...super.toMetadata(), cloud: getHostNameType(this.props.hostname) };
  }

  /** Stacks of this project never read each other's state (no cross-stack references). */
  public getRemoteStateDataSource(): TerraformRemoteState {
    throw new Error(`${this.node.path}: stacks of this app never read another stack's state`);
  }
}
