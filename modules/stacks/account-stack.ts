/**
 * Base of every stack: one AWS account and Region, its provider (assuming the
 * deployment role unless credentials are ambient), default tags, a guard
 * against applying to the wrong account, and the state backend.
 */
import { partitionOf } from "../naming/partition";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { Registry } from "../registry/parse";
import { iamRoleArn } from "../naming/names";
import { ACKNOWLEDGEMENTS_OUTPUT, PROJECT_TAGS } from "../options/values";
import { acknowledgementsFor } from "../registry/settings";
import { addBackend } from "./backend";

export interface AccountStackProps {
  /** The validated registry. */
  readonly registry: Registry;
  /** Account the stack deploys into. */
  readonly accountId: string;
  /** Region of the stack's default provider. */
  readonly region: string;
  /**
   * How the providers get credentials for this account.
   * @default - deployment.credentials and deployment.roleName of the registry
   */
  readonly credentials?: StackCredentials;
  /**
   * Where the stack keeps its state.
   * @default - deployment.backend of the registry
   */
  readonly backend?: Registry["deployment"]["backend"];
}

/** Assume a named role in the stack's account, or use the environment's credentials. */
export type StackCredentials =
  { readonly mode: "assumeRole"; readonly roleName: string } | { readonly mode: "ambient" };

export class AccountStack extends TerraformStack {
  /** The default provider, in `region`. */
  readonly provider: AwsProvider;
  protected readonly registry: Registry;
  readonly accountId: string;
  readonly region: string;
  readonly credentials: StackCredentials;

  constructor(scope: Construct, stackName: string, props: AccountStackProps) {
    super(scope, stackName);
    this.registry = props.registry;
    const { deployment } = props.registry;
    this.credentials =
      props.credentials ??
      (deployment.credentials === "assumeRole"
        ? { mode: "assumeRole", roleName: deployment.roleName }
        : { mode: "ambient" });
    this.accountId = props.accountId;
    this.region = props.region;
    this.provider = this.addProvider("aws", props.region);
    addBackend(this, stackName, props.backend ?? props.registry.deployment.backend);
    // A plan on an older Terraform must stop, not skip what it does not know:
    // removed blocks need 1.7, the S3 backend's native lock file 1.10.
    this.addOverride(
      "terraform.required_version",
      props.registry.deployment.backend.type === "s3" ? ">= 1.10" : ">= 1.7",
    );
    // What the registry acknowledges for this stack: the plan gate reads it
    // from the plan (planned_values.outputs) before it lets a plan through.
    new TerraformOutput(this, ACKNOWLEDGEMENTS_OUTPUT, {
      value: acknowledgementsFor(props.registry, stackName),
      description: "Changes the registry's migrations acknowledge for this stack (read by security/plan-gate)",
    });
  }

  /**
   * An AWS provider for this stack's account in `region`. `id` "aws" is the
   * default provider; any other id becomes a provider alias.
   */
  protected addProvider(id: string, region: string): AwsProvider {
    const { deployment } = this.registry;
    return new AwsProvider(this, id, {
      alias: id === "aws" ? undefined : id,
      region,
      // Refuses to plan against any other account, whatever the credentials.
      allowedAccountIds: [this.accountId],
      assumeRole:
        this.credentials.mode === "assumeRole"
          ? [
              {
                roleArn: iamRoleArn(this.accountId, this.credentials.roleName, partitionOf(region)),
                sessionName: "cwl-log-archive",
              },
            ]
          : undefined,
      defaultTags: [{ tags: { ...PROJECT_TAGS, ...deployment.defaultTags } }],
    });
  }
}
