/**
 * Glue tables over every source the archive holds, each with partition
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
import type { GlueCatalogTableConfig } from "@cdktf/provider-aws/lib/glue-catalog-table";
import { DATA_ROOT, DIRECT_SOURCE_ROOTS, ERROR_ROOT } from "../naming/key-layout";
import { escapeIamVariables } from "../policy/document";

/** Projection of the years the archive can hold. */
export const FIRST_YEAR = 2024;
export const LAST_YEAR = 2099;

export const ENVELOPE_TABLE = "cloudwatch_logs";
export const MESSAGES_TABLE = "cloudwatch_messages";
export const DELIVERY_ERRORS_TABLE = "cloudwatch_logs_errors";
export const CLOUDTRAIL_TABLE = "cloudtrail";
export const FLOW_LOGS_TABLE = "vpc_flow_logs";
export const CONFIG_TABLE = "config";
export const AGENT_LOGS_TABLE = "agent_logs";

/** The account placeholder of the delivery-error layout for central records whose account was not known. */
export const CENTRAL_ERROR_ACCOUNT = "central";

/** Config's two kinds of delivered files, each in its own folder under the day. */
export const CONFIG_FILE_TYPES = ["ConfigHistory", "ConfigSnapshot"] as const;

export interface LogTablesInput {
  readonly database: string;
  readonly bucket: string;
  /**
   * Comma-separated account ids the tables project: a literal list, or a
   * Terraform expression resolved when log-archive is planned.
   */
  readonly accountValues: string;
  /** Regions where Firehose writes CloudWatch Logs (the sources' and the central streams'). */
  readonly logRegions: readonly string[];
  /** Regions AWS services may write from: every Region an account can enable. */
  readonly serviceRegions: readonly string[];
}

export type TableConfig = Omit<GlueCatalogTableConfig, "dependsOn">;

type Projected =
  | { readonly name: string; readonly type: "enum"; readonly values: string }
  | { readonly name: string; readonly type: "integer"; readonly range: string; readonly digits?: number }
  | { readonly name: string; readonly type: "injected" };

const enumOf = (name: string, values: string): Projected => ({ name, type: "enum", values });
const sorted = (values: readonly string[]) => [...values].sort().join(",");

/** year, month, day (and hour), as integers in the key, zero-padded to `digits` (1: not padded). */
function dateParts(withHour: boolean, digits: 1 | 2): Projected[] {
  const pad = digits === 2 ? { digits: 2 } : {};
  return [
    { name: "year", type: "integer", range: `${FIRST_YEAR},${LAST_YEAR}` },
    { name: "month", type: "integer", range: "1,12", ...pad },
    { name: "day", type: "integer", range: "1,31", ...pad },
    ...(withHour ? [{ name: "hour", type: "integer" as const, range: "0,23", ...pad }] : []),
  ];
}

/** Table parameters of a projection: every partition column projected, and the key template. */
export function projectionParameters(partitions: readonly Projected[], template: string): Record<string, string> {
  const parameters: Record<string, string> = {
    // Athena skips objects in Glacier Flexible Retrieval and Deep Archive
    // unless the table reads restored ones: set here, so a restore is enough
    // (an ALTER TABLE by hand would be reverted by the next apply).
    // @see https://docs.aws.amazon.com/athena/latest/ug/querying-glacier.html
    read_restored_glacier_objects: "true",
    "projection.enabled": "true",
  };
  for (const p of partitions) {
    parameters[`projection.${p.name}.type`] = p.type;
    if (p.type === "enum") parameters[`projection.${p.name}.values`] = p.values;
    if (p.type === "integer") {
      parameters[`projection.${p.name}.range`] = p.range;
      if (p.digits !== undefined) parameters[`projection.${p.name}.digits`] = String(p.digits);
    }
  }
  // Athena placeholders use ${...}, which Terraform would read as interpolations.
  parameters["storage.location.template"] = escapeIamVariables(template);
  return parameters;
}

/** The key template of a table, with `${column}` placeholders (unescaped), for tests and docs. */
export function locationTemplate(table: TableConfig): string {
  const raw = table.parameters?.["storage.location.template"];
  if (typeof raw !== "string") throw new Error(`table ${table.name} has no storage.location.template`);
  return raw.replace(/\$\$\{/g, "${");
}

const TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat";
const TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
const OPENX_JSON = {
  name: "json",
  serializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
  parameters: { "ignore.malformed.json": "true", "case.insensitive": "true" },
};
/** A control character no log line contains keeps every line one column. */
const WHOLE_LINES = {
  name: "lines",
  serializationLibrary: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
  parameters: { "field.delim": "\u0001", "serialization.format": "\u0001" },
};

interface TableSpec {
  readonly name: string;
  readonly description: string;
  readonly root: string;
  readonly partitions: readonly Projected[];
  /** Key template after the bucket, with `${column}` placeholders. */
  readonly template: string;
  readonly classification: string;
  readonly serDe: { name: string; serializationLibrary: string; parameters: Record<string, string> };
  readonly inputFormat?: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly extraParameters?: Record<string, string>;
}

function table(input: LogTablesInput, spec: TableSpec): TableConfig {
  const location = `s3://${input.bucket}/${spec.root}`;
  return {
    name: spec.name,
    databaseName: input.database,
    description: spec.description,
    tableType: "EXTERNAL_TABLE",
    partitionKeys: spec.partitions.map((p) => ({ name: p.name, type: "string" })),
    parameters: {
      classification: spec.classification,
      EXTERNAL: "TRUE",
      ...spec.extraParameters,
      ...projectionParameters(spec.partitions, `s3://${input.bucket}/${spec.template}`),
    },
    storageDescriptor: {
      location,
      inputFormat: spec.inputFormat ?? TEXT_INPUT,
      outputFormat: TEXT_OUTPUT,
      serDeInfo: spec.serDe,
      columns: spec.columns.map((c) => ({ ...c })),
    },
  };
}

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

/**
 * The organization trail: every account of the organization, every Region.
 * Columns as in AWS's CloudTrail table for Athena; the variable JSON fields
 * stay strings for json_extract.
 * @see https://docs.aws.amazon.com/athena/latest/ug/cloudtrail-serde.html
 * @see https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html
 */
export function cloudTrailTable(input: LogTablesInput, organizationId: string): TableConfig {
  const root = `${DIRECT_SOURCE_ROOTS.cloudtrail}AWSLogs/${organizationId}/`;
  return table(input, {
    name: CLOUDTRAIL_TABLE,
    description: "The organization trail: management events of every account and Region",
    root,
    partitions: [
      enumOf("account", input.accountValues),
      enumOf("region", sorted(input.serviceRegions)),
      ...dateParts(false, 2),
    ],
    template: `${root}\${account}/CloudTrail/\${region}/\${year}/\${month}/\${day}/`,
    classification: "cloudtrail",
    serDe: { name: "cloudtrail", serializationLibrary: "com.amazon.emr.hive.serde.CloudTrailSerde", parameters: {} },
    inputFormat: "com.amazon.emr.cloudtrail.CloudTrailInputFormat",
    columns: [
      { name: "eventversion", type: "string" },
      {
        name: "useridentity",
        type: "struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string,sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>>>",
      },
      { name: "eventtime", type: "string" },
      { name: "eventsource", type: "string" },
      { name: "eventname", type: "string" },
      { name: "awsregion", type: "string" },
      { name: "sourceipaddress", type: "string" },
      { name: "useragent", type: "string" },
      { name: "errorcode", type: "string" },
      { name: "errormessage", type: "string" },
      { name: "requestparameters", type: "string" },
      { name: "responseelements", type: "string" },
      { name: "additionaleventdata", type: "string" },
      { name: "requestid", type: "string" },
      { name: "eventid", type: "string" },
      { name: "resources", type: "array<struct<arn:string,accountid:string,type:string>>" },
      { name: "eventtype", type: "string" },
      { name: "readonly", type: "string" },
      { name: "recipientaccountid", type: "string" },
      { name: "sharedeventid", type: "string" },
      { name: "vpcendpointid", type: "string" },
      { name: "eventcategory", type: "string" },
    ],
  });
}

/**
 * VPC Flow Logs as the project creates them (plain text, default format,
 * per-hour partitions, no Hive-style prefixes): space-separated fields with a
 * header line.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 */
export function flowLogsTable(input: LogTablesInput): TableConfig {
  const root = `${DIRECT_SOURCE_ROOTS["vpc-flow-logs"]}AWSLogs/`;
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

/**
 * AWS Config configuration history and snapshots: one JSON document per
 * file with its configuration items. Config does not zero-pad month and day.
 * @see https://docs.aws.amazon.com/config/latest/developerguide/example-configuration-snapshot-notification.html
 */
export function configTable(input: LogTablesInput): TableConfig {
  const root = `${DIRECT_SOURCE_ROOTS.config}AWSLogs/`;
  return table(input, {
    name: CONFIG_TABLE,
    description: "AWS Config configuration history and snapshots of every organization account",
    root,
    partitions: [
      enumOf("account", input.accountValues),
      enumOf("region", sorted(input.serviceRegions)),
      ...dateParts(false, 1),
      enumOf("filetype", CONFIG_FILE_TYPES.join(",")),
    ],
    template: `${root}\${account}/Config/\${region}/\${year}/\${month}/\${day}/\${filetype}/`,
    classification: "json",
    serDe: OPENX_JSON,
    columns: [
      { name: "fileversion", type: "string" },
      { name: "configsnapshotid", type: "string" },
      {
        name: "configurationitems",
        type: "array<struct<configurationitemversion:string,configurationitemcapturetime:string,configurationstateid:bigint,awsaccountid:string,configurationitemstatus:string,resourcetype:string,resourceid:string,resourcename:string,arn:string,awsregion:string,availabilityzone:string,resourcecreationtime:string,tags:map<string,string>,configuration:string>>",
      },
    ],
  });
}

/**
 * Log agents' objects (docs/agents): one JSON record per line as the agent
 * writes it, kept whole. The tag folder is chosen by each agent's
 * configuration, so it is injected: a query names the tags it reads.
 */
export function agentLogsTable(input: LogTablesInput): TableConfig {
  const root = DIRECT_SOURCE_ROOTS.agents;
  return table(input, {
    name: AGENT_LOGS_TABLE,
    description: "Log agents' JSON lines (agents/<account>/<tag>/YYYY/MM/DD/HH/)",
    root,
    partitions: [enumOf("account", input.accountValues), { name: "tag", type: "injected" }, ...dateParts(true, 2)],
    template: `${root}\${account}/\${tag}/\${year}/\${month}/\${day}/\${hour}/`,
    classification: "text",
    serDe: WHOLE_LINES,
    columns: [{ name: "line", type: "string" }],
  });
}

/** Which direct sources the archive admits, and so has tables for. */
export interface DirectSourceTables {
  /** The organization's id: the trail writes under `AWSLogs/<org id>/`. @default - no CloudTrail table */
  readonly cloudTrailOrganizationId?: string;
  /** @default false */
  readonly vpcFlowLogs?: boolean;
  /** @default false */
  readonly config?: boolean;
  /** @default false */
  readonly agents?: boolean;
}

/** Every table of the archive: CloudWatch Logs (both formats, and delivery errors) and the enabled direct sources. */
export function archiveTables(input: LogTablesInput, direct: DirectSourceTables): TableConfig[] {
  const tables = [
    envelopeTable(input),
    messagesTable(input),
    deliveryErrorsTable(input),
    ...(direct.cloudTrailOrganizationId ? [cloudTrailTable(input, direct.cloudTrailOrganizationId)] : []),
    ...(direct.vpcFlowLogs ? [flowLogsTable(input)] : []),
    ...(direct.config ? [configTable(input)] : []),
    ...(direct.agents ? [agentLogsTable(input)] : []),
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
