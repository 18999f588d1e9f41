/**
 * The archive's object key layout: DESIGN.md contract 4. SIEM parsers, the
 * bucket policy, the delivery role and the notification filter all derive
 * their prefixes from here, so they cannot drift apart.
 */

/** Root of every delivered CloudWatch Logs object. */
export const DATA_ROOT = "cloudwatch-logs/";
/** Root of every object Firehose could not process or deliver. */
export const ERROR_ROOT = "cloudwatch-logs-errors/";

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

/** Firehose `prefix`: `cloudwatch-logs/account=<id>/region=<region>/year=YYYY/month=MM/day=DD/hour=HH/`. */
export function firehoseDataPrefix(accountId: string, region: string): string {
  return `${accountDataPrefix(accountId)}region=${region}/${DATE_PATH}`;
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
