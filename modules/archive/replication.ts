/**
 * Cross-Region replication of the archive: a replica bucket with the same
 * protections and its own key in the replica Region, a least-privilege role,
 * and one replication rule for the whole bucket. Delete markers are not
 * replicated, so nothing deleted in the source disappears from the replica.
 */
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { Construct } from "constructs";
import { ProtectedKey } from "../constructs/protected-key";
import { SecureBucket } from "../constructs/secure-bucket";
import { PROTECTED, retire, under, type ProtectedChild } from "../constructs/retirement";
import { policyDocument, toPolicyJson } from "../policy/document";
import {
  replicaKeyPolicy,
  replicationPolicy,
  replicationTrust,
  type ReplicationContext,
} from "../policy/replication-policies";
import type { MinimumObjectSizeRule, ObjectLockMode } from "../options/values";
import { accessLogPrefix } from "./access-log-bucket";
import { archiveLifecycleRules, type ArchiveLifecycleSettings } from "./lifecycle";

/** Id of the replication rule; the replication alarm's metrics carry it. */
export const REPLICATION_RULE_ID = "replicate-archive";

/** What the replica takes over from the archive's settings. */
export interface ReplicaSettings extends ArchiveLifecycleSettings {
  /** S3's rule for objects under 128 KB in transitions. @default "all_storage_classes_128K" (in LogArchive) */
  readonly minimumObjectSizeRule: MinimumObjectSizeRule;
  /** Object Lock of the replica (it must match the archive's, or lock metadata cannot replicate). @default - no Object Lock */
  readonly objectLock?: { readonly mode: ObjectLockMode; readonly days: number };
  /** S3 Replication Time Control (15-minute SLA, with an event threshold on the metrics). @default false (in LogArchive) */
  readonly replicationTimeControl: boolean;
}

export interface ReplicationProps {
  readonly context: ReplicationContext;
  /** Lifecycle, Object Lock and RTC of the replica. */
  readonly archive: ReplicaSettings;
  readonly source: SecureBucket;
  readonly sourceKeyArn: string;
  /** Earlier archive keys that objects still to replicate may be encrypted with. @default - none */
  readonly previousSourceKeyArns?: readonly string[];
  readonly replicaBucketName: string;
  /** Alias of the replica's key, created here in the replica Region (unless `replicaKeyArn` is given). */
  readonly replicaKeyAlias: string;
  /**
   * ARN of a replica key held in a key-management account, in the replica
   * Region: no key is created here.
   * @default - a key created here
   */
  readonly replicaKeyArn?: string;
  readonly replicationRoleName: string;
  /** Access log bucket in the replica Region. @default - no access logging of the replica */
  readonly accessLogBucket?: string;
}

export class Replication extends Construct {
  /** What Replication may create that guards data: retired, never destroyed, when no longer generated. */
  static readonly PROTECTED_CHILDREN: readonly ProtectedChild[] = [
    ...under("ReplicaKey", ProtectedKey.PROTECTED_CHILDREN),
    ...under("ReplicaBucket", SecureBucket.PROTECTED_CHILDREN),
    { type: "aws_s3_bucket_replication_configuration", path: ["Configuration"] },
  ];
  /** The replica's key, when created here. */
  readonly key?: ProtectedKey;
  /** ARN of the replica's key, here or in the key-management account. */
  readonly keyArn: string;
  readonly replica: SecureBucket;
  readonly role: IamRole;
  readonly configuration: S3BucketReplicationConfigurationA;

  constructor(scope: Construct, id: string, props: ReplicationProps) {
    super(scope, id);
    const { context, archive } = props;

    if (props.replicaKeyArn !== undefined) {
      this.keyArn = props.replicaKeyArn;
      // The key that replicas were encrypted with before the keys moved stays in AWS.
      retire(this, under("ReplicaKey", ProtectedKey.PROTECTED_CHILDREN));
    } else {
      this.key = new ProtectedKey(this, "ReplicaKey", {
        region: context.replicaRegion,
        description: "Encrypts the replica of the CloudWatch Logs archive",
        alias: props.replicaKeyAlias,
        statements: replicaKeyPolicy(context),
      });
      this.keyArn = this.key.arn;
    }

    this.replica = new SecureBucket(this, "ReplicaBucket", {
      region: context.replicaRegion,
      bucketName: props.replicaBucketName,
      ownerAccountId: context.accountId,
      encryption: { kmsKeyArn: this.keyArn },
      lifecycleRules: archiveLifecycleRules(archive),
      transitionMinimumObjectSize: archive.minimumObjectSizeRule,
      // Object Lock metadata replicates only into a bucket with Object Lock.
      objectLock: archive.objectLock,
      accessLogs: props.accessLogBucket
        ? { targetBucket: props.accessLogBucket, targetPrefix: accessLogPrefix(props.replicaBucketName) }
        : undefined,
    });

    this.role = new IamRole(this, "Role", {
      name: props.replicationRoleName,
      description: "S3 replication of the CloudWatch Logs archive",
      assumeRolePolicy: toPolicyJson(policyDocument(replicationTrust(context))),
    });
    const rolePolicy = new IamRolePolicy(this, "RolePolicy", {
      name: "replicate-archive",
      role: this.role.name,
      policy: toPolicyJson(
        policyDocument(
          replicationPolicy(context, {
            sourceKeyArns: [props.sourceKeyArn, ...(props.previousSourceKeyArns ?? [])],
            replicaKeyArn: this.keyArn,
          }),
        ),
      ),
    });

    const rtc = archive.replicationTimeControl;
    this.configuration = new S3BucketReplicationConfigurationA(this, "Configuration", {
      bucket: props.source.resource.bucket,
      role: this.role.arn,
      lifecycle: PROTECTED,
      rule: [
        {
          id: REPLICATION_RULE_ID,
          status: "Enabled",
          priority: 1,
          filter: {},
          deleteMarkerReplication: { status: "Disabled" },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
          destination: {
            bucket: this.replica.resource.arn,
            storageClass: "STANDARD",
            encryptionConfiguration: { replicaKmsKeyId: this.keyArn },
            // Metrics are on in every case: they feed the replication alarm.
            // S3 accepts an event threshold only with Replication Time Control
            // ("Metrics cannot contain an event threshold when ReplicationTime
            // is not specified or Disabled"), and RTC requires it at 15 minutes.
            // @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html
            // @see https://github.com/hashicorp/terraform-provider-aws/pull/21895
            metrics: rtc ? { status: "Enabled", eventThreshold: { minutes: 15 } } : { status: "Enabled" },
            replicationTime: rtc ? { status: "Enabled", time: { minutes: 15 } } : undefined,
          },
        },
      ],
      // Versioning must be on in both buckets before replication is configured.
      dependsOn: [props.source.versioning, this.replica.versioning, rolePolicy],
    });
  }
}
