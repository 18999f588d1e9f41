/**
 * Checks that several constructs make on their props, written once. Values
 * only known at apply time (cdktf tokens) are never judged.
 */
import { Token } from "cdktf";
import type { IConstruct } from "constructs";
import { ACCOUNT_ID, LOG_RETENTION_DAYS, NAME_PREFIX } from "../options/values";

/** The problem with `days` as the retention of a log group, if any, naming `prop`. */
export function logRetentionProblem(prop: string, days: number): string | undefined {
  if (Token.isUnresolved(days) || (LOG_RETENTION_DAYS as readonly number[]).includes(days)) return undefined;
  return `${prop}: ${LOG_RETENTION_MESSAGE}, got ${days}`;
}

/** Whether `value` is a 12-digit account id (or a token, judged at apply time). */
export function isAccountIdOrToken(value: string): boolean {
  return Token.isUnresolved(value) || ACCOUNT_ID.test(value);
}

/** The problem with a name prefix, if any: every physical name starts with it. */
export function namePrefixProblem(prefix: string | undefined): string | undefined {
  if (prefix === undefined || NAME_PREFIX.test(prefix)) return undefined;
  return `namePrefix: expected 3-20 lowercase letters, digits and -, starting with a letter and ending with a letter or digit, got ${JSON.stringify(prefix)}`;
}

/**
 * Throws one error that lists every problem a construct found in its props,
 * one line each, prefixed with the construct's kind and path, so a caller
 * fixes them all in one pass (nothing is thrown when there are none).
 */
export function throwIfProblems(kind: string, scope: IConstruct, problems: readonly string[]): void {
  if (problems.length > 0) throw new Error(problems.map((p) => `${kind} ${scope.node.path}: ${p}`).join("\n"));
}

/**
 * A rule a construct enforces on its props, named so that the registry, which
 * runs the same rule on the settings it maps onto the props, reports the same
 * message (with its file and YAML path), and a test can prove the two agree.
 */
export interface SettingProblem<Rule extends string = string> {
  readonly rule: Rule;
  /** Path of the offending prop, from the construct's props, e.g. `["archive", "transitions", 1, "days"]`. */
  readonly path: readonly (string | number)[];
  /** What is wrong and what is allowed, without the path and the value. */
  readonly message: string;
  /** The offending value, quoted after the message; absent when quoting it would not help. */
  readonly value?: unknown;
}

/** `archive.transitions[1].days: <message>, got 20`: one line of a construct's error. */
export function formatSettingProblem(problem: SettingProblem): string {
  const path = problem.path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
  const got = problem.value === undefined ? "" : `, got ${JSON.stringify(problem.value)}`;
  return `${path}: ${problem.message}${got}`;
}

/**
 * The message of an integer range, the same for a prop and for a registry
 * field (the registry's schema builds its range messages with it).
 */
export function integerRangeMessage(what: string, min: number, max: number): string {
  return `expected ${what}: an integer from ${min} to ${max}`;
}

/** Whether `value` (a number or a token, judged at apply time) is an integer within [min, max]. */
export function isIntegerInRangeOrToken(value: number, min: number, max: number): boolean {
  return Token.isUnresolved(value) || (Number.isInteger(value) && value >= min && value <= max);
}

/** An integer range a construct owns: what the value is, and its bounds. */
export interface IntegerRange {
  readonly what: string;
  readonly min: number;
  readonly max: number;
}

/** The problem of `value` outside `range` (none for a token or undefined), with the registry's message. */
export function rangeProblem<Rule extends string>(
  rule: Rule,
  path: readonly (string | number)[],
  value: number | undefined,
  range: IntegerRange,
): SettingProblem<Rule>[] {
  if (value === undefined || isIntegerInRangeOrToken(value, range.min, range.max)) return [];
  return [{ rule, path, message: integerRangeMessage(range.what, range.min, range.max), value }];
}

/**
 * An integer bound a construct owns on one of its props: the rule's id, the
 * prop's path (`"*"` for every element of a list) and the range. The
 * registry's schema builds the field that maps onto the prop from the same
 * range, so both refuse the same values with the same message.
 */
export interface RangeRule<Rule extends string = string> {
  readonly rule: Rule;
  readonly path: readonly string[];
  readonly range: IntegerRange;
}

/** The values at `path` in `props`, with their concrete paths (`"*"` walks a list). */
function valuesAt(
  value: unknown,
  path: readonly string[],
  at: (string | number)[] = [],
): [unknown, (string | number)[]][] {
  if (path.length === 0) return [[value, at]];
  if (value === null || typeof value !== "object") return [];
  const [head, ...rest] = path;
  if (head === "*") {
    return Array.isArray(value) ? value.flatMap((item, i) => valuesAt(item, rest, [...at, i])) : [];
  }
  return valuesAt((value as Record<string, unknown>)[head!], rest, [...at, head!]);
}

/** The problems of `props` against `rules` (a prop left out, or a token, is never judged). */
export function rangeRuleProblems<Rule extends string>(
  rules: readonly RangeRule<Rule>[],
  props: unknown,
): SettingProblem<Rule>[] {
  return rules.flatMap(({ rule, path, range }) =>
    valuesAt(props, path).flatMap(([value, at]) =>
      typeof value === "number" || value === undefined
        ? rangeProblem(rule, at, value, range)
        : [{ rule, path: at, message: integerRangeMessage(range.what, range.min, range.max), value }],
    ),
  );
}

/** The message of a CloudWatch Logs retention, the same for a prop and for a registry field. */
export const LOG_RETENTION_MESSAGE = `expected a CloudWatch Logs retention period: one of ${LOG_RETENTION_DAYS.join(", ")}`;

/** A prop that holds a CloudWatch Logs retention (one of LOG_RETENTION_DAYS): its rule's id and path. */
export interface LogRetentionRule<Rule extends string = string> {
  readonly rule: Rule;
  readonly path: readonly string[];
}

/** The problems of `props` against `rules` (a prop left out, or a token, is never judged). */
export function logRetentionRuleProblems<Rule extends string>(
  rules: readonly LogRetentionRule<Rule>[],
  props: unknown,
): SettingProblem<Rule>[] {
  return rules.flatMap(({ rule, path }) =>
    valuesAt(props, path).flatMap(([value, at]) =>
      value === undefined ||
      (typeof value === "number" &&
        (Token.isUnresolved(value) || (LOG_RETENTION_DAYS as readonly number[]).includes(value)))
        ? []
        : [{ rule, path: at, message: LOG_RETENTION_MESSAGE, value }],
    ),
  );
}
