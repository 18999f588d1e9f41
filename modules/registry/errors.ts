/** One problem in a registry file, at a path inside it. */
export interface RegistryProblem {
  /** File the problem is in, as the user named it. */
  readonly file: string;
  /** Path inside the document, e.g. `accounts[2].id`; `(root)` for the document itself. */
  readonly path: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
  /** The offending value as written, or undefined when the field is missing. */
  readonly got?: string;
}

/**
 * Every problem found in a registry, reported at once: one line each, as
 * `<file>: <path>: <what is wrong>, got <value>`.
 */
export class RegistryError extends Error {
  constructor(readonly problems: readonly RegistryProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "RegistryError";
  }
}

export function formatProblem(problem: RegistryProblem): string {
  const got = problem.got === undefined ? "" : `, got ${problem.got}`;
  return `${problem.file}: ${problem.path}: ${problem.message}${got}`;
}

export type PathSegment = string | number;

/** Escapes control characters and Unicode line separators, so a problem stays on one line. */
export function printable(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

export function formatPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return "(root)";
  return path
    .map((segment, index) =>
      typeof segment === "number"
        ? `[${segment}]`
        : /^[A-Za-z_$][\w$]*$/.test(segment)
          ? `${index === 0 ? "" : "."}${segment}`
          : `[${printable(JSON.stringify(segment))}]`,
    )
    .join("");
}
