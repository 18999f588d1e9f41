/**
 * The registries every AWS-rule and policy check runs over: the sample
 * registry (what `npx cdktf synth` ships) and the option registries under
 * accounts/examples/, which together switch every registry option on and off.
 * Each is synthesised once per test file with the real App.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { loadRegistry } from "../../modules/registry/load";
import { synthRegistry, type TfJson } from "./synth";

export const SAMPLE_REGISTRY = "accounts/registry.yaml";
export const EXAMPLES_DIR = "accounts/examples";

/** Registry files of the corpus: the sample first, then the examples by name. */
export function corpusFiles(): string[] {
  const examples = readdirSync(EXAMPLES_DIR)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(EXAMPLES_DIR, name));
  return [SAMPLE_REGISTRY, "accounts/minimal.yaml", ...examples];
}

export interface CorpusStack {
  /** Registry file the stack comes from. */
  readonly registry: string;
  readonly stack: string;
  readonly json: TfJson;
  /** Raw text of the stack's cdk.tf.json. */
  readonly text: string;
}

let cached: CorpusStack[] | undefined;

/** Every stack of every corpus registry, synthesised once per test file. */
export function corpusStacks(): CorpusStack[] {
  if (cached) return cached;
  cached = corpusFiles().flatMap((registry) => {
    const { stacks, text } = synthRegistry(loadRegistry(registry));
    return Object.keys(stacks)
      .sort()
      .map((stack) => ({ registry, stack, json: stacks[stack]!, text: text[stack]! }));
  });
  return cached;
}

/** `<registry> <stack>`, for test names. */
export function label(s: CorpusStack): string {
  return `${s.registry} ${s.stack}`;
}
