/**
 * Base of every stack: one AWS account and Region, its provider (assuming the
 * deployment role unless credentials are ambient), default tags, a guard
 * against applying to the wrong account, and the state backend.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { Registry } from "../registry/parse";
import { addBackend } from "./backend";

export interface AccountStackProps {
  /** The validated registry. */
  readonly registry: Registry;
  /** Account the stack deploys into. */
  readonly accountId: string;
  /** Region of the stack's default provider. */
  readonly region: string;
}

export class AccountStack extends TerraformStack {
  /** The default provider, in `region`. */
  readonly provider: AwsProvider;
  protected readonly registry: Registry;
  readonly accountId: string;
  readonly region: string;

  constructor(scope: Construct, stackName: string, props: AccountStackProps) {
    super(scope, stackName);
    this.registry = props.registry;
    this.accountId = props.accountId;
    this.region = props.region;
    this.provider = this.addProvider("aws", props.region);
    addBackend(this, stackName, props.registry.deployment.backend);
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
        deployment.credentials === "assumeRole"
          ? [
              {
                roleArn: `arn:aws:iam::${this.accountId}:role/${deployment.roleName}`,
                sessionName: "cwl-log-archive",
              },
            ]
          : undefined,
      defaultTags: [{ tags: { ...deployment.defaultTags } }],
    });
  }
}
