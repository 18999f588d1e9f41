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
    const cost = topologyCost(list, "perAccount", scenario);
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
    const cost = topologyCost(list, "central", scenario);
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
    const cost = topologyCost(list, "perAccount", { ...scenario, perAccountAlarms: false });
    expect(cost.fixedPerAccountRegion).toBe(0);
    expect(cost.components["per-account alarms and keys"]).toBe(0);
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
