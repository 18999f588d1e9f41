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
import { DIRECT_SOURCE_ROOTS, PRINCIPAL_ACCOUNT_VARIABLE } from "../naming/key-layout";
import type { Statement } from "./document";
import { organizationRolesUseKeyThroughS3 } from "./archive-policies";

export interface DirectSourcesContext {
  readonly organizationId: string;
  readonly archiveRegion: string;
  readonly bucketArn: string;
  /** The organization trail, when CloudTrail delivers here. */
  readonly trail?: { readonly arn: string; readonly managementAccountId: string };
  /** Name of the AWS Config recorder role in every account, when Config delivers here. */
  readonly configRecorderRole?: string;
  readonly vpcFlowLogs: boolean;
}

const BUCKET_OWNER_FULL_CONTROL = { "s3:x-amz-acl": "bucket-owner-full-control" };

function recorderRoles(ctx: DirectSourcesContext) {
  return {
    StringEquals: { "aws:PrincipalOrgID": ctx.organizationId },
    ArnLike: { "aws:PrincipalArn": `arn:aws:iam::*:role/${ctx.configRecorderRole}` },
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
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:GetBucketAcl",
        Resource: bucket,
        Condition: { StringEquals: { "aws:SourceArn": ctx.trail.arn } },
      },
      {
        Sid: "AllowOrganizationTrailWrite",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: [`${root}/${ctx.trail.managementAccountId}/*`, `${root}/${ctx.organizationId}/*`],
        Condition: { StringEquals: { ...BUCKET_OWNER_FULL_CONTROL, "aws:SourceArn": ctx.trail.arn } },
      },
    );
  }
  if (ctx.configRecorderRole) {
    statements.push(
      {
        Sid: "AllowConfigRecordersToCheckBucket",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: ["s3:GetBucketAcl", "s3:ListBucket"],
        Resource: bucket,
        Condition: recorderRoles(ctx),
      },
      {
        Sid: "AllowConfigRecordersToWriteOwnPrefix",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: ["s3:PutObject", "s3:PutObjectAcl"],
        Resource: `${bucket}/${DIRECT_SOURCE_ROOTS.config}AWSLogs/${PRINCIPAL_ACCOUNT_VARIABLE}/Config/*`,
        Condition: recorderRoles(ctx),
      },
    );
  }
  if (ctx.vpcFlowLogs) {
    const fromOrganization = { "aws:SourceOrgID": ctx.organizationId };
    statements.push(
      {
        Sid: "AllowFlowLogDeliveryAclCheck",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: ["s3:GetBucketAcl", "s3:ListBucket"],
        Resource: bucket,
        Condition: { StringEquals: fromOrganization },
      },
      {
        Sid: "AllowFlowLogDeliveryWrite",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${bucket}/${DIRECT_SOURCE_ROOTS["vpc-flow-logs"]}AWSLogs/*`,
        Condition: { StringEquals: { ...BUCKET_OWNER_FULL_CONTROL, ...fromOrganization } },
      },
    );
  }
  return statements;
}

/**
 * The services write with the bucket's default encryption, so S3 uses the
 * archive key on their behalf: the key policy must admit each of them, for
 * the archive bucket only.
 */
export function directSourceKeyStatements(ctx: DirectSourcesContext): Statement[] {
  const statements: Statement[] = [];
  if (ctx.trail) {
    statements.push({
      Sid: "AllowOrganizationTrailToEncrypt",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": ctx.trail.arn } },
    });
  }
  if (ctx.configRecorderRole) {
    statements.push(
      organizationRolesUseKeyThroughS3(
        "AllowConfigRecordersToEncryptThroughS3",
        ctx.organizationId,
        `arn:aws:iam::*:role/${ctx.configRecorderRole}`,
        ctx.archiveRegion,
        ctx.bucketArn,
      ),
    );
  }
  if (ctx.vpcFlowLogs) {
    statements.push({
      Sid: "AllowFlowLogDeliveryToEncrypt",
      Effect: "Allow",
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceOrgID": ctx.organizationId } },
    });
  }
  return statements;
}
