/**
 * Hand-written TfJson fixtures for the rule tests, and the assertions every
 * rule test uses: one compliant and one non-compliant case per rule.
 */
import type { TfJson } from "../../helpers/synth";
import { evaluate, type Rule } from "./rule";
import { runOverCorpus } from "./run";

export const ACCOUNT = "111122223333";
export const REGION = "eu-west-1";

export interface StackOptions {
  readonly region?: string;
  readonly account?: string;
  /** Role the provider assumes, if any. */
  readonly assumeRole?: string;
}

/** A minimal stack: one AWS provider and the given resources (`{ type: { name: config } }`). */
export function stackOf(resource: Record<string, Record<string, any>>, options: StackOptions = {}): TfJson {
  const account = options.account ?? ACCOUNT;
  return {
    terraform: {},
    provider: {
      aws: [
        {
          region: options.region ?? REGION,
          allowed_account_ids: [account],
          ...(options.assumeRole ? { assume_role: [{ role_arn: options.assumeRole }] } : {}),
        },
      ],
    },
    resource,
  };
}

export function expectCompliant(rule: Rule, stack: TfJson): void {
  const result = evaluate(rule, stack);
  expect(result.findings.map((f) => `${f.address}: ${f.message}`)).toEqual([]);
  expect(result.state).toBe("compliant");
}

export function expectNotApplicable(rule: Rule, stack: TfJson): void {
  expect(evaluate(rule, stack).state).toBe("not-applicable");
}

/** The rule fails the stack with at least one finding whose message matches. */
export function expectFinding(rule: Rule, stack: TfJson, message: RegExp): void {
  const result = evaluate(rule, stack);
  expect(result.state).toBe("non-compliant");
  expect(result.findings.map((f) => f.message)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
}

/** One test per rule: it holds on every stack (or account) of the corpus it applies to. */
export function corpusSuite(rules: readonly Rule[]): void {
  describe("over the corpus (examples/registries/sample/registry.yaml, examples/registries/minimal.yaml, examples/registries/*.yaml)", () => {
    test.each(rules.map((r) => [r.id, r] as const))("%s holds wherever it applies", (_, rule) => {
      expect(runOverCorpus(rule).failures).toEqual([]);
    });
  });
}
