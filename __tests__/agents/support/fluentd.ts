/**
 * Fluentd's S3 output (fluent-plugin-s3, `@type s3`) as data: reads a
 * Fluentd configuration, applies the plugin's defaults to every parameter the
 * `<match>` leaves out, and lists the S3 requests the output will make.
 *
 * Neither Fluentd nor the plugin is packaged in the registries this project
 * reaches (no RubyGems), so the behaviour is encoded from the plugin's
 * documentation and source rather than observed:
 * - docs: https://github.com/fluent/fluent-plugin-s3/blob/master/docs/output.md
 * - source: fluent/fluent-plugin-s3 lib/fluent/plugin/out_s3.rb (v1.x, the
 *   version with `zstd`, `check_bucket` and `check_object`): the config_param
 *   list, `configure` (the key format when check_object is off), `start`
 *   (check_apikeys, ensure_bucket, ensure_bucket_lifecycle), `write` (the
 *   key, HeadObject while the key exists, PutObject and its options).
 * - the AWS SDK for Ruby (aws-sdk-s3) it calls: Bucket#exists? is HeadBucket and
 *   Object#exists? is HeadObject through the BucketExists / ObjectExists
 *   waiters (gems/aws-sdk-s3/lib/aws-sdk-s3/waiters.rb); PutObject carries a
 *   checksum unless `compute_checksums false`: Content-MD5 in releases
 *   before flexible checksums (plugins/md5s.rb, compute_checksums true by
 *   default), `x-amz-sdk-checksum-algorithm: CRC32` and a CRC32 of the body
 *   in releases with them (aws-sdk-core plugins/checksum_algorithm.rb,
 *   request_checksum_calculation WHEN_SUPPORTED by default). The model sends
 *   the latter; both satisfy S3's Object Lock rule. Bucket#objects is
 *   ListObjects or ListObjectsV2 by SDK release; both need s3:ListBucket.
 */
import { readFileSync } from "node:fs";
import type { AgentRequests, S3Request, UploadPath, UploadSample } from "./s3-request";
import { strftimeUtc } from "./s3-request";

/** One `<name arg>` directive of a Fluentd configuration, with its parameters and nested directives. */
export interface Directive {
  readonly name: string;
  readonly arg: string;
  readonly params: ReadonlyMap<string, string>;
  readonly children: readonly Directive[];
  readonly line: number;
}

/**
 * Parses Fluentd's configuration syntax: `<name arg>` ... `</name>`
 * (nested), `key value` parameters, whole-line `#` comments. `@include` is
 * not modelled.
 * @see https://docs.fluentd.org/configuration/config-file
 */
export function parseFluentdConfig(text: string, file: string): Directive[] {
  type Open = { name: string; arg: string; params: Map<string, string>; children: Open[]; line: number };
  const root: Open = { name: "", arg: "", params: new Map(), children: [], line: 0 };
  const stack: Open[] = [root];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    const where = `${file}:${i + 1}`;
    if (line === "" || line.startsWith("#")) return;
    const close = /^<\/([\w.-]+)>$/.exec(line);
    if (close) {
      const open = stack.pop()!;
      if (stack.length === 0 || open.name !== close[1]) throw new Error(`${where}: </${close[1]}> closes nothing open`);
      return;
    }
    const opening = /^<([\w.-]+)(?:\s+(.*))?>$/.exec(line);
    if (opening) {
      const directive: Open = {
        name: opening[1]!,
        arg: (opening[2] ?? "").trim(),
        params: new Map(),
        children: [],
        line: i + 1,
      };
      stack[stack.length - 1]!.children.push(directive);
      stack.push(directive);
      return;
    }
    if (line.startsWith("@include")) throw new Error(`${where}: @include is not modelled`);
    const param = /^(@?[\w.-]+)(?:\s+(.*))?$/.exec(line);
    if (!param || stack.length === 1)
      throw new Error(`${where}: expected a parameter inside a directive, got "${line}"`);
    const current = stack[stack.length - 1]!;
    if (current.params.has(param[1]!)) throw new Error(`${where}: ${param[1]} is set twice in <${current.name}>`);
    current.params.set(param[1]!, (param[2] ?? "").trim().replace(/^"(.*)"$/, "$1"));
  });
  if (stack.length > 1) throw new Error(`${file}: <${stack[stack.length - 1]!.name}> is never closed`);
  return root.children;
}

/**
 * The parameters of out_s3 the model knows, with the plugin's default where
 * it matters to the requests (out_s3.rb config_param); `undefined` is nil.
 * A parameter the model does not know is an error, not a guess.
 */
const S3_PARAMS: Readonly<Record<string, string | undefined>> = {
  "@type": undefined,
  "@id": undefined,
  "@label": undefined,
  "@log_level": undefined,
  path: "",
  s3_bucket: undefined,
  // config_param :s3_region, default: ENV["AWS_REGION"] || "us-east-1"
  s3_region: "us-east-1",
  s3_endpoint: undefined,
  s3_object_key_format: "%{path}%{time_slice}_%{index}.%{file_extension}",
  store_as: "gzip",
  auto_create_bucket: "true",
  check_apikey_on_start: "true",
  check_bucket: "true",
  check_object: "true",
  overwrite: "false",
  storage_class: "STANDARD",
  reduced_redundancy: "false",
  // nil in out_s3.rb (docs/output.md says "private (default)"; the source decides).
  acl: undefined,
  grant_full_control: undefined,
  grant_read: undefined,
  grant_read_acp: undefined,
  grant_write_acp: undefined,
  use_server_side_encryption: undefined,
  ssekms_key_id: undefined,
  sse_customer_algorithm: undefined,
  sse_customer_key: undefined,
  sse_customer_key_md5: undefined,
  compute_checksums: undefined,
  // Documented in docs/output.md ("checksum_algorithm": CRC32, CRC32C, SHA1,
  // SHA256), newer than the out_s3.rb read: passed to PutObject, so the SDK
  // sends that algorithm's checksum whatever compute_checksums says.
  checksum_algorithm: undefined,
  hex_random_length: "4",
  index_format: "%d",
  tagging: undefined,
  warn_for_delay: undefined,
  aws_key_id: undefined,
  aws_sec_key: undefined,
  proxy_uri: undefined,
  signature_version: undefined,
  ssl_verify_peer: "true",
};

/** Sections out_s3 (and Fluentd's output) accept inside `<match>`; credentials sections do not change requests. */
const SECTIONS = new Set([
  "buffer",
  "format",
  "inject",
  "bucket_lifecycle_rule",
  "assume_role_credentials",
  "web_identity_credentials",
  "instance_profile_credentials",
  "shared_credentials",
]);

/** The compressors out_s3 registers: file extension and Content-Type. */
const COMPRESSORS: Readonly<Record<string, { readonly ext: string; readonly contentType: string }>> = {
  gzip: { ext: "gz", contentType: "application/x-gzip" },
  json: { ext: "json", contentType: "application/json" },
  text: { ext: "txt", contentType: "text/plain" },
  zstd: { ext: "zst", contentType: "application/x-zst" },
};

/** Fluentd's bool parameters: true/yes and false/no. */
function fluentdBool(value: string, where: string): boolean {
  const v = value.toLowerCase();
  if (v === "true" || v === "yes") return true;
  if (v === "false" || v === "no") return false;
  throw new Error(`${where}: expected true or false, got "${value}"`);
}

/** The settings of one s3 output after defaults, as `configure` leaves them. */
export interface FluentdS3Settings {
  readonly bucket: string;
  readonly path: string;
  /** After `configure`: the format check_object false substitutes when none is given. */
  readonly keyFormat: string;
  readonly keyFormatGiven: boolean;
  readonly checkApikeyOnStart: boolean;
  readonly checkBucket: boolean;
  readonly checkObject: boolean;
  readonly lifecycleRules: number;
  readonly compressor: { readonly ext: string; readonly contentType: string };
  readonly storageClass: string;
  readonly headers: Readonly<Record<string, string>>;
  /** nil follows the SDK, which sends a checksum on PutObject; false sends none. */
  readonly computeChecksums: boolean;
  /** An algorithm named for PutObject's checksum, sent whatever compute_checksums says. */
  readonly checksumAlgorithm?: string;
  readonly chunkKeys: readonly string[];
  readonly timekey: number;
  readonly hexRandomLength: number;
  readonly indexFormat: string;
  readonly tls: boolean;
}

/** Reads the single `<match>` with `@type s3` and applies out_s3's defaults and `configure`. */
export function fluentdS3Settings(directives: readonly Directive[], file: string): FluentdS3Settings {
  const matches = directives.filter((d) => d.name === "match" && d.params.get("@type") === "s3");
  if (matches.length !== 1) throw new Error(`${file}: expected one <match> with @type s3, found ${matches.length}`);
  const match = matches[0]!;
  const where = (key: string) => `${file}: <match ${match.arg}> at line ${match.line}: ${key}`;
  for (const key of match.params.keys()) {
    if (!(key in S3_PARAMS)) throw new Error(`${where(key)} is not modelled`);
  }
  for (const child of match.children) {
    if (!SECTIONS.has(child.name)) throw new Error(`${where(`<${child.name}>`)} is not modelled`);
  }
  const get = (key: string): string | undefined => match.params.get(key) ?? S3_PARAMS[key];
  const bool = (key: string) => fluentdBool(get(key)!, where(key));
  const bucket = get("s3_bucket");
  if (!bucket) throw new Error(`${where("s3_bucket")} is required`);

  let keyFormat = get("s3_object_key_format")!;
  for (const removed of ["%{uuid}", "%{uuid:random}", "%{uuid:hostname}", "%{uuid:timestamp}"]) {
    if (keyFormat.includes(removed)) throw new Error(`${where("s3_object_key_format")}: ${removed} was removed`);
  }
  if (keyFormat.includes("%{hostname}"))
    throw new Error(`${where("s3_object_key_format")}: %{hostname} is not modelled`);
  const keyFormatGiven = match.params.has("s3_object_key_format");
  const checkObject = bool("check_object");
  // configure: "Set 'check_object false' and s3_object_key_format is not
  // specified. Use '%{path}/%{time_slice}_%{hms_slice}.%{file_extension}'".
  if (!checkObject && !keyFormatGiven) keyFormat = "%{path}/%{time_slice}_%{hms_slice}.%{file_extension}";

  const storeAs = get("store_as")!;
  const compressor = COMPRESSORS[storeAs];
  if (!compressor) throw new Error(`${where("store_as")} "${storeAs}" is not modelled`);

  const buffers = match.children.filter((c) => c.name === "buffer");
  const buffer = buffers[0];
  // config_section :buffer: chunk_keys default ['time'], timekey default one day.
  const chunkKeys = buffer && buffer.arg !== "" ? buffer.arg.split(",").map((k) => k.trim()) : ["time"];
  const timekeyText = buffer?.params.get("timekey") ?? "86400";
  const timekey = fluentdTime(timekeyText, where("timekey"));

  // write: put_options, in the order out_s3.rb builds them.
  const storageClass = bool("reduced_redundancy") ? "REDUCED_REDUNDANCY" : get("storage_class")!;
  const headers: Record<string, string> = {
    "content-type": compressor.contentType,
    "x-amz-storage-class": storageClass,
  };
  const optional: [string, string][] = [
    ["use_server_side_encryption", "x-amz-server-side-encryption"],
    ["ssekms_key_id", "x-amz-server-side-encryption-aws-kms-key-id"],
    ["sse_customer_algorithm", "x-amz-server-side-encryption-customer-algorithm"],
    ["acl", "x-amz-acl"],
    ["grant_full_control", "x-amz-grant-full-control"],
    ["grant_read", "x-amz-grant-read"],
    ["grant_read_acp", "x-amz-grant-read-acp"],
    ["grant_write_acp", "x-amz-grant-write-acp"],
    ["tagging", "x-amz-tagging"],
  ];
  for (const [param, header] of optional) {
    const value = get(param);
    if (value !== undefined) headers[header] = value;
  }
  const computeChecksums = get("compute_checksums");
  const endpoint = get("s3_endpoint");
  return {
    bucket,
    path: get("path")!,
    keyFormat,
    keyFormatGiven,
    checkApikeyOnStart: bool("check_apikey_on_start"),
    checkBucket: bool("check_bucket"),
    checkObject,
    lifecycleRules: match.children.filter((c) => c.name === "bucket_lifecycle_rule").length,
    compressor,
    storageClass,
    headers,
    computeChecksums: computeChecksums === undefined ? true : fluentdBool(computeChecksums, where("compute_checksums")),
    checksumAlgorithm: get("checksum_algorithm"),
    chunkKeys,
    timekey,
    hexRandomLength: Number(get("hex_random_length")),
    indexFormat: get("index_format")!,
    tls: !(endpoint ?? "").startsWith("http://"),
  };
}

/** Fluentd's time values: a number of seconds, or with an s/m/h/d suffix. */
function fluentdTime(value: string, where: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(value.trim());
  if (!match) throw new Error(`${where}: expected a time like 600 or 10m, got "${value}"`);
  return Number(match[1]) * { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as "" | "s" | "m" | "h" | "d"];
}

/** out_s3.rb timekey_to_timeformat: the `%{time_slice}` format for a time key. */
function timeSliceFormat(timekey: number): string {
  if (timekey < 60) return "%Y%m%d%H%M%S";
  if (timekey < 3600) return "%Y%m%d%H%M";
  if (timekey < 86400) return "%Y%m%d%H";
  return "%Y%m%d";
}

/** The hex digits of the sample's random value: the chunk's unique id. */
function chunkHex(sample: UploadSample): string {
  const hex = sample.random.replace(/[^0-9a-f]/gi, "").toLowerCase();
  if (hex.length < 16) throw new Error(`the sample's random value must hold 16 hex digits, got "${sample.random}"`);
  return hex;
}

/**
 * The object key `write` builds for attempt `index`: `%{path}` and
 * `%{file_extension}` first, then Fluentd's extract_placeholders (strftime
 * of the chunk's time key, `${tag}`, `${chunk_id}`), then the remaining
 * `%{...}` from a Hash: Ruby's `gsub(pattern, hash)` replaces a placeholder
 * the hash lacks with "" — with check_object false the hash has no
 * `%{index}`, so `%{index}` renders empty.
 */
export function renderFluentdKey(
  settings: FluentdS3Settings,
  sample: UploadSample,
  index: number,
  file: string,
): string {
  // Fluentd formats the time key in the host's zone unless timekey_use_utc; the model assumes a host in UTC.
  const timekeyStart = new Date(Math.floor(sample.time.getTime() / 1000 / settings.timekey) * settings.timekey * 1000);
  const timeSlice = strftimeUtc(timeSliceFormat(settings.timekey), timekeyStart, file);
  let key = settings.keyFormat.replace(/%\{[^}]+\}/g, (m) =>
    m === "%{path}" ? settings.path : m === "%{file_extension}" ? settings.compressor.ext : m,
  );
  // extract_placeholders: ${tag} needs the tag chunk key and strftime the time chunk key.
  key = key.replace(/\$\{([^}]+)\}/g, (m, name: string) => {
    if (name === "tag" && settings.chunkKeys.includes("tag")) return sample.tag;
    if (name === "chunk_id") return chunkHex(sample).padEnd(32, "0").slice(0, 32);
    throw new Error(`${file}: placeholder ${m} is not modelled with chunk keys ${settings.chunkKeys.join(",")}`);
  });
  // strftime must not read the plugin's own %{...} placeholders, filled after it.
  const protectedPlaceholders: string[] = [];
  key = key.replace(/%\{[^}]+\}/g, (m) => `\uE000${protectedPlaceholders.push(m) - 1}\uE000`);
  if (/%[A-Za-z]/.test(key) && !settings.chunkKeys.includes("time")) {
    // Fluentd formats time only for chunks with a time key; without one it
    // would leave "%Y" in the key. Not modelled: a sample should not do it.
    throw new Error(`${file}: time placeholders in the key with no time chunk key are not modelled`);
  }
  key = strftimeUtc(key, timekeyStart, file).replace(
    /\uE000(\d+)\uE000/g,
    (_m, i: string) => protectedPlaceholders[Number(i)]!,
  );
  const post: Record<string, string> = {
    "%{time_slice}": timeSlice,
    "%{hex_random}": chunkHex(sample).split("").reverse().join("").slice(0, settings.hexRandomLength),
  };
  if (settings.checkObject) {
    post["%{index}"] = rubySprintf(settings.indexFormat, index);
  } else {
    post["%{date_slice}"] = timeSlice;
    post["%{hms_slice}"] = strftimeUtc("%H%M%S", sample.time, file);
  }
  // @uuid_flush_enabled: a fresh SecureRandom.uuid for every write.
  if (settings.keyFormat.includes("%{uuid_flush}")) post["%{uuid_flush}"] = sample.random;
  return key.replace(/%\{[^}]+\}/g, (m) => post[m] ?? "");
}

/** `sprintf(index_format, i)` for the formats configure admits (`%[0width](d|x|X)`). */
function rubySprintf(format: string, value: number): string {
  const match = /^%(0\d*)?([dxX])$/.exec(format);
  if (!match) throw new Error(`index_format "${format}" is not one configure admits`);
  const digits = value.toString(match[2] === "d" ? 10 : 16);
  const text = match[2] === "X" ? digits.toUpperCase() : digits;
  return text.padStart(match[1] ? Number(match[1]) : 0, "0");
}

/** The requests of one s3 output: start-up, and one write (one buffer chunk) of `sample`. */
export function fluentdRequests(settings: FluentdS3Settings, sample: UploadSample, file: string): AgentRequests {
  const request = (
    operation: S3Request["operation"],
    key: string | undefined,
    headers: Record<string, string>,
    source: string,
  ): S3Request => ({
    operation,
    bucket: settings.bucket,
    ...(key === undefined ? {} : { key }),
    headers,
    tls: settings.tls,
    source,
  });
  const startUp: S3Request[] = [];
  // start: check_apikeys is `@bucket.objects(prefix: @path, max_keys: 1).first`;
  // any error but NoSuchBucket raises "can't call S3 API", and Fluentd does not start.
  if (settings.checkApikeyOnStart) {
    startUp.push(request("ListObjectsV2", undefined, {}, "out_s3.rb check_apikeys (check_apikey_on_start)"));
  }
  // ensure_bucket: `@bucket.exists?` (HeadBucket); CreateBucket only on a 404,
  // which an existing archive never returns. The BucketExists waiter of the
  // aws-sdk-s3 release read counts a 403 as "exists", so this refusal may go
  // unnoticed; it is still a permission the agent must not need.
  if (settings.checkBucket)
    startUp.push(request("HeadBucket", undefined, {}, "out_s3.rb ensure_bucket (check_bucket)"));
  // ensure_bucket_lifecycle reads the rules and writes them when they differ.
  if (settings.lifecycleRules > 0) {
    startUp.push(
      request("GetBucketLifecycleConfiguration", undefined, {}, "out_s3.rb ensure_bucket_lifecycle"),
      request("PutBucketLifecycleConfiguration", undefined, {}, "out_s3.rb ensure_bucket_lifecycle"),
    );
  }
  const key = renderFluentdKey(settings, sample, 0, file);
  const putHeaders: Record<string, string> = { ...settings.headers };
  if (settings.checksumAlgorithm !== undefined) {
    putHeaders["x-amz-sdk-checksum-algorithm"] = settings.checksumAlgorithm;
  } else if (settings.computeChecksums) {
    putHeaders["x-amz-sdk-checksum-algorithm"] = "CRC32";
  }
  const put = request("PutObject", key, putHeaders, "out_s3.rb write: @bucket.object(s3path).put");
  // write with check_object: HeadObject (Object#exists?) for %{index} 0, 1, ...
  // until a key is free; a 403 is no answer the ObjectExists waiter accepts,
  // so it raises and the chunk is retried, never written. Granting
  // s3:GetObject would not do: S3 answers a missing key with 403 unless the
  // caller may also s3:ListBucket (API_HeadObject.html).
  const requests = settings.checkObject
    ? [request("HeadObject", key, {}, "out_s3.rb write: @bucket.object(s3path).exists? (check_object)"), put]
    : [put];
  const perUpload: UploadPath[] = [{ when: "every buffer chunk flushed (write)", requests }];
  return { startUp, perUpload };
}

/** Reads a configuration file, filling placeholders, and lists its requests for `sample`. */
export function modelFluentd(
  path: string,
  placeholders: Readonly<Record<string, string>>,
  sample: UploadSample,
  text: string = readFileSync(path, "utf8"),
): { settings: FluentdS3Settings; requests: AgentRequests } {
  let filled = text;
  for (const [placeholder, value] of Object.entries(placeholders)) filled = filled.split(placeholder).join(value);
  const settings = fluentdS3Settings(parseFluentdConfig(filled, path), path);
  return { settings, requests: fluentdRequests(settings, sample, path) };
}
