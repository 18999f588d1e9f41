/**
 * Pure registry loader: YAML text in, deeply readonly typed data out, or one
 * RegistryError that lists every problem with its file and path. No file
 * system, no environment: `load.ts` is the thin wrapper that reads files.
 */
import { basename } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { formatPath, printable, RegistryError, type PathSegment, type RegistryProblem } from "./errors";
import { registrySchema } from "./schema";
import type { Registry } from "./types";
import { semanticProblems } from "./semantics";
import { closest } from "./similar";

export type { DeepReadonly, Registry, SourceAccount } from "./types";

/** Longest excerpt of an offending value quoted in an error. */
const MAX_VALUE_LENGTH = 80;

/** One YAML file of the registry. */
export interface RegistrySource {
  /** Name of the file, as it should appear in error messages. */
  readonly file: string;
  readonly text: string;
}

/**
 * Parse and validate a registry document.
 *
 * @param text YAML text of the registry.
 * @param file Name of the file, as it should appear in error messages.
 * @throws RegistryError listing every problem found.
 */
export function parseRegistry(text: string, file: string): Registry {
  return parseRegistrySources({ file, text }, []);
}

/**
 * Parse and validate a registry whose source accounts may also come from one
 * file each (`accountFiles`): the main file's accounts first, then each
 * account file's account, in the order given. Problems in an account file
 * are reported with that file's name and a path inside it.
 *
 * @throws RegistryError listing every problem of every file.
 */
export function parseRegistrySources(main: RegistrySource, accountFiles: readonly RegistrySource[]): Registry {
  const parsed = [main, ...accountFiles].map(parseYaml);
  const yamlProblems = parsed.flatMap((p) => p.problems);
  if (yamlProblems.length > 0) throw new RegistryError(yamlProblems);
  const [mainDoc, ...accountDocs] = parsed as ParsedYaml[];
  const problems: RegistryProblem[] = [];
  accountDocs.forEach((account) => {
    const expected = basename(account.file).replace(/\.ya?ml$/, "");
    if (!isRecord(account.raw)) {
      problems.push({
        file: account.file,
        path: "(root)",
        message: "expected a mapping with id, name and regions (one account per file)",
      });
    } else if (typeof account.raw.id === "string" && account.raw.id !== expected) {
      problems.push({
        file: account.file,
        path: "id",
        message: `expected the file to be named ${account.raw.id}.yaml: one file per account, named after its id`,
        got: JSON.stringify(account.raw.id),
      });
    }
  });
  const mainRaw = mainDoc!.raw;
  const inline = isRecord(mainRaw) && Array.isArray(mainRaw.accounts) ? mainRaw.accounts.length : 0;
  const merged =
    isRecord(mainRaw) && (mainRaw.accounts === undefined || Array.isArray(mainRaw.accounts)) && accountDocs.length > 0
      ? { ...mainRaw, accounts: [...((mainRaw.accounts as unknown[]) ?? []), ...accountDocs.map((a) => a.raw)] }
      : mainRaw;
  const locator = new Locator(merged, mainDoc!, accountDocs, inline);
  return validate(merged, locator, problems);
}

interface ParsedYaml {
  readonly file: string;
  readonly doc: Document;
  readonly raw: unknown;
  readonly problems: RegistryProblem[];
}

function parseYaml(source: RegistrySource): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const problems: RegistryProblem[] = doc.errors.map((error) => {
    const pos = lineCounter.linePos(error.pos[0]);
    return {
      file: source.file,
      path: `line ${pos.line}, column ${pos.col}`,
      message: `invalid YAML: ${printable(firstLine(error.message))}`,
    };
  });
  let raw: unknown;
  if (problems.length === 0) {
    try {
      raw = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      problems.push({
        file: source.file,
        path: "(root)",
        message: `invalid YAML: ${printable((error as Error).message)}`,
      });
    }
  }
  return { file: source.file, doc, raw, problems };
}

/**
 * Maps a path of the merged registry back to the file and path it came from,
 * so every problem names the file the user has to edit.
 */
class Locator {
  constructor(
    private readonly merged: unknown,
    private readonly main: ParsedYaml,
    private readonly accountFiles: readonly ParsedYaml[],
    private readonly inlineAccounts: number,
  ) {}

  private origin(path: readonly PathSegment[]): { source: ParsedYaml; path: readonly PathSegment[] } {
    const index = path[1];
    if (path[0] === "accounts" && typeof index === "number" && index >= this.inlineAccounts) {
      const source = this.accountFiles[index - this.inlineAccounts];
      if (source) return { source, path: path.slice(2) };
    }
    return { source: this.main, path };
  }

  problem(path: readonly PathSegment[], message: string, quoteValue = true): RegistryProblem {
    const { source, path: local } = this.origin(path);
    return {
      file: source.file,
      path: formatPath(local),
      message,
      got: quoteValue ? describeValue(source.raw, local, source.doc) : undefined,
    };
  }

  /** How another problem refers to a path: `accounts[0].id`, or `<file> id` for an account file. */
  refer = (path: readonly PathSegment[]): string => {
    const { source, path: local } = this.origin(path);
    return source === this.main ? formatPath(local) : `${source.file} ${formatPath(local)}`;
  };

  isMissing(path: readonly PathSegment[]): boolean {
    return lookup(this.merged, path) === undefined;
  }
}

function validate(raw: unknown, locator: Locator, problems: RegistryProblem[]): Registry {
  if (raw === null || raw === undefined) {
    throw new RegistryError([
      locator.problem([], "the registry is empty; expected organization, logArchive and accounts", false),
    ]);
  }
  const result = registrySchema.safeParse(raw);
  if (!result.success) problems.push(...result.error.issues.flatMap((issue) => issueProblems(issue, locator)));
  problems.push(
    ...semanticProblems(raw, result.success ? result.data : undefined, locator.refer).map((p) =>
      locator.problem(p.path, p.message, p.quoteValue !== false),
    ),
  );
  if (problems.length > 0 || !result.success) {
    throw new RegistryError(dedupe(problems));
  }
  const { accounts, ...rest } = result.data;
  return deepFreeze({
    ...rest,
    accounts: accounts.filter((a) => a.retired !== true),
    retiredAccounts: accounts.filter((a) => a.retired === true),
  }) as Registry;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function issueProblems(issue: z.core.$ZodIssue, locator: Locator): RegistryProblem[] {
  const path = issue.path.filter((s): s is PathSegment => typeof s !== "symbol");
  if (issue.code === "unrecognized_keys") {
    const allowed = allowedKeys(path);
    return issue.keys.map((key) => {
      const hint = closest(key, allowed, Math.max(2, Math.floor(key.length / 3)));
      return locator.problem(
        [...path, key],
        `unknown key${hint ? ` (did you mean "${hint}"?)` : ""}; allowed keys here: ${allowed.join(", ")}`,
      );
    });
  }
  const missing = locator.isMissing(path);
  return [locator.problem(path, missing ? `missing required key (${issue.message})` : issue.message, !missing)];
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
    // The same mistake in two files is two problems to fix.
    const key = `${p.file}\u0000${p.path}\u0000${p.message}`;
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
