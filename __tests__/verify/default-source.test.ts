/** Which source account a run writes its marker into when --source-account is not given. */
import { runVerifyCli } from "../../modules/verify/cli";
import { defaultSourceAccount } from "../../modules/verify/target";
import { ARCHIVE, OTHER, SOURCE, registryWith } from "../helpers/registry";
import { cliIo, cliRaw } from "./cli-io";

const MANAGEMENT = "444444444444";

describe("the default source account", () => {
  test("GIVEN the management account first THEN the first plain source account after it is chosen", () => {
    const registry = registryWith((raw) => {
      raw.accounts.unshift({ id: MANAGEMENT, name: "management", regions: ["eu-west-1"] });
      raw.guardrails = { managementAccountId: MANAGEMENT };
    });
    expect(registry.accounts[0]!.id).toBe(MANAGEMENT);
    expect(defaultSourceAccount(registry)?.id).toBe(SOURCE);
  });

  test("the organization trail's management account and the log-archive account are skipped too", () => {
    const registry = registryWith((raw) => {
      raw.accounts.unshift(
        { id: ARCHIVE, name: "log-archive", regions: ["eu-west-1"] },
        { id: MANAGEMENT, name: "management", regions: ["eu-west-1"] },
      );
      raw.sources = { cloudTrail: { enabled: true, createTrail: false, managementAccountId: MANAGEMENT } };
    });
    expect(defaultSourceAccount(registry)?.id).toBe(SOURCE);
  });

  test("accounts whose subscription may drop the marker are skipped: listed mode, a filter pattern", () => {
    const registry = registryWith((raw) => {
      raw.accounts[0]!.subscription = { filterPattern: "ERROR" };
      raw.accounts.push(
        {
          id: OTHER,
          name: "listed",
          regions: ["eu-west-1"],
          subscription: { mode: "listed", logGroups: [{ name: "/a" }] },
        },
        { id: "555555555555", name: "plain", regions: ["eu-west-1"] },
      );
    });
    expect(defaultSourceAccount(registry)?.id).toBe("555555555555");
  });

  test("GIVEN no account qualifies THEN the command exits 2 asking for --source-account, before any AWS call", async () => {
    const raw = cliRaw();
    raw.defaults = { subscription: { filterPattern: "ERROR" } };
    const cli = cliIo(
      {
        callerIdentity: async () => Promise.reject(new Error("must not be called")),
        makePorts: async () => Promise.reject(new Error("must not be called")),
      },
      raw,
    );
    expect(await runVerifyCli([], cli)).toBe(2);
    expect(cli.err.join("")).toMatch(/^verify: pass --source-account: no active source account of the registry/);
  });
});
