/**
 * policies.json, written beside each stack's cdk.tf.json: every policy
 * document of the stack, pretty-printed, for reviewers. cdk.tf.json holds
 * each policy as an escaped one-line JSON string, so a change of one statement
 * is a one-line diff of several kilobytes; in policies.json it is a few lines.
 * Terraform reads only the *.tf and *.tf.json files of a folder, so it never
 * reads this one.
 *
 * Pure: the documents are read from the Terraform JSON the stack writes
 * (never from the constructs), so the file holds exactly the policies of
 * cdk.tf.json, byte for byte the same on every run and in every process.
 */

/** Name of the file beside cdk.tf.json. */
export const POLICIES_FILE = "policies.json";

/** Address of a policy attribute (`aws_s3_bucket_policy.Name.policy`) -> the parsed document. */
export type StackPolicies = Readonly<Record<string, unknown>>;

/**
 * The document `value` holds, when it is an IAM-style policy: a JSON object
 * with a `Statement` key (IAM, bucket, key, queue, topic, domain, SCP and
 * RCP, resource and destination policies all are), or a CloudFormation
 * template with policies in it.
 */
function policyDocument(value: string): object | undefined {
  // Nearly every string of a stack is a name, an ARN or a reference: these
  // tests skip them without parsing, most at their first character (JSON
  // allows only space, tab, CR and LF before the object). A JSON key is
  // always written quoted.
  const first = value.charCodeAt(0);
  const opensObject = first === 0x7b || (first <= 0x20 && /^[ \t\r\n]*\{/.test(value));
  if (!opensObject || !value.includes('"Statement"')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    // Not JSON (a Terraform expression such as `${jsonencode(...)}` around it): not a literal document.
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  // A CloudFormation template that holds policies (a StackSet's
  // template_body) is kept whole: its policies read in their resources.
  const template = "AWSTemplateFormatVersion" in parsed && "Resources" in parsed;
  return "Statement" in parsed || template ? parsed : undefined;
}

/** `.key` for identifiers, `["key"]` for anything else, so that an address reads back unambiguously. */
function step(key: string | number): string {
  if (typeof key === "number") return `[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/**
 * Adds the documents under `value` to `found`. `path` is the keys from the
 * block to `value`: an address is only formatted for a document, since a
 * stack has thousands of values and a few dozen policies.
 */
function collect(value: unknown, block: string, path: (string | number)[], found: [string, object][]): void {
  if (typeof value === "string") {
    const document = policyDocument(value);
    if (document !== undefined) found.push([block + path.map(step).join(""), document]);
  } else if (typeof value === "object" && value !== null) {
    const keys: readonly (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
    for (const key of keys) {
      path.push(key);
      collect((value as Record<string | number, unknown>)[key], block, path, found);
      path.pop();
    }
  }
}

function entriesOf(block: unknown): [string, unknown][] {
  return typeof block === "object" && block !== null && !Array.isArray(block) ? Object.entries(block) : [];
}

/** Adds the documents of one resource, data source or output to `found`, skipping cdktf's `//` metadata. */
function collectBlock(block: string, body: unknown, found: [string, object][]): void {
  for (const [key, value] of entriesOf(body)) if (key !== "//") collect(value, block, [key], found);
}

/**
 * Every policy document of a stack's Terraform JSON (cdk.tf.json, parsed),
 * found at any depth of its resources (`<type>.<name>.<attribute>`), data
 * sources (`data.<type>.<name>.<attribute>`), outputs (`output.<name>.value`)
 * and local values (`local.<name>`), nested blocks as `block[0].attribute`,
 * sorted by address. A document keeps its own key and statement order (the
 * order the code writes it in), and its strings stay as cdk.tf.json has them:
 * references as `${aws_kms_key.Key.arn}`, IAM policy variables escaped as
 * `$${aws:PrincipalAccount}`.
 */
export function stackPolicies(terraform: unknown): StackPolicies {
  const found: [string, object][] = [];
  const tf = Object.fromEntries(entriesOf(terraform));
  for (const [type, byName] of entriesOf(tf.resource)) {
    for (const [name, body] of entriesOf(byName)) collectBlock(`${type}.${name}`, body, found);
  }
  for (const [type, byName] of entriesOf(tf.data)) {
    for (const [name, body] of entriesOf(byName)) collectBlock(`data.${type}.${name}`, body, found);
  }
  for (const [name, body] of entriesOf(tf.output)) collectBlock(`output.${name}`, body, found);
  for (const [name, value] of entriesOf(tf.locals)) collect(value, `local.${name}`, [], found);
  // Code-unit order, not localeCompare: the same on every machine.
  found.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(found);
}

/**
 * The text of policies.json: two-space indentation, one value per line, a
 * final newline; `{}` for a stack without policies, so that every stack
 * folder has the file.
 */
export function renderPolicies(policies: StackPolicies): string {
  return `${JSON.stringify(policies, undefined, 2)}\n`;
}
