/**
 * npm run bench holds the state backends to their CPU time (issue 21: the
 * cloud backend within 10% of the local one), read from the shell's `times`.
 * These tests check the reading against what dash and bash really print, so
 * a format the parser misreads fails here rather than in a benchmark that
 * silently compares zeros.
 */
import { execFileSync } from "node:child_process";

/** Runs the benchmark's parser (an ES module) over `text` in a child Node. */
function parse(text: string): number {
  const script = `import("./scripts/bench/cpu-time.mjs").then((m) => process.stdout.write(String(m.childrenCpuSeconds(process.argv[1]))))`;
  return Number(execFileSync(process.execPath, ["-e", script, text], { encoding: "utf8", stdio: "pipe" }));
}

describe("the benchmark's CPU time", () => {
  it("adds the children's user and system seconds of dash's format", () => {
    expect(parse("0m0.000000s 0m0.000000s\n0m27.100000s 0m2.150000s\n")).toBeCloseTo(29.25, 6);
  });

  it("reads bash's format and minutes", () => {
    expect(parse("0m0.004s 0m0.001s\n1m30.500s 0m1.250s")).toBeCloseTo(91.75, 6);
  });

  it("counts the work of the shell's children, as the benchmark runs them", () => {
    const out = execFileSync(
      "sh",
      ["-c", `"${process.execPath}" -e "let x = 0; for (let i = 0; i < 2e7; i++) x += i"; times`],
      {
        encoding: "utf8",
      },
    );
    expect(parse(out)).toBeGreaterThan(0);
  });

  it("refuses output it cannot read instead of comparing zeros", () => {
    expect(() => parse("")).toThrow(/unexpected output of times/);
  });
});
