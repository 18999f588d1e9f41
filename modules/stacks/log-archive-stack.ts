/**
 * The `log-archive` stack: everything the central account holds. Resources
 * in the replica Region use the provider's per-resource `region` argument, so
 * the stack has a single provider.
 */
import { arn } from "../naming/arn";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { AccessLogBucket, accessLogPrefix } from "../archive/access-log-bucket";
import { archiveLifecycleRules } from "../archive/lifecycle";
import { ArchiveAthena } from "../archive/athena";
import { CentralDelivery } from "../archive/central-delivery";
import { DeliveryAlarms } from "../monitoring/delivery-alarms";
import { centralRegions as centralRegionsOf, sourceSettings } from "../registry/settings";
import { Replication, REPLICATION_RULE_ID } from "../archive/replication";
import { SiemNotifications } from "../archive/siem-notifications";
import { SiemReaderRole } from "../archive/siem-reader-role";
import { ProtectedKey } from "../constructs/protected-key";
import { SecureBucket } from "../constructs/secure-bucket";
import { AlarmTopic } from "../monitoring/alarm-topic";
import { ArchiveAlarms } from "../monitoring/archive-alarms";
import { DATA_ROOT, DIRECT_SOURCE_ROOTS } from "../naming/key-layout";
import {
  accountRootArn,
  archiveNames,
  centralNames,
  iamRoleArn,
  kmsAliasArn,
  s3BucketArn,
  trailNames,
} from "../naming/names";
import {
  directSourceBucketStatements,
  directSourceKeyStatements,
  trailDigestObjectArns,
  type DirectSourcesContext,
} from "../policy/direct-source-policies";
import {
  archiveBucketPolicy,
  archiveKeyPolicy,
  keyAdministrators,
  type ArchiveContext,
} from "../policy/archive-policies";
import { athenaQueryStatements, type AthenaContext } from "../policy/athena-policies";
import { alarmsUseKey } from "../policy/monitoring-policies";
import type { Registry } from "../registry/parse";
import { AccountStack } from "./account-stack";

export interface LogArchiveStackProps {
  readonly registry: Registry;
}

export class LogArchiveStack extends AccountStack {
  readonly archiveKey: ProtectedKey;
  readonly archiveBucket: SecureBucket;
  readonly notifications: SiemNotifications;
  readonly reader: SiemReaderRole;
  readonly replication?: Replication;
  readonly athena?: ArchiveAthena;
  readonly monitoringKey?: ProtectedKey;
  alarmTopic?: AlarmTopic;
  readonly centralDeliveries: CentralDelivery[] = [];

  constructor(scope: Construct, id: string, props: LogArchiveStackProps) {
    const { registry } = props;
    super(scope, id, { registry, accountId: registry.logArchive.accountId, region: registry.logArchive.region });
    const { archive, siem } = registry;
    const names = archiveNames({
      prefix: registry.naming.prefix,
      archiveAccountId: this.accountId,
      archiveRegion: this.region,
      replicaRegion: archive.replicaRegion,
    });
    const context: ArchiveContext = {
      organizationId: registry.organization.id,
      archiveAccountId: this.accountId,
      archiveRegion: this.region,
      archiveBucketArn: names.archiveBucketArn,
      deliveryRoleArnPattern: names.deliveryRoleArnPattern,
    };
    const replicating = archive.replicaRegion !== undefined;
    const { alarms, athena } = registry.monitoring;
    const { cloudTrail, config, vpcFlowLogs, notifySiem } = registry.sources;
    // Source Regions of the accounts that deliver through the central topology.
    const centralRegions = centralRegionsOf(registry);
    const central = (region: string) => centralNames(registry.naming.prefix, this.accountId, region);
    const direct: DirectSourcesContext = {
      organizationId: registry.organization.id,
      archiveRegion: this.region,
      bucketArn: names.archiveBucketArn,
      trail:
        cloudTrail.enabled && cloudTrail.managementAccountId
          ? {
              arn: trailNames(
                registry.naming.prefix,
                cloudTrail.managementAccountId,
                cloudTrail.homeRegion ?? this.region,
                cloudTrail.trailName,
              ).arn,
              managementAccountId: cloudTrail.managementAccountId,
            }
          : undefined,
      configRecorderRole: config.enabled ? config.recorderRoleName : undefined,
      vpcFlowLogs: vpcFlowLogs.enabled,
    };

    this.archiveKey = new ProtectedKey(this, "ArchiveKey", {
      description: "Encrypts the CloudWatch Logs archive",
      alias: names.archiveKeyAlias,
      statements: [
        ...archiveKeyPolicy(context, {
          siemReaderRoleArn: names.siemReaderRoleArn,
          replicationRoleArn: replicating ? names.replicationRoleArn : undefined,
          analystRoleArn: athena.enabled ? names.analystRoleArn : undefined,
          centralFirehoseRoleArns: centralRegions.map((region) =>
            iamRoleArn(this.accountId, central(region).firehoseRole),
          ),
        }),
        ...directSourceKeyStatements(direct),
      ],
    });

    const accessLogs = archive.accessLogging
      ? new AccessLogBucket(this, "AccessLogs", {
          bucketName: names.accessLogBucket(this.region),
          accountId: this.accountId,
          sourceBucketArns: [
            names.archiveBucketArn,
            ...(athena.enabled ? [s3BucketArn(names.athenaResultsBucket)] : []),
          ],
          archive,
        })
      : undefined;

    this.archiveBucket = new SecureBucket(this, "ArchiveBucket", {
      bucketName: names.archiveBucket,
      ownerAccountId: this.accountId,
      encryption: { kmsKeyArn: this.archiveKey.arn },
      policyStatements: [
        ...archiveBucketPolicy(
          context,
          // The organization trail names the key by its alias ARN (the trail
          // stack cannot know the key id).
          direct.trail
            ? [this.archiveKey.arn, kmsAliasArn(this.region, this.accountId, names.archiveKeyAlias)]
            : this.archiveKey.arn,
          trailDigestObjectArns(direct),
        ),
        ...directSourceBucketStatements(direct),
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
      extraPrefixes: notifySiem.map((source) => DIRECT_SOURCE_ROOTS[source]),
    });

    const athenaContext: AthenaContext = {
      accountId: this.accountId,
      region: this.region,
      archiveBucketArn: names.archiveBucketArn,
      workgroup: names.athenaWorkgroup,
      database: names.glueDatabase,
      resultsBucketArn: s3BucketArn(names.athenaResultsBucket),
    };
    if (athena.enabled) {
      this.athena = new ArchiveAthena(this, "Athena", {
        context: athenaContext,
        settings: athena,
        archiveBucket: names.archiveBucket,
        archiveKeyArn: this.archiveKey.arn,
        abortIncompleteMultipartUploadDays: archive.abortIncompleteMultipartUploadDays,
        envelopeAccountIds: accountsWritingMessages(registry, false),
        messageAccountIds: accountsWritingMessages(registry, true),
        regions: [...new Set(registry.accounts.flatMap((a) => a.regions))],
        names,
        analystPrincipals: athena.analystPrincipals ?? [accountRootArn(this.accountId)],
        organizationId: registry.organization.id,
        accessLogBucket: accessLogs?.bucket.resource.bucket,
      });
    }

    this.reader = new SiemReaderRole(this, "SiemReader", {
      context,
      roleName: names.siemReaderRole,
      principals: siem.readerPrincipals ?? [accountRootArn(this.accountId)],
      externalId: siem.externalId ?? registry.organization.id,
      queueArn: this.notifications.queue.arn,
      archiveKeyArn: this.archiveKey.arn,
      queueKeyArn: this.notifications.key.arn,
      extraStatements: this.athena ? athenaQueryStatements(athenaContext, { resultsKeyArn: this.athena.key.arn }) : [],
      readableRoots: [DATA_ROOT, ...notifySiem.map((source) => DIRECT_SOURCE_ROOTS[source])],
    });

    if (archive.replicaRegion !== undefined && names.replicaBucket && names.replicaBucketArn) {
      const replicaAccessLogs = archive.accessLogging
        ? new AccessLogBucket(this, "ReplicaAccessLogs", {
            bucketName: names.accessLogBucket(archive.replicaRegion),
            accountId: this.accountId,
            region: archive.replicaRegion,
            sourceBucketArns: [names.replicaBucketArn],
            archive,
          })
        : undefined;
      this.replication = new Replication(this, "Replication", {
        context: {
          accountId: this.accountId,
          sourceRegion: this.region,
          sourceBucketArn: names.archiveBucketArn,
          replicaRegion: archive.replicaRegion,
          replicaBucketArn: names.replicaBucketArn,
          replicationRoleArn: names.replicationRoleArn,
        },
        archive,
        source: this.archiveBucket,
        sourceKeyArn: this.archiveKey.arn,
        replicaBucketName: names.replicaBucket,
        replicaKeyAlias: names.replicaKeyAlias,
        replicationRoleName: names.replicationRole,
        accessLogBucket: replicaAccessLogs?.bucket.resource.bucket,
      });
    }

    if (alarms.enabled) {
      const scope = { accountId: this.accountId, region: this.region, alarmNamePrefix: names.alarmNamePrefix };
      this.monitoringKey = new ProtectedKey(this, "MonitoringKey", {
        description: "Encrypts the alarm topic of the CloudWatch Logs archive",
        alias: names.monitoringKeyAlias,
        statements: [keyAdministrators(this.accountId), alarmsUseKey(scope)],
      });
      const topic = new AlarmTopic(this, "AlarmTopic", {
        topicName: names.alarmTopic,
        topicArn: names.alarmTopicArn,
        scope,
        kmsKeyArn: this.monitoringKey.arn,
        subscribers: alarms.subscribers,
      });
      this.alarmTopic = topic;
      new ArchiveAlarms(this, "ArchiveAlarms", {
        alarmNamePrefix: names.alarmNamePrefix,
        topicArn: topic.topic.arn,
        queueName: names.queue,
        deadLetterQueueName: names.deadLetterQueue,
        replication:
          names.replicaBucket !== undefined
            ? { sourceBucket: names.archiveBucket, destinationBucket: names.replicaBucket, ruleId: REPLICATION_RULE_ID }
            : undefined,
        alarms,
      });
    }

    for (const region of centralRegions) {
      const centralRegion = new CentralDelivery(this, `Central-${region}`, {
        context: {
          organizationId: registry.organization.id,
          archiveAccountId: this.accountId,
          archiveRegion: this.region,
          archiveBucketArn: names.archiveBucketArn,
          region,
          destinationArn: central(region).destinationArn,
          deliveryStreamArn: central(region).deliveryStreamArn,
          kinesisStreamArn: registry.central.kinesisStream.enabled ? central(region).kinesisStreamArn : undefined,
          errorLogGroupArn: central(region).errorLogGroupArn,
          errorLogStream: "DestinationDelivery",
        },
        names: central(region),
        settings: registry.central,
        archiveKeyArn: this.archiveKey.arn,
        errorLogRetentionDays: registry.defaults.firehose.errorLogRetentionDays,
      });
      this.centralDeliveries.push(centralRegion);
      if (alarms.enabled) this.addCentralAlarms(registry, names, region, centralRegion);
    }

    this.addOutputs();
  }

  /** Alarms of a central stream notify a topic of the stream's own Region. */
  private addCentralAlarms(
    registry: Registry,
    names: ReturnType<typeof archiveNames>,
    region: string,
    centralRegion: CentralDelivery,
  ): void {
    const { alarms } = registry.monitoring;
    let topicArn = this.alarmTopic?.topic.arn;
    if (region !== this.region || !topicArn) {
      const scope = { accountId: this.accountId, region, alarmNamePrefix: names.alarmNamePrefix };
      const key = new ProtectedKey(this, `CentralAlarmKey-${region}`, {
        region,
        description: `Encrypts the alarm topic of the central stream in ${region}`,
        alias: names.monitoringKeyAlias,
        statements: [keyAdministrators(this.accountId), alarmsUseKey(scope)],
      });
      topicArn = new AlarmTopic(this, `CentralAlarmTopic-${region}`, {
        region,
        topicName: names.alarmTopic,
        topicArn: arn({ service: "sns", region: region, account: this.accountId, resource: names.alarmTopic }),
        scope,
        kmsKeyArn: key.arn,
        subscribers: alarms.subscribers,
      }).topic.arn;
    }
    new DeliveryAlarms(this, `CentralAlarms-${region}`, {
      region,
      streamName: centralRegion.stream.name,
      alarmNamePrefix: `${names.alarmNamePrefix}central-${region}-`,
      topicArn,
      firehose: { bufferingIntervalSeconds: registry.central.bufferingIntervalSeconds },
      alarms,
      activePartitionQuota: registry.central.activePartitionQuota,
    });
  }

  private addOutputs(): void {
    const outputs: Record<string, string> = {
      archive_bucket_name: this.archiveBucket.resource.bucket,
      archive_bucket_arn: this.archiveBucket.resource.arn,
      archive_key_arn: this.archiveKey.arn,
      siem_queue_url: this.notifications.queue.url,
      siem_queue_arn: this.notifications.queue.arn,
      siem_dead_letter_queue_arn: this.notifications.deadLetterQueue.arn,
      siem_queue_key_arn: this.notifications.key.arn,
      siem_reader_role_arn: this.reader.role.arn,
    };
    if (this.replication) {
      outputs.replica_bucket_arn = this.replication.replica.resource.arn;
      outputs.replica_key_arn = this.replication.key.arn;
    }
    if (this.athena) {
      outputs.athena_workgroup = this.athena.workgroup.name;
      outputs.log_analyst_role_arn = this.athena.analyst.arn;
    }
    if (this.alarmTopic) outputs.alarm_topic_arn = this.alarmTopic.topic.arn;
    for (const [name, value] of Object.entries(outputs)) {
      new TerraformOutput(this, name, { value });
    }
  }
}

/** Ids of the accounts whose objects hold raw messages (`true`) or envelopes (`false`), sorted. */
function accountsWritingMessages(registry: Registry, messages: boolean): string[] {
  const ids = registry.accounts
    .filter((a) => sourceSettings(registry, a).firehose.messageExtraction === messages)
    .map((a) => a.id);
  return [...new Set(ids)].sort();
}
