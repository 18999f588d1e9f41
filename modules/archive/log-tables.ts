/**
 * Glue tables over every source the archive holds (a direct source's own,
 * from its folder under modules/sources/, through its athenaTables), each with partition
 * projection matched to the key layout its writer uses (no crawler, no
 * partition maintenance):
 *
 * | table | writer | layout under the bucket |
 * | --- | --- | --- |
 * | cloudwatch_logs, cloudwatch_messages | Firehose (ours) | `cloudwatch-logs/account=<id>/region=<r>/year=YYYY/month=MM/day=DD/hour=HH/` |
 * | cloudwatch_logs_errors | Firehose (ours) | `cloudwatch-logs-errors/account=<id or central>/region=<r>/<error type>/year=…/` |
 * | cloudtrail | the organization trail | `cloudtrail/AWSLogs/<org id>/<account>/CloudTrail/<region>/YYYY/MM/DD/` |
 * | vpc_flow_logs | VPC Flow Logs, per-hour partitions | `vpc-flow-logs/AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/HH/` |
 * | config | AWS Config | `config/AWSLogs/<account>/Config/<region>/YYYY/M/D/ConfigHistory or ConfigSnapshot/` (no zero padding) |
 * | agent_logs | Fluent Bit, Fluentd (docs/agents) | `agents/<account>/<tag>/YYYY/MM/DD/HH/` |
 *
 * Partition values are strings as they appear in the key: zero-padded where
 * the writer pads (`month = '03'`), not for Config (`month = '3'`).
 *
 * The account dimension is one list for every table (see `AccountList`):
 * accounts the project knows plus every account that has a folder in the
 * archive when log-archive is planned. Athena projects only what the list
 * holds, so the list is derived from the archive itself rather than the registry.
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
 * @see https://docs.aws.amazon.com/config/latest/developerguide/example-configuration-history-notification.html
 */
import { DATA_ROOT, ERROR_ROOT } from "../naming/key-layout";
import { directSourceTables } from "../sources/direct-sources";
import {
  dateParts,
  enumOf,
  OPENX_JSON,
  sorted,
  table,
  WHOLE_LINES,
  type DirectSourceTables,
  type LogTablesInput,
  type TableConfig,
} from "./glue-table";

// What the tables of the direct sources (in their folders under
// modules/sources/) build on, and the tables themselves, as before.
export {
  FIRST_YEAR,
  LAST_YEAR,
  locationTemplate,
  projectionParameters,
  type DirectSourceTables,
  type LogTablesInput,
  type TableConfig,
} from "./glue-table";
export { CLOUDTRAIL_TABLE, cloudTrailTable } from "../sources/trail/cloudtrail-table";
export { FLOW_LOGS_TABLE, flowLogsTable } from "../sources/vpc-flow-logs/flow-logs-table";
export { CONFIG_FILE_TYPES, CONFIG_TABLE, configTable } from "../sources/config/config-table";
export { AGENT_LOGS_TABLE, agentLogsTable } from "../sources/agents/agent-logs-table";

export const ENVELOPE_TABLE = "cloudwatch_logs";
export const MESSAGES_TABLE = "cloudwatch_messages";
export const DELIVERY_ERRORS_TABLE = "cloudwatch_logs_errors";

/** The account placeholder of the delivery-error layout for central records whose account was not known. */
export const CENTRAL_ERROR_ACCOUNT = "central";

const LOG_EVENT = "struct<id:string,timestamp:bigint,message:string>";
const cloudWatchPartitions = (input: LogTablesInput) => [
  enumOf("account", input.accountValues),
  enumOf("region", sorted(input.logRegions)),
  ...dateParts(true, 2),
];
const CLOUDWATCH_TEMPLATE = `${DATA_ROOT}account=\${account}/region=\${region}/year=\${year}/month=\${month}/day=\${day}/hour=\${hour}/`;

/**
 * The default record format (DESIGN.md contract 4): one CloudWatch Logs
 * envelope per line. Lines that are not JSON (objects of message extraction)
 * are skipped rather than failing the query; JSON messages parse with null
 * envelope fields and no events, so the table projects every account whatever
 * format it wrote when.
 */
export function envelopeTable(input: LogTablesInput): TableConfig {
  return table(input, {
    name: ENVELOPE_TABLE,
    description: "CloudWatch Logs envelopes, one per line (messageExtraction: false)",
    root: DATA_ROOT,
    partitions: cloudWatchPartitions(input),
    template: CLOUDWATCH_TEMPLATE,
    classification: "json",
    serDe: OPENX_JSON,
    columns: [
      { name: "messagetype", type: "string" },
      { name: "owner", type: "string" },
      { name: "loggroup", type: "string" },
      { name: "logstream", type: "string" },
      { name: "subscriptionfilters", type: "array<string>" },
      { name: "logevents", type: `array<${LOG_EVENT}>` },
    ],
  });
}

/** The message-extraction variant: each line is one log event's message (a line of it, for multi-line messages). */
export function messagesTable(input: LogTablesInput): TableConfig {
  return table(input, {
    name: MESSAGES_TABLE,
    description: "One log event message per line (messageExtraction: true)",
    root: DATA_ROOT,
    partitions: cloudWatchPartitions(input),
    template: CLOUDWATCH_TEMPLATE,
    classification: "text",
    serDe: WHOLE_LINES,
    columns: [{ name: "message", type: "string" }],
  });
}

/**
 * What Firehose could not process or deliver, one JSON document per record.
 * Partitioned by account and Region only: error objects are few, and under
 * the Region come the error type and the date, read recursively, so no error
 * type can fall outside the projection (`"$path"` names both).
 * @see https://docs.aws.amazon.com/firehose/latest/dev/data-transformation-failure-handling.html
 */
export function deliveryErrorsTable(input: LogTablesInput): TableConfig {
  return table(input, {
    name: DELIVERY_ERRORS_TABLE,
    description: "Records Firehose could not process or deliver (cloudwatch-logs-errors/)",
    root: ERROR_ROOT,
    partitions: [
      enumOf("account", `${input.accountValues},${CENTRAL_ERROR_ACCOUNT}`),
      enumOf("region", sorted(input.logRegions)),
    ],
    template: `${ERROR_ROOT}account=\${account}/region=\${region}/`,
    classification: "json",
    serDe: OPENX_JSON,
    columns: [
      { name: "attemptsmade", type: "bigint" },
      { name: "arrivaltimestamp", type: "bigint" },
      { name: "errorcode", type: "string" },
      { name: "errormessage", type: "string" },
      { name: "attemptendingtimestamp", type: "bigint" },
      { name: "rawdata", type: "string" },
      { name: "lambdaarn", type: "string" },
    ],
  });
}

/** Every table of the archive: CloudWatch Logs (both formats, and delivery errors) and the enabled direct sources. */
export function archiveTables(input: LogTablesInput, direct: DirectSourceTables): TableConfig[] {
  const tables = [
    envelopeTable(input),
    messagesTable(input),
    deliveryErrorsTable(input),
    ...directSourceTables(input, direct),
  ];
  return [...tables, ...tables.map(anyAccountTable)];
}

/** Suffix of each table's twin whose account is injected. */
export const ANY_ACCOUNT_SUFFIX = "_any_account";

/**
 * The same table with the account injected rather than enumerated: a query
 * names its accounts (`account = '...'` or `IN (...)`, literals) and reads
 * them whether or not the account list holds them yet, so an account that
 * wrote since the last apply of log-archive is never out of reach. A query
 * that names no account fails (CONSTRAINT_VIOLATION) rather than returning
 * nothing.
 * @see https://docs.aws.amazon.com/athena/latest/ug/partition-projection-dynamic-id-partitioning.html
 */
export function anyAccountTable(table: TableConfig): TableConfig {
  const parameters = { ...(table.parameters as Record<string, string>) };
  delete parameters["projection.account.values"];
  parameters["projection.account.type"] = "injected";
  return {
    ...table,
    name: `${table.name}${ANY_ACCOUNT_SUFFIX}`,
    description: `${table.description} (any account, named in the query)`,
    parameters,
  };
}

/**
 * The roots under which a table reads, for the analyst's read grant: exactly
 * these prefixes, nothing else of the archive.
 */
export function readableRoots(tables: readonly TableConfig[]): string[] {
  const roots = tables.map((t) => {
    const location = t.storageDescriptor?.location ?? "";
    return location.replace(/^s3:\/\/[^/]+\//, "");
  });
  return [...new Set(roots)].sort();
}
