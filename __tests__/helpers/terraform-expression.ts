/**
 * Evaluates the few Terraform expressions the stacks compute at plan time
 * (the Athena account list), so that tests check the synthesised expression
 * itself rather than a TypeScript copy of it: string and list literals,
 * references resolved by the caller, and the functions `join`, `sort`,
 * `distinct`, `concat`, `replace` (plain substring) and `regexall` (a pattern
 * without capture groups: the list of matches).
 * @see https://developer.hashicorp.com/terraform/language/functions
 */
type Value = string | Value[];

const FUNCTIONS: Record<string, (...args: Value[]) => Value> = {
  join: (separator, list) => (list as string[]).join(separator as string),
  sort: (list) => [...(list as string[])].sort(),
  distinct: (list) => [...new Set(list as string[])],
  concat: (...lists) => (lists as Value[][]).flat(),
  replace: (text, search, replacement) => (text as string).split(search as string).join(replacement as string),
  regexall: (pattern, text) => (text as string).match(new RegExp(pattern as string, "g")) ?? [],
};

/** The value of `${...}` given the values of the references it names. */
export function evaluate(interpolation: string, references: (name: string) => Value): Value {
  const body = /^\$\{([\s\S]*)\}$/.exec(interpolation)?.[1];
  if (body === undefined) throw new Error(`not an interpolation: ${interpolation}`);
  let at = 0;
  const space = () => {
    while (/\s/.test(body[at] ?? "")) at++;
  };
  const expect = (c: string) => {
    space();
    if (body[at] !== c) throw new Error(`expected ${c} at ${at} in ${body}`);
    at++;
  };
  const value = (): Value => {
    space();
    if (body[at] === '"') {
      const end = body.indexOf('"', at + 1);
      const text = JSON.parse(body.slice(at, end + 1)) as string;
      at = end + 1;
      return text;
    }
    if (body[at] === "[") {
      at++;
      const items: Value[] = [];
      space();
      while (body[at] !== "]") {
        items.push(value());
        space();
        if (body[at] === ",") at++;
        space();
      }
      at++;
      return items;
    }
    const name = /^[A-Za-z0-9_.-]+/.exec(body.slice(at))?.[0];
    if (!name) throw new Error(`unexpected ${body.slice(at, at + 20)} in ${body}`);
    at += name.length;
    space();
    if (body[at] !== "(") return references(name);
    at++;
    const args: Value[] = [];
    space();
    while (body[at] !== ")") {
      args.push(value());
      space();
      if (body[at] === ",") at++;
      space();
    }
    expect(")");
    const fn = FUNCTIONS[name];
    if (!fn) throw new Error(`function ${name} is not evaluated here`);
    return fn(...args);
  };
  const result = value();
  space();
  if (at !== body.length) throw new Error(`trailing ${body.slice(at)} in ${body}`);
  return result;
}
