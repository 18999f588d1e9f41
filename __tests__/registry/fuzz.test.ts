/**
 * Property-based tests of the registry loader: whatever a user (or a merge
 * conflict) does to the registry, loading either succeeds, or fails with the
 * contract's message format, never with a crash; and a registry that loads
 * always synthesises.
 */
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { RegistryError } from "../../modules/registry/errors";
import { parseRegistry, type Registry } from "../../modules/registry/parse";
import { synthRegistry } from "../helpers/synth";

// Every property runs from a fixed seed, so CI reaches the same verdict on
// every run; change the seed deliberately to explore other inputs.
fc.configureGlobal({ seed: 20261130 });

/** The sample registry as one document: its account files folded into `accounts`. */
const SAMPLE: unknown = (() => {
  const main = parse(readFileSync("examples/registries/sample/registry.yaml", "utf8"));
  delete main.accountFiles;
  const accounts = readdirSync("examples/registries/sample/sources")
    .sort()
    .map((file) => parse(readFileSync(`examples/registries/sample/sources/${file}`, "utf8")));
  return { ...main, accounts };
})();
const FILE = "fuzz/registry.yaml";
/** `<file>: <path>: <what is wrong>[, got <value>]` */
const SEGMENT = String.raw`(?:[A-Za-z_$][\w$]*|\[(?:\d+|"(?:[^"\\]|\\.)*")\])`;
const PATH = String.raw`(?:\(root\)|\(file\)|line \d+, column \d+|${SEGMENT}(?:\.[A-Za-z_$][\w$]*|\[(?:\d+|"(?:[^"\\]|\\.)*")\])*)`;
const ERROR_LINE = new RegExp(String.raw`^fuzz/registry\.yaml: ${PATH}: \S.*$`);

type Path = (string | number)[];

function paths(value: unknown, at: Path = []): Path[] {
  const here = [at];
  if (Array.isArray(value)) return here.concat(value.flatMap((v, i) => paths(v, [...at, i])));
  if (value && typeof value === "object") {
    return here.concat(Object.entries(value).flatMap(([k, v]) => paths(v, [...at, k])));
  }
  return here;
}

const ALL_PATHS = paths(SAMPLE).filter((p) => p.length > 0);

type Operation =
  | { kind: "drop" }
  | { kind: "duplicate" }
  | { kind: "retype"; value: unknown }
  | { kind: "corrupt"; suffix: string }
  | { kind: "rename"; key: string };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.constant<Operation>({ kind: "drop" }),
  fc.constant<Operation>({ kind: "duplicate" }),
  fc.jsonValue({ maxDepth: 2 }).map<Operation>((value) => ({ kind: "retype", value })),
  fc
    .oneof(fc.constantFrom(0, 1e20, -1, 1.5, true, null, [], {}, "", "0", "o-", "eu-west-1"))
    .map<Operation>((value) => ({
      kind: "retype",
      value,
    })),
  fc.string({ maxLength: 6 }).map<Operation>((suffix) => ({ kind: "corrupt", suffix })),
  fc.string({ minLength: 1, maxLength: 12 }).map<Operation>((key) => ({ kind: "rename", key })),
);

function apply(document: unknown, path: Path, op: Operation): unknown {
  const copy = structuredClone(document);
  const parent = path.slice(0, -1).reduce<any>((node, key) => node?.[key], copy);
  const key = path[path.length - 1]!;
  if (parent === null || typeof parent !== "object") return copy;
  switch (op.kind) {
    case "drop":
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case "duplicate":
      if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number]));
      else parent[`${String(key)}Copy`] = structuredClone(parent[key]);
      break;
    case "retype":
      parent[key] = op.value;
      break;
    case "corrupt":
      parent[key] = `${String(parent[key])}${op.suffix}`;
      break;
    case "rename":
      if (!Array.isArray(parent)) {
        parent[op.key] = parent[key];
        delete parent[key];
      }
      break;
  }
  return copy;
}

const mutatedRegistry = fc
  .array(fc.tuple(fc.constantFrom(...ALL_PATHS), operation), { minLength: 1, maxLength: 3 })
  .map((mutations) => mutations.reduce((doc, [path, op]) => apply(doc, path, op), SAMPLE));

/**
 * Paths whose removal alone leaves a registry that loads (optional keys and
 * list entries): mutations built from them load often enough for the
 * synthesis property to be exercised on every run, not by chance.
 */
const DROPPABLE_PATHS = ALL_PATHS.filter((path) => {
  try {
    parseRegistry(stringify(apply(SAMPLE, path, { kind: "drop" })), FILE);
    return true;
  } catch {
    return false;
  }
});

const loadableMutation = fc
  .uniqueArray(fc.constantFrom(...DROPPABLE_PATHS), { minLength: 1, maxLength: 3 })
  .map((paths) => paths.reduce((doc, path) => apply(doc, path, { kind: "drop" }), SAMPLE));

/** Load, and check that a failure is a RegistryError in the contract's format. */
function loadOrExplain(text: string): Registry | undefined {
  try {
    return parseRegistry(text, FILE);
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    const lines = error.message.split("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatch(ERROR_LINE);
      expect(line).not.toMatch(/\n\s+at /);
    }
    expect(error.problems.length).toBe(lines.length);
    return undefined;
  }
}

describe("registry fuzzing", () => {
  test("mutated sample registries load or fail with path-qualified messages", () => {
    fc.assert(
      fc.property(mutatedRegistry, (doc) => {
        loadOrExplain(stringify(doc));
      }),
      { numRuns: 400 },
    );
  });

  test("random YAML documents load or fail with path-qualified messages", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (doc) => {
        loadOrExplain(stringify(doc));
      }),
      { numRuns: 200 },
    );
  });

  test("random text loads or fails with path-qualified messages", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: "binary" }), (text) => {
        loadOrExplain(text);
      }),
      { numRuns: 300 },
    );
  });

  test("the synthesis property has enough loadable mutations to draw from", () => {
    expect(DROPPABLE_PATHS.length).toBeGreaterThan(50);
  });

  test("a mutated registry that loads always synthesises", () => {
    let synthesised = 0;
    const runs = 12;
    fc.assert(
      fc.property(loadableMutation, (doc) => {
        const registry = loadOrExplain(stringify(doc));
        if (!registry) return;
        const { stacks } = synthRegistry(registry);
        expect(Object.keys(stacks)).toContain("log-archive");
        synthesised++;
      }),
      { numRuns: runs },
    );
    // Two drops that load alone can conflict together (rarely): most must load.
    expect(synthesised).toBeGreaterThanOrEqual(runs / 2);
  });
});
