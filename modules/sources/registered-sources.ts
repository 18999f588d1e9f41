/**
 * The registered direct sources, in the order their statements appear in the
 * bucket and key policies (changing it rewrites both policies), their
 * sections in the registry and their roots. A new source: its folder under
 * modules/sources/ and one entry here; direct-sources.ts derives the rest.
 */
import { agentsSource } from "./agents/agents-source";
import { configSource } from "./config/config-source";
import type { DirectSource } from "./direct-source";
import { guardDutySource } from "./guardduty/guardduty-source";
import { trailSource } from "./trail/trail-source";
import { vpcFlowLogsSource } from "./vpc-flow-logs/vpc-flow-logs-source";

export const DIRECT_SOURCE_KINDS = [
  trailSource,
  configSource,
  agentsSource,
  vpcFlowLogsSource,
  guardDutySource,
] as const satisfies readonly DirectSource[];
