/**
 * Progress of a long synthesis: on stderr when it is a terminal, stacks done
 * of the total and the time, rewritten in place; nothing at all otherwise
 * (CI logs and pipes stay clean).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { progressOn, SynthProgress } from "../../modules/app/progress";
import { run } from "../../modules/app/run";

class FakeStream {
  text = "";
  constructor(readonly isTTY: boolean) {}
  write(text: string): boolean {
    this.text += text;
    return true;
  }
}

describe("SynthProgress", () => {
  test("writes done/total and the seconds so far, in place, at most every interval", () => {
    const stream = new FakeStream(true);
    let now = 1_000;
    const progress = new SynthProgress(3, stream, () => now, 200);
    progress.add(); // t = 0 ms: written
    now += 100;
    progress.add(); // 100 ms after the last write: skipped
    now += 150;
    progress.add(); // 250 ms: written
    progress.finish();
    expect(stream.text).toBe(
      "\rsynthesising: 1/3 stacks, 0.0 s\rsynthesising: 3/3 stacks, 0.3 s\rsynthesising: 3/3 stacks, 0.3 s\n",
    );
  });

  test("nothing when the stream is not a terminal", () => {
    expect(progressOn(new FakeStream(false), 10)).toBeUndefined();
    expect(progressOn(undefined, 10)).toBeUndefined();
    expect(progressOn(new FakeStream(true), 10)).toBeInstanceOf(SynthProgress);
  });
});

describe("run", () => {
  const outdir = mkdtempSync(join(tmpdir(), "cwl-progress-"));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test("reports every stack of the sample registry on a terminal", async () => {
    const tty = new FakeStream(true);
    const env = { REGISTRY_FILE: "examples/registries/sample/registry.yaml", CDKTF_OUTDIR: join(outdir, "tty") };
    expect((await run(env, () => {}, { progress: tty })).exitCode).toBe(0);
    expect(tty.text).toMatch(/\rsynthesising: 12\/12 stacks, \d+\.\d s\n$/);
  });

  test("writes nothing when stderr is not a terminal", async () => {
    const pipe = new FakeStream(false);
    const env = { REGISTRY_FILE: "examples/registries/sample/registry.yaml", CDKTF_OUTDIR: join(outdir, "pipe") };
    expect((await run(env, () => {}, { progress: pipe })).exitCode).toBe(0);
    expect(pipe.text).toBe("");
  });
});
