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
  readonly registry: { readonly file: string; readonly sha256: string };
  readonly target: {
    readonly archiveAccountId: string;
    readonly archiveRegion: string;
    readonly archiveBucket: string;
    readonly sourceAccountId: string;
    readonly sourceRegion: string;
    readonly topology: string;
  };
  readonly summary: { readonly pass: number; readonly fail: number; readonly notApplicable: number };
  readonly checks: readonly CheckResult[];
  readonly created: Created;
}

/** SHA-256 over the registry's files (main file, then account files in load order), names included. */
export function registryHash(files: readonly { readonly file: string; readonly text: string }[]): string {
  const hash = createHash("sha256");
  for (const { file, text } of files) hash.update(`${file}\n${text.length}\n${text}`);
  return hash.digest("hex");
}

export function buildReport(
  outcome: RunOutcome,
  target: VerifyTarget,
  registry: { readonly file: string; readonly sha256: string },
): VerifyReport {
  const count = (status: CheckResult["status"]) => outcome.checks.filter((c) => c.status === status).length;
  return {
    tool: "cwl-log-archive verify",
    runId: outcome.runId,
    startedAt: new Date(outcome.startedAt).toISOString(),
    finishedAt: new Date(outcome.finishedAt).toISOString(),
    registry,
    target: {
      archiveAccountId: target.archiveAccountId,
      archiveRegion: target.archiveRegion,
      archiveBucket: target.archiveBucket,
      sourceAccountId: target.sourceAccountId,
      sourceRegion: target.sourceRegion,
      topology: target.topology,
    },
    summary: { pass: count("pass"), fail: count("fail"), notApplicable: count("not-applicable") },
    checks: outcome.checks,
    created: outcome.created,
  };
}

const LABEL: Record<CheckResult["status"], string> = { pass: "PASS", fail: "FAIL", "not-applicable": "N/A" };

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
    `- Registry: \`${report.registry.file}\`, SHA-256 \`${report.registry.sha256}\``,
    `- Log-archive account ${t.archiveAccountId} (${t.archiveRegion}), bucket \`${t.archiveBucket}\``,
    `- Source account ${t.sourceAccountId} (${t.sourceRegion}), topology ${t.topology}`,
    `- From ${report.startedAt} to ${report.finishedAt}`,
    `- **${report.summary.pass} passed, ${report.summary.fail} failed, ${report.summary.notApplicable} not applicable**`,
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
