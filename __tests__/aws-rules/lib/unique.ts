/**
 * Names AWS keeps unique per account (and Region): a second resource with the
 * same name fails at apply (AlreadyExists) or silently overwrites the first.
 * These rules run over account views, so two stacks deploying into the same
 * account are checked together.
 */
import type { TfJson } from "../../helpers/synth";
import { defineRule, type Rule } from "./rule";
import { all, regionOf, unresolved, type Res } from "./tf";

export interface UniqueNameSpec {
  readonly id: string;
  readonly service: string;
  readonly source: string;
  readonly description: string;
  readonly needs: string;
  /** The resource type and the argument holding the name. */
  readonly type: string;
  readonly nameOf: (config: any) => unknown;
  /** Unique per Region (true) or per account (false, e.g. IAM). */
  readonly perRegion: boolean;
  /** Names compared ignoring case (IAM). */
  readonly ignoreCase?: boolean;
}

export function uniqueNameRule(spec: UniqueNameSpec): Rule {
  const keyOf = (stack: TfJson, r: Res): string | undefined => {
    const name = spec.nameOf(r.config);
    if (typeof name !== "string" || unresolved(name)) return undefined;
    const n = spec.ignoreCase ? name.toLowerCase() : name;
    return spec.perRegion ? `${regionOf(stack, r.config)}:${n}` : n;
  };
  return defineRule<string>({
    id: spec.id,
    service: spec.service,
    source: spec.source,
    description: `${spec.description} Checked over every stack of a registry that deploys into the same account.`,
    needs: spec.needs,
    scope: "account",
    targets: (stack) => [...new Set(all(stack, spec.type).flatMap((r) => keyOf(stack, r) ?? []))],
    address: (key) => `${spec.type}[${key}]`,
    violations: (key, stack) => {
      const holders = all(stack, spec.type).filter((r) => keyOf(stack, r) === key);
      return holders.length > 1
        ? [`name "${key}" is used by ${holders.length} resources: ${holders.map((h) => h.address).join(", ")}`]
        : [];
    },
  });
}
