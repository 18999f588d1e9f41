/**
 * The policies of the archive's three keys (archive, replica, SIEM queue),
 * computed once from the archive's props, so that LogArchive (keys in the
 * log-archive account) and LogKeys (keys in a key-management account) grant
 * exactly the same uses.
 */
import {
  archiveNames,
  centralNames,
  type ArchiveNames,
  DEFAULT_NAME_PREFIX,
  iamRoleArn,
  searchNames,
} from "../naming/names";
import { partitionOf } from "../naming/partition";
import { archiveKeyPolicy, queueKeyPolicy, type ArchiveContext } from "../policy/archive-policies";
import type { DirectSourcesContext } from "../policy/direct-source-policies";
import { directSourceKeyStatements } from "../sources/direct-sources";
import type { Statement } from "../policy/document";
import { replicaKeyPolicy, type ReplicationContext } from "../policy/replication-policies";
import type { ResolvedLogArchiveProps as LogArchiveProps, SiemSettings } from "./log-archive-props";

/** What the key policies depend on: the archive, its readers and writers. */
export type ArchiveKeyInputs = Pick<
  LogArchiveProps,
  | "accountId"
  | "region"
  | "organizationId"
  | "namePrefix"
  | "archive"
  | "athena"
  | "directSources"
  | "central"
  | "search"
> &
  /** The SIEM's readers. @default - the reader role only */
  Partial<Pick<LogArchiveProps, "siem">>;

export interface ArchiveKeyStatements {
  readonly archive: Statement[];
  /** Present when the archive replicates. */
  readonly replica?: Statement[];
  readonly queue: Statement[];
}

/** Roles of the log-archive account that read for a SIEM: the reader, and Sentinel's when asked for. */
export function siemReaderRoleArns(names: ArchiveNames, siem?: Pick<SiemSettings, "sentinel">): string[] {
  return [names.siemReaderRoleArn, ...(siem?.sentinel ? [names.sentinelRoleArn] : [])];
}

export function archiveContextOf(props: ArchiveKeyInputs): ArchiveContext {
  const names = namesOf(props);
  return {
    organizationId: props.organizationId,
    archiveAccountId: props.accountId,
    archiveRegion: props.region,
    archiveBucketArn: names.archiveBucketArn,
    deliveryRoleArnPattern: names.deliveryRoleArnPattern,
  };
}

export function directSourcesContextOf(props: ArchiveKeyInputs): DirectSourcesContext {
  const names = namesOf(props);
  return {
    organizationId: props.organizationId,
    archiveRegion: props.region,
    bucketArn: names.archiveBucketArn,
    trail: props.directSources?.trail,
    configRecorderRole: props.directSources?.configRecorderRole,
    vpcFlowLogs: props.directSources?.vpcFlowLogs ?? false,
    agentRolePattern: props.directSources?.agentRolePattern,
    sections: props.directSources?.sections,
  };
}

export function replicationContextOf(props: ArchiveKeyInputs): ReplicationContext | undefined {
  const names = namesOf(props);
  const replicaRegion = props.archive.replicaRegion;
  if (replicaRegion === undefined || !names.replicaBucketArn) return undefined;
  return {
    accountId: props.accountId,
    sourceRegion: props.region,
    sourceBucketArn: names.archiveBucketArn,
    replicaRegion,
    replicaBucketArn: names.replicaBucketArn,
    replicationRoleArn: names.replicationRoleArn,
  };
}

export function archiveKeyStatements(props: ArchiveKeyInputs): ArchiveKeyStatements {
  const names = namesOf(props);
  const prefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
  const context = archiveContextOf(props);
  const replication = replicationContextOf(props);
  const centralRegions = props.central?.regions ?? [];
  return {
    archive: [
      ...archiveKeyPolicy(context, {
        siemReaderRoleArns: siemReaderRoleArns(names, props.siem),
        namedReaders: props.siem?.readers,
        replicationRoleArn: replication ? names.replicationRoleArn : undefined,
        analystRoleArn: props.athena ? names.analystRoleArn : undefined,
        centralFirehoseRoleArns: centralRegions.map((r) =>
          iamRoleArn(props.accountId, centralNames(prefix, props.accountId, r).firehoseRole, partitionOf(r)),
        ),
        searchStreamRoleArn: props.search ? searchNames(prefix, props.accountId, props.region).roleArn : undefined,
      }),
      ...directSourceKeyStatements(directSourcesContextOf(props)),
    ],
    replica: replication ? replicaKeyPolicy(replication) : undefined,
    queue: queueKeyPolicy(context, siemReaderRoleArns(names, props.siem), props.siem?.readers, [
      names.siemOperatorRoleArn,
    ]),
  };
}

function namesOf(props: ArchiveKeyInputs) {
  return archiveNames({
    prefix: props.namePrefix ?? DEFAULT_NAME_PREFIX,
    archiveAccountId: props.accountId,
    archiveRegion: props.region,
    replicaRegion: props.archive.replicaRegion,
  });
}
