/**
 * The registries every AWS-rule and policy check runs over: the sample
 * registry (examples/registries/sample/, of which accounts/ starts as a copy)
 * and the option registries under examples/registries/, which together switch
 * every registry option on and off. Tests never read accounts/: it holds the
 * organization's own registry, which npm run check proves.
 * Each is synthesised once per test file with the real App.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EXAMPLE_REGISTRIES_DIR, loadRegistry, SAMPLE_REGISTRY_FILE } from "../../modules/registry/load";
import { synthRegistry, type TfJson } from "./synth";

export const SAMPLE_REGISTRY = SAMPLE_REGISTRY_FILE;
export const EXAMPLES_DIR = EXAMPLE_REGISTRIES_DIR;
/** The smallest registry: only what the schema requires. */
export const MINIMAL_REGISTRY = `${EXAMPLE_REGISTRIES_DIR}/minimal.yaml`;

/**
 * `npm run check` runs the registry-generic tests over an organization's own
 * registry instead of the fixtures: it names the registry file here.
 */
export const CHECK_REGISTRY_ENV = "CWL_CHECK_REGISTRY";

/** Whether the tests run over an organization's own registry (npm run check), not the fixtures. */
export function checkingOwnRegistry(): boolean {
  return process.env[CHECK_REGISTRY_ENV] !== undefined && process.env[CHECK_REGISTRY_ENV] !== "";
}

/** A test that proves something of the fixture corpus only (coverage, breakage): skipped by npm run check. */
export function fixtureTest(name: string, fn: jest.ProvidesCallback): void {
  // Resolved when called: global-setup.ts loads this module outside jest's test globals.
  (checkingOwnRegistry() ? test.skip : test)(name, fn);
}

/** Registry files of the corpus: the sample first, then the examples by name; or the registry npm run check proves. */
export function corpusFiles(): string[] {
  if (checkingOwnRegistry()) return [process.env[CHECK_REGISTRY_ENV]!];
  const examples = readdirSync(EXAMPLES_DIR)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(EXAMPLES_DIR, name))
    .filter((file) => file !== MINIMAL_REGISTRY);
  return [SAMPLE_REGISTRY, MINIMAL_REGISTRY, ...examples];
}

export interface CorpusStack {
  /** Registry file the stack comes from. */
  readonly registry: string;
  readonly stack: string;
  readonly json: TfJson;
  /** Raw text of the stack's cdk.tf.json. */
  readonly text: string;
}

/** Where global-setup.ts left the synthesised corpus for every test file. */
export const CORPUS_DIR_ENV = "CWL_TEST_CORPUS_DIR";
const INDEX = "index.json";

function synthesiseCorpus(): CorpusStack[] {
  return corpusFiles().flatMap((registry) => {
    const { stacks, text } = synthRegistry(loadRegistry(registry));
    return Object.keys(stacks)
      .sort()
      .map((stack) => ({ registry, stack, json: stacks[stack]!, text: text[stack]! }));
  });
}

/** Synthesises the corpus into `dir`: one file per stack and an index. */
export function writeCorpus(dir: string): void {
  const index = synthesiseCorpus().map((s, i) => {
    const file = `${i}.json`;
    writeFileSync(join(dir, file), s.text);
    return { registry: s.registry, stack: s.stack, file };
  });
  writeFileSync(join(dir, INDEX), JSON.stringify(index));
}

function readCorpus(dir: string): CorpusStack[] {
  const index = JSON.parse(readFileSync(join(dir, INDEX), "utf8")) as {
    registry: string;
    stack: string;
    file: string;
  }[];
  return index.map(({ registry, stack, file }) => {
    const text = readFileSync(join(dir, file), "utf8");
    return { registry, stack, text, json: JSON.parse(text) as TfJson };
  });
}

let cached: CorpusStack[] | undefined;

/**
 * Every stack of every corpus registry: read from the run's synthesis
 * (global-setup.ts), or synthesised here when a file runs without it.
 */
export function corpusStacks(): CorpusStack[] {
  if (cached) return cached;
  const dir = process.env[CORPUS_DIR_ENV];
  cached = dir && existsSync(join(dir, INDEX)) ? readCorpus(dir) : synthesiseCorpus();
  return cached;
}

/** `<registry> <stack>`, for test names. */
export function label(s: CorpusStack): string {
  return `${s.registry} ${s.stack}`;
}
