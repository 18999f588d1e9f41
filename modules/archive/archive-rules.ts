/**
 * The rules LogArchive enforces on its settings that span several props,
 * written once: LogArchive refuses props that break them, and the registry
 * runs the same functions over the settings it maps onto those props, so both
 * report the same message (the registry adds its file and YAML path).
 * `__tests__/registry/parity.test.ts` proves it for every id in
 * LOG_ARCHIVE_RULE_IDS.
 */
import { Token } from "cdktf";
import { rangeRuleProblems, type IntegerRange, type SettingProblem } from "../constructs/validation";
import type { TransitionStorageClass } from "../options/values";

export const LOG_ARCHIVE_CROSS_RULE_IDS = [
  "replica-in-another-region",
  "replication-time-control-needs-replica",
  "transition-not-before-thirty-days",
  "transition-before-expiry",
  "transitions-ascending",
  "transition-thirty-days-in-class",
  "transitions-colder",
  "object-lock-within-retention",
  "previous-key-in-archive-region",
  "hunting-cutoff-at-least-interactive",
  "config-without-object-lock",
  "tamper-needs-alarms",
  "notify-siem-admitted-source",
  "sentinel-queue-per-prefix",
  "search-domain-here",
  "search-reads-central-kinesis",
  "search-administrator-not-principal",
  "search-administrator-of-owner",
  "keys-in-another-account",
] as const;

export type LogArchiveRule = (typeof LOG_ARCHIVE_CROSS_RULE_IDS)[number] | keyof typeof LOG_ARCHIVE_RANGES;
export type LogArchiveProblem = SettingProblem<LogArchiveRule>;

/**
 * Classes an object must stay in for 30 days before the next transition, and
 * that S3 does not transition to before day 30.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
 */
const THIRTY_DAY_CLASSES: ReadonlySet<string> = new Set(["STANDARD_IA", "ONEZONE_IA"]);
/** The S3 lifecycle waterfall: a transition may only go to a later class. */
const CLASS_ORDER: Record<TransitionStorageClass, number> = {
  STANDARD_IA: 1,
  INTELLIGENT_TIERING: 1,
  ONEZONE_IA: 2,
  GLACIER_IR: 3,
  GLACIER: 4,
  DEEP_ARCHIVE: 5,
};

/** What the archive-bucket rules read (a subset of ArchiveBucketSettings, so the registry can pass its section). */
export interface ArchiveRuleInput {
  readonly retentionDays: number;
  readonly transitions: readonly { readonly storageClass: TransitionStorageClass; readonly days: number }[];
  readonly objectLock?: { readonly days: number };
  readonly replicaRegion?: string;
  readonly replicationTimeControl: boolean;
  readonly previousKeyArns?: readonly string[];
}

/**
 * The SIEM queue's visibility timeout (SQS allows 0 to 12 hours) and
 * retention (SQS allows 60 s to 14 days; one second less, so that the
 * dead-letter queue, kept for the maximum, outlives every notification).
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
 */
export const SIEM_VISIBILITY_TIMEOUT_SECONDS = {
  what: "an SQS visibility timeout in seconds",
  min: 0,
  max: 43200,
} as const;
export const SIEM_MESSAGE_RETENTION_SECONDS = {
  what: "an SQS retention period in seconds",
  min: 60,
  max: 1209599,
} as const;
/**
 * Receives before a notification moves to the dead-letter queue: SQS takes
 * 1 to 1000, and AWS recommends at least 5, so that a SIEM's transient
 * failure is retried before the notification is set aside.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 */
export const SIEM_MAX_RECEIVE_COUNT = { what: "a maxReceiveCount", min: 5, max: 1000 } as const;

/** Lifecycle days: S3 takes whole days; 36500 (100 years) bounds a typo. */
const DAYS = (what: string, max = 36500, min = 1): IntegerRange => ({ what, min, max });

/**
 * The integer bounds of LogArchive's props, by rule id, with the path of
 * the prop (from LogArchiveProps, defaults filled in). The registry's schema
 * builds the fields it maps onto these props from the same ranges
 * (`registryRange`), so both give the same message.
 */
export const LOG_ARCHIVE_RANGES = {
  "archive-retention-days": { path: ["archive", "retentionDays"], range: DAYS("a retention period in days") },
  "archive-noncurrent-retention-days": {
    path: ["archive", "noncurrentVersionRetentionDays"],
    range: DAYS("a number of days"),
  },
  "archive-transition-days": {
    path: ["archive", "transitions", "*", "days"],
    range: DAYS("a number of days after creation", 36500, 0),
  },
  "archive-abort-multipart-days": {
    path: ["archive", "abortIncompleteMultipartUploadDays"],
    range: DAYS("a number of days", 365),
  },
  "archive-object-lock-days": {
    path: ["archive", "objectLock", "days"],
    range: DAYS("an Object Lock retention in days"),
  },
  "archive-access-log-retention-days": {
    path: ["archive", "accessLogRetentionDays"],
    range: DAYS("a retention period in days"),
  },
  "siem-visibility-timeout": { path: ["siem", "visibilityTimeoutSeconds"], range: SIEM_VISIBILITY_TIMEOUT_SECONDS },
  "siem-message-retention": { path: ["siem", "messageRetentionSeconds"], range: SIEM_MESSAGE_RETENTION_SECONDS },
  "siem-max-receive-count": { path: ["siem", "maxReceiveCount"], range: SIEM_MAX_RECEIVE_COUNT },
  /** A margin below a minute would page on every buffer; above an hour, nobody would notice. */
  "alarms-freshness-margin": {
    path: ["alarms", "freshnessMarginSeconds"],
    range: { what: "a margin in seconds", min: 60, max: 3600 },
  },
  "alarms-silence": { path: ["alarms", "silenceMinutes"], range: { what: "a number of minutes", min: 15, max: 1440 } },
  /** SQS keeps a message at most 14 days (1209600 s): an older one cannot exist. */
  "alarms-queue-age": {
    path: ["alarms", "queueAgeAlarmSeconds"],
    range: { what: "an age in seconds", min: 300, max: 1209600 },
  },
  "athena-daily-scan-alarm": {
    path: ["athena", "dailyScanAlarmGiB"],
    range: { what: "a limit in GiB", min: 1, max: 1048576 },
  },
  "athena-hunting-daily-scan-alarm": {
    path: ["athena", "huntingDailyScanAlarmGiB"],
    range: { what: "a limit in GiB", min: 1, max: 1048576 },
  },
  "athena-results-retention": {
    path: ["athena", "resultsRetentionDays"],
    range: DAYS("a retention period in days", 3650),
  },
  /** Athena's per-query data usage control: 10 MB at least; 100 TiB bounds a typo. */
  "athena-cutoff": {
    path: ["athena", "bytesScannedCutoffGiB"],
    range: { what: "a limit in GiB", min: 1, max: 102400 },
  },
  "athena-hunting-cutoff": {
    path: ["athena", "huntingBytesScannedCutoffGiB"],
    range: { what: "a limit in GiB", min: 1, max: 102400 },
  },
  /**
   * Central streams partition dynamically, which needs a buffer of at least
   * 64 MiB and 60 s (Firehose allows up to 128 MiB and 900 s).
   * @see https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html
   */
  "central-buffering-size": {
    path: ["central", "stream", "bufferingSizeMiB"],
    range: { what: "a Firehose buffer size in MiB", min: 64, max: 128 },
  },
  "central-buffering-interval": {
    path: ["central", "stream", "bufferingIntervalSeconds"],
    range: { what: "a Firehose buffer interval in seconds", min: 60, max: 900 },
  },
  "central-kinesis-shards": {
    path: ["central", "stream", "kinesisStream", "shards"],
    range: { what: "a shard count", min: 1, max: 500 },
  },
  /** Firehose's default quota of active partitions is 500 per stream; 5000 bounds a typo. */
  "central-partition-quota": {
    path: ["central", "activePartitionQuota"],
    range: { what: "a partition quota", min: 500, max: 5000 },
  },
  /** Firehose retries delivery to OpenSearch for 0 to 7200 seconds. */
  "search-retry-duration": {
    path: ["search", "retryDurationSeconds"],
    range: { what: "a number of seconds", min: 0, max: 7200 },
  },
  "watch-interval": {
    path: ["deliveryWatch", "intervalMinutes"],
    range: { what: "a number of minutes", min: 1, max: 60 },
  },
  "watch-reminder": {
    path: ["deliveryWatch", "reminderHours"],
    range: { what: "a number of hours", min: 1, max: 168 },
  },
  /** 71: the watch keeps 3 days of copied events, less one run. */
  "watch-heartbeat-only": {
    path: ["deliveryWatch", "heartbeatOnlyHours"],
    range: { what: "a number of hours", min: 1, max: 71 },
  },
} as const satisfies Record<string, { readonly path: readonly string[]; readonly range: IntegerRange }>;

/** Every rule id LogArchive enforces: the cross-field rules and the bounds. */
export const LOG_ARCHIVE_RULE_IDS: readonly LogArchiveRule[] = [
  ...LOG_ARCHIVE_CROSS_RULE_IDS,
  ...(Object.keys(LOG_ARCHIVE_RANGES) as (keyof typeof LOG_ARCHIVE_RANGES)[]),
];

type ArchiveRangeRule = keyof typeof LOG_ARCHIVE_RANGES;
const rangeRules = (select: (rule: ArchiveRangeRule) => boolean) =>
  (Object.entries(LOG_ARCHIVE_RANGES) as [ArchiveRangeRule, (typeof LOG_ARCHIVE_RANGES)[ArchiveRangeRule]][])
    .filter(([rule]) => select(rule))
    .map(([rule, { path, range }]) => ({ rule, path, range }));

/** Problems of the SIEM queue settings (paths start with `siem`); SiemNotifications checks them. */
export function siemQueueProblems(siem: {
  readonly visibilityTimeoutSeconds: number;
  readonly messageRetentionSeconds: number;
  readonly maxReceiveCount: number;
}): LogArchiveProblem[] {
  return rangeRuleProblems<LogArchiveRule>(
    rangeRules((rule) => rule.startsWith("siem-")),
    { siem },
  );
}

/** Problems of LogArchive's bounds but the SIEM queue's (paths from its props, defaults filled in). */
export function archiveRangeProblems(props: unknown): LogArchiveProblem[] {
  return rangeRuleProblems<LogArchiveRule>(
    rangeRules((rule) => !rule.startsWith("siem-")),
    props,
  );
}

/**
 * Keys in a key-management account are for another account than the
 * log-archive account: keys kept there need no external keys at all.
 */
export function keyAccountProblems(accountId: string, keyAccountId: string | undefined): LogArchiveProblem[] {
  if (keyAccountId === undefined || !known(accountId, keyAccountId) || keyAccountId !== accountId) return [];
  return [
    {
      rule: "keys-in-another-account",
      path: ["keys", "accountId"],
      message:
        "expected an account other than the log-archive account: keys kept in the log-archive account need no key-management account (remove keys)",
    },
  ];
}

const known = (...values: unknown[]) => values.every((v) => !Token.isUnresolved(v));

/** Problems of the `archive` settings of a LogArchive in `region` (paths start with `archive`). */
export function archiveBucketProblems(archive: ArchiveRuleInput, region: string): LogArchiveProblem[] {
  const problems: LogArchiveProblem[] = [];
  const at = (...path: (string | number)[]) => ["archive", ...path];
  if (archive.replicaRegion !== undefined && known(region) && archive.replicaRegion === region) {
    problems.push({
      rule: "replica-in-another-region",
      path: at("replicaRegion"),
      message: `expected a Region other than the archive's (${region}): a replica in the same Region does not survive a regional outage`,
      value: archive.replicaRegion,
    });
  }
  if (archive.replicationTimeControl && archive.replicaRegion === undefined) {
    problems.push({
      rule: "replication-time-control-needs-replica",
      path: at("replicationTimeControl"),
      message: "needs archive.replicaRegion: replication time control applies to a replication rule",
      value: archive.replicationTimeControl,
    });
  }
  let previous: ArchiveRuleInput["transitions"][number] | undefined;
  archive.transitions.forEach((transition, index) => {
    const days = at("transitions", index, "days");
    if (!known(transition.days, archive.retentionDays)) return;
    if (THIRTY_DAY_CLASSES.has(transition.storageClass) && transition.days < 30) {
      problems.push({
        rule: "transition-not-before-thirty-days",
        path: days,
        message: `expected at least 30 days: S3 does not transition to ${transition.storageClass} earlier`,
        value: transition.days,
      });
    }
    if (transition.days >= archive.retentionDays) {
      problems.push({
        rule: "transition-before-expiry",
        path: days,
        message: `expected fewer days than archive.retentionDays (${archive.retentionDays}): objects expire before this transition`,
        value: transition.days,
      });
    }
    if (previous && known(previous.days)) {
      if (transition.days <= previous.days) {
        problems.push({
          rule: "transitions-ascending",
          path: days,
          message: `expected more days than the previous transition (${previous.days})`,
          value: transition.days,
        });
      } else if (THIRTY_DAY_CLASSES.has(previous.storageClass) && transition.days - previous.days < 30) {
        problems.push({
          rule: "transition-thirty-days-in-class",
          path: days,
          message: `expected at least 30 days after the transition to ${previous.storageClass} (${previous.days}): S3 requires it`,
          value: transition.days,
        });
      }
      if (CLASS_ORDER[transition.storageClass] <= CLASS_ORDER[previous.storageClass]) {
        problems.push({
          rule: "transitions-colder",
          path: at("transitions", index, "storageClass"),
          message: `expected a colder storage class than ${previous.storageClass}: lifecycle transitions only go down the S3 waterfall`,
          value: transition.storageClass,
        });
      }
    }
    previous = transition;
  });
  const lock = archive.objectLock;
  if (lock && known(lock.days, archive.retentionDays) && lock.days > archive.retentionDays) {
    problems.push({
      rule: "object-lock-within-retention",
      path: at("objectLock", "days"),
      message: `expected at most archive.retentionDays (${archive.retentionDays}): lifecycle expiry cannot remove a locked version, so the two must agree`,
      value: lock.days,
    });
  }
  (archive.previousKeyArns ?? []).forEach((keyArn, index) => {
    // S3 encrypts with keys of the bucket's own Region only.
    if (known(keyArn, region) && keyArn.split(":")[3] !== region) {
      problems.push({
        rule: "previous-key-in-archive-region",
        path: at("previousKeyArns", index),
        message: `expected a key of the archive's Region (${region}): objects of the archive bucket are only ever encrypted with keys of its Region`,
        value: keyArn,
      });
    }
  });
  return problems;
}

/** The hunting workgroup is the larger one: its cutoff is at least the interactive one's. */
export function athenaCutoffProblems(athena: {
  readonly bytesScannedCutoffGiB: number;
  readonly huntingBytesScannedCutoffGiB: number;
}): LogArchiveProblem[] {
  const { bytesScannedCutoffGiB: interactive, huntingBytesScannedCutoffGiB: hunting } = athena;
  if (!known(interactive, hunting) || hunting >= interactive) return [];
  return [
    {
      rule: "hunting-cutoff-at-least-interactive",
      path: ["athena", "huntingBytesScannedCutoffGiB"],
      message: `expected at least the interactive workgroup's bytesScannedCutoffGiB (${interactive}): the hunting workgroup is the larger one`,
      value: hunting,
    },
  ];
}

/**
 * Rules between the archive's parts: AWS Config and Object Lock, tamper
 * detection and alarms, the direct sources the SIEM queue announces, and
 * Sentinel's one queue per log type.
 */
export function archivePartsProblems(parts: {
  readonly config: boolean;
  readonly objectLock: boolean;
  readonly tamper: boolean;
  readonly alarms: boolean;
  /** The direct sources admitted into the archive, by their key-layout name. */
  readonly admitted: ReadonlySet<string>;
  readonly notifySiem: readonly string[];
  readonly sentinel: boolean;
  readonly queuePerPrefix: boolean;
}): LogArchiveProblem[] {
  const problems: LogArchiveProblem[] = [];
  parts.notifySiem.forEach((source, index) => {
    if (!parts.admitted.has(source)) {
      problems.push({
        rule: "notify-siem-admitted-source",
        path: ["directSources", "notifySiem", index],
        message: "names a direct source the archive does not admit: enable that source first",
        value: source,
      });
    }
  });
  if (parts.sentinel && !parts.queuePerPrefix && parts.notifySiem.length > 0) {
    // Microsoft: "Each SQS queue should point to one type of message".
    // https://learn.microsoft.com/en-us/azure/sentinel/connect-aws?tabs=s3#known-issues
    problems.push({
      rule: "sentinel-queue-per-prefix",
      path: ["siem", "queuePerPrefix"],
      message:
        "expected one queue per prefix with siem.sentinel and direct sources announced to the SIEM: Sentinel's connector binds one queue to one log type and one path",
    });
  }
  if (parts.config && parts.objectLock) {
    problems.push({
      rule: "config-without-object-lock",
      path: ["directSources", "configRecorderRole"],
      message:
        "cannot be combined with archive.objectLock: AWS Config does not deliver into a bucket with Object Lock (its delivery channel is rejected)",
    });
  }
  if (parts.tamper && !parts.alarms) {
    problems.push({
      rule: "tamper-needs-alarms",
      path: ["tamper"],
      message: "needs alarms: tamper detection notifies the archive's alarm topic (or switch tamper detection off)",
    });
  }
  return problems;
}

/**
 * Search delivery reads the central Kinesis stream of the archive's Region (a
 * Firehose reads a Kinesis stream of its own Region only) and delivers into a
 * domain of the archive's account and Region; an administrator is exempt from
 * the domain's deny, so one that also searches would be a writer.
 */
export function searchProblems(
  search: {
    readonly domainArn: string;
    readonly principals: readonly string[];
    readonly administrators?: readonly string[];
  },
  archive: { readonly accountId: string; readonly region: string; readonly centralKinesisHere: boolean },
): LogArchiveProblem[] {
  const problems: LogArchiveProblem[] = [];
  const { accountId, region } = archive;
  const [, , , domainRegion, domainAccount] = search.domainArn.split(":");
  if (known(search.domainArn, accountId, region) && (domainAccount !== accountId || domainRegion !== region)) {
    problems.push({
      rule: "search-domain-here",
      path: ["search", "domainArn"],
      message: `expected a domain of the log-archive account ${accountId} in ${region}, where the search stream runs`,
      value: search.domainArn,
    });
  }
  if (!archive.centralKinesisHere) {
    problems.push({
      rule: "search-reads-central-kinesis",
      path: ["search"],
      message: `needs the central topology with its Kinesis stream in ${region} (a central Region with the Kinesis stream on): the search stream reads that stream`,
    });
  }
  (search.administrators ?? []).forEach((administrator, index) => {
    if (search.principals.includes(administrator)) {
      problems.push({
        rule: "search-administrator-not-principal",
        path: ["search", "administrators", index],
        message: "is also in search.principals: a principal either searches or administers the domain, never both",
        value: administrator,
      });
    }
    if (known(administrator, accountId) && administrator.split(":")[4] !== accountId) {
      problems.push({
        rule: "search-administrator-of-owner",
        path: ["search", "administrators", index],
        message: `expected a role or user of the domain's owner, the log-archive account ${accountId}`,
        value: administrator,
      });
    }
  });
  return problems;
}
