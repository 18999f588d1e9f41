/**
 * AWS Config on the archive side: the statements of the archive bucket's policy
 * and of the archive key's policy that admit it, under its own root
 * (config/) only. Registered in modules/sources/registered-sources.ts.
 */
import { PRINCIPAL_ACCOUNT_VARIABLE } from "../../naming/key-layout";
import { organizationRolesUseKeyThroughS3 } from "../../policy/archive-policies";
import { organizationRolesNamed, rolesNamed } from "../../policy/direct-source-policies";
import type { Statement } from "../../policy/document";
import { z } from "zod";
import type { DirectSource, RegistryPrimitives } from "../direct-source";
import { CONFIG_ROOT } from "./config-layout";
import { configTable } from "./config-table";

export const configSource = {
  registryKey: "config" as const,
  registrySection: (p: RegistryPrimitives) =>
    z
      .strictObject({
        enabled: z.boolean({ error: "expected true or false" }).default(false).meta({
          description:
            "Let AWS Config of every organization account deliver under config/ of the archive, through its recorder role. Impossible with Object Lock. @default false",
        }),
        recorderRoleName: z
          .string({ error: "expected an IAM role name" })
          .regex(p.roleName, { error: "expected an IAM role name" })
          .default("aws-controltower-ConfigRecorderRole")
          .meta({
            description:
              "Name of the AWS Config recorder role in every account; Config delivers with it. @default aws-controltower-ConfigRecorderRole (Control Tower)",
          }),
      })
      .prefault({})
      .meta({ description: "AWS Config configuration history and snapshots delivered straight to the archive." }),
  kind: "config" as const,
  root: CONFIG_ROOT,
  athenaTables: (input, direct) => (direct.config ? [configTable(input)] : []),
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
          Resource: `${bucket}/${CONFIG_ROOT}AWSLogs/${PRINCIPAL_ACCOUNT_VARIABLE}/Config/*`,
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
          rolesNamed(ctx, ctx.configRecorderRole),
          ctx.archiveRegion,
          ctx.bucketArn,
        ),
      );
    }
    return statements;
  },
} satisfies DirectSource;
