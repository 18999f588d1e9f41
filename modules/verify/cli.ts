/**
 * `npm run verify`: after an apply to a sandbox organization, proves the
 * deployment end to end and writes a report. The process, the file system
 * and AWS come in through `CliIo`, so the whole command runs in tests.
 */
import { parseRegistrySources, type RegistrySource } from "../registry/parse";
import { RegistryError } from "../registry/errors";
import type { Registry } from "../registry/types";
import { cleanup, type CleanupPorts } from "./cleanup";
import { DEFAULT_OPTIONS, type Created } from "./context";
import { newRunId } from "./marker";
import type { VerifyPorts } from "./ports";
import { buildReport, checkLine, registryHash, reportMarkdown, type VerifyReport } from "./report";
import { runVerify } from "./run";
import { choiceProblem, verifyTarget, type VerifyTarget } from "./target";

export const HELP = `npm run verify -- [options]

After applying the stacks to a sandbox organization, writes a marker event
into a fresh log group of one source account and proves, with AWS's own
answers, that the deployment does what the design promises: delivery to the
account's own prefix in the record format of the contract, the SIEM queue
and reader role, the denials, the trail, flow logs, replication, heartbeat,
delivery watch, alarms, and (with Athena) the marker and the trail queried
as the log analyst. Each check prints PASS, FAIL or N/A; the report
(Markdown and JSON, with every request id and object key and the registry's
SHA-256) is what you attach to the production change.

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
                         (default: the registry's first account)
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

Exit status: 0 when no check failed, 1 when one did, 2 for bad arguments or a
bad registry. The caller needs: logs:CreateLogGroup, CreateLogStream,
PutLogEvents and iam:SimulatePrincipalPolicy in the source;
s3:GetBucketPolicy, GetEncryptionConfiguration, ListBucket, logs:StartQuery,
GetQueryResults, cloudwatch:DescribeAlarms and sts:AssumeRole of the reader
and log-analyst roles in the log-archive account (an administrator has
them). The Athena queries run as the log analyst in the interactive
workgroup and scan about twice the source's objects of two hours. --cleanup
needs logs:DeleteLogGroup in the source and s3:DeleteObjectVersion in the
log-archive account.
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
  stdout(text: string): void;
  stderr(text: string): void;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_INPUT = 2;

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
  let sha256: string;
  try {
    const sources = io.readRegistrySources(io.registryFile);
    registry = parseRegistrySources(sources.main, sources.accounts);
    sha256 = registryHash([sources.main, ...sources.accounts]);
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    io.stderr(`verify: ${error.message}\n`);
    return EXIT_INPUT;
  }
  const account = args.sourceAccount
    ? registry.accounts.find((a) => a.id === args.sourceAccount)
    : registry.accounts[0];
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
  const runId = newRunId(io.now());
  io.stdout(
    `verify: run ${runId}: marker into ${target.sourceAccountId} ${target.sourceRegion}, archive ${target.archiveBucket}\n`,
  );
  const ports = await io.makePorts(args, target, runId);
  const outcome = await runVerify(target, ports, runId, io.synthesisedStacks(target.stacks), {
    ...DEFAULT_OPTIONS,
    marginMs: args.marginMinutes * 60_000,
  });
  const report = buildReport(outcome, target, { file: io.registryFile, sha256 });
  for (const check of report.checks) io.stdout(`${checkLine(check)}\n`);
  io.makeDirectory(args.out);
  const json = `${args.out}/${runId}.json`;
  io.writeText(json, `${JSON.stringify(report, null, 2)}\n`);
  io.writeText(`${args.out}/${runId}.md`, reportMarkdown(report));
  const s = report.summary;
  io.stdout(
    `verify: ${s.pass} passed, ${s.fail} failed, ${s.notApplicable} not applicable; report ${args.out}/${runId}.md\n`,
  );
  io.stdout(`verify: remove what the run created with: npm run verify -- --cleanup ${json}\n`);
  return s.fail > 0 ? EXIT_FAILED : EXIT_OK;
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
