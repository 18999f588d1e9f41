/** One check's outcome, with the AWS evidence a reviewer can look up. */

export type CheckStatus = "pass" | "fail" | "not-applicable";

export interface Evidence {
  /** What was done or seen, in a few words. */
  readonly what: string;
  readonly requestId?: string;
  readonly key?: string;
  readonly detail?: string;
}

export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  /** One line: why it passed, failed or does not apply. */
  readonly summary: string;
  readonly evidence: readonly Evidence[];
}

export interface CheckSpec {
  readonly id: string;
  readonly title: string;
}

export const pass = (spec: CheckSpec, summary: string, evidence: readonly Evidence[] = []): CheckResult => ({
  ...spec,
  status: "pass",
  summary,
  evidence,
});
export const fail = (spec: CheckSpec, summary: string, evidence: readonly Evidence[] = []): CheckResult => ({
  ...spec,
  status: "fail",
  summary,
  evidence,
});
export const notApplicable = (spec: CheckSpec, summary: string): CheckResult => ({
  ...spec,
  status: "not-applicable",
  summary,
  evidence: [],
});

/** An error as evidence: its code and request id when AWS sent them. */
export function errorEvidence(what: string, error: unknown): Evidence {
  const e = error as { code?: string; requestId?: string; message?: string };
  return { what, requestId: e.requestId, detail: e.message ?? String(error) };
}

/** An error's message, for a check's one-line summary. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
