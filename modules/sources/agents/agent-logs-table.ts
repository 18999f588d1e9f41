/**
 * Log agents' Athena table over agents/: `agents/<account>/<tag>/YYYY/MM/DD/HH/`.
 */
import { dateParts, enumOf, table, WHOLE_LINES, type LogTablesInput, type TableConfig } from "../../archive/glue-table";
import { AGENTS_ROOT } from "./agents-layout";

export const AGENT_LOGS_TABLE = "agent_logs";

/**
 * Log agents' objects (docs/agents): one JSON record per line as the agent
 * writes it, kept whole. The tag folder is chosen by each agent's
 * configuration, so it is injected: a query names the tags it reads.
 */
export function agentLogsTable(input: LogTablesInput): TableConfig {
  const root = AGENTS_ROOT;
  return table(input, {
    name: AGENT_LOGS_TABLE,
    description: "Log agents' JSON lines (agents/<account>/<tag>/YYYY/MM/DD/HH/)",
    root,
    partitions: [enumOf("account", input.accountValues), { name: "tag", type: "injected" }, ...dateParts(true, 2)],
    template: `${root}\${account}/\${tag}/\${year}/\${month}/\${day}/\${hour}/`,
    classification: "text",
    serDe: WHOLE_LINES,
    columns: [{ name: "line", type: "string" }],
  });
}
