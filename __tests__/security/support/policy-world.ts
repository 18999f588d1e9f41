/**
 * Reads every policy out of synthesised `cdk.tf.json` files (what ships, not
 * the TypeScript builders), resolves Terraform references to the names and
 * ARNs the registry implies, and undoes Terraform's `$${` escaping, so an
 * IAM simulator can evaluate them as AWS would.
 */
import { partitionOfRegion } from "../../aws-rules/lib/tf";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export type Json = Record<string, any>;

export interface RoleRecord {
  readonly arn: string;
  readonly trust: Json;
  readonly policies: { name: string; policy: Json }[];
}

/** Every resource policy and role of the synthesised app, by ARN. */
export interface PolicyWorld {
  readonly bucketPolicies: Map<string, Json>;
  readonly keyPolicies: Map<string, Json>;
  readonly queuePolicies: Map<string, Json>;
  readonly roles: Map<string, RoleRecord>;
  /** Account that owns each bucket, key, queue, stream or role ARN. */
  readonly owners: Map<string, string>;
  /** Key ARNs by "<account>/<region>/<alias name>". */
  readonly keysByAlias: Map<string, string>;
  /** Log groups the delivery streams write to, by stream ARN. */
  readonly streams: Map<string, Json>;
  readonly topicPolicies: Map<string, Json>;
  /** OpenSearch domain access policies, by domain ARN. */
  readonly domainPolicies: Map<string, Json>;
  /** CloudWatch Logs destination access policies, by destination ARN. */
  readonly destinationPolicies: Map<string, Json>;
  /** CloudWatch Logs resource policies, by "<account>/<region>" (they apply account-wide). */
  readonly logResourcePolicies: Map<string, Json[]>;
}

/** Reads `<outdir>/stacks/*\/cdk.tf.json`. */
export function readStacks(outdir: string): Record<string, Json> {
  const stacks: Record<string, Json> = {};
  for (const name of readdirSync(join(outdir, "stacks"))) {
    stacks[name] = JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
  }
  return stacks;
}

interface StackScope {
  readonly account: string;
  readonly region: string;
  readonly resources: Json;
  readonly data: Json;
  /** Key ARNs by alias ARN, over every stack: a stack may read another account's key by alias (log-keys). */
  readonly keysByAliasArn: ReadonlyMap<string, string>;
}

function scopeOf(stack: Json, keysByAliasArn: ReadonlyMap<string, string> = new Map()): StackScope {
  const provider = stack.provider.aws[0];
  return {
    account: provider.allowed_account_ids[0],
    region: provider.region,
    resources: stack.resource,
    data: stack.data ?? {},
    keysByAliasArn,
  };
}

/** `data.aws_kms_key.<name>.arn`: the key its alias ARN names, wherever it is. */
function dataAttribute(scope: StackScope, type: string, name: string, attr: string): string {
  const d = scope.data[type]?.[name];
  if (d && `${type}.${attr}` === "aws_opensearch_domain.domain_name") return d.domain_name;
  if (!d || `${type}.${attr}` !== "aws_kms_key.arn") throw new Error(`no resolution for data.${type}.${name}.${attr}`);
  const arn = scope.keysByAliasArn.get(d.key_id);
  if (!arn) throw new Error(`data.${type}.${name} reads ${d.key_id}, which no synthesised stack creates`);
  return arn;
}

/**
 * The value of `<type>.<name>.<attribute>` as AWS would have it. Key ids are
 * random in AWS; here they are the resource's address, which is as unique.
 */
function attribute(scope: StackScope, type: string, name: string, attr: string): string {
  const r = scope.resources[type]?.[name];
  if (!r) throw new Error(`unresolvable reference ${type}.${name}.${attr}`);
  const region: string = r.region ?? scope.region;
  const value = (key: string) => resolveValue(scope, r[key]) as string;
  // AWS names a resource in the partition of its Region (global ones: of the stack's).
  const p = partitionOfRegion(region);
  switch (`${type}.${attr}`) {
    case "aws_kms_key.arn":
      return `arn:${p}:kms:${region}:${scope.account}:key/${name}`;
    case "aws_kms_key.key_id":
      return name;
    case "aws_s3_bucket.arn":
      return `arn:${p}:s3:::${value("bucket")}`;
    case "aws_s3_bucket.bucket":
    case "aws_s3_bucket.id":
      return value("bucket");
    case "aws_sqs_queue.arn":
      return `arn:${p}:sqs:${region}:${scope.account}:${value("name")}`;
    case "aws_sqs_queue.url":
    case "aws_sqs_queue.id":
      return `https://sqs.${region}.${p === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"}/${scope.account}/${value("name")}`;
    case "aws_iam_role.arn":
      return `arn:${p}:iam::${scope.account}:role/${value("name")}`;
    case "aws_iam_role.name":
    case "aws_iam_role.id":
      return value("name");
    case "aws_kinesis_firehose_delivery_stream.arn":
      return `arn:${p}:firehose:${region}:${scope.account}:deliverystream/${value("name")}`;
    case "aws_cloudwatch_log_group.name":
      return value("name");
    case "aws_cloudwatch_log_group.arn":
      return `arn:${p}:logs:${region}:${scope.account}:log-group:${value("name")}`;
    case "aws_cloudwatch_log_destination.name":
      return value("name");
    case "aws_cloudwatch_log_destination.arn":
      return `arn:${p}:logs:${region}:${scope.account}:destination:${value("name")}`;
    case "aws_kinesis_stream.arn":
      return `arn:${p}:kinesis:${region}:${scope.account}:stream/${value("name")}`;
    case "aws_cloudwatch_log_stream.name":
      return value("name");
    case "aws_sns_topic.arn":
      return `arn:${p}:sns:${region}:${scope.account}:${value("name")}`;
    case "aws_lambda_function.arn":
      return `arn:${p}:lambda:${region}:${scope.account}:function:${value("function_name")}`;
    case "aws_lambda_function.function_name":
      return value("function_name");
    case "aws_iam_openid_connect_provider.arn":
      // IAM names an OIDC provider after its URL without the scheme.
      return `arn:${p}:iam::${scope.account}:oidc-provider/${value("url").replace(/^https:\/\//, "")}`;
    default:
      throw new Error(`no resolution for ${type}.${attr}`);
  }
}

/** Replaces Terraform references in a string and undoes `$${` escapes. */
function resolveString(scope: StackScope, text: string): string {
  const resolved = text
    .replace(/(?<!\$)\$\{data\.([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}/g, (_m, type, name, attr) =>
      dataAttribute(scope, type, name, attr),
    )
    .replace(/(?<!\$)\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}/g, (_m, type, name, attr) =>
      attribute(scope, type, name, attr),
    );
  return resolved.replace(/\$\$\{/g, "${");
}

function resolveValue(scope: StackScope, value: unknown): unknown {
  if (typeof value === "string") return resolveString(scope, value);
  if (Array.isArray(value)) return value.map((v) => resolveValue(scope, v));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(scope, v)]));
  }
  return value;
}

function parsePolicy(scope: StackScope, text: string): Json {
  return JSON.parse(resolveString(scope, text));
}

function each(scope: StackScope, type: string): [string, Json][] {
  return Object.entries(scope.resources[type] ?? {});
}

export function buildWorld(stacks: Record<string, Json>): PolicyWorld {
  const world: PolicyWorld = {
    bucketPolicies: new Map(),
    keyPolicies: new Map(),
    queuePolicies: new Map(),
    roles: new Map(),
    owners: new Map(),
    keysByAlias: new Map(),
    streams: new Map(),
    topicPolicies: new Map(),
    domainPolicies: new Map(),
    destinationPolicies: new Map(),
    logResourcePolicies: new Map(),
  };
  // First every key's alias, so that a stack can resolve a key of another stack read by alias.
  const keysByAliasArn = new Map<string, string>();
  // A stack without an AWS provider (log-workspaces, Terraform Cloud only) holds no AWS policy.
  const awsStacks = Object.values(stacks).filter((stack) => stack.provider?.aws !== undefined);
  for (const stack of awsStacks) {
    const scope = scopeOf(stack);
    for (const [, alias] of each(scope, "aws_kms_alias")) {
      // Resolve the alias to the full ARN of the key it targets in this stack.
      const target = /^\$\{aws_kms_key\.([A-Za-z0-9_-]+)\.key_id\}$/.exec(alias.target_key_id)?.[1];
      if (!target) throw new Error(`alias ${alias.name} does not target a key of its stack`);
      const region = alias.region ?? scope.region;
      const keyArn = attribute(scope, "aws_kms_key", target, "arn");
      keysByAliasArn.set(`arn:${partitionOfRegion(region)}:kms:${region}:${scope.account}:${alias.name}`, keyArn);
      world.keysByAlias.set(`${scope.account}/${region}/${alias.name}`, keyArn);
    }
  }
  for (const stack of awsStacks) {
    const scope = scopeOf(stack, keysByAliasArn);
    for (const [name] of each(scope, "aws_s3_bucket")) {
      world.owners.set(attribute(scope, "aws_s3_bucket", name, "arn"), scope.account);
    }
    for (const [, policy] of each(scope, "aws_s3_bucket_policy")) {
      const bucketName = resolveString(scope, policy.bucket);
      world.bucketPolicies.set(
        `arn:${partitionOfRegion(policy.region ?? scope.region)}:s3:::${bucketName}`,
        parsePolicy(scope, policy.policy),
      );
    }
    for (const [name, key] of each(scope, "aws_kms_key")) {
      const arn = attribute(scope, "aws_kms_key", name, "arn");
      world.keyPolicies.set(arn, parsePolicy(scope, key.policy));
      world.owners.set(arn, scope.account);
    }
    for (const [name] of each(scope, "aws_sqs_queue")) {
      world.owners.set(attribute(scope, "aws_sqs_queue", name, "arn"), scope.account);
    }
    for (const [, policy] of each(scope, "aws_sqs_queue_policy")) {
      const url = resolveString(scope, policy.queue_url);
      const [, , host, account, queue] = url.split("/");
      const region = host!.split(".")[1];
      world.queuePolicies.set(
        `arn:${partitionOfRegion(region)}:sqs:${region}:${account}:${queue}`,
        parsePolicy(scope, policy.policy),
      );
    }
    for (const [name, role] of each(scope, "aws_iam_role")) {
      const arn = attribute(scope, "aws_iam_role", name, "arn");
      world.roles.set(arn, { arn, trust: parsePolicy(scope, role.assume_role_policy), policies: [] });
      world.owners.set(arn, scope.account);
    }
    for (const [, policy] of each(scope, "aws_iam_role_policy")) {
      const roleName = resolveString(scope, policy.role);
      const arn = `arn:${partitionOfRegion(scope.region)}:iam::${scope.account}:role/${roleName}`;
      world.roles.get(arn)!.policies.push({ name: policy.name, policy: parsePolicy(scope, policy.policy) });
    }
    for (const [, policy] of each(scope, "aws_opensearch_domain_policy")) {
      const domain = resolveString(scope, policy.domain_name);
      const region = policy.region ?? scope.region;
      const arn = `arn:${partitionOfRegion(region)}:es:${region}:${scope.account}:domain/${domain}`;
      world.domainPolicies.set(arn, parsePolicy(scope, policy.access_policies));
      world.owners.set(arn, scope.account);
    }
    for (const [, policy] of each(scope, "aws_sns_topic_policy")) {
      world.topicPolicies.set(resolveString(scope, policy.arn), parsePolicy(scope, policy.policy));
    }
    for (const [, policy] of each(scope, "aws_cloudwatch_log_destination_policy")) {
      const name = resolveString(scope, policy.destination_name);
      const region = policy.region ?? scope.region;
      const arn = `arn:${partitionOfRegion(region)}:logs:${region}:${scope.account}:destination:${name}`;
      world.destinationPolicies.set(arn, parsePolicy(scope, policy.access_policy));
      world.owners.set(arn, scope.account);
    }
    for (const [, policy] of each(scope, "aws_cloudwatch_log_resource_policy")) {
      const key = `${scope.account}/${scope.region}`;
      world.logResourcePolicies.set(key, [
        ...(world.logResourcePolicies.get(key) ?? []),
        parsePolicy(scope, policy.policy_document),
      ]);
    }
    for (const [name, stream] of each(scope, "aws_kinesis_firehose_delivery_stream")) {
      const arn = attribute(scope, "aws_kinesis_firehose_delivery_stream", name, "arn");
      world.streams.set(arn, resolveValue(scope, stream) as Json);
      world.owners.set(arn, scope.account);
    }
  }
  return world;
}

/** Owning account of a resource ARN (objects belong to their bucket's owner, paths to their domain's). */
export function ownerOf(world: PolicyWorld, arn: string): string {
  const s3 = /^arn:(aws|aws-us-gov|aws-cn):s3:::/.exec(arn);
  if (s3) {
    const bucket = arn.slice(s3[0].length).split("/")[0]!;
    return world.owners.get(`${s3[0]}${bucket}`) ?? "999999999999";
  }
  const known = world.owners.get(arn);
  if (known) return known;
  const account = arn.split(":")[4];
  if (!account) throw new Error(`cannot tell the owner of ${arn}`);
  return account;
}
