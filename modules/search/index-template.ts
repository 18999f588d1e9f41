/**
 * The OpenSearch index template of search delivery: the one mapping every
 * document of the transform (transform/transform.ts, SearchDocument) is
 * indexed with, whatever the organisation logs. Pure data: the AWS provider
 * cannot call the domain's REST API, so the domain owner applies it (README,
 * "Search delivery to OpenSearch"; modules/search/opensearch-index-template.json is the
 * body for the default index name).
 *
 * Why a template and not dynamic mapping: with dynamic mapping every JSON key
 * ever logged becomes a field of the index, and "index.mapping.total_fields.limit
 * ... The maximum number of fields in an index ... The default value is 1000"
 * (https://docs.opensearch.org/latest/mappings/mapping-explosion/, the setting
 * OpenSearch inherits from Elasticsearch:
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/mapping-settings-limit.html);
 * past it, documents are rejected. Here the fields are fixed (12, objects
 * included), `dynamic: false` keeps any field the template does not name in
 * `_source` without mapping it, so the count never grows and no document is
 * ever rejected for its shape.
 *
 * Why `events` is a plain object array and not `nested`: "index.mapping.nested_objects.limit
 * The maximum number of nested JSON objects that a single document can
 * contain across all nested types ... Default is 10000" (same pages), and a
 * CloudWatch Logs batch may hold up to 10,000 events (PutLogEvents' batch
 * limit) plus what a split re-ingested part carries: a nested mapping makes
 * the largest batches unindexable. The price: conditions on two event fields
 * may match in different events of one batch document.
 *
 * The message is `text`, not `flat_object`: flat_object is "Introduced 2.7"
 * (https://docs.opensearch.org/latest/mappings/supported-field-types/flat-object/)
 * and would need the transform to parse messages again, which is what the
 * bounded document stopped doing.
 * @see https://docs.opensearch.org/1.0/opensearch/index-templates (PUT _index_template/<name>, index_patterns, priority)
 */

/** Bumped whenever the mapping changes: the domain owner re-applies the template. */
export const INDEX_TEMPLATE_VERSION = 1;

/** Above the default 0, so that a catch-all template of the domain does not win. */
const PRIORITY = 100;

export type FieldMapping =
  | { readonly type: "date" | "keyword" | "text" | "integer" }
  | { readonly properties: Readonly<Record<string, FieldMapping>> };

export interface IndexMappings {
  readonly dynamic: false;
  readonly properties: Readonly<Record<string, FieldMapping>>;
}

export interface IndexTemplate {
  readonly index_patterns: readonly string[];
  readonly priority: number;
  readonly version: number;
  readonly template: { readonly mappings: IndexMappings };
  readonly _meta: { readonly description: string };
}

/** The mapping of SearchDocument; a test validates every document the transform emits against it. */
export const SEARCH_DOCUMENT_MAPPINGS: IndexMappings = {
  dynamic: false,
  properties: {
    "@timestamp": { type: "date" },
    lastTimestamp: { type: "date" },
    account: { type: "keyword" },
    logGroup: { type: "keyword" },
    logStream: { type: "keyword" },
    subscriptionFilters: { type: "keyword" },
    eventCount: { type: "integer" },
    events: {
      properties: {
        "@timestamp": { type: "date" },
        id: { type: "keyword" },
        message: { type: "text" },
      },
    },
  },
};

/**
 * The template for the indexes Firehose writes: `indexName` itself
 * (NoRotation) and `indexName-<date stamp>` (every other rotation appends
 * one, e.g. cloudwatch-logs-2026-12-01).
 * @see https://docs.aws.amazon.com/firehose/latest/dev/es-index-rotation.html
 */
export function searchIndexTemplate(indexName: string): IndexTemplate {
  return {
    index_patterns: [indexName, `${indexName}-*`],
    priority: PRIORITY,
    version: INDEX_TEMPLATE_VERSION,
    template: { mappings: SEARCH_DOCUMENT_MAPPINGS },
    _meta: {
      description:
        "cwl-log-archive search delivery: one document per CloudWatch Logs batch, messages as text, no dynamic fields",
    },
  };
}

/** The REST call that applies the template, as the domain's administrators make it (signed, see README). */
export function indexTemplateRequest(indexName: string): { method: "PUT"; path: string; body: IndexTemplate } {
  return { method: "PUT", path: `/_index_template/${indexName}`, body: searchIndexTemplate(indexName) };
}
