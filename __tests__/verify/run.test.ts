import { cleanup } from "../../modules/verify/cleanup";
import { isMarkerName } from "../../modules/verify/marker";
import { AwsCallError } from "../../modules/verify/ports";
import { HELP, parseArgs, runVerifyCli } from "../../modules/verify/cli";
import {
  buildReport,
  registryHash,
  registryProvenance,
  reportMarkdown,
  type VerifyReport,
} from "../../modules/verify/report";
import { runVerify } from "../../modules/verify/run";
import { ARCHIVE, SOURCE } from "../helpers/registry";
import { cliIo } from "./cli-io";
import { FakeSandbox, HEALTHY } from "./fake-sandbox";
import { RUN_ID, synthesised, testRegistry, testTarget } from "./sandbox-context";

const stacks = synthesised(testRegistry());

describe("a whole run", () => {
  test("GIVEN a healthy fake deployment THEN no check fails and every check has a line", async () => {
    const target = testTarget();
    const fake = new FakeSandbox(target, HEALTHY);
    const outcome = await runVerify(target, fake.ports(), RUN_ID, stacks);
    const failed = outcome.checks.filter((c) => c.status === "fail");
    expect(failed).toEqual([]);
    expect(outcome.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      "stacks:pass",
      "siem-reader-assume:pass",
      "deny-reader-without-external-id:pass",
      "log-analyst-assume:pass",
      "delivery:pass",
      "record-format:pass",
      "siem-notification:pass",
      "siem-reader-reads:pass",
      "deny-unencrypted-put:pass",
      "deny-wrong-key-put:pass",
      "deny-archive-admin-reads:pass",
      "deny-source-reads-archive:pass",
      "deny-reader-writes:pass",
      "deny-delivery-role-other-prefix:pass",
      "deny-delivery-role-read:pass",
      "deny-delivery-role-delete:pass",
      "trail-objects:not-applicable",
      "athena-cloudtrail:not-applicable",
      "flow-logs:not-applicable",
      "replication:pass",
      "search-index:not-applicable",
      "athena-query:pass",
      "heartbeat:pass",
      "delivery-watch:pass",
      "alarms:pass",
    ]);
  });

  test.each([
    ["no object", { deliver: "none" as const }, "delivery", "no object with the marker under"],
    [
      "object under the wrong prefix",
      { deliver: "other-account" as const },
      "delivery",
      "marker object under another account's prefix",
    ],
    [
      "a write that should be denied succeeds",
      { refuseUnencrypted: false },
      "deny-unencrypted-put",
      "succeeded; expected AccessDenied",
    ],
    ["no notification", { notify: false }, "siem-notification", "no notification for the marker object"],
  ])("fails on %s with the right line", async (_, knobs, id, text) => {
    const target = testTarget();
    const fake = new FakeSandbox(target, { ...HEALTHY, ...knobs });
    const outcome = await runVerify(target, fake.ports(), RUN_ID, stacks);
    const failed = outcome.checks.filter((c) => c.status === "fail");
    expect(failed[0]?.id).toBe(id);
    expect(failed[0]?.summary).toContain(text);
  });

  test("fails when the registry's stacks are not synthesised, or were synthesised from another registry", async () => {
    const target = testTarget();
    const archiveOnly = new Map([...stacks].filter(([name]) => name === "log-archive"));
    const outcome = await runVerify(target, new FakeSandbox(target).ports(), RUN_ID, archiveOnly);
    expect(outcome.checks[0]!.summary).toBe(
      `not synthesised: log-source-${SOURCE}-eu-west-1 (run npx cdktf synth with the same registry)`,
    );
    const renamed = testTarget((raw) => (raw.naming = { prefix: "other-archive" }));
    const mismatch = await runVerify(renamed, new FakeSandbox(renamed).ports(), RUN_ID, stacks);
    expect(mismatch.checks[0]!.summary).toContain(
      `log-archive has no aws_s3_bucket with bucket other-archive-${ARCHIVE}-eu-west-1`,
    );
  });
});

describe("report and cleanup", () => {
  test("the report carries the registry's hash, every check and its evidence", async () => {
    const target = testTarget();
    const outcome = await runVerify(target, new FakeSandbox(target).ports(), RUN_ID, stacks);
    const registry = registryProvenance("accounts/registry.yaml", [{ file: "accounts/registry.yaml", text: "x" }]);
    const { sha256 } = registry;
    const report = buildReport(outcome, target, registry, [], { version: "0.1.0" });
    expect(report.summary).toEqual({ pass: 21, fail: 0, inconclusive: 0, notApplicable: 4 });
    const markdown = reportMarkdown(report);
    expect(markdown).toContain(`SHA-256 \`${sha256}\``);
    expect(markdown).toContain("| delivery | PASS |");
    expect(markdown).toContain(`- log group \`/cwl-archive/verify/${RUN_ID}\` in ${SOURCE} (eu-west-1)`);
    expect(markdown).toMatch(/request id `REQ\d{8}`/);
  });

  test("the hash changes with any registry file's text or name", () => {
    const one = registryHash([{ file: "a", text: "x" }]);
    expect(registryHash([{ file: "a", text: "y" }])).not.toBe(one);
    expect(registryHash([{ file: "b", text: "x" }])).not.toBe(one);
  });

  test("cleanup removes the run's log group and probes, refuses anything else, and says what stays", async () => {
    const target = testTarget();
    const fake = new FakeSandbox(target, { ...HEALTHY, refuseUnencrypted: false });
    const outcome = await runVerify(target, fake.ports(), RUN_ID, stacks);
    const probe = `verify/${RUN_ID}/sse-s3`;
    expect(fake.objects.has(probe)).toBe(true);
    const ports = fake.ports();
    const created = {
      ...outcome.created,
      objects: [...outcome.created.objects, { bucket: target.archiveBucket, key: "cloudwatch-logs/account=1/x" }],
    };
    const lines = await cleanup("cwl-archive", RUN_ID, created, {
      sourceLogs: ports.source.logs,
      archiveS3: ports.archive.s3,
    });
    expect(fake.deletedLogGroups).toEqual([`/cwl-archive/verify/${RUN_ID}`]);
    expect(fake.objects.has(probe)).toBe(false);
    expect(lines).toContain(`refused: cloudwatch-logs/account=1/x is not an object verify run ${RUN_ID} creates`);
    expect(lines.at(-1)).toMatch(/^kept: the marker object Firehose delivered/);
  });

  test("GIVEN another run's probe and log group in the report WHEN cleaning up THEN neither is touched", async () => {
    const target = testTarget();
    const fake = new FakeSandbox(target);
    const other = "20261203T101500Z-0f0f0f";
    const theirs = `verify/${other}/sse-s3`;
    fake.objects.set(theirs, { body: new Uint8Array(), lastModified: new Date(fake.now), sse: "AES256" });
    const ports = fake.ports();
    const lines = await cleanup(
      "cwl-archive",
      RUN_ID,
      {
        logGroups: [{ name: `/cwl-archive/verify/${other}`, region: "eu-west-1", accountId: SOURCE }],
        objects: [
          { bucket: target.archiveBucket, key: theirs },
          { bucket: target.archiveBucket, key: `verify/${RUN_ID}/` },
        ],
      },
      { sourceLogs: ports.source.logs, archiveS3: ports.archive.s3 },
    );
    expect(fake.objects.has(theirs)).toBe(true);
    expect(fake.deletedLogGroups).toEqual([]);
    expect(lines.slice(0, 3)).toEqual([
      `refused: /cwl-archive/verify/${other} is not the log group verify run ${RUN_ID} creates`,
      `refused: ${theirs} is not an object verify run ${RUN_ID} creates`,
      `refused: verify/${RUN_ID}/ is not an object verify run ${RUN_ID} creates`,
    ]);
    // A run id cleanup did not make cannot widen the match.
    expect(isMarkerName("cwl-archive", "", "verify//x")).toBe(false);
    expect(isMarkerName("cwl-archive", "*", "verify/*/x")).toBe(false);
  });

  test("a DeleteObjectVersion refused by the guardrails is reported as AWS worded it, not put down to Object Lock", async () => {
    const target = testTarget();
    const fake = new FakeSandbox(target);
    const ports = fake.ports();
    const probe = `verify/${RUN_ID}/sse-s3`;
    const rcp = `User: arn:aws:sts::${target.archiveAccountId}:assumed-role/Admin/verify is not authorized to perform: s3:DeleteObjectVersion on resource: "${target.archiveBucketArn}/${probe}" with an explicit deny in a resource control policy`;
    const locked = "Access Denied because object protected by object lock.";
    const refusing = (message: string) => ({
      ...ports.archive.s3,
      deleteVersion: async () => Promise.reject(new AwsCallError("AccessDenied", message, "DELETE0001")),
    });
    const created = { logGroups: [], objects: [{ bucket: target.archiveBucket, key: probe, versionId: "v1" }] };
    const [byRcp] = await cleanup("cwl-archive", RUN_ID, created, {
      sourceLogs: ports.source.logs,
      archiveS3: refusing(rcp),
    });
    expect(byRcp).toBe(`kept ${probe}: refused: AccessDenied: ${rcp} (request id DELETE0001)`);
    expect(byRcp).not.toContain("Object Lock");
    const [byLock] = await cleanup("cwl-archive", RUN_ID, created, {
      sourceLogs: ports.source.logs,
      archiveS3: refusing(locked),
    });
    expect(byLock).toContain("Object Lock keeps a version until its retention date");
  });
});

describe("the command", () => {
  const io = cliIo;

  test("--help prints the usage and exits 0", async () => {
    const cli = io();
    expect(await runVerifyCli(["--help"], cli)).toBe(0);
    expect(cli.out.join("")).toBe(HELP);
  });

  test("the README's command parses as it is written", () => {
    const readme = [
      "--archive-profile",
      "sandbox-log-archive",
      "--source-profile",
      "sandbox-payments",
      "--source-account",
      "639104857201",
      "--source-region",
      "eu-west-1",
    ];
    expect(parseArgs(readme)).toMatchObject({
      archive: { profile: "sandbox-log-archive" },
      source: { profile: "sandbox-payments" },
      sourceAccount: "639104857201",
      sourceRegion: "eu-west-1",
    });
  });

  test("bad arguments exit 2 naming the argument", () => {
    expect(parseArgs(["--source-account", "123"])).toBe("--source-account must be a 12-digit account id, got 123");
    expect(parseArgs(["--archive-profile", "a", "--archive-role", "b"])).toBe(
      "--archive-profile and --archive-role exclude each other",
    );
    expect(parseArgs(["--bogus"])).toBe("unknown argument --bogus");
    expect(parseArgs(["--margin-minutes=7"])).toMatchObject({ marginMinutes: 7, out: "verify-report" });
    expect(parseArgs(["--analyst-profile", "a", "--analyst-role", "b"])).toBe(
      "--analyst-profile and --analyst-role exclude each other",
    );
    expect(parseArgs(["--analyst-role", "arn:aws:iam::111111111111:role/analyst"])).toMatchObject({
      analyst: { role: "arn:aws:iam::111111111111:role/analyst" },
      reader: {},
    });
  });

  test("an account outside the registry exits 2 before any AWS call", async () => {
    const cli = io({ makePorts: async () => Promise.reject(new Error("must not be called")) });
    expect(await runVerifyCli(["--source-account", ARCHIVE], cli)).toBe(2);
    expect(cli.err.join("")).toContain(`--source-account ${ARCHIVE} is not an active source account of the registry`);
  });

  test("GIVEN a healthy deployment THEN it exits 0 and writes the JSON and Markdown reports", async () => {
    const cli = io();
    expect(await runVerifyCli([], cli)).toBe(0);
    const json = [...cli.files.keys()].find((f) => f.endsWith(".json"))!;
    const report = JSON.parse(cli.files.get(json)!) as VerifyReport;
    expect(report.target).toMatchObject({
      sourceAccountId: SOURCE,
      sourceRegion: "eu-west-1",
      archiveAccountId: ARCHIVE,
    });
    expect(report.registry.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(cli.files.has(json.replace(/\.json$/, ".md"))).toBe(true);
    expect(cli.out.join("")).toMatch(/^PASS delivery: marker delivered under/m);
  });

  test("a cleanup of something that is not a verify report exits 2", async () => {
    const cli = io();
    cli.files.set("r.json", '{"tool":"other"}');
    expect(await runVerifyCli(["--cleanup", "r.json"], cli)).toBe(2);
  });
});
