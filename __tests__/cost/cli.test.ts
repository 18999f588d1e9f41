/**
 * `npm run cost` (issue 20, item 6.3): arguments parsed strictly, nothing
 * written unless asked and unless the arguments are right, the registry
 * chosen as every other command chooses it, and the tracked docs/cost.md
 * exactly what `npm run cost -- --docs` writes. The command is tested through
 * fake ports, and the real script once, bundled and run in a scratch folder.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildSync } from "esbuild";
import {
  COST_OPTIONS,
  COST_USAGE,
  CostUsageError,
  EXIT_INPUT,
  EXIT_OK,
  EXIT_USAGE,
  parseCostArgs,
  runCost,
  type CostPorts,
} from "../../modules/cost/cli";
import { RegistryError } from "../../modules/registry/errors";
import { DEFAULT_REGISTRY_FILE, loadRegistry, SAMPLE_REGISTRY_FILE } from "../../modules/registry/load";

const ROOT = resolve(__dirname, "../..");

function problemsOf(argv: string[]): readonly string[] {
  try {
    parseCostArgs(argv);
  } catch (error) {
    if (error instanceof CostUsageError) return error.problems;
    throw error;
  }
  throw new Error(`expected ${argv.join(" ")} to be refused`);
}

describe("parseCostArgs", () => {
  test("no argument: the report on standard output, 1 GB a day, 10, 100 and 1,000 accounts, the registry's Regions", () => {
    expect(parseCostArgs([])).toEqual({
      help: false,
      gbPerDay: 1,
      accounts: [10, 100, 1000],
      output: { to: "stdout" },
    });
  });

  test("every option, in both spellings", () => {
    expect(
      parseCostArgs([
        "--gb-per-day",
        "0.2",
        "--accounts=500,50",
        "--regions",
        "eu-west-1,us-east-1",
        "--out=dist/cost",
      ]),
    ).toEqual({
      help: false,
      gbPerDay: 0.2,
      accounts: [50, 500],
      regions: ["eu-west-1", "us-east-1"],
      output: { to: "directory", directory: "dist/cost", docs: false },
    });
    expect(parseCostArgs(["--docs"]).output).toEqual({ to: "directory", directory: "docs", docs: true });
  });

  test.each([["--help"], ["-h"], ["--bogus", "--help"], ["--out", "x", "-h"]])(
    "%s anywhere asks for the usage, whatever else is there",
    (...argv) => {
      expect(parseCostArgs(argv).help).toBe(true);
    },
  );

  test.each([
    [["--bogus"], 'unknown option "--bogus" (see --help)'],
    [
      ["--registry", "accounts/registry.yaml"],
      'unknown option "--registry": choose the registry with REGISTRY_FILE=<file>',
    ],
    [["report.md"], 'unexpected argument "report.md": options start with -- (see --help)'],
    [["--gb-per-day", "lots"], '--gb-per-day: expected a positive number of GB such as 0.5, got "lots"'],
    [["--gb-per-day=0"], '--gb-per-day: expected a positive number of GB such as 0.5, got "0"'],
    [["--gb-per-day", "-1"], '--gb-per-day: expected a positive number of GB such as 0.5, got "-1"'],
    [["--gb-per-day"], "--gb-per-day: expected a value after it (see --help)"],
    [
      ["--accounts", "10,1.5"],
      '--accounts: expected whole numbers of accounts separated by commas, such as 10,100,1000, got "10,1.5"',
    ],
    [["--accounts", "10,10"], "--accounts: expected each size once, got 10 twice"],
    [["--regions", "eu-west-4"], '--regions: "eu-west-4": unknown AWS Region'],
    [["--regions", "eu-west-1,eu-west-1"], "--regions: expected each Region once, got eu-west-1 twice"],
    [["--out"], "--out: expected a value after it (see --help)"],
    [["--out", "--docs"], "--out: expected a value after it (see --help)"],
    [["--out", "a", "--out", "b"], "--out: given twice"],
    [["--docs=yes"], '--docs: takes no value, got "yes"'],
    [["--docs", "--out", "x"], "--docs and --out: choose one"],
    [
      ["--docs", "--accounts", "5"],
      '--docs: writes the tracked report with the default options only, so that "npm run cost -- --docs" always reproduces it; use --out <dir> with --accounts',
    ],
  ])("fails on %j: %s", (argv, problem) => {
    expect(problemsOf(argv).some((p) => p.startsWith(problem))).toBe(true);
  });

  test("fails naming every problem at once", () => {
    expect(problemsOf(["--bogus", "--gb-per-day", "x", "--docs", "extra"])).toEqual([
      'unknown option "--bogus" (see --help)',
      'unexpected argument "extra": options start with -- (see --help)',
      '--gb-per-day: expected a positive number of GB such as 0.5, got "x"',
      '--docs: writes the tracked report with the default options only, so that "npm run cost -- --docs" always reproduces it; use --out <dir> with --gb-per-day',
    ]);
  });

  test("an unknown option's value is not a second problem", () => {
    expect(problemsOf(["--registry", "accounts/acme.yaml"])).toHaveLength(1);
  });

  test("the usage fits an 80-column terminal", () => {
    for (const line of COST_USAGE.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
  });

  test("the usage documents every option it accepts, the environment and the exit status", () => {
    for (const option of COST_OPTIONS) expect(COST_USAGE).toContain(`--${option}`);
    expect(COST_USAGE).toContain("REGISTRY_FILE");
    expect(COST_USAGE).toContain("Exit status");
  });
});

/** Ports over an in-memory file system that records what the command writes. */
function fakePorts(files: Record<string, string> = {}) {
  const written: Record<string, string> = {};
  const directories: string[] = [];
  const loaded: string[] = [];
  let stdout = "";
  let stderr = "";
  const ports: CostPorts = {
    readText: (file) => {
      if (file in files) return files[file]!;
      return readFileSync(join(ROOT, file), "utf8");
    },
    writeText: (file, text) => {
      written[file] = text;
    },
    makeDirectory: (directory) => {
      directories.push(directory);
    },
    loadRegistry: (file) => {
      loaded.push(file);
      // accounts/ holds the organization's registry, which tests never read: the sample stands in for it.
      return loadRegistry(join(ROOT, file === DEFAULT_REGISTRY_FILE ? SAMPLE_REGISTRY_FILE : file));
    },
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  };
  return {
    ports,
    written,
    directories,
    loaded,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}

describe("runCost", () => {
  test("GIVEN --help THEN it prints the usage, exits 0, reads and writes nothing", () => {
    const io = fakePorts();
    expect(runCost(["--help"], {}, io.ports)).toBe(EXIT_OK);
    expect(io.stdout).toBe(COST_USAGE);
    expect(io.loaded).toEqual([]);
    expect(io.written).toEqual({});
  });

  test("GIVEN an unknown flag THEN it says what is wrong, exits 2 and writes nothing", () => {
    const io = fakePorts();
    expect(runCost(["--bogus", "--docs"], {}, io.ports)).toBe(EXIT_USAGE);
    expect(io.stderr).toContain('cost: unknown option "--bogus"');
    expect(io.stderr).toContain("nothing was written");
    expect(io.written).toEqual({});
    expect(io.stdout).toBe("");
  });

  test("GIVEN no option THEN the report of the organization's registry goes to standard output and nothing is written", () => {
    const io = fakePorts();
    expect(runCost([], {}, io.ports)).toBe(EXIT_OK);
    expect(io.loaded).toEqual(["accounts/registry.yaml"]);
    expect(io.stdout).toMatch(/^# Cost model\n/);
    expect(io.stdout).toContain("**Every figure below comes from the registry `accounts/registry.yaml`**");
    expect(io.written).toEqual({});
    expect(io.directories).toEqual([]);
  });

  test("GIVEN REGISTRY_FILE THEN that registry is priced, and the header and command say so", () => {
    const io = fakePorts();
    const env = { REGISTRY_FILE: "examples/registries/minimal.yaml" };
    expect(runCost(["--gb-per-day", "0.5"], env, io.ports)).toBe(EXIT_OK);
    expect(io.loaded).toEqual(["examples/registries/minimal.yaml"]);
    expect(io.stdout).toContain(
      "Generated by `REGISTRY_FILE=examples/registries/minimal.yaml npm run cost -- --gb-per-day 0.5`",
    );
    expect(io.stdout).toContain("**Every figure below comes from the registry `examples/registries/minimal.yaml`**");
    expect(io.stdout).toContain("| payments-prod (222222222222) | eu-west-1, us-east-1 |");
  });

  test("GIVEN --out THEN the report and chart go to that folder, created, and nowhere else", () => {
    const io = fakePorts();
    expect(runCost(["--out", "dist/cost"], {}, io.ports)).toBe(EXIT_OK);
    expect(io.directories).toEqual(["dist/cost"]);
    expect(Object.keys(io.written).sort()).toEqual(["dist/cost/cost.md", "dist/cost/cost.svg"]);
    expect(io.stdout).toMatch(
      /^wrote dist\/cost\/cost\.md and dist\/cost\/cost\.svg; accounts\/registry\.yaml: \$[\d,]+\.\d\d a month/,
    );
  });

  test("GIVEN --docs with another registry THEN it refuses: the tracked report is the sample's", () => {
    const io = fakePorts();
    expect(runCost(["--docs"], { REGISTRY_FILE: "examples/registries/minimal.yaml" }, io.ports)).toBe(EXIT_USAGE);
    expect(io.stderr).toContain(`--docs: docs/cost.md is generated from the sample registry ${SAMPLE_REGISTRY_FILE}`);
    expect(io.written).toEqual({});
  });

  test("GIVEN a registry that does not parse THEN it exits 1 with the registry's own error and writes nothing", () => {
    const io = fakePorts();
    io.ports = {
      ...io.ports,
      loadRegistry: (file) => {
        throw new RegistryError([{ file, path: "accounts[0].id", message: "expected a 12-digit account id" }]);
      },
    } as CostPorts;
    expect(runCost(["--out", "x"], { REGISTRY_FILE: "bad.yaml" }, io.ports)).toBe(EXIT_INPUT);
    expect(io.stderr).toContain("bad.yaml: accounts[0].id: expected a 12-digit account id");
    expect(io.written).toEqual({});
  });

  test("GIVEN unreadable prices THEN it exits 1 and writes nothing", () => {
    const io = fakePorts({ "cost/prices.json": "{ not json" });
    expect(runCost(["--out", "x"], {}, io.ports)).toBe(EXIT_INPUT);
    expect(io.stderr).toContain("cost: cost/prices.json: cannot read the prices");
    expect(io.written).toEqual({});
  });

  test("docs/cost.md and docs/cost.svg are what `npm run cost -- --docs` writes (run it after changing the model or the sample)", () => {
    const io = fakePorts();
    expect(runCost(["--docs"], {}, io.ports)).toBe(EXIT_OK);
    expect(io.loaded).toEqual([SAMPLE_REGISTRY_FILE]);
    expect(io.written["docs/cost.md"]).toBe(readFileSync(join(ROOT, "docs/cost.md"), "utf8"));
    expect(io.written["docs/cost.svg"]).toBe(readFileSync(join(ROOT, "docs/cost.svg"), "utf8"));
  });
});

describe("scripts/cost.ts, as npm runs it", () => {
  let scratch: string;
  let script: string;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), "cwl-cost-"));
    script = join(scratch, "cost.js");
    buildSync({
      entryPoints: [join(ROOT, "scripts/cost.ts")],
      outfile: script,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      logLevel: "silent",
    });
    // A working copy with a tracked report to protect, as in a checkout.
    cpSync(join(ROOT, "cost/prices.json"), join(scratch, "work/cost/prices.json"));
    mkdirSync(join(scratch, "work/docs"));
    writeFileSync(join(scratch, "work/docs/cost.md"), "tracked\n");
  });

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  function run(argv: string[], env: Record<string, string> = {}) {
    // The parent's REGISTRY_FILE must not choose the registry of a run that does not name one.
    const parent = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "REGISTRY_FILE"));
    return spawnSync(process.execPath, [script, ...argv], {
      cwd: join(scratch, "work"),
      env: { ...parent, ...env },
      encoding: "utf8",
    });
  }

  /** Every file of the working copy, relative to it. */
  function files(): string[] {
    return (readdirSync(join(scratch, "work"), { recursive: true }) as string[]).sort();
  }

  test("--help prints the usage, exits 0 and writes nothing", () => {
    const before = files();
    const result = run(["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(COST_USAGE);
    expect(files()).toEqual(before);
    expect(readFileSync(join(scratch, "work/docs/cost.md"), "utf8")).toBe("tracked\n");
  });

  test("an unknown flag exits 2 with the reason and writes nothing", () => {
    const before = files();
    const result = run(["--bogus"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('cost: unknown option "--bogus"');
    expect(files()).toEqual(before);
  });

  test("by default it prices REGISTRY_FILE on standard output and leaves the tracked report alone", () => {
    const before = files();
    const result = run([], { REGISTRY_FILE: join(ROOT, "examples/registries/minimal.yaml") });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^# Cost model\n/);
    expect(result.stdout).toContain("| payments-prod (222222222222) | eu-west-1, us-east-1 |");
    expect(files()).toEqual(before);
    expect(readFileSync(join(scratch, "work/docs/cost.md"), "utf8")).toBe("tracked\n");
  });
});
