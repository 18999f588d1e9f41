import { readFileSync } from "node:fs";
import {
  accountNodeId,
  ANY_ACCOUNT,
  centralNodeId,
  flowLogGroupNodeId,
  flowLogNodeId,
  groupNodeId,
  MAX_ACCOUNTS_DRAWN,
  NODE,
  sourceNodeId,
  stacksRead,
  topologyMermaid,
} from "../../modules/diagram/topology";
import { accountDataPrefix, CONTROL_ROOT, DATA_ROOT, SEARCH_ERROR_ROOT } from "../../modules/naming/key-layout";
import { DIRECT_SOURCE_ROOTS } from "../../modules/sources/direct-sources";
import { loadRegistry } from "../../modules/registry/load";
import type { Registry } from "../../modules/registry/parse";
import { corpusFiles, SAMPLE_REGISTRY } from "../helpers/corpus";
import { registryWith, SOURCE, type RawRegistry } from "../helpers/registry";
import { synthRegistry } from "../helpers/synth";
import { mermaidProblems, parseFlowchart, pathLabels, type ParsedFlowchart } from "./support/mermaid-check";

const MANAGEMENT = "444444444444";
const KEY_ACCOUNT = "555555555555";

/** The diagram, read back by the checker; fails the test when Mermaid would misread it. */
function chartOf(registry: Registry, stacks = {}): ParsedFlowchart {
  const chart = parseFlowchart(topologyMermaid(registry, stacks));
  expect(chart.problems).toEqual([]);
  return chart;
}

function label(chart: ParsedFlowchart, id: string): string | undefined {
  return chart.nodes.get(id)?.label;
}

/** Labels of the nodes and subgraphs, in order. */
function labels(chart: ParsedFlowchart): string[] {
  return [...chart.nodes.values()].map((n) => n.label);
}

/** The last edge into the archive bucket on the path from `from`: the prefix it writes under. */
function prefixInto(chart: ParsedFlowchart, from: string): string | undefined {
  return pathLabels(chart, from, NODE.bucket)?.at(-1);
}

/** `count` accounts, the pattern of each repeating every 12: Regions, topology and options vary together. */
function organization(count: number): (raw: RawRegistry) => void {
  const regionSets = [["eu-west-1"], ["eu-west-1", "us-east-1"], ["us-east-1", "ap-southeast-2"]];
  return (r) => {
    r.accounts = Array.from({ length: count }, (_, i) => ({
      id: String(300000000000 + i),
      name: `workload-${i}`,
      regions: [...regionSets[i % 3]!],
      ...(i % 4 === 0 ? { delivery: "central" } : {}),
    }));
  };
}

describe("topology diagram: the archive and its accounts", () => {
  test("shows the archive, the SIEM path and each account's Regions with what their stacks hold", () => {
    const registry = registryWith((r) => {
      r.archive = { replicaRegion: "eu-central-1" };
      r.monitoring = { alarms: { sources: "both" } };
    });
    const chart = chartOf(registry, synthRegistry(registry).stacks);
    expect(label(chart, NODE.replica)).toBe("replica, eu-central-1");
    expect(chart.edges).toContainEqual({ from: NODE.bucket, to: NODE.replica, arrow: "-->", label: "replication" });
    expect(chart.edges).toContainEqual({
      from: NODE.bucket,
      to: NODE.queue,
      arrow: "-->",
      label: `ObjectCreated: ${DATA_ROOT}`,
    });
    expect(chart.edges).toContainEqual({
      from: NODE.siem,
      to: NODE.queue,
      arrow: "-->",
      label: "reader role, ExternalId",
    });
    expect(label(chart, accountNodeId(SOURCE))).toBe(`payments-prod ${SOURCE}`);
    expect(label(chart, sourceNodeId(SOURCE, "us-east-1"))).toBe(
      "us-east-1: Firehose, all log groups, heartbeat, 4 alarms",
    );
    expect(prefixInto(chart, sourceNodeId(SOURCE, "us-east-1"))).toBe(accountDataPrefix(SOURCE));
    expect(label(chart, NODE.watch)).toBe("delivery watch: names silent or failing sources");
    // 3 of the archive (SIEM queue, dead letters, replication), 2 watching the watch and
    // 2 on Athena's daily scans (interactive and hunting workgroups).
    expect(label(chart, NODE.archiveAlarms)).toBe("7 archive alarms");
  });

  test("without synthesised stacks the same paths are drawn, without the counts only a synthesis knows", () => {
    const registry = registryWith((r) => (r.monitoring = { alarms: { sources: "both" } }));
    const chart = chartOf(registry);
    expect(label(chart, sourceNodeId(SOURCE, "us-east-1"))).toBe(
      "us-east-1: Firehose, all log groups, heartbeat, own alarms",
    );
    expect(label(chart, NODE.archiveAlarms)).toBe("archive alarms");
  });

  test("the default watches sources from the archive: no alarm in the sources", () => {
    const chart = chartOf(registryWith());
    expect(label(chart, sourceNodeId(SOURCE, "us-east-1"))).toBe("us-east-1: Firehose, all log groups, heartbeat");
    expect(chart.edges).toContainEqual({ from: NODE.bucket, to: NODE.watch, arrow: "-.->", label: "object events" });
  });

  test("reflects what the registry switched off", () => {
    const registry = registryWith(
      (r) => (r.monitoring = { heartbeat: { enabled: false }, alarms: { enabled: false }, athena: { enabled: false } }),
    );
    const mermaid = topologyMermaid(registry, synthRegistry(registry).stacks);
    expect(parseFlowchart(mermaid).nodes.get(sourceNodeId(SOURCE, "eu-west-1"))?.label).toBe(
      "eu-west-1: Firehose, all log groups",
    );
    expect(mermaid).not.toMatch(/heartbeat|alarm|Athena|delivery watch|tamper/);
  });

  test("listed log groups are counted per Region, as each Region subscribes them", () => {
    const chart = chartOf(
      registryWith((r) => {
        r.accounts[0]!.subscription = {
          mode: "listed",
          logGroups: [{ name: "/app/api" }, { name: "/app/worker", regions: ["us-east-1"] }],
        };
      }),
    );
    expect(label(chart, sourceNodeId(SOURCE, "eu-west-1"))).toBe("eu-west-1: Firehose, 1 listed log group, heartbeat");
    expect(label(chart, sourceNodeId(SOURCE, "us-east-1"))).toBe("us-east-1: Firehose, 2 listed log groups, heartbeat");
  });
});

describe("topology diagram: every source kind, exactly when the registry enables it, on its path into the archive", () => {
  interface SourceKind {
    readonly edit: (raw: RawRegistry) => void;
    /** Whether the diagram shows the kind. */
    readonly shown: (chart: ParsedFlowchart) => boolean;
    /** Where its path starts, and the prefix it writes under in the archive. */
    readonly path?: { readonly from: string; readonly prefix: string };
  }
  const declares = (id: string) => (chart: ParsedFlowchart) => chart.nodes.has(id);
  const centralSearch = (r: RawRegistry) => {
    r.accounts[0]!.delivery = "central";
    r.central = { kinesisStream: { enabled: true } };
    r.search = { enabled: true, domainArn: "arn:aws:es:eu-west-1:111111111111:domain/logs" };
  };
  const kinds: Record<string, SourceKind> = {
    "the organization trail": {
      edit: (r) => {
        r.sources = { cloudTrail: { enabled: true, managementAccountId: MANAGEMENT } };
        r.deployment = { managementAccount: { credentials: "assumeRole", roleName: "Deploy" } };
      },
      shown: declares(NODE.trail),
      path: { from: NODE.trail, prefix: DIRECT_SOURCE_ROOTS.cloudtrail },
    },
    "an existing organization trail": {
      edit: (r) => (r.sources = { cloudTrail: { enabled: true, managementAccountId: MANAGEMENT, createTrail: false } }),
      shown: (c) => label(c, NODE.trail)?.startsWith("existing organization trail") === true,
      path: { from: NODE.trail, prefix: DIRECT_SOURCE_ROOTS.cloudtrail },
    },
    "AWS Config": {
      edit: (r) => (r.sources = { config: { enabled: true } }),
      shown: declares(NODE.config),
      path: { from: NODE.config, prefix: DIRECT_SOURCE_ROOTS.config },
    },
    "VPC flow logs of the organization": {
      edit: (r) => (r.sources = { vpcFlowLogs: { enabled: true } }),
      shown: declares(NODE.flowLogs),
      path: { from: NODE.flowLogs, prefix: DIRECT_SOURCE_ROOTS["vpc-flow-logs"] },
    },
    "VPC flow logs a source stack creates": {
      edit: (r) => {
        r.sources = { vpcFlowLogs: { enabled: true } };
        r.accounts[0]!.vpcFlowLogs = [{ region: "eu-west-1", vpcId: "vpc-0a1b2c3d" }];
      },
      shown: (c) => label(c, flowLogNodeId(SOURCE, "eu-west-1")) === "eu-west-1: flow logs of 1 VPC",
      path: { from: flowLogNodeId(SOURCE, "eu-west-1"), prefix: DIRECT_SOURCE_ROOTS["vpc-flow-logs"] },
    },
    "log agents": {
      edit: (r) => (r.sources = { agents: { enabled: true } }),
      shown: (c) => label(c, NODE.agents) === "log agents with roles cwl-archive-log-agent-*",
      path: { from: NODE.agents, prefix: `${DIRECT_SOURCE_ROOTS.agents}${ANY_ACCOUNT}/` },
    },
    "GuardDuty findings, through the account's own subscription": {
      edit: (r) => (r.sources = { guardDuty: { accounts: [SOURCE] } }),
      shown: (c) => label(c, sourceNodeId(SOURCE, "us-east-1"))?.includes("GuardDuty findings") === true,
      path: { from: sourceNodeId(SOURCE, "us-east-1"), prefix: accountDataPrefix(SOURCE) },
    },
    "the central destination": {
      edit: (r) => (r.accounts[0]!.delivery = "central"),
      shown: declares(centralNodeId("us-east-1")),
      path: {
        from: sourceNodeId(SOURCE, "us-east-1"),
        prefix: `${accountDataPrefix(ANY_ACCOUNT)}, control: ${CONTROL_ROOT}`,
      },
    },
    "the central destination, as the default delivery": {
      edit: (r) => (r.defaults = { delivery: "central" }),
      shown: declares(centralNodeId("eu-west-1")),
      path: {
        from: sourceNodeId(SOURCE, "eu-west-1"),
        prefix: `${accountDataPrefix(ANY_ACCOUNT)}, control: ${CONTROL_ROOT}`,
      },
    },
    "search delivery to OpenSearch, reading the central Kinesis stream": {
      edit: centralSearch,
      shown: (c) => pathLabels(c, centralNodeId("eu-west-1"), NODE.search) !== undefined,
      path: { from: NODE.searchStream, prefix: `failed documents: ${SEARCH_ERROR_ROOT}` },
    },
  };

  test.each(Object.entries(kinds))("%s", (_, kind) => {
    const on = chartOf(registryWith(kind.edit));
    expect(kind.shown(on)).toBe(true);
    if (kind.path) expect(prefixInto(on, kind.path.from)).toBe(kind.path.prefix);
    expect(kind.shown(chartOf(registryWith()))).toBe(false);
  });

  test("the central destination holds a Kinesis stream when the registry asks for one", () => {
    const chart = chartOf(registryWith(centralSearch));
    expect(label(chart, centralNodeId("eu-west-1"))).toBe(
      "central eu-west-1: destination cwl-archive-central, Kinesis stream, Firehose cwl-archive-central-eu-west-1",
    );
    expect(label(chart, NODE.search)).toBe("OpenSearch domain logs");
  });

  test("the keys of a key-management account are used by the archive, and drawn only with one", () => {
    const chart = chartOf(registryWith((r) => (r.keys = { accountId: KEY_ACCOUNT })));
    expect(chart.nodes.get(NODE.keyAccount)).toMatchObject({ label: `log-keys ${KEY_ACCOUNT}`, subgraph: true });
    expect(label(chart, NODE.keys)).toBe("2 keys: archive, SIEM queue");
    expect(chart.edges).toContainEqual({
      from: NODE.keys,
      to: NODE.bucket,
      arrow: "-.->",
      label: "used, never administered",
    });
    const replicated = chartOf(
      registryWith((r) => {
        r.keys = { accountId: KEY_ACCOUNT };
        r.archive = { replicaRegion: "eu-central-1" };
      }),
    );
    expect(label(replicated, NODE.keys)).toBe("3 keys: archive, SIEM queue, replica");
    expect(chartOf(registryWith()).nodes.has(NODE.keyAccount)).toBe(false);
  });

  test("the guardrails protect the sources, the archive and the keys from the management account, drawn only when enabled", () => {
    const chart = chartOf(
      registryWith((r) => {
        r.keys = { accountId: KEY_ACCOUNT };
        r.guardrails = {
          enabled: true,
          managementAccountId: MANAGEMENT,
          targetIds: ["r-ab12"],
          breakGlassRoleName: "BreakGlass",
        };
        r.deployment = { managementAccount: { credentials: "assumeRole", roleName: "Deploy" } };
      }),
    );
    expect(chart.nodes.get(NODE.guardrails)).toMatchObject({
      label: "guardrails: SCPs on r-ab12, RCPs on the log-archive and key-management accounts",
      parent: `m${MANAGEMENT}`,
    });
    const protectedIds = chart.edges.filter((e) => e.from === NODE.guardrails).map((e) => e.to);
    expect(protectedIds).toEqual([NODE.sources, NODE.archive, NODE.keyAccount]);
    expect(chartOf(registryWith()).nodes.has(NODE.guardrails)).toBe(false);
  });

  test("new objects of a direct source are announced on the SIEM queue when the registry asks", () => {
    const chart = chartOf(registryWith((r) => (r.sources = { config: { enabled: true }, notifySiem: ["config"] })));
    expect(chart.edges).toContainEqual({
      from: NODE.bucket,
      to: NODE.queue,
      arrow: "-->",
      label: `ObjectCreated: ${DATA_ROOT}, ${DIRECT_SOURCE_ROOTS.config}`,
    });
  });
});

describe("topology diagram: large organizations", () => {
  const accountSubgraphs = (chart: ParsedFlowchart) =>
    [...chart.nodes.entries()].filter(([, n]) => n.subgraph && n.parent === NODE.sources).map(([id]) => id);

  test(`draws ${MAX_ACCOUNTS_DRAWN} accounts one by one`, () => {
    const chart = chartOf(registryWith(organization(MAX_ACCOUNTS_DRAWN)));
    expect(accountSubgraphs(chart)).toHaveLength(MAX_ACCOUNTS_DRAWN);
    expect([...chart.nodes.keys()].filter((id) => id.startsWith("group_"))).toEqual([]);
  });

  test(`groups ${MAX_ACCOUNTS_DRAWN + 1} accounts by Region and delivery topology, and names each group's counts`, () => {
    const registry = registryWith((r) => {
      organization(MAX_ACCOUNTS_DRAWN + 1)(r);
      // Two accounts with GuardDuty, one listing its log groups, one creating the flow logs of two VPCs.
      r.sources = { guardDuty: { accounts: ["300000000001", "300000000002"] }, vpcFlowLogs: { enabled: true } };
      r.accounts[1]!.subscription = { mode: "listed", logGroups: [{ name: "/app" }] };
      r.accounts[1]!.vpcFlowLogs = [
        { region: "us-east-1", vpcId: "vpc-0a1b2c3d" },
        { region: "eu-west-1", vpcId: "vpc-1a1b2c3d" },
      ];
      r.accounts[5]!.vpcFlowLogs = [{ region: "us-east-1", vpcId: "vpc-2a1b2c3d" }];
    });
    const chart = chartOf(registry);
    expect(accountSubgraphs(chart)).toEqual([]);
    expect(label(chart, NODE.sources)).toBe(
      `13 source accounts, 21 stacks: more than ${MAX_ACCOUNTS_DRAWN}, grouped by Region and delivery`,
    );
    // Accounts 0, 4, 8 and 12 are central; account i is in the Regions regionSets[i % 3].
    const groups = Object.fromEntries(
      [...chart.nodes.entries()].filter(([id]) => id.startsWith("group_")).map(([id, n]) => [id, n.label]),
    );
    expect(groups).toEqual({
      [groupNodeId("perAccount", "ap-southeast-2")]:
        "ap-southeast-2: 3 accounts, a Firehose each, all log groups, heartbeat, 1 with GuardDuty findings",
      [groupNodeId("central", "ap-southeast-2")]:
        "ap-southeast-2: 1 account, to the central destination, all log groups, heartbeat",
      [groupNodeId("perAccount", "eu-west-1")]:
        "eu-west-1: 6 accounts, a Firehose each, 5 all log groups, 1 listed, heartbeat, 1 with GuardDuty findings",
      [groupNodeId("central", "eu-west-1")]:
        "eu-west-1: 3 accounts, to the central destination, all log groups, heartbeat",
      [groupNodeId("perAccount", "us-east-1")]:
        "us-east-1: 6 accounts, a Firehose each, 5 all log groups, 1 listed, heartbeat, 2 with GuardDuty findings",
      [groupNodeId("central", "us-east-1")]:
        "us-east-1: 2 accounts, to the central destination, all log groups, heartbeat",
      [flowLogGroupNodeId("eu-west-1")]: "eu-west-1: flow logs of 1 VPC in 1 account",
      [flowLogGroupNodeId("us-east-1")]: "us-east-1: flow logs of 2 VPCs in 2 accounts",
    });
    expect(prefixInto(chart, groupNodeId("perAccount", "eu-west-1"))).toBe(accountDataPrefix(ANY_ACCOUNT));
    expect(pathLabels(chart, groupNodeId("central", "eu-west-1"), NODE.bucket)).toEqual([
      "subscription",
      `${accountDataPrefix(ANY_ACCOUNT)}, control: ${CONTROL_ROOT}`,
    ]);
    expect(prefixInto(chart, flowLogGroupNodeId("us-east-1"))).toBe(DIRECT_SOURCE_ROOTS["vpc-flow-logs"]);
  });

  test("1,000 accounts make a diagram no larger than 13 accounts with the same Regions and topologies", () => {
    const small = topologyMermaid(registryWith(organization(MAX_ACCOUNTS_DRAWN + 1)));
    const large = topologyMermaid(registryWith(organization(1000)));
    expect(mermaidProblems(large)).toEqual([]);
    expect(large.split("\n")).toHaveLength(small.split("\n").length);
    expect(large.length).toBeLessThan(small.length + 100);
    expect(large).toContain("1000 source accounts, 1666 stacks");
  });

  test("the diagram reads only the stacks of the accounts it draws one by one", () => {
    expect(stacksRead(registryWith())).toEqual([
      "log-archive",
      `log-source-${SOURCE}-eu-west-1`,
      `log-source-${SOURCE}-us-east-1`,
    ]);
    expect(stacksRead(registryWith(organization(1000)))).toEqual(["log-archive"]);
  });
});

describe("topology diagram: retired accounts, determinism, validity", () => {
  const withRetired = (active: number) =>
    registryWith((r) => {
      organization(active)(r);
      r.accounts.push({ id: "399999999999", name: "old-team", regions: ["eu-west-1"], retired: true });
    });

  test.each([1, MAX_ACCOUNTS_DRAWN + 1])(
    "a retired account is not drawn as a source (%i active accounts)",
    (active) => {
      const mermaid = topologyMermaid(withRetired(active));
      expect(mermaid).not.toMatch(/399999999999|old-team/);
      const chart = chartOf(withRetired(active));
      expect(label(chart, NODE.retired)).toBe("1 retired account: stacks synthesised empty");
      expect(label(chart, NODE.sources)).toMatch(new RegExp(`^${active} source accounts?,`));
    },
  );

  test("same registry, byte-identical diagram, whatever the order of its lists", () => {
    const edit = (reverse: boolean) => (r: RawRegistry) => {
      organization(MAX_ACCOUNTS_DRAWN)(r);
      const guardDuty = ["300000000001", "300000000002"];
      if (reverse) {
        r.accounts.reverse();
        r.accounts.forEach((a) => (a.regions as string[]).reverse());
        guardDuty.reverse();
      }
      r.sources = { guardDuty: { accounts: guardDuty } };
    };
    const once = topologyMermaid(registryWith(edit(false)));
    expect(topologyMermaid(registryWith(edit(false)))).toBe(once);
    expect(topologyMermaid(registryWith(edit(true)))).toBe(once);
  });

  test.each(corpusFiles())("the diagram of %s is valid Mermaid", (file) => {
    expect(mermaidProblems(topologyMermaid(loadRegistry(file)))).toEqual([]);
  });

  test("the diagram with every option on is valid Mermaid", () => {
    const registry = registryWith((r) => {
      r.archive = { replicaRegion: "eu-central-1" };
      r.keys = { accountId: KEY_ACCOUNT };
      r.accounts[0]!.delivery = "central";
      r.accounts[0]!.vpcFlowLogs = [{ region: "eu-west-1", vpcId: "vpc-0a1b2c3d" }];
      r.accounts.push({ id: "333333333333", name: "b", regions: ["eu-west-1"], retired: true });
      r.central = { kinesisStream: { enabled: true } };
      r.search = { enabled: true, domainArn: "arn:aws:es:eu-west-1:111111111111:domain/logs" };
      r.sources = {
        cloudTrail: { enabled: true, managementAccountId: MANAGEMENT, createTrail: false },
        config: { enabled: true },
        vpcFlowLogs: { enabled: true },
        agents: { enabled: true },
        guardDuty: { accounts: [SOURCE] },
        notifySiem: ["cloudtrail", "config", "vpc-flow-logs", "agents"],
      };
      r.guardrails = { enabled: true, targetIds: ["r-ab12"], breakGlassRoleName: "BreakGlass" };
      r.deployment = { managementAccount: { credentials: "assumeRole", roleName: "Deploy" } };
      r.monitoring = { alarms: { sources: "both" } };
    });
    const chart = chartOf(registry);
    expect(labels(chart)).toContain(`management ${MANAGEMENT}`);
    expect(chart.nodes.get(NODE.trail)?.parent).toBe(chart.nodes.get(NODE.guardrails)?.parent);
  });
});

describe("docs/topology.md", () => {
  test("is the diagram of the sample registry (run `npm run diagram -- --docs` when this fails)", () => {
    const registry = loadRegistry(SAMPLE_REGISTRY);
    const { stacks } = synthRegistry(registry);
    const mermaid = topologyMermaid(registry, stacks);
    expect(readFileSync("docs/topology.md", "utf8")).toContain(mermaid);
    // npm run diagram synthesises only these stacks: the diagram must not change without the others.
    const read = Object.fromEntries(stacksRead(registry).map((name) => [name, stacks[name]!]));
    expect(topologyMermaid(registry, read)).toBe(mermaid);
  });
});
