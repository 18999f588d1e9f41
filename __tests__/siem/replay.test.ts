/**
 * The replay (npm run siem:replay) against recorded ListObjectsV2 listings:
 * the objects of a time range, and only they, are re-announced, in messages
 * a SIEM input parses as S3's own notifications. The reading side is the
 * one Filebeat's aws-s3 input applies (Records of eventSource aws:s3 and an
 * ObjectCreated event name, the key unescaped with Go's url.QueryUnescape),
 * https://github.com/elastic/beats/blob/main/x-pack/filebeat/input/awss3/sqs_s3_event.go.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import {
  notificationKey,
  replayBatches,
  replayProblems,
  type ListPage,
  type ReplayRequest,
} from "../../modules/siem/replay";
import { runReplay, type ReplayPorts } from "../../modules/siem/replay-run";

const recorded = JSON.parse(readFileSync("__tests__/fixtures/siem/list-objects-v2.json", "utf8")) as {
  pages: ListPage[];
};
const PREFIX = "cloudwatch-logs/account=222222222222/region=eu-west-1/year=2026/month=12/day=04/";
const QUEUE = "https://sqs.eu-west-1.amazonaws.com/111111111111/cwl-archive-siem-notifications";
const REQUEST: ReplayRequest = {
  bucket: "cwl-archive-111111111111-eu-west-1",
  region: "eu-west-1",
  prefix: PREFIX,
  from: new Date("2026-12-04T10:00:00Z"),
  to: new Date("2026-12-04T11:00:00Z"),
};

/** Go's url.QueryUnescape: `+` is a space, then percent-decoding. */
const queryUnescape = (key: string) => decodeURIComponent(key.replace(/\+/g, " "));

/** An S3 notification as Filebeat reads one: the object keys it would fetch, or an error. */
function readAsS3Notification(body: string): { bucket: string; key: string; region: string }[] {
  const parsed = JSON.parse(body) as { Records?: Record<string, any>[] };
  if (!Array.isArray(parsed.Records)) throw new Error("missing Records field");
  return parsed.Records.filter(
    (r) => r.eventSource === "aws:s3" && String(r.eventName).startsWith("ObjectCreated:"),
  ).map((r) => ({
    bucket: r.s3.bucket.name,
    key: queryUnescape(r.s3.object.key),
    region: r.awsRegion,
  }));
}

/** Fake AWS: serves the recorded pages by continuation token and records what is sent. */
function fakeAws(pages: readonly ListPage[]) {
  const sent: string[][] = [];
  const tokens: (string | undefined)[] = [];
  const ports: ReplayPorts = {
    listPage: async (_bucket, _prefix, token) => {
      tokens.push(token);
      const index =
        token === undefined ? 0 : pages.findIndex((_page, i) => i > 0 && pages[i - 1]!.NextContinuationToken === token);
      return pages[index]!;
    },
    sendBatch: async (_url, bodies) => {
      sent.push([...bodies]);
      return [];
    },
  };
  return { ports, sent, tokens };
}

describe("siem:replay", () => {
  test("GIVEN the recorded listing WHEN an hour is replayed THEN its objects, and only they, are announced, oldest first", async () => {
    const aws = fakeAws(recorded.pages);
    const outcome = await runReplay({ ...REQUEST, queueUrl: QUEUE }, aws.ports);

    // Both pages were read, the second with the first's continuation token.
    expect(aws.tokens).toEqual([undefined, recorded.pages[0]!.NextContinuationToken]);
    expect(outcome).toEqual({ listed: 6, announced: 3 });
    const keys = aws.sent.flat().flatMap(readAsS3Notification);
    expect(keys.map((k) => k.key)).toEqual([
      `${PREFIX}hour=10/cwl-archive-to-archive-1-2026-12-04-10-00-00-6a0e5b2d-3c4f-4a1b-8c9d-1e2f3a4b5c6d.json.gz`,
      `${PREFIX}hour=10/cwl-archive-to-archive-1-2026-12-04-10-05-12-7b1f6c3e-4d5a-4b2c-9dae-2f3a4b5c6d7e.json.gz`,
      `${PREFIX}hour=10/manual upload (copy)+1.json.gz`,
    ]);
    expect(keys.every((k) => k.bucket === REQUEST.bucket && k.region === "eu-west-1")).toBe(true);
  });

  test("THEN each message has the fields of S3's notification, with the key URL-encoded as S3 sends it", () => {
    const [message] = replayBatches(recorded.pages, REQUEST).flat();
    const record = JSON.parse(message!).Records[0];
    expect(record).toMatchObject({
      eventVersion: "2.1",
      eventSource: "aws:s3",
      awsRegion: "eu-west-1",
      eventTime: "2026-12-04T10:00:00.000Z",
      eventName: "ObjectCreated:Put",
      s3: {
        s3SchemaVersion: "1.0",
        bucket: { name: REQUEST.bucket, arn: `arn:aws:s3:::${REQUEST.bucket}` },
        object: { size: 51873, eTag: "5d41402abc4b2a76b9719d911017c592" },
      },
    });
    expect(record.s3.object.key).toBe(
      "cloudwatch-logs/account%3D222222222222/region%3Deu-west-1/year%3D2026/month%3D12/day%3D04/hour%3D10/cwl-archive-to-archive-1-2026-12-04-10-00-00-6a0e5b2d-3c4f-4a1b-8c9d-1e2f3a4b5c6d.json.gz",
    );
    expect(record.s3.object.sequencer).toMatch(/^[0-9A-F]{16}$/);
  });

  test('THEN a key with spaces and plus signs reads back as itself (S3: "red flower.jpg" becomes "red+flower.jpg")', () => {
    expect(notificationKey("a/red flower.jpg")).toBe("a/red+flower.jpg");
    expect(notificationKey("a/x+1 (copy).gz")).toBe("a/x%2B1+%28copy%29.gz");
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "grapheme", minLength: 1 }), { minLength: 1, maxLength: 5 }),
        (segments) => {
          const key = segments.join("/");
          expect(queryUnescape(notificationKey(key))).toBe(key);
        },
      ),
      { seed: 24, numRuns: 300 },
    );
  });

  test("GIVEN more objects than one SendMessageBatch takes THEN they go ten at a time", async () => {
    const many: ListPage = {
      Contents: Array.from({ length: 23 }, (_, i) => ({
        Key: `${PREFIX}hour=10/o-${String(i).padStart(2, "0")}.json.gz`,
        LastModified: new Date(Date.UTC(2026, 11, 4, 10, i)).toISOString(),
        ETag: '"x"',
        Size: 1,
      })),
    };
    const aws = fakeAws([many]);
    expect(await runReplay({ ...REQUEST, queueUrl: QUEUE }, aws.ports)).toEqual({ listed: 23, announced: 23 });
    expect(aws.sent.map((b) => b.length)).toEqual([10, 10, 3]);
  });

  test("GIVEN --dry-run THEN nothing is sent", async () => {
    const aws = fakeAws(recorded.pages);
    expect(await runReplay({ ...REQUEST, queueUrl: QUEUE, dryRun: true }, aws.ports)).toEqual({
      listed: 6,
      announced: 3,
    });
    expect(aws.sent).toEqual([]);
  });

  test("GIVEN SQS refuses entries THEN the run stops and says how far it got", async () => {
    const aws = fakeAws(recorded.pages);
    await expect(
      runReplay(
        { ...REQUEST, queueUrl: QUEUE },
        { ...aws.ports, sendBatch: async (_u, bodies) => bodies.map((_, i) => String(i)) },
      ),
    ).rejects.toThrow(
      "SQS refused 3 of 3 notifications after 0 were sent: nothing was sent; run again with the same --from",
    );
  });

  test("GIVEN SQS refuses part of a later batch THEN the run names the last sent object's time to resume from", async () => {
    const pages: ListPage[] = [
      {
        Contents: Array.from({ length: 14 }, (_, i) => ({
          Key: `${PREFIX}o-${i}.json.gz`,
          LastModified: new Date(Date.UTC(2026, 11, 4, 10, i)),
          ETag: '"e"',
          Size: 1,
        })),
      },
    ];
    const aws = fakeAws(pages);
    let calls = 0;
    // The second batch (objects 10-13): SQS takes entry 0 and 1 and refuses 2 and 3.
    const sendBatch = async (_u: string, bodies: readonly string[]) =>
      calls++ === 0 ? [] : bodies.map((_, i) => String(i)).slice(2);
    await expect(runReplay({ ...REQUEST, queueUrl: QUEUE }, { ...aws.ports, sendBatch })).rejects.toThrow(
      "SQS refused 2 of 4 notifications after 10 were sent; the last sent object was created at 2026-12-04T10:11:00.000Z: run again with --from 2026-12-04T10:11:00.000Z",
    );
  });

  describe("validation", () => {
    test("fails on a prefix nobody announces, reversed times and a malformed queue URL, all at once", async () => {
      const aws = fakeAws(recorded.pages);
      await expect(
        runReplay(
          {
            ...REQUEST,
            prefix: "cloudwatch-logs-errors/",
            from: REQUEST.to,
            to: REQUEST.from,
            queueUrl: "cwl-archive-siem-notifications",
          },
          aws.ports,
        ),
      ).rejects.toThrow(
        [
          `--prefix: expected a prefix under cloudwatch-logs/, cloudtrail/, config/, agents/, vpc-flow-logs/ (only announced objects can be re-announced), got "cloudwatch-logs-errors/"`,
          "--to: expected a time after --from (2026-12-04T11:00:00.000Z), got 2026-12-04T10:00:00.000Z",
          `--queue-url: expected an SQS queue URL such as https://sqs.eu-west-1.amazonaws.com/111111111111/cwl-archive-siem-notifications, got "cwl-archive-siem-notifications"`,
        ].join("\n"),
      );
      expect(aws.tokens).toEqual([]);
    });

    test("fails on a time that is not one", () => {
      expect(replayProblems({ ...REQUEST, from: new Date("yesterday") })).toEqual([
        "--from: expected an ISO 8601 time such as 2026-12-01T00:00:00Z",
      ]);
    });
  });
});
