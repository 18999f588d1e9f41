/**
 * The monthly cost of archiving an organization's CloudWatch Logs, by
 * component, for each topology this project offers and for the designs users
 * come from, from AWS's published prices (cost/prices.json, dated, each price
 * with its source). Pure arithmetic: no AWS call, no registry.
 *
 * Assumptions, each a parameter with a documented default: a month is 30
 * days; the archive holds a steady state (every day of the retention is
 * present); objects are compressed by `compressionRatio`; one object is
 * written per stream (or per partition) per buffer interval unless the
 * buffer size fills first.
 */

/** A price of cost/prices.json. */
export interface Price {
  /** null when AWS's number could not be read: the report says it is not included. */
  readonly usd: number | null;
  readonly unit: string;
  readonly source: string;
  readonly quote: string;
  readonly confirmed: boolean;
}

export interface PriceList {
  readonly region: string;
  readonly retrieved: string;
  readonly prices: Readonly<Record<string, Price>>;
}

/** The prices the model reads, by id. */
export const PRICE_IDS = [
  "cloudwatchLogs.ingestionStandardPerGB",
  "cloudwatchLogs.centralizationFirstCopyPerGB",
  "firehose.directPutIngestionPerGB",
  "firehose.cloudwatchLogsDecompressionPerGB",
  "firehose.dynamicPartitioningPerGB",
  "firehose.dynamicPartitioningPer1000Objects",
  "kinesis.onDemandStreamHour",
  "kinesis.onDemandIngestPerGB",
  "kinesis.onDemandRetrievalPerGB",
  "lambda.requestsPerMillion",
  "lambda.gbSecondX86",
  "s3.standardStoragePerGBMonth",
  "s3.standardIAStoragePerGBMonth",
  "s3.glacierIRStoragePerGBMonth",
  "s3.glacierFlexibleStoragePerGBMonth",
  "s3.deepArchiveStoragePerGBMonth",
  "s3.intelligentTieringFrequentPerGBMonth",
  "s3.putPer1000",
  "s3.transitionToIAPer1000",
  "s3.transitionToGlacierIRPer1000",
  "s3.transitionToDeepArchivePer1000",
  "s3.replicationInterRegionTransferPerGB",
  "s3.replicationTimeControlPerGB",
  "kms.customerKeyPerMonth",
  "cloudwatch.standardAlarmPerMetricMonth",
  "athena.perTBScanned",
] as const;
export type PriceId = (typeof PRICE_IDS)[number];

/**
 * Prices that may be unknown (`usd: null`): the model then leaves them out
 * and the report names them, rather than guessing.
 */
export const OPTIONAL_PRICE_IDS: readonly PriceId[] = ["firehose.cloudwatchLogsDecompressionPerGB"];

/** Optional prices the list leaves unknown. */
export function unpriced(list: PriceList): PriceId[] {
  return OPTIONAL_PRICE_IDS.filter((id) => list.prices[id]?.usd === null);
}

/** The price list as numbers, failing on a missing price. */
export function unitPrices(list: PriceList): Record<PriceId, number> {
  const missing = PRICE_IDS.filter(
    (id) =>
      typeof list.prices[id]?.usd !== "number" && !(OPTIONAL_PRICE_IDS.includes(id) && list.prices[id]?.usd === null),
  );
  if (missing.length > 0) throw new Error(`cost/prices.json: missing prices: ${missing.join(", ")}`);
  return Object.fromEntries(PRICE_IDS.map((id) => [id, list.prices[id]!.usd ?? 0])) as Record<PriceId, number>;
}

export const DAYS_PER_MONTH = 30;
export const HOURS_PER_MONTH = 24 * DAYS_PER_MONTH;
const MIB = 1024 * 1024;
const GB = 1024 ** 3;

/** A lifecycle tier of the archive: objects move there after `days`. */
export interface Tier {
  readonly storageClass:
    "STANDARD_IA" | "INTELLIGENT_TIERING" | "ONEZONE_IA" | "GLACIER_IR" | "GLACIER" | "DEEP_ARCHIVE";
  readonly days: number;
}

export interface Scenario {
  /** Source accounts. */
  readonly accounts: number;
  /** Regions per account. */
  readonly regionsPerAccount: number;
  /** CloudWatch Logs ingested per account and Region per day, in GB (uncompressed). */
  readonly gbPerAccountRegionDay: number;
  /** Size of the objects in the archive relative to the ingested bytes. @default 0.15 (gzip of log text) */
  readonly compressionRatio?: number;
  /** Archive retention in days. @default 2557 */
  readonly retentionDays?: number;
  /** Lifecycle tiers, ascending. @default IA 30, Glacier IR 90, Deep Archive 365 */
  readonly transitions?: readonly Tier[];
  /** Replica in a second Region. @default true */
  readonly replica?: boolean;
  /** S3 Replication Time Control. @default false */
  readonly replicationTimeControl?: boolean;
  /** Per-account delivery alarms (4) and the pipeline key that encrypts their topic. @default true */
  readonly perAccountAlarms?: boolean;
  /** Athena TB scanned per month. @default 0 */
  readonly athenaTBPerMonth?: number;
  /** Firehose buffer interval of the per-account streams, seconds. @default 300 */
  readonly bufferingIntervalSeconds?: number;
  /** Firehose buffer size of the per-account streams, MiB. @default 5 */
  readonly bufferingSizeMiB?: number;
  /** Buffer interval of the central streams, seconds. @default 300 */
  readonly centralBufferingIntervalSeconds?: number;
  /** Objects under 128 KB never transition (S3's all_storage_classes_128K). @default true */
  readonly smallObjectsStayInStandard?: boolean;
}

export const TOPOLOGIES = ["perAccount", "central", "centralKinesis", "kinesisLambda", "cwlCentralization"] as const;
export type Topology = (typeof TOPOLOGIES)[number];

export const TOPOLOGY_NAMES: Record<Topology, string> = {
  perAccount: "per account (this project's default)",
  central: "central destination (this project)",
  centralKinesis: "central destination + Kinesis (this project)",
  kinesisLambda: "Kinesis + Lambda transform per Region (LZA pattern)",
  cwlCentralization: "CloudWatch Logs centralization + one Firehose per Region",
};

/** Monthly cost by component, in USD. */
export type Breakdown = Record<string, number>;

/** The component every design pays in the source accounts, archived or not. */
export const SOURCE_INGESTION = "CloudWatch Logs ingestion (source accounts)";

export interface TopologyCost {
  readonly topology: Topology;
  readonly components: Breakdown;
  readonly total: number;
  /** The total without the source accounts' CloudWatch Logs ingestion, which is paid anyway. */
  readonly archiving: number;
  /** What one more account and Region costs at zero volume, per month. */
  readonly fixedPerAccountRegion: number;
}

interface Resolved extends Required<Scenario> {
  readonly streams: number;
  readonly gbPerMonth: number;
}

function resolve(s: Scenario): Resolved {
  const r = {
    compressionRatio: 0.15,
    retentionDays: 2557,
    transitions: [
      { storageClass: "STANDARD_IA", days: 30 },
      { storageClass: "GLACIER_IR", days: 90 },
      { storageClass: "DEEP_ARCHIVE", days: 365 },
    ] as readonly Tier[],
    replica: true,
    replicationTimeControl: false,
    perAccountAlarms: true,
    athenaTBPerMonth: 0,
    bufferingIntervalSeconds: 300,
    bufferingSizeMiB: 5,
    centralBufferingIntervalSeconds: 300,
    smallObjectsStayInStandard: true,
    ...s,
  };
  const streams = s.accounts * s.regionsPerAccount;
  return { ...r, streams, gbPerMonth: streams * s.gbPerAccountRegionDay * DAYS_PER_MONTH };
}

/**
 * Objects written per month by `writers` streams (or partitions), each
 * receiving `gbPerDayEach` compressed GB a day: one object per buffer interval,
 * or per buffer size when that fills first.
 */
export function objectsPerMonth(
  writers: number,
  gbPerDayEach: number,
  intervalSeconds: number,
  sizeMiB: number,
): number {
  const byInterval = (24 * 3600) / intervalSeconds;
  const bySize = (gbPerDayEach * GB) / (sizeMiB * MIB);
  return writers * Math.max(byInterval, bySize) * DAYS_PER_MONTH;
}

const STORAGE_PRICE: Record<Tier["storageClass"] | "STANDARD", PriceId> = {
  STANDARD: "s3.standardStoragePerGBMonth",
  STANDARD_IA: "s3.standardIAStoragePerGBMonth",
  ONEZONE_IA: "s3.standardIAStoragePerGBMonth",
  INTELLIGENT_TIERING: "s3.intelligentTieringFrequentPerGBMonth",
  GLACIER_IR: "s3.glacierIRStoragePerGBMonth",
  GLACIER: "s3.glacierFlexibleStoragePerGBMonth",
  DEEP_ARCHIVE: "s3.deepArchiveStoragePerGBMonth",
};

const TRANSITION_PRICE: Partial<Record<Tier["storageClass"], PriceId>> = {
  STANDARD_IA: "s3.transitionToIAPer1000",
  ONEZONE_IA: "s3.transitionToIAPer1000",
  GLACIER_IR: "s3.transitionToGlacierIRPer1000",
  DEEP_ARCHIVE: "s3.transitionToDeepArchivePer1000",
};

/**
 * Steady-state storage of one copy of the archive and its lifecycle
 * transitions, per month: each day of data spends, within the retention, the
 * days between one transition and the next in each tier.
 */
export function storageCost(
  p: Record<PriceId, number>,
  compressedGBPerDay: number,
  objectsPerDay: number,
  objectSizeBytes: number,
  r: Pick<Resolved, "retentionDays" | "transitions" | "smallObjectsStayInStandard">,
): { storage: number; transitions: number } {
  const stays = r.smallObjectsStayInStandard && objectSizeBytes < 128 * 1024;
  const tiers = stays ? [] : r.transitions.filter((t) => t.days < r.retentionDays);
  const bounds = [{ storageClass: "STANDARD" as const, days: 0 }, ...tiers];
  let storage = 0;
  bounds.forEach((tier, i) => {
    const end = i + 1 < bounds.length ? bounds[i + 1]!.days : r.retentionDays;
    storage += compressedGBPerDay * (end - tier.days) * p[STORAGE_PRICE[tier.storageClass]];
  });
  const transitions = tiers.reduce((sum, t) => {
    const id = TRANSITION_PRICE[t.storageClass];
    return sum + (id ? ((objectsPerDay * DAYS_PER_MONTH) / 1000) * p[id] : 0);
  }, 0);
  return { storage, transitions };
}

/** Components every topology shares: archive storage, requests, replication, archive keys and alarms, Athena. */
function archiveSide(p: Record<PriceId, number>, r: Resolved, objects: number): Breakdown {
  const compressedPerDay = r.streams * r.gbPerAccountRegionDay * r.compressionRatio;
  const objectsPerDay = objects / DAYS_PER_MONTH;
  const objectSize = objectsPerDay > 0 ? (compressedPerDay * GB) / objectsPerDay : 0;
  const one = storageCost(p, compressedPerDay, objectsPerDay, objectSize, r);
  const copies = r.replica ? 2 : 1;
  const compressedPerMonth = compressedPerDay * DAYS_PER_MONTH;
  return {
    "S3 PUT requests": ((objects * copies) / 1000) * p["s3.putPer1000"],
    "S3 storage over the retention": one.storage * copies,
    "S3 lifecycle transitions": one.transitions * copies,
    "replication transfer": r.replica ? compressedPerMonth * p["s3.replicationInterRegionTransferPerGB"] : 0,
    "replication time control":
      r.replica && r.replicationTimeControl ? compressedPerMonth * p["s3.replicationTimeControlPerGB"] : 0,
    // Archive, replica, SIEM queue, Athena results and monitoring keys.
    "archive keys": (r.replica ? 5 : 4) * p["kms.customerKeyPerMonth"],
    // Dead letters, queue age, replication failures.
    "archive alarms": (r.replica ? 3 : 2) * p["cloudwatch.standardAlarmPerMetricMonth"],
    "Athena scans": r.athenaTBPerMonth * p["athena.perTBScanned"],
  };
}

/** Per-account delivery alarms: four alarms and the key of their topic, per account and Region. */
function perAccountMonitoring(p: Record<PriceId, number>, r: Resolved): number {
  return r.perAccountAlarms
    ? r.streams * (4 * p["cloudwatch.standardAlarmPerMetricMonth"] + p["kms.customerKeyPerMonth"])
    : 0;
}

/** Central streams: per Region an alarm topic key and six alarms (freshness, success, throttling, silence, two partition alarms). */
function centralMonitoring(p: Record<PriceId, number>, regions: number): number {
  return regions * (6 * p["cloudwatch.standardAlarmPerMetricMonth"] + p["kms.customerKeyPerMonth"]);
}

function sum(b: Breakdown): number {
  return Object.values(b).reduce((a, v) => a + v, 0);
}

/** The monthly cost of one topology for a scenario. */
export function topologyCost(list: PriceList, topology: Topology, scenario: Scenario): TopologyCost {
  const p = unitPrices(list);
  const r = resolve(scenario);
  const regions = r.regionsPerAccount;
  const ingestion = r.gbPerMonth * p["cloudwatchLogs.ingestionStandardPerGB"];
  const firehose = r.gbPerMonth * p["firehose.directPutIngestionPerGB"];
  const decompression = r.gbPerMonth * p["firehose.cloudwatchLogsDecompressionPerGB"];
  const compressedPerStreamDay = r.gbPerAccountRegionDay * r.compressionRatio;
  // One object per stream per flush; central streams flush one object per active partition (account).
  const perAccountObjects = objectsPerMonth(
    r.streams,
    compressedPerStreamDay,
    r.bufferingIntervalSeconds,
    r.bufferingSizeMiB,
  );
  const centralObjects = objectsPerMonth(r.streams, compressedPerStreamDay, r.centralBufferingIntervalSeconds, 64);
  const kinesisOnDemand =
    regions * HOURS_PER_MONTH * p["kinesis.onDemandStreamHour"] +
    r.gbPerMonth * (p["kinesis.onDemandIngestPerGB"] + p["kinesis.onDemandRetrievalPerGB"]);
  const dynamicPartitioning =
    r.gbPerMonth * p["firehose.dynamicPartitioningPerGB"] +
    (centralObjects / 1000) * p["firehose.dynamicPartitioningPer1000Objects"];

  let components: Breakdown;
  let fixedPerAccountRegion: number;
  const oneAlarmAndKey = 4 * p["cloudwatch.standardAlarmPerMetricMonth"] + p["kms.customerKeyPerMonth"];
  switch (topology) {
    case "perAccount":
      components = {
        [SOURCE_INGESTION]: ingestion,
        "Firehose ingestion": firehose,
        "Firehose decompression": decompression,
        "per-account alarms and keys": perAccountMonitoring(p, r),
        ...archiveSide(p, r, perAccountObjects),
      };
      fixedPerAccountRegion = r.perAccountAlarms ? oneAlarmAndKey : 0;
      break;
    case "central":
    case "centralKinesis":
      components = {
        [SOURCE_INGESTION]: ingestion,
        "Firehose ingestion": firehose,
        "Firehose decompression": decompression,
        "Firehose dynamic partitioning": dynamicPartitioning,
        "Kinesis Data Streams (on-demand)": topology === "centralKinesis" ? kinesisOnDemand : 0,
        "central alarms and keys": centralMonitoring(p, regions),
        ...archiveSide(p, r, centralObjects),
      };
      fixedPerAccountRegion = 0;
      break;
    case "kinesisLambda": {
      // LZA: a Lambda per Region decompresses and reshapes each Kinesis batch.
      // Assumed: batches of 1 MB, 128 MB of memory, 200 ms each.
      const invocations = (r.gbPerMonth * GB) / MIB;
      components = {
        [SOURCE_INGESTION]: ingestion,
        "Kinesis Data Streams (on-demand)": kinesisOnDemand,
        "Lambda transform":
          (invocations / 1e6) * p["lambda.requestsPerMillion"] + invocations * 0.128 * 0.2 * p["lambda.gbSecondX86"],
        "Firehose ingestion": firehose,
        "Firehose dynamic partitioning": dynamicPartitioning,
        "central alarms and keys": centralMonitoring(p, regions),
        ...archiveSide(p, r, centralObjects),
      };
      fixedPerAccountRegion = 0;
      break;
    }
    case "cwlCentralization":
      components = {
        [SOURCE_INGESTION]: ingestion,
        // "You can centralize one copy of logs for free": the archive is that copy.
        "CloudWatch Logs centralization copy": r.gbPerMonth * p["cloudwatchLogs.centralizationFirstCopyPerGB"],
        "Firehose ingestion": firehose,
        "Firehose decompression": decompression,
        "Firehose dynamic partitioning": dynamicPartitioning,
        "central alarms and keys": centralMonitoring(p, regions),
        ...archiveSide(p, r, centralObjects),
      };
      fixedPerAccountRegion = 0;
      break;
  }
  const total = sum(components);
  return { topology, components, total, archiving: total - (components[SOURCE_INGESTION] ?? 0), fixedPerAccountRegion };
}
