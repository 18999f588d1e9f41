/**
 * Organization trail (CloudTrail) on the archive side: the statements of the archive bucket's policy
 * and of the archive key's policy that admit it, under its own root
 * (cloudtrail/) only. Registered in modules/sources/registered-sources.ts.
 */
import { accountRootArn } from "../../naming/names";
import { BUCKET_OWNER_FULL_CONTROL, type DirectSourcesContext } from "../../policy/direct-source-policies";
import type { Statement } from "../../policy/document";
import { z } from "zod";
import type { DirectSource, RegistryPrimitives } from "../direct-source";
import { partitionOf, servicePrincipal } from "../../naming/partition";
import { cloudTrailTable } from "./cloudtrail-table";
import { TRAIL_ROOT } from "./trail-layout";

export const trailSource = {
  registryKey: "cloudTrail" as const,
  registrySection: (p: RegistryPrimitives) =>
    z
      .strictObject({
        enabled: z.boolean({ error: "expected true or false" }).default(false).meta({
          description: "Let the organization trail write under cloudtrail/ of the archive. @default false",
        }),
        managementAccountId: p.accountId.optional().meta({
          description:
            "The organization's management account, where the organization trail lives. Required when enabled.",
        }),
        createTrail: z.boolean({ error: "expected true or false" }).default(true).meta({
          description:
            "Create the organization trail here, in its own stack `log-organization-trail` for the management account. false: an existing trail named trailName is admitted. @default true",
        }),
        trailName: z
          .string({ error: "expected a trail name" })
          .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/, { error: "expected a trail name: 3-128 letters, digits, . _ -" })
          .optional()
          .meta({ description: "Name of the organization trail. @default <prefix>-organization" }),
        homeRegion: p.region.optional().meta({ description: "Home Region of the trail. @default logArchive.region" }),
      })
      .prefault({})
      .meta({ description: "AWS CloudTrail organization trail delivered straight to the archive." }),
  kind: "cloudtrail" as const,
  root: TRAIL_ROOT,
  athenaTables: (input, direct) =>
    direct.cloudTrailOrganizationId ? [cloudTrailTable(input, direct.cloudTrailOrganizationId)] : [],
  bucketStatements(ctx) {
    const bucket = ctx.bucketArn;
    const statements: Statement[] = [];
    if (ctx.trail) {
      const root = `${bucket}/${TRAIL_ROOT}AWSLogs`;
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
    return statements;
  },
  keyStatements(ctx) {
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
    return statements;
  },
} satisfies DirectSource;

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
  const root = `${ctx.bucketArn}/${TRAIL_ROOT}AWSLogs`;
  return [
    `${root}/${ctx.trail.managementAccountId}/CloudTrail-Digest/*`,
    `${root}/${ctx.organizationId}/*/CloudTrail-Digest/*`,
  ];
}
