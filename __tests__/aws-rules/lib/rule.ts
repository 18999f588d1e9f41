/**
 * The shape of an AWS apply-time rule: a constraint that AWS enforces when
 * Terraform calls its API, but that neither cdktf's types nor the Terraform
 * AWS provider's schema checks, written down with the AWS document it comes
 * from. Results are three-state in the cdk-nag sense: a rule that finds no
 * resource it applies to is not applicable; otherwise it is compliant when it
 * returns no finding.
 */
import type { TfJson } from "../../helpers/synth";

export interface Finding {
  /** Resource address, `<type>.<name>` (in an account view the name carries its stack). */
  readonly address: string;
  /** What is wrong, with the offending value and what AWS allows. */
  readonly message: string;
}

/**
 * What a rule runs over. `stack`: one synthesised stack. `account`: every stack
 * of a registry that deploys into one AWS account, merged (see accountViews), for
 * constraints that span stacks, such as names unique per account and Region.
 */
/**
 * What a rule sees: one stack, every stack of one account merged, or every
 * stack of one registry merged (for references across accounts, such as a
 * key of the key-management account read by alias).
 */
export type RuleScope = "stack" | "account" | "registry";

export interface Rule {
  /** Unique id, `<service>-<what>`. */
  readonly id: string;
  readonly service: string;
  /** https URL of the AWS (or HashiCorp) document that states the constraint. */
  readonly source: string;
  /** The constraint, and anything about it the source does not confirm. */
  readonly description: string;
  /** Which registry option makes a stack contain what the rule applies to (for the catalogue's error). */
  readonly needs: string;
  readonly scope: RuleScope;
  /** True when the stack holds at least one resource the rule applies to. */
  applies(stack: TfJson): boolean;
  check(stack: TfJson): Finding[];
}

export type RuleState = "compliant" | "non-compliant" | "not-applicable";

export interface RuleSpec<T> {
  readonly id: string;
  readonly service: string;
  readonly source: string;
  readonly description: string;
  readonly needs: string;
  /** @default "stack" */
  readonly scope?: RuleScope;
  /** Everything in the stack the rule looks at; none means not applicable. */
  readonly targets: (stack: TfJson) => T[];
  /** Address used for a target's findings. */
  readonly address: (target: T) => string;
  /** One message per violation of the target; none when compliant. */
  readonly violations: (target: T, stack: TfJson) => string[];
}

/** Builds a rule from what it applies to and how one target is judged. */
export function defineRule<T>(spec: RuleSpec<T>): Rule {
  return {
    id: spec.id,
    service: spec.service,
    source: spec.source,
    description: spec.description,
    needs: spec.needs,
    scope: spec.scope ?? "stack",
    applies: (stack) => spec.targets(stack).length > 0,
    check: (stack) =>
      spec
        .targets(stack)
        .flatMap((target) =>
          spec.violations(target, stack).map((message) => ({ address: spec.address(target), message })),
        ),
  };
}

export function evaluate(rule: Rule, stack: TfJson): { state: RuleState; findings: Finding[] } {
  if (!rule.applies(stack)) return { state: "not-applicable", findings: [] };
  const findings = rule.check(stack);
  return { state: findings.length === 0 ? "compliant" : "non-compliant", findings };
}
