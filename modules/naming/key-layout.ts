/**
 * The archive's object key layout: DESIGN.md contract 4. SIEM parsers, the
 * bucket policy, the delivery role and the notification filter all derive
 * their prefixes from here, so they cannot drift apart. Each direct source's
 * root is its own, in its folder under modules/sources/ (DIRECT_SOURCE_ROOTS
 * in modules/sources/direct-sources.ts gathers them).
 */

/** Root of every delivered CloudWatch Logs object. */
export const DATA_ROOT = "cloudwatch-logs/";
/** Root of every object Firehose could not process or deliver. */
export const ERROR_ROOT = "cloudwatch-logs-errors/";

/**
 * Root of the documents search delivery failed to index into OpenSearch
 * (search.enabled): the search stream's only write into the archive.
 */
export const SEARCH_ERROR_ROOT = "search-errors/";

/** Root of CloudWatch Logs control messages in the central topology: never the data prefix. */
export const CONTROL_ROOT = "cloudwatch-logs-control/";

/** Firehose timestamp expressions (UTC, arrival time of the oldest record in the object). */
const DATE_PATH = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/";

/** `cloudwatch-logs/account=<id>/` */
export function accountDataPrefix(accountId: string): string {
  return `${DATA_ROOT}account=${accountId}/`;
}

/** `cloudwatch-logs-errors/account=<id>/` */
export function accountErrorPrefix(accountId: string): string {
  return `${ERROR_ROOT}account=${accountId}/`;
}

/** `cloudwatch-logs/account=<id>/region=<region>/` */
export function accountRegionDataPrefix(accountId: string, region: string): string {
  return `${accountDataPrefix(accountId)}region=${region}/`;
}

/** Firehose `prefix`: `cloudwatch-logs/account=<id>/region=<region>/year=YYYY/month=MM/day=DD/hour=HH/`. */
export function firehoseDataPrefix(accountId: string, region: string): string {
  return `${accountRegionDataPrefix(accountId, region)}${DATE_PATH}`;
}

/**
 * Firehose `error_output_prefix`. A prefix with expressions requires an error
 * prefix that contains `!{firehose:error-output-type}`.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html
 */
export function firehoseErrorPrefix(accountId: string, region: string): string {
  return `${accountErrorPrefix(accountId)}region=${region}/!{firehose:error-output-type}/${DATE_PATH}`;
}

/**
 * IAM policy variable resolving to the calling principal's account. Written in
 * IAM syntax here; the policy serialiser escapes it for Terraform.
 */
export const PRINCIPAL_ACCOUNT_VARIABLE = "${aws:PrincipalAccount}";

/**
 * IAM policy variable resolving to the account on whose behalf an AWS service
 * principal calls (single-valued, so usable as a variable).
 */
export const SOURCE_ACCOUNT_VARIABLE = "${aws:SourceAccount}";

/**
 * Central topology: the account and the kind of record come from the record
 * itself (dynamic partitioning on the envelope that CloudWatch Logs writes),
 * so a source cannot choose another account's prefix.
 */
export function centralDataPrefix(region: string): string {
  return `!{partitionKeyFromQuery:root}/account=!{partitionKeyFromQuery:account}/region=${region}/${DATE_PATH}`;
}

/** Central topology errors: the account is not known for a record that failed processing. */
export function centralErrorPrefix(region: string): string {
  return `${ERROR_ROOT}account=central/region=${region}/!{firehose:error-output-type}/${DATE_PATH}`;
}

/**
 * A Firehose prefix with its `!{timestamp:...}` expressions filled in for time
 * `t` (UTC, as the streams set `customTimeZone`): where an object delivered at
 * that time is. Derived from the same expressions the streams are given.
 */
export function prefixAt(firehosePrefix: string, t: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const parts: Record<string, string> = {
    yyyy: String(t.getUTCFullYear()),
    MM: two(t.getUTCMonth() + 1),
    dd: two(t.getUTCDate()),
    HH: two(t.getUTCHours()),
  };
  return firehosePrefix.replace(/!\{timestamp:(yyyy|MM|dd|HH)\}/g, (_, field: string) => parts[field]!);
}
