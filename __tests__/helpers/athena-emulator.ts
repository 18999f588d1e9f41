/**
 * Runs the archive's Glue tables, views and saved queries over an in-memory
 * bucket with DuckDB, emulating what Athena does with each part:
 *
 * - **Partition projection**: an object is read when its key lies under a
 *   location that the table's `storage.location.template` yields for
 *   projected values (enum values; integers within the range, zero-padded to
 *   `digits`, unpadded without; anything for `injected`), deeper folders
 *   included (Athena lists locations recursively). The partition values come
 *   from the key, as strings.
 * - **SerDes**: OpenX JSON (one document a line, keys case-insensitive,
 *   malformed lines skipped, an object in a string column read as its JSON
 *   text), CloudTrail (`{"Records": [...]}`, one row per record), and
 *   LazySimpleSerDe (delimited fields; `\u0001` keeps whole lines; a header
 *   line skipped with `skip.header.line.count`; `-` in a number column is
 *   NULL). Objects ending `.gz` are gunzipped, as Athena decides by extension.
 * - **SQL**: Athena (Trino) SQL runs as written, with four DuckDB macros for
 *   the Trino functions DuckDB names differently (`ATHENA_MACROS`).
 *
 * The rows are loaded through newline-delimited JSON files in a temporary
 * folder that `close` removes.
 * @see https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

/** Trino functions in DuckDB terms: the only translation the SQL gets. */
export const ATHENA_MACROS = [
  // Trino: from_unixtime(double) -> timestamp(3) with time zone (UTC in Athena).
  "CREATE MACRO from_unixtime(x) AS to_timestamp(x)",
  "CREATE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)",
  // Trino: NULL for invalid JSON and for values that are not scalars.
  "CREATE MACRO json_extract_scalar(j, p) AS CASE WHEN json_valid(j) AND json_type(j, p) NOT IN ('OBJECT', 'ARRAY') THEN json_extract_string(j, p) END",
  // Trino: true when the pattern matches anywhere in the string (not a full match), as DuckDB's regexp_matches.
  "CREATE MACRO regexp_like(s, p) AS regexp_matches(s, p)",
];

export interface GlueColumn {
  readonly name: string;
  readonly type: string;
}

/** The parts of a synthesised aws_glue_catalog_table the emulator reads (snake_case, as in cdk.tf.json). */
export interface GlueTableJson {
  readonly name: string;
  readonly table_type: string;
  readonly parameters?: Record<string, string>;
  readonly partition_keys?: readonly GlueColumn[];
  readonly storage_descriptor: {
    readonly location?: string;
    readonly input_format?: string;
    readonly columns: readonly GlueColumn[];
    readonly ser_de_info?: {
      readonly serialization_library: string;
      readonly parameters?: Record<string, string>;
    };
  };
  readonly view_original_text?: string;
}

/** A bucket: object key to bytes. */
export type Bucket = ReadonlyMap<string, Buffer>;

// --- Hive types -------------------------------------------------------------

/** Hive type to DuckDB type. */
export function duckType(hive: string): string {
  const t = hive.trim();
  const lower = t.toLowerCase();
  if (lower === "string") return "VARCHAR";
  if (lower === "bigint") return "BIGINT";
  if (lower === "int") return "INTEGER";
  if (lower === "double") return "DOUBLE";
  if (lower === "timestamp") return "TIMESTAMP";
  if (lower.startsWith("array<")) return `${duckType(t.slice(6, -1))}[]`;
  if (lower.startsWith("map<")) {
    const [k, v] = splitTop(t.slice(4, -1));
    return `MAP(${duckType(k!)}, ${duckType(v!)})`;
  }
  if (lower.startsWith("struct<")) {
    const fields = splitTop(t.slice(7, -1)).map((f) => {
      const at = f.indexOf(":");
      return `"${f.slice(0, at).trim().toLowerCase()}" ${duckType(f.slice(at + 1))}`;
    });
    return `STRUCT(${fields.join(", ")})`;
  }
  throw new Error(`no DuckDB type for Hive type ${hive}`);
}

/** Splits on commas outside angle brackets. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "<") depth++;
    else if (text[i] === ">") depth--;
    else if (text[i] === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** A JSON value shaped to a Hive type, as the OpenX SerDe reads it. */
function shape(value: unknown, hive: string): unknown {
  if (value === undefined || value === null) return null;
  const lower = hive.trim().toLowerCase();
  if (lower === "string") return typeof value === "string" ? value : JSON.stringify(value);
  if (lower === "bigint" || lower === "int" || lower === "double") {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  if (lower.startsWith("array<"))
    return Array.isArray(value) ? value.map((v) => shape(v, hive.trim().slice(6, -1))) : null;
  if (lower.startsWith("map<")) {
    if (typeof value !== "object" || Array.isArray(value)) return null;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, shape(v, splitTop(hive.trim().slice(4, -1))[1]!)]),
    );
  }
  if (lower.startsWith("struct<")) {
    if (typeof value !== "object" || Array.isArray(value)) return null;
    return shapeStruct(value as Record<string, unknown>, structFields(hive));
  }
  throw new Error(`no shape for ${hive}`);
}

function structFields(hive: string): GlueColumn[] {
  return splitTop(hive.trim().slice(7, -1)).map((f) => {
    const at = f.indexOf(":");
    return { name: f.slice(0, at).trim().toLowerCase(), type: f.slice(at + 1) };
  });
}

/** Case-insensitive field lookup, as `case.insensitive` and the CloudTrail SerDe do. */
function shapeStruct(value: Record<string, unknown>, fields: readonly GlueColumn[]): Record<string, unknown> {
  const byLower = new Map(Object.entries(value).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.fromEntries(
    fields.map((f) => [f.name.toLowerCase(), shape(byLower.get(f.name.toLowerCase()), f.type)]),
  );
}

// --- Partition projection ---------------------------------------------------

interface Placeholder {
  readonly name: string;
  readonly pattern: string;
  readonly accepts: (value: string) => boolean;
}

function placeholder(name: string, parameters: Record<string, string>): Placeholder {
  const type = parameters[`projection.${name}.type`];
  if (type === "enum") {
    const values = (parameters[`projection.${name}.values`] ?? "").split(",");
    return { name, pattern: "([^/]+)", accepts: (v) => values.includes(v) };
  }
  if (type === "injected") return { name, pattern: "([^/]+)", accepts: () => true };
  if (type === "integer") {
    const [low, high] = (parameters[`projection.${name}.range`] ?? "").split(",").map(Number);
    const digits = parameters[`projection.${name}.digits`];
    return {
      name,
      pattern: "([0-9]+)",
      accepts: (v) => {
        const n = Number(v);
        const formatted = digits ? String(n).padStart(Number(digits), "0") : String(n);
        return formatted === v && n >= low! && n <= high!;
      },
    };
  }
  throw new Error(`partition ${name}: projection type ${type} is not emulated`);
}

/**
 * The partition values under which Athena reads `key` for this table, or
 * undefined when no projected location holds it.
 */
export function projectedPartition(
  table: GlueTableJson,
  key: string,
  bucket: string,
): Record<string, string> | undefined {
  const parameters = table.parameters ?? {};
  if (parameters["projection.enabled"] !== "true") throw new Error(`${table.name}: partition projection is off`);
  const template = (parameters["storage.location.template"] ?? "").replace(/\$\$\{/g, "${");
  const prefix = `s3://${bucket}/`;
  if (!template.startsWith(prefix)) throw new Error(`${table.name}: template ${template} is not in ${bucket}`);
  const holders: Placeholder[] = [];
  const regex = template
    .slice(prefix.length)
    .split(/(\$\{[a-z_]+\})/)
    .map((part) => {
      const m = /^\$\{([a-z_]+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const h = placeholder(m[1]!, parameters);
      holders.push(h);
      return h.pattern;
    })
    .join("");
  const match = new RegExp(`^${regex}`).exec(key);
  if (!match) return undefined;
  const values: Record<string, string> = {};
  for (const [i, h] of holders.entries()) {
    const v = match[i + 1]!;
    if (!h.accepts(v)) return undefined;
    values[h.name] = v;
  }
  const partitionNames = (table.partition_keys ?? []).map((p) => p.name);
  if (
    partitionNames.join() !==
    holders
      .map((h) => h.name)
      .sort((a, b) => partitionNames.indexOf(a) - partitionNames.indexOf(b))
      .join()
  ) {
    throw new Error(`${table.name}: the template's placeholders do not match the partition keys`);
  }
  return values;
}

// --- SerDes -----------------------------------------------------------------

function linesOf(body: Buffer): string[] {
  const lines = body.toString("utf8").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Rows of one object, columns only (no partitions). */
export function deserialize(table: GlueTableJson, key: string, object: Buffer): Record<string, unknown>[] {
  const body = key.endsWith(".gz") ? gunzipSync(object) : object;
  const sd = table.storage_descriptor;
  const library = sd.ser_de_info?.serialization_library;
  const columns = sd.columns;
  if (library === "org.openx.data.jsonserde.JsonSerDe") {
    const rows: Record<string, unknown>[] = [];
    for (const line of linesOf(body)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue; // ignore.malformed.json
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) continue;
      rows.push(shapeStruct(parsed as Record<string, unknown>, columns));
    }
    return rows;
  }
  if (library === "com.amazon.emr.hive.serde.CloudTrailSerde") {
    const records = (JSON.parse(body.toString("utf8")) as { Records: Record<string, unknown>[] }).Records;
    return records.map((r) => shapeStruct(r, columns));
  }
  if (library === "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe") {
    const delimiter = sd.ser_de_info?.parameters?.["field.delim"] ?? "\u0001";
    const skip = Number(table.parameters?.["skip.header.line.count"] ?? "0");
    return linesOf(body)
      .slice(skip)
      .map((line) => {
        const fields = line.split(delimiter);
        return Object.fromEntries(
          columns.map((c, i) => {
            const raw = i === columns.length - 1 ? fields.slice(i).join(delimiter) : fields[i];
            const numeric = ["int", "bigint", "double"].includes(c.type);
            const value = raw === undefined ? null : numeric ? (/^-?[0-9.]+$/.test(raw) ? Number(raw) : null) : raw;
            return [c.name, value];
          }),
        );
      });
  }
  throw new Error(`${table.name}: SerDe ${library} is not emulated`);
}

// --- The engine -------------------------------------------------------------

export class AthenaEmulator {
  private readonly folder = mkdtempSync(join(tmpdir(), "athena-emulator-"));
  private files = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async create(database: string): Promise<AthenaEmulator> {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const emulator = new AthenaEmulator(instance, connection);
    await connection.run("SET TimeZone = 'UTC'");
    for (const macro of ATHENA_MACROS) await connection.run(macro);
    await connection.run(`CREATE SCHEMA "${database}"`);
    return emulator;
  }

  /** Loads what Athena would read for `table` from `bucket`, with partition columns and `"$path"`. */
  async addTable(database: string, table: GlueTableJson, bucketName: string, bucket: Bucket): Promise<number> {
    const partitions = table.partition_keys ?? [];
    const columns = [...table.storage_descriptor.columns, ...partitions, { name: "$path", type: "string" }];
    const rows: Record<string, unknown>[] = [];
    for (const [key, object] of bucket) {
      const values = projectedPartition(table, key, bucketName);
      if (!values) continue;
      for (const row of deserialize(table, key, object))
        rows.push({ ...row, ...values, $path: `s3://${bucketName}/${key}` });
    }
    const file = join(this.folder, `${this.files++}.json`);
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join("\n"));
    const spec = columns.map((c) => `'${c.name}': '${duckType(c.type).replace(/'/g, "''")}'`).join(", ");
    const names = columns.map((c) => `"${c.name}"`).join(", ");
    const source =
      rows.length > 0
        ? `SELECT ${names} FROM read_json('${file}', format = 'newline_delimited', columns = {${spec}})`
        : `SELECT ${columns.map((c) => `CAST(NULL AS ${duckType(c.type)}) AS "${c.name}"`).join(", ")} WHERE false`;
    await this.connection.run(`CREATE TABLE "${database}"."${table.name}" AS ${source}`);
    return rows.length;
  }

  /** Creates a view from the Presto view Glue stores (its original SQL). */
  async addView(database: string, view: GlueTableJson): Promise<string> {
    const encoded = /\/\* Presto View: (.*) \*\//.exec(view.view_original_text ?? "")?.[1];
    if (!encoded) throw new Error(`${view.name}: not a Presto view`);
    const presto = JSON.parse(Buffer.from(encoded, "base64").toString("utf8")) as { originalSql: string };
    await this.connection.run(`CREATE VIEW "${database}"."${view.name}" AS ${presto.originalSql}`);
    return presto.originalSql;
  }

  async rows(sql: string): Promise<Record<string, unknown>[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
    rmSync(this.folder, { recursive: true, force: true });
  }
}
