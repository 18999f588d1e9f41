/** The report's provenance: who ran each credential set, which code, which registry (recomputable with coreutils). */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { registrySources } from "../../modules/registry/load";
import { runVerifyCli } from "../../modules/verify/cli";
import { registryProvenance, type VerifyReport } from "../../modules/verify/report";
import { toolVersionOf } from "../../modules/verify/tool-version";
import { ARCHIVE, SOURCE } from "../helpers/registry";
import { TOOL_COMMIT, cliIo } from "./cli-io";

const ROOT = join(__dirname, "../..");

function hasSha256sum(): boolean {
  try {
    execFileSync("sha256sum", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("report provenance", () => {
  test("the report names each caller's ARN, the tool's commit and each registry file's SHA-256", async () => {
    const reader = `arn:aws:iam::${ARCHIVE}:role/siem-stand-in`;
    const cli = cliIo();
    expect(await runVerifyCli(["--archive-profile", "sandbox-log-archive", "--reader-role", reader], cli)).toBe(0);
    const json = [...cli.files.keys()].find((f) => f.endsWith(".json"))!;
    const report = JSON.parse(cli.files.get(json)!) as VerifyReport;
    expect(report.callers.map((c) => [c.credentials, c.via, c.arn])).toEqual([
      ["archive", "--archive-profile sandbox-log-archive", `arn:aws:sts::${ARCHIVE}:assumed-role/admin/archive`],
      [
        "source",
        "the default credential chain (no --source-profile or --source-role)",
        `arn:aws:sts::${SOURCE}:assumed-role/admin/source`,
      ],
      ["reader", `--reader-role ${reader}`, `arn:aws:sts::${ARCHIVE}:assumed-role/admin/reader`],
    ]);
    expect(report.toolVersion).toEqual({ commit: TOOL_COMMIT, dirty: false, version: "0.1.0" });
    expect(report.registry.files.map((f) => f.file)).toEqual(["accounts/registry.yaml"]);
    const markdown = cli.files.get(json.replace(/\.json$/, ".md"))!;
    expect(markdown).toContain(`- Tool: commit \`${TOOL_COMMIT}\` (package version 0.1.0)`);
    expect(markdown).toContain(
      `- archive credentials (--archive-profile sandbox-log-archive): \`arn:aws:sts::${ARCHIVE}:assumed-role/admin/archive\``,
    );
    expect(markdown).toContain("`sha256sum accounts/registry.yaml | sha256sum`");
  });

  test("the registry's hash is the SHA-256 of sha256sum's lines for its files, in load order", () => {
    const { main, accounts } = registrySources(join(ROOT, "accounts/registry.yaml"));
    const relative = [main, ...accounts].map((s) => ({ file: s.file.slice(ROOT.length + 1), text: s.text }));
    expect(relative.length).toBeGreaterThan(1);
    const provenance = registryProvenance("accounts/registry.yaml", relative);
    const sha = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
    const lines = relative.map(({ file }) => `${sha(readFileSync(join(ROOT, file)))}  ${file}\n`).join("");
    expect(provenance.files.map((f) => `${f.sha256}  ${f.file}\n`).join("")).toBe(lines);
    expect(provenance.sha256).toBe(sha(lines));
    if (hasSha256sum()) {
      const files = relative.map((r) => r.file);
      const listed = execFileSync("sha256sum", files, { cwd: ROOT, encoding: "utf8" });
      expect(listed).toBe(lines);
    }
  });

  test("the tool's version: the commit and whether the checkout has changes, else the package version", () => {
    const commit = "89abcdef0123456789abcdef0123456789abcdef";
    const checkout =
      (status: string) =>
      (...args: string[]) =>
        args[0] === "rev-parse" ? `${commit}\n` : status;
    expect(toolVersionOf(checkout(""), "0.1.0")).toEqual({ commit, dirty: false, version: "0.1.0" });
    expect(toolVersionOf(checkout(" M modules/verify/cli.ts\n"), "0.1.0")).toEqual({
      commit,
      dirty: true,
      version: "0.1.0",
    });
    const noGit = () => {
      throw new Error("fatal: not a git repository");
    };
    expect(toolVersionOf(noGit, "0.1.0")).toEqual({ version: "0.1.0" });
  });
});
