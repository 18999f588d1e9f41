/**
 * Statement builders shared by several policies. Each returns typed data;
 * tests assert them as data and through an IAM simulator.
 */
import { servicePrincipal, viaServiceName } from "../naming/partition";
import type { Statement } from "./document";

/** Deny every request to `resources` that is not made over TLS. */
export function denyInsecureTransport(action: string, resources: readonly string[]): Statement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: action,
    Resource: [...resources],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** `kms:ViaService` value for a service in a Region, e.g. `s3.eu-west-1.amazonaws.com` (see viaServiceName). */
export function viaService(service: string, region: string): string {
  return viaServiceName(service, region);
}

/** Object-level actions that destroy or unprotect data. */
export const DESTRUCTIVE_OBJECT_ACTIONS = [
  "s3:BypassGovernanceRetention",
  "s3:DeleteObject",
  "s3:DeleteObjectTagging",
  "s3:DeleteObjectVersion",
  "s3:DeleteObjectVersionTagging",
  "s3:PutObjectLegalHold",
  "s3:PutObjectRetention",
] as const;

/** Bucket-level actions that would weaken the bucket's protections. */
export const PROTECTION_ACTIONS = [
  "s3:DeleteBucket",
  "s3:DeleteBucketPolicy",
  "s3:PutBucketObjectLockConfiguration",
  "s3:PutBucketOwnershipControls",
  "s3:PutBucketPolicy",
  "s3:PutBucketPublicAccessBlock",
  "s3:PutBucketVersioning",
  "s3:PutEncryptionConfiguration",
  "s3:PutLifecycleConfiguration",
  "s3:PutReplicationConfiguration",
] as const;

/** Deny deletion and unprotection to every principal outside the owning account. */
export function denyTamperingOutsideAccount(accountId: string, bucketArn: string): Statement {
  return {
    Sid: "DenyTamperingOutsideArchiveAccount",
    Effect: "Deny",
    Principal: "*",
    Action: [...DESTRUCTIVE_OBJECT_ACTIONS, ...PROTECTION_ACTIONS],
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { StringNotEquals: { "aws:PrincipalAccount": accountId } },
  };
}

/**
 * Firehose of `accountId` assumes a role: Firehose passes its account as
 * ExternalId, so a stream of any other account cannot use the role.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html
 */
export function firehoseOfAccountAssumes(accountId: string): Statement {
  return {
    Sid: "FirehoseOfTheArchiveAccountAssumes",
    Effect: "Allow",
    Principal: { Service: servicePrincipal("firehose") },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "sts:ExternalId": accountId } },
  };
}

/**
 * Lambda assumes a function's execution role. AWS documents this trust
 * without conditions: only principals of the role's own account can pass it
 * to a function (iam:PassRole does not cross accounts), which is what source
 * keys would otherwise guarantee.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
 */
export function lambdaExecutionTrust(sid: string): Statement {
  return { Sid: sid, Effect: "Allow", Principal: { Service: servicePrincipal("lambda") }, Action: "sts:AssumeRole" };
}
