/**
 * A direct source no file of the product knows: the tests register it (by
 * passing a list, or by standing in for modules/sources/registered-sources.ts)
 * to prove that a folder and one registration line are all a new source
 * needs. Its settings reach it as they are, in the untyped sections.
 */
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { z } from "zod";
import { dateParts, enumOf, OPENX_JSON, table, type DirectSourceTables } from "../../modules/archive/glue-table";
import { BUCKET_OWNER_FULL_CONTROL, type DirectSourcesContext } from "../../modules/policy/direct-source-policies";
import type { DirectSource, RegistryPrimitives } from "../../modules/sources/direct-source";

export type FakeSettings = { readonly enabled: boolean; readonly writerAccountId?: string };

const settingsOf = (sections: DirectSourcesContext["sections"] | DirectSourceTables["sections"]) =>
  sections?.fakeLogs as FakeSettings | undefined;
const writerOf = (ctx: DirectSourcesContext) => {
  const settings = settingsOf(ctx.sections);
  return settings?.enabled ? settings.writerAccountId : undefined;
};

export const FAKE_ROOT = "fake-logs/";
export const FAKE_TABLE = "fake_logs";

export const fakeSource = {
  registryKey: "fakeLogs" as const,
  registrySection: (p: RegistryPrimitives) =>
    z
      .strictObject({
        enabled: z.boolean().default(false),
        writerAccountId: p.accountId.optional(),
      })
      .prefault({}),
  kind: "fake-logs" as const,
  root: FAKE_ROOT,
  bucketStatements(ctx) {
    const writer = writerOf(ctx);
    if (!writer) return [];
    return [
      {
        Sid: "AllowFakeLogsWrite",
        Effect: "Allow" as const,
        Principal: { AWS: `arn:aws:iam::${writer}:root` },
        Action: "s3:PutObject",
        Resource: `${ctx.bucketArn}/${FAKE_ROOT}*`,
        Condition: { StringEquals: BUCKET_OWNER_FULL_CONTROL },
      },
    ];
  },
  keyStatements(ctx) {
    const writer = writerOf(ctx);
    if (!writer) return [];
    return [
      {
        Sid: "AllowFakeLogsToEncrypt",
        Effect: "Allow" as const,
        Principal: { AWS: `arn:aws:iam::${writer}:root` },
        Action: "kms:GenerateDataKey*",
        Resource: "*",
      },
    ];
  },
  athenaTables(input, direct) {
    if (!settingsOf(direct.sections)?.enabled) return [];
    return [
      table(input, {
        name: FAKE_TABLE,
        description: "The fake source's JSON lines",
        root: FAKE_ROOT,
        partitions: [enumOf("account", input.accountValues), ...dateParts(false, 2)],
        template: `${FAKE_ROOT}\${account}/\${year}/\${month}/\${day}/`,
        classification: "json",
        serDe: OPENX_JSON,
        columns: [{ name: "message", type: "string" }],
      }),
    ];
  },
  sourceParts(scope, ctx) {
    new SsmParameter(scope, "FakeLogsDestination", {
      name: `/fake-logs/${ctx.names.deliveryStream}`,
      type: "String",
      value: `${ctx.archiveBucketArn}/${FAKE_ROOT}`,
    });
  },
} satisfies DirectSource;
