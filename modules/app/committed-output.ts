/**
 * The committed-output Atlantis mode keeps the synthesised stacks in the
 * repository. This compares a committed `stacks/` folder with a fresh
 * synthesis: CI fails on any stack that is missing, left over or different,
 * so what Atlantis plans is always exactly what the code produces.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface OutputDifference {
  /** Stacks the synthesis produces that are not committed. */
  readonly missing: string[];
  /** Committed stacks the synthesis no longer produces. */
  readonly extra: string[];
  /** Stacks whose committed cdk.tf.json differs from the synthesis. */
  readonly changed: string[];
}

function stacksIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((name) => existsSync(join(dir, name, "cdk.tf.json"))) : [];
}

/** Differences between the committed `stacks/` folder and a fresh synthesis's. */
export function compareStacks(committedStacksDir: string, freshStacksDir: string): OutputDifference {
  const committed = new Set(stacksIn(committedStacksDir));
  const fresh = new Set(stacksIn(freshStacksDir));
  const read = (dir: string, stack: string) => readFileSync(join(dir, stack, "cdk.tf.json"), "utf8");
  return {
    missing: [...fresh].filter((s) => !committed.has(s)).sort(),
    extra: [...committed].filter((s) => !fresh.has(s)).sort(),
    changed: [...fresh]
      .filter((s) => committed.has(s) && read(committedStacksDir, s) !== read(freshStacksDir, s))
      .sort(),
  };
}

/** One line per problem, or none when the committed output is current. */
export function describeDifference(d: OutputDifference): string[] {
  return [
    ...d.missing.map((s) => `${s}: synthesised but not committed`),
    ...d.extra.map((s) => `${s}: committed but no longer synthesised (remove it)`),
    ...d.changed.map((s) => `${s}: committed cdk.tf.json differs from npx cdktf synth`),
  ];
}
