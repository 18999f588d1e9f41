/**
 * Log agents on the archive side: the statements of the archive bucket's policy
 * and of the archive key's policy that admit it, under its own root
 * (agents/) only. Registered in modules/sources/registered-sources.ts.
 */
import { PRINCIPAL_ACCOUNT_VARIABLE } from "../../naming/key-layout";
import { organizationRolesUseKeyThroughS3 } from "../../policy/archive-policies";
import { organizationRolesNamed, rolesNamed } from "../../policy/direct-source-policies";
import type { Statement } from "../../policy/document";
import { z } from "zod";
import type { DirectSource } from "../direct-source";
import { agentLogsTable } from "./agent-logs-table";
import { AGENTS_ROOT } from "./agents-layout";

/** An IAM role name, or a pattern of them with `*`. */
const ROLE_NAME_PATTERN = /^[\w+=,.@*-]{1,64}$/;

export const agentsSource = {
  registryKey: "agents" as const,
  registrySection: () =>
    z
      .strictObject({
        enabled: z.boolean({ error: "expected true or false" }).default(false).meta({
          description:
            "Let log agents that write to S3 themselves (Fluent Bit's or Fluentd's S3 output) put objects under agents/<their account id>/ of the archive, through roles named by roleNamePattern in organization accounts. @default false",
        }),
        roleNamePattern: z
          .string({ error: "expected an IAM role name or pattern" })
          .regex(ROLE_NAME_PATTERN, {
            error:
              "expected an IAM role name, * matching any characters: 1-64 characters of letters, digits and +=,.@_-*",
          })
          .optional()
          .meta({
            description:
              "Name (or pattern, with *) of the agents' IAM roles in every account. @default <prefix>-log-agent-*",
          }),
      })
      .prefault({})
      .meta({ description: "Log agents (syslog hosts) that write straight to the archive." }),
  kind: "agents" as const,
  root: AGENTS_ROOT,
  athenaTables: (input, direct) => (direct.agents ? [agentLogsTable(input)] : []),
  bucketStatements(ctx) {
    const bucket = ctx.bucketArn;
    const statements: Statement[] = [];
    if (ctx.agentRolePattern) {
      // Agents write with the bucket's default encryption (the archive key) and
      // may need multipart uploads for large files; each only under its own
      // account's folder, like the delivery roles and the Config recorders.
      statements.push({
        Sid: "AllowLogAgentsToWriteOwnPrefix",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
        Resource: `${bucket}/${AGENTS_ROOT}${PRINCIPAL_ACCOUNT_VARIABLE}/*`,
        Condition: organizationRolesNamed(ctx, ctx.agentRolePattern),
      });
    }
    return statements;
  },
  keyStatements(ctx) {
    const statements: Statement[] = [];
    if (ctx.agentRolePattern) {
      statements.push(
        organizationRolesUseKeyThroughS3(
          "AllowLogAgentsToEncryptThroughS3",
          ctx.organizationId,
          rolesNamed(ctx, ctx.agentRolePattern),
          ctx.archiveRegion,
          ctx.bucketArn,
        ),
      );
    }
    return statements;
  },
} satisfies DirectSource;
