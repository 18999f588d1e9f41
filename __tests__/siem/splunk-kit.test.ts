/**
 * The Splunk kit (docs/siem/splunk/) against the Splunk Add-on for AWS's
 * SQS-based S3 input and Splunk's parsing settings: the input names every
 * field the add-on requires and a sourcetype the kit defines, and the
 * sourcetype's line breaking, truncation and timestamp rules, applied to
 * archive objects of the record corpus, give one event per envelope line
 * with the first log event's time.
 * @see https://docs.splunk.com/Documentation/AddOns/released/AWS/SQS-basedS3
 * @see https://docs.splunk.com/Documentation/Splunk/latest/Admin/Propsconf
 */
import { readFileSync } from "node:fs";
import { envelopeObject, messageObject } from "./support/archive-objects";
import { parseConf, type Conf } from "./support/conf";
import { archiveNames, siemQueueName } from "../../modules/naming/names";
import { DIRECT_SOURCE_ROOTS } from "../../modules/sources/direct-sources";

const read = (file: string): Conf => parseConf(readFileSync(`docs/siem/splunk/${file}`, "utf8"));
const inputs = read("inputs.conf");
const props = read("props.conf");
const transforms = read("transforms.conf");

/**
 * The input's required settings, from the add-on's input specification
 * (name is the stanza's): aws_account, sqs_queue_region, sqs_queue_url,
 * s3_file_decoder, index, sourcetype.
 */
const REQUIRED = ["aws_account", "sqs_queue_region", "sqs_queue_url", "s3_file_decoder", "index", "sourcetype"];

/** Splunk's line breaking: the first capture group of LINE_BREAKER is the delimiter, dropped between events. */
function breakLines(body: string, lineBreaker: string): string[] {
  const re = new RegExp(lineBreaker, "g");
  const events: string[] = [];
  let start = 0;
  for (const m of body.matchAll(re)) {
    events.push(body.slice(start, m.index));
    start = m.index + m[1]!.length;
  }
  events.push(body.slice(start));
  return events.filter((e) => e.length > 0);
}

/** Splunk's timestamp rule: after TIME_PREFIX, MAX_TIMESTAMP_LOOKAHEAD characters read with TIME_FORMAT (%s%3N). */
function timestampOf(event: string, settings: Map<string, string>): number | undefined {
  const prefix = new RegExp(settings.get("TIME_PREFIX")!).exec(event);
  if (!prefix) return undefined;
  const lookahead = Number(settings.get("MAX_TIMESTAMP_LOOKAHEAD"));
  const text = event.slice(prefix.index + prefix[0].length, prefix.index + prefix[0].length + lookahead);
  expect(settings.get("TIME_FORMAT")).toBe("%s%3N");
  return /^\d{13}$/.test(text) ? Number(text) : undefined;
}

describe("Splunk kit", () => {
  const [stanza, input] = [...inputs.entries()].find(([name]) => name.startsWith("aws_sqs_based_s3://"))!;

  test("the input is an SQS-based S3 input with every field the add-on requires, and the CustomLogs decoder", () => {
    expect(stanza).toMatch(/^aws_sqs_based_s3:\/\/[\w-]+$/);
    expect(REQUIRED.filter((field) => !input.get(field))).toEqual([]);
    expect(input.get("s3_file_decoder")).toBe("CustomLogs");
    expect(input.get("sqs_queue_url")).toMatch(/^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com\/\d{12}\/[\w-]+$/);
    expect(input.get("sqs_queue_url")).toContain(input.get("sqs_queue_region")!);
  });

  test("the input's sourcetype and both kit sourcetypes break lines only, never merge, never truncate", () => {
    expect(props.has(input.get("sourcetype")!)).toBe(true);
    for (const sourcetype of ["cwl:archive:envelope", "cwl:archive:messages"]) {
      const settings = props.get(sourcetype)!;
      expect(settings.get("SHOULD_LINEMERGE")).toBe("false");
      expect(settings.get("LINE_BREAKER")).toBe("([\\r\\n]+)");
      // Splunk's default TRUNCATE is 10000 bytes: most batches are longer.
      expect(settings.get("TRUNCATE")).toBe("0");
    }
  });

  describe("GIVEN envelope objects of the corpus", () => {
    const object = envelopeObject(24);
    const settings = props.get("cwl:archive:envelope")!;
    const events = breakLines(object.body, settings.get("LINE_BREAKER")!);

    test("THEN each event is one whole envelope (a batch), multi-line messages included", () => {
      expect(events).toHaveLength(object.envelopes.length);
      events.forEach((event, i) => expect(JSON.parse(event)).toEqual(object.envelopes[i]));
      const multiLine = object.envelopes.flatMap((e) =>
        "logEvents" in e ? e.logEvents.filter((l) => l.message.includes("\n")) : [],
      );
      expect(multiLine.length).toBeGreaterThan(0);
      // Splunk's default would have cut them: the kit's TRUNCATE 0 matters.
      expect(Math.max(...events.map((e) => Buffer.byteLength(e)))).toBeGreaterThan(10_000);
    });

    test("THEN each data event's time is its first log event's timestamp", () => {
      events.forEach((event, i) => {
        const envelope = object.envelopes[i]!;
        if ("logEvents" in envelope) expect(timestampOf(event, settings)).toBe(envelope.logEvents[0]!.timestamp);
      });
    });

    test("THEN the control messages, and only they, are sent to the null queue", () => {
      const rule = transforms.get(settings.get("TRANSFORMS-drop-control")!)!;
      expect(rule.get("DEST_KEY")).toBe("queue");
      expect(rule.get("FORMAT")).toBe("nullQueue");
      const dropped = events.map((e) => new RegExp(rule.get("REGEX")!).test(e));
      expect(dropped).toEqual(object.envelopes.map((e) => e.messageType === "CONTROL_MESSAGE"));
      expect(dropped.some(Boolean)).toBe(true);
    });
  });

  test("GIVEN message objects THEN a message that spans several lines becomes several events, as docs/siem.md says", () => {
    const { body, messages } = messageObject(envelopeObject(24));
    const events = breakLines(body, props.get("cwl:archive:messages")!.get("LINE_BREAKER")!);
    const lines = messages.reduce((n, m) => n + m.split(/[\r\n]+/).filter((l) => l.length > 0).length, 0);
    expect(events).toHaveLength(lines);
    expect(events.length).toBeGreaterThan(messages.length);
    expect(readFileSync("docs/siem.md", "utf8")).toMatch(/spans several lines[^.]*several events/);
  });

  describe("GIVEN the direct sources' inputs (siem.queues: perPrefix)", () => {
    const names = archiveNames({ prefix: "cwl-archive", archiveAccountId: "111111111111", archiveRegion: "eu-west-1" });
    const inputFor = (root: string) =>
      [...inputs.values()].find((i) => i.get("sqs_queue_url")!.endsWith(`/${siemQueueName(names.queue, root)}`));

    test("THEN CloudTrail and VPC flow logs each have an input on their own queue, with every required field", () => {
      for (const root of [DIRECT_SOURCE_ROOTS.cloudtrail, DIRECT_SOURCE_ROOTS["vpc-flow-logs"]]) {
        const found = inputFor(root);
        expect(found).toBeDefined();
        expect(REQUIRED.filter((field) => !found!.get(field))).toEqual([]);
      }
      // The add-on's CloudTrail decoder splits the Records array into aws:cloudtrail events.
      expect(inputFor(DIRECT_SOURCE_ROOTS.cloudtrail)!.get("s3_file_decoder")).toBe("CloudTrail");
      expect(inputFor(DIRECT_SOURCE_ROOTS.cloudtrail)!.get("sourcetype")).toBe("aws:cloudtrail");
      expect(props.has(inputFor(DIRECT_SOURCE_ROOTS["vpc-flow-logs"])!.get("sourcetype")!)).toBe(true);
    });

    test("THEN a flow log file in the default format loses its header, and each record is dated by its start", () => {
      // The default format as VPC Flow Logs writes it to S3: a header line, then one record per line.
      // https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html
      const body = [
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status",
        "2 222222222222 eni-0a1b2c3d 10.0.1.5 10.0.2.9 443 49152 6 10 840 1764842400 1764842460 ACCEPT OK",
        "2 222222222222 eni-0a1b2c3d 10.0.1.5 10.0.2.9 0 0 1 4 336 1764842461 1764842520 REJECT OK",
        "",
      ].join("\n");
      const settings = props.get("cwl:archive:vpcflow")!;
      const events = breakLines(body, settings.get("LINE_BREAKER")!);
      const drop = transforms.get(settings.get("TRANSFORMS-drop-header")!)!;
      expect(drop.get("FORMAT")).toBe("nullQueue");
      const kept = events.filter((e) => !new RegExp(drop.get("REGEX")!).test(e));
      expect(kept).toHaveLength(2);
      expect(settings.get("TIME_FORMAT")).toBe("%s");
      const times = kept.map((e) => {
        const at = new RegExp(settings.get("TIME_PREFIX")!).exec(e)!;
        return e.slice(at[0].length, at[0].length + Number(settings.get("MAX_TIMESTAMP_LOOKAHEAD")));
      });
      expect(times).toEqual(["1764842400", "1764842461"]);
      const fields = transforms.get(settings.get("REPORT-fields")!)!.get("FIELDS")!.split(",");
      expect(fields).toHaveLength(kept[0]!.split(" ").length);
      expect(fields[10]).toBe("start");
    });
  });
});
