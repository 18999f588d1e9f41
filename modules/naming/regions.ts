import type { Partition } from "./partition";

/**
 * Commercial AWS Regions (partition `aws`). With the GovCloud and China
 * Regions below, the list the registry validates Region names against and the
 * constructs enumerate where a resource keyed by Region may have existed in a
 * partition (regionsOf, see modules/constructs/retirement.ts).
 * @see https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 */
export const COMMERCIAL_REGIONS = [
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
] as const;

/**
 * AWS GovCloud (US) Regions (partition `aws-us-gov`).
 * @see https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/using-govcloud-regions.html
 */
export const GOVCLOUD_REGIONS = ["us-gov-east-1", "us-gov-west-1"] as const;

/**
 * The China Regions, Beijing and Ningxia (partition `aws-cn`).
 * @see https://docs.amazonaws.cn/en_us/aws/latest/userguide/endpoints-arns.html
 */
export const CHINA_REGIONS = ["cn-north-1", "cn-northwest-1"] as const;

/** Every Region the app can deploy to, in any partition. */
export const ALL_REGIONS = [...COMMERCIAL_REGIONS, ...GOVCLOUD_REGIONS, ...CHINA_REGIONS] as const;

/** The Regions of a partition: where a resource keyed by Region may exist in it. */
export function regionsOf(partition: Partition): readonly string[] {
  if (partition === "aws-us-gov") return GOVCLOUD_REGIONS;
  if (partition === "aws-cn") return CHINA_REGIONS;
  return COMMERCIAL_REGIONS;
}
