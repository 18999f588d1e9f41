/** `--help` and docs/verify.md list the same permissions: both come from PERMISSIONS. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HELP } from "../../modules/verify/cli";
import { PERMISSIONS } from "../../modules/verify/permissions";

const DOC = readFileSync(join(__dirname, "../../docs/verify.md"), "utf8");

/** The rows of the docs table whose header starts with `| credentials`, as trimmed cells. */
function docsTable(): string[][] {
  const lines = DOC.split("\n");
  const start = lines.findIndex((l) => /^\|\s*credentials\s*\|/.test(l));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .slice(1, -1)
        .split(" | ")
        .map((c) => c.trim()),
    );
  }
  return rows;
}

describe("the permissions verify needs", () => {
  test("docs/verify.md's table is PERMISSIONS, row for row", () => {
    expect(docsTable()).toEqual(PERMISSIONS.map((p) => [p.credentials, p.actions]));
  });

  test.each(PERMISSIONS.map((p) => [p.credentials, p]))("--help names every action of the %s", (_, p) => {
    const help = HELP.replace(/\s+/g, " ");
    const section = help.slice(help.indexOf(`${p.credentials}:`));
    for (const action of p.actions.match(/`([^`]+)`/g)!.map((a) => a.slice(1, -1))) {
      expect(section).toContain(action);
    }
  });

  test("the archive credentials' list names the probes' PutObject and GetObject and the source's DescribeAlarms", () => {
    const help = HELP.replace(/\s+/g, " ");
    expect(help).toMatch(/log-archive account: s3:ListBucket, GetObject, PutObject/);
    expect(help).toMatch(/source account: .*s3:GetObject \(must be refused\), cloudwatch:DescribeAlarms/);
  });
});
