/**
 * The agents' check (support/archive-check.ts) is only a proof if it fails
 * when a sample is wrong. Each case breaks one thing in a sample, as a
 * careless edit would, and expects the check to name it; the last ones show
 * that the edge the archive admits (naming the archive key itself) passes.
 */
import { readFileSync } from "node:fs";
import {
  agentRolePolicy,
  archiveUnderTest,
  checkRequests,
  placeholders,
  type ArchiveUnderTest,
  type Finding,
} from "./support/archive-check";
import { modelFluentBit } from "./support/fluent-bit";
import { modelFluentd } from "./support/fluentd";
import type { AgentRequests, UploadSample } from "./support/s3-request";

const PLAIN = "examples/registries/config-central-plain.yaml";
const FLUENT_BIT = "docs/agents/fluent-bit.conf";
const FLUENTD = "docs/agents/fluentd.conf";
const SAMPLE_UPLOAD: UploadSample = {
  tag: "syslog",
  time: new Date("2026-11-24T10:17:42Z"),
  random: "3f2b8c1e-9a4d-4e7b-8c21-5d6e7f809a1b",
  index: 0,
};

type Agent = "Fluent Bit" | "Fluentd";

/** The sample of `agent`, edited, modelled for the archive's agent. */
function edited(agent: Agent, archive: ArchiveUnderTest, edit: (text: string) => string): AgentRequests {
  const file = agent === "Fluent Bit" ? FLUENT_BIT : FLUENTD;
  const text = edit(readFileSync(file, "utf8"));
  const model = agent === "Fluent Bit" ? modelFluentBit : modelFluentd;
  return model(file, placeholders(archive), SAMPLE_UPLOAD, text).requests;
}

/** Adds lines after the line that sets the bucket. */
function afterBucket(lines: string) {
  return (text: string) => text.replace(/^(\s*(?:bucket|s3_bucket)\s.*)$/m, `$1\n${lines}`);
}

const archive = archiveUnderTest(PLAIN);
const OTHER_ACCOUNT = "300000000003";
const ANOTHER_KEY = `arn:aws:kms:${archive.region}:${OTHER_ACCOUNT}:key/0f0f0f0f-1111-2222-3333-444455556666`;

const cases: [Agent, string, (text: string) => string, string[]][] = [
  [
    "Fluent Bit",
    "a key under another account's folder",
    (t) => t.split("/agents/<account id>/").join(`/agents/${OTHER_ACCOUNT}/`),
    [
      "PutObject own-folder",
      "PutObject authorization no statement allows it",
      "CreateMultipartUpload own-folder",
      "CreateMultipartUpload authorization no statement allows it",
      "UploadPart own-folder",
      "UploadPart authorization no statement allows it",
      "CompleteMultipartUpload own-folder",
      "CompleteMultipartUpload authorization no statement allows it",
    ],
  ],
  [
    "Fluentd",
    "a key under another account's folder",
    (t) => t.replace("path agents/<account id>/", `path agents/${OTHER_ACCOUNT}/`),
    ["PutObject own-folder", "PutObject authorization no statement allows it"],
  ],
  [
    "Fluent Bit",
    "an SSE header naming another key",
    afterBucket(`    sse aws:kms\n    sse_kms_key_id ${ANOTHER_KEY}`),
    [
      "PutObject authorization resource:DenyObjectsEncryptedWithAnotherKey",
      "PutObject kms",
      "CreateMultipartUpload authorization resource:DenyObjectsEncryptedWithAnotherKey",
      "CreateMultipartUpload kms",
      "CreateMultipartUpload kms",
    ],
  ],
  [
    "Fluentd",
    "an SSE header naming another key",
    afterBucket(`  use_server_side_encryption aws:kms\n  ssekms_key_id ${ANOTHER_KEY}`),
    ["PutObject authorization resource:DenyObjectsEncryptedWithAnotherKey", "PutObject kms"],
  ],
  [
    "Fluent Bit",
    "SSE-S3 instead of the archive key",
    afterBucket("    sse AES256"),
    [
      "PutObject authorization resource:DenyObjectsNotEncryptedWithSseKms",
      "CreateMultipartUpload authorization resource:DenyObjectsNotEncryptedWithSseKms",
    ],
  ],
  [
    "Fluent Bit",
    "plain HTTP",
    afterBucket(`    endpoint http://s3.${archive.region}.amazonaws.com`),
    [
      "PutObject authorization resource:DenyInsecureTransport",
      "CreateMultipartUpload authorization resource:DenyInsecureTransport",
      "UploadPart authorization resource:DenyInsecureTransport",
      "CompleteMultipartUpload authorization resource:DenyInsecureTransport",
    ],
  ],
  ["Fluentd", "an ACL, which the archive has disabled", afterBucket("  acl private"), ["PutObject acl"]],
  [
    "Fluentd",
    "another bucket",
    (t) => t.replace("s3_bucket <archive bucket>", "s3_bucket somebody-elses-bucket"),
    ["PutObject bucket", "PutObject authorization no statement allows it"],
  ],
];

/** `<operation> <rule>`, and for a refusal the statements that decided it. */
function summary(f: Finding): string {
  const decisive = f.rule === "authorization" ? ` ${/\(([^()]*)\)$/.exec(f.detail)![1]}` : "";
  return `${f.request.operation} ${f.rule}${decisive}`;
}

describe("the agents' check", () => {
  test.each(cases)("fails %s with %s", async (agent, _what, edit, expected) => {
    // GIVEN the sample, broken
    const requests = edited(agent, archive, edit);
    // WHEN judged against the archive
    const findings = await checkRequests(archive, requests);
    // THEN the check names every request that fails, and why
    expect(findings.map(summary)).toEqual(expected);
  });

  test("fails an agent role without the key statement: S3 cannot use the archive key on its behalf", async () => {
    // GIVEN agent-role-policy.json without UseArchiveKeyThroughS3
    const policy = agentRolePolicy(archive);
    policy.Statement = policy.Statement.filter((s: { Sid: string }) => s.Sid !== "UseArchiveKeyThroughS3");
    const requests = edited("Fluentd", archive, (t) => t);
    // WHEN judged
    const findings = await checkRequests(archive, requests, policy);
    // THEN the write fails on kms:GenerateDataKey
    expect(findings.map((f) => [f.request.operation, f.rule, f.detail.split(" ")[0]])).toEqual([
      ["PutObject", "kms", "kms:GenerateDataKey"],
    ]);
  });
});

describe("the agents' check admits", () => {
  test.each<Agent>(["Fluent Bit", "Fluentd"])("%s naming the archive key itself", async (agent) => {
    const lines =
      agent === "Fluent Bit"
        ? `    sse aws:kms\n    sse_kms_key_id ${archive.archiveKeyArn}`
        : `  use_server_side_encryption aws:kms\n  ssekms_key_id ${archive.archiveKeyArn}`;
    const findings = await checkRequests(archive, edited(agent, archive, afterBucket(lines)));
    expect(findings).toEqual([]);
  });

  test("Fluentd with the ACL the archive accepts (bucket-owner-full-control)", async () => {
    const findings = await checkRequests(
      archive,
      edited("Fluentd", archive, afterBucket("  acl bucket-owner-full-control")),
    );
    expect(findings).toEqual([]);
  });
});
