/**
 * An independent reading of a stack's cdk.tf.json, to cross-check
 * policies.json: every string anywhere in the file, and the value an address
 * of policies.json names.
 */

/** Every string value of `value`, at any depth (keys are not values). */
export function allStrings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value !== "object" || value === null) return [];
  return Object.values(value).flatMap(allStrings);
}

/**
 * Whether `text` is a policy document: JSON of an object with a Statement
 * key, or a CloudFormation template that holds policies (kept whole).
 */
export function isPolicy(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return false;
    return "Statement" in parsed || ("AWSTemplateFormatVersion" in parsed && text.includes('"Statement"'));
  } catch {
    return false;
  }
}

/** Every string of a stack that is a policy document, wherever it is in the file. */
export function policyStrings(terraform: unknown): string[] {
  return allStrings(terraform).filter(isPolicy);
}

/**
 * The string a policies.json address names in a stack's Terraform JSON:
 * `<type>.<name>.<attr>` under resource, `data.<type>.<name>.<attr>`,
 * `output.<name>.<attr>`, `local.<name>`, with `[0]` for a list item and `["a.b"]` for a key
 * that is not an identifier.
 * @throws when the address names nothing, or something other than a string
 */
export function resolveAddress(terraform: unknown, address: string): string {
  const steps = [...address.matchAll(/(?:^|\.)([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy)];
  if (steps.map((m) => m[0]).join("") !== address) throw new Error(`unparsable address ${address}`);
  const keys: (string | number)[] = steps.map((m) =>
    m[1] !== undefined ? m[1] : m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]!) as string),
  );
  const path =
    keys[0] === "data" || keys[0] === "output"
      ? keys
      : keys[0] === "local"
        ? ["locals", ...keys.slice(1)]
        : ["resource", ...keys];
  let value: unknown = terraform;
  for (const key of path) value = (value as Record<string | number, unknown> | undefined)?.[key];
  if (typeof value !== "string") throw new Error(`${address} names no string`);
  return value;
}
