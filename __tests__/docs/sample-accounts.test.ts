/**
 * Examples in the docs that name a sample account name the right one: the
 * sample's payments-prod is 639104857201 and security-tooling 482019375610
 * (examples/registries/sample/sources/), and a new user copies the ids.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const DIR = "examples/registries/sample/sources";
const accounts = readdirSync(DIR).map(
  (file) =>
    parse(readFileSync(join(DIR, file), "utf8")) as {
      id: string;
      name: string;
      subscription?: { logGroups?: { name: string }[] };
    },
);
const idOf = (name: string) => accounts.find((a) => a.name === name)!.id;

describe("sample accounts in the docs", () => {
  test("the verify examples that use the payments profile name payments-prod's account", () => {
    for (const file of ["README.md", "docs/verify.md"]) {
      const text = readFileSync(file, "utf8").replace(/\\\n\s*/g, " ");
      const commands = text.split("\n").filter((line) => line.includes("--source-profile sandbox-payments"));
      expect(commands.length).toBeGreaterThan(0);
      for (const command of commands) expect(command).toContain(`--source-account ${idOf("payments-prod")}`);
    }
  });

  test("the envelope example in docs/siem.md comes from the account that owns its log group", () => {
    const text = readFileSync("docs/siem.md", "utf8");
    const owner = /"owner": "(\d{12})"/.exec(text)![1];
    const logGroup = /"logGroup": "([^"]+)"/.exec(text)![1];
    const account = accounts.find((a) => a.id === owner)!;
    expect(account.subscription?.logGroups?.map((g) => g.name)).toContain(logGroup);
  });
});
