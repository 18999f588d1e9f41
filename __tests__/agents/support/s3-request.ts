/**
 * The S3 requests a log agent makes, as data: what the agent models
 * (fluent-bit.ts, fluentd.ts) produce and what archive-check.ts judges.
 *
 * Each S3 API operation is authorised by the IAM action S3's own table names,
 * on the resource type it names (an object or the bucket). One operation is
 * not always one action of the same name: HeadObject needs s3:GetObject,
 * HeadBucket and ListObjectsV2 need s3:ListBucket, and every request of a
 * multipart upload but the abort needs s3:PutObject.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html (API operations table)
 */

/** The S3 API operations the modelled agents can make. */
export type S3Operation =
  | "PutObject"
  | "CreateMultipartUpload"
  | "UploadPart"
  | "CompleteMultipartUpload"
  | "AbortMultipartUpload"
  | "ListMultipartUploads"
  | "ListParts"
  | "HeadObject"
  | "HeadBucket"
  | "ListObjectsV2"
  | "CreateBucket"
  | "GetBucketLifecycleConfiguration"
  | "PutBucketLifecycleConfiguration";

/** The IAM action an operation needs, and whether it acts on an object or on the bucket. */
export const S3_AUTHORIZATION: Readonly<
  Record<S3Operation, { readonly action: string; readonly resource: "object" | "bucket" }>
> = {
  PutObject: { action: "s3:PutObject", resource: "object" },
  CreateMultipartUpload: { action: "s3:PutObject", resource: "object" },
  UploadPart: { action: "s3:PutObject", resource: "object" },
  CompleteMultipartUpload: { action: "s3:PutObject", resource: "object" },
  AbortMultipartUpload: { action: "s3:AbortMultipartUpload", resource: "object" },
  ListMultipartUploads: { action: "s3:ListBucketMultipartUploads", resource: "bucket" },
  ListParts: { action: "s3:ListMultipartUploadParts", resource: "object" },
  HeadObject: { action: "s3:GetObject", resource: "object" },
  HeadBucket: { action: "s3:ListBucket", resource: "bucket" },
  ListObjectsV2: { action: "s3:ListBucket", resource: "bucket" },
  CreateBucket: { action: "s3:CreateBucket", resource: "bucket" },
  GetBucketLifecycleConfiguration: { action: "s3:GetLifecycleConfiguration", resource: "bucket" },
  PutBucketLifecycleConfiguration: { action: "s3:PutLifecycleConfiguration", resource: "bucket" },
};

/** One request an agent sends to S3. */
export interface S3Request {
  readonly operation: S3Operation;
  readonly bucket: string;
  /** Object key, for object operations (no leading slash: S3's key, not the URI path). */
  readonly key?: string;
  /** Request headers that matter to authorization or validation, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Whether the request goes over TLS (`aws:SecureTransport`). */
  readonly tls: boolean;
  /** Where in the plugin's source the request comes from, for messages. */
  readonly source: string;
}

/** A sequence of requests that one upload may take (a plugin may choose between several). */
export interface UploadPath {
  /** When the plugin takes this path. */
  readonly when: string;
  readonly requests: readonly S3Request[];
}

/** What an agent will ask of S3, from its configuration and its plugin's defaults. */
export interface AgentRequests {
  /** Requests made once when the output starts; a refused one stops the agent or the output. */
  readonly startUp: readonly S3Request[];
  /** Alternative request sequences of one upload; every one must succeed. */
  readonly perUpload: readonly UploadPath[];
}

/** The values a plugin's key placeholders take for one upload. */
export interface UploadSample {
  /** The records' tag. */
  readonly tag: string;
  /** Time of the records the upload holds (the first record's, or the chunk's time key), in UTC. */
  readonly time: Date;
  /** What the plugin's random source yields for this upload. */
  readonly random: string;
  /** A per-host counter the plugin keeps (Fluent Bit's `$INDEX`). */
  readonly index: number;
}

/**
 * Request headers S3 turns into condition keys of s3:PutObject (which
 * PutObject and CreateMultipartUpload carry); only these can change a bucket
 * policy's decision about a write.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-policy-keys
 */
export const PUT_OBJECT_CONDITION_HEADERS = [
  "x-amz-acl",
  "x-amz-grant-full-control",
  "x-amz-grant-read",
  "x-amz-grant-read-acp",
  "x-amz-grant-write-acp",
  "x-amz-server-side-encryption",
  "x-amz-server-side-encryption-aws-kms-key-id",
  "x-amz-storage-class",
] as const;

/**
 * Formats a UTC time with the strftime conversions the samples use. A
 * conversion the model does not know is an error rather than a guess.
 */
export function strftimeUtc(format: string, time: Date, file: string): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const values: Record<string, string> = {
    Y: String(time.getUTCFullYear()),
    m: pad(time.getUTCMonth() + 1),
    d: pad(time.getUTCDate()),
    H: pad(time.getUTCHours()),
    M: pad(time.getUTCMinutes()),
    S: pad(time.getUTCSeconds()),
    "%": "%",
  };
  return format.replace(/%(.)/g, (match, conversion: string) => {
    const value = values[conversion];
    if (value === undefined) throw new Error(`${file}: strftime conversion ${match} is not modelled`);
    return value;
  });
}

/**
 * Sizes as Fluent Bit reads them (flb_utils_size_to_bytes in
 * src/flb_utils.c): K, M and G are powers of 1000, an optional B follows.
 */
export function sizeToBytes(value: string, where: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMG]?)B?$/i.exec(value.trim());
  if (!match) throw new Error(`${where}: expected a size like 50M, got "${value}"`);
  const factor = { "": 1, K: 1e3, M: 1e6, G: 1e9 }[match[2]!.toUpperCase() as "" | "K" | "M" | "G"];
  return Math.floor(Number(match[1]) * factor);
}

/** The keys of the objects an agent's uploads create (PutObject, or the completed multipart upload). */
export function objectKeys(requests: AgentRequests): string[] {
  return requests.perUpload.flatMap((path) =>
    path.requests
      .filter((r) => r.operation === "PutObject" || r.operation === "CompleteMultipartUpload")
      .map((r) => r.key!),
  );
}
