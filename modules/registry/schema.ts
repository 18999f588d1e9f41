/**
 * The accounts registry schema: the single source of truth for what
 * `accounts/registry.yaml` may contain, its defaults, and the generated
 * `accounts/registry.schema.json`.
 *
 * Every object is strict (an unknown key is almost always a typo that would
 * otherwise silently fall back to a default). Every optional setting has a
 * secure default, stated in its description.
 */
import { z } from "zod";
import { KMS_KEY_ARN } from "../naming/arn";
import { LOG_ARCHIVE_DEFAULTS as ARCHIVE } from "../archive/log-archive-defaults";
import {
  LOG_ARCHIVE_RANGES,
  SIEM_MESSAGE_RETENTION_SECONDS,
  SIEM_VISIBILITY_TIMEOUT_SECONDS,
} from "../archive/archive-rules";
import { LOG_SOURCE_DEFAULTS as SOURCE } from "../source/log-source-defaults";
import { DELIVERY_WATCH_DEFAULTS } from "../monitoring/delivery-watch";
import { DEFAULT_NAME_PREFIX } from "../naming/names";
import { integerRangeMessage, LOG_RETENTION_MESSAGE } from "../constructs/validation";
import {
  FIREHOSE_BUFFERING_INTERVAL_SECONDS,
  FIREHOSE_BUFFERING_SIZE_MIB,
  HEARTBEAT_INTERVAL_MINUTES,
  IAM_PROPAGATION_SECONDS,
  VPC_ID,
  VPC_ID_MESSAGE,
} from "../source/source-rules";
import { TFC_DEFAULT_OIDC_THUMBPRINT } from "../naming/terraform-cloud";
import { FILTER_PATTERN_MAX_LENGTH, filterPatternProblem } from "../naming/filter-pattern";
import {
  ACCOUNT_ID,
  NAME_PREFIX,
  ATLANTIS_MODES,
  LOG_RETENTION_DAYS,
  COMPRESSION_FORMATS,
  DELIVERY_TOPOLOGIES,
  INDEX_ROTATIONS,
  KINESIS_STREAM_MODES,
  MINIMUM_OBJECT_SIZE_RULES,
  OBJECT_LOCK_MODES,
  STREAM_ENCRYPTION,
  SOURCE_MONITORING,
  SUBSCRIBER_PROTOCOLS,
  SUBSCRIPTION_MODES,
  TRANSITION_STORAGE_CLASSES,
  MIGRATION_ACKNOWLEDGEMENTS,
} from "../options/values";
import { ANNOUNCEABLE_KINDS, directSourceSections } from "../sources/direct-sources";
import { ALL_REGIONS, regionProblem } from "./regions";
import { ARN_PARTITION_PATTERN } from "../naming/partition";
import {
  EXEMPT_ROLE_PATTERN,
  EXEMPT_ROLE_PATTERN_MAX_LENGTH,
  isRootOrOrganizationalUnitId,
  MAX_POLICIES_PER_TARGET,
  MAX_EXEMPT_ROLES,
} from "../options/guardrails";

export {
  ACCOUNT_ID,
  NAME_PREFIX,
  LOG_RETENTION_DAYS,
  COMPRESSION_FORMATS,
  DELIVERY_TOPOLOGIES,
  MINIMUM_OBJECT_SIZE_RULES,
  OBJECT_LOCK_MODES,
  STREAM_ENCRYPTION,
  SUBSCRIBER_PROTOCOLS,
  SUBSCRIPTION_MODES,
  TRANSITION_STORAGE_CLASSES,
};

export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
export const DISPLAY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** CloudWatch Logs log group names: 1-512 chars of [.-_/#A-Za-z0-9]. */
export const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
/** IAM role names: 1-64 chars of [\w+=,.@-]. */
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** sts:ExternalId: 2-1224 chars of [\w+=,.@:/-]. */
export const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** Terraform Cloud workspace names: letters, numbers, `-` and `_`, at most 90. */
export const WORKSPACE_PREFIX = /^[A-Za-z0-9_-]{0,40}$/;
/** S3 bucket names (general purpose). */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** ARNs users write, in any partition (aws, aws-us-gov, aws-cn); one registry keeps to one (partition-problems.ts). */
export const IAM_ROLE_OR_USER_ARN = new RegExp(`^arn:${ARN_PARTITION_PATTERN}:iam::\\d{12}:(role|user)/[\\w+=,.@/-]+$`);
export const IAM_PRINCIPAL_ARN = new RegExp(
  `^arn:${ARN_PARTITION_PATTERN}:iam::\\d{12}:(root|role/[\\w+=,.@/-]+|user/[\\w+=,.@/-]+)$`,
);
/** Tag keys and values as the AWS provider's default_tags accepts them. */
const TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

const region = z
  .string({ error: "expected an AWS Region name such as eu-west-1" })
  .superRefine((value, ctx) => {
    const problem = regionProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .meta({ enum: [...ALL_REGIONS] });

const accountId = z
  .string({
    error: (issue) =>
      typeof issue.input === "number"
        ? "expected a 12-digit account id as a quoted string (a YAML number loses leading zeros)"
        : "expected a 12-digit account id as a quoted string",
  })
  .regex(ACCOUNT_ID, { error: "expected a 12-digit account id as a quoted string" });

// The message constructs give for the same bounds (integerRangeMessage).
const int = (what: string, min: number, max: number) =>
  z
    .number({ error: integerRangeMessage(what, min, max) })
    .int({ error: integerRangeMessage(what, min, max) })
    .min(min, { error: integerRangeMessage(what, min, max) })
    .max(max, { error: integerRangeMessage(what, min, max) });

/** A range that a construct owns: its bounds and message come from there. */
const rangeOf = (range: { readonly what: string; readonly min: number; readonly max: number }) =>
  int(range.what, range.min, range.max);

/** The field that maps onto a LogArchive prop with a bound: the construct's range and message. */
const archiveRange = (rule: keyof typeof LOG_ARCHIVE_RANGES) => rangeOf(LOG_ARCHIVE_RANGES[rule].range);

// The constructs' message for the same values (LOG_RETENTION_MESSAGE).
const logRetention = z
  .number({ error: LOG_RETENTION_MESSAGE })
  .refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), { error: LOG_RETENTION_MESSAGE })
  .meta({ enum: [...LOG_RETENTION_DAYS] });

const logGroupName = z.string({ error: "expected a log group name" }).regex(LOG_GROUP_NAME, {
  error: "expected a log group name: 1-512 characters of letters, digits and . - _ / #",
});

const tags = z
  .record(
    z.string().regex(TAG_KEY, { error: "expected a tag key: 1-128 characters, not starting with aws:" }),
    z.string({ error: "expected a tag value as a string" }).regex(TAG_VALUE, {
      error: "expected a tag value: at most 256 characters",
    }),
  )
  .refine((t) => Object.keys(t).length <= 40, { error: "expected at most 40 default tags" });

// ---------------------------------------------------------------------------
// Source-account settings (organisation defaults, overridable per account)
// ---------------------------------------------------------------------------

/** A filter pattern, refused here when CloudWatch Logs would refuse it at apply. */
const filterPattern = z
  .string({ error: "expected a CloudWatch Logs filter pattern as a string" })
  .superRefine((value, ctx) => {
    const problem = filterPatternProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .meta({ maxLength: FILTER_PATTERN_MAX_LENGTH });

const listedLogGroup = z
  .strictObject({
    name: logGroupName.meta({ description: "Exact log group name to subscribe." }),
    filterPattern: filterPattern.optional().meta({
      description: "Filter pattern for this log group. @default - the subscription's filterPattern (all events).",
    }),
    regions: z
      .array(region, { error: "expected a list of AWS Regions" })
      .min(1, { error: "expected at least one Region" })
      .optional()
      .meta({
        description:
          "Regions of the account where this log group exists and is subscribed. PutSubscriptionFilter fails where the log group does not exist. @default - every Region of the account",
      }),
  })
  .meta({ description: "One log group subscribed in `listed` mode." });

const subscriptionFields = {
  mode: z.enum(SUBSCRIPTION_MODES, { error: 'expected "all" or "listed"' }).meta({
    description:
      "`all`: one account-level subscription filter policy covers every existing and future log group of the account and region (minus exclusions). `listed`: one subscription filter per log group in `logGroups`.",
  }),
  filterPattern: filterPattern.meta({
    description:
      'Filter pattern applied to the subscription; "" forwards every event. Checked against CloudWatch Logs\' documented grammar: regular expressions between % signs of letters, digits, : _ # = @ / ; , - and ^ $ ? [ ] { } | \\ * + . only (no parentheses), at most two in a JSON or space-delimited pattern, brackets and quotes closed, at most 1024 characters.',
  }),
  excludeLogGroups: z.array(logGroupName, { error: "expected a list of log group names" }).meta({
    description:
      "`all` mode: log group names never forwarded, in addition to the pipeline's own log groups (which are always excluded).",
  }),
  logGroups: z
    .array(listedLogGroup, { error: "expected a list of log groups ({ name, filterPattern? })" })
    .meta({ description: "`listed` mode: the log groups to subscribe." }),
};

/** Organisation-wide subscription defaults. */
const subscriptionDefaults = z
  .strictObject({
    mode: subscriptionFields.mode
      .default(SOURCE.subscription.mode)
      .meta({ description: `${subscriptionFields.mode.description} @default "all"` }),
    filterPattern: subscriptionFields.filterPattern.default(SOURCE.subscription.filterPattern),
    excludeLogGroups: subscriptionFields.excludeLogGroups.default([]),
    logGroups: subscriptionFields.logGroups.default([]),
  })
  .meta({ description: "How log groups are selected for forwarding. @default mode all, every event." });

/** Per-account subscription overrides: each key replaces the organisation default. */
const subscriptionOverride = z
  .strictObject({
    mode: subscriptionFields.mode.optional(),
    filterPattern: subscriptionFields.filterPattern.optional(),
    excludeLogGroups: subscriptionFields.excludeLogGroups.optional(),
    logGroups: subscriptionFields.logGroups.optional(),
  })
  .meta({ description: "Overrides of `defaults.subscription` for this account; unset keys inherit." });

const firehoseFields = {
  bufferingSizeMiB: rangeOf(FIREHOSE_BUFFERING_SIZE_MIB).meta({
    description:
      "Firehose buffer size before delivery, in MiB (1-128). @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html",
  }),
  bufferingIntervalSeconds: rangeOf(FIREHOSE_BUFFERING_INTERVAL_SECONDS).meta({
    description: "Firehose buffer interval before delivery, in seconds (0-900).",
  }),
  compression: z.enum(COMPRESSION_FORMATS, { error: 'expected "GZIP" or "UNCOMPRESSED"' }).meta({
    description: "Compression of the objects written to the archive.",
  }),
  messageExtraction: z.boolean({ error: "expected true or false" }).meta({
    description:
      "Deliver only each log event's message (CloudWatchLogProcessing with data message extraction) instead of the full CloudWatch Logs envelope with owner, logGroup and logStream.",
  }),
  streamEncryption: z.enum(STREAM_ENCRYPTION, { error: 'expected "AWS_OWNED_CMK" or "CUSTOMER_MANAGED_CMK"' }).meta({
    description:
      "Server-side encryption of data at rest inside the delivery stream. CUSTOMER_MANAGED_CMK creates a KMS key per source account and Region.",
  }),
  errorLogRetentionDays: logRetention.meta({
    description: "Retention of the delivery stream's own error log group, in days.",
  }),
};

const delivery = z.enum(DELIVERY_TOPOLOGIES, { error: 'expected "perAccount" or "central"' }).meta({
  description:
    "perAccount: a Firehose in every source account and Region. central: the source subscribes to a CloudWatch Logs destination in the log-archive account.",
});

const vpcFlowLog = z.strictObject({
  region: region.meta({ description: "Region of the VPC (one of the account's Regions)." }),
  vpcId: z
    .string({ error: "expected a VPC id" })
    // LogSource's pattern and message: the registry once accepted ids (vpc-0123456789) that LogSource refused.
    .regex(VPC_ID, { error: VPC_ID_MESSAGE })
    .meta({ description: "The VPC whose flow logs are created (vpc- and 8 or 17 hexadecimal characters)." }),
});

const firehoseDefaults = z
  .strictObject({
    bufferingSizeMiB: firehoseFields.bufferingSizeMiB.default(SOURCE.firehose.bufferingSizeMiB),
    bufferingIntervalSeconds: firehoseFields.bufferingIntervalSeconds.default(SOURCE.firehose.bufferingIntervalSeconds),
    compression: firehoseFields.compression.default(SOURCE.firehose.compression),
    messageExtraction: firehoseFields.messageExtraction.default(SOURCE.firehose.messageExtraction),
    streamEncryption: firehoseFields.streamEncryption.default(SOURCE.firehose.streamEncryption),
    errorLogRetentionDays: firehoseFields.errorLogRetentionDays.default(SOURCE.firehose.errorLogRetentionDays),
  })
  .meta({
    description:
      "Delivery stream settings. @default 5 MiB / 300 s buffering, GZIP, full envelope, AWS-owned stream encryption, 365-day error log retention.",
  });

const firehoseOverride = z
  .strictObject({
    bufferingSizeMiB: firehoseFields.bufferingSizeMiB.optional(),
    bufferingIntervalSeconds: firehoseFields.bufferingIntervalSeconds.optional(),
    compression: firehoseFields.compression.optional(),
    messageExtraction: firehoseFields.messageExtraction.optional(),
    streamEncryption: firehoseFields.streamEncryption.optional(),
    errorLogRetentionDays: firehoseFields.errorLogRetentionDays.optional(),
  })
  .meta({ description: "Overrides of `defaults.firehose` for this account; unset keys inherit." });

// ---------------------------------------------------------------------------
// Archive
// ---------------------------------------------------------------------------

const transition = z.strictObject({
  storageClass: z
    .enum(TRANSITION_STORAGE_CLASSES, {
      error: `expected a storage class: one of ${TRANSITION_STORAGE_CLASSES.join(", ")}`,
    })
    .meta({ description: "The S3 storage class objects move to; each step colder than the one before." }),
  days: archiveRange("archive-transition-days").meta({
    description: "Days after an object's creation when it moves to this class.",
  }),
});

const archive = z
  .strictObject({
    retentionDays: archiveRange("archive-retention-days").default(ARCHIVE.archive.retentionDays).meta({
      description:
        "Objects (current versions) expire this many days after creation. @default 2557 (7 years, the longest common regulatory retention).",
    }),
    noncurrentVersionRetentionDays: archiveRange("archive-noncurrent-retention-days")
      .default(ARCHIVE.archive.noncurrentVersionRetentionDays)
      .meta({
        description:
          "Noncurrent versions (left behind by an overwrite or delete in the archive account) expire after this many days. @default 365",
      }),
    transitions: z
      .array(transition, { error: "expected a list of { storageClass, days }" })
      .default(ARCHIVE.archive.transitions.map((t) => ({ ...t })))
      .meta({
        description:
          "Storage-class transitions of current versions, in ascending days. @default STANDARD_IA at 30, GLACIER_IR at 90, DEEP_ARCHIVE at 365.",
      }),
    minimumObjectSizeRule: z
      .enum(MINIMUM_OBJECT_SIZE_RULES, {
        error: 'expected "all_storage_classes_128K" or "varies_by_storage_class"',
      })
      .default(ARCHIVE.archive.minimumObjectSizeRule)
      .meta({
        description:
          "S3 lifecycle transition_default_minimum_object_size. all_storage_classes_128K keeps objects under 128 KB in S3 Standard, where transition request fees would exceed any storage saving. @default all_storage_classes_128K",
      }),
    abortIncompleteMultipartUploadDays: archiveRange("archive-abort-multipart-days")
      .default(ARCHIVE.archive.abortIncompleteMultipartUploadDays)
      .meta({
        description: "Incomplete multipart uploads are aborted after this many days. @default 7",
      }),
    objectLock: z
      .strictObject({
        mode: z.enum(OBJECT_LOCK_MODES, { error: 'expected "GOVERNANCE" or "COMPLIANCE"' }).meta({
          description:
            "GOVERNANCE: principals with s3:BypassGovernanceRetention can still delete. COMPLIANCE: nobody, not even root, can delete a version before its retention ends.",
        }),
        days: archiveRange("archive-object-lock-days").meta({
          description: "Default retention applied to every new object version, in days.",
        }),
      })
      .optional()
      .meta({
        description: "S3 Object Lock (WORM) default retention. Cannot be turned off once applied. @default - off",
      }),
    replicaRegion: region.optional().meta({
      description:
        "Region of the replica bucket. Every object is replicated with its own KMS key in that Region. @default - no replication",
    }),
    replicationTimeControl: z
      .boolean({ error: "expected true or false" })
      .default(ARCHIVE.archive.replicationTimeControl)
      .meta({
        description: "S3 Replication Time Control (15-minute SLA, billed per GB). Needs replicaRegion. @default false",
      }),
    accessLogging: z.boolean({ error: "expected true or false" }).default(ARCHIVE.archive.accessLogging).meta({
      description:
        "S3 server access logs of the archive (and replica) buckets into a dedicated, locked-down bucket, so reads of the archive are auditable. @default true",
    }),
    accessLogRetentionDays: archiveRange("archive-access-log-retention-days")
      .default(ARCHIVE.archive.accessLogRetentionDays)
      .meta({
        description: "Server access logs expire after this many days. @default 2557",
      }),
    previousKeyArns: z
      .array(
        z.string({ error: "expected a KMS key ARN" }).regex(KMS_KEY_ARN, {
          error:
            "expected a KMS key ARN such as arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        }),
        { error: "expected a list of KMS key ARNs" },
      )
      .default([])
      .meta({
        description:
          "Keys that encrypted objects the archive still holds, besides the current archive key: after the keys move to a key-management account (keys.accountId), the log-archive account's former archive key. The SIEM reader, the log analyst and replication may decrypt with them, through S3 for the archive only. Each must be in the archive's Region. @default []",
      }),
  })
  .prefault({})
  .meta({ description: "The archive bucket in the log-archive account." });

// ---------------------------------------------------------------------------
// SIEM
// ---------------------------------------------------------------------------

const siem = z
  .strictObject({
    readerPrincipals: z
      .array(
        z.string({ error: "expected an IAM principal ARN" }).regex(IAM_PRINCIPAL_ARN, {
          error: "expected an IAM principal ARN such as arn:aws:iam::123456789012:role/siem",
        }),
        { error: "expected a list of IAM principal ARNs" },
      )
      .min(1, { error: "expected at least one principal" })
      .optional()
      .meta({
        description:
          "Principals allowed to assume the SIEM reader role. Name the SIEM's role or user: the root of another account of the registry is refused (inside the organization no ExternalId is needed, so it would admit every principal there). @default - the log-archive account itself (its administrators decide who may assume the role)",
      }),
    externalId: z
      .string({ error: "expected an ExternalId string" })
      .regex(EXTERNAL_ID, { error: "expected an ExternalId: 2-1224 characters of letters, digits and +=,.@:/-" })
      .optional()
      .meta({
        description:
          "sts:ExternalId a principal outside the organization must present when it assumes the reader role: the value your SIEM vendor generated for you (unique per customer, against the confused deputy). Required, and not the organization id, when readerPrincipals names a principal of an account the registry does not list; principals inside the organization may omit it, as the Splunk Add-on for AWS does. @default - the organization id (allowed only when every reader principal is of an account of the registry)",
      }),
    readers: z
      .array(
        z.string({ error: "expected an IAM role or user ARN" }).regex(IAM_ROLE_OR_USER_ARN, {
          error: "expected an IAM role or user ARN such as arn:aws:iam::123456789012:role/splunk-forwarder",
        }),
        { error: "expected a list of IAM role or user ARNs" },
      )
      .default([])
      .meta({
        description:
          "Roles or users that read directly, without assuming the reader role (a Splunk heavy forwarder's instance role, for one): the bucket policy, the queue policies and both key policies (archive and SIEM queue, through S3 and SQS only) admit them for the announced prefixes and the queues. Their own identity policies must allow the same (see docs/siem.md). @default []",
      }),
    sentinel: z
      .strictObject({
        workspaceId: z
          .string({ error: "expected a Sentinel workspace id" })
          .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, {
            error: "expected a Sentinel workspace id: a lowercase GUID such as 0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
          })
          .meta({ description: "The Microsoft Sentinel workspace id (the connector page's External ID)." }),
        createOidcProvider: z.boolean({ error: "expected true or false" }).default(true).meta({
          description:
            "Create the IAM OIDC provider for Entra ID (sts.windows.net/33e01921-4d64-4f8c-a055-5bdaffd5e33d/). Set false when Microsoft Defender for Cloud already created it in the log-archive account, and add Sentinel's audience to it yourself. @default true",
        }),
      })
      .optional()
      .meta({
        description:
          "Microsoft Sentinel's Amazon Web Services S3 connector: a role OIDC_<prefix>-sentinel that the connector assumes by web identity for this workspace, reading what the reader role reads. Use with queues: perPrefix. @default - no Sentinel role",
      }),
    queues: z.enum(["single", "perPrefix"], { error: "expected single or perPrefix" }).default("single").meta({
      description:
        "single: one notification queue for every announced prefix. perPrefix: one queue, dead-letter queue and pair of alarms per announced prefix (cloudwatch-logs/ keeps the single queue's name), so that each SIEM input binds one log type and one path. @default single",
    }),
    visibilityTimeoutSeconds: rangeOf(SIEM_VISIBILITY_TIMEOUT_SECONDS)
      .default(ARCHIVE.siem.visibilityTimeoutSeconds)
      .meta({
        description:
          "Visibility timeout of the notification queue; at least twice the SIEM's per-message processing time. @default 300",
      }),
    messageRetentionSeconds: rangeOf(SIEM_MESSAGE_RETENTION_SECONDS)
      .default(ARCHIVE.siem.messageRetentionSeconds)
      .meta({
        description:
          "Retention of unread notifications (the dead-letter queue keeps them 14 days, always longer). @default 345600 (4 days)",
      }),
    maxReceiveCount: archiveRange("siem-max-receive-count").default(ARCHIVE.siem.maxReceiveCount).meta({
      description:
        "Receives before a notification moves to the dead-letter queue (AWS recommends at least 5). @default 10",
    }),
  })
  .prefault({})
  .meta({ description: "The SIEM's pull interface: notification queue and reader role." });

// ---------------------------------------------------------------------------
// Monitoring: alarms, heartbeat, Athena
// ---------------------------------------------------------------------------

const subscriber = z.strictObject({
  protocol: z
    .enum(SUBSCRIBER_PROTOCOLS, { error: `expected one of ${SUBSCRIBER_PROTOCOLS.join(", ")}` })
    .meta({ description: "SNS subscription protocol." }),
  endpoint: z
    .string({ error: "expected an endpoint: an email address, an https:// URL or an SQS queue / Lambda function ARN" })
    .min(3, { error: "expected an endpoint: an email address, an https:// URL or an SQS queue / Lambda function ARN" })
    .max(2048, { error: "expected an endpoint of at most 2048 characters" })
    .meta({ description: "Where notifications go: an email address, an https:// URL, or an SQS queue or Lambda ARN." }),
});

const sourceMonitoring = z.enum(SOURCE_MONITORING, { error: `expected one of ${SOURCE_MONITORING.join(", ")}` });

const alarms = z
  .strictObject({
    enabled: z.boolean({ error: "expected true or false" }).default(true).meta({
      description:
        "Alarms of the archive and of every source account and Region (see sources), notified through the alarm topics. @default true",
    }),
    subscribers: z.array(subscriber, { error: "expected a list of { protocol, endpoint }" }).default([]).meta({
      description:
        "Subscribers of every alarm topic (source and archive). Email subscriptions must be confirmed by their recipient. @default [] - the topics exist, nobody is subscribed",
    }),
    freshnessMarginSeconds: archiveRange("alarms-freshness-margin")
      .default(ARCHIVE.alarms.freshnessMarginSeconds)
      .meta({
        description: "DeliveryToS3.DataFreshness alarms above the buffering interval plus this margin. @default 300",
      }),
    silenceMinutes: archiveRange("alarms-silence").default(ARCHIVE.alarms.silenceMinutes).meta({
      description:
        "A source without a new object (delivery watch) or an incoming record (per-account alarms) for this long is silent: the heartbeat writes every few minutes, so silence means a broken chain. @default 30",
    }),
    queueAgeAlarmSeconds: archiveRange("alarms-queue-age").default(ARCHIVE.alarms.queueAgeAlarmSeconds).meta({
      description: "Age of the oldest unread SIEM notification that means the SIEM has stalled. @default 3600",
    }),
    sources: sourceMonitoring.default("deliveryWatch").meta({
      description:
        "How each source account and Region is watched. deliveryWatch: from the log-archive account, by one function that reads the archive's own object events and names every silent or failing source (no monitoring resource in the sources, cents per source a month). perAccount: four alarms, a KMS key and a topic in every source account and Region (about $1.40 a month each), which also catch throttling and delays shorter than silenceMinutes. both: the two. @default deliveryWatch",
    }),
    watch: z
      .strictObject({
        intervalMinutes: archiveRange("watch-interval").default(DELIVERY_WATCH_DEFAULTS.intervalMinutes).meta({
          description: "Minutes between runs of the delivery watch. @default 5",
        }),
        reminderHours: archiveRange("watch-reminder").default(DELIVERY_WATCH_DEFAULTS.reminderHours).meta({
          description:
            "While problems persist the watch repeats them this often; changes are notified at once. @default 6",
        }),
        heartbeatOnlyHours: archiveRange("watch-heartbeat-only")
          .default(DELIVERY_WATCH_DEFAULTS.heartbeatOnlyHours)
          .meta({
            description:
              "Hours of heartbeat-sized objects only after which an account marked expectsLogs is reported as heartbeat only; longer than the quietest stretch of its real logs. @default 6",
          }),
      })
      .prefault({})
      .meta({ description: "The delivery watch in the log-archive account (sources: deliveryWatch or both)." }),
  })
  .prefault({})
  .meta({ description: "CloudWatch alarms of the pipeline, notified through KMS-encrypted SNS topics." });

const heartbeat = z
  .strictObject({
    enabled: z.boolean({ error: "expected true or false" }).default(true).meta({
      description:
        "A scheduled EventBridge rule writes a heartbeat into a dedicated log group in every source account and Region. @default true",
    }),
    intervalMinutes: rangeOf(HEARTBEAT_INTERVAL_MINUTES).default(SOURCE.heartbeat.intervalMinutes).meta({
      description:
        "Minutes between heartbeats. Each heartbeat makes the stream write one object (with its replica: two PUTs, kept in S3 Standard over the retention), so this sets most of a source's fixed cost; it must fit in monitoring.alarms.silenceMinutes with the buffering interval. @default 15",
    }),
    retentionDays: logRetention.default(SOURCE.heartbeat.retentionDays).meta({
      description:
        "Retention of the heartbeat log group in the source account (the archive keeps every heartbeat). @default 30",
    }),
  })
  .prefault({})
  .meta({ description: "End-to-end heartbeat: its arrival in the archive proves the whole chain works." });

const athena = z
  .strictObject({
    enabled: z.boolean({ error: "expected true or false" }).default(true).meta({
      description:
        "Glue tables with partition projection over every source the archive holds, views, saved queries, two Athena workgroups (interactive and hunting) and a results bucket in the log-archive account. @default true",
    }),
    analystPrincipals: z
      .array(
        z.string({ error: "expected an IAM principal ARN" }).regex(IAM_PRINCIPAL_ARN, {
          error: "expected an IAM principal ARN such as arn:aws:iam::123456789012:role/analyst",
        }),
        { error: "expected a list of IAM principal ARNs" },
      )
      .min(1, { error: "expected at least one principal" })
      .optional()
      .meta({
        description:
          "Principals allowed to assume the log-analyst role, which may query the archive with Athena (read-only). @default - the log-archive account itself",
      }),
    hunterPrincipals: z
      .array(
        z.string({ error: "expected an IAM principal ARN" }).regex(IAM_PRINCIPAL_ARN, {
          error: "expected an IAM principal ARN such as arn:aws:iam::123456789012:role/hunter",
        }),
        { error: "expected a list of IAM principal ARNs" },
      )
      .min(1, { error: "expected at least one principal" })
      .optional()
      .meta({
        description:
          "Principals allowed to assume the log-hunter role, the only role that may query in the hunting workgroup <prefix>-logs-hunting (the log-analyst role queries in the interactive workgroup only). @default - analystPrincipals: every analyst may hunt, by assuming the hunter role on purpose",
      }),
    dailyScanAlarmGiB: archiveRange("athena-daily-scan-alarm").default(ARCHIVE.athena.dailyScanAlarmGiB).meta({
      description:
        "With monitoring.alarms: alarm when the interactive workgroup's queries scan more than this in a day (Athena's ProcessedBytes, summed over a UTC day). @default 100 (about $0.50)",
    }),
    huntingDailyScanAlarmGiB: archiveRange("athena-hunting-daily-scan-alarm")
      .default(ARCHIVE.athena.huntingDailyScanAlarmGiB)
      .meta({
        description:
          "With monitoring.alarms: alarm when the hunting workgroup's queries scan more than this in a day. @default 10240 (10 TiB, about $50)",
      }),
    resultsRetentionDays: archiveRange("athena-results-retention").default(ARCHIVE.athena.resultsRetentionDays).meta({
      description: "Athena query results expire after this many days. @default 30",
    }),
    bytesScannedCutoffGiB: archiveRange("athena-cutoff").default(ARCHIVE.athena.bytesScannedCutoffGiB).meta({
      description:
        "Queries of the interactive workgroup <prefix>-logs scanning more than this are cancelled: a forgotten date filter costs cents, not dollars (Athena bills $5 per TB scanned). @default 10",
    }),
    huntingBytesScannedCutoffGiB: archiveRange("athena-hunting-cutoff")
      .default(ARCHIVE.athena.huntingBytesScannedCutoffGiB)
      .meta({
        description:
          "Queries of the hunting workgroup <prefix>-logs-hunting (organization-wide, weeks-long hunts) scanning more than this are cancelled; at least bytesScannedCutoffGiB. @default 4096 (4 TiB, about $20 a query)",
      }),
  })
  .prefault({})
  .meta({ description: "Search every account and Region in one place with Athena." });

/** An IAM role ARN, as CloudTrail records the issuer of an assumed role's session (path included). */
/** A managed policy ARN, AWS's or an account's, in any partition. */
const MANAGED_POLICY_ARN = new RegExp(`^arn:${ARN_PARTITION_PATTERN}:iam::(aws|\\d{12}):policy/[\\w+=,.@/-]+$`);

/**
 * A role's managed policies (1 to 10, the IAM quota per role), defaulting to
 * one AWS managed policy of the commercial partition (the partition check
 * asks for an explicit list elsewhere).
 */
function managedPolicyArns(defaultPolicy: "AdministratorAccess" | "ReadOnlyAccess") {
  const example = `arn:aws:iam::aws:policy/${defaultPolicy}`;
  return z
    .array(
      z.string({ error: "expected a managed policy ARN" }).regex(MANAGED_POLICY_ARN, {
        error: `expected a managed policy ARN such as ${example}`,
      }),
      { error: "expected a list of managed policy ARNs" },
    )
    .min(1, { error: "expected at least one managed policy ARN" })
    .max(10, { error: "expected at most 10 managed policies (the IAM quota per role)" })
    .default([example]);
}
const IAM_ROLE_ARN = new RegExp(`^arn:${ARN_PARTITION_PATTERN}:iam::\\d{12}:role/[\\w+=,.@/-]+$`);

const tamper = z
  .strictObject({
    enabled: z.boolean({ error: "expected true or false" }).optional().meta({
      description:
        "Tamper detection: EventBridge rules in every account that holds a part of the pipeline (source, log-archive, key-management and management accounts) match the CloudTrail events that change what guards the archive and the pipeline (bucket policies and settings, keys and aliases, the subscription, the stream, the pipeline's roles and rules, the organization trail) and forward them to the bus <prefix>-tamper of the log-archive account, whose rule notifies the archive's alarm topic. Needs monitoring.alarms.enabled. @default - monitoring.alarms.enabled",
    }),
    exemptRoleArns: z
      .array(
        z.string({ error: "expected an IAM role ARN" }).regex(IAM_ROLE_ARN, {
          error: "expected an IAM role ARN such as arn:aws:iam::111111111111:role/Deploy (with its path, if any)",
        }),
        { error: "expected a list of IAM role ARNs" },
      )
      .default([])
      .meta({
        description:
          "Roles whose configuration changes (a bucket policy put, a rule updated, a role policy changed) do not notify, besides the role each stack is applied with (deployment.roleName in assumeRole mode). Destructive calls (key deletion or disabling, bucket deletion, versioning suspended, policy or subscription deleted, stream or role deleted, trail stopped, rules disabled or deleted) always notify, whoever the caller. @default []",
      }),
  })
  .prefault({})
  .meta({ description: "Detection of changes to what guards the archive and the pipeline." });

const monitoring = z.strictObject({ alarms, heartbeat, athena, tamper }).prefault({}).meta({
  description: "Operating the pipeline: alarms, heartbeat, Athena, tamper detection. Each part can be switched off.",
});

// ---------------------------------------------------------------------------
// Other log sources and the central-destination topology
// ---------------------------------------------------------------------------

export const DIRECT_SOURCES = ANNOUNCEABLE_KINDS;

const sources = z
  .strictObject({
    ...directSourceSections({ accountId, region, roleName: ROLE_NAME }),
    notifySiem: z
      .array(z.enum(DIRECT_SOURCES, { error: `expected one of ${DIRECT_SOURCES.join(", ")}` }), {
        error: "expected a list of sources",
      })
      .default([])
      .meta({
        description:
          "Direct sources whose new objects are also announced on the SIEM queue (cloudwatch-logs/ always is). @default []",
      }),
  })
  .prefault({})
  .meta({ description: "Log sources other than CloudWatch Logs subscriptions." });

// ---------------------------------------------------------------------------
// Search delivery to OpenSearch
// ---------------------------------------------------------------------------

/** `arn:<partition>:es:<region>:<account>:domain/<name>`, a domain name being 3-28 of a-z0-9- starting with a letter. */
const OPENSEARCH_DOMAIN_ARN = new RegExp(
  `^arn:${ARN_PARTITION_PATTERN}:es:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:domain/[a-z][a-z0-9-]{2,27}$`,
);

const search = z
  .strictObject({
    enabled: z.boolean({ error: "expected true or false" }).default(false).meta({
      description:
        "A second Firehose on the central Kinesis stream of the log-archive account's Region indexes every record into an OpenSearch Service domain, beside the archive (never instead of it). @default false",
    }),
    domainArn: z
      .string({ error: "expected an OpenSearch Service domain ARN" })
      .regex(OPENSEARCH_DOMAIN_ARN, {
        error: "expected an OpenSearch Service domain ARN such as arn:aws:es:eu-west-1:111111111111:domain/logs",
      })
      .optional()
      .meta({
        description:
          "The domain, in the log-archive account and its Region, with encryption at rest and node-to-node encryption (the plan fails otherwise) and HTTPS enforced. This stack owns its access policy. Required when enabled.",
      }),
    indexName: z
      .string({ error: "expected an index name" })
      .regex(/^[a-z0-9][a-z0-9_-]{0,79}$/, {
        error: "expected an index name: 1-80 lowercase letters, digits, _ and -, starting with a letter or digit",
      })
      .default(ARCHIVE.search.indexName)
      .meta({ description: "Index name; Firehose appends the rotation's date stamp. @default cloudwatch-logs" }),
    indexRotation: z
      .enum(INDEX_ROTATIONS, { error: `expected one of ${INDEX_ROTATIONS.join(", ")}` })
      .default(ARCHIVE.search.indexRotation)
      .meta({ description: "How often a new index starts. @default OneDay" }),
    principals: z
      .array(
        z.string({ error: "expected an IAM principal ARN" }).regex(IAM_PRINCIPAL_ARN, {
          error: "expected an IAM principal ARN such as arn:aws:iam::123456789012:role/analyst",
        }),
        { error: "expected a list of IAM principal ARNs" },
      )
      .default([])
      .meta({
        description:
          "Principals of the organization allowed to search the domain: GET and HEAD, and POST on the search APIs only (_search, _msearch, _count, _mget, _field_caps, _search/scroll); never writes or deletes, whatever their own IAM allows. @default []",
      }),
    administrators: z
      .array(
        z.string({ error: "expected an IAM role or user ARN" }).regex(IAM_ROLE_OR_USER_ARN, {
          error: "expected an IAM role or user ARN such as arn:aws:iam::111111111111:role/OpenSearchAdmin",
        }),
        { error: "expected a list of IAM role or user ARNs" },
      )
      .default([])
      .meta({
        description:
          "Roles or users of the domain's owner that may make every call on the domain (the index template, role mappings, deleting old indexes), left out of the policy's deny that keeps everyone else out. Never also in principals. Without any, make those calls before the first apply. @default []",
      }),
    retryDurationSeconds: archiveRange("search-retry-duration").default(ARCHIVE.search.retryDurationSeconds).meta({
      description:
        "How long Firehose retries a failed indexing before the documents go to search-errors/. @default 300",
    }),
  })
  .prefault({})
  .meta({
    description:
      "Search delivery: the central stream's records also indexed into OpenSearch. Documents that fail indexing go to the archive under search-errors/; the archive copy is unchanged.",
  });

// ---------------------------------------------------------------------------
// Keys held in a key-management account
// ---------------------------------------------------------------------------

const keys = z
  .strictObject({
    accountId: accountId.meta({
      description:
        "The key-management account: its stack log-keys holds the archive, replica and SIEM queue keys, which the log-archive account may use but not change or delete.",
    }),
    administrators: z
      .array(
        z.string({ error: "expected an IAM role or user ARN of the key account" }).regex(IAM_PRINCIPAL_ARN, {
          error: "expected an IAM role or user ARN such as arn:aws:iam::333333333333:role/KeyAdmin",
        }),
        { error: "expected a list of IAM role or user ARNs" },
      )
      .optional()
      .meta({
        description:
          "Principals of the key account that administer the keys (never use them for data). The principal that applies log-keys must be one of them. @default - the deployment role of the key account (deployment.roleName), required with ambient credentials",
      }),
  })
  .optional()
  .meta({
    description:
      "Keys in a key-management account instead of the log-archive account. Deploy log-keys first: log-archive reads the keys' ARNs by alias at plan time. @default - the keys live in the log-archive account",
  });

// ---------------------------------------------------------------------------
// Organization guardrails (service and resource control policies)
// ---------------------------------------------------------------------------

const exemptRole = z
  .string({ error: "expected an IAM role name" })
  .max(EXEMPT_ROLE_PATTERN_MAX_LENGTH, { error: "expected an IAM role name or path/name pattern" })
  .regex(EXEMPT_ROLE_PATTERN, {
    error:
      "expected an IAM role name, or its path and name (aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Admin_*), of letters, digits and +=,.@_-, * matching any characters",
  });

/** Roots and OUs of the organization that policies or stack sets target (guardrails, Terraform Cloud access). */
const organizationTargets = z
  .array(
    z.string({ error: "expected a root or OU id" }).refine(isRootOrOrganizationalUnitId, {
      error: "expected a root id (r-ab12) or an OU id (ou-ab12-cd34ef56) of the organization",
    }),
    { error: "expected a list of root or OU ids" },
  )
  .default([]);

const guardrails = z
  .strictObject({
    enabled: z.boolean({ error: "expected true or false" }).default(false).meta({
      description:
        "Create the stack log-guardrails in the management account: service control policies that keep every principal of the member accounts under targetIds but the exempt roles from deleting or changing the pipeline (account subscription policy, listed subscription filters, delivery stream, roles, key, heartbeat rule and log groups), and resource control policies on the log-archive and key-management accounts that keep every principal from deleting archived objects or versions, loosening the buckets (lifecycle, Object Lock, replication, versioning, policy) or deleting, disabling or re-policying the keys. Enable SCPs and RCPs in the organization first. @default false",
    }),
    managementAccountId: accountId.optional().meta({
      description:
        "The organization's management account, where the policies are created. @default sources.cloudTrail.managementAccountId",
    }),
    targetIds: organizationTargets.meta({
      description:
        "Roots and OUs the service control policies are attached to: those that hold the source accounts. The resource control policies go to the log-archive and key-management accounts themselves. Required when enabled.",
    }),
    breakGlassRoleName: exemptRole.optional().meta({
      description:
        "The role people assume to repair or remove the pipeline by hand in an emergency, in every member account: exempt from the guardrails, and protected by them. Required when enabled.",
    }),
    exemptRoleNames: z
      .array(exemptRole, { error: "expected a list of IAM role names" })
      .max(MAX_EXEMPT_ROLES, { error: `expected at most ${MAX_EXEMPT_ROLES} roles` })
      .default([])
      .meta({
        description:
          "Further exempt roles (path and name, * allowed), besides deployment.roleName and breakGlassRoleName: with deployment.credentials ambient, the roles your runners apply the stacks with; the roles that manage other CloudWatch Logs account policies when denyAccountPolicyChanges. Each is protected like the pipeline. @default []",
      }),
    denyAccountPolicyChanges: z.boolean({ error: "expected true or false" }).default(true).meta({
      description:
        "Deny logs:PutAccountPolicy and logs:DeleteAccountPolicy when an account uses the account-level subscription filter policy (mode all). CloudWatch Logs lets no policy name the account policy or its type, so this denies account policies of every type (data protection, field index, transformer) to everyone but the exempt roles. false: the subscription filter policy is only watched, not protected. @default true",
    }),
    maxPoliciesPerTarget: rangeOf(MAX_POLICIES_PER_TARGET).default(2).meta({
      description: `Policies of each type these guardrails may attach to one target: AWS allows 5 per root, OU and account, FullAWSAccess takes one, leave room for your own. Synthesis fails when the statements need more. @default 2`,
    }),
  })
  .prefault({})
  .meta({
    description:
      "Organization guardrails: preventive AWS Organizations policies that protect the pipeline and the archive from the accounts' own administrators. What remains possible: anything in the management account, service-linked roles, and the exempt roles.",
  });

const central = z
  .strictObject({
    bufferingSizeMiB: archiveRange("central-buffering-size").default(ARCHIVE.central.stream.bufferingSizeMiB).meta({
      description: "Buffer of the central streams; dynamic partitioning needs at least 64 MiB. @default 64",
    }),
    bufferingIntervalSeconds: archiveRange("central-buffering-interval")
      .default(ARCHIVE.central.stream.bufferingIntervalSeconds)
      .meta({
        description: "Buffer interval of the central streams. @default 300",
      }),
    kinesisStream: z
      .strictObject({
        enabled: z
          .boolean({ error: "expected true or false" })
          .default(ARCHIVE.central.stream.kinesisStream.enabled)
          .meta({
            description:
              "A Kinesis data stream in front of each central Firehose (absorbs bursts, 24 h replay). @default false",
          }),
        mode: z
          .enum(KINESIS_STREAM_MODES, { error: 'expected "ON_DEMAND" or "PROVISIONED"' })
          .default(ARCHIVE.central.stream.kinesisStream.mode)
          .meta({
            description:
              "Kinesis capacity mode: ON_DEMAND scales by itself; PROVISIONED uses shards. @default ON_DEMAND",
          }),
        shards: archiveRange("central-kinesis-shards")
          .default(ARCHIVE.central.stream.kinesisStream.shards)
          .meta({ description: "Shards in PROVISIONED mode. @default 1" }),
      })
      .prefault({})
      .meta({ description: "A Kinesis data stream in front of each central Firehose (search delivery reads it)." }),
    activePartitionQuota: archiveRange("central-partition-quota").default(ARCHIVE.central.activePartitionQuota).meta({
      description:
        "Active partitions a central stream may hold (Firehose dynamic partitioning quota: 500 per stream by default, raised by a quota increase request). Each central account of a Region holds up to two partitions (the hour rolls over within one buffer), so the registry refuses a Region whose central accounts would exceed this. @default 500",
    }),
  })
  .prefault({})
  .meta({
    description:
      "The central-destination topology: a CloudWatch Logs destination and Firehose per source Region in the log-archive account.",
  });

// ---------------------------------------------------------------------------
// Deployment
// ---------------------------------------------------------------------------

const backend = z
  .discriminatedUnion(
    "type",
    [
      z
        .strictObject({
          type: z.literal("local").meta({ description: "Local state files." }),
        })
        .meta({ description: "State in terraform.<stack>.tfstate next to each stack (for trying it out)." }),
      z
        .strictObject({
          type: z.literal("cloud").meta({ description: "Terraform Cloud or Enterprise." }),
          organization: z
            .string({ error: "expected a Terraform Cloud organization name" })
            .regex(/^[A-Za-z0-9_-]{1,40}$/, { error: "expected a Terraform Cloud organization name" })
            .meta({ description: "Terraform Cloud organization that holds the workspaces." }),
          project: z.string({ error: "expected a Terraform Cloud project name" }).min(1).max(40).optional().meta({
            description: "Project that new workspaces are created in. @default - the organization's default project",
          }),
          hostname: z
            .string({ error: "expected a host name" })
            .regex(/^[a-z0-9.-]+$/, { error: "expected a host name such as app.terraform.io" })
            .default("app.terraform.io")
            .meta({ description: "Terraform Cloud or Enterprise host. @default app.terraform.io" }),
          workspacePrefix: z
            .string({ error: "expected a workspace name prefix" })
            .regex(WORKSPACE_PREFIX, {
              error: "expected a workspace name prefix: at most 40 letters, digits, - and _",
            })
            .default("")
            .meta({ description: 'Prepended to the stack name to form the workspace name. @default ""' }),
        })
        .meta({
          description: "Terraform Cloud / Enterprise: one workspace per stack, named <workspacePrefix><stack>.",
        }),
      z
        .strictObject({
          type: z.literal("s3").meta({ description: "S3 state." }),
          bucket: z
            .string({ error: "expected an S3 bucket name" })
            .regex(BUCKET_NAME, { error: "expected an S3 bucket name" })
            .meta({ description: "The state bucket." }),
          region: region.meta({ description: "Region of the state bucket." }),
          keyPrefix: z
            .string({ error: "expected a key prefix" })
            .regex(/^([A-Za-z0-9!_.*'()-]+\/)*$/, { error: "expected a key prefix ending in / (or empty)" })
            .default("cwl-archive/")
            .meta({ description: 'State key is <keyPrefix><stack>/terraform.tfstate. @default "cwl-archive/"' }),
          kmsKeyId: z
            .string({ error: "expected a KMS key ARN" })
            .regex(new RegExp(`^arn:${ARN_PARTITION_PATTERN}:kms:`), {
              error: "expected a KMS key ARN",
            })
            .optional()
            .meta({ description: "KMS key that encrypts the state. @default - S3's default encryption of the bucket" }),
          roleArn: z
            .string({ error: "expected an IAM role ARN" })
            .regex(IAM_PRINCIPAL_ARN, {
              error: "expected an IAM role ARN",
            })
            .optional()
            .meta({
              description: "Role assumed to read and write the state. @default - the environment's credentials",
            }),
        })
        .meta({ description: "S3 state with the native S3 lock file (use_lockfile), always encrypted." }),
    ],
    { error: 'expected a backend type: "local", "cloud" or "s3"' },
  )
  .default({ type: "local" })
  .meta({
    description: "Where each stack keeps its Terraform state: local, cloud (Terraform Cloud) or s3. @default local",
  });

/** How a stack's provider gets credentials: assume a role, or use the environment's. */
const CREDENTIAL_MODES = ["assumeRole", "ambient"] as const;

const deployment = z
  .strictObject({
    credentials: z.enum(CREDENTIAL_MODES, { error: 'expected "assumeRole" or "ambient"' }).default("assumeRole").meta({
      description:
        "assumeRole: each stack's provider assumes `roleName` in its account. ambient: use the credentials of the environment (Terraform Cloud dynamic credentials, one workspace per account). @default assumeRole",
    }),
    roleName: z
      .string({ error: "expected an IAM role name" })
      .regex(ROLE_NAME, { error: "expected an IAM role name: 1-64 characters of letters, digits and +=,.@_-" })
      .default("OrganizationAccountAccessRole")
      .meta({ description: "Role assumed in every account. @default OrganizationAccountAccessRole" }),
    iamPropagationSeconds: rangeOf(IAM_PROPAGATION_SECONDS).default(SOURCE.iamPropagationSeconds).meta({
      description:
        "Seconds each source stack waits after creating or changing its subscription role before subscribing log groups: IAM is eventually consistent and the provider does not retry the account-level subscription policy. Needs a POSIX shell on the runner (terraform_data with local-exec sleep); 0 turns the wait off. @default 30",
    }),
    atlantisMode: z.enum(ATLANTIS_MODES, { error: 'expected "synthesize" or "committed"' }).default("synthesize").meta({
      description:
        "synthesize: Atlantis synthesises every stack in a pre-workflow hook, and a change to the code plans every project. committed: the synthesised stacks are committed (pull requests show the Terraform diff), CI checks they are current, and each project plans only when its own cdk.tf.json changes. @default synthesize",
    }),
    managementAccount: z
      .strictObject({
        credentials: z.enum(CREDENTIAL_MODES, { error: 'expected "assumeRole" or "ambient"' }).meta({
          description:
            "assumeRole: the trail stack's provider assumes `roleName` in the management account. ambient: use the environment's credentials (a Terraform Cloud workspace with dynamic credentials for the management account).",
        }),
        roleName: z
          .string({ error: "expected an IAM role name" })
          .regex(ROLE_NAME, { error: "expected an IAM role name: 1-64 characters of letters, digits and +=,.@_-" })
          .optional()
          .meta({
            description:
              "Role assumed in the management account when credentials is assumeRole. You create it: AWS Organizations creates OrganizationAccountAccessRole only in member accounts it creates, never in the management account.",
          }),
      })
      .optional()
      .meta({
        description:
          "Credentials of the management account, where the organization trail stack deploys. Required when that stack is created and deployment.credentials is assumeRole. @default - ambient when deployment.credentials is ambient",
      }),
    backend,
    defaultTags: tags.default({}).meta({
      description:
        "Tags put on every resource through the provider's default_tags, in addition to ManagedBy=cdktf and Project=cwl-log-archive (a key given here replaces that tag's value). @default - ManagedBy=cdktf, Project=cwl-log-archive only",
    }),
  })
  .prefault({})
  .meta({ description: "How the stacks are deployed: credentials, state backend, tags." });

// ---------------------------------------------------------------------------
// Terraform Cloud: workspaces and dynamic credentials as code
// ---------------------------------------------------------------------------

/** Execution modes of a Terraform Cloud workspace (tfe_workspace_settings.execution_mode). */
export const EXECUTION_MODES = ["remote", "agent", "local"] as const;

/** Longest run role name: the archive, keys and management roles append up to 11 characters (`-management`). */
// 64 characters (IAM) less the longest suffix, "-management-plan".
const RUN_ROLE_NAME = /^[\w+=,.@-]{1,48}$/;

const terraformCloud = z
  .strictObject({
    workspaces: z
      .strictObject({
        enabled: z.boolean({ error: "expected true or false" }).default(false).meta({
          description:
            "Create the stack log-workspaces (tfe provider): the project of deployment.backend, one workspace per synthesised stack with its execution mode and, in committed Atlantis mode with vcs, the VCS working directory cdktf.out/stacks/<stack>, and the dynamic-credential variables TFC_AWS_PROVIDER_AUTH, TFC_AWS_PLAN_ROLE_ARN and TFC_AWS_APPLY_ROLE_ARN of each workspace. Needs deployment.backend type cloud with a project, and deployment.credentials ambient. @default false",
        }),
        executionMode: z
          .enum(EXECUTION_MODES, { error: 'expected "remote", "agent" or "local"' })
          .default("remote")
          .meta({
            description:
              "Where the workspaces' runs execute: remote (HCP Terraform's runners), agent (your agent pool, agentPoolId) or local (the CLI's machine, with its own credentials: refused with terraformCloud.access.enabled, whose dynamic credentials would do nothing there). @default remote",
          }),
        agentPoolId: z
          .string({ error: "expected an agent pool id" })
          .regex(/^apool-[A-Za-z0-9]+$/, { error: "expected an agent pool id such as apool-a1b2c3d4" })
          .optional()
          .meta({ description: "Agent pool of the workspaces, required with executionMode agent." }),
        vcs: z
          .strictObject({
            identifier: z
              .string({ error: "expected a repository identifier" })
              .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: "expected <organization>/<repository>" })
              .meta({ description: "The repository that holds the committed stacks, <organization>/<repository>." }),
            oauthTokenId: z
              .string({ error: "expected an OAuth token id" })
              .regex(/^ot-[A-Za-z0-9]+$/, { error: "expected an OAuth token id such as ot-a1b2c3d4" })
              .optional()
              .meta({ description: "OAuth token of the VCS connection. Give this or githubAppInstallationId." }),
            githubAppInstallationId: z
              .string({ error: "expected a GitHub App installation id" })
              .regex(/^ghain-[A-Za-z0-9]+$/, { error: "expected a GitHub App installation id such as ghain-a1b2c3" })
              .optional()
              .meta({ description: "GitHub App installation of the VCS connection. Give this or oauthTokenId." }),
            branch: z
              .string({ error: "expected a branch name" })
              .min(1)
              .max(255)
              .optional()
              .meta({ description: "Branch the workspaces follow. @default - the repository's default branch" }),
          })
          .optional()
          .meta({
            description:
              "VCS-driven workspaces (deployment.atlantisMode committed only: HCP Terraform runs what is committed under cdktf.out/stacks/<stack>, and only a change under that folder starts a run). @default - CLI-driven workspaces: npx cdktf deploy uploads each stack",
          }),
      })
      .prefault({})
      .meta({ description: "The Terraform Cloud workspaces of every stack, as code (stack log-workspaces)." }),
    access: z
      .strictObject({
        enabled: z.boolean({ error: "expected true or false" }).default(false).meta({
          description:
            "Create the stack log-access in the management account: the IAM OIDC provider of the Terraform Cloud host and the run roles of the trail and guardrails workspaces there, and a service-managed CloudFormation StackSet that creates the provider and a run role in every account of targetIds (accounts added later included), each trusted only by its own account's workspaces. Needs deployment.backend type cloud with a project, and deployment.credentials ambient. @default false",
        }),
        managementAccountId: accountId.optional().meta({
          description:
            "The organization's management account, where log-access is applied and the StackSet is created. @default guardrails.managementAccountId, then sources.cloudTrail.managementAccountId",
        }),
        targetIds: organizationTargets.meta({
          description:
            "Roots and OUs whose accounts get the OIDC provider and run roles: every account with a stack (log-archive, log-keys, source accounts). Required when enabled.",
        }),
        region: region.optional().meta({
          description:
            "Region of the StackSet's stack instances (IAM is global: one Region is enough). @default logArchive.region",
        }),
        existingOidcProvider: z.boolean({ error: "expected true or false" }).default(false).meta({
          description:
            "The accounts already hold an IAM OIDC provider for the Terraform Cloud host (an account holds one per host): the roles trust it instead of creating one, which would fail with EntityAlreadyExists. @default false",
        }),
        oidcThumbprint: z
          .string({ error: "expected a certificate thumbprint" })
          .regex(/^[0-9a-fA-F]{40}$/, { error: "expected a SHA-1 certificate thumbprint of 40 hex characters" })
          .default(TFC_DEFAULT_OIDC_THUMBPRINT)
          .meta({
            description:
              "ThumbprintList of the OIDC provider the StackSet creates: CloudFormation's AWS::IAM::OIDCProvider rejects a provider without one, although IAM ignores it for a host whose certificate chains to a root CA AWS trusts (app.terraform.io does). Set the thumbprint of your Terraform Enterprise host's top intermediate CA when its certificate is private. @default 9e99a48a9960b14926bb7f3b02e22da2b0ab7280 (Starfield Services Root CA - G2, the root of Amazon Trust Services' chain)",
          }),
        runRoleName: z
          .string({ error: "expected an IAM role name" })
          .regex(RUN_ROLE_NAME, { error: "expected an IAM role name: 1-48 characters of letters, digits and +=,.@_-" })
          .optional()
          .meta({
            description:
              "Apply role of the source workspaces in each account; the log-archive, log-keys and management workspaces get <runRoleName>-archive, -keys and -management, and each apply role has a plan role named <role>-plan. @default <naming.prefix>-tfc-run",
          }),
        runRolePolicyArns: managedPolicyArns("AdministratorAccess").meta({
          description:
            "Managed policies of every apply role (trusted for run_phase:apply only): what a stack's apply may do in its account, as deployment.roleName (OrganizationAccountAccessRole) allows with assumeRole. A policy of your own account must exist in every target account. @default [arn:aws:iam::aws:policy/AdministratorAccess]",
        }),
        planRolePolicyArns: managedPolicyArns("ReadOnlyAccess").meta({
          description:
            "Managed policies of every plan role (trusted for run_phase:plan only): what any plan may read, the speculative plans of pull requests included, whose code nobody has approved yet. @default [arn:aws:iam::aws:policy/ReadOnlyAccess]",
        }),
      })
      .prefault({})
      .meta({ description: "Dynamic credentials in every account without a stack per account (stack log-access)." }),
  })
  .prefault({})
  .meta({
    description:
      "Terraform Cloud at organization scale: the workspaces (log-workspaces) and the trust of every account (log-access), as code.",
  });

// ---------------------------------------------------------------------------
// Atlantis: the deployment role of every account, as code
// ---------------------------------------------------------------------------

const atlantis = z
  .strictObject({
    access: z
      .strictObject({
        enabled: z.boolean({ error: "expected true or false" }).default(false).meta({
          description:
            "Create the stack log-access in the management account with a service-managed CloudFormation StackSet that creates the role deployment.roleName in every account of targetIds (accounts added later included), trusted only by principalArns within the organization, and that role in the management account itself (deployment.managementAccount.roleName for the trail and guardrails, deployment.roleName for its source stacks). Needs deployment.credentials assumeRole, and a deployment.roleName of its own (not OrganizationAccountAccessRole, which Organizations creates). @default false",
        }),
        principalArns: z
          .array(
            z.string({ error: "expected an IAM role ARN" }).regex(IAM_ROLE_ARN, {
              error: "expected an IAM role ARN such as arn:aws:iam::111111111111:role/atlantis (with its path, if any)",
            }),
            { error: "expected a list of IAM role ARNs" },
          )
          .max(10, { error: "expected at most 10 roles" })
          .default([])
          .meta({
            description:
              "The roles the Atlantis server runs Terraform with (its ECS task role, EC2 instance role or IRSA role), in an account of the organization: the only principals the deployment roles trust. Required when enabled. @default []",
          }),
        managementAccountId: accountId.optional().meta({
          description:
            "The organization's management account, where log-access is applied and the StackSet is created. @default terraformCloud.access.managementAccountId, then guardrails.managementAccountId, then sources.cloudTrail.managementAccountId",
        }),
        targetIds: organizationTargets.meta({
          description:
            "Roots and OUs whose accounts get the deployment role: every account with a stack (log-archive, log-keys, source accounts). Required when enabled.",
        }),
        region: region.optional().meta({
          description:
            "Region of the StackSet's stack instances (IAM is global: one Region is enough). @default logArchive.region",
        }),
        policyArns: managedPolicyArns("AdministratorAccess").meta({
          description:
            "Managed policies of every deployment role: what a plan or apply may do in its account, as the Terraform Cloud apply roles (terraformCloud.access.runRolePolicyArns) and OrganizationAccountAccessRole allow. A policy of your own account must exist in every target account. @default [arn:aws:iam::aws:policy/AdministratorAccess]",
        }),
      })
      .prefault({})
      .meta({
        description:
          "The role each Atlantis project assumes (deployment.roleName), in every account without a step per account (stack log-access).",
      }),
  })
  .prefault({})
  .meta({ description: "Atlantis at organization scale: the deployment role of every account, as code (log-access)." });

// ---------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------

export const sourceAccount = z
  .strictObject({
    id: accountId.meta({ description: "12-digit account id, quoted." }),
    name: z
      .string({ error: "expected a display name" })
      .regex(DISPLAY_NAME, {
        error: "expected a display name: 1-64 letters, digits, . _ - starting with a letter or digit",
      })
      .meta({ description: "Display name; never part of a construct id or resource name." }),
    regions: z
      .array(region, { error: "expected a list of AWS Regions" })
      .min(1, { error: "expected at least one Region" })
      .meta({ description: "Regions whose log groups are forwarded." }),
    subscription: subscriptionOverride.optional(),
    firehose: firehoseOverride.optional(),
    delivery: delivery.optional().meta({ description: "Override of defaults.delivery for this account." }),
    alarms: sourceMonitoring.optional().meta({
      description:
        "Override of monitoring.alarms.sources for this account, e.g. perAccount or both for an account whose throttling must page someone.",
    }),
    vpcFlowLogs: z.array(vpcFlowLog, { error: "expected a list of { region, vpcId }" }).optional().meta({
      description:
        "VPCs whose flow logs are created and delivered to vpc-flow-logs/ (needs sources.vpcFlowLogs.enabled).",
    }),
    expectsLogs: z.boolean({ error: "expected true or false" }).optional().meta({
      description:
        "This account always writes CloudWatch Logs besides the heartbeat: the delivery watch reports it when, for monitoring.alarms.watch.heartbeatOnlyHours, every object it delivered was no larger than its heartbeats alone make (its subscription narrowed to the heartbeat log group). Needs the heartbeat and the delivery watch for this account. @default false",
    }),
    retired: z.boolean({ error: "expected true or false" }).optional().meta({
      description:
        "Offboarding: the account's stacks are still synthesised, empty, so that their plans remove its pipeline (its key is left in AWS); the delivery watch stops expecting it, and Athena keeps it (its archived objects stay queryable). Retire while the account still exists: the empty stacks are applied with its deployment role. Apply, then delete the account's file. @default false",
    }),
  })
  .meta({ description: "A source account." });

// ---------------------------------------------------------------------------
// Migrations: what a plan may do once acknowledged
// ---------------------------------------------------------------------------

const migration = z.strictObject({
  allow: z
    .enum(MIGRATION_ACKNOWLEDGEMENTS, { error: `expected one of ${MIGRATION_ACKNOWLEDGEMENTS.join(", ")}` })
    .meta({
      description:
        "forget-protected: protected resources leave Terraform's management and stay in AWS; shorten-retention: objects or versions expire sooner; weaken-object-lock: the Object Lock default retention is shortened, downgraded or dropped; replace-subscription-policy: the account-level subscription policy is deleted and put again; repoint-delivery: a stream or subscription sends elsewhere.",
    }),
  reason: z
    .string({ error: "expected why the change is made" })
    .min(10, { error: "expected why the change is made, in at least 10 characters" })
    .max(500, { error: "expected at most 500 characters" })
    .meta({ description: "Why: the reviewer reads it beside the plan." }),
  stacks: z
    .array(z.string({ error: "expected a stack name" }), { error: "expected a list of stack names" })
    .min(1, { error: "expected at least one stack name, or no stacks key for every stack" })
    .optional()
    .meta({ description: "The stacks it applies to (names under cdktf.out/stacks). @default - every stack" }),
});

export const registrySchema = z
  .strictObject(
    {
      organization: z
        .strictObject(
          {
            id: z
              .string({ error: "expected an AWS Organization id such as o-a1b2c3d4e5" })
              .regex(ORGANIZATION_ID, {
                error: "expected an AWS Organization id: o- followed by 10-32 lowercase letters or digits",
              })
              .meta({ description: "AWS Organization id." }),
          },
          { error: "expected a mapping with id (the AWS Organization id)" },
        )
        .meta({ description: "The AWS Organization whose accounts are archived." }),
      logArchive: z
        .strictObject(
          {
            accountId: accountId.meta({ description: "The log-archive account." }),
            region: region.meta({ description: "Region of the archive bucket." }),
          },
          { error: "expected a mapping with accountId and region" },
        )
        .meta({ description: "The log-archive account and the Region of the archive." }),
      naming: z
        .strictObject({
          prefix: z
            .string({ error: "expected a name prefix" })
            .regex(NAME_PREFIX, {
              error: "expected a name prefix: 3-20 lowercase letters, digits and -, starting with a letter",
            })
            .default(DEFAULT_NAME_PREFIX)
            .meta({ description: "Prefix of every physical name (buckets, roles, streams). @default cwl-archive" }),
        })
        .prefault({})
        .meta({ description: "Physical naming. Changing it replaces every named resource." }),
      archive,
      siem,
      monitoring,
      sources,
      central,
      search,
      keys,
      guardrails,
      defaults: z
        .strictObject({
          subscription: subscriptionDefaults.prefault({}),
          firehose: firehoseDefaults.prefault({}),
          delivery: delivery.default(SOURCE.delivery),
        })
        .prefault({})
        .meta({ description: "Organisation-wide settings of source accounts; each account may override them." }),
      deployment,
      terraformCloud,
      atlantis,
      migrations: z.array(migration, { error: "expected a list of { allow, reason, stacks }" }).default([]).meta({
        description:
          "Acknowledged registry changes that a plan may carry out: each stack's cwl_acknowledged_migrations output lists the allow values of the entries that apply to it, and the plan gate (security/plan-gate) refuses the matching plans without them. Remove an entry once its plans are applied. @default []",
      }),
      accountFiles: z
        .string({ error: "expected a directory path" })
        .regex(/^(?!\/)(?!.*\.\.)[A-Za-z0-9._/-]+$/, {
          error: "expected a directory relative to the registry file, without ..",
        })
        .optional()
        .meta({
          description:
            "Directory, relative to this file, holding one <accountId>.yaml per source account (same keys as an entry of accounts). Lets Atlantis plan only the stacks of the account a pull request changes. @default - accounts are listed here only",
        }),
      accounts: z
        .array(sourceAccount, { error: "expected a list of source accounts" })
        .default([])
        .meta({ description: "Source accounts, each with the Regions to forward. @default []" }),
    },
    { error: "expected a mapping with organization, logArchive and accounts" },
  )
  .meta({
    title: "CloudWatch Logs archive registry",
    description: "Accounts registry of the CloudWatch Logs archive (accounts/registry.yaml).",
  });

export type RegistryInput = z.input<typeof registrySchema>;
export type RegistryData = z.output<typeof registrySchema>;
