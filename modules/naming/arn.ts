/**
 * The one place where ARNs are built. Every ARN of the app comes from `arn()`:
 * a regional ARN takes its partition from its Region (a Region belongs to one
 * partition), a global one (IAM, S3 buckets) or one over every Region (`*`)
 * is given it, so that GovCloud and China output names no commercial ARN.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
import { ARN_PARTITION_PATTERN, partitionOfRegion, type Partition } from "./partition";

export { DEFAULT_PARTITION, type Partition } from "./partition";

export interface ArnCommon {
  /** Service namespace, such as `s3`, `iam` or `logs`. */
  readonly service: string;
  /** @default "" (S3 buckets) */
  readonly account?: string;
  /** Resource part, such as `role/name` or `log-group:/name`. */
  readonly resource: string;
}

/** An ARN in a Region (or `*`): the partition is the Region's unless given; `*` needs it given. */
export interface RegionalArnParts extends ArnCommon {
  /** @default - the partition of `region` */
  readonly partition?: Partition;
  readonly region: string;
}

/** An ARN of a global service (IAM, S3 buckets): the partition is required. */
export interface GlobalArnParts extends ArnCommon {
  readonly partition: Partition;
  readonly region?: undefined;
}

export type ArnParts = RegionalArnParts | GlobalArnParts;

/** `arn:<partition>:<service>:<region>:<account>:<resource>` */
export function arn(parts: ArnParts): string {
  const { service, region = "", account = "", resource } = parts;
  const partition = parts.partition ?? partitionOfRegion(region);
  if (partition === undefined) {
    // A programming error, not a user's: an ARN over every Region names no partition.
    throw new Error(`arn(): an ARN of ${service} in Region "${region}" needs its partition`);
  }
  return `arn:${partition}:${service}:${region}:${account}:${resource}`;
}

/** A KMS key ARN (single-Region or multi-Region key) in any partition, not an alias. */
export const KMS_KEY_ARN = new RegExp(
  `^arn:${ARN_PARTITION_PATTERN}:kms:[a-z0-9-]+:\\d{12}:key\\/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`,
);

/** The partition an ARN names (`arn:<partition>:...`), or undefined when it is not an ARN. */
export function partitionOfArn(value: string): string | undefined {
  return /^arn:([a-z-]+):/.exec(value)?.[1];
}
