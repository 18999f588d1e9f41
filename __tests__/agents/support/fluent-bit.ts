/**
 * Fluent Bit's S3 output (out_s3) as data: reads a configuration in Fluent
 * Bit's classic format, applies the plugin's defaults to every option the
 * configuration leaves out, and lists the S3 requests the output will make.
 *
 * Fluent Bit is packaged in none of the registries this project reaches, so
 * the behaviour is encoded from the plugin's documentation and source rather
 * than observed; every rule below names where it comes from:
 * - docs: https://docs.fluentbit.io/manual/pipeline/outputs/s3
 *   (fluent/fluent-bit-docs, pipeline/outputs/s3.md)
 * - source: fluent/fluent-bit plugins/out_s3/s3.c (config_map, cb_s3_init,
 *   create_headers, upload_data, s3_put_object, create_upload),
 *   plugins/out_s3/s3_multipart.c (create_multipart_upload, upload_part,
 *   complete_multipart_upload), plugins/out_s3/s3.h (size limits) and
 *   src/aws/flb_aws_util.c (flb_get_s3_key); read at fluent-bit commits
 *   51e58c16 (s3.c), ec4b960c (s3_multipart.c) and the 4.x s3.c that adds
 *   `sse` and `sse_kms_key_id`.
 *
 * What the output never does, and so needs no permission for: it makes no
 * request of its own when it starts (cb_s3_init reads its local store_dir
 * and sends what a previous run left there with the requests of any upload),
 * never reads, heads or lists objects, never lists multipart uploads or their parts
 * (it keeps each UploadId and part ETag in store_dir: save_upload,
 * multipart_read_uploads_from_fs), and never aborts an upload of log records
 * (abort_multipart_upload serves only the blob-file input's uploads).
 */
import { readFileSync } from "node:fs";
import type { AgentRequests, S3Request, UploadPath, UploadSample } from "./s3-request";
import { sizeToBytes, strftimeUtc } from "./s3-request";

/** One `[SECTION]` of a classic configuration file. */
export interface ClassicSection {
  readonly name: string;
  /** Properties by lower-case key (Fluent Bit's keys are case-insensitive). */
  readonly properties: ReadonlyMap<string, string>;
  readonly line: number;
}

/**
 * Parses Fluent Bit's classic format: `[SECTION]` headers, `key value`
 * lines, whole-line `#` comments. `@INCLUDE` and `@SET` are not modelled.
 * @see https://docs.fluentbit.io/manual/administration/configuring-fluent-bit/classic-mode/format-schema
 */
export function parseClassicConfig(text: string, file: string): ClassicSection[] {
  const sections: { name: string; properties: Map<string, string>; line: number }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    const where = `${file}:${i + 1}`;
    if (line === "" || line.startsWith("#")) return;
    const header = /^\[([A-Za-z_]+)\]$/.exec(line);
    if (header) {
      sections.push({ name: header[1]!.toUpperCase(), properties: new Map(), line: i + 1 });
      return;
    }
    if (line.startsWith("@")) throw new Error(`${where}: ${line.split(/\s/)[0]} is not modelled`);
    const entry = /^(\S+)\s+(.*)$/.exec(line);
    if (!entry) throw new Error(`${where}: expected "key value", got "${line}"`);
    const section = sections[sections.length - 1];
    if (!section) throw new Error(`${where}: "${entry[1]}" comes before any [SECTION]`);
    const key = entry[1]!.toLowerCase();
    if (section.properties.has(key)) throw new Error(`${where}: ${key} is set twice in [${section.name}]`);
    section.properties.set(key, entry[2]!.trim());
  });
  return sections;
}

/**
 * The options of out_s3 the model knows, with the plugin's default where the
 * default matters to the requests (from the config_map of s3.c); `undefined`
 * is "unset". An option the model does not know is an error, not a guess.
 */
const S3_OPTIONS: Readonly<Record<string, string | undefined>> = {
  name: undefined,
  match: undefined,
  match_regex: undefined,
  alias: undefined,
  log_level: undefined,
  retry_limit: undefined,
  workers: undefined,
  bucket: undefined,
  region: "us-east-1",
  endpoint: undefined,
  role_arn: undefined,
  external_id: undefined,
  sts_endpoint: undefined,
  profile: undefined,
  s3_key_format: "/fluent-bit-logs/$TAG/%Y/%m/%d/%H/%M/%S",
  s3_key_format_tag_delimiters: ".",
  static_file_path: "false",
  compression: undefined,
  content_type: undefined,
  canned_acl: undefined,
  storage_class: undefined,
  sse: undefined,
  sse_kms_key_id: undefined,
  send_content_md5: "false",
  use_put_object: "false",
  total_file_size: "100000000",
  upload_chunk_size: "5242880",
  upload_timeout: "10m",
  store_dir: "/tmp/fluent-bit/s3",
  store_dir_limit_size: undefined,
  preserve_data_ordering: "true",
  auto_retry_requests: "true",
  json_date_key: "date",
  json_date_format: undefined,
  log_key: undefined,
};

/** plugins/out_s3/s3.h: parts are at least 5 MiB (S3's own minimum for all but the last part). */
const MIN_CHUNKED_UPLOAD_SIZE = 5_242_880;
/** s3.h MAX_FILE_SIZE: a multipart object is at most 50 GB. */
const MAX_FILE_SIZE = 50_000_000_000;
/**
 * s3.h MAX_FILE_SIZE_PUT_OBJECT and cb_s3_init's "Max total_file_size is 50M
 * when use_put_object is enabled" (the current docs say 1G; the stricter
 * limit is kept, so a sample valid here is valid for both).
 */
const MAX_FILE_SIZE_PUT_OBJECT = 50_000_000;

/** flb_utils_bool: true/on/yes and false/off/no, any case. */
function flbBool(value: string, where: string): boolean {
  const v = value.toLowerCase();
  if (["true", "on", "yes"].includes(v)) return true;
  if (["false", "off", "no"].includes(v)) return false;
  throw new Error(`${where}: expected On/Off, got "${value}"`);
}

/** The settings of one s3 output after defaults, as cb_s3_init leaves them. */
export interface FluentBitS3Settings {
  readonly bucket: string;
  readonly region: string;
  readonly keyFormat: string;
  readonly tagDelimiters: string;
  readonly staticFilePath: boolean;
  readonly compression?: "gzip" | "zstd";
  readonly contentType?: string;
  readonly cannedAcl?: string;
  readonly storageClass?: string;
  readonly sse?: string;
  readonly sseKmsKeyId?: string;
  readonly sendContentMd5: boolean;
  /** After cb_s3_init: true also when total_file_size is under 10 MiB. */
  readonly usePutObject: boolean;
  readonly totalFileSize: number;
  readonly uploadChunkSize: number;
  readonly tls: boolean;
}

/** Reads the single `[OUTPUT]` with `Name s3` and applies cb_s3_init's defaults and checks. */
export function fluentBitS3Settings(sections: readonly ClassicSection[], file: string): FluentBitS3Settings {
  const outputs = sections.filter((s) => s.name === "OUTPUT" && s.properties.get("name")?.toLowerCase() === "s3");
  if (outputs.length !== 1) throw new Error(`${file}: expected one [OUTPUT] with Name s3, found ${outputs.length}`);
  const output = outputs[0]!;
  const where = (key: string) => `${file}: [OUTPUT] at line ${output.line}: ${key}`;
  for (const key of output.properties.keys()) {
    if (!(key in S3_OPTIONS)) throw new Error(`${where(key)} is not modelled`);
  }
  const get = (key: string): string | undefined => output.properties.get(key) ?? S3_OPTIONS[key];
  const bucket = get("bucket");
  if (!bucket) throw new Error(`${where("bucket")} is required`);
  const keyFormat = get("s3_key_format")!;
  if (!keyFormat.startsWith("/")) throw new Error(`${where("s3_key_format")} must start with a '/'`);

  const totalFileSize = sizeToBytes(get("total_file_size")!, where("total_file_size"));
  if (totalFileSize < 1_000_000 || totalFileSize > MAX_FILE_SIZE) {
    throw new Error(`${where("total_file_size")} must be between 1M and 50G, got ${totalFileSize} bytes`);
  }
  // cb_s3_init: "total_file_size is less than 10 MB, will use PutObject API".
  const usePutObject =
    flbBool(get("use_put_object")!, where("use_put_object")) || totalFileSize < 2 * MIN_CHUNKED_UPLOAD_SIZE;

  const compressionName = get("compression");
  let compression: "gzip" | "zstd" | undefined;
  if (compressionName !== undefined) {
    const c = compressionName.toLowerCase();
    if (c !== "gzip" && c !== "zstd") throw new Error(`${where("compression")} "${compressionName}" is not modelled`);
    compression = c;
  }

  let uploadChunkSize = sizeToBytes(get("upload_chunk_size")!, where("upload_chunk_size"));
  if (!usePutObject) {
    if (uploadChunkSize > totalFileSize) throw new Error(`${where("upload_chunk_size")} exceeds total_file_size`);
    if (uploadChunkSize < MIN_CHUNKED_UPLOAD_SIZE) throw new Error(`${where("upload_chunk_size")} is under 5,242,880`);
  }
  if (uploadChunkSize !== MIN_CHUNKED_UPLOAD_SIZE && uploadChunkSize * 2 > totalFileSize) {
    throw new Error(`${where("total_file_size")} is less than 2x upload_chunk_size`);
  }
  if (usePutObject) {
    uploadChunkSize = totalFileSize;
    if (totalFileSize > MAX_FILE_SIZE_PUT_OBJECT) {
      throw new Error(`${where("total_file_size")} exceeds 50M, the maximum with use_put_object`);
    }
  }

  const sse = get("sse");
  if (sse !== undefined && !["aes256", "aws:kms", "aws:kms:dsse"].includes(sse.toLowerCase())) {
    throw new Error(`${where("sse")} must be AES256, aws:kms or aws:kms:dsse, got "${sse}"`);
  }
  const endpoint = get("endpoint");
  return {
    bucket,
    region: get("region")!,
    keyFormat,
    tagDelimiters: get("s3_key_format_tag_delimiters")!,
    staticFilePath: flbBool(get("static_file_path")!, where("static_file_path")),
    compression,
    contentType: get("content_type"),
    cannedAcl: get("canned_acl"),
    storageClass: get("storage_class"),
    sse,
    sseKmsKeyId: get("sse_kms_key_id"),
    sendContentMd5: flbBool(get("send_content_md5")!, where("send_content_md5")),
    usePutObject,
    totalFileSize,
    uploadChunkSize,
    // cb_s3_init: only an `endpoint` starting with http:// turns TLS off.
    tls: !(endpoint ?? "").startsWith("http://"),
  };
}

/**
 * flb_get_s3_key: `$TAG[n]` (the tag split on the delimiters), `$TAG`,
 * `$INDEX`, `$UUID` (8 random alphanumerics), then strftime in UTC (gmtime_r).
 * Returns the URI path, with its leading '/'.
 */
export function renderFluentBitKey(settings: FluentBitS3Settings, sample: UploadSample, file: string): string {
  const parts = sample.tag.split(new RegExp(`[${settings.tagDelimiters.replace(/[\]\\^-]/g, "\\$&")}]`));
  let key = settings.keyFormat.replace(/\$TAG\[(\d)\]/g, (match, n: string) => {
    const part = parts[Number(n)];
    if (part === undefined) throw new Error(`${file}: ${match} is out of bounds for tag "${sample.tag}"`);
    return part;
  });
  key = key.split("$TAG").join(sample.tag);
  key = key.split("$INDEX").join(String(sample.index));
  key = key.split("$UUID").join(randomAlphanumeric(sample));
  return strftimeUtc(key, sample.time, file);
}

function randomAlphanumeric(sample: UploadSample): string {
  const random = sample.random.replace(/[^A-Za-z0-9]/g, "").slice(0, 8);
  if (random.length < 8) throw new Error(`the sample's random value must give 8 alphanumerics, got "${sample.random}"`);
  return random;
}

/**
 * The headers create_headers adds: Content-Type, Content-Encoding, x-amz-acl,
 * Content-MD5 (PutObject only: `multipart_upload == FLB_FALSE`),
 * x-amz-storage-class and the SSE pair.
 */
function createHeaders(settings: FluentBitS3Settings, multipart: boolean): Record<string, string> {
  const headers: Record<string, string> = {};
  if (settings.contentType !== undefined) headers["content-type"] = settings.contentType;
  if (settings.compression) headers["content-encoding"] = settings.compression;
  if (settings.cannedAcl !== undefined) headers["x-amz-acl"] = settings.cannedAcl;
  if (settings.sendContentMd5 && !multipart) headers["content-md5"] = "<md5 of the body>";
  if (settings.storageClass !== undefined) headers["x-amz-storage-class"] = settings.storageClass;
  if (settings.sse !== undefined) headers["x-amz-server-side-encryption"] = settings.sse;
  if (settings.sseKmsKeyId !== undefined) headers["x-amz-server-side-encryption-aws-kms-key-id"] = settings.sseKmsKeyId;
  return headers;
}

/** The requests of one s3 output, for one upload of `sample`. */
export function fluentBitRequests(settings: FluentBitS3Settings, sample: UploadSample, file: string): AgentRequests {
  const request = (
    operation: S3Request["operation"],
    uriPath: string,
    headers: Record<string, string>,
    source: string,
  ) => ({
    operation,
    bucket: settings.bucket,
    // The URI is "/<bucket><s3 key>" and the key format starts with '/': the object key is the rest.
    key: uriPath.slice(1),
    headers,
    tls: settings.tls,
    source,
  });
  // s3_put_object appends "-object" and 8 random characters when the format
  // has neither $UUID nor $INDEX and static_file_path is off.
  const rendered = renderFluentBitKey(settings, sample, file);
  const appendRandom =
    !settings.keyFormat.includes("$UUID") && !settings.keyFormat.includes("$INDEX") && !settings.staticFilePath;
  const putObjectPath = appendRandom ? `${rendered}-object${randomAlphanumeric(sample)}` : rendered;
  const putObject: UploadPath = {
    when: settings.usePutObject
      ? "every upload (use_put_object, or total_file_size under 10 MiB)"
      : "a buffer under 5 MiB when upload_timeout is reached, or one of total_file_size at once (upload_data)",
    requests: [request("PutObject", putObjectPath, createHeaders(settings, false), "s3.c s3_put_object")],
  };
  if (settings.usePutObject) return { startUp: [], perUpload: [putObject] };
  // upload_part adds Content-MD5 itself when send_content_md5 is on.
  const partHeaders: Record<string, string> = settings.sendContentMd5 ? { "content-md5": "<md5 of the part>" } : {};
  const multipart: UploadPath = {
    when: "a buffer over 5 MiB: parts until total_file_size or upload_timeout (upload_data)",
    requests: [
      request(
        "CreateMultipartUpload",
        rendered,
        createHeaders(settings, true),
        "s3_multipart.c create_multipart_upload",
      ),
      request("UploadPart", rendered, partHeaders, "s3_multipart.c upload_part (once per part)"),
      request("CompleteMultipartUpload", rendered, {}, "s3_multipart.c complete_multipart_upload"),
    ],
  };
  return { startUp: [], perUpload: [putObject, multipart] };
}

/** Reads a configuration file, filling placeholders, and lists its requests for `sample`. */
export function modelFluentBit(
  path: string,
  placeholders: Readonly<Record<string, string>>,
  sample: UploadSample,
  text: string = readFileSync(path, "utf8"),
): { settings: FluentBitS3Settings; requests: AgentRequests } {
  let filled = text;
  for (const [placeholder, value] of Object.entries(placeholders)) filled = filled.split(placeholder).join(value);
  const settings = fluentBitS3Settings(parseClassicConfig(filled, path), path);
  return { settings, requests: fluentBitRequests(settings, sample, path) };
}
