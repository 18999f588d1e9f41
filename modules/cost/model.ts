/**
 * The monthly cost of archiving an organization's CloudWatch Logs, by
 * component, from AWS's published prices (cost/prices.json, dated, each price
 * with its source; the inter-Region transfer rates of inter-region-prices.ts).
 * Pure arithmetic: no AWS call, no registry (from-registry.ts maps one).
 *
 * An organization is a list of source groups: account-Regions alike in Region,
 * volume, delivery, monitoring and stream settings, each priced with its own
 * settings (`organizationCost`), or all delivered by one topology to compare
 * designs (`topologyCost`). A `Scenario` is the uniform organization of the
 * comparison tables: so many accounts, each in the same Regions.
 *
 * Assumptions, each a parameter with a documented default: a month is 30
 * days; the archive holds a steady state (every day of the retention is
 * present); objects are compressed by `compressionRatio`; one object is
 * written per stream (or per partition) per buffer interval unless the
 * buffer size fills first.
 */
import type { CompressionFormat, DeliveryTopology, SourceMonitoring, StreamEncryption } from "../options/values";

/** A price of cost/prices.json. */
export interface Price {
  /** null when AWS's number could not be read: the report says it is not included. */
  readonly usd: number | null;
  readonly unit: string;
  readonly source: string;
  readonly quote: string;
  readonly confirmed: boolean;
}

/** What one Region charges per GB sent to another (inter-region-prices.ts). */
export interface InterRegionPrices {
  readonly retrieved: string;
  /** USD per GB sent from the Region to any other Region, by source Region. */
  readonly outPerGB: Readonly<Record<string, Price>>;
  /** Pairs of Regions whose rate differs from the source Region's (us-east-1 and us-east-2). @default - none */
  readonly pairs?: readonly (Price & { readonly from: string; readonly to: string })[];
}

export interface PriceList {
  readonly region: string;
  readonly retrieved: string;
  readonly prices: Readonly<Record<string, Price>>;
  /** Inter-Region transfer by source Region. @default - none: every transfer between Regions is left out and named */
  readonly interRegion?: InterRegionPrices;
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

/**
 * USD per GB sent from one Region to another: 0 within a Region, the pair's
 * rate where one is listed, else the source Region's; null when the list has
 * no number for the source Region (the transfer is then left out and named).
 * Only the source Region bills: https://aws.amazon.com/about-aws/global-infrastructure/global-network/faqs/
 */
export function interRegionPerGB(list: PriceList, from: string, to: string): number | null {
  if (from === to) return 0;
  const pair = list.interRegion?.pairs?.find((p) => p.from === from && p.to === to);
  if (pair) return pair.usd;
  return list.interRegion?.outPerGB[from]?.usd ?? null;
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

/** How sources are watched (monitoring.alarms.sources), or "none" when alarms are off. */
export type SourceMonitoringCost = SourceMonitoring | "none";

/** The settings of a source's own delivery stream (defaults.firehose and the account's overrides). */
export interface SourceStream {
  /** Buffer interval, seconds (0: zero buffering, priced as one object every ZERO_BUFFERING_SECONDS). */
  readonly bufferingIntervalSeconds: number;
  /** Buffer size, MiB. */
  readonly bufferingSizeMiB: number;
  /** UNCOMPRESSED objects are stored (and sent across Regions) at their full size. */
  readonly compression: CompressionFormat;
  /** CUSTOMER_MANAGED_CMK gives the account and Region a pipeline key of its own. */
  readonly streamEncryption: StreamEncryption;
}

/** Account-Regions alike in everything the model prices. */
export interface SourceGroup {
  /** Who they are, for the report (an account's name and id). @default - none */
  readonly label?: string;
  /** How many account-Regions the group holds. */
  readonly accountRegions: number;
  /** The Region whose log groups they forward. */
  readonly region: string;
  /** CloudWatch Logs ingested per account-Region per day, GB (uncompressed). */
  readonly gbPerDay: number;
  /** Their own Firehose per account and Region, or the central destination of their Region. */
  readonly delivery: DeliveryTopology;
  /** How they are watched. */
  readonly monitoring: SourceMonitoringCost;
  /** Their own stream's settings (per-account delivery). */
  readonly stream: SourceStream;
  /** What they are configured with that the model does not price, for the report. @default - nothing */
  readonly notes?: readonly string[];
}

/** The central streams, one per source Region in the log-archive account. */
export interface CentralStreams {
  readonly bufferingIntervalSeconds: number;
  /** Dynamic partitioning needs at least 64 MiB. */
  readonly bufferingSizeMiB: number;
  /** A Kinesis data stream (on-demand) in front of each central Firehose. */
  readonly kinesisStream: boolean;
}

/** Everything the model prices about an organization, defaults resolved. */
export interface Organization {
  /** Region of the archive bucket. */
  readonly archiveRegion: string;
  /** Region of the replica bucket; undefined: no replica. */
  readonly replicaRegion: string | undefined;
  readonly sources: readonly SourceGroup[];
  /** Size of the archive's objects relative to the ingested bytes, for GZIP objects. */
  readonly compressionRatio: number;
  readonly retentionDays: number;
  readonly transitions: readonly Tier[];
  readonly replicationTimeControl: boolean;
  /** Objects under 128 KB never transition (S3's all_storage_classes_128K). */
  readonly smallObjectsStayInStandard: boolean;
  /** Minutes between heartbeats in every source account and Region; 0 when the heartbeat is off. */
  readonly heartbeatMinutes: number;
  readonly watchIntervalMinutes: number;
  readonly silenceMinutes: number;
  readonly athenaTBPerMonth: number;
  readonly central: CentralStreams;
}

/** A uniform organization: so many accounts, each in the same Regions, every setting the default's. */
export interface Scenario {
  /** Source accounts. */
  readonly accounts: number;
  /** The Regions of every account, by name; those other than `archiveRegion` deliver across Regions. */
  readonly regions: readonly string[];
  /** CloudWatch Logs ingested per account and Region per day, in GB (uncompressed). */
  readonly gbPerAccountRegionDay: number;
  /** Region of the archive bucket. @default "us-east-1" (the Region of cost/prices.json) */
  readonly archiveRegion?: string;
  /** Size of the objects in the archive relative to the ingested bytes. @default 0.15 (gzip of log text) */
  readonly compressionRatio?: number;
  /** Archive retention in days. @default 2557 */
  readonly retentionDays?: number;
  /** Lifecycle tiers, ascending. @default IA 30, Glacier IR 90, Deep Archive 365 */
  readonly transitions?: readonly Tier[];
  /** Replica in a second Region. @default true */
  readonly replica?: boolean;
  /** Region of the replica. @default "us-west-2" */
  readonly replicaRegion?: string;
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
  /** Athena TB scanned per month. @default - ATHENA_USAGE with the cutoffs below */
  readonly athenaTBPerMonth?: number;
  /** The workgroups' scan cutoffs. @default 10 and 4096 GiB (the registry's defaults) */
  readonly athenaCutoffs?: AthenaCutoffs;
  /** Firehose buffer interval of the per-account streams, seconds. @default 300 */
  readonly bufferingIntervalSeconds?: number;
  /** Firehose buffer size of the per-account streams, MiB. @default 5 */
  readonly bufferingSizeMiB?: number;
  /** Compression of the per-account streams' objects. @default "GZIP" */
  readonly compression?: CompressionFormat;
  /** Encryption of the per-account streams. @default "AWS_OWNED_CMK" */
  readonly streamEncryption?: StreamEncryption;
  /** Buffer interval of the central streams, seconds. @default 300 */
  readonly centralBufferingIntervalSeconds?: number;
  /** Buffer size of the central streams, MiB. @default 64 */
  readonly centralBufferingSizeMiB?: number;
  /** Objects under 128 KB never transition (S3's all_storage_classes_128K). @default true */
  readonly smallObjectsStayInStandard?: boolean;
}

/** The organization a scenario describes, or fails naming every problem. */
export function organizationOf(s: Scenario): Organization {
  const problems: string[] = [];
  if (!(Number.isInteger(s.accounts) && s.accounts > 0)) {
    problems.push(`accounts: expected a positive whole number, got ${s.accounts}`);
  }
  if (s.regions.length === 0) problems.push("regions: expected at least one Region, got none");
  const duplicates = s.regions.filter((r, i) => s.regions.indexOf(r) !== i);
  if (duplicates.length > 0) problems.push(`regions: expected each Region once, got ${duplicates.join(", ")} again`);
  if (!(s.gbPerAccountRegionDay >= 0)) {
    problems.push(`gbPerAccountRegionDay: expected a number of GB, got ${s.gbPerAccountRegionDay}`);
  }
  if (problems.length > 0) throw new Error(`cost scenario: ${problems.join("; ")}`);
  const stream: SourceStream = {
    bufferingIntervalSeconds: s.bufferingIntervalSeconds ?? 300,
    bufferingSizeMiB: s.bufferingSizeMiB ?? 5,
    compression: s.compression ?? "GZIP",
    streamEncryption: s.streamEncryption ?? "AWS_OWNED_CMK",
  };
  return {
    archiveRegion: s.archiveRegion ?? "us-east-1",
    replicaRegion: (s.replica ?? true) ? (s.replicaRegion ?? "us-west-2") : undefined,
    sources: s.regions.map((region) => ({
      accountRegions: s.accounts,
      region,
      gbPerDay: s.gbPerAccountRegionDay,
      delivery: "perAccount",
      monitoring: s.sourceMonitoring ?? "deliveryWatch",
      stream,
    })),
    compressionRatio: s.compressionRatio ?? 0.15,
    retentionDays: s.retentionDays ?? 2557,
    transitions: s.transitions ?? [
      { storageClass: "STANDARD_IA", days: 30 },
      { storageClass: "GLACIER_IR", days: 90 },
      { storageClass: "DEEP_ARCHIVE", days: 365 },
    ],
    replicationTimeControl: s.replicationTimeControl ?? false,
    smallObjectsStayInStandard: s.smallObjectsStayInStandard ?? true,
    heartbeatMinutes: s.heartbeatMinutes ?? 15,
    watchIntervalMinutes: s.watchIntervalMinutes ?? 5,
    silenceMinutes: s.silenceMinutes ?? 30,
    athenaTBPerMonth:
      s.athenaTBPerMonth ??
      athenaTBPerMonth(
        s.regions.map(() => ({ accountRegions: s.accounts, gbPerDay: s.gbPerAccountRegionDay })),
        s.compressionRatio ?? 0.15,
        s.athenaCutoffs ?? { interactiveGiB: 10, huntingGiB: 4096 },
      ),
    central: {
      bufferingIntervalSeconds: s.centralBufferingIntervalSeconds ?? 300,
      bufferingSizeMiB: s.centralBufferingSizeMiB ?? 64,
      kinesisStream: false,
    },
  };
}

function asOrganization(s: Scenario | Organization): Organization {
  return "sources" in s ? s : organizationOf(s);
}

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
/**
 * With a buffer interval of 0 Firehose "does not buffer data and delivers it
 * within a few seconds"; the model counts one object per stream every 5 s, an
 * upper bound. Under 60 s it also uploads in parts, so its PUT count is a lower
 * bound. https://docs.aws.amazon.com/firehose/latest/dev/buffering-hints.html
 */
export const ZERO_BUFFERING_SECONDS = 5;

/**
 * Athena use the model assumes, an estimate rather than a price: each month
 * an analyst team runs `interactiveQueries` questions about one account and
 * Region over one day, and `huntingQueries` organization-wide hunts over
 * `huntingDays` days. Athena bills the bytes it reads (the compressed
 * objects, the CloudWatch Logs tables' text gzip-compressed), at least 10 MB a
 * query, and cancels a query at its workgroup's cutoff.
 * @see https://aws.amazon.com/athena/pricing/
 */
export const ATHENA_USAGE = { interactiveQueries: 200, huntingQueries: 20, huntingDays: 7 } as const;
const ATHENA_MINIMUM_GB = 0.01;

/** Scan cutoffs of the two workgroups, in GiB (monitoring.athena). */
export interface AthenaCutoffs {
  readonly interactiveGiB: number;
  readonly huntingGiB: number;
}

/** TB Athena scans a month under ATHENA_USAGE, for sources that archive `gbPerDay` each (uncompressed). */
export function athenaTBPerMonth(
  sources: readonly { readonly accountRegions: number; readonly gbPerDay: number }[],
  compressionRatio: number,
  cutoffs: AthenaCutoffs,
): number {
  const accountRegions = sources.reduce((n, s) => n + s.accountRegions, 0);
  if (accountRegions === 0) return 0;
  const archivedGBPerDay = sources.reduce((n, s) => n + s.accountRegions * s.gbPerDay * compressionRatio, 0);
  const gib = 1024 ** 3 / 1e9;
  const interactive = Math.min(
    Math.max(archivedGBPerDay / accountRegions, ATHENA_MINIMUM_GB),
    cutoffs.interactiveGiB * gib,
  );
  const hunting = Math.min(
    Math.max(archivedGBPerDay * ATHENA_USAGE.huntingDays, ATHENA_MINIMUM_GB),
    cutoffs.huntingGiB * gib,
  );
  return (ATHENA_USAGE.interactiveQueries * interactive + ATHENA_USAGE.huntingQueries * hunting) / 1000;
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
export const INTER_REGION_TRANSFER = "inter-Region transfer to the archive";
export const REPLICATION_TRANSFER = "replication transfer";

/** Every component, in the order the report lists them. */
export const COMPONENTS = [
  SOURCE_INGESTION,
  "CloudWatch Logs centralization copy",
  "CloudWatch Logs storage of the copies (1 day)",
  "Kinesis Data Streams (on-demand)",
  "Lambda transform",
  "Firehose ingestion",
  "Firehose decompression",
  "Firehose dynamic partitioning",
  INTER_REGION_TRANSFER,
  "per-account alarms and keys",
  "central alarms and keys",
  "delivery watch",
  "S3 PUT requests",
  "S3 storage over the retention",
  "S3 lifecycle transitions",
  REPLICATION_TRANSFER,
  "replication time control",
  "archive keys",
  "archive alarms",
  "Athena scans",
] as const;
export type Component = (typeof COMPONENTS)[number];

export interface TopologyCost {
  readonly topology: Topology;
  readonly components: Breakdown;
  readonly total: number;
  /** The total without the source accounts' CloudWatch Logs ingestion, which is paid anyway. */
  readonly archiving: number;
  /** What one more account and Region (of the first source group) costs at zero volume, per month. */
  readonly fixedPerAccountRegion: number;
  /** What the total leaves out because a price is unknown, e.g. "inter-Region transfer out of mx-central-1". */
  readonly unpriced: readonly string[];
}

/** What one source group adds to the organization's bill. */
export interface SourceGroupCost {
  readonly source: SourceGroup;
  /** The topology that delivers it. */
  readonly topology: Topology;
  readonly components: Breakdown;
  readonly total: number;
  /** Compressed GB a month its stream sends from its Region to the archive's (0 within the archive's Region). */
  readonly sentAcrossGB: number;
  /** Compressed GB a month the archive replicates to the replica for it (0 without a replica). */
  readonly replicatedGB: number;
}

export interface OrganizationCost {
  readonly components: Breakdown;
  readonly total: number;
  /** The total without the source accounts' CloudWatch Logs ingestion, which is paid anyway. */
  readonly archiving: number;
  /** What each source group adds, in the order of `sources`. */
  readonly bySource: readonly SourceGroupCost[];
  /** What the organization pays once, whatever its sources: archive keys and alarms, central streams, the watch's runs. */
  readonly shared: Breakdown;
  /** What the total leaves out because a price is unknown. */
  readonly unpriced: readonly string[];
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
  const byInterval = (24 * 3600) / Math.max(intervalSeconds, ZERO_BUFFERING_SECONDS);
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
  r: Pick<Organization, "retentionDays" | "transitions" | "smallObjectsStayInStandard">,
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

/** A breakdown with every component at 0. */
function emptyBreakdown(): Record<Component, number> {
  return Object.fromEntries(COMPONENTS.map((c) => [c, 0])) as Record<Component, number>;
}

function sum(b: Breakdown): number {
  return Object.values(b).reduce((a, v) => a + v, 0);
}

function add(into: Breakdown, b: Breakdown): void {
  for (const [k, v] of Object.entries(b)) into[k] = (into[k] ?? 0) + v;
}

/** Topologies of this project, whose sources the delivery watch can watch. */
function watchable(topology: Topology): boolean {
  return topology === "perAccount" || topology === "central" || topology === "centralKinesis";
}

function watched(g: SourceGroup, topology: Topology): boolean {
  return watchable(topology) && (g.monitoring === "deliveryWatch" || g.monitoring === "both");
}

/** Delivery alarms live in the source only when it has its own stream (LogSource's alarmsHere). */
function perAccountAlarms(g: SourceGroup, topology: Topology): boolean {
  return topology === "perAccount" && (g.monitoring === "perAccount" || g.monitoring === "both");
}

/** The pipeline key of an account and Region: for its alarms' topic, its own stream's encryption, or both. */
function pipelineKey(g: SourceGroup, topology: Topology): boolean {
  return (
    topology === "perAccount" && (perAccountAlarms(g, topology) || g.stream.streamEncryption === "CUSTOMER_MANAGED_CMK")
  );
}

/** Topologies whose streams partition dynamically into one stream per Region. */
function partitioned(topology: Topology): boolean {
  return topology !== "perAccount";
}

/** The stream that writes a group's objects: its own, or its Region's shared one. */
function streamOf(org: Organization, g: SourceGroup, topology: Topology) {
  return topology === "perAccount"
    ? {
        ratio: g.stream.compression === "UNCOMPRESSED" ? 1 : org.compressionRatio,
        intervalSeconds: g.stream.bufferingIntervalSeconds,
        sizeMiB: g.stream.bufferingSizeMiB,
      }
    : {
        ratio: org.compressionRatio,
        intervalSeconds: org.central.bufferingIntervalSeconds,
        sizeMiB: org.central.bufferingSizeMiB,
      };
}

/**
 * What the delivery watch pays per month for the S3 events of `objects`
 * archive objects (not the replica's): their ingestion into its log group,
 * their 3 days of storage, and each run scanning its window plus one
 * interval. S3's events to EventBridge and rule deliveries are free.
 */
function watchEventsCost(p: Record<PriceId, number>, org: Organization, objects: number): number {
  const eventGB = (objects * WATCH_EVENT_BYTES) / GB;
  const scanFactor = (org.silenceMinutes + org.watchIntervalMinutes) / org.watchIntervalMinutes;
  return (
    eventGB * p["cloudwatchLogs.ingestionStandardPerGB"] +
    eventGB * (3 / DAYS_PER_MONTH) * p["cloudwatchLogs.storagePerGBMonth"] +
    eventGB * scanFactor * p["cloudwatchLogs.insightsPerGBScanned"]
  );
}

interface Pricing {
  readonly p: Record<PriceId, number>;
  readonly list: PriceList;
  readonly org: Organization;
  /** Unknown prices met, by what they leave out. */
  readonly unpriced: Set<string>;
}

/** USD per GB between two Regions, or 0 with the gap recorded when the rate is unknown. */
function transferRate(ctx: Pricing, from: string, to: string): number {
  const rate = interRegionPerGB(ctx.list, from, to);
  if (rate === null) ctx.unpriced.add(`inter-Region transfer out of ${from}`);
  return rate ?? 0;
}

/** Compressed GB a month a group's objects weigh, and how many of them cross Regions to the archive. */
function volumes(org: Organization, g: SourceGroup, topology: Topology) {
  const compressedPerMonth = g.accountRegions * g.gbPerDay * streamOf(org, g, topology).ratio * DAYS_PER_MONTH;
  const crosses = topology !== "cwlCentralization" && g.region !== org.archiveRegion;
  return {
    sentAcrossGB: crosses ? compressedPerMonth : 0,
    replicatedGB: org.replicaRegion ? compressedPerMonth : 0,
  };
}

/** What one source group adds to the bill when `topology` delivers it. */
function groupCost(ctx: Pricing, g: SourceGroup, topology: Topology): Breakdown {
  const { p, org } = ctx;
  const n = g.accountRegions;
  const gbPerMonth = n * g.gbPerDay * DAYS_PER_MONTH;
  const stream = streamOf(org, g, topology);
  const compressedPerDay = n * g.gbPerDay * stream.ratio;
  const compressedPerMonth = compressedPerDay * DAYS_PER_MONTH;
  // One object per stream per flush; central streams flush one object per active partition (account).
  const objects = objectsPerMonth(n, g.gbPerDay * stream.ratio, stream.intervalSeconds, stream.sizeMiB);
  const objectsPerDay = objects / DAYS_PER_MONTH;
  const objectSize = objectsPerDay > 0 ? (compressedPerDay * GB) / objectsPerDay : 0;
  const one = storageCost(p, compressedPerDay, objectsPerDay, objectSize, org);
  const copies = org.replicaRegion ? 2 : 1;
  const kinesis = topology === "centralKinesis" || topology === "kinesisLambda";
  // LZA: a Lambda per Region decompresses and reshapes each Kinesis batch.
  // Assumed: batches of 1 MB, 128 MB of memory, 200 ms each.
  const invocations = topology === "kinesisLambda" ? (gbPerMonth * GB) / MIB : 0;
  const cwl = topology === "cwlCentralization";
  const b = emptyBreakdown();
  b[SOURCE_INGESTION] = gbPerMonth * p["cloudwatchLogs.ingestionStandardPerGB"];
  // "You can centralize one copy of logs for free": the archive is that copy.
  b["CloudWatch Logs centralization copy"] = cwl ? gbPerMonth * p["cloudwatchLogs.centralizationFirstCopyPerGB"] : 0;
  // The copies are log groups of the archive account, kept one day before the subscription has
  // forwarded them: one day of volume stored, uncompressed as an upper bound.
  b["CloudWatch Logs storage of the copies (1 day)"] = cwl
    ? (gbPerMonth / DAYS_PER_MONTH) * p["cloudwatchLogs.storagePerGBMonth"]
    : 0;
  b["Kinesis Data Streams (on-demand)"] = kinesis
    ? gbPerMonth * (p["kinesis.onDemandIngestPerGB"] + p["kinesis.onDemandRetrievalPerGB"])
    : 0;
  b["Lambda transform"] =
    (invocations / 1e6) * p["lambda.requestsPerMillion"] + invocations * 0.128 * 0.2 * p["lambda.gbSecondX86"];
  b["Firehose ingestion"] = gbPerMonth * p["firehose.directPutIngestionPerGB"];
  b["Firehose decompression"] =
    topology === "kinesisLambda" ? 0 : gbPerMonth * p["firehose.cloudwatchLogsDecompressionPerGB"];
  b["Firehose dynamic partitioning"] = partitioned(topology)
    ? gbPerMonth * p["firehose.dynamicPartitioningPerGB"] +
      (objects / 1000) * p["firehose.dynamicPartitioningPer1000Objects"]
    : 0;
  // The stream that writes the objects runs in the source's Region (its own, or the central one of
  // that Region) and pays for sending them to the archive's. Organization centralization moves the
  // first copy into the archive's Region for free (docs/research/native-centralization.md).
  const { sentAcrossGB, replicatedGB } = volumes(org, g, topology);
  b[INTER_REGION_TRANSFER] = sentAcrossGB > 0 ? sentAcrossGB * transferRate(ctx, g.region, org.archiveRegion) : 0;
  b["per-account alarms and keys"] =
    n *
    ((perAccountAlarms(g, topology) ? 4 * p["cloudwatch.standardAlarmPerMetricMonth"] : 0) +
      (pipelineKey(g, topology) ? p["kms.customerKeyPerMonth"] : 0));
  b["delivery watch"] = watched(g, topology) ? watchEventsCost(p, org, objects) : 0;
  b["S3 PUT requests"] = ((objects * copies) / 1000) * p["s3.putPer1000"];
  b["S3 storage over the retention"] = one.storage * copies;
  b["S3 lifecycle transitions"] = one.transitions * copies;
  b[REPLICATION_TRANSFER] =
    org.replicaRegion && replicatedGB > 0 ? replicatedGB * transferRate(ctx, org.archiveRegion, org.replicaRegion) : 0;
  b["replication time control"] =
    org.replicaRegion && org.replicationTimeControl ? compressedPerMonth * p["s3.replicationTimeControlPerGB"] : 0;
  return b;
}

/** What the organization pays once for the groups delivered as given. */
function sharedCost(ctx: Pricing, delivered: readonly { g: SourceGroup; topology: Topology }[]): Breakdown {
  const { p, org } = ctx;
  const regionsWhere = (test: (t: Topology) => boolean) =>
    new Set(delivered.filter((d) => test(d.topology)).map((d) => d.g.region)).size;
  const b = emptyBreakdown();
  b["Kinesis Data Streams (on-demand)"] =
    regionsWhere((t) => t === "centralKinesis" || t === "kinesisLambda") *
    HOURS_PER_MONTH *
    p["kinesis.onDemandStreamHour"];
  // Central streams: per Region an alarm topic key and six alarms (freshness, success, throttling,
  // silence, two partition alarms).
  b["central alarms and keys"] =
    regionsWhere(partitioned) * (6 * p["cloudwatch.standardAlarmPerMetricMonth"] + p["kms.customerKeyPerMonth"]);
  // The watch's runs and the two alarms that watch it; its events are the sources'.
  const runs = (DAYS_PER_MONTH * 24 * 60) / org.watchIntervalMinutes;
  b["delivery watch"] = delivered.some((d) => watched(d.g, d.topology))
    ? (runs / 1e6) * p["lambda.requestsPerMillion"] +
      runs * WATCH_RUN_GB_SECONDS * p["lambda.gbSecondX86"] +
      2 * p["cloudwatch.standardAlarmPerMetricMonth"]
    : 0;
  // Archive, replica, SIEM queue, Athena results and monitoring keys.
  b["archive keys"] = (org.replicaRegion ? 5 : 4) * p["kms.customerKeyPerMonth"];
  // Dead letters, queue age, replication failures; with Athena, the two workgroups' daily scan
  // alarms, three metrics each (CloudWatch bills every metric of a metric-math alarm).
  const athenaAlarmMetrics = org.athenaTBPerMonth > 0 ? 2 * 3 : 0;
  b["archive alarms"] =
    ((org.replicaRegion ? 3 : 2) + athenaAlarmMetrics) * p["cloudwatch.standardAlarmPerMetricMonth"];
  b["Athena scans"] = org.athenaTBPerMonth * p["athena.perTBScanned"];
  return b;
}

function price(list: PriceList, org: Organization, topologyOf: (g: SourceGroup) => Topology) {
  const ctx: Pricing = { p: unitPrices(list), list, org, unpriced: new Set() };
  const delivered = org.sources.map((g) => ({ g, topology: topologyOf(g) }));
  const bySource = delivered.map(({ g, topology }) => {
    const components = groupCost(ctx, g, topology);
    return { source: g, topology, components, total: sum(components), ...volumes(org, g, topology) };
  });
  const shared = sharedCost(ctx, delivered);
  const components = emptyBreakdown() as Breakdown;
  for (const s of bySource) add(components, s.components);
  add(components, shared);
  const total = sum(components);
  return {
    components,
    total,
    archiving: total - (components[SOURCE_INGESTION] ?? 0),
    bySource,
    shared,
    unpriced: [...ctx.unpriced].sort(),
  };
}

/** The monthly cost of the organization with every source delivered by one topology (to compare designs). */
export function topologyCost(list: PriceList, topology: Topology, scenario: Scenario | Organization): TopologyCost {
  const org = asOrganization(scenario);
  const priced = price(list, org, () => topology);
  return {
    topology,
    components: priced.components,
    total: priced.total,
    archiving: priced.archiving,
    fixedPerAccountRegion: sum(fixedCostBreakdown(list, topology, org)),
    unpriced: priced.unpriced,
  };
}

/** The topology that delivers a source group as the organization is configured. */
export function configuredTopology(org: Organization, g: SourceGroup): Topology {
  if (g.delivery === "perAccount") return "perAccount";
  return org.central.kinesisStream ? "centralKinesis" : "central";
}

/** The monthly cost of the organization as configured: each source group with its own delivery, monitoring and stream. */
export function organizationCost(list: PriceList, org: Organization): OrganizationCost {
  return price(list, org, (g) => configuredTopology(org, g));
}

/**
 * What one more account and Region of group `g` costs at zero log volume, by
 * component: the heartbeat (its events, and the object it makes the stream
 * write every buffer interval, with the replica's copy, kept in S3 Standard
 * over the retention as objects under 128 KB do not transition), its share of
 * the delivery watch, and per-account alarms and the pipeline key when it has
 * them. Central streams also pay dynamic partitioning's per-object fee.
 * Heartbeat objects sent across Regions (about 2 MB a month) are left out:
 * under a hundredth of a cent at any rate in inter-region-prices.ts.
 */
function idleSourceCost(p: Record<PriceId, number>, org: Organization, g: SourceGroup, topology: Topology): Breakdown {
  const intervalSeconds = Math.max(streamOf(org, g, topology).intervalSeconds, ZERO_BUFFERING_SECONDS);
  const minutesPerMonth = DAYS_PER_MONTH * 24 * 60;
  const heartbeats = org.heartbeatMinutes > 0 ? minutesPerMonth / org.heartbeatMinutes : 0;
  const objects = org.heartbeatMinutes > 0 ? minutesPerMonth / Math.max(org.heartbeatMinutes, intervalSeconds / 60) : 0;
  const copies = org.replicaRegion ? 2 : 1;
  const storedGB = (objects * (org.retentionDays / DAYS_PER_MONTH) * HEARTBEAT_OBJECT_BYTES) / GB;
  return {
    "heartbeat ingestion (CloudWatch Logs, Firehose)":
      ((heartbeats * HEARTBEAT_EVENT_BYTES) / GB) * p["cloudwatchLogs.ingestionStandardPerGB"] +
      ((heartbeats * FIREHOSE_RECORD_BYTES) / GB) * p["firehose.directPutIngestionPerGB"],
    "S3 PUT requests of heartbeat objects": ((objects * copies) / 1000) * p["s3.putPer1000"],
    "S3 storage of heartbeat objects": storedGB * copies * p["s3.standardStoragePerGBMonth"],
    "dynamic partitioning of heartbeat objects": partitioned(topology)
      ? (objects / 1000) * p["firehose.dynamicPartitioningPer1000Objects"]
      : 0,
    // The runs and alarms are the organization's; one more source adds only its objects' events.
    "delivery watch share": watched(g, topology) ? watchEventsCost(p, org, objects) : 0,
    "per-account alarms and key":
      (perAccountAlarms(g, topology) ? 4 * p["cloudwatch.standardAlarmPerMetricMonth"] : 0) +
      (pipelineKey(g, topology) ? p["kms.customerKeyPerMonth"] : 0),
  };
}

/**
 * What one more idle account and Region costs in this project's topologies,
 * by component (the README's before-and-after table), for the first source
 * group. Designs users come from have no per-source resources in this model:
 * their fixed cost is 0.
 */
export function fixedCostBreakdown(list: PriceList, topology: Topology, scenario: Scenario | Organization): Breakdown {
  const org = asOrganization(scenario);
  const first = org.sources[0];
  if (!first || !watchable(topology)) return {};
  return idleSourceCost(unitPrices(list), org, first, topology);
}
