import { gzipSync } from "node:zlib";
import { checkDelivery, checkRecordFormat, hourPrefixes, writeMarker } from "../../modules/verify/checks/delivery";
import { assumeReader } from "../../modules/verify/checks/siem";
import type { Evidence } from "../../modules/verify/result";
import { objectLines } from "../../modules/verify/record-format";
import { OTHER, SOURCE } from "../helpers/registry";
import { sandbox, testTarget } from "./sandbox-context";

async function deliver(knobs: Parameters<typeof sandbox>[0] = {}, target = testTarget(), start?: number) {
  const { fake, ctx } = sandbox(knobs, target, start);
  await assumeReader(ctx);
  const written = await writeMarker(ctx);
  const result = await checkDelivery(ctx, written as Evidence[]);
  return { fake, ctx, result };
}

describe("delivery end to end", () => {
  test("GIVEN a healthy pipeline WHEN the marker is written THEN its object is found under the account's own prefix", async () => {
    const { ctx, result } = await deliver();
    expect(result.status).toBe("pass");
    expect(result.summary).toContain(`cloudwatch-logs/account=${SOURCE}/region=eu-west-1/`);
    expect(ctx.found?.key).toMatch(
      new RegExp(`^cloudwatch-logs/account=${SOURCE}/region=eu-west-1/year=2026/month=12/day=04/hour=2[12]/`),
    );
    expect(result.evidence.map((e) => e.requestId).every((id) => id !== undefined)).toBe(true);
    expect(ctx.created.logGroups).toEqual([
      { name: `/cwl-archive/verify/${ctx.marker.runId}`, region: "eu-west-1", accountId: SOURCE },
    ]);
  });

  test("finds the marker in an object dated in the hour before the run (its oldest record arrived then)", async () => {
    // A 900 s buffer: the run starts at 22:10, the object is delivered at 22:11:30 and dated by its
    // oldest record, which arrived 900 s earlier, at 21:56:30.
    const slow = testTarget((raw) => (raw.defaults = { firehose: { bufferingIntervalSeconds: 900 } }));
    const { ctx, result } = await deliver({ oldestRecordSeconds: 900 }, slow, Date.UTC(2026, 11, 4, 22, 10, 0));
    expect(result.status).toBe("pass");
    expect(ctx.found?.key).toContain("/hour=21/");
  });

  test("fails when the marker never arrives, after the buffering interval plus the margin on the fake clock", async () => {
    const { fake, ctx, result } = await deliver({ deliver: "none" });
    expect(result.status).toBe("fail");
    expect(result.summary).toMatch(
      /^no object with the marker under cloudwatch-logs\/account=222222222222\/region=eu-west-1\/ within 10 min/,
    );
    // 300 s of buffering and 5 minutes of margin, in 30 s steps of the fake clock: no real wait.
    expect(fake.now - ctx.startedAt).toBe(600_000);
  });

  test("fails naming the key when the marker lands under another account's prefix", async () => {
    const { result } = await deliver({ deliver: "other-account" });
    expect(result.status).toBe("fail");
    expect(result.summary).toContain(`marker object under another account's prefix: cloudwatch-logs/account=${OTHER}/`);
  });

  test("fails when the reader role cannot be assumed (nothing can read the archive)", async () => {
    const { result } = await deliver({ readerRefused: true });
    expect(result.status).toBe("fail");
    expect(result.summary).toContain("cannot look for the marker: AssumeRole");
  });

  test("does not apply to an account that subscribes only listed log groups", async () => {
    const { ctx } = sandbox(
      {},
      testTarget((raw) => (raw.defaults = { subscription: { mode: "listed", logGroups: [{ name: "/app" }] } })),
    );
    const written = await writeMarker(ctx);
    expect(Array.isArray(written) ? "evidence" : written.status).toBe("not-applicable");
    expect(ctx.created.logGroups).toEqual([]);
  });

  test("does not apply where the account's filter pattern may drop the marker", async () => {
    const { ctx } = sandbox(
      {},
      testTarget((raw) => (raw.defaults = { subscription: { filterPattern: "ERROR" } })),
    );
    const written = await writeMarker(ctx);
    expect(Array.isArray(written) ? "evidence" : written.summary).toMatch(
      /^the account's filter pattern "ERROR" decides/,
    );
    expect(ctx.created.logGroups).toEqual([]);
  });

  test("hour prefixes span every UTC hour from the first to the last time", () => {
    const start = Date.UTC(2026, 11, 4, 21, 57, 0);
    expect(hourPrefixes(SOURCE, "eu-west-1", start, start + 65 * 60_000)).toEqual([
      `cloudwatch-logs/account=${SOURCE}/region=eu-west-1/year=2026/month=12/day=04/hour=21/`,
      `cloudwatch-logs/account=${SOURCE}/region=eu-west-1/year=2026/month=12/day=04/hour=22/`,
      `cloudwatch-logs/account=${SOURCE}/region=eu-west-1/year=2026/month=12/day=04/hour=23/`,
    ]);
  });
});

describe("record format", () => {
  test("GIVEN the marker object WHEN it holds gzip envelopes of the account THEN the format passes", async () => {
    const { ctx } = await deliver();
    const result = checkRecordFormat(ctx);
    expect(result.status).toBe("pass");
    expect(result.summary).toBe(
      "GZIP, one CloudWatch Logs envelope a line, ending .json.gz, 0 CONTROL_MESSAGE line(s)",
    );
  });

  test("fails when a line names another owner or is not JSON", async () => {
    const { ctx } = await deliver();
    const owner = JSON.stringify({ messageType: "DATA_MESSAGE", owner: OTHER, logGroup: "/x", logEvents: [] });
    ctx.found = { ...ctx.found!, lines: [...ctx.found!.lines, owner, "not json"] };
    const result = checkRecordFormat(ctx);
    expect(result.status).toBe("fail");
    expect(result.summary).toBe(`line 2: owner "${OTHER}", expected "${SOURCE}"; line 3 is not a JSON object`);
  });

  test("fails when the key does not carry the stream's extension", async () => {
    const { ctx } = await deliver();
    ctx.found = { ...ctx.found!, key: ctx.found!.key.replace(/\.json\.gz$/, ".gz") };
    expect(checkRecordFormat(ctx).summary).toBe("key does not end with .json.gz");
  });

  test("does not apply without a marker object", () => {
    const { ctx } = sandbox();
    expect(checkRecordFormat(ctx).status).toBe("not-applicable");
  });

  test("objects whose bytes contradict the stream's compression are reported, not read", () => {
    expect(objectLines(gzipSync("x\n"), "UNCOMPRESSED")).toBe(
      "expected an uncompressed object (compression UNCOMPRESSED), got gzip",
    );
    expect(objectLines(Buffer.from("x\n"), "GZIP")).toBe(
      "expected a gzip object (compression GZIP), got bytes without the gzip header",
    );
    expect(objectLines(gzipSync("a\nb\n"), "GZIP")).toEqual(["a", "b"]);
  });
});
