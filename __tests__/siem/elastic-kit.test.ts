/**
 * The Elastic kit (docs/siem/elastic/) against Filebeat's aws-s3 input as its
 * source behaves (x-pack/filebeat/input/awss3): the first file selector whose
 * regex matches a key decides how the object is read, an object no selector
 * matches is skipped and its notification deleted, JSON is read (and lists
 * expanded) only for the content type application/json, expansion keeps
 * only the array element, and a notification received sqs.max_receive_count
 * times is deleted when that count is above 0.
 * @see https://github.com/elastic/beats/blob/main/x-pack/filebeat/input/awss3/s3_objects.go
 * @see https://github.com/elastic/beats/blob/main/x-pack/filebeat/input/awss3/sqs_s3_event.go
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { DATA_ROOT, ERROR_ROOT, CONTROL_ROOT, SEARCH_ERROR_ROOT } from "../../modules/naming/key-layout";
import { DIRECT_SOURCE_ROOTS } from "../../modules/sources/direct-sources";
import { envelopeObject } from "./support/archive-objects";
import { verifyTarget } from "../../modules/verify/target";
import { registryWith } from "../helpers/registry";

interface Selector {
  readonly regex: string;
  readonly content_type?: string;
  readonly expand_event_list_from_field?: string;
}

const config = parse(readFileSync("docs/siem/elastic/filebeat.yml", "utf8")) as {
  "filebeat.inputs": Record<string, unknown>[];
  "output.elasticsearch": { pipelines: { pipeline: string; "when.regexp": Record<string, string> }[] };
};
const input = config["filebeat.inputs"][0]!;
const selectors = input.file_selectors as Selector[];
const pipeline = JSON.parse(readFileSync("docs/siem/elastic/cloudwatch-logs-pipeline.json", "utf8")) as {
  processors: Record<string, Record<string, string>>[];
};

/** A key under each announced root, as the archive names them. */
const SAMPLE_KEYS: Record<string, string> = {
  [DATA_ROOT]:
    "cloudwatch-logs/account=222222222222/region=eu-west-1/year=2026/month=12/day=04/hour=10/cwl-archive-to-archive-1-2026-12-04-10-00-00-abc.json.gz",
  [DIRECT_SOURCE_ROOTS.cloudtrail]:
    "cloudtrail/AWSLogs/o-a1b2c3d4e5/222222222222/CloudTrail/eu-west-1/2026/12/04/222222222222_CloudTrail_eu-west-1_20261204T1000Z_x.json.gz",
  [DIRECT_SOURCE_ROOTS.config]:
    "config/AWSLogs/222222222222/Config/eu-west-1/2026/12/4/ConfigHistory/222222222222_Config_eu-west-1_ConfigHistory_x.json.gz",
  [DIRECT_SOURCE_ROOTS["vpc-flow-logs"]]:
    "vpc-flow-logs/AWSLogs/222222222222/vpcflowlogs/eu-west-1/2026/12/04/222222222222_vpcflowlogs_eu-west-1_fl-1_20261204T1000Z_x.log.gz",
  [DIRECT_SOURCE_ROOTS.agents]: "agents/222222222222/syslog/2026/12/04/x.gz",
};

/** Filebeat's findReaderConfig: the first selector whose regex matches. */
const selectorFor = (key: string) => selectors.find((s) => new RegExp(s.regex).test(key));

describe("Elastic kit", () => {
  test("one aws-s3 input on the SIEM queue, assuming the reader role with the ExternalId", () => {
    expect(config["filebeat.inputs"]).toHaveLength(1);
    expect(input).toMatchObject({ type: "aws-s3", visibility_timeout: "300s" });
    expect(input.queue_url).toMatch(
      /^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com\/\d{12}\/cwl-archive-siem-notifications$/,
    );
    expect(input.role_arn).toMatch(/^arn:aws:iam::\d{12}:role\/cwl-archive-siem-reader$/);
    expect(typeof input.external_id).toBe("string");
    // api_timeout may be at most half the visibility timeout.
    expect(parseInt(String(input.api_timeout), 10) * 2).toBeLessThanOrEqual(
      parseInt(String(input.visibility_timeout), 10),
    );
  });

  test("failures are left to the queue's dead-letter queue: Filebeat never deletes a notification for its receive count", () => {
    expect(input["sqs.max_receive_count"]).toBe(0);
  });

  test.each(Object.entries(SAMPLE_KEYS))("an object under %s is read by that root's own selector", (root, key) => {
    const selector = selectorFor(key);
    expect(selector).toBeDefined();
    expect(
      Object.entries(SAMPLE_KEYS)
        .filter(([, k]) => selectorFor(k) === selector)
        .map(([r]) => r),
    ).toEqual([root]);
  });

  test("the example's external_id is the reader role's default ExternalId (the organization id), as elastic.md explains", () => {
    const registry = registryWith();
    const target = verifyTarget(registry, { sourceAccountId: registry.accounts[0]!.id, sourceRegion: "eu-west-1" });
    expect(target.externalId).toBe(registry.organization.id);
    expect(input.external_id).toBe(registry.organization.id);
    expect(readFileSync("docs/siem/elastic.md", "utf8")).toContain("**your organization id**");
  });

  test("with perPrefix, an input holding only its prefix's selector reads every key of that prefix (one input per queue)", () => {
    for (const root of [DATA_ROOT, ...Object.values(DIRECT_SOURCE_ROOTS)]) {
      const own = selectors.filter((s) => new RegExp(s.regex).test(SAMPLE_KEYS[root]!));
      expect(own).toHaveLength(1);
    }
    expect(readFileSync("docs/siem/elastic.md", "utf8")).toContain("one input per queue");
  });

  test("keys never announced (errors, control messages, search errors) match no selector", () => {
    for (const root of [ERROR_ROOT, CONTROL_ROOT, SEARCH_ERROR_ROOT])
      expect(selectorFor(`${root}x/y.gz`)).toBeUndefined();
  });

  test("every selector that expands a list reads JSON, as Filebeat requires", () => {
    const expanding = selectors.filter((s) => s.expand_event_list_from_field !== undefined);
    expect(expanding.length).toBeGreaterThan(0);
    for (const s of expanding) expect(s.content_type).toBe("application/json");
  });

  test("CloudWatch Logs envelopes are read as JSON and not expanded, so logGroup and logStream are kept", () => {
    const selector = selectorFor(SAMPLE_KEYS[DATA_ROOT]!)!;
    expect(selector.content_type).toBe("application/json");
    expect(selector.expand_event_list_from_field).toBeUndefined();
  });

  describe("GIVEN an envelope object of the corpus through the CloudWatch Logs pipeline", () => {
    const object = envelopeObject(7);
    // Filebeat's readJSON: a stream of JSON values, one event (message) each.
    const messages = object.body.split("\n").filter((l) => l.length > 0);
    const [json, drop, script, ...renames] = pipeline.processors;

    test("THEN the pipeline is routed for cloudwatch-logs/ keys only", () => {
      const routes = config["output.elasticsearch"].pipelines;
      expect(routes).toEqual([
        { pipeline: "cwl-archive-cloudwatch-logs", "when.regexp": { "aws.s3.object.key": "^cloudwatch-logs/" } },
      ]);
      expect(
        new RegExp(routes[0]!["when.regexp"]["aws.s3.object.key"]!).test(SAMPLE_KEYS[DIRECT_SOURCE_ROOTS.cloudtrail]!),
      ).toBe(false);
    });

    test("THEN each document keeps its batch's logGroup, logStream and owner, dated by its first log event, control messages dropped", () => {
      expect(json).toEqual({ json: { field: "message", target_field: "cloudwatch" } });
      expect(drop).toEqual({ drop: { if: "ctx.cloudwatch?.messageType == 'CONTROL_MESSAGE'" } });
      expect(script!.script!.source).toContain("ctx['@timestamp'] = events[0].timestamp");
      const targets = Object.fromEntries(renames.map((r) => [r.rename!.field, r.rename!.target_field]));
      expect(targets).toEqual({
        "cloudwatch.logGroup": "aws.cloudwatch.log_group",
        "cloudwatch.logStream": "aws.cloudwatch.log_stream",
        "cloudwatch.owner": "cloud.account.id",
      });
      // The same steps on the corpus: every field the pipeline reads is where it looks.
      const documents = messages
        .map((message) => ({ cloudwatch: JSON.parse(message) }))
        .filter((doc) => doc.cloudwatch.messageType !== "CONTROL_MESSAGE");
      expect(documents.length).toBeLessThan(messages.length);
      for (const doc of documents) {
        expect(doc.cloudwatch.logGroup).toEqual(expect.any(String));
        expect(doc.cloudwatch.logStream).toEqual(expect.any(String));
        expect(doc.cloudwatch.owner).toMatch(/^\d{12}$/);
        // epoch_millis, which a date field accepts by default.
        expect(String(doc.cloudwatch.logEvents[0].timestamp)).toMatch(/^\d{13}$/);
      }
    });
  });
});
