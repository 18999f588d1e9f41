/**
 * The committed-output Atlantis mode keeps the synthesised stacks in the
 * repository. This compares a committed `stacks/` folder with a fresh
 * synthesis: CI fails on any stack that is missing, left over or different,
 * and on any policies.json that is not what the synthesis writes, so what
 * Atlantis plans, and what reviewers read, is always exactly what the code
 * produces.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { POLICIES_FILE } from "./policies-file";

export interface OutputDifference {
  /** Stacks the synthesis produces that are not committed. */
  readonly missing: string[];
  /** Committed stacks the synthesis no longer produces. */
  readonly extra: string[];
  /** Stacks whose committed cdk.tf.json differs from the synthesis. */
  readonly changed: string[];
  /** Committed stacks without the policies.json the synthesis writes for them. */
  readonly missingPolicies: string[];
  /** Committed stacks whose policies.json differs from the synthesis's, or that the synthesis no longer writes. */
  readonly changedPolicies: string[];
}

function stacksIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((name) => existsSync(join(dir, name, "cdk.tf.json"))) : [];
}

/** A file of a stack folder, or undefined when there is none. */
function readStackFile(dir: string, stack: string, file: string): string | undefined {
  const path = join(dir, stack, file);
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/** Differences between the committed `stacks/` folder and a fresh synthesis's. */
export function compareStacks(committedStacksDir: string, freshStacksDir: string): OutputDifference {
  const committed = new Set(stacksIn(committedStacksDir));
  const fresh = new Set(stacksIn(freshStacksDir));
  const both = [...fresh].filter((s) => committed.has(s)).sort();
  const differs = (file: string) => (s: string) =>
    readStackFile(committedStacksDir, s, file) !== readStackFile(freshStacksDir, s, file);
  const policiesDiffer = both.filter(differs(POLICIES_FILE));
  const uncommitted = (s: string) => !existsSync(join(committedStacksDir, s, POLICIES_FILE));
  return {
    missing: [...fresh].filter((s) => !committed.has(s)).sort(),
    extra: [...committed].filter((s) => !fresh.has(s)).sort(),
    changed: both.filter(differs("cdk.tf.json")),
    missingPolicies: policiesDiffer.filter(uncommitted),
    changedPolicies: policiesDiffer.filter((s) => !uncommitted(s)),
  };
}

/** One line per problem, or none when the committed output is current. */
export function describeDifference(d: OutputDifference): string[] {
  return [
    ...d.missing.map((s) => `${s}: synthesised but not committed`),
    ...d.extra.map((s) => `${s}: committed but no longer synthesised (remove it)`),
    ...d.changed.map((s) => `${s}: committed cdk.tf.json differs from npx cdktf synth`),
    ...d.missingPolicies.map(
      (s) => `${s}: ${POLICIES_FILE} not committed (npx cdktf synth writes it beside cdk.tf.json)`,
    ),
    ...d.changedPolicies.map((s) => `${s}: committed ${POLICIES_FILE} differs from npx cdktf synth`),
  ];
}
