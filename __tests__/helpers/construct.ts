/**
 * Synthesises one construct alone, in a bare stack with one AWS provider and
 * no registry, and returns the stack's Terraform JSON: a construct test reads
 * what that construct itself produces from its own props.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformResource, TerraformStack, Testing } from "cdktf";
import type { TfJson } from "./synth";

/** Region of the bare stack's provider. */
export const STACK_REGION = "eu-west-1";

/** The parsed stack of `build`, which adds the construct under test to the stack. */
export function synthConstruct(build: (stack: TerraformStack) => unknown): TfJson {
  const app = new App({ stackTraces: false });
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: STACK_REGION });
  build(stack);
  const tf = JSON.parse(Testing.synth(stack)) as TfJson;
  tf.resource ??= {};
  // Testing.synth drops the "//" metadata. Each resource gets its construct
  // path back, so that `resource(tf, type, "Key/Alias")` of helpers/synth.ts
  // finds it by path, as the stack tests do, and never by a hashed name.
  for (const element of stack.node.findAll()) {
    if (!(element instanceof TerraformResource)) continue;
    const entry = tf.resource[element.terraformResourceType]?.[stack.getLogicalId(element)];
    if (entry) entry["//"] = { metadata: { path: element.node.path } };
  }
  return tf;
}

/** The address of the only resource of `type` at `*pathSuffix`, as `depends_on` names it: `type.name`. */
export function addressOf(tf: TfJson, type: string, pathSuffix: string): string {
  const matches = Object.entries(tf.resource[type] ?? {}).filter(([, r]) => r["//"].metadata.path.endsWith(pathSuffix));
  if (matches.length !== 1) throw new Error(`expected one ${type} at *${pathSuffix}, found ${matches.length}`);
  return `${type}.${matches[0]![0]}`;
}

/** Terraform's reference to an attribute of the only resource of `type` at `*pathSuffix`: `${type.name.attribute}`. */
export function ref(tf: TfJson, type: string, pathSuffix: string, attribute: string): string {
  return `\${${addressOf(tf, type, pathSuffix)}.${attribute}}`;
}

/** The lines of the error that `build` throws, or a failure if it throws none. */
export function errorsOf(build: (stack: TerraformStack) => unknown): string[] {
  try {
    synthConstruct(build);
  } catch (error) {
    return (error as Error).message.split("\n");
  }
  throw new Error("expected the construct to be rejected");
}
