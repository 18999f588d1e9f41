/**
 * The bucket that receives S3 server access logs of the archive buckets in
 * one Region, so every read of the archive is auditable.
 *
 * It uses SSE-S3: S3 server access logging documents only SSE-S3 for target
 * buckets, and a bucket with Object Lock cannot receive access logs, so this
 * bucket never has Object Lock.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
import { partitionOf, servicePrincipal } from "../naming/partition";
import { Construct } from "constructs";
import { SecureBucket } from "../constructs/secure-bucket";
import { under, type ProtectedChild } from "../constructs/retirement";
import { s3BucketArn } from "../naming/names";
import { partitionOfScope } from "../constructs/partition";
import type { Statement } from "../policy/document";
import { accessLogLifecycleRules, type AccessLogLifecycleSettings } from "./lifecycle";

export interface AccessLogBucketProps {
  readonly bucketName: string;
  readonly accountId: string;
  /** Region of the bucket; also the Region of every bucket that logs into it. */
  readonly region?: string;
  /** ARNs of the buckets allowed to deliver logs here. */
  readonly sourceBucketArns: readonly string[];
  /** Retention of the access logs. */
  readonly archive: AccessLogLifecycleSettings;
}

/** Key prefix of access logs in the log bucket: `<source bucket>/`. */
export function accessLogPrefix(sourceBucket: string): string {
  return `${sourceBucket}/`;
}

export function accessLogDeliveryStatement(
  bucketArn: string,
  accountId: string,
  sourceBucketArns: readonly string[],
): Statement {
  return {
    Sid: "AllowS3ServerAccessLogDelivery",
    Effect: "Allow",
    Principal: { Service: servicePrincipal("logging.s3") },
    Action: "s3:PutObject",
    Resource: `${bucketArn}/*`,
    Condition: {
      StringEquals: { "aws:SourceAccount": accountId },
      ArnLike: { "aws:SourceArn": sourceBucketArns.length === 1 ? sourceBucketArns[0]! : [...sourceBucketArns] },
    },
  };
}

export class AccessLogBucket extends Construct {
  /** What an AccessLogBucket creates that guards data (its bucket): retired, never destroyed, when no longer generated. */
  static readonly PROTECTED_CHILDREN: readonly ProtectedChild[] = under("Store", SecureBucket.PROTECTED_CHILDREN);
  readonly bucket: SecureBucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    if (props.sourceBucketArns.length === 0) {
      // The delivery statement's aws:SourceArn condition would have no value.
      throw new Error(
        `AccessLogBucket ${this.node.path}: sourceBucketArns: expected at least one bucket ARN allowed to deliver logs, got none`,
      );
    }
    const arn = s3BucketArn(props.bucketName, props.region ? partitionOf(props.region) : partitionOfScope(this));
    this.bucket = new SecureBucket(this, "Store", {
      bucketName: props.bucketName,
      ownerAccountId: props.accountId,
      region: props.region,
      encryption: "SSE_S3",
      policyStatements: [accessLogDeliveryStatement(arn, props.accountId, props.sourceBucketArns)],
      lifecycleRules: accessLogLifecycleRules(props.archive),
      // Always a lifecycle, never Object Lock (S3 cannot log into a locked bucket) nor logs of its own.
      optionalSettings: [],
    });
  }
}
