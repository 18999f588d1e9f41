/**
 * Bucket- and key-policy statements of the AWS services that deliver straight
 * to the archive, each for exactly its principal and its own prefix:
 *
 * - CloudTrail: the organization trail only (`aws:SourceArn`), with the ACL
 *   CloudTrail sends.
 * - AWS Config: the recorder roles of organization accounts, each under its own
 *   account's prefix. Config's service principal cannot be limited to an
 *   organization ("the service won't work with organization ID ... based
 *   conditions"), and one statement per account would not fit the bucket
 *   policy's 20 KB at thousands of accounts, so delivery goes through the
 *   recorder role, which Config uses first.
 * - VPC Flow Logs: `delivery.logs.amazonaws.com` on behalf of the organization
 *   (`aws:SourceOrgID`).
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
 * @see https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html
 */
import { partitionOf, servicePrincipal } from "../naming/partition";
import { DIRECT_SOURCE_ROOTS, PRINCIPAL_ACCOUNT_VARIABLE, SOURCE_ACCOUNT_VARIABLE } from "../naming/key-layout";
import type { Statement } from "./document";
import { accountRootArn, iamRoleArn } from "../naming/names";
import { organizationRolesUseKeyThroughS3, s3EncryptionContext } from "./archive-policies";
import { viaService } from "./statements";

export interface DirectSourcesContext {
  readonly organizationId: string;
  readonly archiveRegion: string;
  readonly bucketArn: string;
  /** The organization trail, when CloudTrail delivers here. */
  readonly trail?: { readonly arn: string; readonly managementAccountId: string };
  /** Name of the AWS Config recorder role in every account, when Config delivers here. */
  readonly configRecorderRole?: string;
  readonly vpcFlowLogs: boolean;
  /** Name pattern of the log agents' roles in every account, when agents write here. */
  readonly agentRolePattern?: string;
}

const BUCKET_OWNER_FULL_CONTROL = { "s3:x-amz-acl": "bucket-owner-full-control" };

/** Flow log objects of the sending account only: `vpc-flow-logs/AWSLogs/${aws:SourceAccount}/`. */
export function flowLogObjectArns(bucketArn: string): string {
  return `${bucketArn}/${DIRECT_SOURCE_ROOTS["vpc-flow-logs"]}AWSLogs/${SOURCE_ACCOUNT_VARIABLE}/*`;
}

/** Roles of any account named `rolePattern` (with `*`). */
function rolesNamed(ctx: DirectSourcesContext, rolePattern: string): string {
  return iamRoleArn("*", rolePattern, partitionOf(ctx.archiveRegion));
}

/** Roles of organization accounts named `rolePattern`: Config recorders, log agents. */
function organizationRolesNamed(ctx: DirectSourcesContext, rolePattern: string) {
  return {
    StringEquals: { "aws:PrincipalOrgID": ctx.organizationId },
    ArnLike: { "aws:PrincipalArn": rolesNamed(ctx, rolePattern) },
  };
}

export function directSourceBucketStatements(ctx: DirectSourcesContext): Statement[] {
  const bucket = ctx.bucketArn;
  const statements: Statement[] = [];
  if (ctx.trail) {
    const root = `${bucket}/${DIRECT_SOURCE_ROOTS.cloudtrail}AWSLogs`;
    statements.push(
      {
        Sid: "AllowOrganizationTrailAclCheck",
        Effect: "Allow",
        Principal: { Service: servicePrincipal("cloudtrail") },
        Action: "s3:GetBucketAcl",
        Resource: bucket,
        Condition: { StringEquals: { "aws:SourceArn": ctx.trail.arn } },
      },
      {
        Sid: "AllowOrganizationTrailWrite",
        Effect: "Allow",
        Principal: { Service: servicePrincipal("cloudtrail") },
        Action: "s3:PutObject",
        Resource: [`${root}/${ctx.trail.managementAccountId}/*`, `${root}/${ctx.organizationId}/*`],
        Condition: { StringEquals: { ...BUCKET_OWNER_FULL_CONTROL, "aws:SourceArn": ctx.trail.arn } },
      },
    );
  }
  if (ctx.configRecorderRole) {
    statements.push(
      {
        // Not s3:ListBucket: any member account's administrator can create a
        // role with the recorder's name, and listing would show every
        // account's object keys. Config uses it only for HeadBucket (does the
        // bucket exist, in which Region) and "can still deliver configuration
        // history and snapshots" without it, logging an AccessDenied.
        // @see https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
        Sid: "AllowConfigRecordersToCheckBucketAcl",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: "s3:GetBucketAcl",
        Resource: bucket,
        Condition: organizationRolesNamed(ctx, ctx.configRecorderRole),
      },
      {
        Sid: "AllowConfigRecordersToWriteOwnPrefix",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: ["s3:PutObject", "s3:PutObjectAcl"],
        Resource: `${bucket}/${DIRECT_SOURCE_ROOTS.config}AWSLogs/${PRINCIPAL_ACCOUNT_VARIABLE}/Config/*`,
        Condition: organizationRolesNamed(ctx, ctx.configRecorderRole),
      },
    );
  }
  if (ctx.agentRolePattern) {
    // Agents write with the bucket's default encryption (the archive key) and
    // may need multipart uploads for large files; each only under its own
    // account's folder, like the delivery roles and the Config recorders.
    statements.push({
      Sid: "AllowLogAgentsToWriteOwnPrefix",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
      Resource: `${bucket}/${DIRECT_SOURCE_ROOTS.agents}${PRINCIPAL_ACCOUNT_VARIABLE}/*`,
      Condition: organizationRolesNamed(ctx, ctx.agentRolePattern),
    });
  }
  if (ctx.vpcFlowLogs) {
    const fromOrganization = { "aws:SourceOrgID": ctx.organizationId };
    statements.push(
      {
        Sid: "AllowFlowLogDeliveryAclCheck",
        Effect: "Allow",
        Principal: { Service: servicePrincipal("delivery.logs") },
        Action: ["s3:GetBucketAcl", "s3:ListBucket"],
        Resource: bucket,
        Condition: { StringEquals: fromOrganization },
      },
      {
        // Flow logs land under AWSLogs/<account-id>/: the policy variable of
        // the sending account (a single-valued key, usable as a variable)
        // confines each account to its own folder.
        // @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html
        // @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_single-vs-multi-valued-condition-keys.html
        Sid: "AllowFlowLogDeliveryWrite",
        Effect: "Allow",
        Principal: { Service: servicePrincipal("delivery.logs") },
        Action: "s3:PutObject",
        Resource: flowLogObjectArns(bucket),
        Condition: { StringEquals: { ...BUCKET_OWNER_FULL_CONTROL, ...fromOrganization } },
      },
    );
  }
  return statements;
}

/**
 * CloudTrail digest files of the organization trail. CloudTrail encrypts them
 * with SSE-S3 whatever the trail's key ("Enabling server-side encryption
 * encrypts the log files but not the digest files with SSE-KMS"), so the
 * archive's SSE-KMS-only deny must leave them out; they hold hashes and
 * signatures, no log content.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html
 */
export function trailDigestObjectArns(
  ctx: Pick<DirectSourcesContext, "bucketArn" | "organizationId" | "trail">,
): string[] {
  if (!ctx.trail) return [];
  const root = `${ctx.bucketArn}/${DIRECT_SOURCE_ROOTS.cloudtrail}AWSLogs`;
  return [
    `${root}/${ctx.trail.managementAccountId}/CloudTrail-Digest/*`,
    `${root}/${ctx.organizationId}/*/CloudTrail-Digest/*`,
  ];
}

/**
 * The services write with the bucket's default encryption, so S3 uses the
 * archive key on their behalf: the key policy must admit each of them, for
 * the archive bucket only.
 */
export function directSourceKeyStatements(ctx: DirectSourcesContext): Statement[] {
  const statements: Statement[] = [];
  if (ctx.trail) {
    // The trail names the archive key (SSE-KMS). CloudTrail's KMS guide: the
    // key policy must allow GenerateDataKey (encryption context: the trail
    // ARN) and DescribeKey, "or you cannot create or update a trail" on a
    // bucket with an S3 Bucket Key; and whoever creates or updates the trail
    // needs kms:Decrypt. Each is bound to this trail.
    // @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
    // @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
    const trailContext = { "kms:EncryptionContext:aws:cloudtrail:arn": ctx.trail.arn };
    statements.push(
      {
        Sid: "AllowOrganizationTrailToEncrypt",
        Effect: "Allow",
        Principal: { Service: servicePrincipal("cloudtrail") },
        Action: "kms:GenerateDataKey*",
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceArn": ctx.trail.arn, ...trailContext } },
      },
      {
        Sid: "AllowOrganizationTrailToDescribeKey",
        Effect: "Allow",
        Principal: { Service: servicePrincipal("cloudtrail") },
        Action: "kms:DescribeKey",
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceArn": ctx.trail.arn } },
      },
      {
        // The trail stack reads the key's ARN by its alias when it plans:
        // CloudTrail stores a key ARN, so naming the alias would show a change
        // on every plan (hashicorp/terraform-provider-aws#33928).
        Sid: "AllowManagementAccountToDescribeTrailKey",
        Effect: "Allow",
        Principal: { AWS: accountRootArn(ctx.trail.managementAccountId, partitionOf(ctx.archiveRegion)) },
        Action: "kms:DescribeKey",
        Resource: "*",
      },
      {
        Sid: "AllowManagementAccountToValidateTrailKey",
        Effect: "Allow",
        Principal: { AWS: accountRootArn(ctx.trail.managementAccountId, partitionOf(ctx.archiveRegion)) },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { StringEquals: trailContext },
      },
    );
  }
  if (ctx.configRecorderRole) {
    statements.push(
      organizationRolesUseKeyThroughS3(
        "AllowConfigRecordersToEncryptThroughS3",
        ctx.organizationId,
        rolesNamed(ctx, ctx.configRecorderRole),
        ctx.archiveRegion,
        ctx.bucketArn,
      ),
    );
  }
  if (ctx.agentRolePattern) {
    statements.push(
      organizationRolesUseKeyThroughS3(
        "AllowLogAgentsToEncryptThroughS3",
        ctx.organizationId,
        rolesNamed(ctx, ctx.agentRolePattern),
        ctx.archiveRegion,
        ctx.bucketArn,
      ),
    );
  }
  if (ctx.vpcFlowLogs) {
    // Like every other writer: the key only as S3 uses it for the archive
    // bucket, in the archive's Region.
    statements.push({
      Sid: "AllowFlowLogDeliveryToEncrypt",
      Effect: "Allow",
      Principal: { Service: servicePrincipal("delivery.logs") },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: {
        StringEquals: {
          "aws:SourceOrgID": ctx.organizationId,
          "kms:ViaService": viaService("s3", ctx.archiveRegion),
          ...s3EncryptionContext(ctx.bucketArn),
        },
      },
    });
  }
  return statements;
}
