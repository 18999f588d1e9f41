/**
 * `npm run cost`: its arguments, parsed strictly (every problem reported at
 * once, nothing written unless the arguments are right), and the command
 * itself as a function of its arguments, environment and ports, so that
 * scripts/cost.ts is only the file system and the process around it.
 */
import { join } from "node:path";
import { RegistryError } from "../registry/errors";
import { DEFAULT_REGISTRY_FILE, registryFileFromEnv, SAMPLE_REGISTRY_FILE } from "../registry/load";
import type { Registry } from "../registry/parse";
import { regionProblem } from "../registry/regions";
import { organizationFromRegistry, registryRegions, scenarioFromRegistry } from "./from-registry";
import { INTER_REGION_PRICES } from "./inter-region-prices";
import { organizationCost, type PriceList } from "./model";
import { costMarkdown, costSvg } from "./report";
import { gb, usd } from "./format";

export const PRICES_FILE = "cost/prices.json";
export const DOCS_DIRECTORY = "docs";
const DEFAULT_SIZES = [10, 100, 1000];

export const COST_USAGE = `Usage: npm run cost -- [options]

Prices the log archive of the registry that REGISTRY_FILE names (default
${DEFAULT_REGISTRY_FILE}): every account and Region with its own delivery,
monitoring and stream settings, and the traffic between Regions; then every
topology side by side for organizations of several sizes. Prices come from
${PRICES_FILE} and modules/cost/inter-region-prices.ts.

By default the Markdown report is printed to standard output and nothing is
written ("npm run -s cost > cost.md" keeps npm's own lines out of the file).

Options:
  --gb-per-day <GB>      CloudWatch Logs ingested per account and Region per
                         day, in GB (default 1)
  --accounts <n,n,...>   organization sizes of the topology comparison
                         (default ${DEFAULT_SIZES.join(",")})
  --regions <r,r,...>    the Regions of every account in the comparison
                         (default: every Region the registry's accounts use)
  --out <dir>            write cost.md and cost.svg into <dir>, created if
                         missing, instead of printing the report
  --docs                 write the tracked ${DOCS_DIRECTORY}/cost.md and ${DOCS_DIRECTORY}/cost.svg
                         from the sample registry with the default options
                         (maintainers; takes no other option)
  -h, --help             print this help and exit

Environment:
  REGISTRY_FILE          the registry to price (default ${DEFAULT_REGISTRY_FILE})

Exit status: 0 on success, 1 when the registry or the prices cannot be read,
2 when the arguments are wrong (nothing is written).

Examples:
  REGISTRY_FILE=accounts/acme.yaml npm run -s cost -- --gb-per-day 0.2 > cost.md
  npm run cost -- --out dist/cost --accounts 50,500 --regions eu-west-1
`;

/** Where the report goes. */
export type CostOutput =
  { readonly to: "stdout" } | { readonly to: "directory"; readonly directory: string; readonly docs: boolean };

export interface CostOptions {
  /** Print the usage and stop. */
  readonly help: boolean;
  /** CloudWatch Logs per account and Region per day, GB. @default 1 */
  readonly gbPerDay: number;
  /** Sizes of the topology comparison, ascending. @default 10, 100, 1000 */
  readonly accounts: readonly number[];
  /** Regions of every account in the comparison. @default - every Region the registry's accounts use */
  readonly regions?: readonly string[];
  readonly output: CostOutput;
}

/** Wrong arguments: every problem, one line each. */
export class CostUsageError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "CostUsageError";
  }
}

const VALUE_OPTIONS = ["gb-per-day", "accounts", "regions", "out"] as const;
const FLAG_OPTIONS = ["docs", "help"] as const;
/** Every option the command takes, without its dashes. */
export const COST_OPTIONS: readonly string[] = [...VALUE_OPTIONS, ...FLAG_OPTIONS];
type ValueOption = (typeof VALUE_OPTIONS)[number];
type FlagOption = (typeof FLAG_OPTIONS)[number];

/** Options people reach for that this command takes another way. */
const HINTS: Readonly<Record<string, string>> = {
  registry: `choose the registry with REGISTRY_FILE=<file> (default ${DEFAULT_REGISTRY_FILE})`,
  output: "use --out <dir>",
  "gb-per-account-region-day": "use --gb-per-day <GB>",
};

function listOf(text: string): string[] {
  return text.split(",").map((s) => s.trim());
}

function parseGbPerDay(text: string, problems: string[]): number | undefined {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) {
    problems.push(`--gb-per-day: expected a positive number of GB such as 0.5, got ${JSON.stringify(text)}`);
    return undefined;
  }
  return value;
}

function parseAccounts(text: string, problems: string[]): number[] | undefined {
  const items = listOf(text);
  const bad = items.filter((s) => !/^[1-9]\d*$/.test(s));
  if (bad.length > 0) {
    problems.push(
      `--accounts: expected whole numbers of accounts separated by commas, such as 10,100,1000, got ${JSON.stringify(text)}`,
    );
    return undefined;
  }
  const sizes = items.map(Number);
  const twice = sizes.filter((n, i) => sizes.indexOf(n) !== i);
  if (twice.length > 0) {
    problems.push(`--accounts: expected each size once, got ${twice.join(", ")} twice`);
    return undefined;
  }
  return sizes.sort((a, b) => a - b);
}

function parseRegions(text: string, problems: string[]): string[] | undefined {
  const items = listOf(text);
  const before = problems.length;
  for (const region of items) {
    const problem = regionProblem(region);
    if (problem) problems.push(`--regions: ${JSON.stringify(region)}: ${problem}`);
  }
  const twice = items.filter((r, i) => items.indexOf(r) !== i);
  if (twice.length > 0) problems.push(`--regions: expected each Region once, got ${twice.join(", ")} twice`);
  return problems.length === before ? items : undefined;
}

/**
 * The options of `npm run cost -- <argv>`, or a CostUsageError naming every
 * problem. `--help` anywhere wins over any other argument.
 */
export function parseCostArgs(argv: readonly string[]): CostOptions {
  const defaults: CostOptions = { help: false, gbPerDay: 1, accounts: DEFAULT_SIZES, output: { to: "stdout" } };
  if (argv.some((a) => a === "-h" || a === "--help" || a.startsWith("--help="))) return { ...defaults, help: true };
  const problems: string[] = [];
  const values = new Map<ValueOption, string>();
  const flags = new Set<FlagOption>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!match) {
      problems.push(`unexpected argument ${JSON.stringify(arg)}: options start with -- (see --help)`);
      continue;
    }
    const name = match[1]!;
    const inline = match[2];
    if ((VALUE_OPTIONS as readonly string[]).includes(name)) {
      const option = name as ValueOption;
      let value = inline;
      if (value === undefined) {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith("--")) {
          value = next;
          i++;
        }
      }
      if (value === undefined || value === "") {
        problems.push(`--${option}: expected a value after it (see --help)`);
      } else if (values.has(option)) {
        problems.push(`--${option}: given twice`);
      } else {
        values.set(option, value);
      }
    } else if ((FLAG_OPTIONS as readonly string[]).includes(name)) {
      const option = name as FlagOption;
      if (inline !== undefined) problems.push(`--${option}: takes no value, got ${JSON.stringify(inline)}`);
      else if (flags.has(option)) problems.push(`--${option}: given twice`);
      else flags.add(option);
    } else {
      // Its value, if it has one, is part of the same mistake: one problem, not two.
      if (inline === undefined && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("-")) i++;
      const hint = HINTS[name];
      problems.push(`unknown option ${JSON.stringify(`--${name}`)}${hint ? `: ${hint}` : " (see --help)"}`);
    }
  }
  const gbText = values.get("gb-per-day");
  const accountsText = values.get("accounts");
  const regionsText = values.get("regions");
  const out = values.get("out");
  const gbPerDay = gbText === undefined ? defaults.gbPerDay : parseGbPerDay(gbText, problems);
  const accounts = accountsText === undefined ? defaults.accounts : parseAccounts(accountsText, problems);
  const regions = regionsText === undefined ? undefined : parseRegions(regionsText, problems);
  const docs = flags.has("docs");
  if (docs) {
    if (out !== undefined) problems.push("--docs and --out: choose one");
    const others = (["gb-per-day", "accounts", "regions"] as const).filter((o) => values.has(o));
    if (others.length > 0) {
      problems.push(
        `--docs: writes the tracked report with the default options only, so that "npm run cost -- --docs" always reproduces it; use --out <dir> with ${others.map((o) => `--${o}`).join(", ")}`,
      );
    }
  }
  if (problems.length > 0) throw new CostUsageError(problems);
  return {
    help: false,
    gbPerDay: gbPerDay!,
    accounts: accounts!,
    ...(regions ? { regions } : {}),
    output: docs
      ? { to: "directory", directory: DOCS_DIRECTORY, docs: true }
      : out !== undefined
        ? { to: "directory", directory: out, docs: false }
        : { to: "stdout" },
  };
}

/** What the command touches outside itself. */
export interface CostPorts {
  readonly readText: (file: string) => string;
  readonly writeText: (file: string, text: string) => void;
  /** Creates the directory and its parents; nothing when it exists. */
  readonly makeDirectory: (directory: string) => void;
  readonly loadRegistry: (file: string) => Registry;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const EXIT_OK = 0;
export const EXIT_INPUT = 1;
export const EXIT_USAGE = 2;

function usageFailure(ports: CostPorts, problems: readonly string[]): number {
  for (const problem of problems) ports.stderr(`cost: ${problem}\n`);
  ports.stderr(`cost: nothing was written; "npm run cost -- --help" lists the options\n`);
  return EXIT_USAGE;
}

function readPrices(ports: CostPorts): PriceList {
  const list = JSON.parse(ports.readText(PRICES_FILE)) as PriceList;
  return { ...list, interRegion: INTER_REGION_PRICES };
}

/** The shell command that reproduces a run. */
function commandLine(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  const registry = env.REGISTRY_FILE?.trim() ? `REGISTRY_FILE=${env.REGISTRY_FILE.trim()} ` : "";
  return `${registry}npm run cost${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}`;
}

/** Runs `npm run cost -- <argv>`; returns the exit status. Writes nothing unless it succeeds. */
export function runCost(argv: readonly string[], env: NodeJS.ProcessEnv, ports: CostPorts): number {
  let options: CostOptions;
  try {
    options = parseCostArgs(argv);
  } catch (error) {
    if (error instanceof CostUsageError) return usageFailure(ports, error.problems);
    throw error;
  }
  if (options.help) {
    ports.stdout(COST_USAGE);
    return EXIT_OK;
  }
  // The tracked docs describe the sample, whatever accounts/ holds.
  const docs = options.output.to === "directory" && options.output.docs;
  const registryFile = docs && !env.REGISTRY_FILE?.trim() ? SAMPLE_REGISTRY_FILE : registryFileFromEnv(env);
  const sample = registryFile === SAMPLE_REGISTRY_FILE;
  if (docs && !sample) {
    return usageFailure(ports, [
      `--docs: ${DOCS_DIRECTORY}/cost.md is generated from the sample registry ${SAMPLE_REGISTRY_FILE}, not ${registryFile}; unset REGISTRY_FILE, or use --out <dir>`,
    ]);
  }
  let registry: Registry;
  try {
    registry = ports.loadRegistry(registryFile);
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    ports.stderr(`cost: ${error.message}\n`);
    return EXIT_INPUT;
  }
  let prices: PriceList;
  try {
    prices = readPrices(ports);
  } catch (error) {
    if (!(error instanceof SyntaxError) && (error as NodeJS.ErrnoException).code === undefined) throw error;
    ports.stderr(`cost: ${PRICES_FILE}: cannot read the prices: ${(error as Error).message}\n`);
    return EXIT_INPUT;
  }
  const regions = options.regions ?? registryRegions(registry);
  const organization = organizationFromRegistry(registry, options.gbPerDay);
  const input = {
    prices,
    registry: { file: registryFile, sample, organization },
    gbPerDay: options.gbPerDay,
    scenarios: options.accounts.map((accounts) =>
      scenarioFromRegistry(registry, {
        accounts,
        regions: regions.length > 0 ? regions : [registry.logArchive.region],
        gbPerDay: options.gbPerDay,
      }),
    ),
    command: commandLine(argv, env),
  };
  const markdown = costMarkdown(input);
  const svg = costSvg(input);
  if (options.output.to === "stdout") {
    ports.stdout(markdown);
    return EXIT_OK;
  }
  const { directory } = options.output;
  ports.makeDirectory(directory);
  ports.writeText(join(directory, "cost.md"), markdown);
  ports.writeText(join(directory, "cost.svg"), svg);
  const total = organizationCost(prices, organization).total;
  ports.stdout(
    `wrote ${join(directory, "cost.md")} and ${join(directory, "cost.svg")}; ${registryFile}: ${usd(total)} a month at ${gb(options.gbPerDay)} GB a day per account and Region\n`,
  );
  return EXIT_OK;
}
