/**
 * docs/agents/fluent-bit.conf as Fluent Bit's S3 output will run it (issue
 * 19, defect 14): the requests the plugin makes with the sample's settings
 * and its defaults (support/fluent-bit.ts), judged against every corpus
 * archive that enables `sources.agents`, as synthesised and with Object Lock.
 *
 * Encoded, not executed: Fluent Bit is packaged in none of the registries
 * this machine reaches, so no test can start it against a local S3.
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
import { modelFluentBit } from "./support/fluent-bit";
import { objectKeys, type UploadSample } from "./support/s3-request";

const SAMPLE = "docs/agents/fluent-bit.conf";
const PLAIN = "examples/registries/config-central-plain.yaml";

function upload(random = "Ab3dE6gH", index = 0): UploadSample {
  return { tag: "syslog", time: new Date("2026-11-24T10:17:42Z"), random, index };
}

/** Corpus registries that enable sources.agents. */
const AGENT_REGISTRIES = corpusFiles().filter((file) => loadRegistry(file).sources.agents.enabled);

/** A minimal s3 output, the rest left to the plugin's defaults. */
function minimal(archive: ArchiveUnderTest, extra = ""): string {
  return `[OUTPUT]\n    Name s3\n    Match *\n    bucket ${archive.bucket}\n    region ${archive.region}\n${extra}`;
}

describe("the Fluent Bit sample", () => {
  test("makes no request at start-up, and per upload a PutObject or a multipart upload, each with Content-MD5", () => {
    // GIVEN the sample for an agent of the plain example archive
    const archive = archiveUnderTest(PLAIN);
    // WHEN Fluent Bit's output reads it
    const { settings, requests } = modelFluentBit(SAMPLE, placeholders(archive), upload());
    // THEN
    const key = `agents/${archive.agentAccount}/syslog/2026/11/24/10/Ab3dE6gH.gz`;
    expect(settings.usePutObject).toBe(false);
    expect(requests.startUp).toEqual([]);
    expect(
      requests.perUpload.map((p) =>
        p.requests.map((r) => ({ operation: r.operation, key: r.key, headers: r.headers })),
      ),
    ).toEqual([
      [{ operation: "PutObject", key, headers: { "content-encoding": "gzip", "content-md5": "<md5 of the body>" } }],
      [
        { operation: "CreateMultipartUpload", key, headers: { "content-encoding": "gzip" } },
        { operation: "UploadPart", key, headers: { "content-md5": "<md5 of the part>" } },
        { operation: "CompleteMultipartUpload", key, headers: {} },
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
      const { requests } = modelFluentBit(SAMPLE, placeholders(archive), upload());
      const findings = await checkRequests(archive, requests);
      // THEN none fails
      expect(findings.map(describeFinding)).toEqual([]);
    },
  );

  test("fails on an archive with Object Lock without send_content_md5 (the sample before issue 19)", async () => {
    // GIVEN the sample without the setting the fix added
    const archive = withObjectLock(archiveUnderTest(PLAIN), true);
    const text = readFileSync(SAMPLE, "utf8")
      .split("\n")
      .filter((line) => !/^\s*send_content_md5\b/i.test(line))
      .join("\n");
    // WHEN its requests are judged
    const { requests } = modelFluentBit(SAMPLE, placeholders(archive), upload(), text);
    const findings = await checkRequests(archive, requests);
    // THEN S3 refuses the PutObject and every UploadPart
    expect(findings.map((f) => [f.request.operation, f.rule])).toEqual([
      ["PutObject", "object-lock"],
      ["UploadPart", "object-lock"],
    ]);
  });

  test("keeps the keys of two hosts' uploads in the same hour apart ($UUID)", () => {
    const archive = archiveUnderTest(PLAIN);
    const a = modelFluentBit(SAMPLE, placeholders(archive), upload("Ab3dE6gH")).requests;
    const b = modelFluentBit(SAMPLE, placeholders(archive), upload("Zx9yW8vU")).requests;
    expect(objectKeys(a).filter((key) => objectKeys(b).includes(key))).toEqual([]);
  });
});

describe("the Fluent Bit model", () => {
  const archive = archiveUnderTest(PLAIN);

  test("applies the plugin's defaults to every option the configuration leaves out", () => {
    // GIVEN an output that sets only its bucket and Region
    // WHEN modelled
    const { settings, requests } = modelFluentBit("minimal.conf", {}, upload(), minimal(archive));
    // THEN the config_map defaults hold: multipart for 100 MB files, no Content-MD5, the default key
    expect(settings).toMatchObject({
      keyFormat: "/fluent-bit-logs/$TAG/%Y/%m/%d/%H/%M/%S",
      usePutObject: false,
      sendContentMd5: false,
      totalFileSize: 100_000_000,
      uploadChunkSize: 5_242_880,
      tls: true,
    });
    // s3_put_object appends "-object" and 8 random characters when the key has neither $UUID nor $INDEX
    expect(objectKeys(requests)).toEqual([
      "fluent-bit-logs/syslog/2026/11/24/10/17/42-objectAb3dE6gH",
      "fluent-bit-logs/syslog/2026/11/24/10/17/42",
    ]);
    expect(requests.perUpload[0]!.requests[0]!.headers).toEqual({});
  });

  test.each([
    ["9M", true],
    ["10M", true],
    ["10485760", false],
  ])("total_file_size %s uses PutObject only: %s (under 2 x 5 MiB it does)", (size, putObject) => {
    const { settings, requests } = modelFluentBit(
      "t.conf",
      {},
      upload(),
      minimal(archive, `    total_file_size ${size}\n`),
    );
    expect(settings.usePutObject).toBe(putObject);
    expect(requests.perUpload).toHaveLength(putObject ? 1 : 2);
  });

  test("names the SSE headers and the ACL it is told to send, on PutObject and CreateMultipartUpload", () => {
    const { requests } = modelFluentBit(
      "t.conf",
      {},
      upload(),
      minimal(archive, "    sse aws:kms\n    sse_kms_key_id alias/x\n    canned_acl bucket-owner-full-control\n"),
    );
    const expected = {
      "x-amz-acl": "bucket-owner-full-control",
      "x-amz-server-side-encryption": "aws:kms",
      "x-amz-server-side-encryption-aws-kms-key-id": "alias/x",
    };
    expect(requests.perUpload[0]!.requests[0]!.headers).toEqual(expected);
    expect(requests.perUpload[1]!.requests[0]!.headers).toEqual(expected);
    expect(requests.perUpload[1]!.requests[1]!.headers).toEqual({});
  });

  test.each([
    ["an option it does not model", "    blob_database_file /x.db\n", /blob_database_file is not modelled/],
    ["a key format without a leading slash", "    s3_key_format agents/x\n", /must start with a '\/'/],
    ["put_object with more than 50M", "    use_put_object On\n    total_file_size 60M\n", /exceeds 50M/],
    ["an unknown sse", "    sse aws:other\n", /must be AES256, aws:kms or aws:kms:dsse/],
    ["an option set twice", "    region eu-west-2\n", /region is set twice/],
  ])("fails on %s", (_what, extra, error) => {
    expect(() => modelFluentBit("t.conf", {}, upload(), minimal(archive, extra))).toThrow(error);
  });
});
