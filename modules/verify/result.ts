/** One check's outcome, with the AWS evidence a reviewer can look up. */

/**
 * `inconclusive`: the check's AWS call failed for a reason that is not the
 * behaviour under test (credentials, throttling, the network, a permission
 * the caller lacks for the probe itself), so it proves neither way.
 */
export type CheckStatus = "pass" | "fail" | "inconclusive" | "not-applicable";

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

export const inconclusive = (spec: CheckSpec, summary: string, evidence: readonly Evidence[] = []): CheckResult => ({
  ...spec,
  status: "inconclusive",
  summary,
  evidence,
});

/**
 * Error codes (and, for errors that never reached AWS, messages) that say
 * nothing of the deployment: the caller's credentials, throttling, AWS's own
 * trouble, the network.
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 */
const NOT_THE_DEPLOYMENT = new Set([
  "CredentialsProviderError",
  "ExpiredToken",
  "ExpiredTokenException",
  "RequestExpired",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "IncompleteSignature",
  "MissingAuthenticationToken",
  "TokenRefreshRequired",
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "SlowDown",
  "RequestTimeout",
  "RequestTimeoutException",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "InternalError",
  "InternalFailure",
  "TimeoutError",
]);
const NETWORK = /getaddrinfo|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|socket hang up/;

/** Whether an error says nothing of the deployment (so a check that met it is inconclusive, not failed). */
export function isInconclusiveError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === "string" ? e.code : undefined;
  const message = typeof e?.message === "string" ? e.message : String(error);
  return (code !== undefined && NOT_THE_DEPLOYMENT.has(code)) || NETWORK.test(message);
}

/**
 * A check whose AWS call threw, judged: inconclusive when the error is not
 * the deployment's answer, else as the check decided. With `callerNeeds`,
 * the call is one the caller makes with its own permissions (not a probe of
 * a denial), so an AccessDenied means the caller lacks that permission:
 * inconclusive too, naming it.
 */
export function judged(error: unknown, result: CheckResult, callerNeeds?: string): CheckResult {
  if (result.status !== "fail") return result;
  if (isInconclusiveError(error)) return { ...result, status: "inconclusive" };
  const code = (error as { code?: unknown })?.code;
  if (callerNeeds && typeof code === "string" && /AccessDenied|Authorization/.test(code)) {
    return { ...result, status: "inconclusive", summary: `${result.summary} (the caller needs ${callerNeeds})` };
  }
  return result;
}

export function failedOrInconclusive(
  spec: CheckSpec,
  summary: string,
  error: unknown,
  evidence: readonly Evidence[] = [],
): CheckResult {
  return judged(error, fail(spec, summary, evidence));
}

/** An error as evidence: its code and request id when AWS sent them. */
export function errorEvidence(what: string, error: unknown): Evidence {
  const e = error as { code?: string; requestId?: string; message?: string };
  return { what, requestId: e.requestId, detail: e.message ?? String(error) };
}

/** An error's message, for a check's one-line summary. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A check that needs the SIEM reader role, when it was not assumed: inconclusive when that was not the trust's answer. */
export function withoutReader(
  ctx: { readonly readerProblem?: string; readonly readerInconclusive?: boolean },
  spec: CheckSpec,
): CheckResult {
  const problem = ctx.readerProblem ?? "no reader credentials";
  return ctx.readerInconclusive ? inconclusive(spec, problem) : fail(spec, problem);
}
