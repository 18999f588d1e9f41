import { loadRegistry, registrySources } from "../../modules/registry/load";
import { parseRegistrySources } from "../../modules/registry/parse";

const FIXTURE = "__tests__/fixtures/per-account/registry.yaml";
const MAIN = `organization: {id: o-a1b2c3d4e5}
logArchive: {accountId: "111111111111", region: eu-west-1}
accountFiles: sources
`;

function errors(main: string, files: Record<string, string>): string[] {
  try {
    parseRegistrySources(
      { file: "accounts/registry.yaml", text: main },
      Object.entries(files).map(([name, text]) => ({ file: `accounts/sources/${name}`, text })),
    );
  } catch (error) {
    return (error as Error).message.split("\n");
  }
  throw new Error("expected the registry to be rejected");
}

describe("one file per account (accountFiles)", () => {
  test("accounts of the registry file come first, then one per account file, sorted by file name", () => {
    const registry = loadRegistry(FIXTURE);
    expect(registry.accounts.map((a) => a.id)).toEqual(["444444444444", "222222222222", "333333333333"]);
    expect(registry.accounts[2]!.subscription?.mode).toBe("listed");
  });

  test("the loader lists the account files it read", () => {
    expect(registrySources(FIXTURE).accounts.map((a) => a.file)).toEqual([
      "__tests__/fixtures/per-account/sources/222222222222.yaml",
      "__tests__/fixtures/per-account/sources/333333333333.yaml",
    ]);
  });

  test("a problem in an account file names that file and a path inside it", () => {
    expect(errors(MAIN, { "222222222222.yaml": 'id: "222222222222"\nname: a\nregions: [eu-west-9]\n' })).toEqual([
      'accounts/sources/222222222222.yaml: regions[0]: unknown AWS Region; expected one of the Regions listed in modules/naming/regions.ts, got "eu-west-9"',
    ]);
  });

  test("the same mistake in two account files is reported for each file", () => {
    const file = (id: string) => `id: "${id}"\nname: a${id}\nregions: [eu-west-1]\nfirehose: {bufferingSizeMiB: 500}\n`;
    expect(
      errors(MAIN, { "222222222222.yaml": file("222222222222"), "333333333333.yaml": file("333333333333") }),
    ).toEqual([
      expect.stringMatching(/^accounts\/sources\/222222222222\.yaml: firehose\.bufferingSizeMiB: /),
      expect.stringMatching(/^accounts\/sources\/333333333333\.yaml: firehose\.bufferingSizeMiB: /),
    ]);
  });

  test("a Region typo gets a suggestion when one Region stands out, none when several are as near", () => {
    const region = (r: string) =>
      errors(MAIN, { "222222222222.yaml": `id: "222222222222"\nname: a\nregions: [${r}]\n` });
    expect(region("us-east1")[0]).toContain(
      'regions[0]: expected an AWS Region name such as eu-west-1 (did you mean "us-east-1"?)',
    );
    expect(region("eu-wset-1")[0]).toContain('regions[0]: unknown AWS Region (did you mean "eu-west-1"?)');
    expect(region("eu-wset-1")[0]).toContain('(did you mean "eu-west-1"?)');
    expect(region("eu-west-9")[0]).not.toContain("did you mean");
  });

  test("an account file must be named after its account id", () => {
    expect(errors(MAIN, { "payments.yaml": 'id: "222222222222"\nname: a\nregions: [eu-west-1]\n' })).toEqual([
      'accounts/sources/payments.yaml: id: expected the file to be named 222222222222.yaml: one file per account, named after its id, got "222222222222"',
    ]);
  });

  test("a duplicate across the registry file and an account file names both", () => {
    const main = `${MAIN}accounts:\n  - {id: "222222222222", name: a, regions: [eu-west-1]}\n`;
    expect(errors(main, { "222222222222.yaml": 'id: "222222222222"\nname: b\nregions: [eu-west-1]\n' })).toEqual([
      'accounts/sources/222222222222.yaml: id: duplicate account id (also accounts[0].id), got "222222222222"',
    ]);
  });

  test("YAML errors of every file are reported together", () => {
    expect(errors("organization: [\n", { "222222222222.yaml": "id: [\n" })).toEqual([
      expect.stringMatching(/^accounts\/registry\.yaml: line \d+, column \d+: invalid YAML/),
      expect.stringMatching(/^accounts\/sources\/222222222222\.yaml: line \d+, column \d+: invalid YAML/),
    ]);
  });

  test("an account file that is not a mapping", () => {
    expect(errors(MAIN, { "222222222222.yaml": "- a\n" })).toContain(
      "accounts/sources/222222222222.yaml: (root): expected a mapping with id, name and regions (one account per file)",
    );
  });

  test("a missing accountFiles directory is an error on that key", () => {
    expect(() => loadRegistry("__tests__/fixtures/missing-account-files.yaml")).toThrow(
      /accountFiles: cannot read the directory/,
    );
  });
});
