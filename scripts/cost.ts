/**
 * npm run cost: the monthly cost of the archive for several organization
 * sizes, every topology side by side, from cost/prices.json. Writes
 * docs/cost.md and docs/cost.svg and prints the totals.
 *
 *   npm run cost                                   10, 100 and 1,000 accounts x 3 Regions, 1 GB a day each
 *   npm run cost -- --accounts 50,500 --regions 2 --gb-per-day 0.2
 *   npm run cost -- --registry accounts/registry.yaml   the registry's accounts and archive settings
 */
import { readFileSync, writeFileSync } from "node:fs";
import { TOPOLOGIES, TOPOLOGY_NAMES, topologyCost, type PriceList, type Scenario } from "../modules/cost/model";
import { costMarkdown, costSvg } from "../modules/cost/report";
import { RegistryError } from "../modules/registry/errors";
import { loadRegistry } from "../modules/registry/load";

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

function fail(message: string): never {
  process.stderr.write(`cost: ${message}\n`);
  process.exit(2);
}

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!(value > 0)) fail(`--${name}: expected a positive number, got ${JSON.stringify(text)}`);
  return value;
}

const prices = JSON.parse(readFileSync("cost/prices.json", "utf8")) as PriceList;
const gbPerAccountRegionDay = positive("gb-per-day", option("gb-per-day"), 1);
let scenarios: Scenario[];
const registryFile = option("registry");
if (registryFile) {
  try {
    const registry = loadRegistry(registryFile);
    const streams = registry.accounts.reduce((n, a) => n + a.regions.length, 0);
    scenarios = [
      {
        accounts: registry.accounts.length,
        regionsPerAccount: streams / Math.max(1, registry.accounts.length),
        gbPerAccountRegionDay,
        retentionDays: registry.archive.retentionDays,
        transitions: registry.archive.transitions,
        replica: registry.archive.replicaRegion !== undefined,
        replicationTimeControl: registry.archive.replicationTimeControl,
        sourceMonitoring: registry.monitoring.alarms.enabled ? registry.monitoring.alarms.sources : "none",
        heartbeatMinutes: registry.monitoring.heartbeat.enabled ? registry.monitoring.heartbeat.intervalMinutes : 0,
        watchIntervalMinutes: registry.monitoring.alarms.watch.intervalMinutes,
        silenceMinutes: registry.monitoring.alarms.silenceMinutes,
        bufferingIntervalSeconds: registry.defaults.firehose.bufferingIntervalSeconds,
        bufferingSizeMiB: registry.defaults.firehose.bufferingSizeMiB,
        centralBufferingIntervalSeconds: registry.central.bufferingIntervalSeconds,
        smallObjectsStayInStandard: registry.archive.minimumObjectSizeRule === "all_storage_classes_128K",
      },
    ];
  } catch (error) {
    if (error instanceof RegistryError) fail(error.message);
    throw error;
  }
} else {
  const sizes = (option("accounts") ?? "10,100,1000").split(",").map((s) => positive("accounts", s, 0));
  const regionsPerAccount = positive("regions", option("regions"), 3);
  scenarios = sizes.map((accounts) => ({ accounts, regionsPerAccount, gbPerAccountRegionDay }));
}

const command = `npm run cost${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
writeFileSync("docs/cost.md", costMarkdown({ prices, scenarios, command }));
writeFileSync("docs/cost.svg", costSvg({ prices, scenarios, command }));
for (const scenario of scenarios) {
  process.stdout.write(`${scenario.accounts} accounts x ${scenario.regionsPerAccount} Regions:\n`);
  for (const topology of TOPOLOGIES) {
    const cost = topologyCost(prices, topology, scenario);
    process.stdout.write(
      `  ${TOPOLOGY_NAMES[topology].padEnd(60)} $${cost.total.toFixed(2)} a month, $${cost.fixedPerAccountRegion.toFixed(2)} fixed per account and Region\n`,
    );
  }
}
process.stdout.write("wrote docs/cost.md and docs/cost.svg\n");
