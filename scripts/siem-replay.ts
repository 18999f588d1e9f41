/**
 * npm run siem:replay -- --bucket <archive bucket> --queue-url <queue URL>
 *   --prefix <prefix> --from <ISO time> --to <ISO time> [--region <region>] [--dry-run]
 *
 * Re-announces the archived objects created in [from, to) under a prefix to
 * a SIEM queue, as S3 event notifications (see docs/siem.md#replay-and-redrive).
 * Run it with the SIEM reader role's credentials: it may list the announced
 * prefixes and send to its queues.
 */
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { parseArgs } from "node:util";
import { runReplay } from "../modules/siem/replay-run";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      bucket: { type: "string" },
      "queue-url": { type: "string" },
      prefix: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      region: { type: "string" },
      "dry-run": { type: "boolean", default: false },
    },
    strict: true,
  });
  const missing = ["bucket", "queue-url", "prefix", "from", "to"].filter(
    (k) => values[k as keyof typeof values] === undefined,
  );
  if (missing.length > 0) throw new Error(missing.map((k) => `--${k}: required`).join("\n"));
  const queueUrl = values["queue-url"]!;
  // The queue's Region is the archive's: the bucket notifies queues of its own Region only.
  const region = values.region ?? /^https:\/\/sqs\.([a-z0-9-]+)\./.exec(queueUrl)?.[1] ?? "";
  const s3 = new S3Client({ region });
  const sqs = new SQSClient({ region });
  const outcome = await runReplay(
    {
      bucket: values.bucket!,
      queueUrl,
      prefix: values.prefix!,
      from: new Date(values.from!),
      to: new Date(values.to!),
      region,
      dryRun: values["dry-run"],
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
        return (out.Failed ?? []).map((f) => f.Id ?? "?");
      },
    },
  );
  process.stdout.write(
    `${values["dry-run"] ? "would re-announce" : "re-announced"} ${outcome.announced} of ${outcome.listed} listed objects\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`siem:replay: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
