/**
 * Measuring a policy document the way the receiving service counts it.
 *
 * What AWS receives is the attribute as Terraform sends it, with references
 * resolved (applyValue). The provider may also normalise the JSON (Go's
 * encoding/json: compact, and `<`, `>`, `&` escaped as `\u003c`…): the
 * measures below take the larger of the text as written and that normal form,
 * so a size rule never passes a document that one of the two would push over.
 */
import type { TfJson } from "../../helpers/synth";
import { applyValue } from "./tf";

/** Compact JSON with Go's HTML escaping, or undefined when the text is not JSON. */
function goNormalised(text: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text)).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
  } catch {
    return undefined;
  }
}

function forms(stack: TfJson, attribute: string): string[] {
  const sent = applyValue(stack, attribute);
  const normal = goNormalised(sent);
  return normal === undefined ? [sent] : [sent, normal];
}

/** Size in UTF-8 bytes, for services whose quota is in bytes (S3, KMS, SQS, SNS, CloudWatch Logs). */
export function utf8Bytes(stack: TfJson, attribute: string): number {
  return Math.max(...forms(stack, attribute).map((t) => Buffer.byteLength(t, "utf8")));
}

/** Size in characters (code points), for quotas stated in characters. */
export function characters(stack: TfJson, attribute: string): number {
  return Math.max(...forms(stack, attribute).map((t) => [...t].length));
}

/**
 * Size as IAM counts it: characters, white space not counted ("IAM doesn't
 * count white space when calculating the size of a policy against these
 * limits"; GetAccountSummary states the quotas "in non-whitespace characters").
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
export function iamCharacters(stack: TfJson, attribute: string): number {
  return Math.max(...forms(stack, attribute).map((t) => [...t.replace(/\s/g, "")].length));
}

export interface Statement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** The statements of a policy attribute (escapes undone), or undefined when it is not a JSON policy. */
export function statementsOf(attribute: unknown): Statement[] | undefined {
  if (typeof attribute !== "string") return undefined;
  try {
    const doc = JSON.parse(attribute.replace(/\$\$\{/g, "${"));
    return blocksOf(doc?.Statement);
  } catch {
    return undefined;
  }
}

function blocksOf(value: unknown): any[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function list(value: unknown): string[] {
  return blocksOf(value).filter((v): v is string => typeof v === "string");
}

/** Principals of a statement, flattened as `<kind>:<value>` (`*` for the wildcard). */
export function principals(statement: Statement): string[] {
  const p = statement.Principal;
  if (p === undefined) return [];
  if (p === "*") return ["*"];
  return Object.entries(p as Record<string, unknown>).flatMap(([kind, v]) => list(v).map((x) => `${kind}:${x}`));
}

/** IAM action matching: case-insensitive, `*` and `?` wildcards. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
      .join("")}$`,
    "i",
  );
  return re.test(action);
}

/** IAM wildcard match of a resource ARN pattern (`*`, `?`): case-sensitive, unlike actions. */
export function arnMatches(pattern: string, arn: string): boolean {
  const re = pattern
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${re}$`).test(arn);
}

export function conditionCount(statement: Statement): number {
  return Object.values(statement.Condition ?? {}).reduce((n, byKey) => n + Object.keys(byKey).length, 0);
}
