/**
 * The direct-source seam: a source registered only here, in the test (no
 * other file knows it), gets its registry section parsed, its prefix admitted
 * in the archive bucket's policy and its statement in the archive key's
 * policy, through the same loops LogArchive and the key policies run.
 */
import { z } from "zod";
import type { DirectSourcesContext } from "../../modules/policy/direct-source-policies";
import { registrySchema } from "../../modules/registry/schema";
import type { RegistryPrimitives } from "../../modules/sources/direct-source";
import {
  DIRECT_SOURCE_KINDS,
  directSourceBucketStatements,
  directSourceEventLogs,
  directSourceKeyStatements,
  registrySectionsOf,
  TYPED_SOURCE_SETTINGS,
  untypedSections,
} from "../../modules/sources/direct-sources";
import { sourceNames } from "../../modules/naming/names";
import { guardDutySource } from "../../modules/sources/guardduty/guardduty-source";
import { fakeSource } from "./fake-source";

const BUCKET = "arn:aws:s3:::cwl-archive-111111111111-eu-west-1";
const CTX: DirectSourcesContext = {
  organizationId: "o-a1b2c3d4e5",
  archiveRegion: "eu-west-1",
  bucketArn: BUCKET,
  trail: { arn: "arn:aws:cloudtrail:eu-west-1:444444444444:trail/org", managementAccountId: "444444444444" },
  configRecorderRole: "aws-controltower-ConfigRecorderRole",
  vpcFlowLogs: true,
  agentRolePattern: "cwl-archive-log-agent-*",
};

const WITH_FAKE = [...DIRECT_SOURCE_KINDS, fakeSource] as const;
const PRIMITIVES: RegistryPrimitives = {
  accountId: z.string().regex(/^\d{12}$/, { error: "expected a 12-digit account id" }),
  region: z.string(),
  roleName: /^[\w+=,.@-]{1,64}$/,
};

describe("the direct-source seam", () => {
  test("GIVEN a source registered in the test WHEN the bucket policy's direct-source statements are built THEN its prefix is admitted after every registered source's, which stay as they were", () => {
    // GIVEN: its section, as the registry parses it
    const sections = z.strictObject(registrySectionsOf(PRIMITIVES, WITH_FAKE)).parse({
      fakeLogs: { enabled: true, writerAccountId: "555555555555" },
    });
    const ctx: DirectSourcesContext = { ...CTX, sections: { fakeLogs: sections.fakeLogs } };

    // WHEN
    const statements = directSourceBucketStatements(ctx, WITH_FAKE);

    // THEN
    expect(statements.slice(0, -1)).toEqual(directSourceBucketStatements(CTX));
    expect(statements.at(-1)).toMatchObject({ Sid: "AllowFakeLogsWrite", Resource: `${BUCKET}/fake-logs/*` });
  });

  test("GIVEN a source registered in the test WHEN the key policy's direct-source statements are built THEN its statement follows the registered ones", () => {
    const ctx: DirectSourcesContext = {
      ...CTX,
      sections: { fakeLogs: { enabled: true, writerAccountId: "555555555555" } },
    };
    const statements = directSourceKeyStatements(ctx, WITH_FAKE);
    expect(statements.slice(0, -1)).toEqual(directSourceKeyStatements(CTX));
    expect(statements.at(-1)?.Sid).toBe("AllowFakeLogsToEncrypt");
  });

  test("GIVEN the source not enabled in the context WHEN the statements are built THEN it adds none", () => {
    expect(directSourceBucketStatements(CTX, WITH_FAKE)).toEqual(directSourceBucketStatements(CTX));
    expect(directSourceKeyStatements(CTX, WITH_FAKE)).toEqual(directSourceKeyStatements(CTX));
  });

  test("GIVEN a source registered in the test WHEN a sources section is parsed THEN its section is read with its defaults and its errors carry its path", () => {
    // GIVEN
    const sources = z.strictObject(registrySectionsOf(PRIMITIVES, WITH_FAKE));

    // WHEN
    const parsed = sources.parse({
      cloudTrail: {},
      config: {},
      agents: {},
      vpcFlowLogs: {},
      guardDuty: {},
      fakeLogs: { writerAccountId: "555555555555" },
    });
    const bad = sources.safeParse({
      cloudTrail: {},
      config: {},
      agents: {},
      vpcFlowLogs: {},
      guardDuty: {},
      fakeLogs: { writerAccountId: "5" },
    });

    // THEN
    expect(parsed.fakeLogs).toEqual({ enabled: false, writerAccountId: "555555555555" });
    expect(parsed.cloudTrail).toMatchObject({ enabled: false, createTrail: true });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [["fakeLogs", "writerAccountId"], "expected a 12-digit account id"],
    ]);
  });

  test("GIVEN only the built-in sources WHEN the stack passes untyped sections THEN there are none: each built-in has typed settings", () => {
    expect(untypedSections({ cloudTrail: {}, config: {}, agents: {}, vpcFlowLogs: {}, guardDuty: {} })).toBeUndefined();
    expect(DIRECT_SOURCE_KINDS.every((source) => TYPED_SOURCE_SETTINGS.has(source.registryKey))).toBe(true);
  });

  test("the registry's sources section is made of the registered sources' sections, in their order", () => {
    const shape = (registrySchema.shape.sources.unwrap() as z.ZodObject).shape;
    expect(Object.keys(shape)).toEqual([...DIRECT_SOURCE_KINDS.map((s) => s.registryKey), "notifySiem"]);
  });

  test("GIVEN GuardDuty on in a source account THEN its event log comes from its folder, under the construct id and names LogSource always gave it; off, none", () => {
    // GIVEN
    const names = sourceNames("cwl-archive", "222222222222", "eu-west-1");
    const ctx = { archiveBucketArn: `arn:aws:s3:::${BUCKET}`, vpcFlowLogs: [], guardDuty: true, names };

    // WHEN
    const logs = directSourceEventLogs(ctx);

    // THEN
    expect(logs).toEqual([
      expect.objectContaining({
        id: "GuardDuty",
        sid: "GuardDutyRuleWritesFindings",
        logGroupName: names.guardDutyLogGroup,
        ruleName: names.guardDutyRule,
        retentionDays: 30,
        eventPattern: { source: ["aws.guardduty"], "detail-type": ["GuardDuty Finding"] },
      }),
    ]);
    expect(guardDutySource.eventLogs({ ...ctx, guardDuty: false })).toEqual([]);
  });
});
