import { checkDelivery, writeMarker } from "../../modules/verify/checks/delivery";
import {
  assumeReader,
  checkNotification,
  checkReaderReads,
  checkReaderRefusedWithoutExternalId,
  notifiedKeys,
  receiveBudget,
} from "../../modules/verify/checks/siem";
import type { Evidence } from "../../modules/verify/result";
import { sandbox } from "./sandbox-context";

async function delivered(knobs: Parameters<typeof sandbox>[0] = {}) {
  const { fake, ctx } = sandbox(knobs);
  await assumeReader(ctx);
  await checkDelivery(ctx, (await writeMarker(ctx)) as Evidence[]);
  return { fake, ctx };
}

describe("SIEM path", () => {
  test("GIVEN S3 notifications WHEN the marker object is written THEN its notification is found on the queue", async () => {
    const { ctx } = await delivered();
    const result = await checkNotification(ctx);
    expect(result.status).toBe("pass");
    expect(result.evidence[0]).toMatchObject({ key: ctx.found!.key, requestId: expect.stringMatching(/^REQ/) });
  });

  test("fails when no notification arrives, after at most 3 receives spread on the fake clock", async () => {
    const { ctx, fake } = await delivered({ notify: false });
    const before = fake.now;
    const result = await checkNotification(ctx);
    expect(result.status).toBe("fail");
    expect(result.summary).toBe(
      "no notification for the marker object on cwl-archive-siem-notifications in 3 receive(s) (0 message(s) seen; a SIEM that consumes the queue may have deleted it first)",
    );
    expect(fake.receiveCalls).toBe(3);
    expect(fake.now - before).toBe(2 * ctx.options.pollMs);
  });

  test("GIVEN a backlog on the SIEM queue WHEN verify runs THEN it receives nothing and says how many wait", async () => {
    const { ctx, fake } = await delivered({ backlog: 40 });
    const waiting = fake.queue.length;
    const result = await checkNotification(ctx);
    expect(result.status).toBe("not-applicable");
    expect(result.summary).toMatch(
      new RegExp(`^not looked at: ${waiting} messages wait on cwl-archive-siem-notifications \\(more than 10\\)`),
    );
    expect(fake.receiveCalls).toBe(0);
    expect(fake.queue.every((m) => m.receives === 0)).toBe(true);
  });

  test("GIVEN maxReceiveCount 10 WHEN the notification never comes THEN a run receives any message at most 3 times and none moves to the dead-letter queue", async () => {
    const { ctx, fake } = await delivered({ notify: false, backlog: 8, maxReceiveCount: 10 });
    await checkNotification(ctx);
    expect(Math.max(...fake.queue.map((m) => m.receives))).toBe(3);
    // Three runs on the same queue still leave every message on it for the SIEM.
    await checkNotification(ctx);
    await checkNotification(ctx);
    expect(fake.deadLetters).toEqual([]);
    expect(Math.max(...fake.queue.map((m) => m.receives))).toBe(9);
  });

  test("the receive budget is a third of maxReceiveCount, at most 3; none when a receive would cost the SIEM its only one", async () => {
    expect([undefined, NaN, 1, 2, 3, 5, 10, 1000].map(receiveBudget)).toEqual([3, 1, 0, 0, 1, 1, 3, 3]);
    const { ctx, fake } = await delivered({ maxReceiveCount: 2 });
    const result = await checkNotification(ctx);
    expect(result.status).toBe("not-applicable");
    expect(fake.receiveCalls).toBe(0);
  });

  test("S3's URL-encoded keys are decoded; other buckets and events are ignored", () => {
    const record = (bucket: string, eventName: string, key: string) => ({
      eventName,
      s3: { bucket: { name: bucket }, object: { key } },
    });
    const body = JSON.stringify({
      Records: [
        record("archive", "ObjectCreated:Put", "cloudwatch-logs/account%3D1/a+b.json.gz"),
        record("other", "ObjectCreated:Put", "x"),
        record("archive", "ObjectRemoved:Delete", "y"),
      ],
    });
    expect(notifiedKeys(body, "archive")).toEqual(["cloudwatch-logs/account=1/a b.json.gz"]);
    expect(notifiedKeys('{"Service":"Amazon S3","Event":"s3:TestEvent"}', "archive")).toEqual([]);
    expect(notifiedKeys("not json", "archive")).toEqual([]);
  });

  test("the reader role is assumed with the ExternalId and refused without it", async () => {
    const { ctx } = sandbox();
    expect((await assumeReader(ctx)).status).toBe("pass");
    const refused = await checkReaderRefusedWithoutExternalId(ctx);
    expect(refused.status).toBe("pass");
    expect(refused.evidence[0]!.requestId).toMatch(/^DENIED/);
  });

  test("fails when the reader role admits a caller without the ExternalId", async () => {
    const { ctx } = sandbox();
    await assumeReader(ctx);
    const lax = {
      assume: async () => ({
        assumedArn: "arn:aws:sts::111111111111:assumed-role/r/s",
        requestId: "R1",
        ports: ctx.reader!,
      }),
    };
    const result = await checkReaderRefusedWithoutExternalId({ ...ctx, ports: { ...ctx.ports, readerVia: lax } });
    expect(result.status).toBe("fail");
    expect(result.summary).toBe("AssumeRole without the ExternalId succeeded; expected AccessDenied");
  });

  test("the reader reads and decrypts the marker object with the archive key", async () => {
    const { ctx, fake } = await delivered();
    ctx.archiveKeyArn = fake.keyArn;
    expect(checkReaderReads(ctx).status).toBe("pass");
    ctx.found = { ...ctx.found!, serverSideEncryption: "AES256" };
    expect(checkReaderReads(ctx).summary).toBe("the marker object is not SSE-KMS (AES256)");
  });
});
