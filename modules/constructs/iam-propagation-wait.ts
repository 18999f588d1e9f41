/**
 * An explicit wait for IAM to propagate a new or changed role before a
 * resource that the provider does not retry on IAM errors uses it. IAM is
 * eventually consistent: a role "might not be immediately visible" to other
 * services. The AWS provider retries PutSubscriptionFilter while the test
 * message cannot be delivered, but not PutAccountPolicy, which then fails the
 * first apply.
 *
 * Built on `terraform_data` (built into Terraform >= 1.4) with a local-exec
 * `sleep`: no provider binary to download on Terraform Cloud or Atlantis
 * runners, only a POSIX shell. It runs when created and again whenever its
 * triggers (the role and its policy) change, never on a plan without changes.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency
 * @see https://developer.hashicorp.com/terraform/language/resources/terraform-data
 */
import {
  anyToTerraform,
  hashMapper,
  TerraformResource,
  type ITerraformDependable,
  type LocalExecProvisioner,
} from "cdktf";
import { Construct } from "constructs";

/**
 * Terraform's built-in `terraform_data` resource, as cdktf's `DataResource`
 * writes it, without that class's per-resource `terraform version` check:
 * cdktf runs `terraform version` in a child process for every instance at
 * synthesis (about 35 ms each, eight times the cost of the rest of a source
 * stack, so minutes at thousands of stacks). The stacks already need
 * Terraform 1.10 for their S3 backend's native locking, above the 1.4 that
 * `terraform_data` needs.
 */
export class TerraformData extends TerraformResource {
  static readonly tfResourceType = "terraform_data";
  private readonly triggers: Record<string, string>;
  private readonly input?: string;

  constructor(
    scope: Construct,
    id: string,
    config: {
      readonly triggersReplace: Record<string, string>;
      readonly dependsOn: ITerraformDependable[];
      readonly provisioners: LocalExecProvisioner[];
      /** Stored in the state: what a destroy-time provisioner reads as `self.input`. */
      readonly input?: string;
    },
  ) {
    super(scope, id, {
      terraformResourceType: TerraformData.tfResourceType,
      terraformGeneratorMetadata: { providerName: "terraform" },
      dependsOn: config.dependsOn,
      provisioners: config.provisioners,
    });
    this.triggers = config.triggersReplace;
    this.input = config.input;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { input: this.input, triggers_replace: hashMapper(anyToTerraform)(this.triggers) };
  }
}

export interface IamPropagationWaitProps {
  /** Seconds to wait; 0 creates no wait at all. */
  readonly seconds: number;
  /** The IAM resources to wait for: the wait starts once they exist. */
  readonly after: ITerraformDependable[];
  /** Values whose change means IAM must propagate again (a role ARN, a policy document). */
  readonly triggers: Record<string, string>;
}

export class IamPropagationWait extends Construct {
  /** What dependants wait on: the wait itself, or with 0 seconds the IAM resources. */
  readonly dependables: ITerraformDependable[];
  readonly resource?: TerraformData;

  constructor(scope: Construct, id: string, props: IamPropagationWaitProps) {
    super(scope, id);
    // POSIX `sleep` takes a non-negative decimal integer; anything else would
    // fail the apply on the runner, after the role exists.
    // @see https://pubs.opengroup.org/onlinepubs/9699919799/utilities/sleep.html
    if (!Number.isInteger(props.seconds) || props.seconds < 0) {
      throw new Error(
        `IamPropagationWait ${this.node.path}: seconds: expected a whole number of seconds of at least 0 (0 turns the wait off), got ${props.seconds}`,
      );
    }
    if (props.seconds === 0) {
      this.dependables = props.after;
      return;
    }
    this.resource = new TerraformData(this, "Wait", {
      triggersReplace: props.triggers,
      dependsOn: props.after,
      provisioners: [{ type: "local-exec", command: `sleep ${props.seconds}` }],
    });
    this.dependables = [this.resource];
  }
}
