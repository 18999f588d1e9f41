/**
 * IAM simulation rows for keys held in a key-management account (issue 14),
 * over the synthesised stacks of examples/registries/locked-compliance.yaml:
 * the key account's administrators administer but never use the keys; the
 * log-archive account's administrators can neither change nor delete them;
 * the archive's own uses (delivery through S3, the SIEM reader, replication,
 * S3 notifications to the queue) still work across the accounts.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../../modules/app/build-app";
import { archiveNames, sourceNames } from "../../modules/naming/names";
import { loadRegistry } from "../../modules/registry/load";
import { buildWorld, readStacks, type PolicyWorld } from "./support/policy-world";
import { simulate, type Organization, type Scenario } from "./support/simulate";

const registry = loadRegistry("examples/registries/locked-compliance.yaml");
const KEYS = registry.keys!.accountId;
const ARCHIVE = registry.logArchive.accountId;
const REGION = registry.logArchive.region;
const REPLICA_REGION = registry.archive.replicaRegion!;
const SOURCE = "100000000002";
const prefix = registry.naming.prefix;
const names = archiveNames({ prefix, archiveAccountId: ARCHIVE, archiveRegion: REGION, replicaRegion: REPLICA_REGION });
const BUCKET = names.archiveBucketArn;
const org: Organization = {
  id: registry.organization.id,
  members: new Set([ARCHIVE, KEYS, ...registry.accounts.map((a) => a.id)]),
};
const KEY_ADMIN = `arn:aws:iam::${KEYS}:role/KeyAdministrators`;
const KEY_ACCOUNT_OTHER_ADMIN = `arn:aws:iam::${KEYS}:role/Administrator`;
const ARCHIVE_ADMIN = `arn:aws:iam::${ARCHIVE}:role/Administrator`;

const viaS3 = (region: string, bucket: string) => ({
  "kms:ViaService": `s3.${region}.amazonaws.com`,
  "kms:EncryptionContext:aws:s3:arn": bucket,
});

let world: PolicyWorld;
let key: { archive: string; replica: string; queue: string };

beforeAll(() => {
  const outdir = mkdtempSync(join(tmpdir(), "cwl-keys-"));
  try {
    buildApp(registry, { outdir }).synth();
    world = buildWorld(readStacks(outdir));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  const byAlias = (region: string, alias: string) => {
    const arn = world.keysByAlias.get(`${KEYS}/${region}/${alias}`);
    if (!arn) throw new Error(`no key ${alias} in ${region} of the key account`);
    return arn;
  };
  key = {
    archive: byAlias(REGION, names.archiveKeyAlias),
    replica: byAlias(REPLICA_REGION, names.replicaKeyAlias),
    queue: byAlias(REGION, names.queueKeyAlias),
  };
});

function rows(): Scenario[] {
  const delivery = sourceNames(prefix, SOURCE, "us-east-1").deliveryRoleArn;
  return [
    // --- the key account as a source: its writers use the archive key only through S3 -------
    {
      name: "the key account's delivery role gets a data key through S3 for the archive bucket",
      principal: { role: sourceNames(prefix, KEYS, REGION).deliveryRoleArn },
      action: "kms:GenerateDataKey",
      resource: key.archive,
      context: viaS3(REGION, BUCKET),
      expect: "Allowed",
    },
    {
      name: "the key account's delivery role writes under its own prefix",
      principal: { role: sourceNames(prefix, KEYS, REGION).deliveryRoleArn },
      action: "s3:PutObject",
      resource: `${BUCKET}/cloudwatch-logs/account=${KEYS}/region=${REGION}/year=2026/month=12/day=01/hour=10/x.gz`,
      context: {
        "s3:x-amz-server-side-encryption": "aws:kms",
        "s3:x-amz-server-side-encryption-aws-kms-key-id": key.archive,
      },
      expect: "Allowed",
    },
    {
      name: "key administrator gets a data key through S3 for another bucket",
      principal: { admin: KEY_ADMIN },
      action: "kms:GenerateDataKey",
      resource: key.archive,
      context: viaS3(REGION, "arn:aws:s3:::another-bucket"),
      expect: "Denied",
    },
    {
      name: "key administrator decrypts through S3 for the archive bucket, but S3 lets it read nothing",
      principal: { admin: KEY_ADMIN },
      action: "s3:GetObject",
      resource: `${BUCKET}/cloudwatch-logs/account=${SOURCE}/region=${REGION}/x.gz`,
      expect: "Denied",
    },
    {
      name: "key administrator encrypts directly with the archive key",
      principal: { admin: KEY_ADMIN },
      action: "kms:Encrypt",
      resource: key.archive,
      context: viaS3(REGION, BUCKET),
      expect: "Denied",
    },
    // --- the key account's administrators --------------------------------------------------
    {
      name: "key administrator changes the archive key's policy",
      principal: { admin: KEY_ADMIN },
      action: "kms:PutKeyPolicy",
      resource: key.archive,
      expect: "Allowed",
    },
    {
      name: "key administrator disables key rotation",
      principal: { admin: KEY_ADMIN },
      action: "kms:DisableKeyRotation",
      resource: key.archive,
      expect: "Allowed",
    },
    {
      name: "key administrator schedules the replica key's deletion (30-day window)",
      principal: { admin: KEY_ADMIN },
      action: "kms:ScheduleKeyDeletion",
      resource: key.replica,
      expect: "Allowed",
    },
    {
      name: "another administrator of the key account changes a key policy (never locked out)",
      principal: { admin: KEY_ACCOUNT_OTHER_ADMIN },
      action: "kms:PutKeyPolicy",
      resource: key.queue,
      expect: "Allowed",
    },
    {
      name: "key administrator decrypts with the archive key",
      principal: { admin: KEY_ADMIN },
      action: "kms:Decrypt",
      resource: key.archive,
      expect: "Denied",
    },
    {
      name: "key administrator decrypts through S3 for the archive bucket",
      principal: { admin: KEY_ADMIN },
      action: "kms:Decrypt",
      resource: key.archive,
      context: viaS3(REGION, BUCKET),
      expect: "Denied",
    },
    {
      name: "key administrator grants itself the use of the archive key",
      principal: { admin: KEY_ADMIN },
      action: "kms:CreateGrant",
      resource: key.archive,
      expect: "Denied",
    },
    {
      name: "key administrator decrypts SIEM notifications",
      principal: { admin: KEY_ADMIN },
      action: "kms:Decrypt",
      resource: key.queue,
      context: { "kms:ViaService": `sqs.${REGION}.amazonaws.com` },
      expect: "Denied",
    },

    // --- the log-archive account's administrators ------------------------------------------
    {
      name: "archive administrator changes the archive key's policy",
      principal: { admin: ARCHIVE_ADMIN },
      action: "kms:PutKeyPolicy",
      resource: key.archive,
      expect: "Denied",
    },
    {
      name: "archive administrator schedules the archive key's deletion",
      principal: { admin: ARCHIVE_ADMIN },
      action: "kms:ScheduleKeyDeletion",
      resource: key.archive,
      expect: "Denied",
    },
    {
      name: "archive administrator disables the replica key",
      principal: { admin: ARCHIVE_ADMIN },
      action: "kms:DisableKey",
      resource: key.replica,
      expect: "Denied",
    },
    {
      name: "archive administrator grants itself the use of the queue key",
      principal: { admin: ARCHIVE_ADMIN },
      action: "kms:CreateGrant",
      resource: key.queue,
      expect: "Denied",
    },
    {
      name: "archive administrator decrypts with the archive key directly",
      principal: { admin: ARCHIVE_ADMIN },
      action: "kms:Decrypt",
      resource: key.archive,
      expect: "Denied",
    },
    {
      name: "archive administrator describes the archive key (its stack reads the ARN)",
      principal: { admin: ARCHIVE_ADMIN },
      action: "kms:DescribeKey",
      resource: key.archive,
      expect: "Allowed",
    },

    // --- the archive's uses, across the accounts -------------------------------------------
    {
      name: "a source's delivery role gets a data key through S3 for the archive bucket",
      principal: { role: delivery },
      action: "kms:GenerateDataKey",
      resource: key.archive,
      context: viaS3(REGION, BUCKET),
      expect: "Allowed",
    },
    {
      name: "a source's delivery role gets a data key directly from KMS",
      principal: { role: delivery },
      action: "kms:GenerateDataKey",
      resource: key.archive,
      expect: "Denied",
    },
    {
      name: "the SIEM reader decrypts through S3 for the archive bucket",
      principal: { role: names.siemReaderRoleArn },
      action: "kms:Decrypt",
      resource: key.archive,
      context: viaS3(REGION, BUCKET),
      expect: "Allowed",
    },
    {
      name: "the SIEM reader decrypts its notifications through SQS",
      principal: { role: names.siemReaderRoleArn },
      action: "kms:Decrypt",
      resource: key.queue,
      context: { "kms:ViaService": `sqs.${REGION}.amazonaws.com` },
      expect: "Allowed",
    },
    {
      name: "replication encrypts with the replica key through S3 for the replica bucket",
      principal: { role: names.replicationRoleArn },
      action: "kms:GenerateDataKey",
      resource: key.replica,
      context: viaS3(REPLICA_REGION, names.replicaBucketArn!),
      expect: "Allowed",
    },
    {
      name: "S3 uses the queue key for the archive bucket's notifications",
      principal: { service: "s3.amazonaws.com" },
      action: "kms:GenerateDataKey",
      resource: key.queue,
      context: { "aws:SourceAccount": ARCHIVE, "aws:SourceArn": BUCKET },
      expect: "Allowed",
    },
    {
      name: "S3 uses the queue key for another account's bucket",
      principal: { service: "s3.amazonaws.com" },
      action: "kms:GenerateDataKey",
      resource: key.queue,
      context: { "aws:SourceAccount": "999999999999", "aws:SourceArn": "arn:aws:s3:::other" },
      expect: "Denied",
    },
  ];
}

test("key-account rows reach the decision AWS must reach", async () => {
  const results = [];
  for (const row of rows()) {
    const outcome = await simulate(world, org, row);
    results.push(
      `${outcome.decision === row.expect ? "ok  " : "FAIL"} ${outcome.decision} (expected ${row.expect}) ${row.name} [${outcome.result}; ${outcome.decisive.join(", ")}]`,
    );
  }
  process.stdout.write(`key-account rows\n${results.join("\n")}\n`);
  expect(results.filter((r) => r.startsWith("FAIL"))).toEqual([]);
  expect(results.length).toBeGreaterThanOrEqual(20);
});

describe("search delivery (the same registry indexes its central stream into OpenSearch)", () => {
  const DOMAIN = registry.search.domainArn!;
  const ANALYST = registry.search.principals[0]!;
  const search = `arn:aws:iam::${ARCHIVE}:role/${prefix}-search-delivery`;
  const sseKms = (keyArn: () => string) => ({
    "s3:x-amz-server-side-encryption": "aws:kms",
    "s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn(),
  });
  const searchRows = (): Scenario[] => [
    {
      name: "the search stream writes a failed document under search-errors/",
      principal: { role: search },
      action: "s3:PutObject",
      resource: `${BUCKET}/search-errors/region=${REGION}/2026/12/01/10/x.gz`,
      context: sseKms(() => key.archive),
      expect: "Allowed",
    },
    {
      name: "the search stream writes under the CloudWatch Logs data prefix",
      principal: { role: search },
      action: "s3:PutObject",
      resource: `${BUCKET}/cloudwatch-logs/account=${SOURCE}/x`,
      context: sseKms(() => key.archive),
      expect: "Denied",
    },
    {
      name: "the search stream reads an archived object",
      principal: { role: search },
      action: "s3:GetObject",
      resource: `${BUCKET}/cloudwatch-logs/account=${SOURCE}/x`,
      expect: "Denied",
    },
    {
      name: "the search stream gets a data key through S3 for the archive bucket",
      principal: { role: search },
      action: "kms:GenerateDataKey",
      resource: key.archive,
      context: viaS3(REGION, BUCKET),
      expect: "Allowed",
    },
    {
      name: "the search stream indexes documents",
      principal: { role: search },
      action: "es:ESHttpPost",
      resource: `${DOMAIN}/_bulk`,
      expect: "Allowed",
    },
    {
      name: "the search stream deletes an index",
      principal: { role: search },
      action: "es:ESHttpDelete",
      resource: `${DOMAIN}/cloudwatch-logs-2026-w48`,
      expect: "Denied",
    },
    {
      name: "a named principal searches",
      principal: { admin: ANALYST },
      action: "es:ESHttpPost",
      resource: `${DOMAIN}/cloudwatch-logs-2026-w48/_search`,
      expect: "Allowed",
    },
    {
      name: "a named principal writes a document",
      principal: { admin: ANALYST },
      action: "es:ESHttpPut",
      resource: `${DOMAIN}/cloudwatch-logs-2026-w48/_doc/1`,
      expect: "Denied",
    },
    {
      name: "another principal of the organization searches",
      principal: { admin: `arn:aws:iam::100000000003:role/Administrator` },
      action: "es:ESHttpPost",
      resource: `${DOMAIN}/cloudwatch-logs-2026-w48/_search`,
      expect: "Denied",
    },
    {
      name: "an administrator of the domain's own account searches",
      principal: { admin: ARCHIVE_ADMIN },
      action: "es:ESHttpGet",
      resource: `${DOMAIN}/cloudwatch-logs-2026-w48/_search`,
      expect: "Denied",
    },
  ];

  test("search rows reach the decision AWS must reach", async () => {
    const results = [];
    for (const row of searchRows()) {
      const outcome = await simulate(world, org, row);
      results.push(
        `${outcome.decision === row.expect ? "ok  " : "FAIL"} ${outcome.decision} (expected ${row.expect}) ${row.name} [${outcome.result}; ${outcome.decisive.join(", ")}]`,
      );
    }
    process.stdout.write(`search rows\n${results.join("\n")}\n`);
    expect(results.filter((r) => r.startsWith("FAIL"))).toEqual([]);
  });
});

test("the log-archive stack holds no archive, replica or queue key and reads them by alias ARN in the key account", () => {
  for (const alias of [names.archiveKeyAlias, names.replicaKeyAlias, names.queueKeyAlias]) {
    expect(world.keysByAlias.has(`${ARCHIVE}/${REGION}/${alias}`)).toBe(false);
  }
  expect(key.archive).toMatch(new RegExp(`^arn:aws:kms:${REGION}:${KEYS}:key/`));
  expect(key.replica).toMatch(new RegExp(`^arn:aws:kms:${REPLICA_REGION}:${KEYS}:key/`));
});
