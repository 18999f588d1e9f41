/**
 * Where the organization trail writes in the archive: its root (the trail's
 * S3 key prefix) and the folders CloudTrail makes below it.
 */

/** The trail's root in the archive (DIRECT_SOURCE_ROOTS.cloudtrail). */
export const TRAIL_ROOT = "cloudtrail/" as const;

/**
 * Where an organization trail writes one member account's log files for a
 * Region: `cloudtrail/AWSLogs/<org id>/<account>/CloudTrail/<region>/`
 * (the trail's S3 key prefix is the cloudtrail root), dated folders below.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-find-log-files.html
 */
export function trailAccountPrefix(organizationId: string, accountId: string, region: string): string {
  return `${TRAIL_ROOT}AWSLogs/${organizationId}/${accountId}/CloudTrail/${region}/`;
}
