/**
 * The value lists of every enumerable setting, shared by the registry schema
 * (which validates them) and the constructs' props (which are typed with
 * them), so neither depends on the other. Pure data: no cdktf, no registry.
 */

/** How log groups are selected: one account-level policy, or one filter per listed group. */
/**
 * Tags on every resource, whatever the registry's deployment.defaultTags add
 * (which win on the same key): a resource can always be traced to this project.
 */
export const PROJECT_TAGS: Readonly<Record<string, string>> = { ManagedBy: "cdktf", Project: "cwl-log-archive" };

export const SUBSCRIPTION_MODES = ["all", "listed"] as const;
export type SubscriptionMode = (typeof SUBSCRIPTION_MODES)[number];

/** Compression of the objects Firehose writes. */
export const COMPRESSION_FORMATS = ["GZIP", "UNCOMPRESSED"] as const;
export type CompressionFormat = (typeof COMPRESSION_FORMATS)[number];

/** Firehose server-side encryption key types. */
export const STREAM_ENCRYPTION = ["AWS_OWNED_CMK", "CUSTOMER_MANAGED_CMK"] as const;
export type StreamEncryption = (typeof STREAM_ENCRYPTION)[number];

/** How CloudWatch Logs leave a source account: its own Firehose, or the organization's destination. */
export const DELIVERY_TOPOLOGIES = ["perAccount", "central"] as const;
export type DeliveryTopology = (typeof DELIVERY_TOPOLOGIES)[number];

/** S3 lifecycle transition targets, in the order of S3's waterfall (colder later). */
export const TRANSITION_STORAGE_CLASSES = [
  "STANDARD_IA",
  "INTELLIGENT_TIERING",
  "ONEZONE_IA",
  "GLACIER_IR",
  "GLACIER",
  "DEEP_ARCHIVE",
] as const;
export type TransitionStorageClass = (typeof TRANSITION_STORAGE_CLASSES)[number];

/** S3's rule for objects under 128 KB in lifecycle transitions. */
export const MINIMUM_OBJECT_SIZE_RULES = ["all_storage_classes_128K", "varies_by_storage_class"] as const;
export type MinimumObjectSizeRule = (typeof MINIMUM_OBJECT_SIZE_RULES)[number];

/** S3 Object Lock retention modes. */
export const OBJECT_LOCK_MODES = ["GOVERNANCE", "COMPLIANCE"] as const;
export type ObjectLockMode = (typeof OBJECT_LOCK_MODES)[number];

/** SNS subscription protocols the alarm topics accept. */
export const SUBSCRIBER_PROTOCOLS = ["email", "email-json", "https", "sqs", "lambda"] as const;
export type SubscriberProtocol = (typeof SUBSCRIBER_PROTOCOLS)[number];

/**
 * How Atlantis gets the stacks: `synthesize` runs `npx cdktf synth` in a
 * pre-workflow hook (nothing synthesised is committed); `committed` plans the
 * synthesised stacks committed to the repository, each project only when its
 * own cdk.tf.json changes.
 */
export const ATLANTIS_MODES = ["synthesize", "committed"] as const;
export type AtlantisMode = (typeof ATLANTIS_MODES)[number];

/**
 * Where the delivery of each source account and Region is watched:
 * `deliveryWatch` from the log-archive account (no monitoring resource in the
 * source), `perAccount` by four alarms, a key and a topic in every source
 * account and Region, or `both`.
 */
export const SOURCE_MONITORING = ["deliveryWatch", "perAccount", "both"] as const;
export type SourceMonitoring = (typeof SOURCE_MONITORING)[number];

/** How Firehose rotates the OpenSearch index (it appends a date stamp to the index name). */
export const INDEX_ROTATIONS = ["NoRotation", "OneHour", "OneDay", "OneWeek", "OneMonth"] as const;
export type IndexRotation = (typeof INDEX_ROTATIONS)[number];

/** Kinesis Data Streams capacity modes. */
export const KINESIS_STREAM_MODES = ["ON_DEMAND", "PROVISIONED"] as const;
export type KinesisStreamMode = (typeof KINESIS_STREAM_MODES)[number];

/**
 * The prefix of every physical name: lowercase DNS-label characters (it ends
 * up in bucket names), at most 20 so that the longest derived names (IAM
 * roles, 64) stay within AWS's limits.
 */
export const NAME_PREFIX = /^[a-z][a-z0-9-]{1,18}[a-z0-9]$/;

/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;

/**
 * The retention periods CloudWatch Logs accepts, in days.
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * What a plan may do once the registry acknowledges it (`migrations[].allow`):
 * each stack's `cwl_acknowledged_migrations` output carries them, and the plan
 * gate (security/plan-gate) refuses the matching plan without them.
 * - forget-protected: protected resources leave Terraform's management (removed blocks), kept in AWS;
 * - shorten-retention: a lifecycle rule expires objects or versions sooner;
 * - weaken-object-lock: the Object Lock default retention is shortened, downgraded or dropped;
 * - replace-subscription-policy: the account-level subscription policy is deleted and put again;
 * - repoint-delivery: a stream or a subscription sends to another bucket or destination.
 */
export const MIGRATION_ACKNOWLEDGEMENTS = [
  "forget-protected",
  "shorten-retention",
  "weaken-object-lock",
  "replace-subscription-policy",
  "repoint-delivery",
] as const;
export type MigrationAcknowledgement = (typeof MIGRATION_ACKNOWLEDGEMENTS)[number];

/** The output of every stack that carries the registry's acknowledgements to the plan gate. */
export const ACKNOWLEDGEMENTS_OUTPUT = "cwl_acknowledged_migrations";
