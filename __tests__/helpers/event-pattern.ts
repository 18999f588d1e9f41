/**
 * EventBridge's matching of an event against an event pattern, for the subset
 * of pattern syntax the stacks use: exact values, `prefix`, `suffix`,
 * `anything-but` (a value or a list of values), `exists` and `$or`. Any other
 * operator throws, so that a pattern using one is not silently judged.
 *
 * - Every field the pattern names must be in the event, nested the same way;
 *   fields of the event the pattern does not name are ignored. The one
 *   exception is `{ "exists": false }`, which matches a field that is absent
 *   (a missing parent included) or that is not a leaf.
 * - A pattern's leaf is an array of alternatives: the event's value must
 *   match one of them (if the event's value is an array, one of its elements).
 * - Matching is exact, character by character and case-sensitive.
 * - `{ "prefix": "x" }` / `{ "suffix": "x" }` match a string value that starts
 *   / ends with "x".
 * - `{ "anything-but": v }` and `{ "anything-but": [v, ...] }` match a present
 *   leaf value that is none of them; never an absent field.
 * - `{ "exists": true }` matches a present leaf value.
 * - `"$or": [p1, p2, ...]` in an object matches when the object matches one
 *   of the sub-patterns; the object's other fields must match as well.
 * - A nested pattern against an array of objects matches when one element
 *   matches it.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
export function matchesPattern(event: unknown, pattern: Record<string, unknown>): boolean {
  if (typeof event !== "object" || event === null || Array.isArray(event)) return false;
  return matchesObject(event as Record<string, unknown>, pattern);
}

function matchesObject(fields: Record<string, unknown>, pattern: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([name, expected]) => {
    if (name === "$or") {
      if (!Array.isArray(expected) || expected.length < 2) {
        throw new Error("event pattern: $or must be an array of at least two patterns");
      }
      return expected.some((alternative) => matchesObject(fields, alternative as Record<string, unknown>));
    }
    const value = fields[name];
    if (Array.isArray(expected)) return matchesLeafList(value, name in fields, expected);
    if (typeof expected === "object" && expected !== null) {
      return matchesNested(value, expected as Record<string, unknown>);
    }
    throw new Error(`event pattern: ${name} must be an array of values or a nested pattern`);
  });
}

/** A nested pattern against a field: an object, an array of objects, or nothing (only `exists: false` can hold). */
function matchesNested(value: unknown, pattern: Record<string, unknown>): boolean {
  if (Array.isArray(value)) return value.some((element) => matchesNested(element, pattern));
  if (typeof value === "object" && value !== null) return matchesObject(value as Record<string, unknown>, pattern);
  return matchesObject({}, pattern);
}

function isLeaf(value: unknown): boolean {
  return value === null || typeof value !== "object";
}

function matchesLeafList(value: unknown, present: boolean, alternatives: readonly unknown[]): boolean {
  return alternatives.some((alternative) => {
    const operator = operatorOf(alternative);
    if (operator?.name === "exists") {
      const leafPresent = present && (isLeaf(value) || (Array.isArray(value) && value.every(isLeaf)));
      return operator.argument === true ? leafPresent : !leafPresent;
    }
    if (!present) return false;
    const values = Array.isArray(value) ? value : [value];
    return values.some((v) => isLeaf(v) && matchesLeaf(v, alternative, operator));
  });
}

interface Operator {
  readonly name: string;
  readonly argument: unknown;
}

const MODELLED = new Set(["prefix", "suffix", "anything-but", "exists"]);

function operatorOf(alternative: unknown): Operator | undefined {
  if (alternative === null || typeof alternative !== "object") return undefined;
  const keys = Object.keys(alternative);
  const name = keys[0];
  if (keys.length !== 1 || name === undefined || !MODELLED.has(name)) {
    throw new Error(`event pattern: operator ${JSON.stringify(alternative)} is not modelled`);
  }
  const argument = (alternative as Record<string, unknown>)[name];
  const valid =
    name === "exists"
      ? typeof argument === "boolean"
      : name === "anything-but"
        ? isLeaf(argument) || (Array.isArray(argument) && argument.length > 0 && argument.every(isLeaf))
        : typeof argument === "string";
  if (!valid) throw new Error(`event pattern: operator ${JSON.stringify(alternative)} is not modelled`);
  return { name, argument };
}

function matchesLeaf(value: unknown, alternative: unknown, operator: Operator | undefined): boolean {
  if (operator === undefined) return value === alternative;
  switch (operator.name) {
    case "prefix":
      return typeof value === "string" && value.startsWith(operator.argument as string);
    case "suffix":
      return typeof value === "string" && value.endsWith(operator.argument as string);
    case "anything-but": {
      const excluded = Array.isArray(operator.argument) ? operator.argument : [operator.argument];
      return !excluded.includes(value);
    }
    default:
      throw new Error(`event pattern: operator ${operator.name} is not modelled`);
  }
}
