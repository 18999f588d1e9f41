/**
 * The one place where ARNs are built. Every ARN of the app comes from `arn()`,
 * with the partition as a parameter, so that another partition (aws-cn,
 * aws-us-gov) is a registry setting later rather than a rewrite.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */

/** The partition of the commercial Regions, the only one the registry admits today. */
export const DEFAULT_PARTITION = "aws";

export interface ArnParts {
  /** @default "aws" */
  readonly partition?: string;
  /** Service namespace, such as `s3`, `iam` or `logs`. */
  readonly service: string;
  /** @default "" (global services such as IAM and S3 buckets) */
  readonly region?: string;
  /** @default "" (S3 buckets) */
  readonly account?: string;
  /** Resource part, such as `role/name` or `log-group:/name`. */
  readonly resource: string;
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>` */
export function arn(parts: ArnParts): string {
  const { partition = DEFAULT_PARTITION, service, region = "", account = "", resource } = parts;
  return `arn:${partition}:${service}:${region}:${account}:${resource}`;
}

/** A KMS key ARN (single-Region or multi-Region key), not an alias. */
export const KMS_KEY_ARN =
  /^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
