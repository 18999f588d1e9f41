/**
 * The cost report: where its figures come from, numbers people can read
 * (issue 20, item 6.4), and what it leaves out said out loud.
 */
import { organizationFromRegistry, scenarioFromRegistry } from "../../modules/cost/from-registry";
import { PRICE_IDS, type PriceId, type PriceList } from "../../modules/cost/model";
import { costMarkdown, costSvg, type CostReportInput } from "../../modules/cost/report";
import { parseRegistry } from "../../modules/registry/parse";

function prices(set: Partial<Record<PriceId, number | null>>): PriceList {
  const price = (usd: number | null) => ({ usd, unit: "", source: "https://example.com", quote: "", confirmed: true });
  return {
    region: "us-east-1",
    retrieved: "2026-11-30",
    prices: Object.fromEntries(PRICE_IDS.map((id) => [id, price(set[id] === undefined ? 0.0123456 : set[id]!)])),
    interRegion: { retrieved: "2026-11-30", outPerGB: { "us-east-1": price(0.02), "eu-west-1": price(0.02) } },
  };
}

/** Two accounts, one in one Region and one in two: 1.5 Regions per account on average. */
const REGISTRY = parseRegistry(
  `
organization: { id: o-a1b2c3d4e5 }
logArchive: { accountId: "111111111111", region: eu-west-1 }
accounts:
  - { id: "222222222222", name: one, regions: [eu-west-1] }
  - { id: "333333333333", name: two, regions: [eu-west-1, us-east-1], alarms: both }
`,
  "acme.yaml",
);

function input(over: Partial<CostReportInput> = {}, list = prices({})): CostReportInput {
  return {
    prices: list,
    registry: { file: "acme.yaml", sample: false, organization: organizationFromRegistry(REGISTRY, 0.7) },
    gbPerDay: 0.7,
    scenarios: [10, 1000].map((accounts) =>
      scenarioFromRegistry(REGISTRY, { accounts, regions: ["eu-west-1", "us-east-1"], gbPerDay: 0.7 }),
    ),
    command: "npm run cost",
    ...over,
  };
}

describe("costMarkdown", () => {
  const report = costMarkdown(input());

  test("counts are whole: 2 accounts in 3 account-Regions, never an average of Regions", () => {
    expect(report).toContain("2 accounts in 3 account-Regions (1 outside the archive's Region, eu-west-1)");
    expect(report).toContain(
      "## Topologies compared: 10 accounts x 2 Regions (eu-west-1, us-east-1), 0.7 GB a day each",
    );
    expect(report).toContain("## Topologies compared: 1,000 accounts x 2 Regions");
    expect(report).not.toMatch(/1\.5 Regions/);
  });

  test("money has cents: no dollar amount carries more than two decimals outside the per-GB rates", () => {
    const amounts = report
      .split("\n")
      .filter((line) => !line.startsWith("| us-east-1 | eu-west-1 |"))
      .flatMap((line) => line.match(/\$[\d,]+(\.\d+)?/g) ?? []);
    expect(amounts.length).toBeGreaterThan(100);
    for (const amount of amounts) expect(amount).toMatch(/^\$(0|[\d,]+\.\d\d)$/);
  });

  test("no number carries the float's full precision", () => {
    expect(report).not.toMatch(/\d\.\d{5,}/);
  });

  test("every account is listed with its Regions, delivery and monitoring", () => {
    expect(report).toContain("| one (222222222222) | eu-west-1 | own Firehose | delivery watch |");
    expect(report).toContain(
      "| two (333333333333) | eu-west-1, us-east-1 | own Firehose | delivery watch and own alarms |",
    );
  });

  test("the traffic between Regions is shown with its volume, rate and payer", () => {
    // 0.7 GB a day, gzip to 0.15, 30 days: 3.15 GB of objects a month.
    expect(report).toContain("| us-east-1 | eu-west-1 | 3.2 | $0.02 | $0.06 | each source account |");
  });

  test("the header names the registry the figures come from", () => {
    expect(report).toContain("**Every figure below comes from the registry `acme.yaml`**");
    const sample = costMarkdown(
      input({ registry: { ...input().registry, file: "accounts/registry.yaml", sample: true } }),
    );
    expect(sample).toContain(
      "**Every figure below comes from the sample registry `accounts/registry.yaml` that this repository ships, not from your organization**",
    );
    expect(sample).toContain("To price your own organization: `REGISTRY_FILE=<your registry> npm run -s cost");
  });

  test("what cannot be priced is named, and shown as not included rather than $0", () => {
    const list = prices({ "firehose.cloudwatchLogsDecompressionPerGB": null });
    const withGap = costMarkdown(input({}, { ...list, interRegion: { retrieved: "2026-11-30", outPerGB: {} } }));
    expect(withGap).toContain(
      "Not included, because AWS's number could not be read here: `firehose.cloudwatchLogsDecompressionPerGB`, inter-Region transfer out of us-east-1.",
    );
    expect(withGap).toMatch(/\| Firehose decompression \| not included \|/);
    expect(withGap).toContain("| us-east-1 | eu-west-1 | 3.2 | unknown | not included |");
  });

  test("the settings the model does not price are listed", () => {
    expect(report).toContain("## What the model leaves out");
    expect(report).toContain("`firehose.messageExtraction`");
  });
});

describe("costSvg", () => {
  test("one bar per topology and size, labelled in whole dollars with cents in the tooltip", () => {
    const svg = costSvg(input());
    expect(svg.match(/<rect x=/g)).toHaveLength(2 * 5 + 5);
    expect(svg).toMatch(/<title>per account \(this project's default\): \$[\d,]+\.\d\d<\/title>/);
    expect(svg).not.toMatch(/\d\.\d{5,}/);
  });
});
