/**
 * The cost model's arithmetic against hand-computed cases, with a price list
 * of round numbers (the real prices live in cost/prices.json).
 */
import {
  athenaTBPerMonth,
  fixedCostBreakdown,
  interRegionPerGB,
  objectsPerMonth,
  organizationCost,
  organizationOf,
  PRICE_IDS,
  storageCost,
  topologyCost,
  unitPrices,
  unpriced,
  type InterRegionPrices,
  type Organization,
  type PriceId,
  type PriceList,
  type SourceGroup,
} from "../../modules/cost/model";

/** Every price 0, except those a case sets. */
function prices(set: Partial<Record<PriceId, number>> = {}, interRegion?: InterRegionPrices): PriceList {
  return {
    region: "test",
    retrieved: "2026-11-30",
    prices: Object.fromEntries(
      PRICE_IDS.map((id) => [
        id,
        { usd: set[id] ?? 0, unit: "", source: "https://example.com", quote: "", confirmed: true },
      ]),
    ),
    ...(interRegion ? { interRegion } : {}),
  };
}

const rate = (usd: number | null) => ({ usd, unit: "", source: "https://example.com", quote: "", confirmed: true });

/** Round inter-Region rates: $0.02 out of most Regions, $0.09 out of Singapore, $0.01 between the US East pair, none for Mexico. */
const TRANSFER: InterRegionPrices = {
  retrieved: "2026-11-30",
  outPerGB: {
    "us-east-1": rate(0.02),
    "us-east-2": rate(0.02),
    "eu-west-1": rate(0.02),
    "eu-central-1": rate(0.02),
    "ap-southeast-1": rate(0.09),
    "mx-central-1": rate(null),
  },
  pairs: [{ ...rate(0.01), from: "us-east-2", to: "us-east-1" }],
};

describe("objectsPerMonth", () => {
  test("one object per buffer interval when the size never fills: 288 a day at 300 s", () => {
    expect(objectsPerMonth(1, 0.001, 300, 5)).toBe(288 * 30);
  });

  test("one object per buffer size when it fills first: 10 GiB a day in 5 MiB objects is 2,048 a day", () => {
    expect(objectsPerMonth(2, 10, 300, 5)).toBe(2 * 2048 * 30);
  });
});

describe("storageCost", () => {
  const p = unitPrices(
    prices({
      "s3.standardStoragePerGBMonth": 0.03,
      "s3.standardIAStoragePerGBMonth": 0.01,
      "s3.deepArchiveStoragePerGBMonth": 0.001,
      "s3.transitionToIAPer1000": 0.01,
      "s3.transitionToDeepArchivePer1000": 0.05,
    }),
  );
  const tiers = {
    retentionDays: 400,
    transitions: [
      { storageClass: "STANDARD_IA" as const, days: 30 },
      { storageClass: "DEEP_ARCHIVE" as const, days: 100 },
    ],
    smallObjectsStayInStandard: true,
  };

  test("each day of data spends 30 days in Standard, 70 in IA and 300 in Deep Archive", () => {
    // 1 GB a day: 30 GB in Standard, 70 GB in IA, 300 GB in Deep Archive at any time.
    const cost = storageCost(p, 1, 1000, 1024 * 1024, tiers);
    expect(cost.storage).toBeCloseTo(30 * 0.03 + 70 * 0.01 + 300 * 0.001, 10);
    // 1,000 objects a day, 30,000 a month, each transitioning twice.
    expect(cost.transitions).toBeCloseTo(30 * 0.01 + 30 * 0.05, 10);
  });

  test("objects under 128 KB never transition: the whole retention in Standard", () => {
    const cost = storageCost(p, 1, 1000, 100 * 1024, tiers);
    expect(cost.storage).toBeCloseTo(400 * 0.03, 10);
    expect(cost.transitions).toBe(0);
  });
});

describe("topologyCost", () => {
  const list = prices({
    "cloudwatchLogs.ingestionStandardPerGB": 0.5,
    "firehose.directPutIngestionPerGB": 0.03,
    "firehose.dynamicPartitioningPerGB": 0.02,
    "firehose.dynamicPartitioningPer1000Objects": 0.005,
    "kms.customerKeyPerMonth": 1,
    "cloudwatch.standardAlarmPerMetricMonth": 0.1,
    "kinesis.onDemandStreamHour": 0.04,
  });
  const scenario = {
    accounts: 10,
    regions: ["us-east-1", "us-west-2"],
    gbPerAccountRegionDay: 1,
    replica: false,
    transitions: [],
    retentionDays: 30,
  };

  test("per account: ingestion and Firehose per GB, and $1.40 a month per account and Region for alarms and key", () => {
    const cost = topologyCost(list, "perAccount", { ...scenario, sourceMonitoring: "perAccount", heartbeatMinutes: 0 });
    // 20 streams x 1 GB x 30 days = 600 GB a month.
    expect(cost.components["CloudWatch Logs ingestion (source accounts)"]).toBeCloseTo(300, 10);
    expect(cost.components["Firehose ingestion"]).toBeCloseTo(18, 10);
    expect(cost.components["per-account alarms and keys"]).toBeCloseTo(20 * 1.4, 10);
    // Four archive keys (no replica), two archive alarms and, with Athena in use, the two
    // workgroups' scan alarms of three metrics each: eight alarm metrics at $0.10.
    expect(cost.components["archive keys"]).toBe(4);
    expect(cost.components["archive alarms"]).toBeCloseTo(0.8, 10);
    expect(cost.fixedPerAccountRegion).toBeCloseTo(1.4, 10);
  });

  test("central: no per-account fixed cost; dynamic partitioning per GB and per object; alarms per Region", () => {
    const cost = topologyCost(list, "central", { ...scenario, heartbeatMinutes: 0 });
    expect(cost.fixedPerAccountRegion).toBe(0);
    // 600 GB x $0.02 + 20 partitions x 288 objects a day x 30 days / 1000 x $0.005.
    expect(cost.components["Firehose dynamic partitioning"]).toBeCloseTo(12 + (20 * 288 * 30 * 0.005) / 1000, 10);
    expect(cost.components["central alarms and keys"]).toBeCloseTo(2 * (0.6 + 1), 10);
  });

  test("central with Kinesis adds an on-demand stream per Region: 720 stream-hours each", () => {
    const plain = topologyCost(list, "central", scenario);
    const kinesis = topologyCost(list, "centralKinesis", scenario);
    expect(kinesis.total - plain.total).toBeCloseTo(2 * 720 * 0.04, 10);
  });

  test("switching the per-account alarms off removes the per-account fixed cost", () => {
    const cost = topologyCost(list, "perAccount", { ...scenario, sourceMonitoring: "none", heartbeatMinutes: 0 });
    expect(cost.fixedPerAccountRegion).toBe(0);
    expect(cost.components["per-account alarms and keys"]).toBe(0);
    expect(cost.components["delivery watch"]).toBe(0);
  });

  describe("the delivery watch (the default) and the heartbeat's fixed cost", () => {
    const GB = 1024 ** 3;
    const watchList = prices({
      "cloudwatchLogs.ingestionStandardPerGB": 0.5,
      "cloudwatchLogs.storagePerGBMonth": 0.03,
      "cloudwatchLogs.insightsPerGBScanned": 0.005,
      "firehose.directPutIngestionPerGB": 0.03,
      "firehose.dynamicPartitioningPer1000Objects": 0.005,
      "s3.putPer1000": 0.005,
      "s3.standardStoragePerGBMonth": 0.023,
      "kms.customerKeyPerMonth": 1,
      "cloudwatch.standardAlarmPerMetricMonth": 0.1,
    });
    // An idle source: a heartbeat every 5 minutes makes the stream write one object per 300 s buffer.
    const hb5 = { ...scenario, heartbeatMinutes: 5 };
    const heartbeats = 8640;
    const objects = 8640;
    const heartbeatIngestion = ((heartbeats * 400) / GB) * 0.5 + ((heartbeats * 5120) / GB) * 0.03;
    const puts = (objects / 1000) * 0.005;
    const storage = ((objects * 600) / GB) * 0.023; // 30 days of retention: one month of objects.
    const eventGB = (objects * 1200) / GB;
    // Ingestion, 3 of 30 days of storage, and each run scanning 30 + 5 minutes every 5 minutes (7 times).
    const watchShare = eventGB * 0.5 + eventGB * 0.1 * 0.03 + eventGB * 7 * 0.005;

    test("an idle source costs its heartbeat's objects and events and its share of the watch: no key, no alarm", () => {
      const fixed = fixedCostBreakdown(watchList, "perAccount", hb5);
      expect(fixed["heartbeat ingestion (CloudWatch Logs, Firehose)"]).toBeCloseTo(heartbeatIngestion, 12);
      expect(fixed["S3 PUT requests of heartbeat objects"]).toBeCloseTo(puts, 12);
      expect(fixed["S3 storage of heartbeat objects"]).toBeCloseTo(storage, 12);
      expect(fixed["delivery watch share"]).toBeCloseTo(watchShare, 12);
      expect(fixed["per-account alarms and key"]).toBe(0);
      const cost = topologyCost(watchList, "perAccount", hb5);
      expect(cost.fixedPerAccountRegion).toBeCloseTo(heartbeatIngestion + puts + storage + watchShare, 12);
      expect(cost.fixedPerAccountRegion).toBeLessThan(0.1);
    });

    test("per-account alarms add $1.40 to the same idle source; both adds the two", () => {
      const watch = topologyCost(watchList, "perAccount", hb5).fixedPerAccountRegion;
      const alarms = topologyCost(watchList, "perAccount", { ...hb5, sourceMonitoring: "perAccount" });
      expect(alarms.fixedPerAccountRegion).toBeCloseTo(watch - watchShare + 1.4, 12);
      const both = topologyCost(watchList, "perAccount", { ...hb5, sourceMonitoring: "both" });
      expect(both.fixedPerAccountRegion).toBeCloseTo(watch + 1.4, 12);
    });

    test("the replica doubles the heartbeat objects' requests and storage", () => {
      const fixed = fixedCostBreakdown(watchList, "perAccount", { ...hb5, replica: true });
      expect(fixed["S3 PUT requests of heartbeat objects"]).toBeCloseTo(2 * puts, 12);
      expect(fixed["S3 storage of heartbeat objects"]).toBeCloseTo(2 * storage, 12);
    });

    test("central streams also pay dynamic partitioning's per-object fee for the heartbeat objects", () => {
      const fixed = fixedCostBreakdown(watchList, "central", hb5);
      expect(fixed["dynamic partitioning of heartbeat objects"]).toBeCloseTo((objects / 1000) * 0.005, 12);
    });

    test("the organization pays the watch's events for every archive object, and its two alarms", () => {
      const cost = topologyCost(watchList, "perAccount", hb5);
      // 20 streams, 1 GB a day each: one object per 300 s buffer each (the 5 MiB size never fills).
      const archiveObjects = 20 * 288 * 30;
      const perObject = watchShare / objects;
      expect(cost.components["delivery watch"]).toBeCloseTo(archiveObjects * perObject + 0.2, 10);
    });

    test("a heartbeat every 15 minutes (the default) makes a third of the objects", () => {
      const fixed = fixedCostBreakdown(watchList, "perAccount", scenario);
      expect(fixed["S3 PUT requests of heartbeat objects"]).toBeCloseTo(puts / 3, 12);
    });

    test("organization centralization stores one day of copies in the archive account", () => {
      const cost = topologyCost(watchList, "cwlCentralization", scenario);
      // 600 GB a month: 20 GB a day stored at $0.03 per GB-month.
      expect(cost.components["CloudWatch Logs storage of the copies (1 day)"]).toBeCloseTo(20 * 0.03, 10);
    });

    test("designs users come from carry no per-source resources in the model", () => {
      expect(fixedCostBreakdown(watchList, "kinesisLambda", scenario)).toEqual({});
    });
  });

  test("the total is the sum of the components", () => {
    for (const topology of ["perAccount", "central", "centralKinesis", "kinesisLambda", "cwlCentralization"] as const) {
      const cost = topologyCost(list, topology, scenario);
      expect(cost.total).toBeCloseTo(
        Object.values(cost.components).reduce((a, b) => a + b, 0),
        10,
      );
    }
  });

  test("an optional price AWS's page did not yield is left out, not guessed", () => {
    const list2: PriceList = {
      ...list,
      prices: {
        ...list.prices,
        "firehose.cloudwatchLogsDecompressionPerGB": { ...list.prices["firehose.directPutIngestionPerGB"]!, usd: null },
      },
    };
    expect(unpriced(list2)).toEqual(["firehose.cloudwatchLogsDecompressionPerGB"]);
    expect(topologyCost(list2, "perAccount", scenario).components["Firehose decompression"]).toBe(0);
  });

  test("fails on a price list that lacks a price", () => {
    const partial: PriceList = { ...list, prices: { ...list.prices } };
    delete (partial.prices as Record<string, unknown>)["athena.perTBScanned"];
    expect(() => topologyCost(partial, "perAccount", scenario)).toThrow(
      "cost/prices.json: missing prices: athena.perTBScanned",
    );
  });
});

describe("inter-Region transfer (issue 20, item 6.1)", () => {
  const list = prices({}, TRANSFER);
  // 10 accounts, 1 GB a day each, gzip to 0.15: 10 x 0.15 x 30 = 45 GB of objects a month per Region.
  const base = {
    accounts: 10,
    gbPerAccountRegionDay: 1,
    archiveRegion: "eu-west-1",
    replica: false,
    transitions: [],
    retentionDays: 30,
  };

  test("AWS bills the source Region's rate, the pair's where one is listed, and nothing within a Region", () => {
    expect(interRegionPerGB(list, "ap-southeast-1", "eu-west-1")).toBe(0.09);
    expect(interRegionPerGB(list, "us-east-2", "us-east-1")).toBe(0.01);
    expect(interRegionPerGB(list, "us-east-1", "us-east-2")).toBe(0.02);
    expect(interRegionPerGB(list, "eu-west-1", "eu-west-1")).toBe(0);
    expect(interRegionPerGB(list, "mx-central-1", "eu-west-1")).toBeNull();
    expect(interRegionPerGB(prices(), "us-east-1", "eu-west-1")).toBeNull();
  });

  test.each(["perAccount", "central", "centralKinesis", "kinesisLambda"] as const)(
    "%s: the streams of sources outside the archive's Region pay to send their objects to it, at their Region's rate",
    (topology) => {
      const cost = topologyCost(list, topology, { ...base, regions: ["eu-west-1", "us-east-1", "ap-southeast-1"] });
      // us-east-1: 45 GB x $0.02; ap-southeast-1: 45 GB x $0.09; eu-west-1: nothing.
      expect(cost.components["inter-Region transfer to the archive"]).toBeCloseTo(45 * 0.02 + 45 * 0.09, 10);
      expect(cost.unpriced).toEqual([]);
    },
  );

  test("no transfer when every source is in the archive's Region", () => {
    const cost = topologyCost(list, "perAccount", { ...base, regions: ["eu-west-1"] });
    expect(cost.components["inter-Region transfer to the archive"]).toBe(0);
  });

  test("CloudWatch Logs centralization moves the first copy between Regions for free", () => {
    const cost = topologyCost(list, "cwlCentralization", { ...base, regions: ["eu-west-1", "us-east-1"] });
    expect(cost.components["inter-Region transfer to the archive"]).toBe(0);
  });

  test("uncompressed objects cross at their full size", () => {
    const cost = topologyCost(list, "perAccount", {
      ...base,
      regions: ["us-east-1"],
      compression: "UNCOMPRESSED",
    });
    expect(cost.components["inter-Region transfer to the archive"]).toBeCloseTo(10 * 1 * 30 * 0.02, 10);
  });

  test("a Region without a known rate is left out of the total and named, not guessed", () => {
    const cost = topologyCost(list, "perAccount", { ...base, regions: ["eu-west-1", "mx-central-1"] });
    expect(cost.components["inter-Region transfer to the archive"]).toBe(0);
    expect(cost.unpriced).toEqual(["inter-Region transfer out of mx-central-1"]);
  });

  test("replication is priced at the archive Region's rate, for every object of every source", () => {
    const cost = topologyCost(list, "perAccount", {
      ...base,
      archiveRegion: "ap-southeast-1",
      replica: true,
      replicaRegion: "eu-west-1",
      regions: ["ap-southeast-1", "eu-west-1"],
    });
    // 90 GB of objects a month leave Singapore for the replica at $0.09.
    expect(cost.components["replication transfer"]).toBeCloseTo(90 * 0.09, 10);
    // The eu-west-1 sources send their 45 GB to Singapore at eu-west-1's rate.
    expect(cost.components["inter-Region transfer to the archive"]).toBeCloseTo(45 * 0.02, 10);
  });

  test("the US East pair is cheaper than us-east-2's rate to anywhere else", () => {
    const cost = topologyCost(list, "perAccount", { ...base, archiveRegion: "us-east-1", regions: ["us-east-2"] });
    expect(cost.components["inter-Region transfer to the archive"]).toBeCloseTo(45 * 0.01, 10);
  });
});

describe("each source priced with its own settings (issue 20, item 6.2)", () => {
  const list = prices(
    {
      "kms.customerKeyPerMonth": 1,
      "cloudwatch.standardAlarmPerMetricMonth": 0.1,
      "s3.putPer1000": 0.005,
      "s3.standardStoragePerGBMonth": 0.02,
      "firehose.dynamicPartitioningPerGB": 0.02,
    },
    TRANSFER,
  );
  const stream = {
    bufferingIntervalSeconds: 300,
    bufferingSizeMiB: 5,
    compression: "GZIP",
    streamEncryption: "AWS_OWNED_CMK",
  } as const;
  const source = (over: Partial<SourceGroup>): SourceGroup => ({
    label: "a",
    accountRegions: 1,
    region: "eu-west-1",
    gbPerDay: 1,
    delivery: "perAccount",
    monitoring: "deliveryWatch",
    stream,
    ...over,
  });
  const org = (sources: SourceGroup[]): Organization => ({
    ...organizationOf({ accounts: 1, regions: ["eu-west-1"], gbPerAccountRegionDay: 1, archiveRegion: "eu-west-1" }),
    replicaRegion: undefined,
    retentionDays: 30,
    transitions: [],
    heartbeatMinutes: 0,
    sources,
  });
  const alarmsAndKeys = (o: Organization) =>
    organizationCost(list, o).bySource.map((s) => s.components["per-account alarms and keys"]);

  test("an account that opts into per-account alarms pays four alarms and a key in each of its Regions; the others do not", () => {
    const cost = alarmsAndKeys(org([source({}), source({ monitoring: "perAccount" }), source({ monitoring: "both" })]));
    expect(cost[0]).toBe(0);
    expect(cost[1]).toBeCloseTo(1.4, 10);
    expect(cost[2]).toBeCloseTo(1.4, 10);
  });

  test("a customer-managed stream key is the account and Region's pipeline key: $1, shared with its alarms", () => {
    const cmk = { ...stream, streamEncryption: "CUSTOMER_MANAGED_CMK" } as const;
    const cost = alarmsAndKeys(org([source({ stream: cmk }), source({ stream: cmk, monitoring: "both" })]));
    expect(cost[0]).toBeCloseTo(1, 10);
    expect(cost[1]).toBeCloseTo(1.4, 10);
  });

  test("an account delivering centrally has no alarms of its own: its Region's central stream has them, once", () => {
    const cost = organizationCost(
      list,
      org([source({ delivery: "central", monitoring: "perAccount" }), source({ delivery: "central" })]),
    );
    expect(cost.components["per-account alarms and keys"]).toBe(0);
    expect(cost.components["central alarms and keys"]).toBeCloseTo(6 * 0.1 + 1, 10);
    expect(cost.components["Firehose dynamic partitioning"]).toBeCloseTo(2 * 30 * 0.02, 10);
    expect(cost.bySource.map((s) => s.topology)).toEqual(["central", "central"]);
  });

  test("the delivery watch runs once for the organization, only when some source is watched", () => {
    const watchList = prices({ "lambda.requestsPerMillion": 0.2, "cloudwatch.standardAlarmPerMetricMonth": 0.1 });
    const shared = (sources: SourceGroup[]) => organizationCost(watchList, org(sources)).shared["delivery watch"];
    const runs = (30 * 24 * 60) / 5;
    expect(shared([source({ monitoring: "perAccount" })])).toBe(0);
    expect(shared([source({}), source({})])).toBeCloseTo((runs / 1e6) * 0.2 + 0.2, 10);
  });

  test("an account's own buffering sets its objects: a 60 s buffer writes five times the PUTs of 300 s", () => {
    const cost = organizationCost(
      list,
      org([source({}), source({ stream: { ...stream, bufferingIntervalSeconds: 60 } })]),
    ).bySource.map((s) => s.components["S3 PUT requests"]!);
    expect(cost[0]).toBeCloseTo((288 * 30 * 0.005) / 1000, 10);
    expect(cost[1]).toBeCloseTo(5 * cost[0]!, 10);
  });

  test("zero buffering is priced, not infinite: one object every five seconds", () => {
    const [cost] = organizationCost(
      list,
      org([source({ stream: { ...stream, bufferingIntervalSeconds: 0 } })]),
    ).bySource.map((s) => s.components["S3 PUT requests"]!);
    expect(cost).toBeCloseTo(((86400 / 5) * 30 * 0.005) / 1000, 10);
  });

  test("an uncompressed stream stores its logs at full size", () => {
    const storage = organizationCost(
      list,
      org([source({}), source({ stream: { ...stream, compression: "UNCOMPRESSED" } })]),
    ).bySource.map((s) => s.components["S3 storage over the retention"]!);
    // 30 days of 0.15 GB, then of 1 GB, in Standard.
    expect(storage[0]).toBeCloseTo(30 * 0.15 * 0.02, 10);
    expect(storage[1]).toBeCloseTo(30 * 1 * 0.02, 10);
  });

  test("the organization's total is its sources' plus what it shares", () => {
    const cost = organizationCost(
      list,
      org([source({ region: "us-east-1" }), source({ delivery: "central", monitoring: "both" })]),
    );
    const parts =
      cost.bySource.reduce((a, s) => a + s.total, 0) + Object.values(cost.shared).reduce((a, v) => a + v, 0);
    expect(cost.total).toBeCloseTo(parts, 10);
    expect(cost.bySource[0]!.sentAcrossGB).toBeCloseTo(0.15 * 30, 10);
    expect(cost.bySource[1]!.sentAcrossGB).toBe(0);
  });
});

describe("scenarios", () => {
  test("fails on a scenario without Regions, naming every problem", () => {
    expect(() => organizationOf({ accounts: 0, regions: [], gbPerAccountRegionDay: 1 })).toThrow(
      "cost scenario: accounts: expected a positive whole number, got 0; regions: expected at least one Region, got none",
    );
  });

  test("fails on a Region given twice", () => {
    expect(() =>
      organizationOf({ accounts: 1, regions: ["eu-west-1", "eu-west-1"], gbPerAccountRegionDay: 1 }),
    ).toThrow("regions: expected each Region once, got eu-west-1 again");
  });
});

describe("athenaTBPerMonth", () => {
  const cutoffs = { interactiveGiB: 10, huntingGiB: 4096 };

  test("GIVEN 100 account-Regions archiving 1 GB a day THEN interactive questions read one account-day, hunts the organization's week", () => {
    // 100 x 1 GB x 0.15 = 15 GB a day: 200 x 0.15 GB + 20 x 105 GB = 2,130 GB.
    expect(athenaTBPerMonth([{ accountRegions: 100, gbPerDay: 1 }], 0.15, cutoffs)).toBeCloseTo(2.13, 6);
  });

  test("GIVEN a hunting cutoff below a week of the organization THEN each hunt stops at the cutoff", () => {
    const tb = athenaTBPerMonth([{ accountRegions: 1000, gbPerDay: 1 }], 0.15, { interactiveGiB: 10, huntingGiB: 100 });
    expect(tb).toBeCloseTo((200 * 0.15 + 20 * 100 * 1.073741824) / 1000, 6);
  });

  test("GIVEN tiny sources THEN every query is billed its 10 MB minimum", () => {
    expect(athenaTBPerMonth([{ accountRegions: 1, gbPerDay: 0.001 }], 0.15, cutoffs)).toBeCloseTo(
      (220 * 0.01) / 1000,
      9,
    );
  });

  test("GIVEN no source THEN nothing is scanned", () => {
    expect(athenaTBPerMonth([], 0.15, cutoffs)).toBe(0);
  });
});
