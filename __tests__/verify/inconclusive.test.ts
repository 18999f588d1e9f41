/**
 * Credentials that do not work, throttling and the network say nothing of the
 * deployment: the command refuses to start without working credentials, and
 * a check that meets such an error mid-run is inconclusive, never failed.
 */
import { runVerifyCli } from "../../modules/verify/cli";
import { AwsCallError, type VerifyPorts } from "../../modules/verify/ports";
import { isInconclusiveError } from "../../modules/verify/result";
import type { VerifyReport } from "../../modules/verify/report";
import { runVerify } from "../../modules/verify/run";
import { ARCHIVE, SOURCE } from "../helpers/registry";
import { cliIo } from "./cli-io";
import { FakeSandbox } from "./fake-sandbox";
import { RUN_ID, synthesised, testRegistry, testTarget } from "./sandbox-context";

const stacks = synthesised(testRegistry());

/** The ports with every AWS call rejected with `error` (the clock still runs). */
function failing(ports: VerifyPorts, error: Error): VerifyPorts {
  const reject = <T extends object>(port: T): T =>
    Object.fromEntries(
      Object.entries(port).map(([name, value]) => [
        name,
        typeof value === "function" ? async () => Promise.reject(error) : reject(value as object),
      ]),
    ) as T;
  return {
    archive: reject(ports.archive),
    source: reject(ports.source),
    readerVia: reject(ports.readerVia),
    analystVia: reject(ports.analystVia),
    clock: ports.clock,
  };
}

const NO_CREDENTIALS = new AwsCallError("CredentialsProviderError", "Could not load credentials from any providers");
const NO_NETWORK = new AwsCallError("Error", "getaddrinfo ENOTFOUND sts.eu-west-1.amazonaws.com");

describe("errors that are not the deployment's answer", () => {
  test.each([
    ["CredentialsProviderError", NO_CREDENTIALS],
    ["getaddrinfo ENOTFOUND", NO_NETWORK],
    ["ExpiredToken", new AwsCallError("ExpiredToken", "The security token included in the request is expired")],
    ["ThrottlingException", new AwsCallError("ThrottlingException", "Rate exceeded")],
  ])("GIVEN every call fails with %s THEN no check fails: each is inconclusive or not applicable", async (_, error) => {
    const target = testTarget();
    const outcome = await runVerify(target, failing(new FakeSandbox(target).ports(), error), RUN_ID, stacks);
    const statuses = new Set(outcome.checks.filter((c) => c.id !== "stacks").map((c) => c.status));
    expect(outcome.checks.filter((c) => c.status === "fail").map((c) => `${c.id}: ${c.summary}`)).toEqual([]);
    expect(statuses.has("inconclusive")).toBe(true);
    expect(outcome.checks.find((c) => c.id === "deny-unencrypted-put")?.status).toBe("inconclusive");
    expect(outcome.created).toEqual({ logGroups: [], objects: [] });
  });

  test("GIVEN the network fails THEN the reader's summary carries no readerPrincipals hint", async () => {
    const target = testTarget();
    const outcome = await runVerify(target, failing(new FakeSandbox(target).ports(), NO_NETWORK), RUN_ID, stacks);
    const assume = outcome.checks.find((c) => c.id === "siem-reader-assume")!;
    expect(assume.status).toBe("inconclusive");
    expect(assume.summary).toContain("getaddrinfo ENOTFOUND");
    expect(assume.summary).not.toContain("readerPrincipals");
    const analyst = outcome.checks.find((c) => c.id === "log-analyst-assume")!;
    expect(analyst.summary).not.toContain("analystPrincipals");
  });

  test("GIVEN the reader role refuses the caller THEN the check fails with the readerPrincipals hint", async () => {
    const target = testTarget();
    const outcome = await runVerify(
      target,
      new FakeSandbox(target, { readerRefused: true } as never).ports(),
      RUN_ID,
      stacks,
    );
    const assume = outcome.checks.find((c) => c.id === "siem-reader-assume")!;
    expect(assume.status).toBe("fail");
    expect(assume.summary).toContain("siem.readerPrincipals");
  });

  test("GIVEN the caller lacks cloudwatch:DescribeAlarms THEN the alarms check is inconclusive and names it", async () => {
    const target = testTarget();
    const ports = new FakeSandbox(target).ports();
    const denied = new AwsCallError("AccessDenied", "not authorized to perform: cloudwatch:DescribeAlarms", "R1");
    const broken: VerifyPorts = {
      ...ports,
      archive: { ...ports.archive, alarms: { inAlarm: async () => Promise.reject(denied) } },
    };
    const outcome = await runVerify(target, broken, RUN_ID, stacks);
    const alarms = outcome.checks.find((c) => c.id === "alarms")!;
    expect(alarms.status).toBe("inconclusive");
    expect(alarms.summary).toContain("the caller needs cloudwatch:DescribeAlarms");
  });

  test("an AWS answer about the deployment is not inconclusive", () => {
    expect(isInconclusiveError(new AwsCallError("AccessDenied", "Access Denied"))).toBe(false);
    expect(isInconclusiveError(new AwsCallError("NoSuchBucket", "The specified bucket does not exist"))).toBe(false);
    expect(isInconclusiveError(NO_CREDENTIALS)).toBe(true);
    expect(isInconclusiveError(new Error("connect ECONNREFUSED 127.0.0.1:443"))).toBe(true);
  });
});

describe("the command's preflight: sts:GetCallerIdentity of each credential set", () => {
  const args = ["--archive-profile", "sandbox-log-archive", "--source-profile", "sandbox-payments"];

  test("GIVEN a profile that does not load THEN it exits 2 naming the flag, the profile and AWS's error, writing nothing", async () => {
    const cli = cliIo({
      callerIdentity: async (set) => {
        if (set.name === "archive") throw NO_CREDENTIALS;
        return { arn: `arn:aws:sts::${SOURCE}:assumed-role/admin/x`, account: SOURCE };
      },
      makePorts: async () => Promise.reject(new Error("must not be called")),
    });
    expect(await runVerifyCli(args, cli)).toBe(2);
    const err = cli.err.join("");
    expect(err).toContain(
      "the archive credentials (--archive-profile sandbox-log-archive) do not work: CredentialsProviderError: Could not load credentials from any providers",
    );
    expect(err).toContain("nothing was run, created or written");
    expect(err).not.toContain("source credentials");
    expect(cli.files.size).toBe(0);
    expect(cli.out.join("")).not.toMatch(/FAIL|cleanup/);
  });

  test("GIVEN a reader role that cannot be reached THEN it names --reader-role; the default chain is named with AWS_PROFILE", async () => {
    const asked: string[] = [];
    const cli = cliIo({
      defaultProfile: "sandbox",
      callerIdentity: async (set) => {
        asked.push(set.name);
        if (set.name !== "archive") throw NO_NETWORK;
        return { arn: `arn:aws:sts::${ARCHIVE}:assumed-role/admin/x`, account: ARCHIVE };
      },
    });
    const role = `arn:aws:iam::${ARCHIVE}:role/siem-vendor-stand-in`;
    expect(await runVerifyCli(["--reader-role", role], cli)).toBe(2);
    expect(asked).toEqual(["archive", "source", "reader"]);
    const err = cli.err.join("");
    expect(err).toContain(`the reader credentials (--reader-role ${role}) do not work: Error: getaddrinfo ENOTFOUND`);
    expect(err).toContain(
      "the source credentials (the default credential chain, AWS_PROFILE=sandbox (no --source-profile or --source-role)) do not work",
    );
  });

  test("GIVEN only inconclusive checks THEN it exits 3 and counts them apart in the summary and the report", async () => {
    const throttled = new AwsCallError("ThrottlingException", "Rate exceeded", "T1");
    const cli = cliIo({
      makePorts: async (_args, target) => {
        const ports = new FakeSandbox(target).ports();
        return { ...ports, archive: { ...ports.archive, alarms: { inAlarm: async () => Promise.reject(throttled) } } };
      },
    });
    expect(await runVerifyCli(args, cli)).toBe(3);
    const out = cli.out.join("");
    expect(out).toMatch(/^INCONCLUSIVE alarms: DescribeAlarms failed: ThrottlingException: Rate exceeded/m);
    expect(out).toMatch(/0 failed, 1 inconclusive/);
    const json = [...cli.files.keys()].find((f) => f.endsWith(".json"))!;
    const report = JSON.parse(cli.files.get(json)!) as VerifyReport;
    expect(report.summary).toMatchObject({ fail: 0, inconclusive: 1 });
    expect(cli.files.get(json.replace(/\.json$/, ".md"))).toContain("| alarms | INCONCLUSIVE |");
  });

  test("GIVEN a failed check as well THEN it exits 1", async () => {
    const cli = cliIo({
      makePorts: async (_args, target) => new FakeSandbox(target, { notify: false } as never).ports(),
    });
    expect(await runVerifyCli(args, cli)).toBe(1);
  });
});

describe("cleanup of a run that created nothing", () => {
  test("GIVEN credentials that fail mid-run THEN the run suggests no cleanup and --cleanup deletes nothing", async () => {
    const cli = cliIo({
      makePorts: async (_args, target) => failing(new FakeSandbox(target).ports(), NO_CREDENTIALS),
    });
    expect(await runVerifyCli(args(), cli)).toBe(3);
    const out = cli.out.join("");
    expect(out).not.toContain("--cleanup");
    expect(out).toContain("the run created nothing to clean up");
    const json = [...cli.files.keys()].find((f) => f.endsWith(".json"))!;
    expect(cli.files.get(json.replace(/\.json$/, ".md"))).toContain("Nothing: there is nothing to clean up.");

    const again = cliIo({
      callerIdentity: async () => Promise.reject(new Error("must not be called")),
      makeCleanupPorts: async () => Promise.reject(new Error("must not be called")),
    });
    again.files.set(json, cli.files.get(json)!);
    expect(await runVerifyCli(["--cleanup", json], again)).toBe(0);
    expect(again.out.join("")).toBe(
      `verify: run ${JSON.parse(cli.files.get(json)!).runId} created nothing; nothing to delete\n`,
    );
  });

  function args() {
    return ["--archive-profile", "sandbox-log-archive"];
  }
});
