/**
 * How large an object of heartbeats alone can be, measured: objects built to
 * the documented shapes (__tests__/fixtures/heartbeat-objects.ts), with the
 * longest names and random ids, compressed by zlib at every level, against
 * the bound the delivery watch stores for each source
 * (modules/monitoring/delivery-watch/heartbeat-bound.ts).
 */
import { NAME_PREFIX } from "../../modules/options/values";
import {
  HEARTBEAT_OBJECT_BYTES,
  heartbeatObjectMaxBytes,
  heartbeatsPerObject,
  objectFormatProblems,
  WORST_CASE_OBJECT_FORMAT,
} from "../../modules/monitoring/delivery-watch/heartbeat-bound";
import type { CompressionFormat } from "../../modules/options/values";
import {
  heartbeatObjectSizes,
  heartbeatObjectText,
  LONGEST_NAMES,
  SAMPLE_NAMES,
  type HeartbeatNames,
  type Layout,
} from "../fixtures/heartbeat-objects";

type Bytes = { readonly first: number; readonly next: number };

/** Bound for an object of `count` heartbeats. */
const boundOf = (bytes: Bytes, count: number) => bytes.first + (count - 1) * bytes.next;

/** Objects of 1 to 20 heartbeats (17 is the most heartbeatsPerObject gives: 1 min, 900 s). */
const COUNTS = Array.from({ length: 20 }, (_, i) => i + 1);
const CASES = (["envelope", "message"] as const).flatMap((layout) =>
  (["UNCOMPRESSED", "GZIP"] as const).map((compression) => ({ layout, compression })),
);

/** The measured size of an object, for a compression. */
function measured(layout: Layout, compression: CompressionFormat, count: number, names: HeartbeatNames, seed: number) {
  const sizes = heartbeatObjectSizes({ layout, count, names, seed });
  return compression === "GZIP" ? sizes.gzipLargest : sizes.uncompressed;
}

/** Every object, over names and seeds, larger than `bytes` allows: empty when the bound holds. */
function exceedances(layout: Layout, compression: CompressionFormat, bytes: Bytes): string[] {
  const found: string[] = [];
  for (const names of [SAMPLE_NAMES, LONGEST_NAMES]) {
    for (const seed of [1, 2, 3]) {
      for (const count of COUNTS) {
        const size = measured(layout, compression, count, names, seed);
        if (size > boundOf(bytes, count)) found.push(`${count} heartbeats, ${names.prefix}, seed ${seed}: ${size}`);
      }
    }
  }
  return found;
}

describe("the objects measured", () => {
  test("hold EventBridge's scheduled event, in the shape and field order of its documented example", () => {
    const text = heartbeatObjectText({ layout: "message", count: 1, names: SAMPLE_NAMES });
    const event = JSON.parse(text.split("\n")[0]!);
    expect(Object.keys(event)).toEqual([
      "version",
      "id",
      "detail-type",
      "source",
      "account",
      "time",
      "region",
      "resources",
      "detail",
    ]);
    expect(event).toMatchObject({
      "detail-type": "Scheduled Event",
      source: "aws.events",
      resources: ["arn:aws:events:eu-west-1:222222222222:rule/cwl-archive-heartbeat"],
      detail: {},
    });
    expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test("wrap it in CloudWatch Logs' envelope, one record a line, from the heartbeat log group", () => {
    const lines = heartbeatObjectText({ layout: "envelope", count: 2, names: SAMPLE_NAMES }).split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe("");
    const record = JSON.parse(lines[0]!);
    expect(record).toMatchObject({
      messageType: "DATA_MESSAGE",
      owner: "222222222222",
      logGroup: "/cwl-archive/heartbeat",
      subscriptionFilters: ["cwl-archive-to-archive"],
      policyLevel: "ACCOUNT_LEVEL_POLICY",
    });
    expect(record.logEvents).toEqual([
      { id: expect.stringMatching(/^\d{56}$/), timestamp: expect.any(Number), message: expect.any(String) },
    ]);
    expect(JSON.parse(record.logEvents[0].message)["detail-type"]).toBe("Scheduled Event");
  });

  test("use the longest names the registry admits", () => {
    expect(LONGEST_NAMES.prefix).toHaveLength(20);
    expect(LONGEST_NAMES.prefix).toMatch(NAME_PREFIX);
  });
});

describe("heartbeats one object can hold", () => {
  // floor(buffering / heartbeat interval) + 1 arrive within one interval, + 1 for the schedule's and delivery's jitter.
  test.each([
    [15, 300, 2],
    [15, 900, 3],
    [5, 300, 3],
    [1, 60, 3],
    [1, 0, 2],
    [60, 900, 2],
    [1, 900, 17],
  ])("every %i min with %i s of buffering: %i", (heartbeat, buffering, count) => {
    expect(heartbeatsPerObject(heartbeat, buffering)).toBe(count);
  });
});

describe("the bound", () => {
  test.each([
    {
      name: "the registry's defaults (15 min, 300 s, GZIP envelopes)",
      heartbeat: 15,
      buffering: 300,
      bytes: 600 + 128,
    },
    { name: "GZIP messages, 15 min, 300 s", heartbeat: 15, buffering: 300, messages: true, bytes: 300 + 40 },
    {
      name: "GZIP envelopes at the most heartbeats (1 min, 900 s)",
      heartbeat: 1,
      buffering: 900,
      bytes: 600 + 16 * 128,
    },
    {
      name: "uncompressed envelopes at the most heartbeats",
      heartbeat: 1,
      buffering: 900,
      plain: true,
      bytes: 17 * 768,
    },
    {
      name: "uncompressed messages, 5 min, 300 s",
      heartbeat: 5,
      buffering: 300,
      plain: true,
      messages: true,
      bytes: 3 * 352,
    },
  ])("$name: $bytes bytes", ({ heartbeat, buffering, plain, messages, bytes }) => {
    const format = {
      bufferingIntervalSeconds: buffering,
      compression: plain ? ("UNCOMPRESSED" as const) : ("GZIP" as const),
      messageExtraction: messages ?? false,
    };
    expect(heartbeatObjectMaxBytes(heartbeat, format)).toBe(bytes);
  });

  test("for an unknown format is that of the largest objects: 900 s of uncompressed envelopes", () => {
    expect(WORST_CASE_OBJECT_FORMAT).toEqual({
      bufferingIntervalSeconds: 900,
      compression: "UNCOMPRESSED",
      messageExtraction: false,
    });
    expect(heartbeatObjectMaxBytes(15, WORST_CASE_OBJECT_FORMAT)).toBe(3 * 768);
  });

  test.each(CASES)(
    "holds every object of 1 to 20 heartbeats: $layout, $compression, any zlib level, short and long names",
    ({ layout, compression }) => {
      expect(exceedances(layout, compression, HEARTBEAT_OBJECT_BYTES[layout][compression])).toEqual([]);
    },
  );

  test.each(CASES)(
    "stays within 1.5 times the largest object with the longest names: $layout, $compression",
    ({ layout, compression }) => {
      for (const count of COUNTS) {
        const largest = Math.max(...[1, 2, 3].map((seed) => measured(layout, compression, count, LONGEST_NAMES, seed)));
        expect(boundOf(HEARTBEAT_OBJECT_BYTES[layout][compression], count)).toBeLessThanOrEqual(1.5 * largest);
      }
    },
  );

  test("holds heartbeats CloudWatch Logs batched into one record: fewer envelopes, smaller objects", () => {
    for (const count of COUNTS) {
      const batched = heartbeatObjectSizes({ layout: "envelope", count, batched: true });
      const separate = heartbeatObjectSizes({ layout: "envelope", count });
      expect(batched.uncompressed).toBeLessThan(separate.uncompressed + 1);
      expect(batched.gzipLargest).toBeLessThanOrEqual(boundOf(HEARTBEAT_OBJECT_BYTES.envelope.GZIP, count));
    }
  });

  test("is what the watch stores: the bound for the heartbeats one object can hold", () => {
    for (const [heartbeat, buffering] of [
      [15, 300],
      [1, 900],
      [5, 0],
    ] as const) {
      for (const { layout, compression } of CASES) {
        const format = { bufferingIntervalSeconds: buffering, compression, messageExtraction: layout === "message" };
        const count = heartbeatsPerObject(heartbeat, buffering);
        expect(heartbeatObjectMaxBytes(heartbeat, format)).toBe(
          boundOf(HEARTBEAT_OBJECT_BYTES[layout][compression], count),
        );
      }
    }
  });
});

describe("the measurement catches a bound that is too small", () => {
  test("one heartbeat an object (buffering ignored: 472 bytes, the most one takes) is exceeded when an object holds two", () => {
    const oneOnly = { first: 472, next: 0 };
    expect(exceedances("envelope", "GZIP", oneOnly)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^2 heartbeats, a{16}-z9z, seed 1: \d+$/)]),
    );
  });

  test("what zlib's best level needs for each further heartbeat (about 90 bytes) is exceeded at its fastest", () => {
    const bestLevelOnly = { first: 472, next: 90 };
    expect(exceedances("envelope", "GZIP", bestLevelOnly).length).toBeGreaterThan(0);
  });

  test("an uncompressed record without room for a longer log stream name is exceeded", () => {
    expect(exceedances("envelope", "UNCOMPRESSED", { first: 700, next: 700 }).length).toBeGreaterThan(0);
  });
});

describe("what the bound cannot tell", () => {
  test("an object with one short real log line besides the heartbeat stays within it", () => {
    const line = '{"level":"INFO","msg":"order 1234 shipped","ms":12}';
    const sizes = heartbeatObjectSizes({ layout: "envelope", count: 1, names: SAMPLE_NAMES, logLines: [line] });
    expect(sizes.gzipLargest).toBeLessThanOrEqual(
      heartbeatObjectMaxBytes(15, {
        bufferingIntervalSeconds: 300,
        compression: "GZIP",
        messageExtraction: false,
      }),
    );
  });

  test("an object with a few CloudTrail-sized events besides the heartbeat exceeds it", () => {
    const event = JSON.stringify({
      eventVersion: "1.09",
      userIdentity: {
        type: "AssumedRole",
        arn: "arn:aws:sts::222222222222:assumed-role/app/i-0abc",
        accountId: "222222222222",
      },
      eventTime: "2026-12-01T11:59:00Z",
      eventSource: "s3.amazonaws.com",
      eventName: "GetObject",
      awsRegion: "eu-west-1",
      sourceIPAddress: "10.0.12.34",
      userAgent: "aws-sdk-java/2.25.0 Linux/5.10 OpenJDK_64-Bit_Server_VM/17",
      requestParameters: { bucketName: "orders-222222222222", key: "2026/12/01/batch-000123.json" },
      requestID: "N4N7GDK58NMKJ12R",
      eventID: "b1946ac9-2492-4d23-8c62-35b4d2611184",
      readOnly: true,
      eventType: "AwsApiCall",
      recipientAccountId: "222222222222",
    });
    const sizes = heartbeatObjectSizes({ layout: "envelope", count: 1, names: SAMPLE_NAMES, logLines: [event, event] });
    expect(sizes.gzipSmallest).toBeGreaterThan(
      heartbeatObjectMaxBytes(15, { bufferingIntervalSeconds: 300, compression: "GZIP", messageExtraction: false }),
    );
  });
});

describe("a source's object format", () => {
  test("accepts what Firehose accepts, at both edges", () => {
    for (const seconds of [0, 900]) {
      expect(
        objectFormatProblems("delivery", {
          bufferingIntervalSeconds: seconds,
          compression: "GZIP",
          messageExtraction: true,
        }),
      ).toEqual([]);
    }
  });

  test("fails naming each bad field", () => {
    const problems = objectFormatProblems("sources[2].delivery", {
      bufferingIntervalSeconds: 901,
      compression: "ZIP" as CompressionFormat,
      messageExtraction: "yes" as unknown as boolean,
    });
    expect(problems).toEqual([
      "sources[2].delivery.bufferingIntervalSeconds: expected a whole number of seconds from 0 to 900, got 901",
      'sources[2].delivery.compression: expected one of GZIP, UNCOMPRESSED, got "ZIP"',
      'sources[2].delivery.messageExtraction: expected true or false, got "yes"',
    ]);
    expect(
      objectFormatProblems("d", { bufferingIntervalSeconds: -1, compression: "GZIP", messageExtraction: false }),
    ).toHaveLength(1);
  });
});
