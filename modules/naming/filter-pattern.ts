/**
 * What CloudWatch Logs refuses in a filter pattern, checked before a plan:
 * PutSubscriptionFilter and PutAccountPolicy reject a malformed pattern only
 * at apply, one account and Region at a time, after the rest of the stack
 * has been created.
 *
 * Only what AWS documents is checked; a pattern that passes may still be
 * refused for a reason AWS does not document.
 * - At most 1,024 characters (PutSubscriptionFilter's `filterPattern`).
 * - A regular expression is written between `%` signs and may hold only
 *   letters, digits, the symbols `: _ # = @ / ; , -` and the operators
 *   `^ $ ? [ ] { } | \ * + .`; no parentheses (`()` is not supported), no
 *   multi-byte characters.
 * - A JSON (`{ ... }`) or space-delimited (`[ ... ]`) pattern holds at most
 *   two regular expressions.
 * - Terms holding other characters than letters, digits and `_` are quoted,
 *   so a `%` outside quotes always opens or closes a regular expression.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/regex-expressions.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutSubscriptionFilter.html
 */

/** Longest filter pattern of a subscription filter or subscription filter policy. */
export const FILTER_PATTERN_MAX_LENGTH = 1024;

/** Regular expressions a JSON or space-delimited pattern may hold. */
export const REGEX_PER_STRUCTURED_PATTERN = 2;

/** Every character a filter pattern's regular expression may hold. */
const REGEX_CHARACTERS = /^[A-Za-z0-9:_#=@/;,\-^$?[\]{}|\\*+.]*$/;

/** What is wrong with a filter pattern, or undefined when nothing AWS documents is. */
export function filterPatternProblem(pattern: string): string | undefined {
  if (pattern.length > FILTER_PATTERN_MAX_LENGTH) {
    return `expected a filter pattern of at most ${FILTER_PATTERN_MAX_LENGTH} characters, got ${pattern.length}`;
  }
  const scanned = scan(pattern);
  if (typeof scanned === "string") return scanned;
  for (const regex of scanned.regexes) {
    const problem = regexProblem(regex);
    if (problem) return problem;
  }
  const trimmed = pattern.trim();
  const structured = trimmed.startsWith("{") ? "JSON" : trimmed.startsWith("[") ? "space-delimited" : undefined;
  if (structured !== undefined && scanned.regexes.length > REGEX_PER_STRUCTURED_PATTERN) {
    return `expected at most ${REGEX_PER_STRUCTURED_PATTERN} regular expressions (%...%) in a ${structured} filter pattern, got ${scanned.regexes.length}`;
  }
  if (structured === "JSON" && !trimmed.endsWith("}")) return "expected a JSON filter pattern to end with }";
  if (structured === "space-delimited" && !trimmed.endsWith("]")) {
    return "expected a space-delimited filter pattern to end with ]";
  }
  return scanned.unbalanced;
}

interface Scanned {
  readonly regexes: readonly string[];
  /** The first bracket that does not close, when one does not. */
  readonly unbalanced?: string;
}

/**
 * Splits a pattern into its quoted strings, regular expressions and the rest,
 * and checks that brackets outside both close in order.
 */
function scan(pattern: string): Scanned | string {
  const regexes: string[] = [];
  const open: string[] = [];
  let unbalanced: string | undefined;
  const closer: Record<string, string> = { "{": "}", "[": "]", "(": ")" };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '"') {
      const end = closingQuote(pattern, i + 1);
      if (end === -1) return `expected the quoted term starting at character ${i + 1} to end with "`;
      i = end;
    } else if (c === "%") {
      const end = pattern.indexOf("%", i + 1);
      if (end === -1) return `expected the regular expression starting at character ${i + 1} to end with %`;
      regexes.push(pattern.slice(i + 1, end));
      i = end;
    } else if (c === "{" || c === "[" || c === "(") {
      open.push(c);
    } else if (c === "}" || c === "]" || c === ")") {
      const innermost = open.pop();
      if (innermost === undefined) unbalanced ??= `expected nothing to close at character ${i + 1}, got ${c}`;
      else if (closer[innermost] !== c)
        unbalanced ??= `expected ${closer[innermost]} before the ${c} at character ${i + 1}`;
    }
  }
  if (open.length > 0) unbalanced ??= `expected a closing ${closer[open[open.length - 1]!]}`;
  return { regexes, unbalanced };
}

/** Index of the `"` closing a quoted term that starts at `from`; `\"` does not close it. */
function closingQuote(pattern: string, from: number): number {
  for (let i = from; i < pattern.length; i++) {
    if (pattern[i] === "\\") i++;
    else if (pattern[i] === '"') return i;
  }
  return -1;
}

function regexProblem(regex: string): string | undefined {
  if (regex.length === 0) return "expected a regular expression between the % signs, got an empty one";
  if (/[()]/.test(regex)) {
    return `expected a regular expression without parentheses: CloudWatch Logs does not support () in %${regex}%`;
  }
  if (!REGEX_CHARACTERS.test(regex)) {
    const bad = [...regex].find((c) => !REGEX_CHARACTERS.test(c))!;
    const what = bad.codePointAt(0)! > 0x7f ? "multi-byte characters" : `"${bad}"`;
    return `expected a regular expression of letters, digits, : _ # = @ / ; , - and the operators ^ $ ? [ ] { } | \\ * + . only, got ${what} in %${regex}%`;
  }
  return undefined;
}
