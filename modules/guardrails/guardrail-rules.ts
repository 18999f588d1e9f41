/**
 * The rules OrganizationGuardrails enforces on its props that the registry
 * enforces too, written once: the construct refuses props that break them,
 * and the registry runs the same function (or builds its schema from the same
 * bound), so both report the same message. `__tests__/registry/parity.test.ts`
 * proves it for every id in ORGANIZATION_GUARDRAILS_RULE_IDS.
 */
import { rangeProblem, type SettingProblem } from "../constructs/validation";
import { MAX_POLICIES_PER_TARGET } from "../options/guardrails";

export const ORGANIZATION_GUARDRAILS_RULE_IDS = ["guardrails-targets", "max-policies-per-target"] as const;

export type OrganizationGuardrailsRule = (typeof ORGANIZATION_GUARDRAILS_RULE_IDS)[number];
export type OrganizationGuardrailsProblem = SettingProblem<OrganizationGuardrailsRule>;

/** Problems of the guardrails' targets and policy budget (paths from OrganizationGuardrailsProps). */
export function guardrailRuleProblems(props: {
  readonly targetIds: readonly string[];
  readonly maxPoliciesPerTarget?: number;
}): OrganizationGuardrailsProblem[] {
  return [
    ...(props.targetIds.length === 0
      ? [
          {
            rule: "guardrails-targets" as const,
            path: ["targetIds"],
            message: "expected at least one root or OU id: the service control policies are attached to them",
          },
        ]
      : []),
    ...rangeProblem<OrganizationGuardrailsRule>(
      "max-policies-per-target",
      ["maxPoliciesPerTarget"],
      props.maxPoliciesPerTarget,
      MAX_POLICIES_PER_TARGET,
    ),
  ];
}
