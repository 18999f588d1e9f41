/**
 * A small writer of Mermaid flowcharts: the few node shapes, subgraphs and
 * edges the topology diagram needs, always written the same way, so that the
 * output is valid whatever the registry's names hold.
 *
 * Labels are always quoted: Mermaid reads `()[]{}|:,` and the like inside an
 * unquoted label or edge text as syntax.
 * @see https://mermaid.js.org/syntax/flowchart.html#special-characters-that-break-syntax
 */

/** Node shapes, by what they mean in the diagram. */
export const NODE_SHAPES = {
  /** A resource or a group of them. */
  box: ["[", "]"],
  /** Storage: a bucket, a domain. */
  cylinder: ["[(", ")]"],
  /** A queue or a stream. */
  subroutine: ["[[", "]]"],
  /** A function that decides. */
  hexagon: ["{{", "}}"],
  /** Someone outside the organization's stacks (the SIEM). */
  stadium: ["([", "])"],
  /** A service that writes straight to the archive. */
  parallelogram: ["[/", "/]"],
  /** A note: alarms, retired accounts. */
  flag: [">", "]"],
} as const;
export type NodeShape = keyof typeof NODE_SHAPES;

/** Edge styles: a path logs take, or a use or protection. */
export const EDGE_STYLES = { path: "-->", use: "-.->" } as const;
export type EdgeStyle = keyof typeof EDGE_STYLES;

/** Mermaid ids: letters, digits and `_`, starting with a letter. */
const ID = /^[A-Za-z][A-Za-z0-9_]*$/;

/** `"text"`: a double quote would end the label, so it becomes a single one. */
export function quoted(text: string): string {
  return `"${text.replace(/"/g, "'")}"`;
}

/** An id made of parts (account ids, Region names): anything but letters, digits and `_` becomes `_`. */
export function mermaidId(...parts: readonly string[]): string {
  return parts.join("_").replace(/[^A-Za-z0-9_]/g, "_");
}

export class Flowchart {
  private readonly lines: string[];
  private readonly edges: string[] = [];
  private readonly endpoints: string[] = [];
  private readonly ids = new Set<string>();
  private depth = 1;

  constructor(direction: "LR" | "TB" = "LR") {
    this.lines = [`flowchart ${direction}`];
  }

  /** Whether a node or subgraph `id` has been declared. */
  has(id: string): boolean {
    return this.ids.has(id);
  }

  node(id: string, text: string, shape: NodeShape = "box"): void {
    this.declare(id);
    const [open, close] = NODE_SHAPES[shape];
    this.line(`${id}${open}${quoted(text)}${close}`);
  }

  /** A subgraph holding what `body` declares; always closed, even when `body` throws. */
  subgraph(id: string, text: string, body: () => void): void {
    this.declare(id);
    this.line(`subgraph ${id}[${quoted(text)}]`);
    this.depth += 1;
    try {
      body();
    } finally {
      this.depth -= 1;
      this.line("end");
    }
  }

  /**
   * An edge. Edges are written after every node and subgraph, outside them:
   * an edge written inside a subgraph would pull a node declared elsewhere
   * into it.
   */
  edge(from: string, to: string, text?: string, style: EdgeStyle = "path"): void {
    const arrow = EDGE_STYLES[style];
    this.endpoints.push(from, to);
    this.edges.push(`  ${from} ${arrow}${text === undefined ? "" : `|${quoted(text)}|`} ${to}`);
  }

  /** The flowchart's text. @throws when an edge names an id that nothing declares */
  toString(): string {
    const undeclared = [...new Set(this.endpoints.filter((id) => !this.ids.has(id)))];
    if (undeclared.length > 0) throw new Error(`Flowchart: edges name undeclared ids: ${undeclared.join(", ")}`);
    return `${[...this.lines, ...this.edges].join("\n")}\n`;
  }

  private declare(id: string): void {
    // Mermaid reads a lowercase `end` as the end of a subgraph.
    if (!ID.test(id) || id === "end") throw new Error(`Flowchart: ${JSON.stringify(id)} is not a Mermaid id`);
    if (this.ids.has(id)) throw new Error(`Flowchart: ${id} is declared twice`);
    this.ids.add(id);
  }

  private line(text: string): void {
    this.lines.push(`${"  ".repeat(this.depth)}${text}`);
  }
}
