/**
 * docs/agents/fluentd.conf as fluent-plugin-s3 will run it (issue 19, defect
 * 13): the requests the plugin makes with the sample's settings and its
 * defaults (support/fluentd.ts), judged against every corpus archive that
 * enables `sources.agents`, as synthesised and with Object Lock.
 *
 * Encoded, not executed: Fluentd and fluent-plugin-s3 come from RubyGems,
 * which this machine does not reach, so no test can start them against a
 * local S3.
 */
import { readFileSync } from "node:fs";
import { corpusFiles } from "../helpers/corpus";
import { loadRegistry } from "../../modules/registry/load";
import {
  archiveUnderTest,
  checkRequests,
  describeFinding,
  placeholders,
  withObjectLock,
  type ArchiveUnderTest,
} from "./support/archive-check";
import { modelFluentd } from "./support/fluentd";
import { objectKeys, type UploadSample } from "./support/s3-request";

const SAMPLE = "docs/agents/fluentd.conf";
const PLAIN = "examples/registries/config-central-plain.yaml";
const UUID_A = "3f2b8c1e-9a4d-4e7b-8c21-5d6e7f809a1b";
const UUID_B = "c0ffee00-1234-4abc-9def-0123456789ab";

function chunk(random = UUID_A): UploadSample {
  return { tag: "syslog.messages", time: new Date("2026-11-24T10:17:42Z"), random, index: 0 };
}

/** Corpus registries that enable sources.agents. */
const AGENT_REGISTRIES = corpusFiles().filter((file) => loadRegistry(file).sources.agents.enabled);

/** A minimal s3 output, the rest left to the plugin's defaults. */
function minimal(archive: ArchiveUnderTest, extra = "", buffer = "<buffer time>\n  timekey 600\n</buffer>"): string {
  return `<match syslog.**>\n  @type s3\n  s3_bucket ${archive.bucket}\n  s3_region ${archive.region}\n${extra}${buffer}\n</match>\n`;
}

/** The sample with its `check_*` lines removed: the sample before issue 19. */
function sampleWithChecksOn(): string {
  return readFileSync(SAMPLE, "utf8")
    .split("\n")
    .filter((line) => !/^\s*check_(apikey_on_start|bucket|object)\b/.test(line))
    .join("\n");
}

describe("the Fluentd sample", () => {
  test("makes no request at start-up, and one PutObject with a checksum per chunk", () => {
    // GIVEN the sample for an agent of the plain example archive
    const archive = archiveUnderTest(PLAIN);
    // WHEN fluent-plugin-s3 reads it
    const { settings, requests } = modelFluentd(SAMPLE, placeholders(archive), chunk());
    // THEN no check runs, and each chunk is one PutObject under the agent's own folder
    expect(settings).toMatchObject({ checkApikeyOnStart: false, checkBucket: false, checkObject: false });
    expect(requests.startUp).toEqual([]);
    expect(requests.perUpload.map((p) => p.requests.map((r) => [r.operation, r.key, r.headers]))).toEqual([
      [
        [
          "PutObject",
          `agents/${archive.agentAccount}/syslog/2026/11/24/10/${UUID_A}.gz`,
          {
            "content-type": "application/x-gzip",
            "x-amz-storage-class": "STANDARD",
            "x-amz-sdk-checksum-algorithm": "CRC32",
          },
        ],
      ],
    ]);
  });

  test.each(AGENT_REGISTRIES.flatMap((file) => [[file, false] as const, [file, true] as const]))(
    "every request is allowed and valid on the archive of %s (Object Lock forced: %s)",
    async (file, lock) => {
      // GIVEN the archive as synthesised, or with an Object Lock default retention
      const synthesised = archiveUnderTest(file);
      const archive = lock ? withObjectLock(synthesised, true) : synthesised;
      // WHEN the sample's requests are judged
      const { requests } = modelFluentd(SAMPLE, placeholders(archive), chunk());
      const findings = await checkRequests(archive, requests);
      // THEN none fails
      expect(findings.map(describeFinding)).toEqual([]);
    },
  );

  test("fails to start, and to write, with the plugin's checks on (the sample before issue 19)", async () => {
    // GIVEN the sample without the check_* settings the fix added
    const archive = archiveUnderTest(PLAIN);
    // WHEN its requests are judged
    const { requests } = modelFluentd(SAMPLE, placeholders(archive), chunk(), sampleWithChecksOn());
    const findings = await checkRequests(archive, requests);
    // THEN the role may not list the bucket (check_apikey_on_start, check_bucket) nor head an object (check_object)
    expect(findings.map((f) => [f.request.operation, f.rule])).toEqual([
      ["ListObjectsV2", "authorization"],
      ["HeadBucket", "authorization"],
      ["HeadObject", "authorization"],
    ]);
    expect(findings.map((f) => f.detail.split(" ")[0])).toEqual(["s3:ListBucket", "s3:ListBucket", "s3:GetObject"]);
  });

  test("keeps the keys of two chunks of the same time slice apart (%{uuid_flush}), with no check_object", () => {
    const archive = archiveUnderTest(PLAIN);
    const a = modelFluentd(SAMPLE, placeholders(archive), chunk(UUID_A)).requests;
    const b = modelFluentd(SAMPLE, placeholders(archive), chunk(UUID_B)).requests;
    expect(objectKeys(a)).not.toEqual(objectKeys(b));
  });
});

describe("the Fluentd model", () => {
  const archive = archiveUnderTest(PLAIN);

  test("applies the plugin's defaults to every parameter the configuration leaves out", () => {
    // GIVEN an output that sets only its bucket, Region and buffer
    // WHEN modelled
    const { settings, requests } = modelFluentd("minimal.conf", {}, chunk(), minimal(archive));
    // THEN every check is on: ListObjects and HeadBucket at start, HeadObject before each PutObject
    expect(settings).toMatchObject({
      keyFormat: "%{path}%{time_slice}_%{index}.%{file_extension}",
      checkApikeyOnStart: true,
      checkBucket: true,
      checkObject: true,
      storageClass: "STANDARD",
      computeChecksums: true,
    });
    expect(requests.startUp.map((r) => r.operation)).toEqual(["ListObjectsV2", "HeadBucket"]);
    expect(requests.perUpload[0]!.requests.map((r) => [r.operation, r.key])).toEqual([
      ["HeadObject", "202611241010_0.gz"],
      ["PutObject", "202611241010_0.gz"],
    ]);
  });

  test("substitutes %{path}/%{time_slice}_%{hms_slice} when check_object is off and no key format is given", () => {
    const { settings, requests } = modelFluentd(
      "t.conf",
      {},
      chunk(),
      minimal(archive, "  check_object false\n  path agents/x\n"),
    );
    expect(settings.keyFormat).toBe("%{path}/%{time_slice}_%{hms_slice}.%{file_extension}");
    expect(objectKeys(requests)).toEqual(["agents/x/202611241010_101742.gz"]);
  });

  test("fails to keep keys apart when check_object is off and the key relies on %{index}, which renders empty", () => {
    // GIVEN the plugin's default key format, with check_object off
    const text = minimal(
      archive,
      "  check_object false\n  s3_object_key_format %{path}%{time_slice}_%{index}.%{file_extension}\n",
    );
    // WHEN two chunks of the same time slice are written
    const a = modelFluentd("t.conf", {}, chunk(UUID_A), text).requests;
    const b = modelFluentd("t.conf", {}, chunk(UUID_B), text).requests;
    // THEN both get the same key: the second overwrites the first
    expect(objectKeys(a)).toEqual(["202611241010_.gz"]);
    expect(objectKeys(b)).toEqual(objectKeys(a));
  });

  test("fails on an archive with Object Lock with compute_checksums false: the SDK sends no checksum", async () => {
    // GIVEN the sample with the checksum turned off, as the plugin advises for FIPS hosts
    const locked = withObjectLock(archive, true);
    const text = readFileSync(SAMPLE, "utf8").replace(
      "  store_as gzip\n",
      "  store_as gzip\n  compute_checksums false\n",
    );
    const { requests } = modelFluentd(SAMPLE, placeholders(locked), chunk(), text);
    // WHEN judged against an archive with Object Lock
    const findings = await checkRequests(locked, requests);
    // THEN S3 refuses the PutObject
    expect(findings.map((f) => [f.request.operation, f.rule])).toEqual([["PutObject", "object-lock"]]);
  });

  test("sends the checksum named by checksum_algorithm even with compute_checksums false", async () => {
    const locked = withObjectLock(archive, true);
    const text = readFileSync(SAMPLE, "utf8").replace(
      "  store_as gzip\n",
      "  store_as gzip\n  compute_checksums false\n  checksum_algorithm SHA256\n",
    );
    const { requests } = modelFluentd(SAMPLE, placeholders(locked), chunk(), text);
    expect(requests.perUpload[0]!.requests[0]!.headers["x-amz-sdk-checksum-algorithm"]).toBe("SHA256");
    expect(await checkRequests(locked, requests)).toEqual([]);
  });

  test("reads and writes the bucket's lifecycle at start when the output names lifecycle rules", () => {
    const rule = "  <bucket_lifecycle_rule>\n    id logs\n    expiration_days 30\n  </bucket_lifecycle_rule>\n";
    const { requests } = modelFluentd(
      "t.conf",
      {},
      chunk(),
      minimal(archive, "  check_apikey_on_start false\n  check_bucket false\n" + rule),
    );
    expect(requests.startUp.map((r) => r.operation)).toEqual([
      "GetBucketLifecycleConfiguration",
      "PutBucketLifecycleConfiguration",
    ]);
  });

  test.each([
    ["a parameter it does not model", "  s3_metadata {}\n", /s3_metadata is not modelled/],
    ["a removed placeholder", "  s3_object_key_format %{path}%{uuid}\n", /%\{uuid\} was removed/],
    ["a store_as it does not model", "  store_as lzo\n", /"lzo" is not modelled/],
    ["a parameter set twice", "  s3_region eu-west-2\n", /s3_region is set twice/],
  ])("fails on %s", (_what, extra, error) => {
    expect(() => modelFluentd("t.conf", {}, chunk(), minimal(archive, extra))).toThrow(error);
  });

  test("fails on time placeholders without a time chunk key", () => {
    const extra = "  s3_object_key_format %{path}%Y/%{index}.%{file_extension}\n";
    expect(() => modelFluentd("t.conf", {}, chunk(), minimal(archive, extra, "<buffer tag>\n</buffer>"))).toThrow(
      /no time chunk key are not modelled/,
    );
  });
});
