/**
 * A Mermaid diagram of the synthesised topology: what each stack actually
 * holds (read from its cdk.tf.json), grouped by account, for the README and
 * for reviewers of a registry change. Large organizations are summarised
 * after the first accounts so the diagram stays readable.
 */
import { ARCHIVE_STACK, KEYS_STACK, sourceStackName } from "../naming/names";
import type { Registry } from "../registry/parse";

type Resources = Record<string, Record<string, Record<string, unknown>>>;
export interface SynthesizedStack {
  readonly resource?: Resources;
}

/** Accounts drawn one by one before the rest are summarised. */
export const MAX_ACCOUNTS_DRAWN = 20;

function count(stack: SynthesizedStack | undefined, type: string): number {
  return Object.keys(stack?.resource?.[type] ?? {}).length;
}

function label(text: string): string {
  return `"${text.replace(/"/g, "'")}"`;
}

function sourceLine(stack: SynthesizedStack | undefined, region: string): string {
  const parts = [`${region}: Firehose`];
  const filters = count(stack, "aws_cloudwatch_log_subscription_filter");
  parts.push(count(stack, "aws_cloudwatch_log_account_policy") > 0 ? "all log groups" : `${filters} log groups`);
  if (count(stack, "aws_cloudwatch_event_rule") > 0) parts.push("heartbeat");
  const alarms = count(stack, "aws_cloudwatch_metric_alarm");
  if (alarms > 0) parts.push(`${alarms} alarms`);
  return parts.join(", ");
}

export function topologyMermaid(registry: Registry, stacks: Readonly<Record<string, SynthesizedStack>>): string {
  const archive = stacks[ARCHIVE_STACK];
  const lines = ["flowchart LR"];
  const archiveId = registry.logArchive.accountId;
  lines.push(`  subgraph archive[${label(`log-archive ${archiveId}, ${registry.logArchive.region}`)}]`);
  lines.push(`    bucket[(${label("archive bucket")})]`);
  if (count(archive, "aws_s3_bucket_replication_configuration") > 0) {
    lines.push(`    replica[(${label(`replica, ${registry.archive.replicaRegion}`)})]`);
    lines.push("    bucket -->|replication| replica");
  }
  lines.push(`    queue[[${label("SIEM queue + DLQ")}]]`);
  lines.push("    bucket -->|ObjectCreated| queue");
  if (count(archive, "aws_athena_workgroup") > 0) {
    lines.push(`    athena[${label("Athena workgroup, Glue tables")}]`);
    lines.push("    athena -.->|queries| bucket");
  }
  if (count(archive, "aws_lambda_function") > 0) {
    lines.push(`    watch{{${label("delivery watch: names silent or failing sources")}}}`);
    lines.push("    bucket -.->|object events| watch");
  }
  if (count(archive, "aws_opensearch_domain_policy") > 0) {
    lines.push(`    search[(${label("OpenSearch domain (search delivery)")})]`);
    lines.push("    bucket ~~~ search");
  }
  const archiveAlarms = count(archive, "aws_cloudwatch_metric_alarm");
  if (archiveAlarms > 0) lines.push(`    archiveAlarms>${label(`${archiveAlarms} archive alarms`)}]`);
  lines.push("  end");
  lines.push(`  siem([${label("SIEM")}]) -->|reader role, ExternalId| queue`);
  const keys = stacks[KEYS_STACK];
  if (keys && registry.keys) {
    lines.push(`  subgraph keyAccount[${label(`log-keys ${registry.keys.accountId}`)}]`);
    const held = count(keys, "aws_kms_key");
    lines.push(`    keys[${label(`${held} keys: archive, SIEM queue${held > 2 ? ", replica" : ""}`)}]`);
    lines.push("  end");
    lines.push("  keys -.->|used, never administered| bucket");
  }

  const accounts = [...registry.accounts].sort((a, b) => (a.id < b.id ? -1 : 1));
  accounts.slice(0, MAX_ACCOUNTS_DRAWN).forEach((account, index) => {
    const id = `a${index}`;
    lines.push(`  subgraph ${id}[${label(`${account.name} ${account.id}`)}]`);
    for (const region of [...account.regions].sort()) {
      const node = `${id}_${region.replace(/-/g, "_")}`;
      lines.push(`    ${node}[${label(sourceLine(stacks[sourceStackName(account.id, region)], region))}]`);
    }
    lines.push("  end");
    lines.push(`  ${id} -->|PutObject, own prefix| bucket`);
  });
  const rest = accounts.slice(MAX_ACCOUNTS_DRAWN);
  if (rest.length > 0) {
    const stacksLeft = rest.reduce((n, a) => n + a.regions.length, 0);
    lines.push(
      `  more[${label(`... ${rest.length} more accounts, ${stacksLeft} stacks`)}] -->|PutObject, own prefix| bucket`,
    );
  }
  return `${lines.join("\n")}\n`;
}
