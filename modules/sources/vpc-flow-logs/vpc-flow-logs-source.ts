/**
 * VPC Flow Logs: its registry section, the flow logs of each listed VPC in
 * the source account's stack, and on the archive side the statements of the archive bucket's policy
 * and of the archive key's policy that admit it, under its own root
 * (vpc-flow-logs/) only. Registered in modules/sources/registered-sources.ts.
 */
import { s3EncryptionContext } from "../../policy/archive-policies";
import { BUCKET_OWNER_FULL_CONTROL } from "../../policy/direct-source-policies";
import type { Statement } from "../../policy/document";
import { viaService } from "../../policy/statements";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { z } from "zod";
import type { DirectSource } from "../direct-source";
import { servicePrincipal } from "../../naming/partition";
import { flowLogsTable } from "./flow-logs-table";
import { FLOW_LOGS_ROOT, flowLogObjectArns } from "./flow-logs-layout";

export const vpcFlowLogsSource = {
  registryKey: "vpcFlowLogs" as const,
  registrySection: () =>
    z
      .strictObject({
        enabled: z.boolean({ error: "expected true or false" }).default(false).meta({
          description:
            "Let VPC Flow Logs of organization accounts deliver under vpc-flow-logs/ of the archive; accounts[].vpcFlowLogs creates them. @default false",
        }),
      })
      .prefault({})
      .meta({ description: "VPC Flow Logs delivered straight to the archive." }),
  kind: "vpc-flow-logs" as const,
  root: FLOW_LOGS_ROOT,
  athenaTables: (input, direct) => (direct.vpcFlowLogs ? [flowLogsTable(input)] : []),
  sourceParts(scope, ctx) {
    for (const vpcId of ctx.vpcFlowLogs) {
      new FlowLog(scope, `FlowLog-${vpcId}`, {
        vpcId,
        trafficType: "ALL",
        logDestinationType: "s3",
        logDestination: `${ctx.archiveBucketArn}/${FLOW_LOGS_ROOT}`,
        maxAggregationInterval: 600,
        destinationOptions: { fileFormat: "plain-text", perHourPartition: true, hiveCompatiblePartitions: false },
      });
    }
  },
  bucketStatements(ctx) {
    const bucket = ctx.bucketArn;
    const statements: Statement[] = [];
    if (ctx.vpcFlowLogs) {
      const fromOrganization = { "aws:SourceOrgID": ctx.organizationId };
      statements.push(
        {
          Sid: "AllowFlowLogDeliveryAclCheck",
          Effect: "Allow",
          Principal: { Service: servicePrincipal("delivery.logs") },
          Action: ["s3:GetBucketAcl", "s3:ListBucket"],
          Resource: bucket,
          Condition: { StringEquals: fromOrganization },
        },
        {
          // Flow logs land under AWSLogs/<account-id>/: the policy variable of
          // the sending account (a single-valued key, usable as a variable)
          // confines each account to its own folder.
          // @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html
          // @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_single-vs-multi-valued-condition-keys.html
          Sid: "AllowFlowLogDeliveryWrite",
          Effect: "Allow",
          Principal: { Service: servicePrincipal("delivery.logs") },
          Action: "s3:PutObject",
          Resource: flowLogObjectArns(bucket),
          Condition: { StringEquals: { ...BUCKET_OWNER_FULL_CONTROL, ...fromOrganization } },
        },
      );
    }
    return statements;
  },
  keyStatements(ctx) {
    const statements: Statement[] = [];
    if (ctx.vpcFlowLogs) {
      // Like every other writer: the key only as S3 uses it for the archive
      // bucket, in the archive's Region.
      statements.push({
        Sid: "AllowFlowLogDeliveryToEncrypt",
        Effect: "Allow",
        Principal: { Service: servicePrincipal("delivery.logs") },
        Action: "kms:GenerateDataKey*",
        Resource: "*",
        Condition: {
          StringEquals: {
            "aws:SourceOrgID": ctx.organizationId,
            "kms:ViaService": viaService("s3", ctx.archiveRegion),
            ...s3EncryptionContext(ctx.bucketArn),
          },
        },
      });
    }
    return statements;
  },
} satisfies DirectSource;
