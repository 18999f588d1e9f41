/**
 * The registry as the cost model sees it: every account and Region priced
 * with the settings it is deployed with (issue 20, item 6.2), with a price
 * list of round numbers.
 */
import { organizationFromRegistry, registryRegions, scenarioFromRegistry } from "../../modules/cost/from-registry";
import { organizationCost, PRICE_IDS, type PriceId, type PriceList } from "../../modules/cost/model";
import { parseRegistry } from "../../modules/registry/parse";

function prices(set: Partial<Record<PriceId, number>>): PriceList {
  return {
    region: "test",
    retrieved: "2026-11-30",
    prices: Object.fromEntries(
      PRICE_IDS.map((id) => [
        id,
        { usd: set[id] ?? 0, unit: "", source: "https://example.com", quote: "", confirmed: true },
      ]),
    ),
    interRegion: {
      retrieved: "2026-11-30",
      outPerGB: { "us-east-1": { usd: 0.02, unit: "", source: "https://example.com", quote: "", confirmed: true } },
    },
  };
}

const LIST = prices({
  "kms.customerKeyPerMonth": 1,
  "cloudwatch.standardAlarmPerMetricMonth": 0.1,
  "s3.putPer1000": 0.005,
  "s3.standardStoragePerGBMonth": 0.02,
});

function registry(extra: string, accounts: string) {
  return parseRegistry(
    `
organization: { id: o-a1b2c3d4e5 }
logArchive: { accountId: "111111111111", region: eu-west-1 }
${extra}
accounts:
${accounts}
`,
    "test.yaml",
  );
}

/** What each account's Regions pay for alarms and keys of their own, by account name. */
function alarmsAndKeysByAccount(r: ReturnType<typeof registry>): Record<string, number> {
  const cost = organizationCost(LIST, organizationFromRegistry(r, 1));
  const out: Record<string, number> = {};
  for (const s of cost.bySource) {
    const name = s.source.label!.split(" ")[0]!;
    out[name] = (out[name] ?? 0) + s.components["per-account alarms and keys"]!;
  }
  return out;
}

describe("organizationFromRegistry", () => {
  test("GIVEN the delivery watch by default WHEN accounts opt into per-account alarms THEN only they pay four alarms and a key per Region", () => {
    const r = registry(
      "monitoring: { alarms: { sources: deliveryWatch } }",
      `  - { id: "222222222222", name: plain, regions: [eu-west-1, us-east-1] }
  - { id: "333333333333", name: paged, regions: [eu-west-1, us-east-1], alarms: perAccount }
  - { id: "444444444444", name: both, regions: [us-east-1], alarms: both }`,
    );
    const cost = alarmsAndKeysByAccount(r);
    expect(cost.plain).toBe(0);
    expect(cost.paged).toBeCloseTo(2 * 1.4, 10);
    expect(cost.both).toBeCloseTo(1.4, 10);
  });

  test("GIVEN per-account alarms by default WHEN an account chooses the delivery watch THEN it pays no alarm of its own", () => {
    const r = registry(
      "monitoring: { alarms: { sources: perAccount } }",
      `  - { id: "222222222222", name: default, regions: [eu-west-1] }
  - { id: "333333333333", name: watched, regions: [eu-west-1], alarms: deliveryWatch }`,
    );
    const cost = alarmsAndKeysByAccount(r);
    expect(cost.default).toBeCloseTo(1.4, 10);
    expect(cost.watched).toBe(0);
    expect(organizationFromRegistry(r, 1).sources.map((s) => s.monitoring)).toEqual(["perAccount", "deliveryWatch"]);
  });

  test("GIVEN alarms switched off THEN no account is watched, whatever its override", () => {
    const r = registry(
      "monitoring: { alarms: { enabled: false }, heartbeat: { enabled: false } }",
      `  - { id: "222222222222", name: paged, regions: [eu-west-1], alarms: perAccount }`,
    );
    expect(organizationFromRegistry(r, 1).sources.map((s) => s.monitoring)).toEqual(["none"]);
    expect(alarmsAndKeysByAccount(r).paged).toBe(0);
  });

  test("an account's firehose overrides reach its stream: buffering, compression and a key of its own", () => {
    const r = registry(
      "",
      `  - { id: "222222222222", name: plain, regions: [eu-west-1] }
  - id: "333333333333"
    name: tuned
    regions: [eu-west-1]
    firehose: { bufferingIntervalSeconds: 60, bufferingSizeMiB: 8, compression: UNCOMPRESSED, streamEncryption: CUSTOMER_MANAGED_CMK, messageExtraction: true }`,
    );
    const [plain, tuned] = organizationFromRegistry(r, 1).sources;
    expect(plain!.stream).toEqual({
      bufferingIntervalSeconds: 300,
      bufferingSizeMiB: 5,
      compression: "GZIP",
      streamEncryption: "AWS_OWNED_CMK",
    });
    expect(tuned!.stream).toEqual({
      bufferingIntervalSeconds: 60,
      bufferingSizeMiB: 8,
      compression: "UNCOMPRESSED",
      streamEncryption: "CUSTOMER_MANAGED_CMK",
    });
    // Message extraction shrinks objects by an amount the model cannot know: said, not priced.
    expect(plain!.notes).toBeUndefined();
    expect(tuned!.notes).toEqual(["messages only, priced with the envelope"]);
    const cost = organizationCost(LIST, organizationFromRegistry(r, 1)).bySource;
    expect(cost[1]!.components["per-account alarms and keys"]).toBeCloseTo(1, 10);
    expect(cost[1]!.components["S3 PUT requests"]).toBeCloseTo(5 * cost[0]!.components["S3 PUT requests"]!, 10);
  });

  test("an account delivering centrally goes through its Region's central stream, behind Kinesis when the registry says so", () => {
    const r = registry(
      "central: { kinesisStream: { enabled: true } }",
      `  - { id: "222222222222", name: own, regions: [eu-west-1] }
  - { id: "333333333333", name: central, regions: [us-east-1], delivery: central, alarms: perAccount }`,
    );
    const cost = organizationCost(LIST, organizationFromRegistry(r, 1));
    expect(cost.bySource.map((s) => s.topology)).toEqual(["perAccount", "centralKinesis"]);
    // Its alarms are the central stream's: six and a key for us-east-1.
    expect(cost.components["per-account alarms and keys"]).toBe(0);
    expect(cost.components["central alarms and keys"]).toBeCloseTo(1.6, 10);
  });

  test("sources outside the archive's Region pay for sending their objects there (per-account and central alike)", () => {
    const r = registry(
      "archive: { replicaRegion: eu-central-1 }",
      `  - { id: "222222222222", name: own, regions: [eu-west-1, us-east-1] }
  - { id: "333333333333", name: central, regions: [us-east-1], delivery: central }`,
    );
    const cost = organizationCost(LIST, organizationFromRegistry(r, 2));
    // 2 GB a day, gzip to 0.15: 9 GB of objects a month from each us-east-1 source at $0.02.
    expect(cost.components["inter-Region transfer to the archive"]).toBeCloseTo(2 * 9 * 0.02, 10);
    // eu-west-1 has no rate in this list: replication is left out and named.
    expect(cost.unpriced).toEqual(["inter-Region transfer out of eu-west-1"]);
  });

  test("the archive's settings come from the registry", () => {
    const r = registry(
      `archive:
  replicaRegion: eu-central-1
  retentionDays: 400
  transitions: [{ storageClass: DEEP_ARCHIVE, days: 180 }]
  minimumObjectSizeRule: varies_by_storage_class
monitoring: { heartbeat: { intervalMinutes: 30 }, alarms: { silenceMinutes: 40 } }
central: { bufferingIntervalSeconds: 600, bufferingSizeMiB: 100 }`,
      `  - { id: "222222222222", name: a, regions: [eu-west-1] }`,
    );
    const org = organizationFromRegistry(r, 1);
    expect(org).toMatchObject({
      archiveRegion: "eu-west-1",
      replicaRegion: "eu-central-1",
      retentionDays: 400,
      transitions: [{ storageClass: "DEEP_ARCHIVE", days: 180 }],
      smallObjectsStayInStandard: false,
      heartbeatMinutes: 30,
      silenceMinutes: 40,
      central: { bufferingIntervalSeconds: 600, bufferingSizeMiB: 100, kinesisStream: false },
    });
  });
});

describe("the comparison's organizations", () => {
  const r = registry(
    "monitoring: { alarms: { sources: both } }",
    `  - { id: "222222222222", name: a, regions: [us-east-1, eu-west-1] }
  - { id: "333333333333", name: b, regions: [ap-southeast-1], alarms: deliveryWatch }`,
  );

  test("every Region the accounts use, the archive's first", () => {
    expect(registryRegions(r)).toEqual(["eu-west-1", "ap-southeast-1", "us-east-1"]);
  });

  test("a whole number of accounts, each in the Regions given, with the registry's defaults and not an account's override", () => {
    const s = scenarioFromRegistry(r, { accounts: 10, regions: ["eu-west-1", "us-east-1"], gbPerDay: 0.5 });
    expect(s).toMatchObject({
      accounts: 10,
      regions: ["eu-west-1", "us-east-1"],
      gbPerAccountRegionDay: 0.5,
      archiveRegion: "eu-west-1",
      sourceMonitoring: "both",
      replica: false,
    });
  });
});
