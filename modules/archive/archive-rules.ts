/**
 * The rules LogArchive enforces on its settings that span several props,
 * written once: LogArchive refuses props that break them, and the registry
 * runs the same functions over the settings it maps onto those props, so both
 * report the same message (the registry adds its file and YAML path).
 * `__tests__/registry/parity.test.ts` proves it for every id in
 * LOG_ARCHIVE_RULE_IDS.
 */
import { Token } from "cdktf";
import { rangeProblem, type SettingProblem } from "../constructs/validation";
import type { TransitionStorageClass } from "../options/values";

export const LOG_ARCHIVE_RULE_IDS = [
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
  "siem-visibility-timeout",
  "siem-message-retention",
  "search-domain-here",
  "search-reads-central-kinesis",
  "search-administrator-not-principal",
  "search-administrator-of-owner",
] as const;

export type LogArchiveRule = (typeof LOG_ARCHIVE_RULE_IDS)[number];
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

/** Problems of the SIEM queue settings (paths start with `siem`). */
export function siemQueueProblems(siem: {
  readonly visibilityTimeoutSeconds: number;
  readonly messageRetentionSeconds: number;
}): LogArchiveProblem[] {
  return [
    ...rangeProblem<LogArchiveRule>(
      "siem-visibility-timeout",
      ["siem", "visibilityTimeoutSeconds"],
      siem.visibilityTimeoutSeconds,
      SIEM_VISIBILITY_TIMEOUT_SECONDS,
    ),
    ...rangeProblem<LogArchiveRule>(
      "siem-message-retention",
      ["siem", "messageRetentionSeconds"],
      siem.messageRetentionSeconds,
      SIEM_MESSAGE_RETENTION_SECONDS,
    ),
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
