/**
 * The search transform against hand-built Firehose events whose records are
 * gzip-compressed CloudWatch Logs subscription payloads, as CloudWatch Logs
 * writes them: "The Data attribute in a Kinesis record is Base64 encoded and
 * compressed with the gzip format."
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html).
 * Response entries follow
 * https://docs.aws.amazon.com/firehose/latest/dev/data-transformation-status-model.html:
 * recordId, result (Ok | Dropped | ProcessingFailed), data (base64).
 */
import { gzipSync } from "node:zlib";
import {
  configFromEnvironment,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  logLines,
  nodeCodec,
  processEvent,
  putBatches,
  type TransformPorts,
} from "../../modules/search/transform/handler";
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  entryBytes,
  responseBytes,
  transform,
  utf8Length,
  type FirehoseTransformationEvent,
  type FirehoseTransformationRecord,
  type TransformOptions,
} from "../../modules/search/transform/transform";

const ACCOUNT = "222222222222";
/** 2026-12-01T12:00:00.000Z: 20,788 days after 1970-01-01 (56 years, 14 of them leap, plus 334 days) and 12 hours. */
const T0 = 1_796_126_400_000;

const codec = nodeCodec();

function gz(value: unknown): string {
  return gzipSync(Buffer.from(typeof value === "string" ? value : JSON.stringify(value), "utf8")).toString("base64");
}

function dataMessage(events: { id: string; timestamp: number; message: string }[], logGroup = "/app/api") {
  return {
    messageType: "DATA_MESSAGE",
    owner: ACCOUNT,
    logGroup,
    logStream: "i-0abc/stdout",
    subscriptionFilters: ["cwl-archive"],
    logEvents: events,
  };
}

/** CloudWatch Logs' reachability check, as it arrives (owner "CloudwatchLogs", empty group and stream). */
const CONTROL_MESSAGE = {
  messageType: "CONTROL_MESSAGE",
  owner: "CloudwatchLogs",
  logGroup: "",
  logStream: "",
  subscriptionFilters: [],
  logEvents: [
    { id: "", timestamp: T0, message: "CWL CONTROL MESSAGE: Checking health of destination Kinesis stream." },
  ],
};

function rec(recordId: string, data: string): FirehoseTransformationRecord {
  return { recordId, data, approximateArrivalTimestamp: T0 + 5_000 };
}

function firehoseEvent(...records: FirehoseTransformationRecord[]): FirehoseTransformationEvent {
  return {
    invocationId: "00540a87-5050-496a-84e4-e7d92bbaf5e2",
    deliveryStreamArn: "arn:aws:firehose:eu-west-1:111111111111:deliverystream/cwl-archive-search",
    sourceKinesisStreamArn: "arn:aws:kinesis:eu-west-1:111111111111:stream/cwl-archive",
    region: "eu-west-1",
    records,
  };
}

function run(event: FirehoseTransformationEvent, options: TransformOptions = {}) {
  return transform(event, codec, options);
}

function decoded(data: string): string {
  return Buffer.from(data, "base64").toString("utf8");
}

describe("a data message", () => {
  const message = dataMessage([
    { id: "37000000000000000000000000000000000000000000000000000000", timestamp: T0, message: "GET /health 200" },
    {
      id: "37000000000000000000000000000000000000000000000000000001",
      timestamp: T0 + 1_500,
      message: '{"level":"error","status":503,"req":{"path":"/orders"}}',
    },
  ]);

  test("becomes one Ok document holding the batch, with ISO UTC timestamps and the account", () => {
    const { response } = run(firehoseEvent(rec("r1", gz(message))));
    expect(response.records).toHaveLength(1);
    expect(response.records[0].recordId).toBe("r1");
    expect(response.records[0].result).toBe("Ok");
    expect(JSON.parse(decoded(response.records[0].data))).toEqual({
      "@timestamp": "2026-12-01T12:00:00.000Z",
      lastTimestamp: "2026-12-01T12:00:01.500Z",
      account: ACCOUNT,
      logGroup: "/app/api",
      logStream: "i-0abc/stdout",
      subscriptionFilters: ["cwl-archive"],
      eventCount: 2,
      events: [
        {
          "@timestamp": "2026-12-01T12:00:00.000Z",
          id: "37000000000000000000000000000000000000000000000000000000",
          message: "GET /health 200",
        },
        {
          "@timestamp": "2026-12-01T12:00:01.500Z",
          id: "37000000000000000000000000000000000000000000000000000001",
          // The message as written, not parsed: no copy of its fields (a bounded document, issue 19).
          message: '{"level":"error","status":503,"req":{"path":"/orders"}}',
        },
      ],
    });
  });

  test("the document is exactly one single-line JSON object, the shape an OpenSearch destination indexes", () => {
    const multiline = dataMessage([{ id: "1", timestamp: T0, message: "line one\nline two\r\n" }]);
    const text = decoded(run(firehoseEvent(rec("r1", gz(multiline)))).response.records[0].data);
    expect(text).not.toMatch(/[\r\n]/);
    expect(text).toBe(
      '{"@timestamp":"2026-12-01T12:00:00.000Z","lastTimestamp":"2026-12-01T12:00:00.000Z",' +
        `"account":"${ACCOUNT}","logGroup":"/app/api","logStream":"i-0abc/stdout","subscriptionFilters":["cwl-archive"],` +
        '"eventCount":1,"events":[{"@timestamp":"2026-12-01T12:00:00.000Z","id":"1","message":"line one\\nline two\\r\\n"}]}',
    );
  });

  test("@timestamp is the earliest event and lastTimestamp the latest, whatever their order in the batch", () => {
    const unordered = dataMessage([
      { id: "b", timestamp: T0 + 60_000, message: "second" },
      { id: "a", timestamp: T0 - 1, message: "first" },
    ]);
    const doc = JSON.parse(decoded(run(firehoseEvent(rec("r1", gz(unordered)))).response.records[0].data));
    expect(doc["@timestamp"]).toBe("2026-12-01T11:59:59.999Z");
    expect(doc.lastTimestamp).toBe("2026-12-01T12:01:00.000Z");
    expect(doc.events.map((e: { id: string }) => e.id)).toEqual(["b", "a"]);
  });

  test("the epoch and a pre-1970 time come out in UTC", () => {
    const edge = dataMessage([
      { id: "a", timestamp: 0, message: "epoch" },
      { id: "b", timestamp: -86_400_000, message: "the day before" },
    ]);
    const doc = JSON.parse(decoded(run(firehoseEvent(rec("r1", gz(edge)))).response.records[0].data));
    expect(doc.events.map((e: { "@timestamp": string }) => e["@timestamp"])).toEqual([
      "1970-01-01T00:00:00.000Z",
      "1969-12-31T00:00:00.000Z",
    ]);
  });

  test("a payload without subscriptionFilters still indexes, with an empty list", () => {
    const { subscriptionFilters: _omitted, ...rest } = dataMessage([{ id: "1", timestamp: T0, message: "m" }]);
    void _omitted;
    const { response } = run(firehoseEvent(rec("r1", gz(rest))));
    expect(response.records[0].result).toBe("Ok");
    expect(JSON.parse(decoded(response.records[0].data)).subscriptionFilters).toEqual([]);
  });

  test("a data message without events has nothing to index: Dropped", () => {
    const original = gz(dataMessage([]));
    expect(run(firehoseEvent(rec("r1", original))).response.records).toEqual([
      { recordId: "r1", result: "Dropped", data: original },
    ]);
  });
});

describe("JSON messages", () => {
  test.each([
    '{"a":1,"b":{"c":[true,null]}}',
    '  {"padded":"yes"}\n',
    '{"level":"error","status":503,"req":{"path":"/orders"}}',
    "[1,2,3]",
    "{not json",
  ])("%j is kept as written, never parsed into fields of the document", (text) => {
    const message = dataMessage([{ id: "1", timestamp: T0, message: text }]);
    const doc = JSON.parse(decoded(run(firehoseEvent(rec("r1", gz(message)))).response.records[0].data));
    expect(doc.events[0]).toEqual({ "@timestamp": "2026-12-01T12:00:00.000Z", id: "1", message: text });
  });
});

describe("control messages", () => {
  test("are Dropped, carrying their original data", () => {
    const original = gz(CONTROL_MESSAGE);
    const { response, outcomes } = run(firehoseEvent(rec("c1", original)));
    expect(response.records).toEqual([{ recordId: "c1", result: "Dropped", data: original }]);
    expect(outcomes).toEqual([{ recordId: "c1", result: "Dropped", reason: "control-message" }]);
  });
});

describe("undecodable input", () => {
  const cases: [string, string, string][] = [
    ["not base64 of gzip", Buffer.from("not gzip at all").toString("base64"), "undecodable"],
    ["empty data", "", "undecodable"],
    ["gzip of plain text", gz("plain text, not JSON"), "invalid-payload"],
    ["gzip of a JSON array", gz([1, 2]), "invalid-payload"],
    ["an unknown messageType", gz({ ...dataMessage([]), messageType: "OTHER" }), "invalid-payload"],
    ["a payload without logGroup", gz({ ...dataMessage([]), logGroup: undefined }), "invalid-payload"],
    ["a payload with an empty owner", gz({ ...dataMessage([]), owner: "" }), "invalid-payload"],
    ["logEvents that are not a list", gz({ ...dataMessage([]), logEvents: {} }), "invalid-payload"],
    ["an event without a message", gz(dataMessage([{ id: "1", timestamp: T0 } as never])), "invalid-payload"],
    [
      "an event with a string timestamp",
      gz(dataMessage([{ id: "1", timestamp: String(T0) as never, message: "m" }])),
      "invalid-payload",
    ],
    [
      "an event with a timestamp outside the Date range",
      gz(dataMessage([{ id: "1", timestamp: 8.64e15 + 1, message: "m" }])),
      "invalid-payload",
    ],
    [
      "subscriptionFilters that are not strings",
      gz({ ...dataMessage([]), subscriptionFilters: [1] }),
      "invalid-payload",
    ],
  ];

  test.each(cases)("%s: ProcessingFailed with the original data", (_name, data, reason) => {
    const { response, outcomes } = run(firehoseEvent(rec("bad", data)));
    expect(response.records).toEqual([{ recordId: "bad", result: "ProcessingFailed", data }]);
    expect(outcomes[0].reason).toBe(reason);
  });

  test("failure details name the field, never log content", () => {
    const secret = "password=hunter2";
    const data = gz({ ...dataMessage([{ id: "1", timestamp: "soon" as never, message: secret }]) });
    const [outcome] = run(firehoseEvent(rec("bad", data))).outcomes;
    expect(outcome.detail).toBe("logEvents[0].timestamp is not epoch milliseconds");
    expect(JSON.stringify(outcome)).not.toContain("hunter2");
  });

  test("a record whose data is not a string fails with empty data", () => {
    const record = { recordId: "odd", data: 42 } as unknown as FirehoseTransformationRecord;
    expect(run(firehoseEvent(record)).response.records).toEqual([
      { recordId: "odd", result: "ProcessingFailed", data: "" },
    ]);
  });

  test("an event that is not a Firehose transformation event throws: no response could name its records", () => {
    expect(() => run({} as FirehoseTransformationEvent)).toThrow(/no records array/);
    expect(() => run(firehoseEvent({ data: gz(CONTROL_MESSAGE) } as FirehoseTransformationRecord))).toThrow(
      /record 0: no string recordId/,
    );
  });
});

describe("one output record per input record", () => {
  test("same recordIds in the same order, whatever each record's result", () => {
    const ids = [
      "49546986683135544286507457936321625675700192471156785154",
      "49546986683135544286507457936321625675700192471156785155",
      "49546986683135544286507457936321625675700192471156785156",
      "49546986683135544286507457936321625675700192471156785157",
      "49546986683135544286507457936321625675700192471156785158",
    ];
    const event = firehoseEvent(
      rec(ids[0], gz(CONTROL_MESSAGE)),
      rec(ids[1], gz(dataMessage([{ id: "1", timestamp: T0, message: "a" }]))),
      rec(ids[2], "garbage"),
      rec(ids[3], gz(dataMessage([{ id: "2", timestamp: T0, message: "b" }], "/app/worker"))),
      rec(ids[4], gz(dataMessage([]))),
    );
    const { response, outcomes } = run(event);
    expect(response.records.map((r) => [r.recordId, r.result])).toEqual([
      [ids[0], "Dropped"],
      [ids[1], "Ok"],
      [ids[2], "ProcessingFailed"],
      [ids[3], "Ok"],
      [ids[4], "Dropped"],
    ]);
    expect(outcomes.map((o) => o.recordId)).toEqual(ids);
    expect(JSON.parse(decoded(response.records[3].data)).logGroup).toBe("/app/worker");
  });

  test("an empty batch gives an empty response", () => {
    expect(run(firehoseEvent()).response).toEqual({ records: [] });
  });
});

describe("the response size limit, without re-ingestion (reingest: false)", () => {
  const run = (event: FirehoseTransformationEvent, options: TransformOptions = {}) =>
    transform(event, codec, { reingest: false, ...options });

  test("defaults to 6,000,000 bytes, under Lambda's 6 MB synchronous response limit", () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(6_000_000);
  });

  test("sizes are UTF-8 bytes of the serialised response, counted by hand", () => {
    // {"records":[ (12) + {"recordId":"a","result":"Ok","data":"QQ=="} (44) + ]} (2)
    expect(responseBytes({ records: [{ recordId: "a", result: "Ok", data: "QQ==" }] })).toBe(58);
    expect(entryBytes({ recordId: "a", result: "Ok", data: "QQ==" })).toBe(44);
    // "é" is 2 bytes in UTF-8, "€" 3, "😀" 4 (a surrogate pair in JavaScript)
    expect(responseBytes({ records: [{ recordId: "é", result: "Ok", data: "QQ==" }] })).toBe(59);
    expect(utf8Length("é€😀")).toBe(9);
    expect(responseBytes({ records: [] })).toBe(14);
  });

  // Three data messages: A and B small, C 400 copies of one line (gzip shrinks it far below its document).
  const line = (n: number) => ({ id: String(n), timestamp: T0 + n, message: "GET /orders/12345 200 12ms" });
  const A = rec("A", gz(dataMessage([line(0)])));
  const B = rec("B", gz(dataMessage([line(1), line(2)])));
  const C = rec("C", gz(dataMessage(Array.from({ length: 400 }, (_, n) => line(n)))));
  const unlimited = run(firehoseEvent(A, B, C), { maxResponseBytes: Number.MAX_SAFE_INTEGER }).response;
  const ok = Object.fromEntries(unlimited.records.map((r) => [r.recordId, entryBytes(r)]));
  const failedWithData = (r: FirehoseTransformationRecord) =>
    entryBytes({ recordId: r.recordId, result: "ProcessingFailed", data: r.data });
  const failedEmpty = (r: FirehoseTransformationRecord) =>
    entryBytes({ recordId: r.recordId, result: "ProcessingFailed", data: "" });
  const full = responseBytes(unlimited);

  test("the fixtures are what the cases below assume", () => {
    expect(unlimited.records.map((r) => r.result)).toEqual(["Ok", "Ok", "Ok"]);
    expect(full).toBe(14 + 2 + ok.A + ok.B + ok.C);
    expect(failedWithData(C)).toBeLessThan(ok.C);
  });

  test("a response of exactly the limit is kept whole", () => {
    const { response } = run(firehoseEvent(A, B, C), { maxResponseBytes: full });
    expect(response).toEqual(unlimited);
    expect(responseBytes(response)).toBe(full);
  });

  test("one byte less: the record that does not fit fails with its original data, the others stay Ok", () => {
    const { response, outcomes } = run(firehoseEvent(A, B, C), { maxResponseBytes: full - 1 });
    expect(response.records.slice(0, 2)).toEqual(unlimited.records.slice(0, 2));
    expect(response.records[2]).toEqual({ recordId: "C", result: "ProcessingFailed", data: C.data });
    expect(outcomes[2]).toEqual({
      recordId: "C",
      result: "ProcessingFailed",
      reason: "response-size-limit",
      detail: "the document does not fit in the response",
      events: 400,
    });
    expect(responseBytes(response)).toBe(14 + 2 + ok.A + ok.B + failedWithData(C));
  });

  test("when not even the original data fits, the failed record carries empty data", () => {
    const limit = 14 + 2 + ok.A + ok.B + failedWithData(C) - 1;
    const { response } = run(firehoseEvent(A, B, C), { maxResponseBytes: limit });
    expect(response.records[2]).toEqual({ recordId: "C", result: "ProcessingFailed", data: "" });
    expect(responseBytes(response)).toBe(14 + 2 + ok.A + ok.B + failedEmpty(C));
    expect(responseBytes(response)).toBeLessThanOrEqual(limit);
  });

  test("room is kept for every later record: an early large record cannot crowd the rest out of the response", () => {
    // C first: C's document alone would fit, but then A and B could not even be answered.
    const limit = 14 + 2 + ok.C + failedEmpty(A) + failedEmpty(B) - 1;
    const { response } = run(firehoseEvent(C, A, B), { maxResponseBytes: limit });
    expect(response.records.map((r) => [r.recordId, r.result])).toEqual([
      ["C", "ProcessingFailed"],
      ["A", "Ok"],
      ["B", "Ok"],
    ]);
    expect(responseBytes(response)).toBeLessThanOrEqual(limit);
  });

  test("records after one that did not fit are still indexed when they fit", () => {
    const limit = 14 + 2 + failedWithData(C) + ok.A + ok.B;
    const { response } = run(firehoseEvent(C, A, B), { maxResponseBytes: limit });
    expect(response.records).toEqual([
      { recordId: "C", result: "ProcessingFailed", data: C.data },
      unlimited.records[0],
      unlimited.records[1],
    ]);
    expect(responseBytes(response)).toBe(limit);
  });

  test("Ok documents take room before Dropped and failed records get their original data back", () => {
    const control = rec("ctl", gz(CONTROL_MESSAGE));
    const garbage = rec("bad", Buffer.from("x".repeat(300)).toString("base64"));
    const dataless = (r: FirehoseTransformationRecord, result: string) =>
      entryBytes({ recordId: r.recordId, result: result as "Dropped", data: "" });
    const limit = 14 + 2 + dataless(control, "Dropped") + dataless(garbage, "ProcessingFailed") + ok.A;
    const { response } = run(firehoseEvent(control, garbage, A), { maxResponseBytes: limit });
    expect(response.records).toEqual([
      { recordId: "ctl", result: "Dropped", data: "" },
      { recordId: "bad", result: "ProcessingFailed", data: "" },
      unlimited.records[0],
    ]);
    expect(responseBytes(response)).toBe(limit);
  });

  test("a limit too small for even data-less entries throws, so that Firehose retries and then fails the batch", () => {
    const limit = 14 + 2 + failedEmpty(A) + failedEmpty(B) + failedEmpty(C) - 1;
    expect(() => run(firehoseEvent(A, B, C), { maxResponseBytes: limit })).toThrow(/over the \d+-byte limit/);
    expect(() => run(firehoseEvent(A), { maxResponseBytes: 0 })).toThrow(/positive whole number/);
  });

  test("with the default limit, a batch whose documents would exceed 6,000,000 bytes is cut to fit, the rest failed", () => {
    // Pseudo-random printable text does not compress much: each record's document is about 2 MB in base64.
    let seed = 12345;
    const noise = (n: number) =>
      Array.from({ length: n }, () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return String.fromCharCode(33 + (seed % 94));
      }).join("");
    const big = (id: string) =>
      rec(
        id,
        gz(
          dataMessage(
            Array.from({ length: 15 }, (_, n) => ({ id: `${id}${n}`, timestamp: T0, message: noise(100_000) })),
          ),
        ),
      );
    const records = [big("p"), big("q"), big("r"), big("s")];
    const uncut = run(firehoseEvent(...records), { maxResponseBytes: Number.MAX_SAFE_INTEGER }).response;
    expect(responseBytes(uncut)).toBeGreaterThan(6_000_000);

    const { response } = run(firehoseEvent(...records));
    expect(responseBytes(response)).toBeLessThanOrEqual(6_000_000);
    expect(response.records.map((r) => r.recordId)).toEqual(["p", "q", "r", "s"]);
    expect(response.records.slice(0, 2).map((r) => r.result)).toEqual(["Ok", "Ok"]);
    expect(response.records.filter((r) => r.result === "ProcessingFailed").length).toBeGreaterThan(0);
  });
});

describe("re-ingestion of what does not fit the response", () => {
  // AWS's CloudWatch Logs processor blueprint re-ingests what exceeds 6,000,000 bytes instead of failing it;
  // here into the search's own overflow stream (handler.ts), never back into the central Kinesis stream.
  const line = (n: number, id = "A") => ({ id: `${id}${n}`, timestamp: T0 + n, message: `GET /orders/${n} 200 12ms` });
  const small = rec("S", gz(dataMessage([line(0, "s")])));
  const big = (id: string, events: number) =>
    rec(
      id,
      gz(
        dataMessage(
          Array.from({ length: events }, (_, n) => line(n, id)),
          `/app/${id}`,
        ),
      ),
    );
  const unlimited = (e: FirehoseTransformationEvent) =>
    run(e, { maxResponseBytes: Number.MAX_SAFE_INTEGER }).response.records;
  const payloadOf = (data: string) => JSON.parse(codec.decode(data));

  test("a record whose document does not fit is Dropped, re-ingested as a CloudWatch Logs payload counting its trip", () => {
    const B = big("B", 300);
    const event = firehoseEvent(small, B);
    const limit = responseBytes({ records: unlimited(event) }) - 1;
    const { response, outcomes, reingest } = run(event, { maxResponseBytes: limit });
    expect(response.records.map((r) => [r.recordId, r.result, r.data])).toEqual([
      ["S", "Ok", unlimited(event)[0]!.data],
      ["B", "Dropped", ""],
    ]);
    expect(outcomes[1]).toEqual({ recordId: "B", result: "Dropped", reason: "reingested", events: 300, parts: 1 });
    expect(reingest).toHaveLength(1);
    const payload = payloadOf(reingest[0]!.data);
    const original = payloadOf(B.data);
    expect(payload).toEqual({ ...original, searchReingestAttempt: 1 });
    expect(responseBytes(response)).toBeLessThanOrEqual(limit);
  });

  test("a batch whose document exceeds the target is split into parts: every event once, in order, each part within the limits", () => {
    const B = big("B", 3_000);
    const { outcomes, reingest } = run(firehoseEvent(B), {
      maxResponseBytes: 10_000,
      reingest: { documentTargetBytes: 20_000, maxRecordBytes: 5_000 },
    });
    expect(outcomes[0]).toMatchObject({ result: "Dropped", reason: "reingested", events: 3_000 });
    expect(reingest.length).toBeGreaterThan(5);
    expect(outcomes[0]!.parts).toBe(reingest.length);
    const parts = reingest.map((r) => payloadOf(r.data));
    expect(parts.flatMap((p) => p.logEvents.map((e: { id: string }) => e.id))).toEqual(
      Array.from({ length: 3_000 }, (_, n) => `B${n}`),
    );
    for (const [i, r] of reingest.entries()) {
      expect(Buffer.from(r.data, "base64").length).toBeLessThanOrEqual(5_000);
      // Each part, on its own, becomes a document within the target.
      const alone = run(firehoseEvent(rec(`p${i}`, r.data)), { maxResponseBytes: Number.MAX_SAFE_INTEGER });
      expect(entryBytes(alone.response.records[0]!)).toBeLessThanOrEqual(20_000);
      expect(parts[i]).toMatchObject({ logGroup: "/app/B", owner: ACCOUNT, searchReingestAttempt: 1 });
    }
  });

  test("records re-ingested before are fitted first, so that a part cannot go round forever", () => {
    const fresh = big("F", 200);
    const returning = rec(
      "R",
      gz({ ...dataMessage(Array.from({ length: 200 }, (_, n) => line(n, "R"))), searchReingestAttempt: 3 }),
    );
    const event = firehoseEvent(fresh, returning);
    const oneDocument = responseBytes({ records: unlimited(firehoseEvent(returning)) }) + 200;
    const { response, reingest } = run(event, { maxResponseBytes: oneDocument });
    expect(response.records.map((r) => r.result)).toEqual(["Dropped", "Ok"]);
    expect(payloadOf(reingest[0]!.data).searchReingestAttempt).toBe(1);
  });

  test("a batch re-ingested maxAttempts times fails instead (reingest-limit), with its original data", () => {
    const tired = rec("T", gz({ ...dataMessage([line(0)]), searchReingestAttempt: 10 }));
    const { response, outcomes, reingest } = run(firehoseEvent(tired), { maxResponseBytes: 120 });
    expect(reingest).toEqual([]);
    expect(outcomes[0]).toMatchObject({ result: "ProcessingFailed", reason: "reingest-limit" });
    expect(response.records[0]).toEqual({ recordId: "T", result: "ProcessingFailed", data: "" });
    expect(run(firehoseEvent(tired), { maxResponseBytes: 1_000 }).response.records[0]!.result).toBe("Ok");
  });

  test("one event too large for a record of its own fails the record (event-too-large); the rest of its batch is still re-ingested", () => {
    // Its document alone (400,000 bytes of base64) leaves less than 256 KiB of a 300,000-byte response for the rest.
    const huge = { id: "huge", timestamp: T0, message: "x".repeat(300_000) };
    const B = rec("B", gz(dataMessage([line(0), huge, line(1)])));
    const { outcomes, reingest } = run(firehoseEvent(B), {
      maxResponseBytes: 300_000,
      reingest: { documentTargetBytes: 1_000, maxRecordBytes: 1_000 },
    });
    expect(outcomes[0]).toMatchObject({ result: "ProcessingFailed", reason: "event-too-large", events: 3 });
    expect(outcomes[0]!.detail).toMatch(/^1 event\(s\) \(first: index 1\) too large/);
    expect(reingest.flatMap((r) => payloadOf(r.data).logEvents.map((e: { id: string }) => e.id))).toEqual(["A0", "A1"]);
  });

  test("the re-ingestion settings are checked", () => {
    expect(() => run(firehoseEvent(small), { reingest: { documentTargetBytes: 0 } })).toThrow(
      "reingest.documentTargetBytes: expected a positive whole number",
    );
  });
});

describe("the Lambda handler", () => {
  const OVERFLOW = "cwl-archive-search-overflow";
  const config = {
    options: {},
    maxDecompressedBytes: DEFAULT_MAX_DECOMPRESSED_BYTES,
    reingestStreamName: OVERFLOW,
    metricsNamespace: "cwl-archive/search-transform",
    functionName: "cwl-archive-search-transform",
  };

  /** Fake ports: Firehose accepts what `accept` says; lines and puts are recorded; no clock, no sleep. */
  function fakePorts(accept: (attempt: number, index: number) => boolean = () => true) {
    const lines: string[] = [];
    const puts: { stream: string; records: number }[] = [];
    const pauses: number[] = [];
    const ports: TransformPorts = {
      async putRecordBatch(stream, records) {
        puts.push({ stream, records: records.length });
        return records.map((_, i) => accept(puts.length, i));
      },
      writeLine: (l) => lines.push(l),
      now: () => T0,
      sleep: async (ms) => {
        pauses.push(ms);
      },
    };
    return { ports, lines, puts, pauses };
  }

  const big = rec(
    "big",
    gz(dataMessage(Array.from({ length: 400 }, (_, n) => ({ id: `b${n}`, timestamp: T0, message: `line ${n}` })))),
  );
  const tight = { ...config, options: { maxResponseBytes: 2_000 } };

  test("returns the transform's response and logs a summary without log content", async () => {
    const { ports, lines } = fakePorts();
    const event = firehoseEvent(
      rec("r1", gz(dataMessage([{ id: "1", timestamp: T0, message: "secret-ish text" }]))),
      rec("r2", gz(CONTROL_MESSAGE)),
      rec("r3", "garbage"),
    );
    const response = await processEvent(event, config, ports);
    expect(response).toEqual(run(event).response);
    expect(JSON.parse(lines[0]!)).toEqual({
      records: 3,
      failed: 1,
      reasons: { indexed: 1, "control-message": 1, undecodable: 1 },
    });
    expect(JSON.parse(lines[1]!)).toMatchObject({ failedRecord: "r3", reason: "undecodable" });
    expect(lines.join("\n")).not.toContain("secret-ish");
  });

  test("puts what does not fit into the overflow stream named by its configuration, and nowhere else", async () => {
    const { ports, puts } = fakePorts();
    const response = await processEvent(firehoseEvent(big), tight, ports);
    expect(response.records).toEqual([{ recordId: "big", result: "Dropped", data: "" }]);
    expect(puts.length).toBeGreaterThan(0);
    expect(new Set(puts.map((p) => p.stream))).toEqual(new Set([OVERFLOW]));
  });

  test("without an overflow stream it re-ingests nothing: what does not fit fails", async () => {
    const { ports, puts } = fakePorts();
    const { reingestStreamName: _none, ...withoutStream } = tight;
    void _none;
    const response = await processEvent(
      firehoseEvent(big),
      { ...withoutStream, options: { ...tight.options, reingest: false } },
      ports,
    );
    expect(puts).toEqual([]);
    expect(response.records[0]!.result).toBe("ProcessingFailed");
  });

  test("retries what Firehose refused, then fails the record (reingest-failed) and counts it", async () => {
    const { ports, lines, puts, pauses } = fakePorts(() => false);
    const response = await processEvent(firehoseEvent(big), tight, ports);
    expect(puts).toHaveLength(5);
    expect(pauses).toEqual([100, 200, 400, 800]);
    expect(response.records[0]!.result).toBe("ProcessingFailed");
    expect(responseBytes(response)).toBeLessThanOrEqual(2_000);
    const summary = JSON.parse(lines[0]!);
    expect(summary.reasons).toEqual({ "reingest-failed": 1 });
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ FailedRecords: 1, ReingestedRecords: 0 });
  });

  test("a refusal that a retry fixes costs nothing", async () => {
    const { ports, puts } = fakePorts((attempt) => attempt > 1);
    const response = await processEvent(firehoseEvent(big), tight, ports);
    expect(puts.length).toBeGreaterThanOrEqual(2);
    expect(response.records[0]).toEqual({ recordId: "big", result: "Dropped", data: "" });
  });

  test("writes one embedded-metric-format line per invocation, zeros included", async () => {
    const { ports, lines } = fakePorts();
    await processEvent(
      firehoseEvent(rec("ok", gz(dataMessage([{ id: "1", timestamp: T0, message: "m" }])))),
      config,
      ports,
    );
    const emf = JSON.parse(lines.at(-1)!);
    expect(emf).toEqual({
      _aws: {
        Timestamp: T0,
        CloudWatchMetrics: [
          {
            Namespace: "cwl-archive/search-transform",
            Dimensions: [["FunctionName"]],
            Metrics: ["IndexedRecords", "ReingestedRecords", "DroppedRecords", "FailedRecords"].map((Name) => ({
              Name,
              Unit: "Count",
            })),
          },
        ],
      },
      FunctionName: "cwl-archive-search-transform",
      DeliveryStreamName: "cwl-archive-search",
      IndexedRecords: 1,
      ReingestedRecords: 0,
      DroppedRecords: 0,
      FailedRecords: 0,
    });
    // A JSON object alone on its line, as the embedded metric format requires.
    expect(lines.at(-1)).toBe(JSON.stringify(emf));
  });

  test("logs at most 20 failed records one by one", () => {
    const outcomes = Array.from({ length: 25 }, (_, i) => ({
      recordId: `r${i}`,
      result: "ProcessingFailed" as const,
      reason: "undecodable" as const,
    }));
    const lines = logLines(outcomes);
    expect(lines).toHaveLength(21);
    expect(JSON.parse(lines[0])).toEqual({ records: 25, failed: 25, reasons: { undecodable: 25 } });
  });

  test("reads its configuration from the environment, with defaults", () => {
    expect(configFromEnvironment({})).toEqual({
      options: { reingest: false },
      maxDecompressedBytes: DEFAULT_MAX_DECOMPRESSED_BYTES,
    });
    expect(DEFAULT_MAX_DECOMPRESSED_BYTES).toBe(33_554_432);
    expect(
      configFromEnvironment({
        MAX_RESPONSE_BYTES: "5000000",
        MAX_DECOMPRESSED_BYTES: "1048576",
        REINGEST_STREAM_NAME: OVERFLOW,
        METRICS_NAMESPACE: "ns",
        AWS_LAMBDA_FUNCTION_NAME: "fn",
      }),
    ).toEqual({
      options: { maxResponseBytes: 5_000_000 },
      maxDecompressedBytes: 1_048_576,
      reingestStreamName: OVERFLOW,
      metricsNamespace: "ns",
      functionName: "fn",
    });
    expect(() => configFromEnvironment({ MAX_RESPONSE_BYTES: "6MB" })).toThrow(/MAX_RESPONSE_BYTES/);
    expect(() => configFromEnvironment({ MAX_DECOMPRESSED_BYTES: "-1" })).toThrow(/MAX_DECOMPRESSED_BYTES/);
  });

  test("a payload that decompresses beyond the limit fails as undecodable, with its original data", () => {
    const data = gz(dataMessage([{ id: "1", timestamp: T0, message: "x".repeat(2_000) }]));
    const { response, outcomes } = transform(firehoseEvent(rec("r1", data)), nodeCodec(1_024));
    expect(response.records).toEqual([{ recordId: "r1", result: "ProcessingFailed", data }]);
    expect(outcomes[0].reason).toBe("undecodable");
  });

  test("the codec round-trips UTF-8 text through base64 and gzip", () => {
    expect(codec.encode("é€😀")).toBe("w6nigqzwn5iA");
    expect(decoded("w6nigqzwn5iA")).toBe("é€😀");
    expect(codec.decode(gz("héllo"))).toBe("héllo");
    expect(codec.decode(codec.compress("héllo"))).toBe("héllo");
  });
});

describe("PutRecordBatch groups", () => {
  test("hold at most 500 records and 4,000,000 bytes", () => {
    const records = Array.from({ length: 1_201 }, (_, i) => ({
      recordId: `r${i}`,
      data: Buffer.alloc(10).toString("base64"),
    }));
    expect(putBatches(records).map((b) => b.length)).toEqual([500, 500, 201]);
    const heavy = Array.from({ length: 9 }, (_, i) => ({
      recordId: `h${i}`,
      data: Buffer.alloc(999_000).toString("base64"),
    }));
    expect(putBatches(heavy).map((b) => b.length)).toEqual([4, 4, 1]);
  });
});
