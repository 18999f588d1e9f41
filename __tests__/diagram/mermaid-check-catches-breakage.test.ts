/**
 * The Mermaid checker (support/mermaid-check.ts) is only a proof if it fails
 * when a diagram is broken. Each case breaks one thing in a valid diagram, as
 * a careless change to the writer would, and expects the checker to name it.
 */
import { topologyMermaid } from "../../modules/diagram/topology";
import { registryWith } from "../helpers/registry";
import { mermaidProblems, parseFlowchart } from "./support/mermaid-check";

const valid = topologyMermaid(
  registryWith((r) => {
    r.archive = { replicaRegion: "eu-central-1" };
  }),
);

/** `valid` with its first line matching `pattern` replaced by `edit(line)`, or removed when `edit` returns null. */
function breakLine(pattern: RegExp, edit: (line: string) => string | null): string {
  const lines = valid.split("\n");
  const index = lines.findIndex((line) => pattern.test(line));
  if (index < 0) throw new Error(`no line matches ${pattern}`);
  const edited = edit(lines[index]!);
  lines.splice(index, 1, ...(edited === null ? [] : [edited]));
  return lines.join("\n");
}

describe("the Mermaid checker", () => {
  test("GIVEN the writer's diagram WHEN checked THEN it passes and every node is read", () => {
    const chart = parseFlowchart(valid);
    expect(chart.problems).toEqual([]);
    expect(chart.nodes.get("bucket")).toEqual({ label: expect.any(String), parent: "archive", subgraph: false });
    expect(chart.edges).toContainEqual({ from: "bucket", to: "replica", arrow: "-->", label: "replication" });
  });

  test.each<[string, () => string, RegExp]>([
    ["fails a subgraph left open", () => breakLine(/^ {2}end$/, () => null), /never closed: archive/],
    ["fails an end without its subgraph", () => `${valid}end\n`, /end without a subgraph/],
    ["fails an id declared twice", () => breakLine(/replica\[/, (l) => `${l}\n${l}`), /replica is declared twice/],
    ["fails an id named end", () => breakLine(/replica\[/, (l) => l.replace("replica", "end")), /reads as the end/],
    ["fails an edge to an undeclared id", () => `${valid}  bucket --> nowhere\n`, /names nowhere, which nothing/],
    ["fails an unquoted label", () => breakLine(/replica\[/, (l) => l.replace(/"/g, "")), /not a node/],
    [
      "fails a quote inside a label",
      () => breakLine(/replica\[/, (l) => l.replace("replica,", 'rep"lica,')),
      /not a node/,
    ],
    ["fails an unquoted edge label", () => breakLine(/replication/, (l) => l.replace(/"/g, "")), /not a node/],
    ["fails a wrong header", () => valid.replace(/^flowchart LR/, "graph sideways"), /line 1: expected/],
  ])("%s", (_, broken, problem) => {
    expect(mermaidProblems(broken()).join("\n")).toMatch(problem);
  });
});
