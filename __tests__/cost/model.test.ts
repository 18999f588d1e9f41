/**
 * The cost model's arithmetic against hand-computed cases, with a price list
 * of round numbers (the real prices live in cost/prices.json).
 */
import {
  objectsPerMonth,
  PRICE_IDS,
  storageCost,
  topologyCost,
  unitPrices,
  unpriced,
  type PriceId,
  type PriceList,
  fixedCostBreakdown,
} from "../../modules/cost/model";

/** Every price 1, except those a case sets. */
function prices(set: Partial<Record<PriceId, number>> = {}): PriceList {
  return {
    region: "test",
    retrieved: "2026-11-30",
    prices: Object.fromEntries(
      PRICE_IDS.map((id) => [
        id,
        { usd: set[id] ?? 0, unit: "", source: "https://example.com", quote: "", confirmed: true },
      ]),
    ),
  };
}

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
    regionsPerAccount: 2,
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
    // Four archive keys (no replica) and two archive alarms.
    expect(cost.components["archive keys"]).toBe(4);
    expect(cost.components["archive alarms"]).toBeCloseTo(0.2, 10);
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
