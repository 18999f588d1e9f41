/**
 * EventBridge's matching of an event against an event pattern, for the subset
 * of pattern syntax the stacks use: exact values and `prefix`. Any other
 * operator throws, so that a pattern using one is not silently judged.
 *
 * - Every field the pattern names must be in the event, nested the same way;
 *   fields of the event the pattern does not name are ignored.
 * - A pattern's leaf is an array of alternatives: the event's value must
 *   match one of them (if the event's value is an array, one of its elements).
 * - Matching is exact, character by character and case-sensitive.
 * - `{ "prefix": "x" }` matches a string value that starts with "x".
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 */
export function matchesPattern(event: unknown, pattern: Record<string, unknown>): boolean {
  if (typeof event !== "object" || event === null || Array.isArray(event)) return false;
  const fields = event as Record<string, unknown>;
  return Object.entries(pattern).every(([name, expected]) => {
    if (!(name in fields)) return false;
    const value = fields[name];
    if (Array.isArray(expected)) {
      const values = Array.isArray(value) ? value : [value];
      return values.some((v) => expected.some((alternative) => matchesLeaf(v, alternative)));
    }
    if (typeof expected === "object" && expected !== null)
      return matchesPattern(value, expected as Record<string, unknown>);
    throw new Error(`event pattern: ${name} must be an array of values or a nested pattern`);
  });
}

function matchesLeaf(value: unknown, alternative: unknown): boolean {
  if (alternative === null || typeof alternative !== "object") return value === alternative;
  const operator = alternative as Record<string, unknown>;
  const keys = Object.keys(operator);
  if (keys.length === 1 && typeof operator.prefix === "string") {
    return typeof value === "string" && value.startsWith(operator.prefix);
  }
  throw new Error(`event pattern: operator ${JSON.stringify(alternative)} is not modelled`);
}
