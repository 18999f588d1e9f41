/**
 * What the direct sources' bucket- and key-policy statements share: their
 * context and helpers. Each source's statements live in its folder under
 * modules/sources/ (registered in modules/sources/registered-sources.ts); each
 * admits exactly its principal under its own prefix:
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
import { partitionOf } from "../naming/partition";
import { iamRoleArn } from "../naming/names";

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
  /** Settings of sources registered beyond the built-in ones, by registryKey (DirectSourceSettings.sections). */
  readonly sections?: Readonly<Record<string, unknown>>;
}

export const BUCKET_OWNER_FULL_CONTROL = { "s3:x-amz-acl": "bucket-owner-full-control" };

/** Roles of any account named `rolePattern` (with `*`). */
export function rolesNamed(ctx: DirectSourcesContext, rolePattern: string): string {
  return iamRoleArn("*", rolePattern, partitionOf(ctx.archiveRegion));
}

/** Roles of organization accounts named `rolePattern`: Config recorders, log agents. */
export function organizationRolesNamed(ctx: DirectSourcesContext, rolePattern: string) {
  return {
    StringEquals: { "aws:PrincipalOrgID": ctx.organizationId },
    ArnLike: { "aws:PrincipalArn": rolesNamed(ctx, rolePattern) },
  };
}
