/**
 * A CloudWatch Logs Insights interpreter for the commands the delivery
 * watch's queries use, over log events holding JSON (as the EventBridge
 * target writes each event into the log group): `fields @timestamp`,
 * `fields <expression> as <name>` with numbers, fields, `+`, `-`, `least` and
 * `greatest`, `filter` on equalities joined by `and`, `parse <field>
 * /<regex>/` with named groups, and `stats min(@timestamp), max(@timestamp),
 * count(*)[, max(<field>)] ... by ...`. Anything else throws, so that a
 * changed query is not silently mis-run.
 *
 * - JSON fields are discovered and flattened with dots (`detail.object.key`).
 * - `parse` with a regular expression extracts its named groups; an event the
 *   expression does not match gets none of them.
 * - Timestamps come back as `yyyy-MM-dd HH:mm:ss.SSS` in UTC.
 * - A `by` field an event lacks throws: what Logs Insights does then is not
 *   something the queries may rely on; so does an expression over a field an
 *   event lacks or that is not a number.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_AnalyzeLogData-discoverable-fields.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Parse.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Stats.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-operations-functions.html
 */
import type { ResultRow } from "../../modules/monitoring/delivery-watch/evaluate";

/** A log event: its timestamp (epoch ms) and its message, a JSON document. */
export interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
}

function flatten(value: unknown, prefix: string, out: Record<string, string>): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix === "" ? k : `${prefix}.${k}`, out);
  } else if (value !== null && value !== undefined) {
    out[prefix] = typeof value === "string" ? value : JSON.stringify(value);
  }
}

const stamp = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

/** Evaluates `<term> ((+|-) <term>)*`, a term being a whole number, a field, or least(...)/greatest(...) of expressions. */
function evaluate(expression: string, fields: Readonly<Record<string, string>>): number {
  const tokens = expression.match(/[A-Za-z_@][\w.@]*|\d+|[(),+-]|\S/g) ?? [];
  let at = 0;
  const fail = (why: string): never => {
    throw new Error(`logs insights: expression ${JSON.stringify(expression)} is not modelled (${why})`);
  };
  const take = (expected?: string): string => {
    const token = tokens[at++] ?? fail("it ends early");
    if (expected !== undefined && token !== expected) fail(`expected ${expected}, got ${token}`);
    return token;
  };
  const term = (): number => {
    const token = take();
    if (/^\d+$/.test(token)) return Number(token);
    if (token === "least" || token === "greatest") {
      take("(");
      const args = [sum()];
      while (tokens[at] === ",") {
        take(",");
        args.push(sum());
      }
      take(")");
      return token === "least" ? Math.min(...args) : Math.max(...args);
    }
    if (!/^[A-Za-z_@][\w.@]*$/.test(token) || tokens[at] === "(") fail(`${token}`);
    const value = fields[token];
    if (value === undefined || value.trim() === "" || Number.isNaN(Number(value))) fail(`${token} is not a number`);
    return Number(value);
  };
  const sum = (): number => {
    let value = term();
    while (tokens[at] === "+" || tokens[at] === "-") value = take() === "+" ? value + term() : value - term();
    return value;
  };
  const value = sum();
  if (at !== tokens.length) fail(`${tokens[at]} is left over`);
  return value;
}

export function runQuery(query: string, events: readonly LogEvent[]): ResultRow[] {
  let rows = events.map((e) => {
    const fields: Record<string, string> = {};
    flatten(JSON.parse(e.message), "", fields);
    return { timestamp: e.timestamp, fields };
  });
  let results: ResultRow[] | undefined;
  for (const raw of query.split("\n")) {
    const command = raw.replace(/^\|\s*/, "").trim();
    if (results) throw new Error(`logs insights: nothing is modelled after stats (${command})`);
    if (/^fields @timestamp$/.test(command)) continue;
    const computed = /^fields (.+) as (\w+)$/.exec(command);
    if (computed) {
      rows = rows.map((r) => ({
        ...r,
        fields: { ...r.fields, [computed[2]!]: String(evaluate(computed[1]!, r.fields)) },
      }));
      continue;
    }
    const filter = /^filter (.+)$/.exec(command);
    if (filter) {
      const terms = filter[1]!.split(" and ").map((term) => {
        const eq = /^([\w.@]+) = "([^"]*)"$/.exec(term.trim());
        if (!eq) throw new Error(`logs insights: filter term ${JSON.stringify(term)} is not modelled`);
        return [eq[1]!, eq[2]!] as const;
      });
      rows = rows.filter((r) => terms.every(([field, value]) => r.fields[field] === value));
      continue;
    }
    const parse = /^parse ([\w.]+) \/(.+)\/$/.exec(command);
    if (parse) {
      const pattern = new RegExp(parse[2]!);
      rows = rows.map((r) => {
        const groups = pattern.exec(r.fields[parse[1]!] ?? "")?.groups ?? {};
        return { ...r, fields: { ...r.fields, ...groups } };
      });
      continue;
    }
    const stats =
      /^stats min\(@timestamp\) as first, max\(@timestamp\) as last, count\(\*\) as objects(?:, max\(([\w.]+)\) as (\w+))? by (.+)$/.exec(
        command,
      );
    if (stats) {
      const [, maxField, maxName, byList] = stats;
      const by = byList!.split(",").map((f) => f.trim());
      const groups = new Map<
        string,
        { values: string[]; first: number; last: number; objects: number; largest: number }
      >();
      for (const r of rows) {
        const values = by.map((f) => {
          const v = r.fields[f];
          if (v === undefined) throw new Error(`logs insights: an event has no ${f} to group by`);
          return v;
        });
        const key = JSON.stringify(values);
        const g = groups.get(key) ?? { values, first: r.timestamp, last: r.timestamp, objects: 0, largest: -Infinity };
        g.first = Math.min(g.first, r.timestamp);
        g.last = Math.max(g.last, r.timestamp);
        g.objects += 1;
        if (maxField !== undefined) g.largest = Math.max(g.largest, evaluate(maxField, r.fields));
        groups.set(key, g);
      }
      results = [...groups.values()].map((g) => [
        ...by.map((field, i) => ({ field, value: g.values[i]! })),
        { field: "first", value: stamp(g.first) },
        { field: "last", value: stamp(g.last) },
        { field: "objects", value: String(g.objects) },
        ...(maxName !== undefined ? [{ field: maxName, value: String(g.largest) }] : []),
      ]);
      continue;
    }
    throw new Error(`logs insights: command ${JSON.stringify(command)} is not modelled`);
  }
  if (!results) throw new Error("logs insights: the query has no stats");
  return results;
}
