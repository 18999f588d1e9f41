/**
 * The props of LogArchive and the settings they are made of. They live apart
 * from the construct so that the key policies (key-statements.ts, shared with
 * LogKeys) can depend on them without importing the construct that imports them.
 */
import type { DeliveryWatchProps } from "../monitoring/delivery-watch";
import type { SearchDeliveryProps } from "../search/search-delivery";
import type { DIRECT_SOURCE_ROOTS } from "../sources/direct-sources";
import type { SubscriberProtocol } from "../options/values";
import type { AthenaSettings } from "./athena";
import type { CentralStreamSettings } from "./central-delivery";
import type { AccessLogLifecycleSettings } from "./lifecycle";
import type { ReplicaSettings } from "./replication";
import type { SiemQueueSettings } from "./siem-notifications";

/** The archive bucket and what it shares with its replica. */
export interface ArchiveBucketSettings extends ReplicaSettings, AccessLogLifecycleSettings {
  /** Region of the replica bucket. @default - no replication */
  readonly replicaRegion?: string;
  /** S3 server access logs of the archive (and replica) buckets into a separate bucket per Region. @default true */
  readonly accessLogging: boolean;
  /**
   * Keys that encrypted objects the archive still holds, besides the current
   * archive key (the log-archive account's own key after the keys moved to a
   * key-management account, for instance): the SIEM reader, the log analyst
   * and replication may decrypt with them too, through S3 for the archive only.
   * @default - none
   */
  readonly previousKeyArns?: readonly string[];
}

/** The SIEM's pull interface. */
export interface SiemSettings extends SiemQueueSettings {
  /** Principals allowed to assume the SIEM reader role. @default - the log-archive account */
  readonly readerPrincipals?: readonly string[];
  /**
   * `sts:ExternalId` that principals outside the organization present when
   * they assume the reader role (those inside may omit it).
   * @default - the organization id
   */
  readonly externalId?: string;
  /**
   * IAM roles or users (of any account) that read directly, without assuming
   * the reader role: the bucket, queue and key policies admit them; their own
   * identity policies must allow the same.
   * @default - none
   */
  readonly readers?: readonly string[];
  /**
   * Microsoft Sentinel's web-identity role (`OIDC_<prefix>-sentinel`) for one
   * workspace.
   * @default - no Sentinel role
   */
  readonly sentinel?: { readonly workspaceId: string; readonly createProvider?: boolean };
  /** One queue (and dead-letter queue) per announced prefix. @default false */
  readonly queuePerPrefix?: boolean;
}

/** Alarms of the archive account and of the central streams. */
export interface ArchiveAlarmSettings {
  /** Endpoints subscribed to every alarm topic. @default - none (the topics exist; subscribe later) */
  readonly subscribers: readonly { readonly protocol: SubscriberProtocol; readonly endpoint: string }[];
  /** Central streams: freshness alarms above the buffering interval plus this margin, in seconds. @default 300 */
  readonly freshnessMarginSeconds: number;
  /**
   * Central streams: minutes without an incoming record that mean the chain
   * is broken (a silence alarm only with `heartbeatIntervalMinutes`).
   * @default 30
   */
  readonly silenceMinutes: number;
  /**
   * Central streams: minutes between the heartbeats the sources write into
   * them. Only with a heartbeat do the central streams get a silence alarm
   * (without one, a quiet Region would keep it in ALARM for ever).
   * @default - no heartbeat: no silence alarm on the central streams
   */
  readonly heartbeatIntervalMinutes?: number;
  /** Age of the oldest unread SIEM notification that means the SIEM has stalled, in seconds. @default 3600 */
  readonly queueAgeAlarmSeconds: number;
}

/** Athena over the archive. */
export interface ArchiveAthenaSettings extends AthenaSettings {
  /** Principals allowed to assume the log-analyst role (members of the organization). @default - the log-archive account */
  readonly analystPrincipals?: readonly string[];
  /** Principals allowed to assume the log-hunter role (the hunting workgroup). @default - the analyst principals */
  readonly hunterPrincipals?: readonly string[];
  /**
   * With `alarms`: alarm when the interactive workgroup's queries scan more
   * than this many GiB in a day (UTC).
   * @default 100 (LOG_ARCHIVE_DEFAULTS.athena)
   */
  readonly dailyScanAlarmGiB?: number;
  /** The same for the hunting workgroup. @default 10240 (LOG_ARCHIVE_DEFAULTS.athena) */
  readonly huntingDailyScanAlarmGiB?: number;
  /**
   * Accounts every table projects (the registry's, active and retired); the
   * log-archive and management accounts are added, and accounts with a
   * folder in the archive are discovered when log-archive is planned.
   * @default - none besides those (in LogArchive)
   */
  readonly knownAccountIds: readonly string[];
  /** List the archive's account folders when planning (see ArchiveAthenaProps). @default true */
  readonly discoverAccounts?: boolean;
  /** Regions where Firehose writes CloudWatch Logs (the sources' and central streams'). @default - the archive's Region (in LogArchive) */
  readonly regions: readonly string[];
  /** Regions AWS services may write from. @default - every Region of the archive's partition */
  readonly serviceRegions?: readonly string[];
}

/** AWS services that deliver straight to the archive, each under its own prefix. */
export interface DirectSourceSettings {
  /** The organization trail admitted under cloudtrail/. @default - no CloudTrail */
  readonly trail?: { readonly arn: string; readonly managementAccountId: string };
  /** Name of the AWS Config recorder role in every account. @default - no AWS Config */
  readonly configRecorderRole?: string;
  /** Admit VPC Flow Logs of the organization under vpc-flow-logs/. @default false */
  readonly vpcFlowLogs?: boolean;
  /** Name pattern (with `*`) of log agents' roles admitted under agents/<account>/. @default - no agents */
  readonly agentRolePattern?: string;
  /** Direct sources whose new objects the SIEM queue announces too. @default - none */
  readonly notifySiem?: readonly (keyof typeof DIRECT_SOURCE_ROOTS)[];
  /**
   * Settings of direct sources registered beyond the built-in ones (see
   * modules/sources/registered-sources.ts), by registryKey: each source reads its
   * own, in the shape of its registry section.
   * @default - none
   */
  readonly sections?: Readonly<Record<string, unknown>>;
}

/** The central-destination topology: a destination and a stream per source Region. */
export interface CentralTopologySettings {
  /** Source Regions served centrally. */
  readonly regions: readonly string[];
  /** Buffering and the optional Kinesis stream of every central stream. */
  readonly stream: CentralStreamSettings;
  /** Active partitions each central stream may hold (the partition alarms' quota). */
  readonly activePartitionQuota: number;
  /** Retention of the central streams' error log groups, in days. */
  readonly errorLogRetentionDays: number;
}

export interface LogArchiveProps {
  /**
   * The log-archive account.
   * @default - the account of the enclosing stack's AWS provider (the `aws_caller_identity` data source, read when planning)
   */
  readonly accountId?: string;
  /**
   * Region of the archive bucket, queue and keys: the enclosing stack's
   * provider Region. A literal, not the provider's token: which Region hosts
   * IAM's event rules (us-east-1), whether a replica or a central stream is
   * in this Region, and which Regions get a resource of their own are
   * decided when synthesising.
   */
  readonly region: string;
  /** AWS Organization id: only its principals may write. */
  readonly organizationId: string;
  /** Prefix of every physical name. @default "cwl-archive" */
  readonly namePrefix?: string;
  /**
   * Retention, tiers, Object Lock, replication and access logging of the
   * archive; each setting left out takes its default.
   * @default LOG_ARCHIVE_DEFAULTS.archive: 2557-day retention, noncurrent versions 365 days, STANDARD_IA at 30 days, GLACIER_IR at 90, DEEP_ARCHIVE at 365, objects under 128 KB stay in Standard, multipart uploads aborted after 7 days, access logging on (2557 days), no Object Lock, no replica
   */
  readonly archive?: Partial<ArchiveBucketSettings>;
  /**
   * The SIEM's queue and reader role; each setting left out takes its default.
   * @default LOG_ARCHIVE_DEFAULTS.siem: 300 s visibility timeout, 4 days' retention, 10 receives before the dead-letter queue, one queue; the reader role trusts the log-archive account with the organization id as ExternalId
   */
  readonly siem?: Partial<SiemSettings>;
  /**
   * Alarms to encrypted topics (`false` for none); each setting left out takes its default.
   * @default LOG_ARCHIVE_DEFAULTS.alarms: on, no subscribers, 300 s freshness margin, 30 silent minutes, SIEM notifications older than 3600 s
   */
  readonly alarms?: Partial<ArchiveAlarmSettings> | false;
  /**
   * Glue tables, Athena workgroups and the log-analyst and log-hunter roles
   * (`false` for none); each setting left out takes its default.
   * @default LOG_ARCHIVE_DEFAULTS.athena: on, results kept 30 days, queries cancelled above 10 GiB (hunting 4096 GiB), scan alarms above 100 GiB a day (hunting 10240 GiB), accounts discovered when planning, this Region's streams
   */
  readonly athena?: Partial<ArchiveAthenaSettings> | false;
  /** AWS services writing straight to the archive. @default - none */
  readonly directSources?: DirectSourceSettings;
  /**
   * The central-destination topology: its Regions, each setting left out taking its default.
   * @default - none (with `regions`: LOG_ARCHIVE_DEFAULTS.central, 64 MiB / 300 s buffering, no Kinesis stream, 500 active partitions, error log kept 365 days)
   */
  readonly central?: CentralTopologyOptions;
  /**
   * The delivery watch: names every source account and Region whose
   * CloudWatch Logs stop reaching the archive, from the archive side. Needs
   * `alarms` (it publishes to their topic).
   * @default - no delivery watch
   */
  readonly deliveryWatch?: DeliveryWatchSettings;
  /**
   * Search delivery: the central Kinesis stream of this Region also indexed
   * into an OpenSearch Service domain of this account and Region.
   * @default - no search delivery
   */
  readonly search?: SearchOptions;
  /**
   * Keys held in a key-management account (LogKeys there): their ARNs,
   * which this construct uses instead of creating the archive, replica and
   * SIEM queue keys.
   * @default - the keys are created here, in the log-archive account
   */
  readonly keys?: ExternalKeys;
  /**
   * Tamper detection's collection point and this account's watch: the tamper
   * bus (principals of the organization may put events on it) whose rule
   * notifies the alarm topic, and the detection of changes to the archive's
   * buckets and to the keys and rules held here. Needs `alarms`.
   * `false` for none.
   * @default - on when alarms are (every watched call notifies), off without alarms
   */
  readonly tamper?: ArchiveTamperSettings | false;
}

/** LogArchiveProps with every default filled in: what LogArchive builds from. */
export interface ResolvedLogArchiveProps extends Omit<
  LogArchiveProps,
  "accountId" | "archive" | "siem" | "alarms" | "athena" | "tamper" | "central" | "search"
> {
  readonly central?: CentralTopologySettings;
  readonly search?: SearchSettings;
  readonly accountId: string;
  readonly archive: ArchiveBucketSettings;
  readonly siem: SiemSettings;
  readonly alarms?: ArchiveAlarmSettings;
  readonly athena?: ArchiveAthenaSettings;
  readonly tamper?: ArchiveTamperSettings;
}

/**
 * Props that give every value (the registry's mapping): a part switched off
 * is `false`, never left out, since left out means its default.
 */
export type CompleteLogArchiveProps = Omit<ResolvedLogArchiveProps, "alarms" | "athena" | "tamper"> & {
  readonly alarms: ArchiveAlarmSettings | false;
  readonly athena: ArchiveAthenaSettings | false;
  readonly tamper: ArchiveTamperSettings | false;
};

/** Tamper detection in the log-archive account. */
export interface ArchiveTamperSettings {
  /**
   * IAM role ARNs whose configuration calls do not notify: the role the
   * stacks are applied with. Destructive calls notify whoever the caller.
   * @default - none: every watched call notifies
   */
  readonly exemptRoleArns?: readonly string[];
}

/** The central topology as LogArchive takes it: the Regions, and any setting to change. */
export interface CentralTopologyOptions {
  /** Source Regions served centrally. */
  readonly regions: readonly string[];
  /** @default LOG_ARCHIVE_DEFAULTS.central.stream */
  readonly stream?: Partial<Omit<CentralStreamSettings, "kinesisStream">> & {
    readonly kinesisStream?: Partial<CentralStreamSettings["kinesisStream"]>;
  };
  /** @default 500 */
  readonly activePartitionQuota?: number;
  /** @default 365 */
  readonly errorLogRetentionDays?: number;
}

/** Search delivery as LogArchive takes it: the domain and its principals, and any setting to change. */
export type SearchOptions = Omit<SearchSettings, "indexName" | "indexRotation" | "retryDurationSeconds"> &
  Partial<Pick<SearchSettings, "indexName" | "indexRotation" | "retryDurationSeconds">>;

/** Search delivery (see SearchDeliveryProps). */
export type SearchSettings = Pick<
  SearchDeliveryProps,
  "domainArn" | "indexName" | "indexRotation" | "principals" | "administrators" | "retryDurationSeconds"
>;

/** The archive's keys when a key-management account holds them. */
export interface ExternalKeys {
  /** The key-management account (its alias ARNs name the keys to CloudTrail). */
  readonly accountId: string;
  /** Key ARNs (never alias names: S3 resolves an alias in the requester's account). */
  readonly archiveKeyArn: string;
  /** Required when the archive replicates. */
  readonly replicaKeyArn?: string;
  readonly queueKeyArn: string;
}

/** The delivery watch of the archive (see DeliveryWatchProps). */
export type DeliveryWatchSettings = Pick<
  DeliveryWatchProps,
  "sources" | "silenceMinutes" | "intervalMinutes" | "reminderHours" | "heartbeatIntervalMinutes" | "heartbeatOnlyHours"
>;
