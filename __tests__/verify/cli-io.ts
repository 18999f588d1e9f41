/** The command's process, files and AWS, in memory: a fake sandbox behind the ports, files in a map. */
import { stringify } from "yaml";
import { parseRegistry } from "../../modules/registry/parse";
import type { CliIo } from "../../modules/verify/cli";
import type { VerifyPorts } from "../../modules/verify/ports";
import { ARCHIVE, OTHER, SOURCE, minimalRaw, type RawRegistry } from "../helpers/registry";
import { FakeSandbox } from "./fake-sandbox";
import { synthesised } from "./sandbox-context";

export type TestIo = CliIo & { out: string[]; err: string[]; files: Map<string, string> };

/** The minimal registry with a second source account, as the command's tests read it. */
export function cliRaw(): RawRegistry {
  const raw = minimalRaw();
  raw.accounts.push({ id: OTHER, name: "shared", regions: ["eu-west-1"] });
  return raw;
}

const defaultStacks = synthesised(parseRegistry(stringify(cliRaw()), "accounts/registry.yaml"));

export const TOOL_COMMIT = "0123456789abcdef0123456789abcdef01234567";

export function cliIo(overrides: Partial<CliIo> = {}, raw: RawRegistry = cliRaw()): TestIo {
  const out: string[] = [];
  const err: string[] = [];
  const files = new Map<string, string>();
  const text = stringify(raw);
  const stacks =
    text === stringify(cliRaw()) ? defaultStacks : synthesised(parseRegistry(text, "accounts/registry.yaml"));
  return {
    out,
    err,
    files,
    registryFile: "accounts/registry.yaml",
    readRegistrySources: (file) => ({ main: { file, text }, accounts: [] }),
    synthesisedStacks: () => stacks,
    readText: (file) => files.get(file) ?? "",
    writeText: (file, text) => void files.set(file, text),
    makeDirectory: () => undefined,
    now: () => Date.UTC(2026, 11, 4, 21, 58, 30),
    makePorts: async (_args, target): Promise<VerifyPorts> => new FakeSandbox(target).ports(),
    makeCleanupPorts: async () => {
      throw new Error("not in this test");
    },
    callerIdentity: async (set) => ({
      arn: `arn:aws:sts::${set.name === "source" ? SOURCE : ARCHIVE}:assumed-role/admin/${set.name}`,
      account: set.name === "source" ? SOURCE : ARCHIVE,
      requestId: `WHO-${set.name}`,
    }),
    toolVersion: () => ({ commit: TOOL_COMMIT, dirty: false, version: "0.1.0" }),
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    ...overrides,
  };
}
