/**
 * Athena views over the tables, stored in Glue as Presto views (the form
 * Athena's own CREATE VIEW writes: the SQL and its columns, base64-encoded in
 * `view_original_text`), so that Terraform owns them like the tables.
 *
 * - `cloudwatch_events`: one row per log event of both formats. Envelope
 *   objects are unnested (DATA_MESSAGE only: control messages never reach
 *   the data prefix, the filter keeps it so) with event time (milliseconds
 *   kept), log group and stream; message-extraction objects give one row per
 *   line with neither (they do not exist in the object) and their envelope
 *   lines, if an account's format changed, are left to the envelope side.
 * - `guardduty_findings`: the GuardDuty findings the sources route through
 *   their `/<prefix>/guardduty` log group, with the finding's fields; from
 *   message-extraction accounts too, whose lines have no log group: there the
 *   finding is recognised by the EventBridge event itself.
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/views.html
 */
import type { TableConfig } from "./log-tables";
import { ENVELOPE_TABLE, MESSAGES_TABLE } from "./log-tables";

export const EVENTS_VIEW = "cloudwatch_events";
export const GUARDDUTY_VIEW = "guardduty_findings";

/** The first characters of every envelope CloudWatch Logs writes. */
export const ENVELOPE_START = '{"messageType":';

export interface ViewColumn {
  readonly name: string;
  /** Presto / Trino type, as the view stores it. */
  readonly presto: string;
  /** Hive type, as Glue lists it. */
  readonly hive: string;
}

export interface ViewSpec {
  readonly name: string;
  readonly description: string;
  readonly sql: string;
  readonly columns: readonly ViewColumn[];
}

const text = (name: string): ViewColumn => ({ name, presto: "varchar", hive: "string" });
const PARTITIONS = ["year", "month", "day", "hour"].map(text);

/** `"database"."table"` */
export function qualified(database: string, table: string): string {
  return `"${database}"."${table}"`;
}

export function eventsView(database: string): ViewSpec {
  return {
    name: EVENTS_VIEW,
    description: "Every CloudWatch Logs event of both formats, with event time, log group and account",
    sql: [
      "SELECT account, region, loggroup AS log_group, logstream AS log_stream,",
      "       CAST(from_unixtime(e.timestamp / 1e3) AS timestamp(3)) AS event_time,",
      "       e.message AS message, 'envelope' AS format, year, month, day, hour",
      `FROM ${qualified(database, ENVELOPE_TABLE)}`,
      "CROSS JOIN UNNEST(logevents) AS t (e)",
      "WHERE messagetype = 'DATA_MESSAGE'",
      "UNION ALL",
      "SELECT account, region, CAST(NULL AS varchar), CAST(NULL AS varchar),",
      "       CAST(NULL AS timestamp(3)),",
      "       message, 'message', year, month, day, hour",
      `FROM ${qualified(database, MESSAGES_TABLE)}`,
      `WHERE NOT starts_with(message, '${ENVELOPE_START}')`,
    ].join("\n"),
    columns: [
      text("account"),
      text("region"),
      text("log_group"),
      text("log_stream"),
      { name: "event_time", presto: "timestamp(3)", hive: "timestamp" },
      text("message"),
      text("format"),
      ...PARTITIONS,
    ],
  };
}

/**
 * GuardDuty findings, from the EventBridge events the sources write into
 * their findings log group. The rule delivers the whole event as the log
 * event's message: `{"version": "0", "detail-type": "GuardDuty Finding",
 * "source": "aws.guardduty", "time": ..., "detail": {<the finding>}}`.
 * Envelope rows are found by their log group; message-extraction rows have
 * none (the object holds only the message), so they are found by the event:
 * `source` is `aws.guardduty` and the detail is a finding (it has a `type`).
 * Their event time is the event's `time`, as the envelope's timestamp is.
 * `detail-type` is not tested: Athena's JSON path would need `$["detail-type"]`,
 * and the sources' rule admits only "GuardDuty Finding" events anyway.
 * @see https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings_eventbridge.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/ref/events-structure.html
 */
export function guardDutyView(database: string, guardDutyLogGroup: string): ViewSpec {
  const field = (path: string) => `json_extract_scalar(message, '${path}')`;
  return {
    name: GUARDDUTY_VIEW,
    description: "GuardDuty findings routed through CloudWatch Logs, one row per finding event, of both formats",
    sql: [
      "SELECT account, region,",
      `       coalesce(event_time, CAST(from_iso8601_timestamp(${field("$.time")}) AS timestamp(3))) AS event_time,`,
      `       ${field("$.detail.id")} AS finding_id,`,
      `       ${field("$.detail.type")} AS finding_type,`,
      `       CAST(${field("$.detail.severity")} AS double) AS severity,`,
      `       ${field("$.detail.accountId")} AS finding_account,`,
      `       ${field("$.detail.title")} AS title,`,
      "       message, year, month, day, hour",
      `FROM ${qualified(database, EVENTS_VIEW)}`,
      `WHERE log_group = '${guardDutyLogGroup}'`,
      `   OR (log_group IS NULL AND ${field("$.source")} = 'aws.guardduty' AND ${field("$.detail.type")} IS NOT NULL)`,
    ].join("\n"),
    columns: [
      text("account"),
      text("region"),
      { name: "event_time", presto: "timestamp(3)", hive: "timestamp" },
      text("finding_id"),
      text("finding_type"),
      { name: "severity", presto: "double", hive: "double" },
      text("finding_account"),
      text("title"),
      text("message"),
      ...PARTITIONS,
    ],
  };
}

/**
 * The Glue table of a view, as Athena stores one.
 * @see https://docs.aws.amazon.com/athena/latest/ug/views-console.html
 */
export function viewTable(database: string, view: ViewSpec): TableConfig {
  const presto = {
    originalSql: view.sql,
    catalog: "awsdatacatalog",
    schema: database,
    columns: view.columns.map((c) => ({ name: c.name, type: c.presto })),
  };
  return {
    name: view.name,
    databaseName: database,
    description: view.description,
    tableType: "VIRTUAL_VIEW",
    viewOriginalText: `/* Presto View: ${Buffer.from(JSON.stringify(presto)).toString("base64")} */`,
    viewExpandedText: "/* Presto View */",
    parameters: { presto_view: "true", comment: "Presto View" },
    storageDescriptor: { columns: view.columns.map((c) => ({ name: c.name, type: c.hive })) },
  };
}
