/** Where VPC Flow Logs write in the archive: their root and the folders they make below it. */
import { SOURCE_ACCOUNT_VARIABLE } from "../../naming/key-layout";

/** The flow logs' root in the archive (DIRECT_SOURCE_ROOTS["vpc-flow-logs"]). */
export const FLOW_LOGS_ROOT = "vpc-flow-logs/" as const;

/**
 * Where VPC Flow Logs of an account write for a Region:
 * `vpc-flow-logs/AWSLogs/<account>/vpcflowlogs/<region>/`, dated folders below.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
 */
export function flowLogAccountPrefix(accountId: string, region: string): string {
  return `${FLOW_LOGS_ROOT}AWSLogs/${accountId}/vpcflowlogs/${region}/`;
}

/** Flow log objects of the sending account only: `vpc-flow-logs/AWSLogs/${aws:SourceAccount}/`. */
export function flowLogObjectArns(bucketArn: string): string {
  return `${bucketArn}/${FLOW_LOGS_ROOT}AWSLogs/${SOURCE_ACCOUNT_VARIABLE}/*`;
}
