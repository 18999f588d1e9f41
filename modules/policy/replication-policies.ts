/**
 * Policies of cross-Region replication: the role S3 assumes to copy every
 * new object version of the archive into the replica, and the replica key.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
 */
import { partitionOf, servicePrincipal } from "../naming/partition";
import type { Statement } from "./document";
import { accountRolesUseKey, keyAdministrators, s3EncryptionContext } from "./archive-policies";
import { viaService } from "./statements";

export interface ReplicationContext {
  readonly accountId: string;
  readonly sourceRegion: string;
  readonly sourceBucketArn: string;
  readonly replicaRegion: string;
  readonly replicaBucketArn: string;
  readonly replicationRoleArn: string;
}

export function replicationTrust(ctx: ReplicationContext): Statement[] {
  return [
    {
      Sid: "S3ReplicatesArchiveBucket",
      Effect: "Allow",
      Principal: { Service: servicePrincipal("s3") },
      Action: "sts:AssumeRole",
      Condition: {
        StringEquals: { "aws:SourceAccount": ctx.accountId },
        ArnLike: { "aws:SourceArn": ctx.sourceBucketArn },
      },
    },
  ];
}

export function replicationPolicy(
  ctx: ReplicationContext,
  keys: { readonly sourceKeyArns: readonly string[]; readonly replicaKeyArn: string },
): Statement[] {
  return [
    {
      Sid: "ReadReplicationConfiguration",
      Effect: "Allow",
      Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
      Resource: ctx.sourceBucketArn,
    },
    {
      // GetObjectVersionForReplication, not GetObjectVersion: the latter does
      // not cover SSE-KMS objects. Retention and legal hold travel with
      // Object Lock.
      Sid: "ReadSourceVersions",
      Effect: "Allow",
      Action: [
        "s3:GetObjectLegalHold",
        "s3:GetObjectRetention",
        "s3:GetObjectVersionAcl",
        "s3:GetObjectVersionForReplication",
        "s3:GetObjectVersionTagging",
      ],
      Resource: `${ctx.sourceBucketArn}/*`,
    },
    {
      // No ReplicateDelete: delete markers are not replicated, so a deletion
      // in the source never reaches the replica.
      Sid: "WriteReplicas",
      Effect: "Allow",
      Action: ["s3:ReplicateObject", "s3:ReplicateTags"],
      Resource: `${ctx.replicaBucketArn}/*`,
    },
    {
      Sid: "DecryptSourceThroughS3",
      Effect: "Allow",
      Action: "kms:Decrypt",
      // The archive key, and earlier keys objects still to replicate may be encrypted with.
      Resource: keys.sourceKeyArns.length === 1 ? keys.sourceKeyArns[0]! : [...keys.sourceKeyArns],
      Condition: {
        StringEquals: {
          "kms:ViaService": viaService("s3", ctx.sourceRegion),
          ...s3EncryptionContext(ctx.sourceBucketArn),
        },
      },
    },
    {
      Sid: "EncryptReplicasThroughS3",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:GenerateDataKey"],
      Resource: keys.replicaKeyArn,
      Condition: {
        StringEquals: {
          "kms:ViaService": viaService("s3", ctx.replicaRegion),
          ...s3EncryptionContext(ctx.replicaBucketArn),
        },
      },
    },
  ];
}

export function replicaKeyPolicy(ctx: ReplicationContext): Statement[] {
  return [
    keyAdministrators(ctx.accountId, partitionOf(ctx.sourceRegion)),
    accountRolesUseKey(
      "AllowReplicationToEncryptThroughS3",
      ctx.accountId,
      [ctx.replicationRoleArn],
      ["kms:Encrypt", "kms:GenerateDataKey"],
      {
        StringEquals: {
          "kms:ViaService": viaService("s3", ctx.replicaRegion),
          ...s3EncryptionContext(ctx.replicaBucketArn),
        },
      },
    ),
  ];
}
