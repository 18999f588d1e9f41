/**
 * `npm run verify`: after an apply to a sandbox organization, proves the
 * deployment end to end and writes a report. The process, the file system
 * and AWS come in through `CliIo`, so the whole command runs in tests.
 */
import { parseRegistrySources, type RegistrySource } from "../registry/parse";
import { RegistryError } from "../registry/errors";
import type { Registry } from "../registry/types";
import { cleanup, type CleanupPorts } from "./cleanup";
import { permissionsHelp } from "./permissions";
import { DEFAULT_OPTIONS, type Created } from "./context";
import { newRunId } from "./marker";
import type { VerifyPorts } from "./ports";
import {
  buildReport,
  checkLine,
  createdAnything,
  registryProvenance,
  reportMarkdown,
  summaryText,
  type Caller,
  type RegistryProvenance,
  type ToolVersion,
  type VerifyReport,
} from "./report";
import { runVerify } from "./run";
import { choiceProblem, defaultSourceAccount, verifyTarget, type VerifyTarget } from "./target";

export const HELP = `npm run verify -- [options]

After applying the stacks to a sandbox organization, writes a marker event
into a fresh log group of one source account and proves, with AWS's own
answers, that the deployment does what the design promises: delivery to the
account's own prefix in the record format of the contract, the SIEM queue
and reader role, the denials, the trail, flow logs, replication, heartbeat,
delivery watch, alarms, and (with Athena) the marker and the trail queried
as the log analyst. Before any check, it asks sts:GetCallerIdentity who each
set of credentials is, and stops (writing nothing) when one does not work.
Each check prints PASS, FAIL, INCONCLUSIVE (its AWS call failed for a reason
that is not the behaviour under test: credentials, throttling, the network, a
permission the caller lacks) or N/A; the report (Markdown and JSON, with every
request id and object key, each caller's ARN, the tool's commit and the
registry's SHA-256) is what you attach to the production change.

It reads the registry in use (REGISTRY_FILE, default accounts/registry.yaml)
and expects its stacks synthesised in cdktf.out/ (npx cdktf synth). It writes
only a log group /<prefix>/verify/<run> in the source account; the probes
that must be refused go under verify/<run>/ of the archive; with Athena, its
two queries' results go to the workgroup's results bucket (they expire
there). It changes no policy.

Credentials (each: a named profile, or a role assumed from the default chain;
neither: the default chain):
  --archive-profile <name> | --archive-role <arn>
                         an administrator of the log-archive account
  --source-profile <name> | --source-role <arn>
                         an administrator of the source account
  --reader-profile <name> | --reader-role <arn>
                         a principal of siem.readerPrincipals, which assumes
                         the SIEM reader role with the ExternalId
                         (default: the log-archive credentials, which is what
                         siem.readerPrincipals admits by default)
  --analyst-profile <name> | --analyst-role <arn>
                         a principal of monitoring.athena.analystPrincipals,
                         which assumes the log-analyst role (default: the
                         log-archive credentials, which is what
                         analystPrincipals admits by default)

Options:
  --source-account <id>  the source account to write the marker into
                         (default: the first active source account in
                         subscription.mode all without a filter pattern that
                         is neither a management account nor the log-archive
                         account; required when none is)
  --source-region <name> its Region (default: the account's first Region)
  --external-id <value>  the reader role's ExternalId (default: siem.externalId,
                         or the organization id)
  --margin-minutes <n>   added to the buffering interval before a wait gives up,
                         and how long an Athena query may run (default 5)
  --out <dir>            where the report goes (default verify-report/):
                         <run>.json and <run>.md
  --cleanup <report.json>
                         remove what that run created (its log group, and any
                         probe a broken denial let through) and nothing else;
                         the delivered marker object stays (archived objects
                         are never deleted; Object Lock keeps them)
  -h, --help             print this help

Exit status: 0 when no check failed or was inconclusive, 1 when one failed,
3 when none failed but one or more were inconclusive, 2 for bad arguments, a
bad registry or credentials that do not work.

Permissions (sts:GetCallerIdentity needs none):
${permissionsHelp()}

The Athena queries run as the log analyst in the interactive workgroup and
scan about twice the source's objects of two hours.
`;

export interface Credentials {
  readonly profile?: string;
  readonly role?: string;
}

export interface VerifyArgs {
  readonly help: boolean;
  readonly sourceAccount?: string;
  readonly sourceRegion?: string;
  readonly externalId?: string;
  readonly marginMinutes: number;
  readonly out: string;
  readonly cleanup?: string;
  readonly archive: Credentials;
  readonly source: Credentials;
  readonly reader: Credentials;
  readonly analyst: Credentials;
}

const VALUE_FLAGS = [
  "--source-account",
  "--source-region",
  "--external-id",
  "--margin-minutes",
  "--out",
  "--cleanup",
  "--archive-profile",
  "--archive-role",
  "--source-profile",
  "--source-role",
  "--reader-profile",
  "--reader-role",
  "--analyst-profile",
  "--analyst-role",
] as const;

/** The arguments, or the problem with them. */
export function parseArgs(argv: readonly string[]): VerifyArgs | string {
  const values = new Map<string, string>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-h" || arg === "--help") {
      help = true;
      continue;
    }
    const [flag, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    if (!(VALUE_FLAGS as readonly string[]).includes(flag)) return `unknown argument ${arg}`;
    const value = inline ?? argv[++i];
    if (value === undefined || value === "") return `${flag} needs a value`;
    values.set(flag, value);
  }
  for (const who of ["archive", "source", "reader", "analyst"]) {
    if (values.has(`--${who}-profile`) && values.has(`--${who}-role`)) {
      return `--${who}-profile and --${who}-role exclude each other`;
    }
  }
  const margin = Number(values.get("--margin-minutes") ?? "5");
  if (!Number.isInteger(margin) || margin < 0 || margin > 120)
    return "--margin-minutes must be a whole number from 0 to 120";
  const account = values.get("--source-account");
  if (account !== undefined && !/^\d{12}$/.test(account))
    return `--source-account must be a 12-digit account id, got ${account}`;
  const credentials = (who: string): Credentials => ({
    profile: values.get(`--${who}-profile`),
    role: values.get(`--${who}-role`),
  });
  return {
    help,
    sourceAccount: account,
    sourceRegion: values.get("--source-region"),
    externalId: values.get("--external-id"),
    marginMinutes: margin,
    out: values.get("--out") ?? "verify-report",
    cleanup: values.get("--cleanup"),
    archive: credentials("archive"),
    source: credentials("source"),
    reader: credentials("reader"),
    analyst: credentials("analyst"),
  };
}

export interface CliIo {
  readonly registryFile: string;
  readRegistrySources(file: string): { main: RegistrySource; accounts: RegistrySource[] };
  /** The parsed cdk.tf.json of each named stack that cdktf.out/ holds. */
  synthesisedStacks(names: readonly string[]): ReadonlyMap<string, unknown>;
  readText(file: string): string;
  writeText(file: string, text: string): void;
  makeDirectory(dir: string): void;
  now(): number;
  makePorts(args: VerifyArgs, target: VerifyTarget, runId: string): Promise<VerifyPorts>;
  makeCleanupPorts(args: VerifyArgs, report: VerifyReport): Promise<CleanupPorts>;
  /** sts:GetCallerIdentity with one set of credentials; throws AWS's (or the SDK's) error. */
  callerIdentity(set: CredentialSet): Promise<CallerIdentity>;
  /** AWS_PROFILE, which the default credential chain uses. */
  readonly defaultProfile?: string;
  /** The git commit of the checkout the tool runs from, else the package version. */
  toolVersion(): ToolVersion;
  stdout(text: string): void;
  stderr(text: string): void;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_INPUT = 2;
/** No check failed, but at least one could not decide (see CheckStatus). */
export const EXIT_INCONCLUSIVE = 3;

export type CredentialSetName = "archive" | "source" | "reader" | "analyst";

/** One set of credentials of the run, checked with sts:GetCallerIdentity before anything else. */
export interface CredentialSet {
  readonly name: CredentialSetName;
  readonly credentials: Credentials;
  readonly region: string;
}

export interface CallerIdentity {
  readonly arn: string;
  readonly account: string;
  readonly requestId?: string;
}

/** How the user supplied a credential set, in the words of the command line. */
export function credentialsVia(set: CredentialSet, defaultProfile?: string): string {
  if (set.credentials.profile) return `--${set.name}-profile ${set.credentials.profile}`;
  if (set.credentials.role) return `--${set.name}-role ${set.credentials.role}`;
  const chain = defaultProfile
    ? `the default credential chain, AWS_PROFILE=${defaultProfile}`
    : "the default credential chain";
  return `${chain} (no --${set.name}-profile or --${set.name}-role)`;
}

/**
 * Asks each set who it is; the callers, or the message naming every set that
 * does not work and AWS's answer (nothing else has run yet).
 */
export async function identifyCallers(
  sets: readonly CredentialSet[],
  io: Pick<CliIo, "callerIdentity" | "defaultProfile">,
): Promise<Caller[] | string> {
  const callers: Caller[] = [];
  const problems: string[] = [];
  for (const set of sets) {
    const via = credentialsVia(set, io.defaultProfile);
    try {
      const who = await io.callerIdentity(set);
      callers.push({ credentials: set.name, via, arn: who.arn, account: who.account, requestId: who.requestId });
    } catch (error) {
      problems.push(`the ${set.name} credentials (${via}) do not work: ${(error as Error).message}`);
    }
  }
  if (problems.length === 0) return callers;
  return `${problems.join("\n  ")}\nnothing was run, created or written (sts:GetCallerIdentity failed)`;
}

/** The credential sets a run uses: the reader and the analyst only when given (else they are the archive's). */
function credentialSets(args: VerifyArgs, archiveRegion: string, sourceRegion: string): CredentialSet[] {
  const given = (c: Credentials) => c.profile !== undefined || c.role !== undefined;
  return [
    { name: "archive", credentials: args.archive, region: archiveRegion },
    { name: "source", credentials: args.source, region: sourceRegion },
    ...(given(args.reader) ? [{ name: "reader" as const, credentials: args.reader, region: archiveRegion }] : []),
    ...(given(args.analyst) ? [{ name: "analyst" as const, credentials: args.analyst, region: archiveRegion }] : []),
  ];
}

export async function runVerifyCli(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === "string") {
    io.stderr(`verify: ${args}\n\n${HELP}`);
    return EXIT_INPUT;
  }
  if (args.help) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  if (args.cleanup) return runCleanup(args, args.cleanup, io);
  let registry: Registry;
  let provenance: RegistryProvenance;
  try {
    const sources = io.readRegistrySources(io.registryFile);
    registry = parseRegistrySources(sources.main, sources.accounts);
    provenance = registryProvenance(io.registryFile, [sources.main, ...sources.accounts]);
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    io.stderr(`verify: ${error.message}\n`);
    return EXIT_INPUT;
  }
  const account = args.sourceAccount
    ? registry.accounts.find((a) => a.id === args.sourceAccount)
    : defaultSourceAccount(registry);
  if (!account && !args.sourceAccount) {
    io.stderr(
      "verify: pass --source-account: no active source account of the registry is in subscription.mode all without a filter pattern and neither a management account nor the log-archive account (the marker needs an account whose every log group is delivered)\n",
    );
    return EXIT_INPUT;
  }
  const choice = {
    sourceAccountId: args.sourceAccount ?? account?.id ?? "",
    sourceRegion: args.sourceRegion ?? account?.regions[0] ?? "",
  };
  const problem = choiceProblem(registry, choice);
  if (problem) {
    io.stderr(`verify: ${problem}\n`);
    return EXIT_INPUT;
  }
  const base = verifyTarget(registry, choice);
  const target = args.externalId ? { ...base, externalId: args.externalId } : base;
  const callers = await identifyCallers(credentialSets(args, target.archiveRegion, target.sourceRegion), io);
  if (typeof callers === "string") {
    io.stderr(`verify: ${callers}\n`);
    return EXIT_INPUT;
  }
  const runId = newRunId(io.now());
  io.stdout(
    `verify: run ${runId}: marker into ${target.sourceAccountId} ${target.sourceRegion}, archive ${target.archiveBucket}\n`,
  );
  const ports = await io.makePorts(args, target, runId);
  const outcome = await runVerify(target, ports, runId, io.synthesisedStacks(target.stacks), {
    ...DEFAULT_OPTIONS,
    marginMs: args.marginMinutes * 60_000,
  });
  const report = buildReport(outcome, target, provenance, callers, io.toolVersion());
  for (const check of report.checks) io.stdout(`${checkLine(check)}\n`);
  io.makeDirectory(args.out);
  const json = `${args.out}/${runId}.json`;
  io.writeText(json, `${JSON.stringify(report, null, 2)}\n`);
  io.writeText(`${args.out}/${runId}.md`, reportMarkdown(report));
  const s = report.summary;
  io.stdout(`verify: ${summaryText(s)}; report ${args.out}/${runId}.md\n`);
  if (createdAnything(report.created)) {
    io.stdout(`verify: remove what the run created with: npm run verify -- --cleanup ${json}\n`);
  } else {
    io.stdout("verify: the run created nothing to clean up\n");
  }
  if (s.fail > 0) return EXIT_FAILED;
  return s.inconclusive > 0 ? EXIT_INCONCLUSIVE : EXIT_OK;
}

async function runCleanup(args: VerifyArgs, file: string, io: CliIo): Promise<number> {
  let report: VerifyReport;
  try {
    report = JSON.parse(io.readText(file)) as VerifyReport;
    if (report.tool !== "cwl-log-archive verify" || !report.created) throw new Error("not a verify report");
  } catch (error) {
    io.stderr(`verify: --cleanup ${file}: ${(error as Error).message}\n`);
    return EXIT_INPUT;
  }
  if (!createdAnything(report.created)) {
    io.stdout(`verify: run ${report.runId} created nothing; nothing to delete\n`);
    return EXIT_OK;
  }
  const sets: CredentialSet[] = [
    { name: "archive", credentials: args.archive, region: report.target.archiveRegion },
    { name: "source", credentials: args.source, region: report.target.sourceRegion },
  ];
  const callers = await identifyCallers(sets, io);
  if (typeof callers === "string") {
    io.stderr(`verify: ${callers}\n`);
    return EXIT_INPUT;
  }
  const prefix = prefixOf(report.created);
  const ports = await io.makeCleanupPorts(args, report);
  for (const line of await cleanup(prefix, report.runId, report.created, ports)) io.stdout(`${line}\n`);
  return EXIT_OK;
}

/** The naming prefix a run used, from its marker log group `/<prefix>/verify/<run>`. */
function prefixOf(created: Created): string {
  const group = created.logGroups[0]?.name ?? "";
  return group.split("/")[1] ?? "";
}
