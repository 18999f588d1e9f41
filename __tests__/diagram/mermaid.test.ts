import { Flowchart, mermaidId, quoted } from "../../modules/diagram/mermaid";
import { parseFlowchart } from "./support/mermaid-check";

describe("Flowchart", () => {
  test("GIVEN nodes, a subgraph and edges WHEN written THEN edges follow every declaration, at the top level", () => {
    const chart = new Flowchart();
    chart.subgraph("archive", "log-archive", () => chart.node("bucket", "archive bucket", "cylinder"));
    chart.edge("trail", "bucket", "cloudtrail/");
    chart.node("trail", "organization trail");
    expect(chart.toString()).toBe(
      [
        "flowchart LR",
        '  subgraph archive["log-archive"]',
        '    bucket[("archive bucket")]',
        "  end",
        '  trail["organization trail"]',
        '  trail -->|"cloudtrail/"| bucket',
        "",
      ].join("\n"),
    );
    expect(parseFlowchart(chart.toString()).problems).toEqual([]);
  });

  test("a double quote in a label becomes a single one: it would end the label", () => {
    expect(quoted('say "hi"')).toBe(`"say 'hi'"`);
  });

  test("ids are made of letters, digits and _", () => {
    expect(mermaidId("a222222222222", "eu-west-1")).toBe("a222222222222_eu_west_1");
  });

  test.each([
    ["fails an id declared twice", (c: Flowchart) => c.node("bucket", "again"), /bucket is declared twice/],
    ["fails the id end", (c: Flowchart) => c.node("end", "x"), /"end" is not a Mermaid id/],
    ["fails an id with a dash", (c: Flowchart) => c.node("eu-west-1", "x"), /"eu-west-1" is not a Mermaid id/],
  ])("%s", (_, declare, message) => {
    const chart = new Flowchart();
    chart.node("bucket", "archive bucket");
    expect(() => declare(chart)).toThrow(message);
  });

  test("fails an edge to an id nothing declares, when written", () => {
    const chart = new Flowchart();
    chart.node("bucket", "archive bucket");
    chart.edge("nowhere", "bucket");
    expect(() => chart.toString()).toThrow("edges name undeclared ids: nowhere");
  });

  test("a subgraph is closed even when what it draws throws", () => {
    const chart = new Flowchart();
    expect(() =>
      chart.subgraph("sources", "sources", () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(chart.toString()).toBe('flowchart LR\n  subgraph sources["sources"]\n  end\n');
  });
});
