/**
 * The `log-archive` stack: everything the central account holds. Resources
 * in the replica Region use the provider's per-resource `region` argument, so
 * the stack has a single provider.
 */
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { AccessLogBucket, accessLogPrefix } from "../archive/access-log-bucket";
import { archiveLifecycleRules } from "../archive/lifecycle";
import { Replication } from "../archive/replication";
import { SiemNotifications } from "../archive/siem-notifications";
import { SiemReaderRole } from "../archive/siem-reader-role";
import { ProtectedKey } from "../constructs/protected-key";
import { SecureBucket } from "../constructs/secure-bucket";
import { accountRootArn, archiveNames } from "../naming/names";
import { archiveBucketPolicy, archiveKeyPolicy, type ArchiveContext } from "../policy/archive-policies";
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

    this.archiveKey = new ProtectedKey(this, "ArchiveKey", {
      description: "Encrypts the CloudWatch Logs archive",
      alias: names.archiveKeyAlias,
      statements: archiveKeyPolicy(context, {
        siemReaderRoleArn: names.siemReaderRoleArn,
        replicationRoleArn: replicating ? names.replicationRoleArn : undefined,
      }),
    });

    const accessLogs = archive.accessLogging
      ? new AccessLogBucket(this, "AccessLogs", {
          bucketName: names.accessLogBucket(this.region),
          accountId: this.accountId,
          sourceBucketArns: [names.archiveBucketArn],
          archive,
        })
      : undefined;

    this.archiveBucket = new SecureBucket(this, "ArchiveBucket", {
      bucketName: names.archiveBucket,
      ownerAccountId: this.accountId,
      encryption: { kmsKeyArn: this.archiveKey.arn },
      policyStatements: archiveBucketPolicy(context, this.archiveKey.arn),
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
    });

    this.reader = new SiemReaderRole(this, "SiemReader", {
      context,
      roleName: names.siemReaderRole,
      principals: siem.readerPrincipals ?? [accountRootArn(this.accountId)],
      externalId: siem.externalId ?? registry.organization.id,
      queueArn: this.notifications.queue.arn,
      archiveKeyArn: this.archiveKey.arn,
      queueKeyArn: this.notifications.key.arn,
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

    this.addOutputs();
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
    for (const [name, value] of Object.entries(outputs)) {
      new TerraformOutput(this, name, { value });
    }
  }
}
