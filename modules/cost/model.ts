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
import type { SourceMonitoring } from "../options/values";

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
  "cloudwatchLogs.insightsPerGBScanned",
  "cloudwatchLogs.storagePerGBMonth",
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
  /**
   * How sources are watched (monitoring.alarms.sources): the delivery watch in
   * the log-archive account, four alarms and a key per account and Region,
   * both, or none (alarms off). @default "deliveryWatch"
   */
  readonly sourceMonitoring?: SourceMonitoringCost;
  /** Minutes between heartbeats in every source account and Region; 0 when the heartbeat is off. @default 15 */
  readonly heartbeatMinutes?: number;
  /** Minutes between runs of the delivery watch. @default 5 */
  readonly watchIntervalMinutes?: number;
  /** The delivery watch's silence window, in minutes (each run scans this plus one interval). @default 30 */
  readonly silenceMinutes?: number;
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

/** How sources are watched (monitoring.alarms.sources), or "none" when alarms are off. */
export type SourceMonitoringCost = SourceMonitoring | "none";

/**
 * Sizes the model assumes, each a documented estimate rather than a price.
 * WATCH_EVENT_BYTES: an S3 "Object Created" event as EventBridge delivers it
 * (AWS's example in the S3 user guide is about 1 KB). HEARTBEAT_EVENT_BYTES:
 * the scheduled event the heartbeat rule writes (about 300 bytes).
 * HEARTBEAT_OBJECT_BYTES: an object holding only heartbeats, gzip-compressed.
 * A watch run: one Logs Insights query per Region, assumed 5 s at 256 MB,
 * billed at the x86 rate (arm64 is cheaper) as an upper bound.
 */
export const WATCH_EVENT_BYTES = 1200;
export const HEARTBEAT_EVENT_BYTES = 400;
export const HEARTBEAT_OBJECT_BYTES = 600;
export const WATCH_RUN_GB_SECONDS = 5 * 0.25;
/** Firehose bills each record rounded up to 5 KB: a heartbeat alone is one record. */
const FIREHOSE_RECORD_BYTES = 5 * 1024;

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

export interface Resolved extends Required<Scenario> {
  readonly streams: number;
  readonly gbPerMonth: number;
}

export function resolve(s: Scenario): Resolved {
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
    sourceMonitoring: "deliveryWatch" as SourceMonitoringCost,
    heartbeatMinutes: 15,
    watchIntervalMinutes: 5,
    silenceMinutes: 30,
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

/** Four alarms and the key of their topic, in one account and Region. */
function perAccountAlarmsOfOneSource(p: Record<PriceId, number>): number {
  return 4 * p["cloudwatch.standardAlarmPerMetricMonth"] + p["kms.customerKeyPerMonth"];
}

function hasPerAccountAlarms(r: Resolved): boolean {
  return r.sourceMonitoring === "perAccount" || r.sourceMonitoring === "both";
}

function hasDeliveryWatch(r: Resolved): boolean {
  return r.sourceMonitoring === "deliveryWatch" || r.sourceMonitoring === "both";
}

/** Per-account delivery alarms: four alarms and the key of their topic, per account and Region. */
function perAccountMonitoring(p: Record<PriceId, number>, r: Resolved): number {
  return hasPerAccountAlarms(r) ? r.streams * perAccountAlarmsOfOneSource(p) : 0;
}

/**
 * What the delivery watch pays per month for the S3 events of `objects`
 * archive objects (not the replica's): their ingestion into its log group,
 * their 3 days of storage, and each run scanning its window plus one
 * interval. S3's events to EventBridge and rule deliveries are free.
 */
function watchEventsCost(p: Record<PriceId, number>, r: Resolved, objects: number): number {
  const eventGB = (objects * WATCH_EVENT_BYTES) / GB;
  const scanFactor = (r.silenceMinutes + r.watchIntervalMinutes) / r.watchIntervalMinutes;
  return (
    eventGB * p["cloudwatchLogs.ingestionStandardPerGB"] +
    eventGB * (3 / DAYS_PER_MONTH) * p["cloudwatchLogs.storagePerGBMonth"] +
    eventGB * scanFactor * p["cloudwatchLogs.insightsPerGBScanned"]
  );
}

/** The delivery watch for the organization: its events, the function's runs, and the two alarms that watch the watch. */
export function deliveryWatchCost(p: Record<PriceId, number>, r: Resolved, objects: number): number {
  if (!hasDeliveryWatch(r)) return 0;
  const runs = (DAYS_PER_MONTH * 24 * 60) / r.watchIntervalMinutes;
  return (
    watchEventsCost(p, r, objects) +
    (runs / 1e6) * p["lambda.requestsPerMillion"] +
    runs * WATCH_RUN_GB_SECONDS * p["lambda.gbSecondX86"] +
    2 * p["cloudwatch.standardAlarmPerMetricMonth"]
  );
}

/**
 * What one more account and Region costs at zero log volume, by component:
 * the heartbeat (its events, and the object it makes the stream write every
 * buffer interval, with the replica's copy, kept in S3 Standard over the
 * retention as objects under 128 KB do not transition), its share of the
 * delivery watch, and per-account alarms when they are on. Central streams
 * also pay dynamic partitioning's per-object fee.
 */
export function idleSourceCost(
  p: Record<PriceId, number>,
  r: Resolved,
  bufferingIntervalSeconds: number,
  partitioned: boolean,
): Breakdown {
  const minutesPerMonth = DAYS_PER_MONTH * 24 * 60;
  const heartbeats = r.heartbeatMinutes > 0 ? minutesPerMonth / r.heartbeatMinutes : 0;
  const objects =
    r.heartbeatMinutes > 0 ? minutesPerMonth / Math.max(r.heartbeatMinutes, bufferingIntervalSeconds / 60) : 0;
  const copies = r.replica ? 2 : 1;
  const storedGB = (objects * (r.retentionDays / DAYS_PER_MONTH) * HEARTBEAT_OBJECT_BYTES) / GB;
  // The runs and alarms are the organization's; one more source adds only its objects' events.
  const watch = hasDeliveryWatch(r) ? watchEventsCost(p, r, objects) : 0;
  return {
    "heartbeat ingestion (CloudWatch Logs, Firehose)":
      ((heartbeats * HEARTBEAT_EVENT_BYTES) / GB) * p["cloudwatchLogs.ingestionStandardPerGB"] +
      ((heartbeats * FIREHOSE_RECORD_BYTES) / GB) * p["firehose.directPutIngestionPerGB"],
    "S3 PUT requests of heartbeat objects": ((objects * copies) / 1000) * p["s3.putPer1000"],
    "S3 storage of heartbeat objects": storedGB * copies * p["s3.standardStoragePerGBMonth"],
    "dynamic partitioning of heartbeat objects": partitioned
      ? (objects / 1000) * p["firehose.dynamicPartitioningPer1000Objects"]
      : 0,
    "delivery watch share": watch,
    "per-account alarms and key": hasPerAccountAlarms(r) ? perAccountAlarmsOfOneSource(p) : 0,
  };
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
  switch (topology) {
    case "perAccount":
      components = {
        [SOURCE_INGESTION]: ingestion,
        "Firehose ingestion": firehose,
        "Firehose decompression": decompression,
        "per-account alarms and keys": perAccountMonitoring(p, r),
        "delivery watch": deliveryWatchCost(p, r, perAccountObjects),
        ...archiveSide(p, r, perAccountObjects),
      };
      fixedPerAccountRegion = sum(idleSourceCost(p, r, r.bufferingIntervalSeconds, false));
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
        "delivery watch": deliveryWatchCost(p, r, centralObjects),
        ...archiveSide(p, r, centralObjects),
      };
      fixedPerAccountRegion = sum(idleSourceCost(p, r, r.centralBufferingIntervalSeconds, true));
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
        // The copies are log groups of the archive account, kept one day before the subscription has
        // forwarded them: one day of volume stored, uncompressed as an upper bound.
        "CloudWatch Logs storage of the copies (1 day)":
          (r.gbPerMonth / DAYS_PER_MONTH) * p["cloudwatchLogs.storagePerGBMonth"],
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

/**
 * What one more idle account and Region costs in this project's topologies,
 * by component (the README's before-and-after table). Designs users come from
 * have no per-source resources in this model: their fixed cost is 0.
 */
export function fixedCostBreakdown(list: PriceList, topology: Topology, scenario: Scenario): Breakdown {
  const p = unitPrices(list);
  const r = resolve(scenario);
  switch (topology) {
    case "perAccount":
      return idleSourceCost(p, r, r.bufferingIntervalSeconds, false);
    case "central":
    case "centralKinesis":
      return idleSourceCost(p, r, r.centralBufferingIntervalSeconds, true);
    default:
      return {};
  }
}
