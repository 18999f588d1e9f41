/**
 * Pure registry loader: YAML text in, deeply readonly typed data out, or one
 * RegistryError that lists every problem with its file and path. No file
 * system, no environment: `load.ts` is the thin wrapper that reads files.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { formatPath, printable, RegistryError, type PathSegment, type RegistryProblem } from "./errors";
import { registrySchema } from "./schema";
import type { Registry } from "./types";
import { semanticProblems } from "./semantics";

export type { DeepReadonly, Registry, SourceAccount } from "./types";

/** Longest excerpt of an offending value quoted in an error. */
const MAX_VALUE_LENGTH = 80;

/**
 * Parse and validate a registry document.
 *
 * @param text YAML text of the registry.
 * @param file Name of the file, as it should appear in error messages.
 * @throws RegistryError listing every problem found.
 */
export function parseRegistry(text: string, file: string): Registry {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new RegistryError(
      doc.errors.map((error) => {
        const pos = lineCounter.linePos(error.pos[0]);
        return {
          file,
          path: `line ${pos.line}, column ${pos.col}`,
          message: `invalid YAML: ${printable(firstLine(error.message))}`,
        };
      }),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new RegistryError([{ file, path: "(root)", message: `invalid YAML: ${(error as Error).message}` }]);
  }
  return validateRegistry(raw, file, doc);
}

/**
 * Validate an already-parsed registry value (for example merged from several
 * files). `doc`, when given, lets errors quote values exactly as written.
 */
export function validateRegistry(raw: unknown, file: string, doc?: Document): Registry {
  if (raw === null || raw === undefined) {
    throw new RegistryError([
      { file, path: "(root)", message: "the registry is empty; expected organization, logArchive and accounts" },
    ]);
  }
  const quote = (path: readonly PathSegment[]) => describeValue(raw, path, doc);
  const result = registrySchema.safeParse(raw);
  const problems: RegistryProblem[] = result.success
    ? []
    : result.error.issues.flatMap((issue) => issueProblems(issue, file, raw, quote));
  problems.push(
    ...semanticProblems(raw, result.success ? result.data : undefined).map((p) => ({
      file,
      path: formatPath(p.path),
      message: p.message,
      got: p.quoteValue === false ? undefined : quote(p.path),
    })),
  );
  if (problems.length > 0 || !result.success) {
    throw new RegistryError(dedupe(problems));
  }
  return deepFreeze(result.data) as Registry;
}

function issueProblems(
  issue: z.core.$ZodIssue,
  file: string,
  raw: unknown,
  quote: (path: readonly PathSegment[]) => string | undefined,
): RegistryProblem[] {
  const path = issue.path.filter((s): s is PathSegment => typeof s !== "symbol");
  if (issue.code === "unrecognized_keys") {
    const allowed = allowedKeys(path);
    return issue.keys.map((key) => {
      const hint = closest(key, allowed);
      return {
        file,
        path: formatPath([...path, key]),
        message: `unknown key${hint ? ` (did you mean "${hint}"?)` : ""}; allowed keys here: ${allowed.join(", ")}`,
        got: quote([...path, key]),
      };
    });
  }
  if (issue.code === "invalid_union" && "discriminator" in issue) {
    return [{ file, path: formatPath(path), message: issue.message, got: quote(path) }];
  }
  const missing = lookup(raw, path) === undefined;
  return [
    {
      file,
      path: formatPath(path),
      message: missing ? `missing required key (${issue.message})` : issue.message,
      got: missing ? undefined : quote(path),
    },
  ];
}

/** The keys the schema allows in the object at `path`, for "did you mean" hints. */
function allowedKeys(path: readonly PathSegment[]): string[] {
  // Walk the JSON Schema rather than zod internals: it is the public shape.
  let node: JsonSchemaNode | undefined = registryJsonSchema();
  for (const segment of path) {
    if (!node) break;
    if (typeof segment === "number") node = node.items;
    else node = node.properties?.[segment] ?? node.additionalProperties;
    node = unwrap(node);
  }
  return Object.keys(node?.properties ?? {}).sort();
}

interface JsonSchemaNode {
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  additionalProperties?: JsonSchemaNode;
  oneOf?: JsonSchemaNode[];
  anyOf?: JsonSchemaNode[];
}

function unwrap(node: JsonSchemaNode | undefined): JsonSchemaNode | undefined {
  if (!node) return undefined;
  const options = node.oneOf ?? node.anyOf;
  if (options) {
    const properties = Object.assign({}, ...options.map((o) => o.properties ?? {}));
    return { properties };
  }
  return node;
}

let cachedJsonSchema: JsonSchemaNode | undefined;
function registryJsonSchema(): JsonSchemaNode {
  cachedJsonSchema ??= registrySchema.toJSONSchema({ io: "input", unrepresentable: "any" }) as JsonSchemaNode;
  return cachedJsonSchema;
}

function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

export function lookup(raw: unknown, path: readonly PathSegment[]): unknown {
  let value: unknown = raw;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PathSegment, unknown>)[segment];
  }
  return value;
}

/** The value at `path`, as written in the YAML source when available. */
function describeValue(raw: unknown, path: readonly PathSegment[], doc?: Document): string | undefined {
  const value = lookup(raw, path);
  if (value === undefined) return undefined;
  const node = doc?.getIn(path, true);
  if (isScalar(node) && typeof node.source === "string" && typeof value !== "string") {
    return truncate(node.source);
  }
  if (isMap(node) || isSeq(node) || typeof value === "object") {
    return truncate(JSON.stringify(value) ?? String(value));
  }
  return truncate(typeof value === "string" ? JSON.stringify(value) : String(value));
}

/** One printable line: long values cut, line separators and control characters escaped. */
function truncate(text: string): string {
  return printable(text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 3)}...` : text);
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

function dedupe(problems: RegistryProblem[]): RegistryProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
