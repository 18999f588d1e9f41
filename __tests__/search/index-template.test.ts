/**
 * Issue 19, defect 7: one dynamic mapping for the whole organisation exceeds
 * OpenSearch's field limits (`index.mapping.total_fields.limit`, 1,000 by
 * default): every parsed JSON message used to land under `events[].json.*`.
 * The index template fixes the document's fields; here every document the
 * transform emits, over the whole seeded corpus and over messages built to
 * explode a dynamic mapping, validates against the template's mapping: every
 * field it writes is mapped, with a type that accepts the value, and the
 * fields it uses are the same few whatever the messages contain.
 */
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { MESSAGE_KINDS, recordCorpus, T0, transformationRequests } from "../helpers/records/corpus";
import {
  indexTemplateRequest,
  searchIndexTemplate,
  SEARCH_DOCUMENT_MAPPINGS,
  type IndexMappings,
} from "../../modules/search/index-template";
import { nodeCodec } from "../../modules/search/transform/handler";
import { transform, type FirehoseTransformationEvent } from "../../modules/search/transform/transform";

type Mapping = IndexMappings["properties"][string];

/** Every mapped field, objects included: what index.mapping.total_fields.limit counts. */
function mappedFields(properties: Readonly<Record<string, Mapping>>, prefix = ""): string[] {
  return Object.entries(properties).flatMap(([name, m]) => [
    `${prefix}${name}`,
    ...("properties" in m ? mappedFields(m.properties, `${prefix}${name}.`) : []),
  ]);
}

/** What a field of each type accepts, as OpenSearch would parse the transform's JSON values. */
const ACCEPTS: Record<string, (v: unknown) => boolean> = {
  // The date type's default format is strict_date_optional_time||epoch_millis; the transform writes toISOString().
  date: (v) => typeof v === "string" && /^[+-]?\d{4,6}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v),
  keyword: (v) => typeof v === "string",
  text: (v) => typeof v === "string",
  integer: (v) => Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31,
};

/** Problems of one document against the mapping: unmapped fields and values the mapped type refuses. */
function validate(doc: unknown, properties: Readonly<Record<string, Mapping>>, path = ""): string[] {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return [`${path || "document"}: not an object`];
  return Object.entries(doc).flatMap(([name, value]) => {
    const field = `${path}${name}`;
    const mapping = properties[name];
    if (mapping === undefined) return [`${field}: not mapped`];
    const values = Array.isArray(value) ? value : [value];
    return values.flatMap((v) => {
      if ("properties" in mapping) return validate(v, mapping.properties, `${field}.`);
      return ACCEPTS[mapping.type]!(v) ? [] : [`${field}: ${mapping.type} refuses ${JSON.stringify(v).slice(0, 40)}`];
    });
  });
}

/** The field paths a document uses (arrays flattened, as OpenSearch maps them). */
function usedFields(doc: unknown, path = ""): string[] {
  if (typeof doc !== "object" || doc === null) return [];
  if (Array.isArray(doc)) return doc.flatMap((d) => usedFields(d, path));
  return Object.entries(doc).flatMap(([name, v]) => [`${path}${name}`, ...usedFields(v, `${path}${name}.`)]);
}

const codec = nodeCodec();

function documentsOf(requests: FirehoseTransformationEvent[]): unknown[] {
  return requests.flatMap((request) =>
    transform(request, codec, { maxResponseBytes: Number.MAX_SAFE_INTEGER })
      .response.records.filter((r) => r.result === "Ok")
      .map((r) => JSON.parse(Buffer.from(r.data, "base64").toString("utf8"))),
  );
}

/** Messages that would explode a dynamic mapping: JSON with thousands of distinct keys, deep, of clashing types. */
function explosiveRequest(): FirehoseTransformationEvent {
  const messages = [
    JSON.stringify(Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`key${i}`, i % 2 ? i : `v${i}`]))),
    JSON.stringify({ a: { b: { c: { d: { e: { f: { g: { h: { i: { j: { k: { l: 1 } } } } } } } } } } } }),
    JSON.stringify({ key1: { nested: true }, "@timestamp": "yesterday", eventCount: "many", events: "none" }),
    "plain text, not JSON",
    "",
  ];
  const payload = {
    messageType: "DATA_MESSAGE",
    owner: "222222222222",
    logGroup: "/app/chaos",
    logStream: "stream",
    subscriptionFilters: ["cwl-archive"],
    logEvents: messages.map((message, i) => ({ id: String(i), timestamp: T0 + i, message })),
  };
  return { records: [{ recordId: "x", data: gzipSync(JSON.stringify(payload)).toString("base64") }] };
}

const FIELDS = mappedFields(SEARCH_DOCUMENT_MAPPINGS.properties);

describe("the index template", () => {
  test("maps a fixed set of typed fields, far below index.mapping.total_fields.limit (1,000)", () => {
    expect(FIELDS).toEqual([
      "@timestamp",
      "lastTimestamp",
      "account",
      "logGroup",
      "logStream",
      "subscriptionFilters",
      "eventCount",
      "events",
      "events.@timestamp",
      "events.id",
      "events.message",
    ]);
    // dynamic: false: a field it does not name stays in _source, unmapped; the mapping never grows.
    expect(SEARCH_DOCUMENT_MAPPINGS.dynamic).toBe(false);
  });

  test("events are a plain object array, not nested: no index.mapping.nested_objects.limit (10,000) per document", () => {
    expect(JSON.stringify(SEARCH_DOCUMENT_MAPPINGS)).not.toContain("nested");
    expect(SEARCH_DOCUMENT_MAPPINGS.properties.events).toEqual({
      properties: { "@timestamp": { type: "date" }, id: { type: "keyword" }, message: { type: "text" } },
    });
  });

  test.each(MESSAGE_KINDS)("every document of the %s corpus validates against the mapping", (kind) => {
    const records = recordCorpus({ seed: 7, kind, compressedBytes: 200_000, largeEventShare: 0.1, controlShare: 0.05 });
    const docs = documentsOf(transformationRequests(records, { bufferMiB: 0.2 }));
    expect(docs.length).toBeGreaterThan(0);
    expect(docs.flatMap((d) => validate(d, SEARCH_DOCUMENT_MAPPINGS.properties))).toEqual([]);
  });

  test("messages built to explode a dynamic mapping add no field: the fields used are the template's, whatever the messages", () => {
    const [doc] = documentsOf([explosiveRequest()]);
    expect(validate(doc, SEARCH_DOCUMENT_MAPPINGS.properties)).toEqual([]);
    expect([...new Set(usedFields(doc))].sort()).toEqual([...FIELDS].sort());
  });

  test("covers the indexes Firehose writes, whatever the rotation", () => {
    const { index_patterns } = searchIndexTemplate("cloudwatch-logs");
    const matches = (name: string) =>
      index_patterns.some((p) =>
        new RegExp(`^${p.replace(/[-/\\^$+?.()|[\]{}]/g, "\\$&").replace(/\*/g, ".*")}$`).test(name),
      );
    // NoRotation, OneHour, OneDay, OneWeek, OneMonth (es-index-rotation.html: the stamp is appended after a hyphen).
    for (const name of [
      "cloudwatch-logs",
      "cloudwatch-logs-2026-12-01-12",
      "cloudwatch-logs-2026-12-01",
      "cloudwatch-logs-2026-w48",
      "cloudwatch-logs-2026-12",
    ]) {
      expect(matches(name)).toBe(true);
    }
    expect(matches("other-logs-2026-12-01")).toBe(false);
  });

  test("the committed opensearch-index-template.json is the template of the default index name, and the REST call applies it", () => {
    const committed = JSON.parse(readFileSync("modules/search/opensearch-index-template.json", "utf8"));
    expect(committed).toEqual(searchIndexTemplate("cloudwatch-logs"));
    expect(indexTemplateRequest("cloudwatch-logs")).toEqual({
      method: "PUT",
      path: "/_index_template/cloudwatch-logs",
      body: committed,
    });
  });
});
