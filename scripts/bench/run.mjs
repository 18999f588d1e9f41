// npm run bench: the synth scale benchmark.
// For registries of 10, 100 and 1,000 source accounts in 3 Regions each
// (generated, not checked in) it runs the real `npx cdktf synth` with the
// app command of cdktf.json, and the cdktf TypeScript template's default way
// of running the app (`npx ts-node main.ts`, with type checking) as the
// baseline, several times each, and records the median wall time and the
// peak memory of the whole process tree (RSS of every process, sampled).
// The largest size also runs with the S3 and the cloud (Terraform Cloud)
// state backends, and every run counts the processes the app starts besides
// its synthesis workers (count-processes.cjs, preloaded): the benchmark fails
// if any run of this project starts one. Every run also records the CPU time
// of its whole process tree (the shell's `times`): on a shared machine the
// wall time says how busy the machine was, the CPU time what the synthesis
// cost, so the backends are compared by CPU time and the benchmark fails if
// the S3 or cloud backend costs more than 10% above the local one.
// Writes docs/benchmarks.md (keeping the section of npm run bench:search).
// BENCH_SIZES=10,100 and BENCH_RUNS=1 shorten it.
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath, URL } from "node:url";
import { childrenCpuSeconds } from "./cpu-time.mjs";
import { generateRegistry } from "./generate-registry.mjs";

const SIZES = (process.env.BENCH_SIZES ?? "10,100,1000").split(",").map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WORK = ".bench";

const COUNTER = fileURLToPath(new URL("./count-processes.cjs", import.meta.url));
const LARGEST = Math.max(...SIZES);
/** The most a state backend may cost above the local one, in CPU time (issue 21). */
const BACKEND_TOLERANCE = 1.1;

const MODES = [
  { name: "cdktf synth (this project)", args: [], ours: true },
  { name: "cdktf synth (this project), S3 backend", args: [], ours: true, backend: "s3", only: LARGEST },
  { name: "cdktf synth (this project), cloud backend", args: [], ours: true, backend: "cloud", only: LARGEST },
  { name: "baseline: ts-node with type checking", args: ["--app", "npx ts-node main.ts"] },
  {
    name: "naive: baseline with cdktf's token stack traces",
    args: ["--app", "npx ts-node main.ts"],
    env: { CWL_TOKEN_STACK_TRACES: "1" },
    maxSize: Number(process.env.BENCH_NAIVE_MAX ?? 1000),
  },
];

/** Sum of the resident memory of `pid` and all its descendants, in KiB. */
function treeRss(pid) {
  const children = new Map();
  const rss = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1]);
      rss.set(Number(entry), Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0));
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.pop();
    total += rss.get(next) ?? 0;
    queue.push(...(children.get(next) ?? []));
  }
  return total;
}

function synth(mode, registryFile, outdir) {
  return new Promise((resolve, reject) => {
    rmSync(outdir, { recursive: true, force: true });
    const processLog = `${outdir}.processes`;
    writeFileSync(processLog, "");
    const started = process.hrtime.bigint();
    const cpuFile = `${outdir}.cpu`;
    // `times` prints the shell's and its waited-for children's user and
    // system CPU time: every process of the synthesis is such a child.
    const script = 'npx cdktf synth "$@"; code=$?; times > "$CWL_BENCH_CPU"; exit $code';
    const child = spawn("sh", ["-c", script, "sh", "--output", outdir, ...mode.args], {
      env: {
        ...process.env,
        REGISTRY_FILE: registryFile,
        CHECKPOINT_DISABLE: "1",
        BENCH_PROCESS_LOG: processLog,
        CWL_BENCH_CPU: cpuFile,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${COUNTER}`.trim(),
        ...mode.env,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let peak = 0;
    let stderr = "";
    const timer = setInterval(() => (peak = Math.max(peak, treeRss(child.pid))), 100);
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const spawned = readFileSync(processLog, "utf8").split("\n").filter(Boolean);
      rmSync(processLog, { force: true });
      if (code !== 0) return reject(new Error(`${mode.name} failed:\n${stderr}`));
      const cpuSeconds = childrenCpuSeconds(readFileSync(cpuFile, "utf8"));
      rmSync(cpuFile, { force: true });
      resolve({ seconds, cpuSeconds, peakMiB: peak / 1024, processes: spawned });
    });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function countResources(outdir) {
  const stacks = readdirSync(join(outdir, "stacks"));
  let total = 0;
  let perSource = new Set();
  for (const stack of stacks) {
    const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
    const n = Object.values(json.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
    total += n;
    if (stack.startsWith("log-source-")) perSource.add(n);
  }
  return { stacks: stacks.length, total, perSource: [...perSource].sort((a, b) => a - b).join("/") };
}

/** The section npm run bench:search writes (between its markers), kept as it is. */
function searchSection() {
  let text;
  try {
    text = readFileSync("docs/benchmarks.md", "utf8");
  } catch {
    return "";
  }
  const start = text.indexOf("<!-- bench:search:start -->");
  const endMarker = "<!-- bench:search:end -->";
  const end = text.indexOf(endMarker);
  return start >= 0 && end > start ? `\n${text.slice(start, end + endMarker.length)}\n` : "";
}

mkdirSync(WORK, { recursive: true });
const rows = [];
const failures = [];
/** The table row of one mode at one size, from its runs. */
function rowOf(size, mode, results, outdir) {
  const row = {
    size,
    mode: mode.name,
    ...countResources(outdir),
    seconds: median(results.map((r) => r.seconds)),
    cpuSeconds: median(results.map((r) => r.cpuSeconds)),
    peakMiB: median(results.map((r) => r.peakMiB)),
    processes: Math.max(...results.map((r) => r.processes.length)),
    runs: results.length,
  };
  if (mode.ours && row.processes > 0) {
    failures.push(
      `${size} accounts, ${mode.name}: the app started ${row.processes} processes, e.g. ${results.find((r) => r.processes.length > 0).processes[0]}`,
    );
  }
  return row;
}

for (const size of SIZES) {
  const modes = MODES.filter(
    (mode) => (mode.maxSize === undefined || size <= mode.maxSize) && (mode.only === undefined || size === mode.only),
  );
  const setups = modes.map((mode, index) => {
    const backend = mode.backend ?? "local";
    const registryFile = join(WORK, `registry-${size}-${backend}.yaml`);
    writeFileSync(registryFile, generateRegistry(size, backend));
    return { mode, registryFile, outdir: join(WORK, `out-${size}-${index}`), results: [] };
  });
  // This project's backends run in turn, run by run, so that a machine that
  // gets busier or quieter during the benchmark weighs on each alike: the
  // cloud/local ratio is what the backends cost, not when they ran.
  const ourSetups = setups.filter((s) => s.mode.ours);
  for (let i = 0; i < RUNS; i++) {
    for (const setup of ourSetups) setup.results.push(await synth(setup.mode, setup.registryFile, setup.outdir));
  }
  for (const setup of setups.filter((s) => !s.mode.ours)) {
    const runs = setup.mode.maxSize !== undefined ? 1 : RUNS;
    for (let i = 0; i < runs; i++) setup.results.push(await synth(setup.mode, setup.registryFile, setup.outdir));
  }
  let ours;
  for (const setup of setups) {
    const row = rowOf(size, setup.mode, setup.results, setup.outdir);
    ours ??= row;
    row.ratio = row.seconds / ours.seconds;
    row.cpuRatio = row.cpuSeconds / ours.cpuSeconds;
    if (setup.mode.backend && row.cpuRatio > BACKEND_TOLERANCE) {
      failures.push(
        `${size} accounts, ${row.mode}: ${row.cpuSeconds.toFixed(2)} CPU seconds, ${row.cpuRatio.toFixed(2)}x the local backend's (at most ${BACKEND_TOLERANCE}x)`,
      );
    }
    rows.push(row);
    process.stdout.write(
      `${size} accounts, ${row.mode}: ${row.stacks} stacks, ${row.seconds.toFixed(2)} s, ${row.cpuSeconds.toFixed(2)} CPU s, ${row.peakMiB.toFixed(0)} MiB, ${row.processes} processes started by the app\n`,
    );
    rmSync(setup.outdir, { recursive: true, force: true });
  }
}

const header =
  "| accounts | stacks | resources | resources per source stack | command | seconds (median) | CPU seconds (median) | peak MiB (process tree) | processes the app started | time / this project | CPU / this project |\n| ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |";
const table = [
  header,
  ...rows.map(
    (r) =>
      `| ${r.size} | ${r.stacks} | ${r.total} | ${r.perSource} | ${r.mode}${r.runs === 1 ? " (1 run)" : ""} | ${r.seconds.toFixed(2)} | ${r.cpuSeconds.toFixed(2)} | ${r.peakMiB.toFixed(0)} | ${r.processes} | ${r.ratio.toFixed(2)}x | ${r.cpuRatio.toFixed(2)}x |`,
  ),
].join("\n");
const machine = `${cpus().length} cores (${cpus()[0]?.model?.trim() ?? "unknown"}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node.js ${process.version}`;
const doc = `# Synth benchmark

Generated by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine}.
Each registry has N source accounts in 3 Regions (eu-west-1, us-east-1, ap-southeast-2), mode \`all\`, replication on.
Times are the median of ${RUNS} runs of the whole \`npx cdktf synth\` (CLI start, app, CLI reading the output);
memory is the peak resident memory of the whole process tree, sampled every 100 ms.
At ${LARGEST} accounts the same registry also runs with the S3 and the cloud (Terraform Cloud) state backend
(\`deployment.backend\`), the three in turn run by run; "time / this project" and "CPU / this project" compare each row with
the local backend's. CPU seconds are the user and system time of the whole process tree (every worker included, so they can
exceed the wall time): on a shared machine the wall time also measures the other work, the CPU time only the synthesis', so the
backends are held to CPU time: the benchmark fails if the S3 or cloud backend costs more than ${Math.round((BACKEND_TOLERANCE - 1) * 100)}% above the local one.
"Processes the app started" counts every child process the app started during a run (the most of any run),
besides its own synthesis workers: cdktf's \`CloudBackend\` and \`DataResource\` start \`terraform version\`
once per stack, which this project avoids (docs/benchmarks.md is only written when it is 0 for every run of this project).

${table}
${searchSection()}`;
if (failures.length > 0) {
  process.stderr.write(`\nbenchmark failed (docs/benchmarks.md not written):\n${failures.join("\n")}\n`);
  process.exit(1);
}
mkdirSync("docs", { recursive: true });
writeFileSync("docs/benchmarks.md", doc);
process.stdout.write(`\n${table}\n\nwrote docs/benchmarks.md\n`);
