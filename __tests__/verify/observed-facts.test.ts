import { checkDelivery, writeMarker } from "../../modules/verify/checks/delivery";
import {
  checkFlowLogs,
  checkReplication,
  checkSearch,
  checkTrail,
  dayFolder,
  recentDayFolders,
} from "../../modules/verify/checks/observed-facts";
import { assumeReader } from "../../modules/verify/checks/siem";
import { assumeAnalyst } from "../../modules/verify/checks/athena";
import type { Evidence } from "../../modules/verify/result";
import { ORG, SOURCE } from "../helpers/registry";
import { sandbox, testTarget } from "./sandbox-context";

const withTrail = () => ({
  ...testTarget(),
  trail: { keyPrefix: `cloudtrail/AWSLogs/${ORG}/${SOURCE}/CloudTrail/eu-west-1/`, siemReads: false },
});

describe("observed facts", () => {
  test("GIVEN the trail's objects WHEN the newest carries the archive key THEN the key header fact is settled", async () => {
    const { ctx, fake } = sandbox({}, withTrail());
    ctx.archiveKeyArn = fake.keyArn;
    await assumeAnalyst(ctx);
    const result = await checkTrail(ctx);
    expect(result.status).toBe("pass");
    expect(result.evidence[0]!.key).toMatch(
      new RegExp(`^cloudtrail/AWSLogs/${ORG}/${SOURCE}/CloudTrail/eu-west-1/2026/12/04/`),
    );
    expect(result.evidence[0]!.detail).toBe(`aws:kms, key ${fake.keyArn}, bucket key true`);
  });

  test("GIVEN 00:05 UTC WHEN the trail and flow logs wrote only yesterday THEN both are found in yesterday's folder", async () => {
    const flowPrefix = `vpc-flow-logs/AWSLogs/${SOURCE}/vpcflowlogs/eu-west-1/`;
    const target = { ...withTrail(), flowLogs: { keyPrefix: flowPrefix } };
    const { ctx, fake } = sandbox({}, target, Date.UTC(2026, 11, 4, 23, 57));
    ctx.archiveKeyArn = fake.keyArn;
    const flowKey = `${flowPrefix}2026/12/04/${SOURCE}_vpcflowlogs_eu-west-1_fl-0a1b_20261204T2355Z_hash.log.gz`;
    fake.objects.set(flowKey, { body: new Uint8Array(), lastModified: new Date(fake.now), sse: "aws:kms" });
    fake.now = Date.UTC(2026, 11, 5, 0, 5);
    await assumeAnalyst(ctx);
    const trail = await checkTrail(ctx);
    expect(trail.status).toBe("pass");
    expect(trail.evidence[0]!.key).toContain("/CloudTrail/eu-west-1/2026/12/04/");
    const flow = await checkFlowLogs(ctx);
    expect(flow.status).toBe("pass");
    expect(flow.evidence[0]!.key).toBe(flowKey);
  });

  test("fails when the trail wrote nothing today or yesterday; does not apply without a trail", async () => {
    const { ctx } = sandbox({ trailObjects: false }, withTrail());
    expect((await checkTrail(ctx)).summary).toMatch(
      /^no trail object under cloudtrail\/AWSLogs\/.*\/2026\/12\/04\/ or cloudtrail\/AWSLogs\/.*\/2026\/12\/03\/ \(today or yesterday, UTC/,
    );
    expect((await checkTrail(sandbox().ctx)).status).toBe("not-applicable");
  });

  test("flow logs: not applicable without a VPC of the account; a fail when none arrived", async () => {
    expect((await checkFlowLogs(sandbox().ctx)).status).toBe("not-applicable");
    const target = {
      ...testTarget(),
      flowLogs: { keyPrefix: `vpc-flow-logs/AWSLogs/${SOURCE}/vpcflowlogs/eu-west-1/` },
    };
    const result = await checkFlowLogs(sandbox({}, target).ctx);
    expect(result.status).toBe("fail");
    expect(result.summary).toContain(`vpc-flow-logs/AWSLogs/${SOURCE}/vpcflowlogs/eu-west-1/2026/12/04/`);
  });

  test("replication: COMPLETED passes; PENDING past the wait fails with the status", async () => {
    for (const [replication, status] of [
      ["COMPLETED", "pass"],
      ["PENDING", "fail"],
    ] as const) {
      const { ctx } = sandbox({ replication });
      await assumeReader(ctx);
      await checkDelivery(ctx, (await writeMarker(ctx)) as Evidence[]);
      const result = await checkReplication(ctx);
      expect(result.status).toBe(status);
      if (status === "fail") expect(result.summary).toBe("replication status PENDING");
    }
  });

  test("search is named, not claimed: the command does not query OpenSearch", () => {
    const { ctx } = sandbox();
    expect(checkSearch(ctx).summary).toBe("search delivery is not enabled");
    expect(checkSearch({ ...ctx, target: { ...ctx.target, search: true } }).summary).toContain(
      "does not query OpenSearch",
    );
  });

  test("date folders are UTC; the recent ones are today's and yesterday's, across a year", () => {
    expect(dayFolder(Date.UTC(2026, 0, 2, 23, 59))).toBe("2026/01/02/");
    expect(recentDayFolders(Date.UTC(2027, 0, 1, 0, 5))).toEqual(["2027/01/01/", "2026/12/31/"]);
  });
});
