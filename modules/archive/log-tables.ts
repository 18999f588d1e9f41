/**
 * Glue tables over the archive's data prefix with partition projection on
 * account, Region and date: no crawler, no partition maintenance. Account and
 * Region values come from the registry, so every account is queryable as soon
 * as its stacks deploy. Queries must filter on year/month/day to stay cheap.
 * @see https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html
 */
import type { GlueCatalogTableConfig } from "@cdktf/provider-aws/lib/glue-catalog-table";
import { DATA_ROOT } from "../naming/key-layout";
import { escapeIamVariables } from "../policy/document";

/** Projection of the years the archive can hold. */
export const FIRST_YEAR = 2024;
export const LAST_YEAR = 2099;

export const ENVELOPE_TABLE = "cloudwatch_logs";
export const MESSAGES_TABLE = "cloudwatch_messages";

const PARTITION_KEYS = ["account", "region", "year", "month", "day", "hour"] as const;

export interface LogTablesInput {
  readonly database: string;
  readonly bucket: string;
  readonly accountIds: readonly string[];
  readonly regions: readonly string[];
}

function projection(input: LogTablesInput): Record<string, string> {
  const location = `s3://${input.bucket}/${DATA_ROOT}`;
  return {
    // Athena skips objects in Glacier Flexible Retrieval and Deep Archive
    // unless the table reads restored ones: set here, so a restore is enough
    // (an ALTER TABLE by hand would be reverted by the next apply).
    // @see https://docs.aws.amazon.com/athena/latest/ug/querying-glacier.html
    read_restored_glacier_objects: "true",
    "projection.enabled": "true",
    "projection.account.type": "enum",
    "projection.account.values": [...input.accountIds].sort().join(","),
    "projection.region.type": "enum",
    "projection.region.values": [...input.regions].sort().join(","),
    "projection.year.type": "integer",
    "projection.year.range": `${FIRST_YEAR},${LAST_YEAR}`,
    "projection.month.type": "integer",
    "projection.month.range": "1,12",
    "projection.month.digits": "2",
    "projection.day.type": "integer",
    "projection.day.range": "1,31",
    "projection.day.digits": "2",
    "projection.hour.type": "integer",
    "projection.hour.range": "0,23",
    "projection.hour.digits": "2",
    // Athena placeholders use ${...}, which Terraform would read as interpolations.
    "storage.location.template": escapeIamVariables(
      `${location}account=\${account}/region=\${region}/year=\${year}/month=\${month}/day=\${day}/hour=\${hour}/`,
    ),
  };
}

function base(input: LogTablesInput, name: string, description: string) {
  return {
    name,
    databaseName: input.database,
    description,
    tableType: "EXTERNAL_TABLE",
    partitionKeys: PARTITION_KEYS.map((key) => ({ name: key, type: "string" })),
  };
}

const TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat";
const TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";

/**
 * The default record format (DESIGN.md contract 4): one CloudWatch Logs
 * envelope per line. Lines that are not JSON (accounts with message
 * extraction) are skipped rather than failing the query.
 */
export function envelopeTable(input: LogTablesInput): Omit<GlueCatalogTableConfig, "dependsOn"> {
  return {
    ...base(input, ENVELOPE_TABLE, "CloudWatch Logs envelopes, one per line (messageExtraction: false)"),
    parameters: { classification: "json", EXTERNAL: "TRUE", ...projection(input) },
    storageDescriptor: {
      location: `s3://${input.bucket}/${DATA_ROOT}`,
      inputFormat: TEXT_INPUT,
      outputFormat: TEXT_OUTPUT,
      serDeInfo: {
        name: "json",
        serializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
        parameters: { "ignore.malformed.json": "true", "case.insensitive": "true" },
      },
      columns: [
        { name: "messagetype", type: "string" },
        { name: "owner", type: "string" },
        { name: "loggroup", type: "string" },
        { name: "logstream", type: "string" },
        { name: "subscriptionfilters", type: "array<string>" },
        { name: "logevents", type: "array<struct<id:string,timestamp:bigint,message:string>>" },
      ],
    },
  };
}

/** The message-extraction variant: each line is one log event's message, as written. */
export function messagesTable(input: LogTablesInput): Omit<GlueCatalogTableConfig, "dependsOn"> {
  return {
    ...base(input, MESSAGES_TABLE, "One log event message per line (messageExtraction: true)"),
    parameters: { classification: "text", EXTERNAL: "TRUE", ...projection(input) },
    storageDescriptor: {
      location: `s3://${input.bucket}/${DATA_ROOT}`,
      inputFormat: TEXT_INPUT,
      outputFormat: TEXT_OUTPUT,
      serDeInfo: {
        name: "lines",
        serializationLibrary: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
        // A control character no log line contains keeps every line one column.
        parameters: { "field.delim": "\u0001", "serialization.format": "\u0001" },
      },
      columns: [{ name: "message", type: "string" }],
    },
  };
}
