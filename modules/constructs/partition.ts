/**
 * The default partition of a construct: that of its stack's default AWS
 * provider's Region, so that a construct in a GovCloud or China stack names
 * GovCloud or China ARNs without being told. A construct whose provider's
 * Region is unknown at synth (a token) or absent gets the commercial one; such
 * a construct takes its `partition` prop.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Token } from "cdktf";
import type { IConstruct } from "constructs";
import { DEFAULT_PARTITION, partitionOf, type Partition } from "../naming/partition";

export function partitionOfScope(scope: IConstruct): Partition {
  const stack = TerraformStack.of(scope);
  const provider = stack.node.children.find(
    (child): child is AwsProvider => child instanceof AwsProvider && child.alias === undefined,
  );
  const region = provider?.region;
  return region === undefined || Token.isUnresolved(region) ? DEFAULT_PARTITION : partitionOf(region);
}
