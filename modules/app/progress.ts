/**
 * Progress of a long synthesis on stderr: stacks done of the total and the
 * time so far, rewritten in place at most every `intervalMs`, and only when
 * stderr is a terminal (nothing in CI logs or pipes). Worker processes report
 * each stack as a marker line on their stderr, which the parent counts.
 */

/** What a progress line is written to. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** The line a worker writes to its stderr for each stack it has synthesised. */
export const PROGRESS_MARKER = "cwl-synth-progress";

export class SynthProgress {
  private done = 0;
  private lastWrite = -Infinity;
  private readonly started: number;

  constructor(
    private readonly total: number,
    private readonly stream: ProgressStream,
    private readonly now: () => number = () => Date.now(),
    private readonly intervalMs = 200,
  ) {
    this.started = now();
  }

  /** `count` more stacks are synthesised. */
  add(count = 1): void {
    this.done += count;
    const at = this.now();
    if (at - this.lastWrite >= this.intervalMs) this.write(at);
  }

  /** The synthesis is over: the final count, then a newline. */
  finish(): void {
    this.write(this.now());
    this.stream.write("\n");
  }

  private write(at: number): void {
    this.lastWrite = at;
    const seconds = ((at - this.started) / 1000).toFixed(1);
    this.stream.write(`\rsynthesising: ${Math.min(this.done, this.total)}/${this.total} stacks, ${seconds} s`);
  }
}

/** A progress reporter when `stream` is a terminal, nothing otherwise. */
export function progressOn(stream: ProgressStream | undefined, total: number): SynthProgress | undefined {
  return stream?.isTTY ? new SynthProgress(total, stream) : undefined;
}
