/**
 * cdktf records a full stack trace for every token it creates (each resource
 * attribute, each nested block's output reference), only to decorate error
 * messages. At thousands of stacks that formatting dominated synthesis: 60% of
 * the time and most of the memory (measured in docs/benchmarks.md).
 *
 * cdktf captures into a plain object, never an Error: for those targets the
 * capture is skipped and the formatting returns nothing, while every real
 * Error keeps its stack trace.
 */
type PrepareStackTrace = NonNullable<typeof Error.prepareStackTrace>;

function defaultFormat(error: Error, frames: NodeJS.CallSite[]): string {
  return `${String(error)}${frames.map((frame) => `\n    at ${String(frame)}`).join("")}`;
}

/**
 * Runs `work` with cdktf's token creation stacks left empty. With
 * `keep = true` (CWL_TOKEN_STACK_TRACES=1) nothing changes: token errors then
 * show where the token was created, at the cost above.
 */
export function withoutTokenStackTraces<T>(work: () => T, keep = false): T {
  if (keep) return work();
  const previous = Error.prepareStackTrace;
  const capture = Error.captureStackTrace;
  const prepare: PrepareStackTrace = (target, frames) =>
    target instanceof Error ? (previous ?? defaultFormat)(target, frames) : "";
  Error.prepareStackTrace = prepare;
  Error.captureStackTrace = (target: object, constructorOpt?: Parameters<typeof capture>[1]) => {
    if (target instanceof Error) capture(target, constructorOpt);
  };
  try {
    return work();
  } finally {
    Error.prepareStackTrace = previous;
    Error.captureStackTrace = capture;
  }
}
