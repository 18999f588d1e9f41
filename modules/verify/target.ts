/**
 * What `npm run verify` checks, derived from the registry with the same naming
 * and key-layout functions the stacks use, so that the command looks exactly
 * where the stacks put things. Pure.
 */
import { partitionOf } from "../naming/partition";
import {
  sourceSettings,
  deliveryWatchEnabled,
  searchDeliveryEnabled,
  sourceMonitoringOf,
  accessManagementAccountId,
} from "../registry/settings";
import type { Registry } from "../registry/types";
import {
  archiveNames,
  deliveryWatchNames,
  heartbeatLogGroup,
  sourceNames,
  sourceStackName,
  ARCHIVE_STACK,
  accountRootArn,
} from "../naming/names";
import { trailAccountPrefix } from "../sources/trail/trail-layout";
import { flowLogAccountPrefix } from "../sources/vpc-flow-logs/flow-logs-layout";
import { objectExtension } from "../source/delivery-stream";

/** The source account and Region a run writes its marker into. */
export interface VerifyChoice {
  readonly sourceAccountId: string;
  readonly sourceRegion: string;
}

export interface VerifyTarget {
  readonly organizationId: string;
  readonly prefix: string;
  readonly archiveAccountId: string;
  readonly archiveRegion: string;
  readonly archiveBucket: string;
  readonly archiveBucketArn: string;
  readonly replicaBucket?: string;
  readonly queueName: string;
  readonly siemReaderRole: string;
  readonly siemReaderRoleArn: string;
  /** The ExternalId the reader role demands (siem.externalId, default the organization id). */
  readonly externalId: string;
  readonly sourceAccountId: string;
  readonly sourceRegion: string;
  readonly topology: "perAccount" | "central";
  /** Seconds Firehose may hold the marker before it writes the object. */
  readonly bufferingSeconds: number;
  readonly compression: "GZIP" | "UNCOMPRESSED";
  readonly messageExtraction: boolean;
  /** `.json.gz`, `.log`, ...: what the stream's objects end with. */
  readonly objectExtension: string;
  /** The source's Firehose role (per-account topology; the central topology writes from the log-archive account). */
  readonly deliveryRole?: string;
  readonly deliveryRoleArn?: string;
  readonly subscriptionMode: "all" | "listed";
  /** The account-level policy's filter pattern ("" passes every event). */
  readonly filterPattern: string;
  /** Log groups the source's account-level policy leaves out (the registry's exclusions). */
  readonly excludedLogGroups: readonly string[];
  /** Every other source account of the registry: where a marker must never land. */
  readonly otherAccountIds: readonly string[];
  readonly heartbeat?: { readonly logGroup: string; readonly ruleArn: string; readonly intervalMinutes: number };
  readonly watch?: { readonly eventLogGroup: string; readonly windowMinutes: number };
  /** Alarm name prefix in the source, with per-account alarms (every alarm of the log-archive account starts with `<prefix>-`). */
  readonly sourceAlarmPrefix?: string;
  /** The organization trail's folder of the source account and Region; whether the SIEM reader reads it (`notifySiem: [cloudtrail]`). */
  readonly trail?: { readonly keyPrefix: string; readonly siemReads: boolean };
  /** With `monitoring.athena`: where the log analyst queries the archive. */
  readonly athena?: {
    readonly database: string;
    /** The interactive workgroup. */
    readonly workgroup: string;
    readonly analystRoleArn: string;
  };
  readonly flowLogs?: { readonly keyPrefix: string };
  readonly search: boolean;
  readonly stacks: readonly string[];
  readonly archiveOwnerArn: string;
}

/**
 * The source account a run writes its marker into when --source-account is
 * not given: the first active source account whose subscription sends every
 * log group (`subscription.mode: all`, no filter pattern, so the marker must
 * arrive) and that is neither a management account of the organization
 * (where the trail, guardrails and log-access live) nor the log-archive
 * account. Undefined when none qualifies: then the flag is required.
 */
export function defaultSourceAccount(registry: Registry): Registry["accounts"][number] | undefined {
  const management = new Set(
    [
      accessManagementAccountId(registry),
      registry.guardrails.managementAccountId,
      registry.sources.cloudTrail.managementAccountId,
    ].filter((id): id is string => id !== undefined),
  );
  return registry.accounts.find((account) => {
    if (management.has(account.id) || account.id === registry.logArchive.accountId) return false;
    const { subscription } = sourceSettings(registry, account);
    return subscription.mode === "all" && subscription.filterPattern === "";
  });
}

/** Why a choice does not fit the registry, or undefined. */
export function choiceProblem(registry: Registry, choice: VerifyChoice): string | undefined {
  const account = registry.accounts.find((a) => a.id === choice.sourceAccountId);
  if (!account) {
    const ids = registry.accounts.map((a) => a.id).join(", ");
    return `--source-account ${choice.sourceAccountId} is not an active source account of the registry (${ids})`;
  }
  if (!account.regions.includes(choice.sourceRegion)) {
    return `--source-region ${choice.sourceRegion} is not a Region of account ${account.id} (${account.regions.join(", ")})`;
  }
  return undefined;
}

export function verifyTarget(registry: Registry, choice: VerifyChoice): VerifyTarget {
  const problem = choiceProblem(registry, choice);
  if (problem) throw new Error(problem);
  const account = registry.accounts.find((a) => a.id === choice.sourceAccountId)!;
  const prefix = registry.naming.prefix;
  const { accountId: archiveAccountId, region: archiveRegion } = registry.logArchive;
  const archive = archiveNames({
    prefix,
    archiveAccountId,
    archiveRegion,
    replicaRegion: registry.archive.replicaRegion,
  });
  const settings = sourceSettings(registry, account);
  const source = sourceNames(prefix, account.id, choice.sourceRegion);
  const central = settings.delivery === "central";
  const watched =
    deliveryWatchEnabled(registry) &&
    registry.monitoring.alarms.enabled &&
    sourceMonitoringOf(registry, account) !== "perAccount";
  const perAccountAlarms =
    registry.monitoring.alarms.enabled && sourceMonitoringOf(registry, account) !== "deliveryWatch";
  const trail = registry.sources.cloudTrail;
  const flowLogVpcs = (account.vpcFlowLogs ?? []).filter((v) => v.region === choice.sourceRegion);
  return {
    organizationId: registry.organization.id,
    prefix,
    archiveAccountId,
    archiveRegion,
    archiveBucket: archive.archiveBucket,
    archiveBucketArn: archive.archiveBucketArn,
    replicaBucket: archive.replicaBucket,
    queueName: archive.queue,
    siemReaderRole: archive.siemReaderRole,
    siemReaderRoleArn: archive.siemReaderRoleArn,
    externalId: registry.siem.externalId ?? registry.organization.id,
    sourceAccountId: account.id,
    sourceRegion: choice.sourceRegion,
    topology: central ? "central" : "perAccount",
    bufferingSeconds: central ? registry.central.bufferingIntervalSeconds : settings.firehose.bufferingIntervalSeconds,
    compression: central ? "GZIP" : settings.firehose.compression,
    messageExtraction: central ? false : settings.firehose.messageExtraction,
    objectExtension: central ? ".json.gz" : objectExtension(settings.firehose),
    deliveryRole: central ? undefined : source.deliveryRole,
    deliveryRoleArn: central ? undefined : source.deliveryRoleArn,
    subscriptionMode: settings.subscription.mode,
    filterPattern: settings.subscription.filterPattern,
    excludedLogGroups: settings.subscription.excludeLogGroups,
    otherAccountIds: registry.accounts.map((a) => a.id).filter((id) => id !== account.id),
    heartbeat: registry.monitoring.heartbeat.enabled
      ? {
          logGroup: heartbeatLogGroup(prefix),
          ruleArn: source.heartbeatRuleArn,
          intervalMinutes: registry.monitoring.heartbeat.intervalMinutes,
        }
      : undefined,
    watch: watched
      ? {
          eventLogGroup: deliveryWatchNames(prefix, archiveAccountId, archiveRegion).eventLogGroup,
          windowMinutes: registry.monitoring.alarms.silenceMinutes,
        }
      : undefined,
    sourceAlarmPrefix: perAccountAlarms ? source.alarmNamePrefix : undefined,
    trail:
      trail.enabled && trail.managementAccountId
        ? {
            keyPrefix: trailAccountPrefix(registry.organization.id, account.id, choice.sourceRegion),
            siemReads: registry.sources.notifySiem.includes("cloudtrail"),
          }
        : undefined,
    flowLogs:
      registry.sources.vpcFlowLogs.enabled && flowLogVpcs.length > 0
        ? {
            keyPrefix: flowLogAccountPrefix(account.id, choice.sourceRegion),
          }
        : undefined,
    athena: registry.monitoring.athena.enabled
      ? { database: archive.glueDatabase, workgroup: archive.athenaWorkgroup, analystRoleArn: archive.analystRoleArn }
      : undefined,
    search: searchDeliveryEnabled(registry),
    stacks: [ARCHIVE_STACK, sourceStackName(account.id, choice.sourceRegion)],
    archiveOwnerArn: accountRootArn(archiveAccountId, partitionOf(archiveRegion)),
  };
}
