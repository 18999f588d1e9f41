/**
 * The registry reference (docs/registry.md), rendered from the registry's JSON
 * Schema, which is generated from the zod schema the loader uses: every key
 * the loader accepts has a row, with its default and its description, and
 * none can be missing or stale (`npm run schema` writes both; a test fails
 * when either is out of date).
 */

type JsonSchema = {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  /** Forms told apart by a constant (`if`/`then`, see json-schema.ts). */
  readonly allOf?: readonly { readonly if?: JsonSchema; readonly then?: JsonSchema }[];
};

/** One key of the registry: its path, default and meaning. */
export interface ReferenceRow {
  /** `archive.retentionDays`, `accounts[].regions`, `deployment.backend (type: cloud).organization`. */
  readonly key: string;
  readonly allowed: string;
  readonly default: string;
  readonly description: string;
}

const MAX_ENUM = 8;

function allowedOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum) {
    return schema.enum.length > MAX_ENUM
      ? `one of ${schema.enum.length} values`
      : schema.enum.map((v) => `\`${String(v)}\``).join(", ");
  }
  const type = typeof schema.type === "string" ? schema.type : (schema.type ?? []).join(" or ");
  if (type === "integer" || type === "number") {
    const range =
      schema.minimum !== undefined && schema.maximum !== undefined ? ` ${schema.minimum}-${schema.maximum}` : "";
    return `${type}${range}`;
  }
  if (type === "array" && schema.items) return `list of ${allowedOf(schema.items) || "items"}`;
  if (schema.oneOf || schema.anyOf || schema.allOf) return "one of the forms below";
  return type;
}

/** The description without its `@default ...` clause, which has its own column. */
function describe(schema: JsonSchema): { text: string; documentedDefault?: string } {
  const text = schema.description ?? "";
  const at = text.indexOf("@default");
  if (at < 0) return { text: text.trim() };
  return { text: text.slice(0, at).trim(), documentedDefault: text.slice(at + "@default".length).trim() };
}

function defaultOf(schema: JsonSchema, required: boolean): string {
  if (required) return "required";
  const { documentedDefault } = describe(schema);
  if (documentedDefault) return documentedDefault.replace(/^- /, "");
  if (schema.default !== undefined) return `\`${JSON.stringify(schema.default)}\``;
  return "none";
}

/** The variant's discriminator, e.g. `type: cloud`, when it has one. */
function variantName(schema: JsonSchema, index: number): string {
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (property.const !== undefined) return `${name}: ${String(property.const)}`;
  }
  return `form ${index + 1}`;
}

export function referenceRows(schema: JsonSchema): ReferenceRow[] {
  const rows: ReferenceRow[] = [];
  const walk = (node: JsonSchema, path: string) => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const key = path ? `${path}.${name}` : name;
      const required = (node.required ?? []).includes(name);
      rows.push({
        key,
        allowed: allowedOf(child),
        default: defaultOf(child, required),
        description: describe(child).text,
      });
      visit(child, key);
    }
  };
  const visit = (node: JsonSchema, path: string) => {
    if (node.properties) walk(node, path);
    if (node.items) visit(node.items, `${path}[]`);
    const forms = [...(node.oneOf ?? node.anyOf ?? []), ...(node.allOf ?? []).flatMap((f) => (f.then ? [f.then] : []))];
    forms.forEach((variant, i) => {
      if (variant.properties) walk(variant, `${path} (${variantName(variant, i)})`);
    });
  };
  visit(schema, "");
  return rows;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n+/g, " ");

export function referenceMarkdown(schema: JsonSchema): string {
  const rows = referenceRows(schema);
  return [
    "# Registry reference",
    "",
    "Every key of the registry (`accounts/registry.yaml`) and of an account file (`accounts/sources/<accountId>.yaml`: the keys of `accounts[]`). Generated from the schema the loader uses by `npm run schema`, so no key is missing; a test fails when this file is stale. Everything but `organization`, `logArchive` and each account's `id`, `name` and `regions` is optional, with a secure default.",
    "",
    "| key | allowed | default | meaning |",
    "| --- | --- | --- | --- |",
    ...rows.map((r) => `| \`${r.key}\` | ${cell(r.allowed)} | ${cell(r.default)} | ${cell(r.description)} |`),
    "",
  ].join("\n");
}
