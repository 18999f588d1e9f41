/**
 * GuardDuty findings, through CloudWatch Logs: an EventBridge rule of each
 * listed account writes them into a log group of the pipeline, subscribed like
 * any other (LogSource's guardDuty), built beside the heartbeat (eventLogs).
 * Nothing writes straight to the archive, so no root, bucket or key
 * statement. Registered in modules/sources/registered-sources.ts.
 */
import { z } from "zod";
import type { DirectSource, RegistryPrimitives, SourceEventLog } from "../direct-source";

/** GuardDuty findings kept in the source account before the archive has them. */
const GUARDDUTY_RETENTION_DAYS = 30;

export const guardDutySource = {
  registryKey: "guardDuty" as const,
  registrySection: (p: RegistryPrimitives) =>
    z
      .strictObject({
        accounts: z.array(p.accountId, { error: "expected a list of account ids" }).default([]).meta({
          description:
            "Accounts whose GuardDuty findings an EventBridge rule writes into /<prefix>/guardduty in each of their Regions, subscribed like any log group. @default []",
        }),
      })
      .prefault({})
      .meta({ description: "GuardDuty findings through CloudWatch Logs." }),
  kind: "guardduty" as const,
  eventLogs: ({ guardDuty, names }): SourceEventLog[] =>
    guardDuty
      ? [
          {
            id: "GuardDuty",
            sid: "GuardDutyRuleWritesFindings",
            logGroupName: names.guardDutyLogGroup,
            logGroupArn: names.guardDutyLogGroupArn,
            retentionDays: GUARDDUTY_RETENTION_DAYS,
            ruleName: names.guardDutyRule,
            ruleArn: names.guardDutyRuleArn,
            description: "GuardDuty findings into the CloudWatch Logs archive",
            eventPattern: { source: ["aws.guardduty"], "detail-type": ["GuardDuty Finding"] },
          },
        ]
      : [],
  bucketStatements: () => [],
  keyStatements: () => [],
} satisfies DirectSource;
