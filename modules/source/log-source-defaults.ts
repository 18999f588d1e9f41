/**
 * The defaults of LogSource's optional settings, in one place: LogSource
 * fills every setting a caller leaves out from here, and the registry's
 * schema reads its `.default(...)` values from here too, so a minimal embed
 * and a minimal registry build the same pipeline.
 */
import type { CompressionFormat, DeliveryTopology, StreamEncryption, SubscriptionMode } from "../options/values";

export const LOG_SOURCE_DEFAULTS = {
  /** A Firehose in every source account and Region: no shared stream whose quota all accounts share. */
  delivery: "perAccount" as DeliveryTopology,
  firehose: {
    bufferingSizeMiB: 5,
    bufferingIntervalSeconds: 300,
    compression: "GZIP" as CompressionFormat,
    /** The full CloudWatch Logs envelope (owner, log group, stream): SIEMs and the tables read it. */
    messageExtraction: false,
    streamEncryption: "AWS_OWNED_CMK" as StreamEncryption,
    errorLogRetentionDays: 365,
  },
  subscription: {
    /** Every log group of the account and Region, present and future, by one account-level policy. */
    mode: "all" as SubscriptionMode,
    filterPattern: "",
    excludeLogGroups: [] as readonly string[],
    logGroups: [] as readonly never[],
  },
  /** An end-to-end heartbeat, so a silent source is told from a quiet one. */
  heartbeat: {
    intervalMinutes: 15,
    retentionDays: 30,
  },
  /** Seconds for IAM to propagate the subscription role before the first subscription. */
  iamPropagationSeconds: 30,
} as const;
