/**
 * Reading a synthesised stack the way Terraform and AWS will see it: resources
 * by type, references between them, the Region and account each lands in, and
 * attribute values with Terraform's `$${` escape undone.
 */
import type { TfJson } from "../../helpers/synth";

export interface Res {
  readonly type: string;
  readonly name: string;
  /** `<type>.<name>`, as in a plan. */
  readonly address: string;
  readonly config: any;
}

export function all(stack: TfJson, type: string): Res[] {
  return Object.entries(stack.resource?.[type] ?? {}).map(([name, config]) => ({
    type,
    name,
    address: `${type}.${name}`,
    config,
  }));
}

/** The default AWS provider block of the stack (the only one this app configures). */
export function provider(stack: TfJson): any {
  return stack.provider?.aws?.[0] ?? {};
}

export function stackRegion(stack: TfJson): string | undefined {
  return provider(stack).region;
}

/** The account the stack deploys into: allowed_account_ids, else the assumed role's account. */
export function stackAccount(stack: TfJson): string | undefined {
  const p = provider(stack);
  if (p.allowed_account_ids?.[0]) return p.allowed_account_ids[0];
  const role: string | undefined = first(p.assume_role)?.role_arn;
  return role?.split(":")[4] || undefined;
}

/** A resource's Region: its own `region` argument (provider 6.x), else the provider's. */
export function regionOf(stack: TfJson, config: any): string | undefined {
  return typeof config?.region === "string" ? config.region : stackRegion(stack);
}

/** Nested blocks appear in cdk.tf.json as an object or as a list of objects. */
export function blocks(value: unknown): any[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function first(value: unknown): any {
  return blocks(value)[0];
}

const REF = /^\$\{([A-Za-z0-9_]+)\.([^.}]+)\.([A-Za-z0-9_]+)\}$/;

/** `${type.name.attr}` as a whole value, parsed; undefined for literals and expressions. */
export function parseRef(value: unknown): { type: string; name: string; attr: string } | undefined {
  if (typeof value !== "string") return undefined;
  const m = REF.exec(value);
  return m ? { type: m[1]!, name: m[2]!, attr: m[3]! } : undefined;
}

/** The resource a whole-value reference points at. */
export function refTo(stack: TfJson, value: unknown): Res | undefined {
  const ref = parseRef(value);
  if (!ref) return undefined;
  const config = stack.resource?.[ref.type]?.[ref.name];
  return config === undefined
    ? undefined
    : { type: ref.type, name: ref.name, address: `${ref.type}.${ref.name}`, config };
}

/** True when a value still contains an unresolved Terraform interpolation (not the `$${` escape). */
export function unresolved(value: unknown): boolean {
  return typeof value === "string" && /(?<!\$)\$\{/.test(value);
}

/** The literal value Terraform sends: `$${x}` in cdk.tf.json is `${x}` at apply time. */
export function literal(value: string): string {
  return value.replace(/\$\$\{/g, "${");
}

/** The bucket a `bucket`/`target_bucket`/ARN argument designates, by reference, name or ARN. */
export function findBucket(stack: TfJson, value: unknown): Res | undefined {
  const byRef = refTo(stack, value);
  if (byRef) return byRef.type === "aws_s3_bucket" ? byRef : undefined;
  if (typeof value !== "string") return undefined;
  const s3 = /^arn:aws(-us-gov|-cn)?:s3:::/.exec(value);
  const name = s3 ? value.slice(s3[0].length).split("/")[0] : value;
  return all(stack, "aws_s3_bucket").find((b) => b.config.bucket === name);
}

/** The resource of `type` whose `bucket` argument designates the given bucket. */
export function forBucket(stack: TfJson, type: string, bucket: Res): Res[] {
  return all(stack, type).filter((r) => findBucket(stack, r.config.bucket)?.address === bucket.address);
}

export function dependsOn(config: any): string[] {
  return Array.isArray(config?.depends_on) ? config.depends_on : [];
}

/**
 * The partition of a Region, as AWS assigns it (modelled here on its own, not
 * taken from the product): GovCloud (US) Regions `us-gov-*`, China `cn-*`.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export function partitionOfRegion(region: string | undefined): string {
  if (region?.startsWith("cn-")) return "aws-cn";
  if (region?.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** Region field of an ARN, or undefined when the ARN is not literal. */
export function arnRegion(arn: unknown): string | undefined {
  if (typeof arn !== "string" || unresolved(arn) || !arn.startsWith("arn:")) return undefined;
  return arn.split(":")[3];
}

/** The ARN a resource will have, from its literal arguments; undefined when a part is unknown. */
export function arnOf(stack: TfJson, res: Res): string | undefined {
  const c = res.config;
  const region = regionOf(stack, c);
  const account = stackAccount(stack);
  const name = typeof c.name === "string" && !unresolved(c.name) ? c.name : undefined;
  const known = (s: string | undefined): s is string => s !== undefined;
  // Global resources (buckets, roles) are in the partition of the stack's Region.
  const p = partitionOfRegion(region ?? stackRegion(stack));
  switch (res.type) {
    case "aws_s3_bucket":
      return typeof c.bucket === "string" && !unresolved(c.bucket) ? `arn:${p}:s3:::${c.bucket}` : undefined;
    case "aws_iam_role":
      return known(name) && known(account) ? `arn:${p}:iam::${account}:role${c.path ?? "/"}${name}` : undefined;
    case "aws_sqs_queue":
      return known(name) && known(account) ? `arn:${p}:sqs:${region}:${account}:${name}` : undefined;
    case "aws_sns_topic":
      return known(name) && known(account) ? `arn:${p}:sns:${region}:${account}:${name}` : undefined;
    case "aws_kinesis_firehose_delivery_stream":
      return known(name) && known(account) ? `arn:${p}:firehose:${region}:${account}:deliverystream/${name}` : undefined;
    case "aws_kinesis_stream":
      return known(name) && known(account) ? `arn:${p}:kinesis:${region}:${account}:stream/${name}` : undefined;
    case "aws_cloudwatch_log_group":
      return known(name) && known(account) ? `arn:${p}:logs:${region}:${account}:log-group:${name}` : undefined;
    case "aws_cloudwatch_log_destination":
      return known(name) && known(account) ? `arn:${p}:logs:${region}:${account}:destination:${name}` : undefined;
    case "aws_cloudtrail":
      return known(name) && known(account) ? `arn:${p}:cloudtrail:${region}:${account}:trail/${name}` : undefined;
    case "aws_cloudwatch_event_rule": {
      // A rule on a custom bus is `rule/<bus>/<name>`; on the default bus, `rule/<name>`.
      const bus = typeof c.event_bus_name === "string" && c.event_bus_name !== "default" ? c.event_bus_name : "";
      if (unresolved(bus) || !known(name) || !known(account)) return undefined;
      return `arn:${p}:events:${region}:${account}:rule/${bus ? `${bus}/` : ""}${name}`;
    }
    case "aws_lambda_function": {
      const fn = typeof c.function_name === "string" && !unresolved(c.function_name) ? c.function_name : undefined;
      return known(fn) && known(account) ? `arn:${p}:lambda:${region}:${account}:function:${fn}` : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Realistic worst-case lengths of values only known after apply, used when a
 * policy embeds `${…}` that cannot be resolved from the stack itself.
 */
export const WORST_CASE_LENGTH = {
  /** `arn:aws-us-gov:kms:ap-southeast-2:123456789012:key/mrk-<32 hex>`: the longest partition and Region name, a multi-Region key id. */
  kmsKeyArn: 87,
  /** `mrk-<32 hex>` or a UUID. */
  kmsKeyId: 36,
  /** An attribute of unknown shape: generous, so a size rule errs on the failing side. */
  unknown: 256,
} as const;

/** The value a reference takes at apply time, or a placeholder of its worst-case length. */
function resolveReference(stack: TfJson, expr: string, depth: number): string {
  const m = /^([A-Za-z0-9_]+)\.([^.]+)\.([A-Za-z0-9_]+)$/.exec(expr);
  const res = m ? refTo(stack, `\${${m[1]}.${m[2]}.${m[3]}}`) : undefined;
  if (m && res) {
    const attr = m[3]!;
    const c = res.config;
    const own = (v: unknown): string | undefined =>
      typeof v === "string" ? (depth > 0 ? applyValue(stack, v, depth - 1) : undefined) : undefined;
    if (attr === "arn") {
      const arn = arnOf(stack, res);
      if (arn) return arn;
    }
    if (attr === "name" || attr === "id") {
      const v = own(c.name) ?? (res.type === "aws_s3_bucket" ? own(c.bucket) : undefined);
      if (v !== undefined) return v;
    }
    if (attr === "function_name" && res.type === "aws_lambda_function") {
      const v = own(c.function_name);
      if (v !== undefined) return v;
    }
    if (attr === "bucket" && res.type === "aws_s3_bucket") {
      const v = own(c.bucket);
      if (v !== undefined) return v;
    }
    if (res.type === "aws_kms_key" && attr === "arn") return "x".repeat(WORST_CASE_LENGTH.kmsKeyArn);
    if (res.type === "aws_kms_key" && (attr === "key_id" || attr === "id")) {
      return "x".repeat(WORST_CASE_LENGTH.kmsKeyId);
    }
  }
  return "x".repeat(WORST_CASE_LENGTH.unknown);
}

/**
 * An attribute value as it reaches AWS: every `${…}` reference replaced by the
 * value it resolves to (or a worst-case placeholder), then `$${` unescaped.
 */
export function applyValue(stack: TfJson, value: string, depth = 3): string {
  const substituted = value.replace(/(?<!\$)\$\{([^}]*)\}/g, (_, expr: string) => resolveReference(stack, expr, depth));
  return literal(substituted);
}
