/**
 * `npm run siem:replay`'s arguments and its checks against the registry:
 * pure, so that --help, every refusal and the derived bucket and queue are
 * tested without AWS (scripts/siem-replay.ts does the I/O).
 */
import { sqsQueueUrl } from "../naming/partition";
import { parseArgs } from "node:util";
import { DATA_ROOT } from "../naming/key-layout";
import { announcedRoots } from "../sources/direct-sources";
import { archiveNames, siemQueueName } from "../naming/names";
import type { Registry } from "../registry/types";

export const REPLAY_HELP = `npm run siem:replay -- --prefix <prefix> --from <time> --to <time> [options]

Re-announces the archived objects created in [from, to) under a prefix to a
SIEM queue, as the S3 event notifications S3 itself sends (docs/siem.md,
"Replay and redrive"). Use it after an outage longer than the queue's
retention. Run it as the SIEM operator role (output siem_operator_role_arn):
pass --role-arn, or credentials of that role; the SIEM reader role cannot
send to a queue.

It reads the registry in use (REGISTRY_FILE, default accounts/registry.yaml)
to know which prefixes are announced and which queue announces each.

Required:
  --prefix <prefix>      key prefix to re-announce, under the data prefix
                         cloudwatch-logs/ or a root of sources.notifySiem
                         (cloudtrail/, config/, agents/, vpc-flow-logs/);
                         narrow it to a day or an account: the whole
                         listing is read before anything is sent
  --from <time>          ISO 8601 time: objects created at or after it
  --to <time>            ISO 8601 time: objects created before it

Options:
  --queue-url <url>      the queue to send to (default: the queue that
                         announces the prefix: siem_queue_url, or with
                         siem.queues perPrefix siem_queue_url_<source>);
                         refused if it is not that queue
  --bucket <name>        the archive bucket (default: the registry's,
                         output archive_bucket_name); refused if another
  --region <name>        Region of the bucket and queue, also written into
                         each notification's awsRegion (default: the
                         queue URL's Region, which is logArchive.region)
  --role-arn <arn>       assume this role (the SIEM operator role) from the
                         default credential chain before listing and sending
                         (default: use the default chain's credentials as
                         they are)
  --dry-run              list and count, send nothing
  -h, --help             print this help

Exit status: 0 when every notification was sent (or counted, with
--dry-run), 1 when SQS or S3 refused a call (the message says the last sent
object's time: run again with --from set to it), 2 for bad arguments or a
bad registry.
`;

export interface ReplayArgs {
  readonly help: boolean;
  readonly prefix?: string;
  readonly from?: string;
  readonly to?: string;
  readonly queueUrl?: string;
  readonly bucket?: string;
  readonly region?: string;
  readonly roleArn?: string;
  readonly dryRun: boolean;
}

/** The command line, or the problems with it (one line each). */
export function parseReplayArgs(argv: readonly string[]): ReplayArgs | { problems: string[] } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        help: { type: "boolean", short: "h", default: false },
        bucket: { type: "string" },
        "queue-url": { type: "string" },
        prefix: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        region: { type: "string" },
        "role-arn": { type: "string" },
        "dry-run": { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (error) {
    return { problems: [`${error instanceof Error ? error.message : String(error)} (see --help)`] };
  }
  const text = (key: string) => values[key] as string | undefined;
  const args: ReplayArgs = {
    help: values.help === true,
    prefix: text("prefix"),
    from: text("from"),
    to: text("to"),
    queueUrl: text("queue-url"),
    bucket: text("bucket"),
    region: text("region"),
    roleArn: text("role-arn"),
    dryRun: values["dry-run"] === true,
  };
  if (args.help) return args;
  const problems = (["prefix", "from", "to"] as const)
    .filter((k) => args[k] === undefined)
    .map((k) => `--${k}: required (see --help)`);
  if (args.roleArn !== undefined && !/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(args.roleArn)) {
    problems.push(`--role-arn: expected an IAM role ARN, got ${JSON.stringify(args.roleArn)}`);
  }
  return problems.length > 0 ? { problems } : args;
}

/** What the registry says a replay of `prefix` goes to. */
export interface ReplayTarget {
  readonly bucket: string;
  readonly region: string;
  readonly queueUrl: string;
}

/**
 * The bucket, Region and queue the registry's stacks made for `prefix`, or
 * the problems: a prefix under no announced root, a bucket or queue URL
 * other than those. Queue names come from the naming the stacks use, so a
 * notification never lands on a queue whose SIEM input binds another log type.
 */
export function replayTarget(
  registry: Registry,
  args: Pick<ReplayArgs, "prefix" | "bucket" | "queueUrl" | "region">,
): ReplayTarget | { problems: string[] } {
  const { accountId, region } = registry.logArchive;
  const names = archiveNames({ prefix: registry.naming.prefix, archiveAccountId: accountId, archiveRegion: region });
  const roots = [DATA_ROOT, ...announcedRoots(registry.sources.notifySiem)];
  const prefix = args.prefix ?? "";
  const root = roots.find((r) => prefix.startsWith(r));
  const problems: string[] = [];
  if (root === undefined) {
    problems.push(
      `--prefix: expected a prefix under an announced root of the registry (${roots.join(", ")}; sources.notifySiem announces more), got ${JSON.stringify(prefix)}`,
    );
  }
  if (args.bucket !== undefined && args.bucket !== names.archiveBucket) {
    problems.push(
      `--bucket: expected the registry's archive bucket ${names.archiveBucket}, got ${JSON.stringify(args.bucket)}`,
    );
  }
  if (args.region !== undefined && args.region !== region) {
    problems.push(
      `--region: expected the archive's Region ${region} (logArchive.region), got ${JSON.stringify(args.region)}`,
    );
  }
  if (root === undefined || problems.length > 0) return { problems };
  const queueName = registry.siem.queues === "perPrefix" ? siemQueueName(names.queue, root) : names.queue;
  const queueUrl = sqsQueueUrl(region, accountId, queueName);
  if (args.queueUrl !== undefined && args.queueUrl !== queueUrl) {
    problems.push(
      `--queue-url: expected ${queueUrl}, the queue that announces ${root}${registry.siem.queues === "perPrefix" ? " (siem.queues: perPrefix)" : ""}, got ${JSON.stringify(args.queueUrl)}`,
    );
    return { problems };
  }
  return { bucket: names.archiveBucket, region, queueUrl };
}
