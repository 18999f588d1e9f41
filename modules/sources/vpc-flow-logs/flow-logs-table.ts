/**
 * VPC Flow Logs' Athena table over vpc-flow-logs/, per-hour partitions:
 * `vpc-flow-logs/AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/HH/`.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
 */
import { dateParts, enumOf, sorted, table, type LogTablesInput, type TableConfig } from "../../archive/glue-table";
import { FLOW_LOGS_ROOT } from "./flow-logs-layout";

export const FLOW_LOGS_TABLE = "vpc_flow_logs";

/**
 * VPC Flow Logs as the project creates them (plain text, default format,
 * per-hour partitions, no Hive-style prefixes): space-separated fields with a
 * header line.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 */
export function flowLogsTable(input: LogTablesInput): TableConfig {
  const root = `${FLOW_LOGS_ROOT}AWSLogs/`;
  return table(input, {
    name: FLOW_LOGS_TABLE,
    description: "VPC Flow Logs (default format, per-hour partitions) of every organization account",
    root,
    partitions: [
      enumOf("account", input.accountValues),
      enumOf("region", sorted(input.serviceRegions)),
      ...dateParts(true, 2),
    ],
    template: `${root}\${account}/vpcflowlogs/\${region}/\${year}/\${month}/\${day}/\${hour}/`,
    classification: "csv",
    serDe: {
      name: "flow-logs",
      serializationLibrary: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
      parameters: { "field.delim": " ", "serialization.format": " " },
    },
    extraParameters: { "skip.header.line.count": "1" },
    columns: [
      { name: "version", type: "int" },
      { name: "account_id", type: "string" },
      { name: "interface_id", type: "string" },
      { name: "srcaddr", type: "string" },
      { name: "dstaddr", type: "string" },
      { name: "srcport", type: "int" },
      { name: "dstport", type: "int" },
      { name: "protocol", type: "bigint" },
      { name: "packets", type: "bigint" },
      { name: "bytes", type: "bigint" },
      { name: "start", type: "bigint" },
      { name: "end", type: "bigint" },
      { name: "action", type: "string" },
      { name: "log_status", type: "string" },
    ],
  });
}
