/**
 * One folder plus one registration line: a direct source registered only
 * here, standing in for modules/sources/registered-sources.ts (no file of the
 * product knows it), gets its root in the key layout, its registry section,
 * its name in sources.notifySiem and so a SIEM announcement, its bucket and
 * key statements, its Athena table (and the analyst's read of its folder) and
 * its resource in every source stack, from a registry, through the app.
 */
import { DIRECT_SOURCE_ROOTS } from "../../modules/sources/direct-sources";
import { DIRECT_SOURCES } from "../../modules/registry/schema";
import { ARCHIVE, errorsFor, registryWith, SOURCE } from "../helpers/registry";
import { policyOf, resource, resourcesOf, statement, synthRegistry } from "../helpers/synth";
import { FAKE_ROOT, FAKE_TABLE } from "./fake-source";

jest.mock("../../modules/sources/registered-sources", () => {
  const actual = jest.requireActual("../../modules/sources/registered-sources");
  const { fakeSource } = jest.requireActual("./fake-source");
  return { DIRECT_SOURCE_KINDS: [...actual.DIRECT_SOURCE_KINDS, fakeSource] };
});

const WRITER = "555555555555";
const BUCKET = `cwl-archive-${ARCHIVE}-eu-west-1`;

describe("GIVEN a direct source registered in one line (the test's)", () => {
  test("THEN the key layout has its root, after the built-in sources' (which keep theirs)", () => {
    expect(DIRECT_SOURCE_ROOTS).toEqual({
      cloudtrail: "cloudtrail/",
      config: "config/",
      agents: "agents/",
      "vpc-flow-logs": "vpc-flow-logs/",
      "fake-logs": FAKE_ROOT,
    });
    expect(DIRECT_SOURCES).toEqual(["cloudtrail", "config", "agents", "vpc-flow-logs", "fake-logs"]);
  });

  describe("WHEN a registry enables it and announces it to the SIEM", () => {
    const { stacks } = synthRegistry(
      registryWith((r) => {
        r.sources = { fakeLogs: { enabled: true, writerAccountId: WRITER }, notifySiem: ["fake-logs"] };
      }),
    );
    const archive = stacks["log-archive"]!;

    test("THEN the SIEM queue announces its objects", () => {
      const notification = resourcesOf(archive, "aws_s3_bucket_notification")[0]![1];
      expect(notification.queue.map((q: { filter_prefix: string }) => q.filter_prefix)).toEqual([
        "cloudwatch-logs/",
        FAKE_ROOT,
      ]);
    });

    test("THEN the archive bucket and key admit its writer", () => {
      const bucketPolicy = policyOf(resource(archive, "aws_s3_bucket_policy", "/ArchiveBucket/Policy").policy);
      expect(statement(bucketPolicy, "AllowFakeLogsWrite")).toMatchObject({
        Principal: { AWS: `arn:aws:iam::${WRITER}:root` },
        Resource: `arn:aws:s3:::${BUCKET}/${FAKE_ROOT}*`,
      });
      const keys = resourcesOf(archive, "aws_kms_key").map(([, key]) => policyOf(key.policy));
      expect(keys.some((key) => key.Statement.some((s) => s.Sid === "AllowFakeLogsToEncrypt"))).toBe(true);
    });

    test("THEN Athena has its table over its folder, which the analyst may read", () => {
      const tables = resourcesOf(archive, "aws_glue_catalog_table").map(([, t]) => t);
      const table = tables.find((t) => t.name === FAKE_TABLE);
      expect(table?.storage_descriptor.location).toBe(`s3://${BUCKET}/${FAKE_ROOT}`);
      expect(tables.map((t) => t.name)).toContain(`${FAKE_TABLE}_any_account`);
      const analyst = resourcesOf(archive, "aws_iam_role_policy").find(([, p]) =>
        JSON.stringify(p.policy).includes(`${BUCKET}/${FAKE_ROOT}`),
      );
      expect(analyst).toBeDefined();
    });

    test("THEN every source stack has its part", () => {
      for (const region of ["eu-west-1", "us-east-1"]) {
        const source = stacks[`log-source-${SOURCE}-${region}`]!;
        expect(resourcesOf(source, "aws_ssm_parameter").map(([, p]) => p.value)).toEqual([
          `arn:aws:s3:::${BUCKET}/${FAKE_ROOT}`,
        ]);
      }
    });
  });

  test("WHEN notifySiem names it but the registry does not enable it THEN the registry is refused: the archive does not admit it", () => {
    expect(errorsFor((r) => (r.sources = { notifySiem: ["fake-logs"] }))).toContain(
      'test.yaml: sources.notifySiem[0]: names a direct source the archive does not admit: enable that source first, got "fake-logs"',
    );
  });

  test("WHEN it is not enabled THEN the archive has none of it", () => {
    const { stacks } = synthRegistry(registryWith());
    const archive = stacks["log-archive"]!;
    expect(resourcesOf(archive, "aws_glue_catalog_table").map(([, t]) => t.name)).not.toContain(FAKE_TABLE);
    expect(JSON.stringify(archive)).not.toContain(FAKE_ROOT);
  });
});
