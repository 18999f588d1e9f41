/**
 * Judges the S3 requests of a log agent (from fluent-bit.ts or fluentd.ts)
 * against a synthesised archive, as AWS would:
 *
 * 1. Authorization: each request's IAM action, on its object or bucket, with
 *    the condition keys its headers set, through the IAM simulator
 *    (support/simulate.ts) over the synthesised bucket policy and the agent
 *    role's identity policy (docs/agents/agent-role-policy.json, placeholders
 *    filled); and the KMS calls S3 makes with the caller's permissions when
 *    it encrypts with the archive key (the bucket default), through the key
 *    policy: kms:GenerateDataKey for a PutObject, and kms:Decrypt as well for
 *    the requests of a multipart upload (S3's multipart permissions page;
 *    the archive key's own statements grant both for that reason).
 *    @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
 *    @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
 * 2. S3's request rules for this bucket: with Object Lock (a default
 *    retention), "The Content-MD5 or x-amz-sdk-checksum-algorithm header is
 *    required for any request to upload an object with a retention period
 *    configured using Amazon S3 Object Lock" (PutObject); Fluent Bit's
 *    maintainers document the same for UploadPart (fluent/fluent-bit#3333,
 *    "PutObject or UploadPart on a bucket with Object Lock enabled by default
 *    requires sending the Content-MD5 header"). With Object Ownership
 *    BucketOwnerEnforced ACLs are disabled: a write that sets any ACL but
 *    bucket-owner-full-control fails with AccessControlListNotSupported.
 *    @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 *    @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
 * 3. The key: every object under `agents/<the role's own account id>/`.
 */
import { readFileSync } from "node:fs";
import { archiveNames } from "../../../modules/naming/names";
import { loadRegistry } from "../../../modules/registry/load";
import { corpusStacks } from "../../helpers/corpus";
import { buildWorld, type Json, type PolicyWorld } from "../../security/support/policy-world";
import { simulate, type Organization } from "../../security/support/simulate";
import type { AgentRequests, S3Request } from "./s3-request";
import { PUT_OBJECT_CONDITION_HEADERS, S3_AUTHORIZATION } from "./s3-request";

/** A synthesised archive with agents enabled, and the agent role that writes to it. */
export interface ArchiveUnderTest {
  readonly registryFile: string;
  readonly world: PolicyWorld;
  readonly org: Organization;
  readonly bucket: string;
  readonly region: string;
  /** Account of the archive key (the key-management account when the registry has one). */
  readonly keyAccount: string;
  readonly archiveKeyArn: string;
  /** The archive bucket has an Object Lock default retention. */
  readonly objectLock: boolean;
  /** The archive bucket's Object Ownership is BucketOwnerEnforced. */
  readonly aclsDisabled: boolean;
  /** The agent's account: a member of the organization. */
  readonly agentAccount: string;
  readonly agentRoleArn: string;
}

/** The role name `sources.agents.roleNamePattern` admits, for a host that ships syslog. */
function agentRoleName(pattern: string): string {
  return pattern.split("*").join("syslog");
}

/** The archive of a corpus registry that enables `sources.agents`, from the run's synthesis. */
export function archiveUnderTest(registryFile: string): ArchiveUnderTest {
  const registry = loadRegistry(registryFile);
  const agents = registry.sources.agents;
  if (!agents.enabled) throw new Error(`${registryFile} does not enable sources.agents`);
  const stacks = corpusStacks().filter((s) => s.registry === registryFile);
  if (stacks.length === 0) throw new Error(`${registryFile} is not in the corpus`);
  const world = buildWorld(Object.fromEntries(stacks.map((s) => [s.stack, s.json as Json])));
  const archiveAccount = registry.logArchive.accountId;
  const region = registry.logArchive.region;
  const names = archiveNames({
    prefix: registry.naming.prefix,
    archiveAccountId: archiveAccount,
    archiveRegion: region,
    replicaRegion: registry.archive.replicaRegion,
  });
  const keyAccount = registry.keys?.accountId ?? archiveAccount;
  const archiveKeyArn = world.keysByAlias.get(`${keyAccount}/${region}/${names.archiveKeyAlias}`);
  if (!archiveKeyArn) throw new Error(`${registryFile}: no archive key ${names.archiveKeyAlias} in ${keyAccount}`);
  const archiveStack = stacks.find((s) => s.stack === "log-archive")!.json;
  const archiveBucketResource = (type: string) =>
    Object.values((archiveStack.resource[type] ?? {}) as Record<string, Json>).filter((r) =>
      (r["//"].metadata.path as string).endsWith(
        `/ArchiveBucket/${type === "aws_s3_bucket_ownership_controls" ? "Ownership" : "ObjectLock"}`,
      ),
    );
  const ownership = archiveBucketResource("aws_s3_bucket_ownership_controls")[0];
  const lock = archiveBucketResource("aws_s3_bucket_object_lock_configuration")[0];
  // A member account other than the archive's: agents write from the accounts they log.
  const agentAccount = registry.accounts.map((a) => a.id).find((id) => id !== archiveAccount);
  if (!agentAccount) throw new Error(`${registryFile} has no source account besides the archive`);
  const roleNamePattern = agents.roleNamePattern ?? `${registry.naming.prefix}-log-agent-*`;
  return {
    registryFile,
    world,
    org: { id: registry.organization.id, members: new Set([archiveAccount, ...registry.accounts.map((a) => a.id)]) },
    bucket: names.archiveBucket,
    region,
    keyAccount,
    archiveKeyArn,
    objectLock: Boolean(lock?.rule?.default_retention),
    aclsDisabled: ownership?.rule?.object_ownership === "BucketOwnerEnforced",
    agentAccount,
    agentRoleArn: `arn:aws:iam::${agentAccount}:role/${agentRoleName(roleNamePattern)}`,
  };
}

/** What the documentation's placeholders stand for, for this archive and agent. */
export function placeholders(archive: ArchiveUnderTest): Record<string, string> {
  return {
    "<archive bucket>": archive.bucket,
    "<archive region>": archive.region,
    "<archive account>": archive.keyAccount,
    "<account id>": archive.agentAccount,
  };
}

/** docs/agents/agent-role-policy.json with its placeholders filled. */
export function agentRolePolicy(archive: ArchiveUnderTest, file = "docs/agents/agent-role-policy.json"): Json {
  let text = readFileSync(file, "utf8");
  for (const [placeholder, value] of Object.entries(placeholders(archive))) text = text.split(placeholder).join(value);
  return JSON.parse(text) as Json;
}

/** Why a request would fail. */
export interface Finding {
  readonly request: S3Request;
  readonly rule: "authorization" | "kms" | "object-lock" | "acl" | "own-folder" | "bucket";
  readonly detail: string;
}

export function describeFinding(f: Finding): string {
  const target = f.request.key === undefined ? f.request.bucket : `${f.request.bucket}/${f.request.key}`;
  return `${f.request.operation} ${target} (${f.request.source}): ${f.rule}: ${f.detail}`;
}

const OBJECT_WRITES = new Set(["PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload"]);
const UPLOADS_WITH_BODY = new Set(["PutObject", "UploadPart"]);

/** S3 condition keys a request's headers set (only writes carry the keys of s3:PutObject). */
function conditionContext(request: S3Request): Record<string, string> {
  if (S3_AUTHORIZATION[request.operation].action !== "s3:PutObject") return {};
  const context: Record<string, string> = {};
  for (const header of PUT_OBJECT_CONDITION_HEADERS) {
    const value = request.headers[header];
    if (value !== undefined) context[`s3:${header}`] = value;
  }
  return context;
}

/** The KMS calls S3 makes with the caller's permissions for an encrypted write, and the key it uses. */
function kmsCalls(archive: ArchiveUnderTest, request: S3Request): { action: string; key: string }[] {
  if (!OBJECT_WRITES.has(request.operation)) return [];
  const sse = request.headers["x-amz-server-side-encryption"];
  if (sse !== undefined && !sse.startsWith("aws:kms")) return [];
  // No header: the bucket default, the archive key.
  const key = request.headers["x-amz-server-side-encryption-aws-kms-key-id"] ?? archive.archiveKeyArn;
  const actions = request.operation === "PutObject" ? ["kms:GenerateDataKey"] : ["kms:GenerateDataKey", "kms:Decrypt"];
  return actions.map((action) => ({ action, key }));
}

/** Every reason the requests would fail against the archive; empty when all succeed. */
export async function checkRequests(
  archive: ArchiveUnderTest,
  requests: AgentRequests,
  rolePolicy: Json = agentRolePolicy(archive),
): Promise<Finding[]> {
  const roles = new Map(archive.world.roles);
  roles.set(archive.agentRoleArn, {
    arn: archive.agentRoleArn,
    trust: { Version: "2012-10-17", Statement: [] },
    policies: [{ name: "agent-role-policy", policy: rolePolicy }],
  });
  const world: PolicyWorld = { ...archive.world, roles };
  const principal = { role: archive.agentRoleArn };
  const findings: Finding[] = [];
  const all = [...requests.startUp, ...requests.perUpload.flatMap((p) => p.requests)];
  for (const request of all) {
    const found = (rule: Finding["rule"], detail: string) => findings.push({ request, rule, detail });
    if (request.bucket !== archive.bucket)
      found("bucket", `writes to ${request.bucket}, not the archive ${archive.bucket}`);
    const { action, resource } = S3_AUTHORIZATION[request.operation];
    if (resource === "object") {
      const ownFolder = `agents/${archive.agentAccount}/`;
      if (request.key === undefined || !request.key.startsWith(ownFolder)) {
        found("own-folder", `key ${JSON.stringify(request.key)} is outside ${ownFolder}`);
      }
    }
    const arn =
      resource === "object" ? `arn:aws:s3:::${request.bucket}/${request.key}` : `arn:aws:s3:::${request.bucket}`;
    const outcome = await simulate(world, archive.org, {
      name: `${request.operation} ${arn}`,
      principal,
      action,
      resource: arn,
      context: { "aws:SecureTransport": String(request.tls), ...conditionContext(request) },
      expect: "Allowed",
    });
    if (outcome.decision !== "Allowed") {
      found(
        "authorization",
        `${action} ${outcome.result} (${outcome.decisive.join(", ") || "no statement allows it"})`,
      );
    }
    for (const call of kmsCalls(archive, request)) {
      const kms = await simulate(world, archive.org, {
        name: `${call.action} for ${request.operation}`,
        principal,
        action: call.action,
        resource: call.key,
        context: {
          "kms:ViaService": `s3.${archive.region}.amazonaws.com`,
          // With S3 Bucket Keys the encryption context is the bucket ARN.
          "kms:EncryptionContext:aws:s3:arn": `arn:aws:s3:::${archive.bucket}`,
        },
        expect: "Allowed",
      });
      if (kms.decision !== "Allowed") {
        found(
          "kms",
          `${call.action} on ${call.key} ${kms.result} (${kms.decisive.join(", ") || "no statement allows it"})`,
        );
      }
    }
    if (archive.objectLock && UPLOADS_WITH_BODY.has(request.operation)) {
      const h = request.headers;
      const checksum =
        "content-md5" in h ||
        "x-amz-sdk-checksum-algorithm" in h ||
        Object.keys(h).some((k) => k.startsWith("x-amz-checksum-"));
      if (!checksum) found("object-lock", "neither Content-MD5 nor a checksum header on a bucket with Object Lock");
    }
    if (archive.aclsDisabled) {
      const acl = request.headers["x-amz-acl"];
      const grants = Object.keys(request.headers).filter((k) => k.startsWith("x-amz-grant-"));
      if ((acl !== undefined && acl !== "bucket-owner-full-control") || grants.length > 0) {
        found(
          "acl",
          `sets an ACL (${acl ?? grants.join(", ")}) on a bucket whose ACLs are disabled (BucketOwnerEnforced)`,
        );
      }
    }
  }
  return findings;
}

/** The archive as synthesised, or as it would be with an Object Lock default retention (the agents' statements do not depend on it). */
export function withObjectLock(archive: ArchiveUnderTest, objectLock: boolean): ArchiveUnderTest {
  return { ...archive, objectLock };
}
