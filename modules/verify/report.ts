/** The report a reviewer attaches to the production change: JSON for tools, Markdown for people. */
import { createHash } from "node:crypto";
import type { Created } from "./context";
import type { CheckResult } from "./result";
import type { RunOutcome } from "./run";
import type { VerifyTarget } from "./target";

export interface VerifyReport {
  readonly tool: "cwl-log-archive verify";
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly registry: RegistryProvenance;
  /** Who ran each credential set, as sts:GetCallerIdentity answered before any check. */
  readonly callers: readonly Caller[];
  /** The code that ran: its git commit (and whether the checkout had changes), else the package version. */
  readonly toolVersion: ToolVersion;
  readonly target: {
    readonly archiveAccountId: string;
    readonly archiveRegion: string;
    readonly archiveBucket: string;
    readonly sourceAccountId: string;
    readonly sourceRegion: string;
    readonly topology: string;
  };
  readonly summary: {
    readonly pass: number;
    readonly fail: number;
    readonly inconclusive: number;
    readonly notApplicable: number;
  };
  readonly checks: readonly CheckResult[];
  readonly created: Created;
}

export interface RegistryProvenance {
  readonly file: string;
  /** SHA-256 of `files` written as sha256sum writes them: `sha256sum <files in this order> | sha256sum`. */
  readonly sha256: string;
  /** Each file of the registry (the main file, then the account files in load order) with its SHA-256. */
  readonly files: readonly { readonly file: string; readonly sha256: string }[];
}

export interface Caller {
  /** archive, source, reader or analyst. */
  readonly credentials: string;
  /** The flag or chain that supplied them, as given on the command line. */
  readonly via: string;
  readonly arn: string;
  readonly account: string;
  readonly requestId?: string;
}

export interface ToolVersion {
  readonly commit?: string;
  /** The checkout had uncommitted changes when it ran. */
  readonly dirty?: boolean;
  readonly version: string;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * The registry's provenance, recomputable with coreutils: each file's
 * SHA-256, and the SHA-256 of the lines `sha256sum` prints for them in load
 * order (`<hash>  <file>`), so `sha256sum <files> | sha256sum` gives it back.
 */
export function registryProvenance(
  main: string,
  files: readonly { readonly file: string; readonly text: string }[],
): RegistryProvenance {
  const hashed = files.map(({ file, text }) => ({ file, sha256: sha256(text) }));
  return { file: main, sha256: registryHash(files), files: hashed };
}

/** See registryProvenance: the SHA-256 of `sha256sum <files>`'s output. */
export function registryHash(files: readonly { readonly file: string; readonly text: string }[]): string {
  return sha256(files.map(({ file, text }) => `${sha256(text)}  ${file}\n`).join(""));
}

export function buildReport(
  outcome: RunOutcome,
  target: VerifyTarget,
  registry: RegistryProvenance,
  callers: readonly Caller[],
  toolVersion: ToolVersion,
): VerifyReport {
  const count = (status: CheckResult["status"]) => outcome.checks.filter((c) => c.status === status).length;
  return {
    tool: "cwl-log-archive verify",
    runId: outcome.runId,
    startedAt: new Date(outcome.startedAt).toISOString(),
    finishedAt: new Date(outcome.finishedAt).toISOString(),
    registry,
    callers,
    toolVersion,
    target: {
      archiveAccountId: target.archiveAccountId,
      archiveRegion: target.archiveRegion,
      archiveBucket: target.archiveBucket,
      sourceAccountId: target.sourceAccountId,
      sourceRegion: target.sourceRegion,
      topology: target.topology,
    },
    summary: {
      pass: count("pass"),
      fail: count("fail"),
      inconclusive: count("inconclusive"),
      notApplicable: count("not-applicable"),
    },
    checks: outcome.checks,
    created: outcome.created,
  };
}

const LABEL: Record<CheckResult["status"], string> = {
  pass: "PASS",
  fail: "FAIL",
  inconclusive: "INCONCLUSIVE",
  "not-applicable": "N/A",
};

/** The summary's counts in words, as the terminal and the report say them. */
export function summaryText(s: VerifyReport["summary"]): string {
  return `${s.pass} passed, ${s.fail} failed, ${s.inconclusive} inconclusive, ${s.notApplicable} not applicable`;
}

/** Whether a run created anything `--cleanup` would remove. */
export function createdAnything(created: Created): boolean {
  return created.logGroups.length > 0 || created.objects.length > 0;
}

function toolText(v: ToolVersion): string {
  if (!v.commit) return `package version ${v.version} (not run from a git checkout)`;
  return `commit \`${v.commit}\`${v.dirty ? " with uncommitted changes" : ""} (package version ${v.version})`;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** One line a check, as the terminal shows it while the report is written. */
export function checkLine(check: CheckResult): string {
  return `${LABEL[check.status].padEnd(4)} ${check.id}: ${check.summary}`;
}

export function reportMarkdown(report: VerifyReport): string {
  const t = report.target;
  const lines = [
    `# Verification of the log archive: run ${report.runId}`,
    "",
    `- Registry: \`${report.registry.file}\`, SHA-256 \`${report.registry.sha256}\` (\`sha256sum ${report.registry.files.map((f) => f.file).join(" ")} | sha256sum\`)`,
    ...report.registry.files.map((f) => `  - \`${f.file}\`: \`${f.sha256}\``),
    `- Tool: ${toolText(report.toolVersion)}`,
    ...report.callers.map((c) => `- ${c.credentials} credentials (${c.via}): \`${c.arn}\``),
    `- Log-archive account ${t.archiveAccountId} (${t.archiveRegion}), bucket \`${t.archiveBucket}\``,
    `- Source account ${t.sourceAccountId} (${t.sourceRegion}), topology ${t.topology}`,
    `- From ${report.startedAt} to ${report.finishedAt}`,
    `- **${summaryText(report.summary)}**`,
    "",
    "| check | result | summary |",
    "| --- | --- | --- |",
    ...report.checks.map((c) => `| ${c.id} | ${LABEL[c.status]} | ${cell(c.summary)} |`),
    "",
    "## Evidence",
    "",
  ];
  for (const check of report.checks) {
    lines.push(`### ${check.id}: ${check.title}`, "", `${LABEL[check.status]}: ${check.summary}`, "");
    for (const e of check.evidence) {
      const parts = [e.what];
      if (e.key) parts.push(`key \`${e.key}\``);
      if (e.requestId) parts.push(`request id \`${e.requestId}\``);
      if (e.detail) parts.push(e.detail);
      lines.push(`- ${parts.map(cell).join("; ")}`);
    }
    if (check.evidence.length > 0) lines.push("");
  }
  if (!createdAnything(report.created)) {
    lines.push("## Created by this run", "", "Nothing: there is nothing to clean up.", "");
    return lines.join("\n");
  }
  lines.push(
    "## Created by this run",
    "",
    ...report.created.logGroups.map((g) => `- log group \`${g.name}\` in ${g.accountId} (${g.region})`),
    ...report.created.objects.map(
      (o) => `- object \`${o.key}\` in \`${o.bucket}\` (a write that should have been refused)`,
    ),
    "",
    "`npm run verify -- --cleanup <this report's JSON>` removes them. The marker object that Firehose delivered stays: no principal may delete archived objects, and Object Lock keeps it until its retention date.",
    "",
  );
  return lines.join("\n");
}
