/**
 * The registry's JSON Schemas, generated from the zod schema the loader uses
 * (one source of truth): one for the registry file, one for an account file
 * (accounts/sources/<accountId>.yaml: an entry of `accounts`). Editors and
 * strict validators read them, so what zod emits is made portable:
 * - a format JSON Schema does not define (zod's `starts_with`) is dropped; the
 *   pattern zod writes beside it says the same;
 * - a pattern with Unicode property escapes (`\p{L}`: tag keys and values)
 *   is dropped, because validators that use their language's plain regular
 *   expressions (Python's `re`) reject it; the loader still checks it;
 * - a union told apart by a constant `type` (the state backend) becomes one
 *   `if`/`then` per form, so a mistake inside one form is reported against
 *   that form alone, not against every form of a `oneOf`.
 * @see https://json-schema.org/draft-07/json-schema-validation#rfc.section.7.3
 */
import { registrySchema, sourceAccount } from "./schema";

const ID_BASE = "https://example.invalid/cwl-log-archive";
/** The formats draft-07 defines. */
const STANDARD_FORMATS = new Set([
  "date-time",
  "date",
  "time",
  "email",
  "idn-email",
  "hostname",
  "idn-hostname",
  "ipv4",
  "ipv6",
  "uri",
  "uri-reference",
  "iri",
  "iri-reference",
  "uri-template",
  "json-pointer",
  "relative-json-pointer",
  "regex",
]);

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The key every form of a union fixes to a constant, when there is one. */
function discriminator(forms: readonly unknown[]): string | undefined {
  const [first] = forms;
  if (!isNode(first) || !isNode(first.properties)) return undefined;
  return Object.keys(first.properties).find((key) =>
    forms.every((f) => isNode(f) && isNode(f.properties) && isNode(f.properties[key]) && "const" in f.properties[key]),
  );
}

function portable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(portable);
  if (!isNode(value)) return value;
  const node: Node = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, portable(v)]));
  if (typeof node.format === "string" && !STANDARD_FORMATS.has(node.format)) delete node.format;
  if (typeof node.pattern === "string" && node.pattern.includes("\\p{")) delete node.pattern;
  const forms = node.oneOf;
  const key = Array.isArray(forms) ? discriminator(forms) : undefined;
  if (Array.isArray(forms) && key) {
    const values = forms.map((f) => ((f as Node).properties as Record<string, Node>)[key]!.const);
    delete node.oneOf;
    node.type = "object";
    node.required = [key];
    node.properties = { [key]: { enum: values, description: `Which form: ${values.join(", ")}.` } };
    node.allOf = forms.map((f) => ({
      if: { properties: { [key]: { const: ((f as Node).properties as Record<string, Node>)[key]!.const } } },
      then: f,
    }));
  }
  return node;
}

function schemaText(schema: unknown, id: string): string {
  return `${JSON.stringify({ ...(portable(schema) as Node), $id: `${ID_BASE}/${id}` }, null, 2)}\n`;
}

export function registryJsonSchemaText(): string {
  return schemaText(
    registrySchema.toJSONSchema({ io: "input", target: "draft-7", unrepresentable: "any" }),
    "registry.schema.json",
  );
}

/** The schema of one account file: the keys of an entry of `accounts`. */
export function accountJsonSchemaText(): string {
  const schema = sourceAccount.toJSONSchema({ io: "input", target: "draft-7", unrepresentable: "any" });
  return schemaText(
    { ...schema, title: "CloudWatch Logs archive: a source account (accounts/sources/<accountId>.yaml)" },
    "account.schema.json",
  );
}
