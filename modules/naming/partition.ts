/**
 * The one place that knows AWS partitions: which partition a Region belongs
 * to, its DNS suffix, and the service principal and endpoint names that
 * policies write. Every `arn:` prefix and every `*.amazonaws.com` name of the
 * app comes from here or from `arn()` (modules/naming/arn.ts), which asks here.
 *
 * A Region belongs to exactly one partition, so a regional ARN takes its
 * partition from its Region; only global ARNs (IAM, S3 buckets) need it given.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 * @see https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/using-govcloud-arns.html
 * @see https://docs.amazonaws.cn/en_us/aws/latest/userguide/ARNs.html
 */

/** The partitions the app can deploy to. */
export const PARTITIONS = ["aws", "aws-us-gov", "aws-cn"] as const;

export type Partition = (typeof PARTITIONS)[number];

/** The partition of the commercial Regions. */
export const DEFAULT_PARTITION: Partition = "aws";

/**
 * The partition part of an ARN as a regular-expression fragment (no groups
 * that capture), for the registry's patterns of ARNs users write.
 */
export const ARN_PARTITION_PATTERN = "aws(?:-us-gov|-cn)?";

/** Every partition's endpoint DNS suffix, as a regular-expression fragment. */
export const DNS_SUFFIX_PATTERN = "amazonaws\\.com(?:\\.cn)?";

/**
 * The partition of a Region name: `us-gov-*` is AWS GovCloud (US), `cn-*` the
 * China Regions, any other Region the commercial partition. Undefined for what
 * is not a single Region (`*`, empty).
 */
export function partitionOfRegion(region: string): Partition | undefined {
  if (region === "" || region.includes("*")) return undefined;
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("cn-")) return "aws-cn";
  return "aws";
}

/** The partition of a Region, `aws` for what is not a single Region. */
export function partitionOf(region: string): Partition {
  return partitionOfRegion(region) ?? DEFAULT_PARTITION;
}

/**
 * The DNS suffix of the partition's service endpoints: the China Regions'
 * endpoints end in `amazonaws.com.cn`, GovCloud's in `amazonaws.com` like the
 * commercial Regions'.
 * @see https://docs.amazonaws.cn/en_us/aws/latest/userguide/endpoints-arns.html
 * @see https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/using-govcloud-endpoints.html
 */
export function dnsSuffix(partition: Partition): string {
  return partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}

/**
 * The global service principal of an AWS service (`logs`, `firehose`, `s3`,
 * `cloudtrail`, `delivery.logs`, `events`, `lambda`, `cloudwatch`,
 * `logging.s3`, ...): `<service>.amazonaws.com` in every partition, China
 * included, for every service this app names. AWS CDK dropped its per-partition
 * table for this reason ("Service principals are now globally
 * `<SERVICE>.amazonaws.com`"); the exceptions it kept (EC2, EMR and CodeDeploy
 * in China, some ISO Regions) are services this app does not name. Not
 * confirmed in AWS's own documentation for the China Regions: see
 * docs/limitations.md.
 * @see https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/region-info/lib/default.ts
 */
export function servicePrincipal(service: string): string {
  return `${service}.amazonaws.com`;
}

/**
 * A Region-qualified service principal, `<service>.<region>.<dns suffix>`:
 * CloudWatch Logs writes to a CloudWatch Logs destination, a Firehose stream
 * or a KMS key as `logs.<region>.amazonaws.com`, and in China with the
 * partition's suffix (`logs.cn-north-1.amazonaws.com.cn`, AWS CDK's
 * "regional and partitional" rule for `logs`).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 * @see https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/region-info/lib/default.ts
 */
export function regionalServicePrincipal(service: string, region: string): string {
  return `${service}.${region}.${dnsSuffix(partitionOf(region))}`;
}

/**
 * The `kms:ViaService` value of a service in a Region: its endpoint name,
 * `<service>.<region>.amazonaws.com`, with the partition's DNS suffix.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
export function viaServiceName(service: string, region: string): string {
  return `${service}.${region}.${dnsSuffix(partitionOf(region))}`;
}

/**
 * The `eventSource` of a service's CloudTrail records (`s3.amazonaws.com`):
 * the service's global name, which CloudTrail writes in every partition.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
export function cloudTrailEventSource(service: string): string {
  return `${service}.amazonaws.com`;
}

/**
 * The Region where IAM, a global service, delivers its events to EventBridge:
 * us-east-1 in the commercial partition; in GovCloud and China the Region of
 * IAM's endpoint (us-gov-west-1, and Beijing, where the China Regions' IAM
 * control plane is). Only the commercial Region is documented for EventBridge:
 * see docs/limitations.md.
 * @see https://repost.aws/knowledge-center/eventbridge-rule-triggers-iam-single-region
 * @see https://docs.amazonaws.cn/en_us/aws/latest/userguide/iam.html
 */
export function iamEventsRegion(partition: Partition): string {
  if (partition === "aws-us-gov") return "us-gov-west-1";
  if (partition === "aws-cn") return "cn-north-1";
  return "us-east-1";
}

/**
 * An SQS queue URL, `https://sqs.<region>.<dns suffix>/<account>/<name>`.
 * @see https://docs.aws.amazon.com/general/latest/gr/sqs-service.html
 */
export function sqsQueueUrl(region: string, accountId: string, queueName: string): string {
  return `https://sqs.${region}.${dnsSuffix(partitionOf(region))}/${accountId}/${queueName}`;
}
