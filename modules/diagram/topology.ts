/**
 * A Mermaid diagram of the topology a registry synthesises, for the README
 * and for reviewers of a registry change: every path logs take into the
 * archive, each edge into the archive bucket labelled with the S3 prefix it
 * writes under (modules/naming/key-layout.ts), and around the archive the
 * SIEM, Athena, search delivery, monitoring, the key-management account and
 * the management account.
 *
 * What is drawn comes from the props the stacks build their constructs from
 * (`logArchiveProps`, `logSourceProps`, `logGuardrailsProps`), never from a
 * second reading of the registry, so the diagram shows a path exactly when
 * the stacks build it. Counts only a synthesis knows (alarms) are read from
 * the stacks' cdk.tf.json when they are given (`stacksRead`).
 *
 * Up to MAX_ACCOUNTS_DRAWN accounts are drawn one by one; a larger
 * organization is drawn as groups of accounts (see MAX_ACCOUNTS_DRAWN).
 * Retired accounts are never drawn as sources: their stacks are empty.
 */
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { accountDataPrefix, CONTROL_ROOT, DATA_ROOT, ERROR_ROOT, SEARCH_ERROR_ROOT } from "../naming/key-layout";
import { DIRECT_SOURCE_ROOTS } from "../sources/direct-sources";
import { ARCHIVE_STACK, centralNames, searchNames, sourceStackName, TRAIL_STACK, trailNames } from "../naming/names";
import { DELIVERY_TOPOLOGIES, type DeliveryTopology } from "../options/values";
import type { Registry, SourceAccount } from "../registry/parse";
import { guardrailsEnabled, guardrailsManagementAccountId, listedLogGroupsIn } from "../registry/settings";
import { domainNameOf } from "../search/search-delivery";
import { logArchiveProps } from "../stacks/log-archive-stack";
import { logGuardrailsProps } from "../stacks/log-guardrails-stack";
import { logSourceProps } from "../stacks/log-source-stack";
import { Flowchart, mermaidId } from "./mermaid";

type Resources = Record<string, Record<string, Record<string, unknown>>>;
/** What the diagram reads of a stack's cdk.tf.json. */
export interface SynthesizedStack {
  readonly resource?: Resources;
}
/** Synthesised stacks by stack name. */
export type SynthesizedStacks = Readonly<Record<string, SynthesizedStack>>;

/**
 * Accounts drawn one by one, each with its Regions. A registry with more
 * (active) accounts is drawn as groups: one "N accounts" node per Region and
 * delivery topology (and one per Region for the VPC flow logs the stacks
 * create), so the diagram grows with the Regions in use, never with the
 * accounts. Twelve accounts of two or three Regions make about forty nodes:
 * as many as a reviewer still follows edge by edge on one screen.
 */
export const MAX_ACCOUNTS_DRAWN = 12;

/** In a prefix of the diagram, `*` stands for the id of the account that writes there. */
export const ANY_ACCOUNT = "*";

/** Ids of the diagram's fixed nodes and subgraphs. */
export const NODE = {
  archive: "archive",
  bucket: "bucket",
  replica: "replica",
  queue: "queue",
  siem: "siem",
  athena: "athena",
  watch: "watch",
  archiveAlarms: "archiveAlarms",
  tamper: "tamper",
  searchStream: "searchStream",
  search: "search",
  keyAccount: "keyAccount",
  keys: "keys",
  trail: "trail",
  guardrails: "guardrails",
  config: "config",
  agents: "agents",
  flowLogs: "flowLogs",
  sources: "sources",
  retired: "retired",
} as const;

/** The subgraph of a source account drawn on its own. */
export function accountNodeId(accountId: string): string {
  return mermaidId(`a${accountId}`);
}

/** A source account's pipeline in one Region. */
export function sourceNodeId(accountId: string, region: string): string {
  return mermaidId(accountNodeId(accountId), region);
}

/** The VPC flow logs a source account's stack creates in one Region. */
export function flowLogNodeId(accountId: string, region: string): string {
  return mermaidId(accountNodeId(accountId), "vpc", region);
}

/** The central destination and stream of one source Region, in the log-archive account. */
export function centralNodeId(region: string): string {
  return mermaidId("central", region);
}

/** The accounts of one Region and delivery topology, drawn as one node. */
export function groupNodeId(delivery: DeliveryTopology, region: string): string {
  return mermaidId("group", delivery, region);
}

/** The VPC flow logs created in one Region by the accounts drawn as groups. */
export function flowLogGroupNodeId(region: string): string {
  return mermaidId("group", "vpc", region);
}

/** The subgraph of a management account (organization trail, guardrails). */
export function managementNodeId(accountId: string): string {
  return mermaidId(`m${accountId}`);
}

/**
 * The stacks whose cdk.tf.json `topologyMermaid` reads (for alarm counts):
 * the archive's and those of the accounts drawn one by one. A larger
 * organization needs the archive's only.
 */
export function stacksRead(registry: Registry): string[] {
  const drawn = registry.accounts.length <= MAX_ACCOUNTS_DRAWN ? registry.accounts : [];
  return [ARCHIVE_STACK, ...drawn.flatMap((a) => a.regions.map((region) => sourceStackName(a.id, region)))].sort();
}

/** The diagram of `registry`; `stacks` adds what only a synthesis counts. Same registry, same text. */
export function topologyMermaid(registry: Registry, stacks: SynthesizedStacks = {}): string {
  const chart = new Flowchart("LR");
  const archive = logArchiveProps(registry);
  const sources = sourceViews(registry);
  drawArchive(chart, registry, archive, stacks[ARCHIVE_STACK]);
  drawKeyAccount(chart, registry);
  drawManagementAccounts(chart, registry, archive, sources.length > 0);
  drawDirectSources(chart, archive);
  if (registry.accounts.length <= MAX_ACCOUNTS_DRAWN) drawAccounts(chart, registry, sources, stacks);
  else drawGroups(chart, registry, sources);
  return chart.toString();
}

function count(stack: SynthesizedStack | undefined, type: string): number {
  return Object.keys(stack?.resource?.[type] ?? {}).length;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type ArchiveProps = ReturnType<typeof logArchiveProps>;

function drawArchive(
  chart: Flowchart,
  registry: Registry,
  props: ArchiveProps,
  stack: SynthesizedStack | undefined,
): void {
  const prefix = registry.naming.prefix;
  const { accountId, region } = registry.logArchive;
  const centralRegions = [...(props.central?.regions ?? [])].sort(byString);
  const kinesis = props.central?.stream.kinesisStream.enabled === true;
  chart.subgraph(NODE.archive, `log-archive ${accountId}, ${region}`, () => {
    chart.node(NODE.bucket, `archive bucket, records Firehose could not deliver under ${ERROR_ROOT}`, "cylinder");
    if (props.archive.replicaRegion) chart.node(NODE.replica, `replica, ${props.archive.replicaRegion}`, "cylinder");
    chart.node(NODE.queue, "SIEM queue + DLQ", "subroutine");
    if (props.athena) chart.node(NODE.athena, "Athena workgroup, Glue tables");
    if (props.deliveryWatch) chart.node(NODE.watch, "delivery watch: names silent or failing sources", "hexagon");
    for (const central of centralRegions) {
      const names = centralNames(prefix, accountId, central);
      const path = [`destination ${names.destination}`, ...(kinesis ? ["Kinesis stream"] : []), "Firehose"];
      chart.node(
        centralNodeId(central),
        `central ${central}: ${path.join(", ")} ${names.deliveryStream}`,
        "subroutine",
      );
    }
    if (props.search) {
      chart.node(NODE.searchStream, `search Firehose ${searchNames(prefix, accountId, region).stream}, transform`);
      chart.node(NODE.search, `OpenSearch domain ${domainNameOf(props.search.domainArn)}`, "cylinder");
    }
    if (props.alarms) {
      const alarms = count(stack, CloudwatchMetricAlarm.tfResourceType);
      chart.node(NODE.archiveAlarms, alarms > 0 ? `${alarms} archive alarms` : "archive alarms", "flag");
    }
    if (props.tamper) {
      chart.node(NODE.tamper, "tamper bus: changes to the pipeline in any account notify the alarm topic", "hexagon");
    }
  });
  chart.node(NODE.siem, "SIEM", "stadium");

  if (props.archive.replicaRegion) chart.edge(NODE.bucket, NODE.replica, "replication");
  const announced = [DATA_ROOT, ...(props.directSources?.notifySiem ?? []).map((s) => DIRECT_SOURCE_ROOTS[s])];
  chart.edge(NODE.bucket, NODE.queue, `ObjectCreated: ${announced.join(", ")}`);
  chart.edge(NODE.siem, NODE.queue, "reader role, ExternalId");
  if (props.athena) chart.edge(NODE.athena, NODE.bucket, `queries ${DATA_ROOT}`, "use");
  if (props.deliveryWatch) chart.edge(NODE.bucket, NODE.watch, "object events", "use");
  for (const central of centralRegions) {
    chart.edge(centralNodeId(central), NODE.bucket, `${accountDataPrefix(ANY_ACCOUNT)}, control: ${CONTROL_ROOT}`);
  }
  if (props.search) {
    // The search stream reads the central Kinesis stream of the archive's Region (LogArchive refuses it otherwise).
    if (centralRegions.includes(region)) chart.edge(centralNodeId(region), NODE.searchStream, "Kinesis, read again");
    chart.edge(NODE.searchStream, NODE.search, `index ${props.search.indexName}`);
    chart.edge(NODE.searchStream, NODE.bucket, `failed documents: ${SEARCH_ERROR_ROOT}`);
  }
}

/** The archive's keys, when a key-management account holds them (stack log-keys). */
function drawKeyAccount(chart: Flowchart, registry: Registry): void {
  if (!registry.keys) return;
  const held = ["archive", "SIEM queue", ...(registry.archive.replicaRegion ? ["replica"] : [])];
  chart.subgraph(NODE.keyAccount, `log-keys ${registry.keys.accountId}`, () => {
    chart.node(NODE.keys, `${held.length} keys: ${held.join(", ")}`);
  });
  chart.edge(NODE.keys, NODE.bucket, "used, never administered", "use");
}

/** The organization trail and the guardrails, in their management account (one account, or two). */
function drawManagementAccounts(chart: Flowchart, registry: Registry, archive: ArchiveProps, sources: boolean): void {
  const prefix = registry.naming.prefix;
  const { cloudTrail } = registry.sources;
  const trail = archive.directSources?.trail;
  const guardrails = guardrailsEnabled(registry) ? logGuardrailsProps(registry) : undefined;
  const guardrailsAccount = guardrailsManagementAccountId(registry);
  const accounts = [
    ...new Set([
      ...(trail ? [trail.managementAccountId] : []),
      ...(guardrails && guardrailsAccount ? [guardrailsAccount] : []),
    ]),
  ].sort(byString);
  for (const accountId of accounts) {
    chart.subgraph(managementNodeId(accountId), `management ${accountId}`, () => {
      if (trail && trail.managementAccountId === accountId) {
        const { name } = trailNames(
          prefix,
          accountId,
          cloudTrail.homeRegion ?? registry.logArchive.region,
          cloudTrail.trailName,
        );
        chart.node(
          NODE.trail,
          cloudTrail.createTrail
            ? `organization trail ${name} (stack ${TRAIL_STACK}): every account and Region`
            : `existing organization trail ${name}, admitted`,
        );
      }
      if (guardrails && guardrailsAccount === accountId) {
        const rcpAccounts = guardrails.archive?.keyAccountId
          ? "log-archive and key-management accounts"
          : "log-archive account";
        const policies = [
          ...(guardrails.sources ? [`SCPs on ${guardrails.targetIds.join(", ")}`] : []),
          ...(guardrails.archive ? [`RCPs on the ${rcpAccounts}`] : []),
        ];
        chart.node(NODE.guardrails, `guardrails: ${policies.join(", ")}`, "hexagon");
      }
    });
  }
  if (trail) chart.edge(NODE.trail, NODE.bucket, DIRECT_SOURCE_ROOTS.cloudtrail);
  if (guardrails) {
    if (guardrails.sources && sources) chart.edge(NODE.guardrails, NODE.sources, "SCPs protect the pipeline", "use");
    if (guardrails.archive) chart.edge(NODE.guardrails, NODE.archive, "RCPs protect the archive", "use");
    if (guardrails.archive?.keyAccountId && chart.has(NODE.keyAccount)) {
      chart.edge(NODE.guardrails, NODE.keyAccount, "RCPs protect the keys", "use");
    }
  }
}

/** AWS services and agents of the whole organization that the archive admits straight into the bucket. */
function drawDirectSources(chart: Flowchart, archive: ArchiveProps): void {
  const direct = archive.directSources;
  if (direct?.configRecorderRole) {
    chart.node(NODE.config, `AWS Config of every account, recorder role ${direct.configRecorderRole}`, "parallelogram");
    chart.edge(NODE.config, NODE.bucket, DIRECT_SOURCE_ROOTS.config);
  }
  if (direct?.vpcFlowLogs) {
    chart.node(NODE.flowLogs, "VPC flow logs of any organization account, admitted", "parallelogram");
    chart.edge(NODE.flowLogs, NODE.bucket, DIRECT_SOURCE_ROOTS["vpc-flow-logs"]);
  }
  if (direct?.agentRolePattern) {
    chart.node(NODE.agents, `log agents with roles ${direct.agentRolePattern}`, "parallelogram");
    chart.edge(NODE.agents, NODE.bucket, `${DIRECT_SOURCE_ROOTS.agents}${ANY_ACCOUNT}/`);
  }
}

/** One source account's pipeline in one Region, as its stack builds it. */
interface SourceView {
  readonly account: SourceAccount;
  readonly region: string;
  readonly delivery: DeliveryTopology;
  /** The number of listed log groups subscribed here; undefined: every log group (mode all). */
  readonly listed?: number;
  readonly heartbeat: boolean;
  readonly guardDuty: boolean;
  /** Delivery alarms in the account: LogSource puts them on its own stream, so never in the central topology. */
  readonly ownAlarms: boolean;
  /** VPCs whose flow logs the stack creates. */
  readonly vpcs: number;
}

/** Every active account and Region, accounts by id, Regions by name. */
function sourceViews(registry: Registry): SourceView[] {
  const accounts = [...registry.accounts].sort((a, b) => byString(a.id, b.id));
  return accounts.flatMap((account) =>
    [...account.regions].sort(byString).map((region) => {
      const props = logSourceProps(registry, account, region);
      return {
        account,
        region,
        delivery: props.delivery,
        listed: props.subscription.mode === "listed" ? listedLogGroupsIn(props.subscription, region).length : undefined,
        heartbeat: props.heartbeat !== false,
        guardDuty: props.guardDuty === true,
        ownAlarms: props.alarms !== undefined && props.delivery !== "central",
        vpcs: props.vpcFlowLogs?.length ?? 0,
      };
    }),
  );
}

/** Where a source's CloudWatch Logs go: into the bucket under its own prefix, or to its Region's central destination. */
function deliver(chart: Flowchart, from: string, view: Pick<SourceView, "delivery" | "region">, prefix: string): void {
  if (view.delivery === "central") chart.edge(from, centralNodeId(view.region), "subscription");
  else chart.edge(from, NODE.bucket, prefix);
}

function retiredNote(chart: Flowchart, registry: Registry): void {
  const retired = registry.retiredAccounts.length;
  if (retired > 0) chart.node(NODE.retired, `${plural(retired, "retired account")}: stacks synthesised empty`, "flag");
}

function sourcesLabel(registry: Registry, views: readonly SourceView[]): string {
  return `${plural(registry.accounts.length, "source account")}, ${plural(views.length, "stack")}`;
}

function drawAccounts(
  chart: Flowchart,
  registry: Registry,
  views: readonly SourceView[],
  stacks: SynthesizedStacks,
): void {
  if (views.length === 0 && registry.retiredAccounts.length === 0) return;
  const byAccount = new Map<string, SourceView[]>();
  for (const view of views) byAccount.set(view.account.id, [...(byAccount.get(view.account.id) ?? []), view]);
  chart.subgraph(NODE.sources, sourcesLabel(registry, views), () => {
    for (const [accountId, regions] of byAccount) {
      chart.subgraph(accountNodeId(accountId), `${regions[0]!.account.name} ${accountId}`, () => {
        for (const view of regions) {
          const stack = stacks[sourceStackName(accountId, view.region)];
          chart.node(sourceNodeId(accountId, view.region), sourceLabel(view, stack));
          if (view.vpcs > 0) {
            chart.node(
              flowLogNodeId(accountId, view.region),
              `${view.region}: flow logs of ${plural(view.vpcs, "VPC")}`,
              "parallelogram",
            );
          }
        }
      });
    }
    retiredNote(chart, registry);
  });
  for (const view of views) {
    const { id } = view.account;
    deliver(chart, sourceNodeId(id, view.region), view, accountDataPrefix(id));
    if (view.vpcs > 0) chart.edge(flowLogNodeId(id, view.region), NODE.bucket, DIRECT_SOURCE_ROOTS["vpc-flow-logs"]);
  }
}

function sourceLabel(view: SourceView, stack: SynthesizedStack | undefined): string {
  const parts = [view.delivery === "central" ? "to the central destination" : "Firehose"];
  parts.push(view.listed === undefined ? "all log groups" : plural(view.listed, "listed log group"));
  if (view.heartbeat) parts.push("heartbeat");
  if (view.guardDuty) parts.push("GuardDuty findings");
  if (view.ownAlarms) {
    const alarms = count(stack, CloudwatchMetricAlarm.tfResourceType);
    parts.push(alarms > 0 ? `${alarms} alarms` : "own alarms");
  }
  return `${view.region}: ${parts.join(", ")}`;
}

/** `what` when every source of the group has it, `<n> with <what>` when some do, nothing when none does. */
function share(views: readonly SourceView[], has: (view: SourceView) => boolean, what: string): string[] {
  const n = views.filter(has).length;
  if (n === 0) return [];
  return [n === views.length ? what : `${n} with ${what}`];
}

function groupLabel(region: string, delivery: DeliveryTopology, views: readonly SourceView[]): string {
  const all = views.filter((v) => v.listed === undefined).length;
  const subscription =
    all === views.length
      ? "all log groups"
      : all === 0
        ? "listed log groups"
        : `${all} all log groups, ${views.length - all} listed`;
  const parts = [
    plural(views.length, "account"),
    delivery === "central" ? "to the central destination" : "a Firehose each",
    subscription,
    ...share(views, (v) => v.heartbeat, "heartbeat"),
    ...share(views, (v) => v.guardDuty, "GuardDuty findings"),
    ...share(views, (v) => v.ownAlarms, "own alarms"),
  ];
  return `${region}: ${parts.join(", ")}`;
}

function drawGroups(chart: Flowchart, registry: Registry, views: readonly SourceView[]): void {
  const regions = [...new Set(views.map((v) => v.region))].sort(byString);
  const groups = regions.flatMap((region) =>
    DELIVERY_TOPOLOGIES.map((delivery) => ({
      region,
      delivery,
      views: views.filter((v) => v.region === region && v.delivery === delivery),
    })).filter((g) => g.views.length > 0),
  );
  const flowLogs = regions
    .map((region) => ({ region, views: views.filter((v) => v.region === region && v.vpcs > 0) }))
    .filter((g) => g.views.length > 0);
  const label = `${sourcesLabel(registry, views)}: more than ${MAX_ACCOUNTS_DRAWN}, grouped by Region and delivery`;
  chart.subgraph(NODE.sources, label, () => {
    for (const g of groups) chart.node(groupNodeId(g.delivery, g.region), groupLabel(g.region, g.delivery, g.views));
    for (const g of flowLogs) {
      const vpcs = g.views.reduce((n, v) => n + v.vpcs, 0);
      chart.node(
        flowLogGroupNodeId(g.region),
        `${g.region}: flow logs of ${plural(vpcs, "VPC")} in ${plural(g.views.length, "account")}`,
        "parallelogram",
      );
    }
    retiredNote(chart, registry);
  });
  for (const g of groups) deliver(chart, groupNodeId(g.delivery, g.region), g, accountDataPrefix(ANY_ACCOUNT));
  for (const g of flowLogs) chart.edge(flowLogGroupNodeId(g.region), NODE.bucket, DIRECT_SOURCE_ROOTS["vpc-flow-logs"]);
}
