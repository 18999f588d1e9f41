import { checkDelivery, writeMarker } from "../../modules/verify/checks/delivery";
import { checkAlarms, checkHeartbeat, checkWatch } from "../../modules/verify/checks/monitoring";
import { assumeReader } from "../../modules/verify/checks/siem";
import type { Evidence } from "../../modules/verify/result";
import { sandbox } from "./sandbox-context";

async function delivered(knobs: Parameters<typeof sandbox>[0] = {}) {
  const { fake, ctx } = sandbox(knobs);
  await assumeReader(ctx);
  await checkDelivery(ctx, (await writeMarker(ctx)) as Evidence[]);
  return { fake, ctx };
}

describe("monitoring", () => {
  test("GIVEN a heartbeat object of the source THEN the heartbeat check passes; without one it fails after its interval", async () => {
    const { ctx } = sandbox();
    await assumeReader(ctx);
    expect((await checkHeartbeat(ctx)).summary).toBe("heartbeat of /cwl-archive/heartbeat archived");
    const quiet = sandbox({ heartbeat: false });
    await assumeReader(quiet.ctx);
    const result = await checkHeartbeat(quiet.ctx);
    expect(result.summary).toBe("no heartbeat object within 15 min + buffering + margin");
    expect(quiet.fake.now - quiet.ctx.startedAt).toBe((300 + 300 + 15 * 60) * 1000);
  });

  test("the watch's own query counts the marker object; without S3 events it fails", async () => {
    const { ctx } = await delivered();
    const result = await checkWatch(ctx);
    expect(result.status).toBe("pass");
    expect(result.summary).toMatch(/^the watch's query counts \d+ object\(s\) of the source/);
    const blind = await delivered({ watchEvents: false });
    expect((await checkWatch(blind.ctx)).summary).toBe(
      "the watch's query has no row for the source's marker object (0 row(s))",
    );
  });

  test("alarms in ALARM fail the check by name", async () => {
    expect((await checkAlarms(sandbox().ctx)).status).toBe("pass");
    const result = await checkAlarms(sandbox({ alarms: ["cwl-archive-archive-dead-letters"] }).ctx);
    expect(result.status).toBe("fail");
    expect(result.summary).toBe("in ALARM: cwl-archive-archive-dead-letters");
  });
});
