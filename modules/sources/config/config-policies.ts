/**
 * AWS Config on the archive side: the statements of the archive bucket's policy
 * and of the archive key's policy that admit it, under its own root
 * (config/) only. Registered in modules/sources/direct-sources.ts.
 */
import { DIRECT_SOURCE_ROOTS, PRINCIPAL_ACCOUNT_VARIABLE } from "../../naming/key-layout";
import { organizationRolesUseKeyThroughS3 } from "../../policy/archive-policies";
import { organizationRolesNamed, rolesNamed } from "../../policy/direct-source-policies";
import type { Statement } from "../../policy/document";
import type { DirectSource } from "../direct-source";

export const configSource: DirectSource = {
  kind: "config",
  bucketStatements(ctx) {
    const bucket = ctx.bucketArn;
    const statements: Statement[] = [];
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
    return statements;
  },
  keyStatements(ctx) {
    const statements: Statement[] = [];
    if (ctx.configRecorderRole) {
      statements.push(
        organizationRolesUseKeyThroughS3(
          "AllowConfigRecordersToEncryptThroughS3",
          ctx.organizationId,
          rolesNamed(ctx.configRecorderRole),
          ctx.archiveRegion,
          ctx.bucketArn,
        ),
      );
    }
    return statements;
  },
};
