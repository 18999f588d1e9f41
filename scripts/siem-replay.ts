/**
 * npm run siem:replay -- --prefix <prefix> --from <ISO time> --to <ISO time>
 *   [--queue-url <url>] [--bucket <name>] [--region <name>] [--role-arn <arn>] [--dry-run]
 *
 * Re-announces the archived objects created in [from, to) under a prefix to
 * the SIEM queue that announces it, as S3 event notifications (see
 * docs/siem.md#replay-and-redrive and --help). Run it as the SIEM operator
 * role: the reader role cannot send to a queue.
 */
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { loadRegistry, registryFileFromEnv } from "../modules/registry/load";
import { RegistryError } from "../modules/registry/errors";
import { parseReplayArgs, REPLAY_HELP, replayTarget } from "../modules/siem/replay-cli";
import { runReplay } from "../modules/siem/replay-run";

/** Bad arguments or a bad registry: exit 2, as npm run verify does. */
class UsageError extends Error {}

async function main(): Promise<void> {
  const args = parseReplayArgs(process.argv.slice(2));
  if ("problems" in args) throw new UsageError(args.problems.join("\n"));
  if (args.help) {
    process.stdout.write(REPLAY_HELP);
    return;
  }
  let registry;
  try {
    registry = loadRegistry(registryFileFromEnv(process.env));
  } catch (error) {
    if (error instanceof RegistryError) throw new UsageError(error.message);
    throw error;
  }
  const target = replayTarget(registry, args);
  if ("problems" in target) throw new UsageError(target.problems.join("\n"));
  // The SDK's provider assumes the role from the default chain and renews it.
  // https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-aws-sdk-credential-providers/#fromtemporarycredentials
  const credentials =
    args.roleArn === undefined
      ? undefined
      : fromTemporaryCredentials({
          params: { RoleArn: args.roleArn, RoleSessionName: "cwl-archive-siem-replay", DurationSeconds: 3600 },
          clientConfig: { region: target.region },
        });
  const s3 = new S3Client({ region: target.region, credentials });
  const sqs = new SQSClient({ region: target.region, credentials });
  const outcome = await runReplay(
    {
      bucket: target.bucket,
      queueUrl: target.queueUrl,
      prefix: args.prefix!,
      from: new Date(args.from!),
      to: new Date(args.to!),
      region: target.region,
      dryRun: args.dryRun,
    },
    {
      listPage: (bucket, prefix, token) =>
        s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })),
      sendBatch: async (url, bodies) => {
        const out = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: url,
            Entries: bodies.map((body, i) => ({ Id: String(i), MessageBody: body })),
          }),
        );
        return (out.Failed ?? []).map((f) => f.Id ?? "0");
      },
    },
  );
  process.stdout.write(
    `${args.dryRun ? "would re-announce" : "re-announced"} ${outcome.announced} of ${outcome.listed} listed objects to ${target.queueUrl}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`siem:replay: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
