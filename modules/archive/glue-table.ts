/**
 * What every Glue table over the archive is made of: partition projection
 * (no crawler, no partition maintenance), the key template, the SerDe. The
 * tables of CloudWatch Logs (log-tables.ts) and of each direct source (its
 * folder under modules/sources/) are built from these.
 * @see https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html
 */
import type { GlueCatalogTableConfig } from "@cdktf/provider-aws/lib/glue-catalog-table";
import { escapeIamVariables } from "../policy/document";

/** Projection of the years the archive can hold. */
export const FIRST_YEAR = 2024;
export const LAST_YEAR = 2099;

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

export type Projected =
  | { readonly name: string; readonly type: "enum"; readonly values: string }
  | { readonly name: string; readonly type: "integer"; readonly range: string; readonly digits?: number }
  | { readonly name: string; readonly type: "injected" };

export const enumOf = (name: string, values: string): Projected => ({ name, type: "enum", values });
export const sorted = (values: readonly string[]) => [...values].sort().join(",");

/** year, month, day (and hour), as integers in the key, zero-padded to `digits` (1: not padded). */
export function dateParts(withHour: boolean, digits: 1 | 2): Projected[] {
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
export const OPENX_JSON = {
  name: "json",
  serializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
  parameters: { "ignore.malformed.json": "true", "case.insensitive": "true" },
};
/** A control character no log line contains keeps every line one column. */
export const WHOLE_LINES = {
  name: "lines",
  serializationLibrary: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
  parameters: { "field.delim": "\u0001", "serialization.format": "\u0001" },
};

export interface TableSpec {
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

export function table(input: LogTablesInput, spec: TableSpec): TableConfig {
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
  /** Settings of direct sources registered beyond the built-in ones, by registryKey (DirectSourceSettings.sections). @default - none */
  readonly sections?: Readonly<Record<string, unknown>>;
}
