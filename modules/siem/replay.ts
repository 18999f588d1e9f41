/**
 * Re-announcing archived objects to a SIEM queue, for an outage longer than
 * the queue's retention: the objects a ListObjectsV2 listing returns for a
 * prefix and a time range become S3 event notifications, in the format S3
 * itself sends, so every SIEM input reads them as it reads S3's own.
 * Pure: the listing comes in, the messages go out (scripts/siem-replay.ts
 * does the I/O).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
import { partitionOf } from "../naming/partition";
import { DATA_ROOT } from "../naming/key-layout";
import { DIRECT_SOURCE_ROOTS } from "../sources/direct-sources";
import { s3BucketArn } from "../naming/names";

/** An entry of a ListObjectsV2 response's Contents, as the SDK returns it. */
export interface ListedObject {
  readonly Key?: string;
  readonly LastModified?: Date | string;
  readonly ETag?: string;
  readonly Size?: number;
}

/** A page of a ListObjectsV2 response. */
export interface ListPage {
  readonly Contents?: readonly ListedObject[];
  readonly IsTruncated?: boolean;
  readonly NextContinuationToken?: string;
}

export interface ReplayRequest {
  readonly bucket: string;
  /** Region of the bucket (the notification's awsRegion). */
  readonly region: string;
  /** Key prefix to re-announce: under an announced root (cloudwatch-logs/, cloudtrail/, ...). */
  readonly prefix: string;
  /** Objects created at or after this time... */
  readonly from: Date;
  /** ...and before this one. */
  readonly to: Date;
}

/** What SQS accepts in one SendMessageBatch call. */
export const SQS_BATCH_ENTRIES = 10;

/** Roots whose objects are announced to a SIEM: only those may be replayed. */
export const ANNOUNCEABLE_ROOTS: readonly string[] = [DATA_ROOT, ...Object.values(DIRECT_SOURCE_ROOTS)];

/** Every problem with a request, one line each. */
export function replayProblems(request: ReplayRequest): string[] {
  const problems: string[] = [];
  if (!ANNOUNCEABLE_ROOTS.some((root) => request.prefix.startsWith(root))) {
    problems.push(
      `--prefix: expected a prefix under ${ANNOUNCEABLE_ROOTS.join(", ")} (only announced objects can be re-announced), got ${JSON.stringify(request.prefix)}`,
    );
  }
  for (const [name, date] of [
    ["--from", request.from],
    ["--to", request.to],
  ] as const) {
    if (Number.isNaN(date.getTime())) problems.push(`${name}: expected an ISO 8601 time such as 2026-12-01T00:00:00Z`);
  }
  const valid = !Number.isNaN(request.from.getTime()) && !Number.isNaN(request.to.getTime());
  if (valid && request.from.getTime() >= request.to.getTime()) {
    problems.push(
      `--to: expected a time after --from (${request.from.toISOString()}), got ${request.to.toISOString()}`,
    );
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(request.bucket)) {
    problems.push(`--bucket: expected an S3 bucket name, got ${JSON.stringify(request.bucket)}`);
  }
  return problems;
}

/**
 * An object key as S3 writes it into a notification: URL-encoded as an HTML
 * form value ("red flower.jpg" becomes "red+flower.jpg"), the `/` between
 * path segments kept. Characters outside letters, digits and `.-_*` are
 * percent-encoded as UTF-8, as Java's URLEncoder does.
 */
export function notificationKey(key: string): string {
  return key
    .split("/")
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, "+"),
    )
    .join("/");
}

/** The listed objects created in [from, to) under the prefix, oldest first; folder placeholders left out. */
export function objectsToReplay(pages: readonly ListPage[], request: ReplayRequest): Required<ListedObject>[] {
  const from = request.from.getTime();
  const to = request.to.getTime();
  return pages
    .flatMap((page) => page.Contents ?? [])
    .filter((o): o is Required<ListedObject> => o.Key !== undefined && o.LastModified !== undefined)
    .filter((o) => o.Key.startsWith(request.prefix) && !o.Key.endsWith("/"))
    .filter((o) => {
      const t = new Date(o.LastModified).getTime();
      return t >= from && t < to;
    })
    .sort(
      (a, b) => new Date(a.LastModified).getTime() - new Date(b.LastModified).getTime() || (a.Key < b.Key ? -1 : 1),
    );
}

/**
 * One notification, as S3 sends it for an object created by PUT. The
 * configuration id names the replay, so a SIEM's logs tell replayed
 * notifications from S3's own.
 */
export function notificationFor(object: Required<ListedObject>, request: ReplayRequest): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        awsRegion: request.region,
        eventTime: new Date(object.LastModified).toISOString(),
        eventName: "ObjectCreated:Put",
        userIdentity: { principalId: "cwl-archive-replay" },
        requestParameters: { sourceIPAddress: "127.0.0.1" },
        responseElements: { "x-amz-request-id": "cwl-archive-replay", "x-amz-id-2": "cwl-archive-replay" },
        s3: {
          s3SchemaVersion: "1.0",
          configurationId: "cwl-archive-replay",
          bucket: {
            name: request.bucket,
            ownerIdentity: { principalId: "cwl-archive-replay" },
            arn: s3BucketArn(request.bucket, partitionOf(request.region)),
          },
          object: {
            key: notificationKey(object.Key),
            size: object.Size,
            // ListObjectsV2 quotes the ETag; notifications do not.
            eTag: object.ETag.replace(/^"|"$/g, ""),
            sequencer: new Date(object.LastModified).getTime().toString(16).toUpperCase().padStart(16, "0"),
          },
        },
      },
    ],
  });
}

/** The notifications for a listing, in SendMessageBatch-sized groups. */
export function replayBatches(pages: readonly ListPage[], request: ReplayRequest): string[][] {
  const messages = objectsToReplay(pages, request).map((o) => notificationFor(o, request));
  const batches: string[][] = [];
  for (let i = 0; i < messages.length; i += SQS_BATCH_ENTRIES) batches.push(messages.slice(i, i + SQS_BATCH_ENTRIES));
  return batches;
}
