/**
 * GuardDuty findings, through CloudWatch Logs: an EventBridge rule of each
 * listed account writes them into a log group of the pipeline, subscribed like
 * any other (LogSource's guardDuty). Nothing writes straight to the archive,
 * so no bucket or key statement. Registered in modules/sources/direct-sources.ts.
 */
import { z } from "zod";
import type { DirectSource, RegistryPrimitives } from "../direct-source";

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
  kind: "guardduty",
  bucketStatements: () => [],
  keyStatements: () => [],
} satisfies DirectSource;
