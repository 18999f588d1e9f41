import { readFileSync } from "node:fs";
import { loadRegistry } from "../../modules/registry/load";
import { MAX_ACCOUNTS_DRAWN, topologyMermaid } from "../../modules/diagram/topology";
import { registryWith } from "../helpers/registry";
import { synthRegistry } from "../helpers/synth";

describe("topology diagram", () => {
  test("shows the archive, the SIEM path and each account's Regions with what their stacks hold", () => {
    const registry = registryWith((r) => {
      r.archive = { replicaRegion: "eu-central-1" };
      r.monitoring = { alarms: { sources: "both" } };
    });
    const mermaid = topologyMermaid(registry, synthRegistry(registry).stacks);
    expect(mermaid).toMatch(/^flowchart LR\n/);
    expect(mermaid).toContain('replica[("replica, eu-central-1")]');
    expect(mermaid).toContain('siem(["SIEM"]) -->|reader role, ExternalId| queue');
    expect(mermaid).toContain('a0_us_east_1["us-east-1: Firehose, all log groups, heartbeat, 4 alarms"]');
    expect(mermaid).toContain('watch{{"delivery watch: names silent or failing sources"}}');
    // 3 of the archive (SIEM queue, dead letters, replication) and 2 watching the watch.
    expect(mermaid).toContain('archiveAlarms>"5 archive alarms"]');
  });

  test("keys in a key-management account and search delivery appear when the registry asks for them", () => {
    const registry = registryWith((r) => {
      r.keys = { accountId: "444444444444" };
      r.accounts[0].delivery = "central";
      r.central = { kinesisStream: { enabled: true } };
      r.search = { enabled: true, domainArn: "arn:aws:es:eu-west-1:111111111111:domain/logs" };
    });
    const mermaid = topologyMermaid(registry, synthRegistry(registry).stacks);
    expect(mermaid).toContain('subgraph keyAccount["log-keys 444444444444"]');
    expect(mermaid).toContain('keys["2 keys: archive, SIEM queue"]');
    expect(mermaid).toContain('search[("OpenSearch domain (search delivery)")]');
  });

  test("the default watches sources from the archive: no alarm in the sources", () => {
    const registry = registryWith(() => undefined);
    const mermaid = topologyMermaid(registry, synthRegistry(registry).stacks);
    expect(mermaid).toContain('a0_us_east_1["us-east-1: Firehose, all log groups, heartbeat"]');
    expect(mermaid).toContain("bucket -.->|object events| watch");
  });

  test("reflects what the registry switched off", () => {
    const registry = registryWith(
      (r) => (r.monitoring = { heartbeat: { enabled: false }, alarms: { enabled: false }, athena: { enabled: false } }),
    );
    const mermaid = topologyMermaid(registry, synthRegistry(registry).stacks);
    expect(mermaid).toContain('a0_eu_west_1["eu-west-1: Firehose, all log groups"]');
    expect(mermaid).not.toMatch(/heartbeat|alarms|Athena/);
  });

  test("summarises large organizations after the first accounts", () => {
    const registry = registryWith((r) => {
      r.accounts = Array.from({ length: MAX_ACCOUNTS_DRAWN + 5 }, (_, i) => ({
        id: String(300000000000 + i),
        name: `w${i}`,
        regions: ["eu-west-1", "us-east-1"],
      }));
    });
    const mermaid = topologyMermaid(registry, {});
    expect(mermaid).toContain('more["... 5 more accounts, 10 stacks"]');
    expect(mermaid.match(/^ {2}subgraph a\d+/gm)).toHaveLength(MAX_ACCOUNTS_DRAWN);
  });

  test("docs/topology.md is the diagram of the sample registry (run `npm run diagram` when this fails)", () => {
    const registry = loadRegistry("accounts/registry.yaml");
    expect(readFileSync("docs/topology.md", "utf8")).toContain(
      topologyMermaid(registry, synthRegistry(registry).stacks),
    );
  });
});
