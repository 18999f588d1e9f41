/**
 * IAM policy documents as typed data. Builders return statements; a document
 * is serialised once, by `toPolicyJson`, which also escapes IAM policy
 * variables for Terraform.
 */

export type Principal =
  | "*"
  | { readonly AWS: string | readonly string[] }
  | { readonly Service: string | readonly string[] }
  /** An IAM OIDC or SAML provider (web identity federation). */
  | { readonly Federated: string };

/** Condition block: operator -> condition key -> value(s). */
export type Conditions = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

export interface Statement {
  /** Statement id: what the statement is for, in PascalCase. */
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Principal;
  readonly NotPrincipal?: Principal;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Conditions;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Statement[];
}

export function policyDocument(
  ...statements: readonly (Statement | readonly Statement[] | undefined | false)[]
): PolicyDocument {
  const flat = statements.flatMap((s) => (s ? (Array.isArray(s) ? s : [s as Statement]) : []));
  const sids = new Set<string>();
  for (const statement of flat) {
    if (sids.has(statement.Sid)) throw new Error(`duplicate statement id ${statement.Sid}`);
    sids.add(statement.Sid);
  }
  return { Version: "2012-10-17", Statement: flat };
}

/**
 * Serialise for a Terraform string argument. Terraform reads `${...}` in any
 * string of cdk.tf.json as an interpolation, so IAM policy variables such as
 * `${aws:PrincipalAccount}` are escaped to `$${aws:PrincipalAccount}`.
 * cdktf tokens (`${TfToken[...]}`) are left alone: cdktf resolves them into
 * references at synthesis.
 */
export function toPolicyJson(document: PolicyDocument): string {
  return escapeIamVariables(JSON.stringify(document));
}

export function escapeIamVariables(json: string): string {
  // A replacement function, because "$$" in a replacement string means "$".
  return json.replace(/\$\{(?!TfToken\[)/g, () => "$${");
}
