// The CPU time of a benchmarked synthesis, read from the shell that ran it.

/**
 * User plus system seconds of the shell's children, from the second line of
 * POSIX `times` output ("0m0.01s 0m0.00s\n0m27.10s 0m2.15s").
 */
export function childrenCpuSeconds(text) {
  const line = text.trim().split("\n")[1] ?? "";
  const parts = [...line.matchAll(/(\d+)m([\d.]+)s/g)];
  if (parts.length !== 2) throw new Error(`unexpected output of times: ${JSON.stringify(text)}`);
  return parts.reduce((sum, [, minutes, seconds]) => sum + Number(minutes) * 60 + Number(seconds), 0);
}
