/**
 * The command's AWS adapters and checks against a local AWS API emulator
 * (moto's server mode): real SDK requests and responses for S3, SQS, STS,
 * CloudWatch Logs and CloudWatch. The test plays Firehose (moto has no
 * account-level subscription or timestamp prefixes): each step of the fake
 * clock copies the marker log group's events into an object, as the stream
 * would. S3's notification to the queue is moto's own.
 *
 * moto accepts Athena's query calls but runs no SQL: GetQueryResults returns
 * rows queued through its `/moto-api/static/athena/query-results` API and
 * DataScannedInBytes is always 0. The fake Firehose queues the rows the
 * marker query would return, from the events moto's CloudWatch Logs holds, so
 * `athena-query` proves the Athena adapter's requests and its reading of the
 * responses (header row, NULLs, states), not the tables, the view or pruning:
 * those are proven by the recorded responses in athena.test.ts.
 *
 * moto enforces neither bucket nor key policies, nor ExternalIds, and has no
 * IAM simulator: those checks are proven with recorded responses in the
 * other tests of this folder, and here they are expected to fail, which is
 * itself the "a write that should be denied succeeds" case.
 */
import { gzipSync } from "node:zlib";
import { AthenaClient, CreateWorkGroupCommand } from "@aws-sdk/client-athena";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { firehoseDataPrefix, prefixAt } from "../../modules/naming/key-layout";
import { alarmsPort, iamPort, logsPort, s3Port, stsPort, type ClientConfig } from "../../modules/verify/aws-ports";
import { cleanup } from "../../modules/verify/cleanup";
import { DEFAULT_OPTIONS } from "../../modules/verify/context";
import { markerFor } from "../../modules/verify/marker";
import type { VerifyPorts } from "../../modules/verify/ports";
import { runVerify, type RunOutcome } from "../../modules/verify/run";
import { verifyTarget, type VerifyTarget } from "../../modules/verify/target";
import { registryWith } from "../helpers/registry";
import { startMoto, type Moto } from "../helpers/moto";
import { synthesised } from "./sandbox-context";

/** moto's default account: the credentials below act in it. */
const MOTO_ACCOUNT = "123456789012";
const SOURCE = "222222222222";
const OTHER = "333333333333";
const KEY = `arn:aws:kms:eu-west-1:${MOTO_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const RUN = "20261204T220000Z-e2e001";

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
}, 300_000);
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
});

function registry() {
  return registryWith((raw) => {
    raw.logArchive = { accountId: MOTO_ACCOUNT, region: "eu-west-1" };
    raw.accounts = [
      { id: SOURCE, name: "payments-prod", regions: ["eu-west-1"] },
      { id: OTHER, name: "shared-services", regions: ["eu-west-1"] },
    ];
    raw.monitoring = { alarms: { enabled: false } };
  });
}

function target(): VerifyTarget {
  return verifyTarget(registry(), { sourceAccountId: SOURCE, sourceRegion: "eu-west-1" });
}

const stacks = synthesised(registry());

interface Deployment {
  notify: boolean;
  deliver: "own" | "other-account" | "none";
}

const config = (): ClientConfig => ({
  region: "eu-west-1",
  endpoint: moto.endpoint,
  credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  receiveWaitSeconds: 0,
});

function envelope(owner: string, group: string, messages: string[]): Buffer {
  const logEvents = messages.map((message, i) => ({ id: String(i), timestamp: Date.now(), message }));
  return gzipSync(
    `${JSON.stringify({ messageType: "DATA_MESSAGE", owner, logGroup: group, logStream: "s", subscriptionFilters: ["cwl-archive-to-archive"], logEvents })}\n`,
  );
}

async function deploy(t: VerifyTarget, deployment: Deployment): Promise<void> {
  const s3 = new S3Client({ ...config(), forcePathStyle: true });
  await s3.send(
    new CreateBucketCommand({
      Bucket: t.archiveBucket,
      CreateBucketConfiguration: { LocationConstraint: "eu-west-1" },
    }),
  );
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: t.archiveBucket,
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: KEY } }],
      },
    }),
  );
  const queue = await new SQSClient(config()).send(new CreateQueueCommand({ QueueName: t.queueName }));
  if (deployment.notify) {
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: t.archiveBucket,
        NotificationConfiguration: {
          QueueConfigurations: [
            {
              QueueArn: `arn:aws:sqs:eu-west-1:${MOTO_ACCOUNT}:${t.queueName}`,
              Events: ["s3:ObjectCreated:*"],
              Filter: { Key: { FilterRules: [{ Name: "prefix", Value: "cloudwatch-logs/" }] } },
            },
          ],
        },
      }),
    );
  }
  void queue;
  // The interactive workgroup, writing its results to a bucket of its own, as log-archive creates it.
  const results = `${t.prefix}-athena-results-e2e`;
  await s3.send(
    new CreateBucketCommand({ Bucket: results, CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }),
  );
  await new AthenaClient(config()).send(
    new CreateWorkGroupCommand({
      Name: t.athena!.workgroup,
      Configuration: {
        ResultConfiguration: { OutputLocation: `s3://${results}/` },
        EnforceWorkGroupConfiguration: true,
      },
    }),
  );
  // The heartbeat a source wrote a few minutes before the run.
  await s3.send(
    new PutObjectCommand({
      Bucket: t.archiveBucket,
      Key: `${prefixAt(firehoseDataPrefix(SOURCE, "eu-west-1"), new Date())}heartbeat-1.json.gz`,
      Body: envelope(SOURCE, t.heartbeat!.logGroup, ['{"detail-type":"Scheduled Event"}']),
      ServerSideEncryption: "aws:kms",
      SSEKMSKeyId: KEY,
    }),
  );
}

/**
 * What Athena would answer to the marker query, queued in moto (which runs no
 * SQL): the header row, then one row per event, in Athena's text forms.
 */
async function queueAthenaRows(
  t: VerifyTarget,
  logGroup: string,
  events: readonly { timestamp?: number; message?: string }[],
): Promise<void> {
  const columns = ["account", "region", "event_time", "log_group", "log_stream", "message"];
  const row = (values: readonly string[]) => ({ Data: values.map((v) => ({ VarCharValue: v })) });
  const rows = [
    row(columns),
    ...events.map((e) =>
      row([
        SOURCE,
        t.sourceRegion,
        new Date(e.timestamp ?? 0).toISOString().replace("T", " ").replace("Z", ""),
        logGroup,
        "marker",
        e.message ?? "",
      ]),
    ),
  ];
  const response = await fetch(`${moto.endpoint}/moto-api/static/athena/query-results`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      account_id: MOTO_ACCOUNT,
      region: t.archiveRegion,
      results: [{ rows, column_info: columns.map((name) => ({ Name: name, Type: "varchar" })) }],
    }),
  });
  if (response.status !== 201) throw new Error(`moto refused the Athena results: ${response.status}`);
}

/** The ports over moto, with a clock whose sleep moves time and runs the fake Firehose. */
function ports(t: VerifyTarget, deployment: Deployment): VerifyPorts {
  const c = config();
  const noWait = async () => undefined;
  let offset = 0;
  let delivered = false;
  const marker = markerFor(t.prefix, RUN);
  const firehose = async () => {
    if (delivered || deployment.deliver === "none") return;
    const logs = new CloudWatchLogsClient(c);
    const events = await logs.send(new FilterLogEventsCommand({ logGroupName: marker.logGroup }));
    const messages = (events.events ?? []).map((e) => e.message ?? "");
    if (messages.length === 0) return;
    delivered = true;
    if (deployment.deliver === "own") await queueAthenaRows(t, marker.logGroup, events.events ?? []);
    const account = deployment.deliver === "own" ? SOURCE : OTHER;
    await new S3Client({ ...c, forcePathStyle: true }).send(
      new PutObjectCommand({
        Bucket: t.archiveBucket,
        Key: `${prefixAt(firehoseDataPrefix(account, "eu-west-1"), new Date())}cwl-archive-to-archive-1-e2e${t.objectExtension}`,
        Body: envelope(SOURCE, marker.logGroup, messages),
        ServerSideEncryption: "aws:kms",
        SSEKMSKeyId: KEY,
      }),
    );
  };
  return {
    archive: { s3: s3Port(c), logs: logsPort(c, noWait), alarms: alarmsPort(c), sts: stsPort(c, "verify") },
    analystVia: stsPort(c, "verify"),
    source: { s3: s3Port(c), logs: logsPort(c, noWait), iam: iamPort(c), alarms: alarmsPort(c) },
    readerVia: stsPort(c, "verify"),
    clock: {
      now: () => Date.now() + offset,
      sleep: async (ms) => {
        offset += ms;
        await firehose();
      },
    },
  };
}

async function verify(deployment: Deployment): Promise<RunOutcome> {
  const t = target();
  await deploy(t, deployment);
  return runVerify(t, ports(t, deployment), RUN, stacks, { ...DEFAULT_OPTIONS, marginMs: 60_000 });
}

const statusOf = (outcome: RunOutcome, id: string) => outcome.checks.find((c) => c.id === id)!;

/** What moto cannot model (policies, ExternalIds, the simulator): proven with recorded responses elsewhere. */
const NOT_MODELLED = [
  "deny-reader-without-external-id",
  "deny-unencrypted-put",
  "deny-wrong-key-put",
  "deny-archive-admin-reads",
  "deny-source-reads-archive",
  "deny-reader-writes",
  "deny-delivery-role-other-prefix",
  "deny-delivery-role-read",
  "deny-delivery-role-delete",
];

describe("verify against a local AWS API emulator", () => {
  test("GIVEN a healthy fake deployment THEN every check the emulator can model passes", async () => {
    const outcome = await verify({ notify: true, deliver: "own" });
    const modelled = outcome.checks.filter((c) => !NOT_MODELLED.includes(c.id));
    expect(modelled.map((c) => `${c.id}:${c.status}`)).toEqual([
      "stacks:pass",
      "siem-reader-assume:pass",
      "log-analyst-assume:pass",
      "delivery:pass",
      "record-format:pass",
      "siem-notification:pass",
      "siem-reader-reads:pass",
      "trail-objects:not-applicable",
      "athena-cloudtrail:not-applicable",
      "flow-logs:not-applicable",
      "replication:not-applicable",
      "search-index:not-applicable",
      "athena-query:pass",
      "heartbeat:pass",
      "delivery-watch:not-applicable",
      "alarms:pass",
    ]);
    expect(
      statusOf(outcome, "delivery").evidence.every((e) => (e.what.startsWith("GetObject") ? e.requestId : true)),
    ).toBe(true);
    // Through the SDK: the query id, the header row skipped, the timestamp text read back as the marker's time.
    expect(statusOf(outcome, "athena-query").summary).toMatch(
      /^query [0-9a-f-]{36} returned the marker with its account, Region, log group and event time; 0 bytes scanned/,
    );
  }, 60_000);

  test("fails on no object, with the right line", async () => {
    const outcome = await verify({ notify: true, deliver: "none" });
    expect(statusOf(outcome, "delivery")).toMatchObject({
      status: "fail",
      summary: expect.stringMatching(
        /^no object with the marker under cloudwatch-logs\/account=222222222222\/region=eu-west-1\/ within 6 min/,
      ),
    });
  }, 60_000);

  test("fails on an object under the wrong prefix, with the right line", async () => {
    const outcome = await verify({ notify: true, deliver: "other-account" });
    expect(statusOf(outcome, "delivery").summary).toMatch(
      /^marker object under another account's prefix: cloudwatch-logs\/account=333333333333\//,
    );
  }, 60_000);

  test("fails on no notification, with the right line", async () => {
    const outcome = await verify({ notify: false, deliver: "own" });
    expect(statusOf(outcome, "delivery").status).toBe("pass");
    expect(statusOf(outcome, "siem-notification").summary).toMatch(
      /^no notification for the marker object on cwl-archive-siem-notifications/,
    );
  }, 60_000);

  test("fails on a write that should be denied but succeeds (the emulator has no bucket policy), and cleanup removes it", async () => {
    const t = target();
    const deployment = { notify: true, deliver: "own" as const };
    await deploy(t, deployment);
    const p = ports(t, deployment);
    const outcome = await runVerify(t, p, RUN, stacks, { ...DEFAULT_OPTIONS, marginMs: 60_000 });
    expect(statusOf(outcome, "deny-unencrypted-put").summary).toBe(
      `PutObject verify/${RUN}/sse-s3 with SSE-S3 as the log-archive administrator succeeded; expected AccessDenied`,
    );
    const lines = await cleanup(t.prefix, RUN, outcome.created, { sourceLogs: p.source.logs, archiveS3: p.archive.s3 });
    expect(lines[0]).toMatch(new RegExp(`^removed log group /cwl-archive/verify/${RUN} \\(request id `));
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^removed verify/${RUN}/sse-s3`))]));
    const left = await p.archive.s3.list(t.archiveBucket, "verify/");
    expect(left.objects).toEqual([]);
  }, 60_000);
});
