/**
 * The defaults of LogArchive's optional settings, in one place: LogArchive
 * fills every setting a caller leaves out from here, and the registry's
 * schema reads its `.default(...)` values from here too, so a minimal embed
 * and a minimal registry build the same archive. Each value says why it is
 * the default; docs/library.md lists them for embedders.
 */
import type {
  IndexRotation,
  KinesisStreamMode,
  MinimumObjectSizeRule,
  TransitionStorageClass,
} from "../options/values";

export const LOG_ARCHIVE_DEFAULTS = {
  archive: {
    /** Current versions expire after 2557 days: 7 years, the longest common regulatory retention. */
    retentionDays: 2557,
    /** Noncurrent versions (an overwrite or delete in the archive account) expire after a year. */
    noncurrentVersionRetentionDays: 365,
    /** Colder classes as objects age, each step allowed by S3's lifecycle waterfall. */
    transitions: [
      { storageClass: "STANDARD_IA", days: 30 },
      { storageClass: "GLACIER_IR", days: 90 },
      { storageClass: "DEEP_ARCHIVE", days: 365 },
    ] as readonly { readonly storageClass: TransitionStorageClass; readonly days: number }[],
    /** Objects under 128 KB stay in S3 Standard: their transition fees exceed any storage saving. */
    minimumObjectSizeRule: "all_storage_classes_128K" as MinimumObjectSizeRule,
    abortIncompleteMultipartUploadDays: 7,
    /** Replication Time Control is billed per GB: opt in. */
    replicationTimeControl: false,
    /** Reads of the archive are auditable through S3 server access logs. */
    accessLogging: true,
    accessLogRetentionDays: 2557,
    previousKeyArns: [] as readonly string[],
  },
  siem: {
    visibilityTimeoutSeconds: 300,
    /** Four days: a SIEM down over a long weekend loses nothing. */
    messageRetentionSeconds: 345600,
    maxReceiveCount: 10,
    queuePerPrefix: false,
  },
  alarms: {
    subscribers: [] as readonly never[],
    freshnessMarginSeconds: 300,
    silenceMinutes: 30,
    queueAgeAlarmSeconds: 3600,
  },
  athena: {
    dailyScanAlarmGiB: 100,
    huntingDailyScanAlarmGiB: 10240,
    resultsRetentionDays: 30,
    bytesScannedCutoffGiB: 10,
    huntingBytesScannedCutoffGiB: 4096,
    /** Accounts with a folder in the archive are found when planning; none need be listed. */
    knownAccountIds: [] as readonly string[],
  },
  central: {
    stream: {
      /** Dynamic partitioning needs at least 64 MiB. */
      bufferingSizeMiB: 64,
      bufferingIntervalSeconds: 300,
      kinesisStream: { enabled: false, mode: "ON_DEMAND" as KinesisStreamMode, shards: 1 },
    },
    /** Firehose's default quota of active partitions per stream. */
    activePartitionQuota: 500,
    errorLogRetentionDays: 365,
  },
  search: {
    indexName: "cloudwatch-logs",
    indexRotation: "OneDay" as IndexRotation,
    retryDurationSeconds: 300,
  },
} as const;
