/**
 * `npm run siem:replay`: lists a prefix page by page and sends the
 * notifications of the objects of a time range to a queue, in batches. A thin
 * shell over replay.ts; the AWS calls are ports, so the whole run is tested
 * with recorded listings (scripts/siem-replay.ts passes the SDK clients).
 */
import { DNS_SUFFIX_PATTERN, sqsQueueUrl } from "../naming/partition";
import {
  notificationFor,
  objectsToReplay,
  replayProblems,
  SQS_BATCH_ENTRIES,
  type ListPage,
  type ReplayRequest,
} from "./replay";

export interface ReplayPorts {
  /** One ListObjectsV2 page of the prefix, after `continuationToken`. */
  listPage(bucket: string, prefix: string, continuationToken: string | undefined): Promise<ListPage>;
  /** SendMessageBatch: the ids of the entries SQS failed (an entry's id is its place in `bodies`). */
  sendBatch(queueUrl: string, bodies: readonly string[]): Promise<string[]>;
}

export interface ReplayOptions extends ReplayRequest {
  readonly queueUrl: string;
  /** List and count, send nothing. @default false */
  readonly dryRun?: boolean;
}

export interface ReplayOutcome {
  readonly listed: number;
  readonly announced: number;
}

/** An SQS queue URL: https://sqs.<region>.<dns suffix>/<account>/<name>, in any partition. */
const QUEUE_URL = new RegExp(`^https://sqs\\.[a-z0-9-]+\\.${DNS_SUFFIX_PATTERN}/\\d{12}/[\\w-]{1,80}$`);

export async function runReplay(options: ReplayOptions, ports: ReplayPorts): Promise<ReplayOutcome> {
  const problems = replayProblems(options);
  if (!QUEUE_URL.test(options.queueUrl)) {
    problems.push(
      `--queue-url: expected an SQS queue URL such as ${sqsQueueUrl("eu-west-1", "111111111111", "cwl-archive-siem-notifications")}, got ${JSON.stringify(options.queueUrl)}`,
    );
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  const pages: ListPage[] = [];
  let token: string | undefined;
  do {
    const page = await ports.listPage(options.bucket, options.prefix, token);
    pages.push(page);
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  const listed = pages.reduce((n, p) => n + (p.Contents?.length ?? 0), 0);
  const objects = objectsToReplay(pages, options);
  let announced = 0;
  for (let i = 0; i < objects.length; i += SQS_BATCH_ENTRIES) {
    const batch = objects.slice(i, i + SQS_BATCH_ENTRIES);
    if (options.dryRun === true) {
      announced += batch.length;
      continue;
    }
    const failed = await ports.sendBatch(
      options.queueUrl,
      batch.map((o) => notificationFor(o, options)),
    );
    if (failed.length > 0) {
      // Objects go oldest first and entry ids are their places in the batch
      // (scripts/siem-replay.ts), so every object before the first refused
      // one was announced: the run resumes from the last of them.
      const firstRefused = Math.min(...failed.map((id) => (/^\d+$/.test(id) ? Number(id) : 0)));
      const lastSent = i + firstRefused - 1;
      const last = lastSent < 0 ? undefined : new Date(objects[lastSent]!.LastModified).toISOString();
      throw new Error(
        `SQS refused ${failed.length} of ${batch.length} notifications after ${announced} were sent` +
          (last === undefined
            ? `: nothing was sent; run again with the same --from`
            : `; the last sent object was created at ${last}: run again with --from ${last} (that object is announced twice)`),
      );
    }
    announced += batch.length;
  }
  return { listed, announced };
}
