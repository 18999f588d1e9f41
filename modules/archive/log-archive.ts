/**
 * Everything the log-archive account holds, as one construct: the archive
 * key and bucket, access logging, replication, the SIEM queue and reader
 * role, Athena, alarms, the admission of AWS services that write straight to
 * the archive, and the central-destination topology. It takes its own props
 * (no registry), so a cdktf app of your own can embed it in any stack; every
 * name and ARN comes from `modules/naming`, so no other stack needs its state.
 *
 * Resources in the replica Region and in central Regions use the provider's
 * per-resource `region` argument: the enclosing stack needs one provider.
 */
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { Token } from "cdktf";
import { LOG_ARCHIVE_DEFAULTS } from "./log-archive-defaults";
import { formatSettingProblem, isAccountIdOrToken, namePrefixProblem, throwIfProblems } from "../constructs/validation";
import {
  oneOfProblems,
  principalArnProblems,
  regionProblems,
  requiredProblems,
  samePartitionProblems,
} from "../constructs/embed-checks";
import { OBJECT_LOCK_MODES } from "../options/values";
import {
  archiveBucketProblems,
  archivePartsProblems,
  archiveRangeProblems,
  keyAccountProblems,
  searchProblems,
} from "./archive-rules";
import { Construct } from "constructs";
import { ProtectedKey } from "../constructs/protected-key";
import { retire, under } from "../constructs/retirement";
import { regionsOf } from "../naming/regions";
import { partitionOf } from "../naming/partition";
import { SecureBucket } from "../constructs/secure-bucket";
import { AlarmTopic } from "../monitoring/alarm-topic";
import { ArchiveAlarms } from "../monitoring/archive-alarms";
import { athenaScanAlarm } from "../monitoring/athena-scan-alarm";
import { DeliveryAlarms } from "../monitoring/delivery-alarms";
import { DeliveryWatch } from "../monitoring/delivery-watch";
import { TamperBus } from "../monitoring/tamper-bus";
import { TamperWatch, withRoleWatches, type TamperWatchRegion } from "../monitoring/tamper-watch";
import { SearchDelivery } from "../search/search-delivery";
import { arn } from "../naming/arn";
import { DATA_ROOT } from "../naming/key-layout";
import {
  accountRootArn,
  archiveNames,
  centralNames,
  deliveryWatchNames,
  DEFAULT_NAME_PREFIX,
  kmsAliasArn,
  s3BucketArn,
  sourceNames,
  type ArchiveNames,
} from "../naming/names";
import { archiveBucketPolicy, keyAdministrators } from "../policy/archive-policies";
import type { AthenaContext } from "../policy/athena-policies";
import { admittedKinds, announcedRoots, directSourceBucketStatements } from "../sources/direct-sources";
import { trailDigestObjectArns } from "../sources/trail/trail-source";
import { alarmsUseKey } from "../policy/monitoring-policies";
import { watchUsesMonitoringKey } from "../policy/watch-policies";
import { tamperBusNames } from "../naming/tamper-names";
import { aliasWatches, bucketWatches, keyWatches, roleWatches, type WatchedKey } from "../policy/tamper-patterns";
import { tamperRulePublishes, tamperRuleUsesKey, type TamperNotifier } from "../policy/tamper-policies";
import { AccessLogBucket, accessLogPrefix } from "./access-log-bucket";
import { ArchiveAthena } from "./athena";
import { CentralDelivery } from "./central-delivery";
import { archiveLifecycleRules } from "./lifecycle";
import { Replication, REPLICATION_RULE_ID } from "./replication";
import { SiemNotifications } from "./siem-notifications";
import { SiemReaderRole } from "./siem-reader-role";
import { SiemOperatorRole } from "./siem-operator-role";
import { SentinelRole } from "./sentinel-role";
import { namedReadersRead } from "../policy/siem-policies";
import {
  archiveContextOf,
  archiveKeyStatements,
  directSourcesContextOf,
  replicationContextOf,
  siemReaderRoleArns,
} from "./key-statements";

import type {
  ArchiveBucketSettings,
  ArchiveAlarmSettings,
  CentralTopologySettings,
  LogArchiveProps,
  ResolvedLogArchiveProps,
} from "./log-archive-props";
// The props are part of this construct's public surface.
export type {
  ArchiveBucketSettings,
  SiemSettings,
  ArchiveAlarmSettings,
  ArchiveAthenaSettings,
  DirectSourceSettings,
  CentralTopologySettings,
  LogArchiveProps,
  ResolvedLogArchiveProps,
  CompleteLogArchiveProps,
  ArchiveTamperSettings,
  CentralTopologyOptions,
  SearchOptions,
  SearchSettings,
  ExternalKeys,
  DeliveryWatchSettings,
} from "./log-archive-props";

/** `props` with LOG_ARCHIVE_DEFAULTS filled in, the account being `accountId` when props leave it out. */
export function resolveLogArchiveProps(props: LogArchiveProps, accountId: string): ResolvedLogArchiveProps {
  const d = LOG_ARCHIVE_DEFAULTS;
  const alarms = props.alarms === false ? undefined : { ...d.alarms, ...props.alarms };
  return {
    ...props,
    accountId: props.accountId ?? accountId,
    archive: { ...d.archive, ...props.archive },
    siem: { ...d.siem, ...props.siem },
    alarms,
    athena: props.athena === false ? undefined : { ...d.athena, regions: [props.region], ...props.athena },
    central: props.central && {
      ...d.central,
      ...props.central,
      stream: {
        ...d.central.stream,
        ...props.central.stream,
        kinesisStream: { ...d.central.stream.kinesisStream, ...props.central.stream?.kinesisStream },
      },
    },
    search: props.search && { ...d.search, ...props.search },
    // Tamper detection notifies the alarm topic: on by default wherever there is one.
    tamper: props.tamper === false ? undefined : (props.tamper ?? (alarms ? {} : undefined)),
  };
}

/** @see https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html */

/** @see https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html */
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

/** What LogArchive checks itself; its parts check the settings they are given. */
/**
 * What the props must be before anything reads them (embed-checks.ts): the
 * required props, known Regions of one partition, the Object Lock mode, and
 * the principal ARNs of the roles' trusts, all in one throw.
 */
function embedProblems(given: LogArchiveProps): string[] {
  const required = requiredProblems(given, ["organizationId", "region"]);
  if (required.length > 0) return required;
  const partition = partitionOf(typeof given.region === "string" ? given.region : "");
  const central = given.central?.regions ?? [];
  const athena = given.athena === false ? undefined : given.athena;
  return [
    ...regionProblems("region", given.region),
    ...regionProblems("archive.replicaRegion", given.archive?.replicaRegion),
    ...central.flatMap((r, i) => regionProblems(`central.regions[${i}]`, r)),
    ...samePartitionProblems({ path: "region", region: given.region }, [
      { path: "archive.replicaRegion", region: given.archive?.replicaRegion },
      ...central.map((r, i) => ({ path: `central.regions[${i}]`, region: r })),
    ]),
    ...oneOfProblems("archive.objectLock.mode", given.archive?.objectLock?.mode, OBJECT_LOCK_MODES),
    ...principalArnProblems("siem.readerPrincipals", given.siem?.readerPrincipals, partition),
    ...principalArnProblems("siem.readers", given.siem?.readers, partition),
    ...principalArnProblems("athena.analystPrincipals", athena?.analystPrincipals, partition),
    ...principalArnProblems("athena.hunterPrincipals", athena?.hunterPrincipals, partition),
  ];
}

function logArchiveProblems(props: ResolvedLogArchiveProps): string[] {
  const problems: string[] = [];
  const prefix = namePrefixProblem(props.namePrefix);
  if (prefix) problems.push(prefix);
  if (!isAccountIdOrToken(props.accountId)) {
    problems.push(`accountId: expected a 12-digit AWS account id, got ${JSON.stringify(props.accountId)}`);
  }
  // Only principals of this organization may write: a malformed id admits nobody.
  if (!Token.isUnresolved(props.organizationId) && !ORGANIZATION_ID.test(props.organizationId)) {
    problems.push(
      `organizationId: expected "o-" and 10 to 32 lowercase letters or digits, got ${JSON.stringify(props.organizationId)}`,
    );
  }
  if (props.keys && props.archive.replicaRegion !== undefined && props.keys.replicaKeyArn === undefined) {
    problems.push(
      "keys.replicaKeyArn: expected the replica key's ARN: the archive replicates to archive.replicaRegion",
    );
  }
  if (props.keys && !isAccountIdOrToken(props.keys.accountId)) {
    problems.push(`keys.accountId: expected a 12-digit AWS account id, got ${JSON.stringify(props.keys.accountId)}`);
  }
  if (props.search !== undefined) {
    const centralKinesisHere =
      props.central?.regions.includes(props.region) === true && props.central.stream.kinesisStream.enabled;
    problems.push(
      ...searchProblems(props.search, { accountId: props.accountId, region: props.region, centralKinesisHere }).map(
        formatSettingProblem,
      ),
    );
  }
  if (props.deliveryWatch !== undefined && props.alarms === undefined) {
    problems.push("deliveryWatch: expected alarms as well: the watch publishes to the archive's alarm topic");
  }
  problems.push(
    ...[
      ...archiveRangeProblems(props),
      ...keyAccountProblems(props.accountId, props.keys?.accountId),
      ...archiveBucketProblems(props.archive, props.region),
      ...archivePartsProblems({
        config: props.directSources?.configRecorderRole !== undefined,
        objectLock: props.archive.objectLock !== undefined,
        tamper: props.tamper !== undefined,
        alarms: props.alarms !== undefined,
        // A source is admitted when the bucket policy lets it write.
        admitted: admittedKinds(directSourcesContextOf(props)),
        notifySiem: props.directSources?.notifySiem ?? [],
        sentinel: props.siem.sentinel !== undefined,
        queuePerPrefix: props.siem.queuePerPrefix === true,
      }),
    ].map(formatSettingProblem),
  );
  return problems;
}

export class LogArchive extends Construct {
  /** Physical names of everything here. */
  readonly names: ArchiveNames;
  /** The archive key, when this construct creates it (no key-management account). */
  readonly archiveKey?: ProtectedKey;
  /** ARN of the archive key, here or in the key-management account. */
  readonly archiveKeyArn: string;
  readonly archiveBucket: SecureBucket;
  readonly notifications: SiemNotifications;
  readonly reader: SiemReaderRole;
  /** Replays and redrives the SIEM queues; the log-archive account's administrators assume it. */
  readonly operator: SiemOperatorRole;
  readonly sentinel?: SentinelRole;
  readonly replication?: Replication;
  readonly athena?: ArchiveAthena;
  readonly monitoringKey?: ProtectedKey;
  readonly alarmTopic?: AlarmTopic;
  readonly deliveryWatch?: DeliveryWatch;
  readonly tamperBus?: TamperBus;
  readonly tamperWatch?: TamperWatch;
  readonly search?: SearchDelivery;
  readonly centralDeliveries: CentralDelivery[] = [];
  /** The log-archive account (the provider's, as a token, unless props name it). */
  readonly accountId: string;
  readonly region: string;
  /** Prefix of every physical name; a LogSource pointed at this archive takes it. */
  readonly namePrefix: string;
  /** The account that holds the archive key, when a key-management account does. */
  readonly keyAccountId?: string;
  private readonly prefix: string;

  constructor(scope: Construct, id: string, given: LogArchiveProps) {
    super(scope, id);
    throwIfProblems("LogArchive", this, embedProblems(given));
    const props = resolveLogArchiveProps(
      given,
      given.accountId ?? new DataAwsCallerIdentity(this, "Account").accountId,
    );
    const problems = logArchiveProblems(props);
    throwIfProblems("LogArchive", this, problems);
    const { archive, siem, accountId, region } = props;
    this.accountId = accountId;
    this.region = region;
    // The archive's partition is its Region's (the registry refuses mixing partitions).
    const partition = partitionOf(region);
    const prefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
    this.prefix = prefix;
    this.namePrefix = prefix;
    this.keyAccountId = props.keys?.accountId;
    const names = archiveNames({
      prefix,
      archiveAccountId: accountId,
      archiveRegion: region,
      replicaRegion: archive.replicaRegion,
    });
    this.names = names;
    const context = archiveContextOf(props);
    const { alarms, athena } = props;
    const notifySiem = props.directSources?.notifySiem ?? [];
    const central = (centralRegion: string) => centralNames(prefix, accountId, centralRegion);
    const direct = directSourcesContextOf(props);
    const siemRoots = [DATA_ROOT, ...announcedRoots(notifySiem)];
    const namedReaders = siem.readers ?? [];
    if (!props.keys) {
      this.archiveKey = new ProtectedKey(this, "ArchiveKey", {
        description: "Encrypts the CloudWatch Logs archive",
        alias: names.archiveKeyAlias,
        statements: archiveKeyStatements(props).archive,
      });
    } else {
      // Objects written before the keys moved stay encrypted with this key: it stays in AWS.
      retire(this, under("ArchiveKey", ProtectedKey.PROTECTED_CHILDREN));
    }
    this.archiveKeyArn = props.keys?.archiveKeyArn ?? this.archiveKey!.arn;
    // The organization trail names the key by its alias ARN (the trail stack
    // cannot know the key id), in the account that holds the key.
    const trailKeyAliasArn = kmsAliasArn(region, props.keys?.accountId ?? accountId, names.archiveKeyAlias);

    const accessLogs = archive.accessLogging
      ? new AccessLogBucket(this, "AccessLogs", {
          bucketName: names.accessLogBucket(region),
          accountId,
          sourceBucketArns: [
            names.archiveBucketArn,
            ...(athena ? [s3BucketArn(names.athenaResultsBucket, partition)] : []),
          ],
          archive,
        })
      : undefined;

    if (!accessLogs) retire(this, under("AccessLogs", AccessLogBucket.PROTECTED_CHILDREN));

    this.archiveBucket = new SecureBucket(this, "ArchiveBucket", {
      bucketName: names.archiveBucket,
      ownerAccountId: accountId,
      encryption: { kmsKeyArn: this.archiveKeyArn },
      policyStatements: [
        ...archiveBucketPolicy(
          context,
          [this.archiveKeyArn, ...(direct.trail ? [trailKeyAliasArn] : [])],
          trailDigestObjectArns(direct),
        ),
        ...directSourceBucketStatements(direct),
        ...namedReadersRead(names.archiveBucketArn, namedReaders, siemRoots),
      ],
      lifecycleRules: archiveLifecycleRules(archive),
      transitionMinimumObjectSize: archive.minimumObjectSizeRule,
      objectLock: archive.objectLock,
      accessLogs: accessLogs
        ? { targetBucket: accessLogs.bucket.resource.bucket, targetPrefix: accessLogPrefix(names.archiveBucket) }
        : undefined,
    });

    this.notifications = new SiemNotifications(this, "SiemNotifications", {
      context,
      siem,
      names,
      bucketName: this.archiveBucket.resource.bucket,
      extraPrefixes: announcedRoots(notifySiem),
      eventBridge: props.deliveryWatch !== undefined,
      queueKeyArn: props.keys?.queueKeyArn,
      queuePerPrefix: siem.queuePerPrefix,
      readerRoleArns: siemReaderRoleArns(names, siem),
      operatorRoleArns: [names.siemOperatorRoleArn],
      namedReaders,
    });
    const queueArns = this.notifications.queues.flatMap((q) => [q.arn, q.deadLetterArn]);

    const athenaContext: AthenaContext = {
      accountId,
      region,
      archiveBucketArn: names.archiveBucketArn,
      workgroup: names.athenaWorkgroup,
      huntingWorkgroup: names.athenaHuntingWorkgroup,
      database: names.glueDatabase,
      resultsBucketArn: s3BucketArn(names.athenaResultsBucket, partition),
    };
    if (athena) {
      const sourceNamesHere = sourceNames(prefix, accountId, region);
      this.athena = new ArchiveAthena(this, "Athena", {
        context: athenaContext,
        settings: athena,
        archiveBucket: names.archiveBucket,
        archiveBucketReference: this.archiveBucket.resource.bucket,
        archiveKeyArn: this.archiveKeyArn,
        previousArchiveKeyArns: archive.previousKeyArns,
        abortIncompleteMultipartUploadDays: archive.abortIncompleteMultipartUploadDays,
        knownAccountIds: [
          ...new Set([
            accountId,
            ...(direct.trail ? [direct.trail.managementAccountId] : []),
            ...athena.knownAccountIds,
          ]),
        ],
        discoverAccounts: athena.discoverAccounts,
        regions: athena.regions,
        serviceRegions: athena.serviceRegions ?? regionsOf(partition),
        direct: {
          cloudTrailOrganizationId: direct.trail ? props.organizationId : undefined,
          vpcFlowLogs: direct.vpcFlowLogs,
          config: direct.configRecorderRole !== undefined,
          agents: direct.agentRolePattern !== undefined,
          sections: direct.sections,
        },
        heartbeat: { logGroup: sourceNamesHere.heartbeatLogGroup, ruleName: sourceNamesHere.heartbeatRule },
        guardDutyLogGroup: sourceNamesHere.guardDutyLogGroup,
        names,
        analystPrincipals: athena.analystPrincipals ?? [accountRootArn(accountId, partition)],
        hunterPrincipals: athena.hunterPrincipals,
        organizationId: props.organizationId,
        accessLogBucket: accessLogs?.bucket.resource.bucket,
      });
    }

    this.reader = new SiemReaderRole(this, "SiemReader", {
      context,
      roleName: names.siemReaderRole,
      principals: siem.readerPrincipals ?? [accountRootArn(accountId, partition)],
      externalId: siem.externalId ?? props.organizationId,
      organizationId: props.organizationId,
      queueArns,
      archiveKeyArn: this.archiveKeyArn,
      queueKeyArn: this.notifications.keyArn,
      previousArchiveKeyArns: archive.previousKeyArns,
      // No Athena: the reader pulls objects it is notified of; querying is the
      // log-analyst's and log-hunter's (docs/investigating.md).
      readableRoots: siemRoots,
    });
    this.operator = new SiemOperatorRole(this, "SiemOperator", {
      context,
      roleName: names.siemOperatorRole,
      queueArns: this.notifications.queues.map((q) => q.arn),
      deadLetterArns: this.notifications.queues.map((q) => q.deadLetterArn),
      queueKeyArn: this.notifications.keyArn,
      roots: siemRoots,
    });
    if (siem.sentinel) {
      this.sentinel = new SentinelRole(this, "Sentinel", {
        context,
        roleName: names.sentinelRole,
        workspaceId: siem.sentinel.workspaceId,
        createProvider: siem.sentinel.createProvider,
        queueArns,
        archiveKeyArn: this.archiveKeyArn,
        previousArchiveKeyArns: archive.previousKeyArns,
        queueKeyArn: this.notifications.keyArn,
        readableRoots: siemRoots,
      });
    }

    if (archive.replicaRegion !== undefined && names.replicaBucket && names.replicaBucketArn) {
      const replicaAccessLogs = archive.accessLogging
        ? new AccessLogBucket(this, "ReplicaAccessLogs", {
            bucketName: names.accessLogBucket(archive.replicaRegion),
            accountId,
            region: archive.replicaRegion,
            sourceBucketArns: [names.replicaBucketArn],
            archive,
          })
        : undefined;
      this.replication = new Replication(this, "Replication", {
        context: replicationContextOf(props)!,
        archive,
        source: this.archiveBucket,
        sourceKeyArn: this.archiveKeyArn,
        previousSourceKeyArns: archive.previousKeyArns,
        replicaBucketName: names.replicaBucket,
        replicaKeyAlias: names.replicaKeyAlias,
        replicaKeyArn: props.keys?.replicaKeyArn,
        replicationRoleName: names.replicationRole,
        accessLogBucket: replicaAccessLogs?.bucket.resource.bucket,
      });
    }
    // A replica switched off keeps its copies, key and settings in AWS, unmanaged.
    if (!this.replication) retire(this, under("Replication", Replication.PROTECTED_CHILDREN));
    if (!this.node.tryFindChild("ReplicaAccessLogs")) {
      retire(this, under("ReplicaAccessLogs", AccessLogBucket.PROTECTED_CHILDREN));
    }
    if (!this.athena) retire(this, under("Athena", ArchiveAthena.PROTECTED_CHILDREN));

    if (alarms) {
      const scope = { accountId, region, alarmNamePrefix: names.alarmNamePrefix };
      const notifier: TamperNotifier | undefined = props.tamper
        ? { accountId, ruleArn: tamperBusNames(prefix, accountId, region).notifyRuleArn }
        : undefined;
      this.monitoringKey = new ProtectedKey(this, "MonitoringKey", {
        description: "Encrypts the alarm topic of the CloudWatch Logs archive",
        alias: names.monitoringKeyAlias,
        statements: [
          keyAdministrators(accountId, partition),
          alarmsUseKey(scope),
          ...(props.deliveryWatch
            ? watchUsesMonitoringKey({ accountId, region, names: deliveryWatchNames(prefix, accountId, region) })
            : []),
          ...(notifier ? [tamperRuleUsesKey(names.alarmTopicArn)] : []),
        ],
      });
      this.alarmTopic = new AlarmTopic(this, "AlarmTopic", {
        topicName: names.alarmTopic,
        topicArn: names.alarmTopicArn,
        scope,
        kmsKeyArn: this.monitoringKey.arn,
        subscribers: alarms.subscribers,
        additionalStatements: notifier ? [tamperRulePublishes(notifier, names.alarmTopicArn)] : undefined,
      });
      new ArchiveAlarms(this, "ArchiveAlarms", {
        alarmNamePrefix: names.alarmNamePrefix,
        topicArn: this.alarmTopic.topic.arn,
        queueName: names.queue,
        deadLetterQueueName: names.deadLetterQueue,
        sourceQueues: this.notifications.queues
          .filter((q) => q.suffix !== "")
          .map((q) => ({ suffix: q.suffix, queueName: q.name, deadLetterQueueName: q.deadLetterName })),
        replication:
          names.replicaBucket !== undefined
            ? { sourceBucket: names.archiveBucket, destinationBucket: names.replicaBucket, ruleId: REPLICATION_RULE_ID }
            : undefined,
        alarms,
      });
      if (this.athena) {
        const scans = [
          ["ScanAlarm", names.athenaWorkgroup, athena?.dailyScanAlarmGiB, "athena-scanned"],
          [
            "HuntingScanAlarm",
            names.athenaHuntingWorkgroup,
            athena?.huntingDailyScanAlarmGiB,
            "athena-hunting-scanned",
          ],
        ] as const;
        for (const [id, workgroup, dailyGiB, suffix] of scans) {
          if (dailyGiB === undefined) continue;
          athenaScanAlarm(this.athena, {
            id,
            alarmName: `${names.alarmNamePrefix}${suffix}`,
            workgroup,
            dailyGiB,
            topicArn: this.alarmTopic.topic.arn,
          });
        }
      }
      if (props.deliveryWatch) {
        this.deliveryWatch = new DeliveryWatch(this, "DeliveryWatch", {
          ...props.deliveryWatch,
          accountId,
          region,
          namePrefix: prefix,
          alarmNamePrefix: names.alarmNamePrefix,
          bucketName: names.archiveBucket,
          topicArn: this.alarmTopic.topic.arn,
          monitoringKeyArn: this.monitoringKey.arn,
          // Search delivery (validated above to run here) writes its failures into the archive.
          reportSearchErrors: props.search !== undefined,
        });
      }
    }

    if (props.central) {
      const settings = props.central;
      for (const centralRegion of settings.regions) {
        const delivery = new CentralDelivery(this, `Central-${centralRegion}`, {
          context: {
            organizationId: props.organizationId,
            archiveAccountId: accountId,
            archiveRegion: region,
            archiveBucketArn: names.archiveBucketArn,
            region: centralRegion,
            destinationArn: central(centralRegion).destinationArn,
            deliveryStreamArn: central(centralRegion).deliveryStreamArn,
            kinesisStreamArn: settings.stream.kinesisStream.enabled
              ? central(centralRegion).kinesisStreamArn
              : undefined,
            errorLogGroupArn: central(centralRegion).errorLogGroupArn,
            errorLogStream: "DestinationDelivery",
          },
          names: central(centralRegion),
          settings: settings.stream,
          archiveKeyArn: this.archiveKeyArn,
          errorLogRetentionDays: settings.errorLogRetentionDays,
        });
        this.centralDeliveries.push(delivery);
        if (alarms) this.addCentralAlarms(alarms, settings, centralRegion, delivery);
        if (props.search && centralRegion === region && delivery.kinesis) {
          this.search = new SearchDelivery(this, "Search", {
            ...props.search,
            accountId,
            region,
            namePrefix: prefix,
            archiveBucketArn: names.archiveBucketArn,
            archiveKeyArn: this.archiveKeyArn,
            kinesisStreamArn: delivery.kinesis.arn,
            logRetentionDays: settings.errorLogRetentionDays,
            alarms:
              alarms && this.alarmTopic
                ? { topicArn: this.alarmTopic.topic.arn, alarmNamePrefix: names.alarmNamePrefix }
                : undefined,
          });
        }
      }
    }
    if (props.tamper && this.alarmTopic && this.monitoringKey) {
      this.tamperBus = new TamperBus(this, "TamperBus", {
        accountId,
        region,
        organizationId: props.organizationId,
        namePrefix: prefix,
        topicArn: this.alarmTopic.topic.arn,
      });
      this.tamperWatch = new TamperWatch(this, "TamperWatch", {
        accountId,
        stackRegion: region,
        kind: "archive",
        namePrefix: prefix,
        busArn: this.tamperBus.names.busArn,
        regions: this.tamperRegions(archive, accessLogs !== undefined),
        exemptRoleArns: props.tamper.exemptRoleArns,
      });
    }
    if (!this.monitoringKey) retire(this, under("MonitoringKey", ProtectedKey.PROTECTED_CHILDREN));
    // Switching search off leaves the domain's access policy as it was: deleting it
    // would drop the owner's own statements with ours (OpenSearch keeps one policy).
    if (!this.search) retire(this, under("Search", SearchDelivery.RETAINED_CHILDREN));
    // The alarm keys of Regions whose central stream is gone (or never was) stay in AWS, unmanaged.
    for (const anyRegion of regionsOf(partitionOf(this.region))) {
      const id = `CentralAlarmKey-${anyRegion}`;
      if (!this.node.tryFindChild(id)) retire(this, under(id, ProtectedKey.PROTECTED_CHILDREN));
    }
  }

  /**
   * What tamper detection watches here: in the archive's Region the archive
   * and access-log buckets, the keys this account holds (archive, SIEM queue,
   * monitoring) with their aliases, and the delivery watch's and tamper
   * bus's rules; in the replica Region the replica and its access-log bucket
   * and the replica key; in us-east-1, where IAM records its calls, every
   * role of the account named with the prefix (the SIEM reader, the analyst,
   * replication, the central destinations and streams, the watch, search
   * delivery, the tamper forwarder). Keys held in a key-management account
   * are watched there (LogKeys).
   */
  private tamperRegions(archive: ArchiveBucketSettings, accessLogging: boolean): TamperWatchRegion[] {
    const { names } = this;
    // Every role of the account named with the prefix: the archive's, the tamper
    // forwarder's, and the source pipeline's when the account is also a source
    // (whose own stack then leaves its roles to this watch).
    // Sentinel's role is named OIDC_<prefix>-sentinel: the connector requires the OIDC_ prefix.
    const roles = roleWatches([`${this.prefix}-`, ...(this.sentinel ? [names.sentinelRole] : [])]);
    const held = (key: ProtectedKey | undefined, alias: string) =>
      key ? { key: { id: key.resource.keyId } satisfies WatchedKey, alias } : undefined;
    const here = [
      held(this.archiveKey, names.archiveKeyAlias),
      held(this.notifications.key, names.queueKeyAlias),
      held(this.monitoringKey, names.monitoringKeyAlias),
    ].filter((k) => k !== undefined);
    const regions: TamperWatchRegion[] = [
      {
        region: this.region,
        watches: [
          ...bucketWatches([names.archiveBucket, ...(accessLogging ? [names.accessLogBucket(this.region)] : [])]),
          ...keyWatches(here.map((k) => k.key)),
          ...aliasWatches(here.map((k) => k.alias)),
        ],
        otherRules: this.deliveryWatch
          ? [this.deliveryWatch.names.objectsRule, this.deliveryWatch.names.scheduleRule]
          : [],
      },
    ];
    if (archive.replicaRegion !== undefined && names.replicaBucket !== undefined) {
      const replica = held(this.replication?.key, names.replicaKeyAlias);
      regions.push({
        region: archive.replicaRegion,
        watches: [
          ...bucketWatches([
            names.replicaBucket,
            ...(accessLogging ? [names.accessLogBucket(archive.replicaRegion)] : []),
          ]),
          ...(replica ? [...keyWatches([replica.key]), ...aliasWatches([replica.alias])] : []),
        ],
      });
    }
    return withRoleWatches(regions, this.region, roles);
  }

  /** Alarms of a central stream notify a topic of the stream's own Region. */
  private addCentralAlarms(
    alarms: ArchiveAlarmSettings,
    settings: CentralTopologySettings,
    centralRegion: string,
    delivery: CentralDelivery,
  ): void {
    const { names } = this;
    let topicArn = this.alarmTopic?.topic.arn;
    if (centralRegion !== this.region || !topicArn) {
      const scope = { accountId: this.accountId, region: centralRegion, alarmNamePrefix: names.alarmNamePrefix };
      const key = new ProtectedKey(this, `CentralAlarmKey-${centralRegion}`, {
        region: centralRegion,
        description: `Encrypts the alarm topic of the central stream in ${centralRegion}`,
        alias: names.monitoringKeyAlias,
        statements: [keyAdministrators(this.accountId, partitionOf(this.region)), alarmsUseKey(scope)],
      });
      topicArn = new AlarmTopic(this, `CentralAlarmTopic-${centralRegion}`, {
        region: centralRegion,
        topicName: names.alarmTopic,
        topicArn: arn({ service: "sns", region: centralRegion, account: this.accountId, resource: names.alarmTopic }),
        scope,
        kmsKeyArn: key.arn,
        subscribers: alarms.subscribers,
      }).topic.arn;
    }
    new DeliveryAlarms(this, `CentralAlarms-${centralRegion}`, {
      region: centralRegion,
      streamName: delivery.stream.name,
      alarmNamePrefix: `${names.alarmNamePrefix}central-${centralRegion}-`,
      topicArn,
      firehose: { bufferingIntervalSeconds: settings.stream.bufferingIntervalSeconds },
      alarms,
      heartbeatIntervalMinutes: alarms.heartbeatIntervalMinutes,
      // Behind a Kinesis stream, Firehose publishes no Direct PUT metrics (IncomingRecords, ThrottledRecords).
      kinesisStreamName: delivery.kinesis?.name,
      activePartitionQuota: settings.activePartitionQuota,
    });
  }
}
