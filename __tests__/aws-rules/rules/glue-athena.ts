/**
 * AWS Glue Data Catalog and Amazon Athena: names Athena can query, table
 * creation order, workgroup settings, alarms on a workgroup's metrics.
 */
import type { TfJson } from "../../helpers/synth";
import { defineRule, type Rule } from "../lib/rule";
import { all, blocks, dependsOn, first, refTo, unresolved, type Res } from "../lib/tf";

const SERVICE = "glue-athena";

interface Named {
  readonly address: string;
  readonly what: string;
  readonly name: string;
}

function catalogNames(stack: TfJson): Named[] {
  const out: Named[] = [];
  for (const d of all(stack, "aws_glue_catalog_database"))
    out.push({ address: d.address, what: "database", name: d.config.name });
  for (const t of all(stack, "aws_glue_catalog_table")) {
    out.push({ address: t.address, what: "table", name: t.config.name });
    const columns = [...blocks(first(t.config.storage_descriptor)?.columns), ...blocks(t.config.partition_keys)];
    for (const c of columns) out.push({ address: t.address, what: "column", name: c.name });
  }
  return out.filter((n) => typeof n.name === "string" && !unresolved(n.name));
}

export const catalogNamesForAthena = defineRule<Named>({
  id: "glue-athena-catalog-names",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html",
  description:
    "Database, table and column names 'must be a UTF-8 string and should be in lower case', 1-255 bytes; Athena " +
    "lower-cases names in DDL, so a mixed-case name in Glue does not match what queries use. Leading spaces are " +
    "rejected here too (the page warns against them).",
  needs: "monitoring.athena.enabled",
  targets: catalogNames,
  address: (n) => n.address,
  violations: (n) => {
    const out: string[] = [];
    const bytes = Buffer.byteLength(n.name, "utf8");
    if (bytes < 1 || bytes > 255) out.push(`${n.what} name "${n.name}" is ${bytes} bytes, must be 1-255`);
    if (n.name !== n.name.toLowerCase()) out.push(`${n.what} name "${n.name}" is not lower case`);
    if (/^\s/.test(n.name)) out.push(`${n.what} name "${n.name}" starts with white space`);
    return out;
  },
});

export const tableWaitsForDatabase = defineRule<Res>({
  id: "glue-table-waits-for-database",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/glue/latest/webapi/API_CreateTable.html",
  description:
    "CreateTable fails with EntityNotFoundException when the database does not exist yet, so a table whose database " +
    "is created in the same stack references it or depends on it.",
  needs: "monitoring.athena.enabled",
  targets: (stack) =>
    all(stack, "aws_glue_catalog_table").filter((t) =>
      all(stack, "aws_glue_catalog_database").some(
        (d) => d.config.name === t.config.database_name || refTo(stack, t.config.database_name)?.address === d.address,
      ),
    ),
  address: (t) => t.address,
  violations: (t, stack) => {
    if (refTo(stack, t.config.database_name)?.type === "aws_glue_catalog_database") return [];
    const db = all(stack, "aws_glue_catalog_database").find((d) => d.config.name === t.config.database_name)!;
    return dependsOn(t.config).includes(db.address)
      ? []
      : [`names database ${t.config.database_name} literally without depending on ${db.address}`];
  },
});

export const workgroup = defineRule<Res>({
  id: "athena-workgroup",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateWorkGroup.html",
  description:
    "Workgroup names are 1-128 characters of [a-zA-Z0-9._-]; BytesScannedCutoffPerQuery is at least 10,000,000 " +
    "bytes (10 MB). Neither number was confirmed from an AWS page in this review (both are from the Athena API " +
    "model as recalled); treat a failure as a prompt to check the reference.",
  needs: "monitoring.athena.enabled",
  targets: (stack) => all(stack, "aws_athena_workgroup"),
  address: (w) => w.address,
  violations: (w) => {
    const out: string[] = [];
    const name = w.config.name;
    if (typeof name === "string" && !unresolved(name) && !/^[a-zA-Z0-9._-]{1,128}$/.test(name))
      out.push(`workgroup name "${name}" must be 1-128 of [a-zA-Z0-9._-]`);
    const cutoff = first(w.config.configuration)?.bytes_scanned_cutoff_per_query;
    if (cutoff !== undefined && cutoff < 10_000_000)
      out.push(`bytes_scanned_cutoff_per_query is ${cutoff}, at least 10000000`);
    return out;
  },
});

export const namedQuery = defineRule<Res>({
  id: "athena-named-query",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/athena/latest/APIReference/API_NamedQuery.html",
  description:
    "A named query's Name is 1-128 characters, its Description 1-1024, its Database 1-255 and its QueryString " +
    "1-262144 (a quota AWS Support cannot raise); the provider checks none of them.",
  needs: "monitoring.athena.enabled",
  targets: (stack) => all(stack, "aws_athena_named_query"),
  address: (q) => q.address,
  violations: (q) => {
    const out: string[] = [];
    const within = (field: string, low: number, high: number) => {
      const value = q.config[field];
      if (typeof value !== "string" || unresolved(value)) return;
      if (value.length < low || value.length > high)
        out.push(`${field} is ${value.length} characters, must be ${low}-${high}`);
    };
    within("name", 1, 128);
    within("description", 1, 1024);
    within("database", 1, 255);
    within("query", 1, 262144);
    return out;
  },
});

/**
 * Partition projection: Athena computes a partition's location from the
 * template, so every partition column needs a projection type and a
 * placeholder in the template; an enum with no value projects nothing.
 */
export const partitionProjection = defineRule<Res>({
  id: "athena-partition-projection",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/athena/latest/ug/partition-projection-setting-up.html",
  description:
    "With projection.enabled, every partition column has projection.<column>.type, and the " +
    "storage.location.template names each partition column as ${column} (written $${column} for Terraform); " +
    "an enum column has at least one value.",
  needs: "monitoring.athena.enabled",
  targets: (stack) =>
    all(stack, "aws_glue_catalog_table").filter((t) => t.config.parameters?.["projection.enabled"] === "true"),
  address: (t) => t.address,
  violations: (t) => {
    const out: string[] = [];
    const parameters: Record<string, string> = t.config.parameters;
    const template = parameters["storage.location.template"] ?? "";
    for (const column of blocks(t.config.partition_keys).map((k) => k.name as string)) {
      const type = parameters[`projection.${column}.type`];
      if (!type) out.push(`partition ${column} has no projection.${column}.type`);
      if (!template.includes(`$\${${column}}`))
        out.push(`the template does not name partition ${column} as $\${${column}}`);
      const values = parameters[`projection.${column}.values`];
      if (type === "enum" && typeof values === "string" && !unresolved(values) && values.trim() === "")
        out.push(`enum partition ${column} has no value`);
    }
    return out;
  },
});

/** The workgroups whose AWS/Athena metrics an alarm reads (single metric or metric math). */
function athenaAlarmWorkgroups(alarm: Res): string[] {
  const metrics = [
    ...(alarm.config.namespace === "AWS/Athena" ? [alarm.config] : []),
    ...blocks(alarm.config.metric_query)
      .map((q) => first(q.metric))
      .filter((m) => m?.namespace === "AWS/Athena"),
  ];
  return [...new Set(metrics.map((m) => m.dimensions?.WorkGroup).filter((w): w is string => typeof w === "string"))];
}

export const athenaAlarmNeedsMetrics = defineRule<Res>({
  id: "athena-alarm-needs-published-metrics",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/athena/latest/ug/query-metrics-viewing.html",
  description:
    "Athena publishes its query metrics (AWS/Athena, e.g. ProcessedBytes, dimensions QueryState, QueryType, " +
    "WorkGroup) only for workgroups with publish_cloudwatch_metrics_enabled ('when Publish to CloudWatch is " +
    "selected'); an alarm on a workgroup that does not publish, or on one the stack does not define, never fires.",
  needs: "monitoring.athena.enabled",
  targets: (stack) => all(stack, "aws_cloudwatch_metric_alarm").filter((a) => athenaAlarmWorkgroups(a).length > 0),
  address: (a) => a.address,
  violations: (a, stack) =>
    athenaAlarmWorkgroups(a).flatMap((name) => {
      const wg = all(stack, "aws_athena_workgroup").find(
        (w) => w.config.name === name || refTo(stack, name)?.address === w.address,
      );
      if (!wg) return [`reads the metrics of workgroup ${name}, which this stack does not define`];
      return first(wg.config.configuration)?.publish_cloudwatch_metrics_enabled === true
        ? []
        : [`reads the metrics of workgroup ${name}, which does not publish them (publish_cloudwatch_metrics_enabled)`];
    }),
});

export const rules: readonly Rule[] = [
  catalogNamesForAthena,
  tableWaitsForDatabase,
  workgroup,
  namedQuery,
  partitionProjection,
  athenaAlarmNeedsMetrics,
];
