import { OTHER, registryWith, SOURCE } from "../helpers/registry";
import { synthRegistry } from "../helpers/synth";

const twoAccounts = (r: any) =>
  r.accounts.push({ id: OTHER, name: "data-prod", regions: ["us-east-1", "eu-central-1"] });

describe("stable output", () => {
  test("synthesising the same registry twice gives byte-identical stacks", () => {
    const first = synthRegistry(registryWith(twoAccounts));
    const second = synthRegistry(registryWith(twoAccounts));
    expect(second.text).toEqual(first.text);
    expect(second.manifest).toEqual(first.manifest);
  });

  test("reordering accounts and Regions, or renaming accounts, changes no byte of any stack", () => {
    const original = synthRegistry(registryWith(twoAccounts));
    const shuffled = synthRegistry(
      registryWith((r) => {
        twoAccounts(r);
        r.accounts.reverse();
        for (const account of r.accounts) {
          (account.regions as string[]).reverse();
          account.name = `renamed-${account.id as string}`;
        }
      }),
    );
    expect(Object.keys(shuffled.text).sort()).toEqual(Object.keys(original.text).sort());
    expect(shuffled.text).toEqual(original.text);
    expect(shuffled.manifest).toEqual(original.manifest);
  });

  test("stack folders are exactly log-archive plus one per account and Region", () => {
    const { stacks } = synthRegistry(registryWith(twoAccounts));
    expect(Object.keys(stacks).sort()).toEqual(
      [
        "log-archive",
        `log-source-${SOURCE}-eu-west-1`,
        `log-source-${SOURCE}-us-east-1`,
        `log-source-${OTHER}-eu-central-1`,
        `log-source-${OTHER}-us-east-1`,
      ].sort(),
    );
  });

  test("no string in any stack holds an unescaped IAM policy variable (Terraform would interpolate it)", () => {
    const { text } = synthRegistry(registryWith(twoAccounts));
    for (const json of Object.values(text)) {
      // Every "${" must be a Terraform reference to a resource, data source or variable,
      // or `self.` in a destroy-time provisioner (the drain wait's stored seconds),
      // or the Athena account list's `join(",", ...)` over the archive's listings.
      const interpolations = [...json.matchAll(/(?<!\$)\$\{([^}]*)\}/g)].map((m) => m[1]!);
      for (const expression of interpolations) {
        expect(expression).toMatch(/^(aws_|data\.|var\.|local\.|terraform_data\.|self\.input$|join\(\\",\\", sort\()/);
      }
    }
    expect(text["log-archive"]).toContain("account=$${aws:PrincipalAccount}/*");
  });
});
