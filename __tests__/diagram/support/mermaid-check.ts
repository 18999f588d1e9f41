/**
 * A checker of the Mermaid flowcharts the topology diagram writes, without a
 * Mermaid library: it reads the text line by line, independently of the
 * writer (modules/diagram/mermaid.ts), and names every line Mermaid could
 * misread. What it proves: the header, subgraphs opened and closed in
 * balance, node and subgraph ids declared once (never `end`, which closes a
 * subgraph), labels quoted with no quote inside, and every edge between
 * declared ids. It accepts only the forms the writer uses; anything else is
 * a problem, so a new form has to be added here first.
 * @see https://mermaid.js.org/syntax/flowchart.html
 */

export interface ChartNode {
  readonly label: string;
  /** The subgraph it is declared in; undefined at the top level. */
  readonly parent?: string;
  readonly subgraph: boolean;
}

export interface ChartEdge {
  readonly from: string;
  readonly to: string;
  readonly arrow: string;
  readonly label?: string;
}

export interface ParsedFlowchart {
  readonly nodes: ReadonlyMap<string, ChartNode>;
  readonly edges: readonly ChartEdge[];
  /** Every problem, as `line <n>: <what>`; empty for a valid chart. */
  readonly problems: readonly string[];
}

const ID = "[A-Za-z][A-Za-z0-9_]*";
const LABEL = '"([^"]*)"';
/** Opening and closing delimiters of the node shapes Mermaid knows and the writer uses. */
const SHAPES: readonly (readonly [string, string])[] = [
  ["[(", ")]"],
  ["[[", "]]"],
  ["[/", "/]"],
  ["([", "])"],
  ["{{", "}}"],
  [">", "]"],
  ["[", "]"],
];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const NODE_LINES = SHAPES.map(([open, close]) => new RegExp(`^(${ID})${escape(open)}${LABEL}${escape(close)}$`));
const SUBGRAPH = new RegExp(`^subgraph (${ID})\\[${LABEL}\\]$`);
const EDGE = new RegExp(`^(${ID}) (-->|-\\.->)(?:\\|${LABEL}\\|)? (${ID})$`);
const HEADER = /^flowchart (LR|RL|TB|TD|BT)$/;

export function parseFlowchart(text: string): ParsedFlowchart {
  const problems: string[] = [];
  const nodes = new Map<string, ChartNode>();
  const edges: (ChartEdge & { line: number })[] = [];
  const open: string[] = [];
  if (!text.endsWith("\n")) problems.push("the text does not end with a newline");
  const lines = text.replace(/\n$/, "").split("\n");
  if (!HEADER.test(lines[0] ?? "")) problems.push(`line 1: expected "flowchart <direction>", got ${lines[0]}`);

  const declare = (id: string, node: ChartNode, line: number) => {
    if (id.toLowerCase() === "end") problems.push(`line ${line}: the id ${id} reads as the end of a subgraph`);
    if (nodes.has(id)) problems.push(`line ${line}: ${id} is declared twice`);
    nodes.set(id, node);
  };

  lines.slice(1).forEach((raw, index) => {
    const line = index + 2;
    const text = raw.trim();
    const parent = open[open.length - 1];
    const subgraph = SUBGRAPH.exec(text);
    if (subgraph) {
      declare(subgraph[1]!, { label: subgraph[2]!, parent, subgraph: true }, line);
      open.push(subgraph[1]!);
      return;
    }
    if (text === "end") {
      if (open.pop() === undefined) problems.push(`line ${line}: end without a subgraph`);
      return;
    }
    const edge = EDGE.exec(text);
    if (edge) {
      edges.push({ from: edge[1]!, arrow: edge[2]!, label: edge[3], to: edge[4]!, line });
      return;
    }
    for (const pattern of NODE_LINES) {
      const node = pattern.exec(text);
      if (node) {
        declare(node[1]!, { label: node[2]!, parent, subgraph: false }, line);
        return;
      }
    }
    problems.push(`line ${line}: not a node, subgraph, end or edge Mermaid reads as meant: ${text}`);
  });
  if (open.length > 0) problems.push(`end of text: ${open.length} subgraph(s) never closed: ${open.join(", ")}`);
  for (const edge of edges) {
    for (const id of [edge.from, edge.to]) {
      if (!nodes.has(id)) problems.push(`line ${edge.line}: the edge names ${id}, which nothing declares`);
    }
  }
  return { nodes, edges: edges.map(({ from, to, arrow, label }) => ({ from, to, arrow, label })), problems };
}

/** Every problem of a flowchart's text; empty when it is valid as far as this checker can tell. */
export function mermaidProblems(text: string): readonly string[] {
  return parseFlowchart(text).problems;
}

/**
 * The labels of the `-->` edges along the first path (breadth first) from
 * `from` to `to`; undefined when there is none.
 */
export function pathLabels(chart: ParsedFlowchart, from: string, to: string): string[] | undefined {
  const queue: { id: string; labels: string[] }[] = [{ id: from, labels: [] }];
  const seen = new Set([from]);
  while (queue.length > 0) {
    const { id, labels } = queue.shift()!;
    if (id === to) return labels;
    for (const edge of chart.edges) {
      if (edge.from !== id || edge.arrow !== "-->" || seen.has(edge.to)) continue;
      seen.add(edge.to);
      queue.push({ id: edge.to, labels: [...labels, edge.label ?? ""] });
    }
  }
  return undefined;
}
