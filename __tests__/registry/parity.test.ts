/**
 * The registry and the constructs enforce the same rules with the same
 * messages. The list of rules is the constructs' own (LOG_ARCHIVE_RULE_IDS,
 * LOG_SOURCE_RULE_IDS): a rule added there without a case here fails to
 * compile and fails the exhaustiveness test below. The registry runs those
 * rule functions itself (semantics.ts, through registryProblemOf, which
 * throws for a prop it cannot place) or builds its schema from their bounds
 * and messages (schema.ts), so it has no copy that could drift.
 *
 * For every rule: GIVEN the minimal registry broken in one place, and the
 * props the app would give the construct for the valid registry, broken in
 * the same place, THEN the registry's line (`<file>: <YAML path>: <message>`)
 * and the construct's line (`<Construct> <node path>: <prop path>: <message>`)
 * carry the same message.
 */
import { App, TerraformStack } from "cdktf";
import { LOG_ARCHIVE_RANGES, LOG_ARCHIVE_RULE_IDS, type LogArchiveRule } from "../../modules/archive/archive-rules";
import { LogArchive, type LogArchiveProps } from "../../modules/archive/log-archive";
import { LogSource, type LogSourceProps } from "../../modules/source/log-source";
import {
  FIREHOSE_BUFFERING_INTERVAL_SECONDS,
  FIREHOSE_BUFFERING_SIZE_MIB,
  HEARTBEAT_INTERVAL_MINUTES,
  IAM_PROPAGATION_SECONDS,
  LOG_SOURCE_RULE_IDS,
  type LogSourceRule,
} from "../../modules/source/source-rules";
import { LogKeys } from "../../modules/keys/log-keys";
import { LOG_KEYS_RULE_IDS } from "../../modules/keys/key-rules";
import { logKeysProps } from "../../modules/stacks/log-keys-stack";
import { OrganizationGuardrails } from "../../modules/guardrails/organization-guardrails";
import { ORGANIZATION_GUARDRAILS_RULE_IDS } from "../../modules/guardrails/guardrail-rules";
import { MAX_POLICIES_PER_TARGET } from "../../modules/options/guardrails";
import { logGuardrailsProps } from "../../modules/stacks/log-guardrails-stack";
import { REGISTRY_ONLY_RULES, registryProblemOf, type RegistryRule } from "../../modules/registry/semantics";
import { registrySchema } from "../../modules/registry/schema";
import type { IntegerRange } from "../../modules/constructs/validation";
import { heartbeatLogGroup } from "../../modules/naming/names";
import { pipelineLogGroups } from "../../modules/naming/pipeline-log-groups";
import { semanticProblems } from "../../modules/registry/semantics";
import { schemaBounds } from "../helpers/schema-bounds";
import { logArchiveProps } from "../../modules/stacks/log-archive-stack";
import { logSourceProps } from "../../modules/stacks/log-source-stack";
import { errorsFor, minimalRaw, registryWith, type RawRegistry } from "../helpers/registry";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface ArchiveCase {
  /** The YAML path the registry reports. */
  readonly registryPath: string;
  readonly registry: (raw: RawRegistry) => void;
  /** The prop path LogArchive (or the part it passes the setting to) reports. */
  readonly propPath: string;
  readonly props: (props: Mutable<LogArchiveProps>) => void;
}
interface SourceCase {
  readonly registryPath: string;
  readonly registry: (raw: RawRegistry) => void;
  readonly propPath: string;
  readonly props: (props: Mutable<LogSourceProps>) => void;
}

/** `"a.b[0].c"` -> `["a", "b", 0, "c"]`. */
function segments(path: string): (string | number)[] {
  return path
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** `target` with `value` at `path`, copying every object on the way (registry data is frozen). */
function setIn(target: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (
    Array.isArray(target)
      ? [...(target as unknown[])]
      : typeof head === "number"
        ? []
        : { ...((target ?? {}) as Record<string, unknown>) }
  ) as Record<string | number, unknown>;
  copy[head!] = setIn(copy[head!], rest, value);
  return copy;
}

/** Mutates the top-level key of `target` so that `value` is at `path`. */
function put(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head, ...rest] = segments(path);
  target[head as string] = setIn(target[head as string], rest, value);
}

/**
 * A bound's case: the registry refuses `value` at `registryPath` (set at
 * `registrySet`, by default that path), and LogArchive refuses it at the
 * rule's prop path (`*` being the first element).
 */
function archiveRangeCase(
  rule: keyof typeof LOG_ARCHIVE_RANGES,
  registryPath: string,
  value: unknown,
  options: {
    readonly set?: { readonly registry: string; readonly props: string; readonly value: unknown };
    readonly props?: (p: Mutable<LogArchiveProps>) => void;
  } = {},
): ArchiveCase {
  const propPath = LOG_ARCHIVE_RANGES[rule].path.join(".").replace(".*", "[0]");
  return {
    registryPath,
    registry: (r) => put(r, options.set?.registry ?? registryPath, options.set?.value ?? value),
    propPath,
    props: (p) => {
      options.props?.(p);
      put(p as Record<string, unknown>, options.set?.props ?? propPath, options.set?.value ?? value);
    },
  };
}

const central = (p: Mutable<LogArchiveProps>) => (p.central = { regions: ["eu-west-1"] });

/** Every bound of LogArchive but the SIEM queue's first two (cases of their own below). */
const ARCHIVE_RANGE_CASES: Record<
  Exclude<keyof typeof LOG_ARCHIVE_RANGES, "siem-visibility-timeout" | "siem-message-retention">,
  ArchiveCase
> = {
  "archive-retention-days": archiveRangeCase("archive-retention-days", "archive.retentionDays", 36501),
  "archive-noncurrent-retention-days": archiveRangeCase(
    "archive-noncurrent-retention-days",
    "archive.noncurrentVersionRetentionDays",
    36501,
  ),
  "archive-transition-days": archiveRangeCase("archive-transition-days", "archive.transitions[0].days", -1, {
    set: {
      registry: "archive.transitions",
      props: "archive.transitions",
      value: [{ storageClass: "DEEP_ARCHIVE", days: -1 }],
    },
  }),
  "archive-abort-multipart-days": archiveRangeCase(
    "archive-abort-multipart-days",
    "archive.abortIncompleteMultipartUploadDays",
    366,
  ),
  // Below the bound: above it, the lock would also outlast the retention.
  "archive-object-lock-days": archiveRangeCase("archive-object-lock-days", "archive.objectLock.days", 0, {
    set: { registry: "archive.objectLock", props: "archive.objectLock", value: { mode: "GOVERNANCE", days: 0 } },
  }),
  "archive-access-log-retention-days": archiveRangeCase(
    "archive-access-log-retention-days",
    "archive.accessLogRetentionDays",
    36501,
  ),
  // 4: SQS would take it, the SIEM queue does not (AWS recommends at least 5).
  "siem-max-receive-count": archiveRangeCase("siem-max-receive-count", "siem.maxReceiveCount", 4),
  "alarms-freshness-margin": archiveRangeCase(
    "alarms-freshness-margin",
    "monitoring.alarms.freshnessMarginSeconds",
    3601,
  ),
  "alarms-silence": archiveRangeCase("alarms-silence", "monitoring.alarms.silenceMinutes", 1441),
  "alarms-queue-age": archiveRangeCase("alarms-queue-age", "monitoring.alarms.queueAgeAlarmSeconds", 1209601),
  "athena-daily-scan-alarm": archiveRangeCase(
    "athena-daily-scan-alarm",
    "monitoring.athena.dailyScanAlarmGiB",
    1048577,
  ),
  "athena-hunting-daily-scan-alarm": archiveRangeCase(
    "athena-hunting-daily-scan-alarm",
    "monitoring.athena.huntingDailyScanAlarmGiB",
    1048577,
  ),
  "athena-results-retention": archiveRangeCase(
    "athena-results-retention",
    "monitoring.athena.resultsRetentionDays",
    3651,
  ),
  "athena-cutoff": archiveRangeCase("athena-cutoff", "monitoring.athena.bytesScannedCutoffGiB", 0),
  "athena-hunting-cutoff": archiveRangeCase(
    "athena-hunting-cutoff",
    "monitoring.athena.huntingBytesScannedCutoffGiB",
    102401,
  ),
  // 63: Firehose would take it, dynamic partitioning does not.
  "central-buffering-size": archiveRangeCase("central-buffering-size", "central.bufferingSizeMiB", 63, {
    props: central,
  }),
  "central-buffering-interval": archiveRangeCase("central-buffering-interval", "central.bufferingIntervalSeconds", 59, {
    props: central,
  }),
  "central-kinesis-shards": archiveRangeCase("central-kinesis-shards", "central.kinesisStream.shards", 501, {
    props: central,
  }),
  "central-partition-quota": archiveRangeCase("central-partition-quota", "central.activePartitionQuota", 499, {
    props: central,
  }),
  "search-retry-duration": archiveRangeCase("search-retry-duration", "search.retryDurationSeconds", 7201, {
    props: (p) => searchProps(p, {}),
  }),
  "watch-interval": archiveRangeCase("watch-interval", "monitoring.alarms.watch.intervalMinutes", 61),
  "watch-reminder": archiveRangeCase("watch-reminder", "monitoring.alarms.watch.reminderHours", 169),
  "watch-heartbeat-only": archiveRangeCase("watch-heartbeat-only", "monitoring.alarms.watch.heartbeatOnlyHours", 72),
};

const ARCHIVE_CASES: Record<LogArchiveRule, ArchiveCase> = {
  ...ARCHIVE_RANGE_CASES,
  "keys-in-another-account": {
    registryPath: "keys.accountId",
    registry: (r) => (r.keys = { accountId: "111111111111" }),
    propPath: "keys.accountId",
    props: (p) => (p.keys = { accountId: "111111111111", archiveKeyArn: ARCHIVE_KEY, queueKeyArn: ARCHIVE_KEY }),
  },
  "replica-in-another-region": {
    registryPath: "archive.replicaRegion",
    registry: (r) => (r.archive = { replicaRegion: "eu-west-1" }),
    propPath: "archive.replicaRegion",
    props: (p) => (p.archive = { ...p.archive, replicaRegion: "eu-west-1" }),
  },
  "replication-time-control-needs-replica": {
    registryPath: "archive.replicationTimeControl",
    registry: (r) => (r.archive = { replicationTimeControl: true }),
    propPath: "archive.replicationTimeControl",
    props: (p) => (p.archive = { ...p.archive, replicationTimeControl: true }),
  },
  "transition-not-before-thirty-days": {
    registryPath: "archive.transitions[0].days",
    registry: (r) => (r.archive = { transitions: [{ storageClass: "STANDARD_IA", days: 10 }] }),
    propPath: "archive.transitions[0].days",
    props: (p) => (p.archive = { ...p.archive, transitions: [{ storageClass: "STANDARD_IA", days: 10 }] }),
  },
  "transition-before-expiry": {
    registryPath: "archive.transitions[0].days",
    registry: (r) => (r.archive = { retentionDays: 60, transitions: [{ storageClass: "GLACIER_IR", days: 90 }] }),
    propPath: "archive.transitions[0].days",
    props: (p) =>
      (p.archive = { ...p.archive, retentionDays: 60, transitions: [{ storageClass: "GLACIER_IR", days: 90 }] }),
  },
  "transitions-ascending": {
    registryPath: "archive.transitions[1].days",
    registry: (r) =>
      (r.archive = {
        transitions: [
          { storageClass: "GLACIER_IR", days: 90 },
          { storageClass: "DEEP_ARCHIVE", days: 90 },
        ],
      }),
    propPath: "archive.transitions[1].days",
    props: (p) =>
      (p.archive = {
        ...p.archive,
        transitions: [
          { storageClass: "GLACIER_IR", days: 90 },
          { storageClass: "DEEP_ARCHIVE", days: 90 },
        ],
      }),
  },
  "transition-thirty-days-in-class": {
    registryPath: "archive.transitions[1].days",
    registry: (r) =>
      (r.archive = {
        transitions: [
          { storageClass: "STANDARD_IA", days: 30 },
          { storageClass: "GLACIER_IR", days: 40 },
        ],
      }),
    propPath: "archive.transitions[1].days",
    props: (p) =>
      (p.archive = {
        ...p.archive,
        transitions: [
          { storageClass: "STANDARD_IA", days: 30 },
          { storageClass: "GLACIER_IR", days: 40 },
        ],
      }),
  },
  "transitions-colder": {
    registryPath: "archive.transitions[1].storageClass",
    registry: (r) =>
      (r.archive = {
        transitions: [
          { storageClass: "GLACIER_IR", days: 90 },
          { storageClass: "STANDARD_IA", days: 365 },
        ],
      }),
    propPath: "archive.transitions[1].storageClass",
    props: (p) =>
      (p.archive = {
        ...p.archive,
        transitions: [
          { storageClass: "GLACIER_IR", days: 90 },
          { storageClass: "STANDARD_IA", days: 365 },
        ],
      }),
  },
  "object-lock-within-retention": {
    registryPath: "archive.objectLock.days",
    registry: (r) => (r.archive = { objectLock: { mode: "COMPLIANCE", days: 3000 } }),
    propPath: "archive.objectLock.days",
    props: (p) => (p.archive = { ...p.archive, objectLock: { mode: "COMPLIANCE", days: 3000 } }),
  },
  "previous-key-in-archive-region": {
    registryPath: "archive.previousKeyArns[0]",
    registry: (r) => (r.archive = { previousKeyArns: [OTHER_REGION_KEY] }),
    propPath: "archive.previousKeyArns[0]",
    props: (p) => (p.archive = { ...p.archive, previousKeyArns: [OTHER_REGION_KEY] }),
  },
  "hunting-cutoff-at-least-interactive": {
    registryPath: "monitoring.athena.huntingBytesScannedCutoffGiB",
    registry: (r) => (r.monitoring = { athena: { bytesScannedCutoffGiB: 100, huntingBytesScannedCutoffGiB: 50 } }),
    // LogArchive passes its athena settings to ArchiveAthena, which checks them.
    propPath: "settings.huntingBytesScannedCutoffGiB",
    props: (p) => (p.athena = { ...p.athena!, bytesScannedCutoffGiB: 100, huntingBytesScannedCutoffGiB: 50 }),
  },
  "config-without-object-lock": {
    registryPath: "sources.config.enabled",
    registry: (r) => {
      r.archive = { objectLock: { mode: "GOVERNANCE", days: 30 } };
      r.sources = { config: { enabled: true } };
    },
    propPath: "directSources.configRecorderRole",
    props: (p) => {
      p.archive = { ...p.archive, objectLock: { mode: "GOVERNANCE", days: 30 } };
      p.directSources = { ...p.directSources, configRecorderRole: "aws-controltower-ConfigRecorderRole" };
    },
  },
  "tamper-needs-alarms": {
    registryPath: "monitoring.tamper.enabled",
    registry: (r) => (r.monitoring = { tamper: { enabled: true }, alarms: { enabled: false } }),
    propPath: "tamper",
    props: (p) => {
      p.tamper = {};
      p.alarms = false;
      p.deliveryWatch = undefined;
    },
  },
  "notify-siem-admitted-source": {
    registryPath: "sources.notifySiem[0]",
    registry: (r) => (r.sources = { notifySiem: ["config"] }),
    propPath: "directSources.notifySiem[0]",
    props: (p) => (p.directSources = { ...p.directSources, notifySiem: ["config"] }),
  },
  "sentinel-queue-per-prefix": {
    registryPath: "siem.queues",
    registry: (r) => {
      r.siem = { sentinel: { workspaceId: SENTINEL_WORKSPACE } };
      r.sources = { vpcFlowLogs: { enabled: true }, notifySiem: ["vpc-flow-logs"] };
    },
    propPath: "siem.queuePerPrefix",
    props: (p) => {
      p.siem = { ...p.siem, sentinel: { workspaceId: SENTINEL_WORKSPACE } };
      p.directSources = { ...p.directSources, vpcFlowLogs: true, notifySiem: ["vpc-flow-logs"] };
    },
  },
  "siem-visibility-timeout": {
    registryPath: "siem.visibilityTimeoutSeconds",
    registry: (r) => (r.siem = { visibilityTimeoutSeconds: 43201 }),
    propPath: "siem.visibilityTimeoutSeconds",
    props: (p) => (p.siem = { ...p.siem, visibilityTimeoutSeconds: 43201 }),
  },
  "siem-message-retention": {
    registryPath: "siem.messageRetentionSeconds",
    registry: (r) => (r.siem = { messageRetentionSeconds: 1209600 }),
    propPath: "siem.messageRetentionSeconds",
    props: (p) => (p.siem = { ...p.siem, messageRetentionSeconds: 1209600 }),
  },
  "search-domain-here": {
    registryPath: "search.domainArn",
    registry: (r) => searchRegistry(r, { domainArn: OTHER_DOMAIN }),
    propPath: "search.domainArn",
    props: (p) => searchProps(p, { domainArn: OTHER_DOMAIN }),
  },
  "search-reads-central-kinesis": {
    registryPath: "search.enabled",
    registry: (r) => {
      r.accounts[0] = { ...r.accounts[0], delivery: "central" };
      r.search = { enabled: true, domainArn: DOMAIN };
    },
    propPath: "search",
    props: (p) => {
      p.central = { regions: ["eu-west-1"] };
      p.search = { domainArn: DOMAIN, principals: [] };
    },
  },
  "search-administrator-not-principal": {
    registryPath: "search.administrators[0]",
    registry: (r) => searchRegistry(r, { principals: [ARCHIVE_ADMIN], administrators: [ARCHIVE_ADMIN] }),
    propPath: "search.administrators[0]",
    props: (p) => searchProps(p, { principals: [ARCHIVE_ADMIN], administrators: [ARCHIVE_ADMIN] }),
  },
  "search-administrator-of-owner": {
    registryPath: "search.administrators[0]",
    registry: (r) => searchRegistry(r, { administrators: [SOURCE_ADMIN] }),
    propPath: "search.administrators[0]",
    props: (p) => searchProps(p, { administrators: [SOURCE_ADMIN] }),
  },
};

const SOURCE_CASES: Record<LogSourceRule, SourceCase> = {
  "iam-propagation-seconds": {
    registryPath: "deployment.iamPropagationSeconds",
    registry: (r) => (r.deployment = { iamPropagationSeconds: 601 }),
    propPath: "iamPropagationSeconds",
    props: (p) => (p.iamPropagationSeconds = 601),
  },
  "heartbeat-retention": {
    registryPath: "monitoring.heartbeat.retentionDays",
    registry: (r) => (r.monitoring = { heartbeat: { retentionDays: 31 } }),
    propPath: "heartbeat.retentionDays",
    props: (p) => (p.heartbeat = { ...p.heartbeat!, retentionDays: 31 }),
  },
  "firehose-error-log-retention": {
    registryPath: "defaults.firehose.errorLogRetentionDays",
    registry: (r) => (r.defaults = { firehose: { errorLogRetentionDays: 31 } }),
    propPath: "firehose.errorLogRetentionDays",
    props: (p) => (p.firehose = { ...p.firehose!, errorLogRetentionDays: 31 }),
  },
  "heartbeat-not-in-subscription": {
    registryPath: "accounts[0].subscription.excludeLogGroups[0]",
    registry: (r) =>
      (r.accounts[0] = { ...r.accounts[0], subscription: { excludeLogGroups: [heartbeatLogGroup("cwl-archive")] } }),
    propPath: "subscription.excludeLogGroups[0]",
    props: (p) => (p.subscription = { ...p.subscription, excludeLogGroups: [heartbeatLogGroup("cwl-archive")] }),
  },
  "listed-not-pipeline-log-group": {
    registryPath: "accounts[0].subscription.logGroups[0].name",
    registry: (r) =>
      (r.accounts[0] = {
        ...r.accounts[0],
        subscription: { mode: "listed", logGroups: [{ name: STREAM_ERROR_LOG_GROUP, regions: ["eu-west-1"] }] },
      }),
    propPath: "subscription.logGroups[0].name",
    props: (p) =>
      (p.subscription = {
        ...p.subscription,
        mode: "listed",
        logGroups: [{ name: STREAM_ERROR_LOG_GROUP, regions: ["eu-west-1"] }],
      }),
  },
  "selection-criteria-size": {
    registryPath: "accounts[0].subscription.excludeLogGroups",
    registry: (r) => (r.accounts[0] = { ...r.accounts[0], subscription: { excludeLogGroups: MANY_LOG_GROUPS } }),
    propPath: "subscription.excludeLogGroups",
    props: (p) => (p.subscription = { ...p.subscription, excludeLogGroups: MANY_LOG_GROUPS }),
  },
  "central-without-message-extraction": {
    registryPath: "accounts[0].firehose.messageExtraction",
    registry: (r) => (r.accounts[0] = { ...r.accounts[0], delivery: "central", firehose: { messageExtraction: true } }),
    propPath: "firehose.messageExtraction",
    props: (p) => {
      p.delivery = "central";
      p.firehose = { ...p.firehose!, messageExtraction: true };
    },
  },
  "listed-needs-log-groups": {
    registryPath: "accounts[0].subscription.logGroups",
    registry: (r) => (r.accounts[0] = { ...r.accounts[0], subscription: { mode: "listed" } }),
    propPath: "subscription.logGroups",
    props: (p) => (p.subscription = { ...p.subscription, mode: "listed", logGroups: [] }),
  },
  "vpc-id": {
    registryPath: "accounts[0].vpcFlowLogs[0].vpcId",
    registry: (r) => {
      r.sources = { vpcFlowLogs: { enabled: true } };
      r.accounts[0] = { ...r.accounts[0], vpcFlowLogs: [{ region: "eu-west-1", vpcId: "vpc-0123456789" }] };
    },
    propPath: "vpcFlowLogs[0]",
    props: (p) => (p.vpcFlowLogs = ["vpc-0123456789"]),
  },
  "heartbeat-interval": {
    registryPath: "monitoring.heartbeat.intervalMinutes",
    registry: (r) => (r.monitoring = { heartbeat: { intervalMinutes: 61 } }),
    propPath: "heartbeat.intervalMinutes",
    props: (p) => (p.heartbeat = { ...p.heartbeat!, intervalMinutes: 61 }),
  },
  "firehose-buffering-size": {
    registryPath: "defaults.firehose.bufferingSizeMiB",
    registry: (r) => (r.defaults = { firehose: { bufferingSizeMiB: 129 } }),
    propPath: "firehose.bufferingSizeMiB",
    props: (p) => (p.firehose = { ...p.firehose!, bufferingSizeMiB: 129 }),
  },
  "firehose-buffering-interval": {
    registryPath: "defaults.firehose.bufferingIntervalSeconds",
    registry: (r) => (r.defaults = { firehose: { bufferingIntervalSeconds: 901 } }),
    propPath: "firehose.bufferingIntervalSeconds",
    props: (p) => (p.firehose = { ...p.firehose!, bufferingIntervalSeconds: 901 }),
  },
};

const DOMAIN = "arn:aws:es:eu-west-1:111111111111:domain/logs";
const ARCHIVE_KEY = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
/** A log group the source's own pipeline writes to (its stream's error log group), other than the heartbeat's. */
const STREAM_ERROR_LOG_GROUP = pipelineLogGroups("cwl-archive", "222222222222", "eu-west-1").find(
  (name) => name !== heartbeatLogGroup("cwl-archive"),
)!;
/** 200 names of 150 characters: more than the 25,000 bytes of selection criteria CloudWatch Logs accepts. */
const MANY_LOG_GROUPS = Array.from({ length: 200 }, (_, i) => `/aws/lambda/${String(i).padStart(138, "x")}`);
const OTHER_DOMAIN = "arn:aws:es:eu-west-1:222222222222:domain/logs";
const ARCHIVE_ADMIN = "arn:aws:iam::111111111111:role/search-admin";
const SOURCE_ADMIN = "arn:aws:iam::222222222222:role/search-admin";

/** Search delivery on the central Kinesis stream of the archive's Region, plus `search`. */
function searchRegistry(r: RawRegistry, search: Record<string, unknown>): void {
  r.accounts[0] = { ...r.accounts[0], delivery: "central" };
  r.central = { kinesisStream: { enabled: true } };
  r.search = { enabled: true, domainArn: DOMAIN, ...search };
}
function searchProps(p: Mutable<LogArchiveProps>, search: Record<string, unknown>): void {
  p.central = { regions: ["eu-west-1"], stream: { kinesisStream: { enabled: true } } };
  p.search = { domainArn: DOMAIN, principals: [], ...search };
}

const SENTINEL_WORKSPACE = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";
const OTHER_REGION_KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** Who owns a number the registry's schema bounds: a construct's rule (with its range), or the registry alone. */
type BoundOwner = { readonly rule: RegistryRule; readonly range?: IntegerRange } | { readonly registryOnly: string };

const archiveBound = (rule: keyof typeof LOG_ARCHIVE_RANGES): BoundOwner => ({
  rule,
  range: LOG_ARCHIVE_RANGES[rule].range,
});
/** A CloudWatch Logs retention: a set of values, not a range. */
const retention = (rule: LogSourceRule): BoundOwner => ({ rule });

/**
 * Every number the registry's schema bounds (walked from the schema by
 * schemaBounds, so a new bound fails the test below until it is listed here),
 * with the construct rule that owns it: the construct's range must be the
 * schema's, and the rule has a parity case above.
 */
const REGISTRY_BOUNDS: Record<string, BoundOwner> = {
  "archive.retentionDays": archiveBound("archive-retention-days"),
  "archive.noncurrentVersionRetentionDays": archiveBound("archive-noncurrent-retention-days"),
  "archive.transitions[].days": archiveBound("archive-transition-days"),
  "archive.abortIncompleteMultipartUploadDays": archiveBound("archive-abort-multipart-days"),
  "archive.objectLock.days": archiveBound("archive-object-lock-days"),
  "archive.accessLogRetentionDays": archiveBound("archive-access-log-retention-days"),
  "siem.visibilityTimeoutSeconds": archiveBound("siem-visibility-timeout"),
  "siem.messageRetentionSeconds": archiveBound("siem-message-retention"),
  "siem.maxReceiveCount": archiveBound("siem-max-receive-count"),
  "monitoring.alarms.freshnessMarginSeconds": archiveBound("alarms-freshness-margin"),
  "monitoring.alarms.silenceMinutes": archiveBound("alarms-silence"),
  "monitoring.alarms.queueAgeAlarmSeconds": archiveBound("alarms-queue-age"),
  "monitoring.alarms.watch.intervalMinutes": archiveBound("watch-interval"),
  "monitoring.alarms.watch.reminderHours": archiveBound("watch-reminder"),
  "monitoring.alarms.watch.heartbeatOnlyHours": archiveBound("watch-heartbeat-only"),
  "monitoring.heartbeat.intervalMinutes": { rule: "heartbeat-interval", range: HEARTBEAT_INTERVAL_MINUTES },
  "monitoring.heartbeat.retentionDays": retention("heartbeat-retention"),
  "monitoring.athena.dailyScanAlarmGiB": archiveBound("athena-daily-scan-alarm"),
  "monitoring.athena.huntingDailyScanAlarmGiB": archiveBound("athena-hunting-daily-scan-alarm"),
  "monitoring.athena.resultsRetentionDays": archiveBound("athena-results-retention"),
  "monitoring.athena.bytesScannedCutoffGiB": archiveBound("athena-cutoff"),
  "monitoring.athena.huntingBytesScannedCutoffGiB": archiveBound("athena-hunting-cutoff"),
  "central.bufferingSizeMiB": archiveBound("central-buffering-size"),
  "central.bufferingIntervalSeconds": archiveBound("central-buffering-interval"),
  "central.kinesisStream.shards": archiveBound("central-kinesis-shards"),
  "central.activePartitionQuota": archiveBound("central-partition-quota"),
  "search.retryDurationSeconds": archiveBound("search-retry-duration"),
  "guardrails.maxPoliciesPerTarget": { rule: "max-policies-per-target", range: MAX_POLICIES_PER_TARGET },
  "defaults.firehose.bufferingSizeMiB": { rule: "firehose-buffering-size", range: FIREHOSE_BUFFERING_SIZE_MIB },
  "defaults.firehose.bufferingIntervalSeconds": {
    rule: "firehose-buffering-interval",
    range: FIREHOSE_BUFFERING_INTERVAL_SECONDS,
  },
  "defaults.firehose.errorLogRetentionDays": retention("firehose-error-log-retention"),
  "deployment.iamPropagationSeconds": { rule: "iam-propagation-seconds", range: IAM_PROPAGATION_SECONDS },
  "accounts[].firehose.bufferingSizeMiB": { rule: "firehose-buffering-size", range: FIREHOSE_BUFFERING_SIZE_MIB },
  "accounts[].firehose.bufferingIntervalSeconds": {
    rule: "firehose-buffering-interval",
    range: FIREHOSE_BUFFERING_INTERVAL_SECONDS,
  },
  "accounts[].firehose.errorLogRetentionDays": retention("firehose-error-log-retention"),
};

/** Guardrails on, valid: OrganizationGuardrails's bound is checked through the app's own mapping. */
function guardrailsRegistry(r: RawRegistry): void {
  r.guardrails = {
    enabled: true,
    managementAccountId: "333333333333",
    targetIds: ["ou-ab12-cd34ef56"],
    breakGlassRoleName: "BreakGlass",
  };
  r.deployment = { managementAccount: { credentials: "assumeRole", roleName: "Deploy" } };
}

/** The message of the registry's line at `path` (after `test.yaml: <path>: `). */
function registryMessage(edit: (raw: RawRegistry) => void, path: string): string {
  const prefix = `test.yaml: ${path}: `;
  const lines = errorsFor(edit).filter((line) => line.startsWith(prefix));
  expect(lines).toHaveLength(1);
  return lines[0]!.slice(prefix.length);
}

/** The message of the construct's line for `propPath` (after `<Construct> <node path>: <propPath>: `). */
function constructMessage(build: (stack: TerraformStack) => void, propPath: string): string {
  let message = "";
  try {
    build(new TerraformStack(new App(), "test"));
  } catch (error) {
    message = (error as Error).message;
  }
  const marker = `: ${propPath}: `;
  const lines = message.split("\n").filter((line) => line.includes(marker));
  expect(lines).toHaveLength(1);
  return lines[0]!.slice(lines[0]!.indexOf(marker) + marker.length);
}

describe("registry and construct parity", () => {
  test("every rule the constructs enforce has a parity case (and no case names a rule they do not have)", () => {
    expect(Object.keys(ARCHIVE_CASES).sort()).toEqual([...LOG_ARCHIVE_RULE_IDS].sort());
    expect(Object.keys(SOURCE_CASES).sort()).toEqual([...LOG_SOURCE_RULE_IDS].sort());
  });

  test.each(Object.entries(ARCHIVE_CASES))("LogArchive refuses what the registry refuses: %s", (_rule, c) => {
    const props = { ...logArchiveProps(registryWith()) } as Mutable<LogArchiveProps>;
    c.props(props);
    expect(constructMessage((stack) => new LogArchive(stack, "Archive", props), c.propPath)).toBe(
      registryMessage(c.registry, c.registryPath),
    );
  });

  test.each(Object.entries(SOURCE_CASES))("LogSource refuses what the registry refuses: %s", (_rule, c) => {
    const registry = registryWith();
    const props = { ...logSourceProps(registry, registry.accounts[0]!, "eu-west-1") } as Mutable<LogSourceProps>;
    c.props(props);
    expect(constructMessage((stack) => new LogSource(stack, "Source", props), c.propPath)).toBe(
      registryMessage(c.registry, c.registryPath),
    );
  });

  test("fails loudly for a construct rule whose prop the registry has no place for (a rule added without its mapping)", () => {
    const rule = "new-rule" as LogArchiveRule;
    expect(() => registryProblemOf({ rule, path: ["unmapped", "prop"], message: "m" })).toThrow(
      "no registry path for the prop unmapped.prop of rule new-rule",
    );
  });

  test("GIVEN the sample's valid settings THEN neither the registry nor the constructs complain", () => {
    const registry = registryWith();
    const stack = new TerraformStack(new App(), "test");
    expect(() => new LogArchive(stack, "Archive", logArchiveProps(registry))).not.toThrow();
    expect(
      () => new LogSource(stack, "Source", logSourceProps(registry, registry.accounts[0]!, "eu-west-1")),
    ).not.toThrow();
  });
  test("every number the registry's schema bounds is a construct's bound, with the same range, or the registry's own", () => {
    const bounds = schemaBounds(registrySchema);
    expect(bounds.map((b) => b.path).sort()).toEqual(Object.keys(REGISTRY_BOUNDS).sort());
    for (const bound of bounds) {
      const owner = REGISTRY_BOUNDS[bound.path]!;
      if ("registryOnly" in owner) {
        expect(owner.registryOnly.length).toBeGreaterThan(20);
        continue;
      }
      if (owner.range) {
        expect([bound.path, bound.min, bound.max]).toEqual([bound.path, owner.range.min, owner.range.max]);
      } else {
        expect([bound.path, bound.values]).toEqual([bound.path, true]);
      }
    }
  });

  test("every bound a construct owns is one of the registry's (no construct bound the registry forgets)", () => {
    const owned = new Set(Object.values(REGISTRY_BOUNDS).flatMap((owner) => ("rule" in owner ? [owner.rule] : [])));
    for (const rule of Object.keys(LOG_ARCHIVE_RANGES)) expect(owned).toContain(rule);
  });

  test("the registry's own rules are not the constructs', and each says why no construct can check it", () => {
    const constructRules = new Set<string>([
      ...LOG_ARCHIVE_RULE_IDS,
      ...LOG_SOURCE_RULE_IDS,
      ...LOG_KEYS_RULE_IDS,
      ...ORGANIZATION_GUARDRAILS_RULE_IDS,
    ]);
    for (const [rule, reason] of Object.entries(REGISTRY_ONLY_RULES)) {
      expect([rule, constructRules.has(rule)]).toEqual([rule, false]);
      expect(reason.length).toBeGreaterThan(20);
    }
  });

  test.each([...Object.entries(ARCHIVE_CASES), ...Object.entries(SOURCE_CASES)])(
    "the registry reports %s under the construct's rule id, and every problem it reports has a known rule",
    (rule, c) => {
      const raw = minimalRaw();
      c.registry(raw);
      const parsed = registrySchema.safeParse(raw);
      const known = new Set<string>([
        ...LOG_ARCHIVE_RULE_IDS,
        ...LOG_SOURCE_RULE_IDS,
        ...Object.keys(REGISTRY_ONLY_RULES),
      ]);
      if (!parsed.success) {
        // A bound: the schema refuses it, with the construct's range (test above).
        expect(Object.keys(REGISTRY_BOUNDS).length).toBeGreaterThan(0);
        return;
      }
      const problems = semanticProblems(raw, parsed.data);
      expect(problems.map((p) => p.rule)).toContain(rule);
      for (const problem of problems) expect(known).toContain(problem.rule);
    },
  );

  const GUARDRAILS_CASES: Record<
    (typeof ORGANIZATION_GUARDRAILS_RULE_IDS)[number],
    { registryPath: string; registry: (r: RawRegistry) => void; propPath: string; props: Record<string, unknown> }
  > = {
    "guardrails-targets": {
      registryPath: "guardrails.targetIds",
      registry: (r) => {
        guardrailsRegistry(r);
        (r.guardrails as Record<string, unknown>).targetIds = [];
      },
      propPath: "targetIds",
      props: { targetIds: [] },
    },
    "max-policies-per-target": {
      registryPath: "guardrails.maxPoliciesPerTarget",
      registry: (r) => {
        guardrailsRegistry(r);
        (r.guardrails as Record<string, unknown>).maxPoliciesPerTarget = 5;
      },
      propPath: "maxPoliciesPerTarget",
      props: { maxPoliciesPerTarget: 5 },
    },
  };

  test.each(Object.entries(GUARDRAILS_CASES))(
    "OrganizationGuardrails refuses what the registry refuses: %s",
    (_rule, c) => {
      const props = { ...logGuardrailsProps(registryWith(guardrailsRegistry)), ...c.props };
      expect(constructMessage((stack) => new OrganizationGuardrails(stack, "Guardrails", props), c.propPath)).toBe(
        registryMessage(c.registry, c.registryPath),
      );
    },
  );

  test("LogKeys refuses what the registry refuses: keys-administrators-of-key-account (the only LogKeys rule)", () => {
    expect([...LOG_KEYS_RULE_IDS]).toEqual(["keys-administrators-of-key-account"]);
    const keys = (administrators: string[]) => (r: RawRegistry) =>
      (r.keys = { accountId: "333333333333", administrators });
    const props = {
      ...logKeysProps(registryWith(keys(["arn:aws:iam::333333333333:role/KeyAdmin"]))),
      administrators: ["arn:aws:iam::444444444444:role/KeyAdmin"],
    };
    expect(constructMessage((stack) => new LogKeys(stack, "Keys", props), "administrators[0]")).toBe(
      registryMessage(keys(["arn:aws:iam::444444444444:role/KeyAdmin"]), "keys.administrators[0]"),
    );
  });
});
