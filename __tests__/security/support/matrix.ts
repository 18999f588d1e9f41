/**
 * The scenario matrix of the security proof: who may do what to the archive,
 * as data. Rows are built from the sample registry's accounts so that they
 * read like the organization they test.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../../../modules/app/build-app";
import { archiveNames, centralNames, deliveryWatchNames, sourceNames, trailNames } from "../../../modules/naming/names";
import { loadRegistry } from "../../../modules/registry/load";
import type { Registry } from "../../../modules/registry/parse";
import { buildWorld, readStacks, type Json, type PolicyWorld } from "./policy-world";
import { simulate, type Organization, type Outcome, type Scenario } from "./simulate";

export const registry: Registry = loadRegistry("examples/registries/sample/registry.yaml");

/** Synthesises the sample registry with the real App and reads the stacks back from disk. */
export function synthesiseSample(): Record<string, Json> {
  const outdir = mkdtempSync(join(tmpdir(), "cwl-security-"));
  try {
    buildApp(registry, { outdir }).synth();
    return readStacks(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export const org: Organization = {
  id: registry.organization.id,
  members: new Set([registry.logArchive.accountId, ...registry.accounts.map((a) => a.id)]),
};

const prefix = registry.naming.prefix;
export const ARCHIVE = registry.logArchive.accountId;
export const REGION = registry.logArchive.region;
export const REPLICA_REGION = registry.archive.replicaRegion!;
const names = archiveNames({ prefix, archiveAccountId: ARCHIVE, archiveRegion: REGION, replicaRegion: REPLICA_REGION });

/** A source account in all mode, with two Regions. */
export const SOURCE = registry.accounts.find((a) => a.name === "security-tooling")!.id;
/** Another source account of the organization. */
export const NEIGHBOUR = registry.accounts.find((a) => a.name === "payments-prod")!.id;
/** An account outside the organization. */
export const OUTSIDER = "999988887777";

const src = sourceNames(prefix, SOURCE, "us-east-1");
/** The delivery watch in the log-archive account. */
const watch = deliveryWatchNames(prefix, ARCHIVE, REGION);
export const BUCKET = names.archiveBucketArn;
const REPLICA = names.replicaBucketArn!;
const ACCESS_LOGS = `arn:aws:s3:::${names.accessLogBucket(REGION)}`;
const DATA = (account: string) =>
  `${BUCKET}/cloudwatch-logs/account=${account}/region=us-east-1/year=2026/month=11/day=24/hour=10/o.json.gz`;
const ERRORS = (account: string) =>
  `${BUCKET}/cloudwatch-logs-errors/account=${account}/region=us-east-1/processing-failed/o.gz`;
const READER = names.siemReaderRoleArn;
const RESULTS = `arn:aws:s3:::${names.athenaResultsBucket}`;
/** A result object of each workgroup, under the workgroup's output location. */
const INTERACTIVE_RESULT = `${RESULTS}/${names.athenaWorkgroup}/0123-abcd.csv`;
const HUNTING_RESULT = `${RESULTS}/${names.athenaHuntingWorkgroup}/4567-ef01.csv`;
const ORG_ID = registry.organization.id;
const MANAGEMENT = registry.sources.cloudTrail.managementAccountId!;
/** An object of each direct source's table, as its writer names it. */
const ANALYST_SOURCES: readonly (readonly [string, string])[] = [
  [
    "CloudTrail",
    `${BUCKET}/cloudtrail/AWSLogs/${ORG_ID}/${SOURCE}/CloudTrail/eu-west-1/2026/11/24/${SOURCE}_CloudTrail_eu-west-1_20261124T1010Z_abcdefghijklmnop.json.gz`,
  ],
  [
    "VPC Flow Logs",
    `${BUCKET}/vpc-flow-logs/AWSLogs/${SOURCE}/vpcflowlogs/us-east-1/2026/11/24/10/${SOURCE}_vpcflowlogs_us-east-1_fl-1_20261124T1005Z_h.log.gz`,
  ],
  ["AWS Config", `${BUCKET}/config/AWSLogs/${SOURCE}/Config/us-east-1/2026/11/24/ConfigHistory/x.json.gz`],
  ["log agent", `${BUCKET}/agents/${SOURCE}/syslog/2026/11/24/10/abcd1234.gz`],
];
const TRAIL = trailNames(prefix, MANAGEMENT, REGION, registry.sources.cloudTrail.trailName);
const RECORDER = registry.sources.config.recorderRoleName;
/** An account of the sample that delivers through the central topology. */
export const CENTRAL_ACCOUNT = registry.accounts.find((a) => a.delivery === "central")!.id;
const CENTRAL = centralNames(prefix, ARCHIVE, REGION);
const GUARDDUTY_SOURCE = registry.sources.guardDuty.accounts[0]!;
const gd = sourceNames(prefix, GUARDDUTY_SOURCE, "us-east-1");
const WORKGROUP = `arn:aws:athena:${REGION}:${ARCHIVE}:workgroup/${names.athenaWorkgroup}`;
const HUNTING_WORKGROUP = `arn:aws:athena:${REGION}:${ARCHIVE}:workgroup/${names.athenaHuntingWorkgroup}`;
const GLUE = `arn:aws:glue:${REGION}:${ARCHIVE}`;
const REPLICATION = names.replicationRoleArn;
const SIEM_PRINCIPAL = registry.siem.readerPrincipals![0]!;
const EXTERNAL_ID = registry.siem.externalId!;

/** Key ARNs are known only after synthesis; rows name keys by alias. */
export interface KeyArns {
  readonly archive: string;
  readonly replica: string;
  readonly queue: string;
  readonly athena: string;
  readonly monitoring: string;
  /** The pipeline key of the source account and Region of the rows. */
  readonly pipeline: string;
}

export function keyArns(world: PolicyWorld): KeyArns {
  const get = (alias: string, region = REGION) => {
    const arn = world.keysByAlias.get(`${ARCHIVE}/${region}/${alias}`);
    if (!arn) throw new Error(`no key with ${alias}`);
    return arn;
  };
  const pipeline = world.keysByAlias.get(`${SOURCE}/us-east-1/${src.pipelineKeyAlias}`);
  if (!pipeline) throw new Error("no pipeline key in the source stack");
  return {
    archive: get(names.archiveKeyAlias),
    replica: get(names.replicaKeyAlias, REPLICA_REGION),
    queue: get(names.queueKeyAlias),
    athena: get(names.athenaKeyAlias),
    monitoring: get(names.monitoringKeyAlias),
    pipeline,
  };
}

const iamArn = (role: string) => `arn:aws:iam::${ARCHIVE}:role/${role}`;

const viaS3 = (region: string, bucket: string) => ({
  "kms:ViaService": `s3.${region}.amazonaws.com`,
  "kms:EncryptionContext:aws:s3:arn": bucket,
});

/** The matrix. Each row: who, what, on which resource, in what context, and the decision AWS must reach. */
export function scenarios(keys: KeyArns): Scenario[] {
  const delivery = { role: src.deliveryRoleArn };
  const sourceAdmin = { admin: `arn:aws:iam::${SOURCE}:role/Administrator` };
  const outsiderAdmin = { admin: `arn:aws:iam::${OUTSIDER}:role/Administrator` };
  const reader = { role: READER };
  const replication = { role: REPLICATION };
  const rogue = { admin: `arn:aws:iam::${NEIGHBOUR}:role/${prefix}-firehose-rogue` };
  const analyst = { role: names.analystRoleArn };
  const hunter = { role: names.hunterRoleArn };
  return [
    // --- Firehose delivery role of a listed account ---------------------------------
    {
      name: "delivery role writes under its own data prefix",
      principal: delivery,
      action: "s3:PutObject",
      resource: DATA(SOURCE),
      expect: "Allowed",
    },
    {
      name: "delivery role writes under its own error prefix",
      principal: delivery,
      action: "s3:PutObject",
      resource: ERRORS(SOURCE),
      expect: "Allowed",
    },
    {
      name: "delivery role writes naming the archive key",
      principal: delivery,
      action: "s3:PutObject",
      resource: DATA(SOURCE),
      context: {
        "s3:x-amz-server-side-encryption": "aws:kms",
        "s3:x-amz-server-side-encryption-aws-kms-key-id": keys.archive,
      },
      expect: "Allowed",
    },
    {
      name: "delivery role writes under another account's prefix",
      principal: delivery,
      action: "s3:PutObject",
      resource: DATA(NEIGHBOUR),
      expect: "Denied",
    },
    {
      name: "delivery role writes under another account's error prefix",
      principal: delivery,
      action: "s3:PutObject",
      resource: ERRORS(NEIGHBOUR),
      expect: "Denied",
    },
    {
      name: "delivery role writes under a longer account id that starts with its own",
      principal: delivery,
      action: "s3:PutObject",
      resource: DATA(`${SOURCE}0`),
      expect: "Denied",
    },
    {
      name: "delivery role writes without TLS",
      principal: delivery,
      action: "s3:PutObject",
      resource: DATA(SOURCE),
      context: { "aws:SecureTransport": "false" },
      expect: "Denied",
    },
    {
      name: "delivery role writes naming another KMS key",
      principal: delivery,
      action: "s3:PutObject",
      resource: DATA(SOURCE),
      context: {
        "s3:x-amz-server-side-encryption": "aws:kms",
        "s3:x-amz-server-side-encryption-aws-kms-key-id": `arn:aws:kms:${REGION}:${SOURCE}:key/attacker`,
      },
      expect: "Denied",
    },
    {
      name: "delivery role writes with SSE-S3 instead of the archive key",
      principal: delivery,
      action: "s3:PutObject",
      resource: DATA(SOURCE),
      context: { "s3:x-amz-server-side-encryption": "AES256" },
      expect: "Denied",
    },
    {
      name: "delivery role writes outside the data and error prefixes",
      principal: delivery,
      action: "s3:PutObject",
      resource: `${BUCKET}/athena-results/account=${SOURCE}/x`,
      expect: "Denied",
    },
    {
      name: "delivery role reads its own objects",
      principal: delivery,
      action: "s3:GetObject",
      resource: DATA(SOURCE),
      expect: "Denied",
    },
    {
      name: "delivery role deletes its own objects",
      principal: delivery,
      action: "s3:DeleteObject",
      resource: DATA(SOURCE),
      expect: "Denied",
    },
    {
      name: "delivery role lists the archive",
      principal: delivery,
      action: "s3:ListBucket",
      resource: BUCKET,
      expect: "Denied",
    },
    {
      name: "delivery role gets a data key through S3 for the archive bucket",
      principal: delivery,
      action: "kms:GenerateDataKey",
      resource: keys.archive,
      context: viaS3(REGION, BUCKET),
      expect: "Allowed",
    },
    {
      name: "delivery role gets a data key directly from KMS",
      principal: delivery,
      action: "kms:GenerateDataKey",
      resource: keys.archive,
      expect: "Denied",
    },
    {
      name: "delivery role uses the archive key through S3 for another bucket",
      principal: delivery,
      action: "kms:Decrypt",
      resource: keys.archive,
      context: viaS3(REGION, "arn:aws:s3:::other-bucket"),
      expect: "Denied",
    },

    // --- a role of an organization account named like a delivery role, with admin rights:
    //     only the archive's own policies stand between it and the archive ---------------
    {
      name: "rogue delivery-named role writes under its own account prefix (by design)",
      principal: rogue,
      action: "s3:PutObject",
      resource: DATA(NEIGHBOUR),
      expect: "Allowed",
    },
    {
      name: "rogue delivery-named role writes under another account's prefix",
      principal: rogue,
      action: "s3:PutObject",
      resource: DATA(SOURCE),
      expect: "Denied",
    },
    {
      name: "rogue delivery-named role writes outside the data and error prefixes",
      principal: rogue,
      action: "s3:PutObject",
      resource: `${BUCKET}/athena-results/account=${NEIGHBOUR}/x`,
      expect: "Denied",
    },
    {
      name: "rogue delivery-named role writes without TLS",
      principal: rogue,
      action: "s3:PutObject",
      resource: DATA(NEIGHBOUR),
      context: { "aws:SecureTransport": "false" },
      expect: "Denied",
    },
    {
      name: "rogue delivery-named role reads an object",
      principal: rogue,
      action: "s3:GetObject",
      resource: DATA(NEIGHBOUR),
      expect: "Denied",
    },
    {
      name: "rogue delivery-named role gets a data key directly from KMS",
      principal: rogue,
      action: "kms:GenerateDataKey",
      resource: keys.archive,
      expect: "Denied",
    },
    {
      name: "rogue delivery-named role gets a data key directly from KMS, forging the S3 context",
      principal: rogue,
      action: "kms:GenerateDataKey",
      resource: keys.archive,
      context: { "kms:EncryptionContext:aws:s3:arn": BUCKET },
      expect: "Denied",
    },
    {
      name: "rogue delivery-named role decrypts through S3 for another bucket",
      principal: rogue,
      action: "kms:Decrypt",
      resource: keys.archive,
      context: viaS3(REGION, "arn:aws:s3:::other-bucket"),
      expect: "Denied",
    },

    // --- principals outside the organization ----------------------------------------
    {
      name: "outside administrator writes under its own account prefix",
      principal: outsiderAdmin,
      action: "s3:PutObject",
      resource: DATA(OUTSIDER),
      expect: "Denied",
    },
    {
      name: "outside role named like a delivery role writes under its own prefix",
      principal: { admin: `arn:aws:iam::${OUTSIDER}:role/${prefix}-firehose-us-east-1` },
      action: "s3:PutObject",
      resource: DATA(OUTSIDER),
      expect: "Denied",
    },
    {
      name: "outside administrator reads an object",
      principal: outsiderAdmin,
      action: "s3:GetObject",
      resource: DATA(SOURCE),
      expect: "Denied",
    },
    {
      name: "outside administrator deletes an object",
      principal: outsiderAdmin,
      action: "s3:DeleteObject",
      resource: DATA(SOURCE),
      expect: "Denied",
    },
    {
      name: "outside administrator deletes an object version",
      principal: outsiderAdmin,
      action: "s3:DeleteObjectVersion",
      resource: DATA(SOURCE),
      expect: "Denied",
    },
    {
      name: "outside administrator replaces the bucket policy",
      principal: outsiderAdmin,
      action: "s3:PutBucketPolicy",
      resource: BUCKET,
      expect: "Denied",
    },
    {
      name: "outside administrator decrypts with the archive key through S3",
      principal: outsiderAdmin,
      action: "kms:Decrypt",
      resource: keys.archive,
      context: viaS3(REGION, BUCKET),
      expect: "Denied",
    },

    // --- administrator of a source account -------------------------------------------
    {
      name: "source administrator writes under its own account prefix",
      principal: sourceAdmin,
      action: "s3:PutObject",
      resource: DATA(SOURCE),
      expect: "Denied",
    },
    {
      name: "source administrator reads an object",
      principal: sourceAdmin,
      action: "s3:GetObject",
      resource: DATA(SOURCE),
      expect: "Denied",
    },
    {
      name: "source administrator deletes an object",
      principal: sourceAdmin,
      action: "s3:DeleteObject",
      resource: DATA(SOURCE),
      expect: "Denied",
    },
    {
      name: "source administrator deletes an object version",
      principal: sourceAdmin,
      action: "s3:DeleteObjectVersion",
      resource: DATA(SOURCE),
      expect: "Denied",
    },
    {
      name: "source administrator shortens an object's retention",
      principal: sourceAdmin,
      action: "s3:PutObjectRetention",
      resource: DATA(SOURCE),
      expect: "Denied",
    },
    {
      name: "source administrator replaces the bucket policy",
      principal: sourceAdmin,
      action: "s3:PutBucketPolicy",
      resource: BUCKET,
      expect: "Denied",
    },
    {
      name: "source administrator decrypts with the archive key through S3",
      principal: sourceAdmin,
      action: "kms:Decrypt",
      resource: keys.archive,
      context: viaS3(REGION, BUCKET),
      expect: "Denied",
    },

    // --- SIEM reader ----------------------------------------------------------------
    {
      name: "SIEM reader receives notifications",
      principal: reader,
      action: "sqs:ReceiveMessage",
      resource: names.queueArn,
      expect: "Allowed",
    },
    {
      name: "SIEM reader deletes notifications",
      principal: reader,
      action: "sqs:DeleteMessage",
      resource: names.queueArn,
      expect: "Allowed",
    },
    {
      name: "SIEM reader extends a notification's visibility",
      principal: reader,
      action: "sqs:ChangeMessageVisibility",
      resource: names.queueArn,
      expect: "Allowed",
    },
    {
      name: "SIEM reader receives notifications without TLS",
      principal: reader,
      action: "sqs:ReceiveMessage",
      resource: names.queueArn,
      context: { "aws:SecureTransport": "false" },
      expect: "Denied",
    },
    {
      name: "SIEM reader reads a data object",
      principal: reader,
      action: "s3:GetObject",
      resource: DATA(SOURCE),
      expect: "Allowed",
    },
    {
      name: "SIEM reader lists the data prefix",
      principal: reader,
      action: "s3:ListBucket",
      resource: BUCKET,
      context: { "s3:prefix": `cloudwatch-logs/account=${SOURCE}/` },
      expect: "Allowed",
    },
    {
      name: "SIEM reader decrypts an object through S3",
      principal: reader,
      action: "kms:Decrypt",
      resource: keys.archive,
      context: viaS3(REGION, BUCKET),
      expect: "Allowed",
    },
    {
      name: "SIEM reader decrypts a notification through SQS",
      principal: reader,
      action: "kms:Decrypt",
      resource: keys.queue,
      context: { "kms:ViaService": `sqs.${REGION}.amazonaws.com` },
      expect: "Allowed",
    },
    {
      name: "SIEM reader writes an object",
      principal: reader,
      action: "s3:PutObject",
      resource: DATA(SOURCE),
      expect: "Denied",
    },
    {
      name: "SIEM reader deletes an object",
      principal: reader,
      action: "s3:DeleteObject",
      resource: DATA(SOURCE),
      expect: "Denied",
    },
    {
      name: "SIEM reader reads an error object",
      principal: reader,
      action: "s3:GetObject",
      resource: ERRORS(SOURCE),
      expect: "Denied",
    },
    {
      name: "SIEM reader decrypts directly with KMS",
      principal: reader,
      action: "kms:Decrypt",
      resource: keys.archive,
      expect: "Denied",
    },
    {
      name: "SIEM reader reads the replica",
      principal: reader,
      action: "s3:GetObject",
      resource: `${REPLICA}/cloudwatch-logs/x`,
      expect: "Denied",
    },
    {
      name: "SIEM assumes the reader role with the ExternalId",
      principal: { admin: SIEM_PRINCIPAL },
      action: "sts:AssumeRole",
      resource: READER,
      context: { "sts:ExternalId": EXTERNAL_ID },
      expect: "Allowed",
    },
    {
      name: "SIEM assumes the reader role without an ExternalId",
      principal: { admin: SIEM_PRINCIPAL },
      action: "sts:AssumeRole",
      resource: READER,
      expect: "Denied",
    },
    {
      name: "SIEM assumes the reader role with a wrong ExternalId",
      principal: { admin: SIEM_PRINCIPAL },
      action: "sts:AssumeRole",
      resource: READER,
      context: { "sts:ExternalId": "guessed" },
      expect: "Denied",
    },
    {
      name: "another principal assumes the reader role with the right ExternalId",
      principal: outsiderAdmin,
      action: "sts:AssumeRole",
      resource: READER,
      context: { "sts:ExternalId": EXTERNAL_ID },
      expect: "Denied",
    },

    // --- S3 notifications into the queue ---------------------------------------------
    {
      name: "S3 sends a notification for the archive bucket",
      principal: { service: "s3.amazonaws.com" },
      action: "sqs:SendMessage",
      resource: names.queueArn,
      context: { "aws:SourceArn": BUCKET, "aws:SourceAccount": ARCHIVE },
      expect: "Allowed",
    },
    {
      name: "S3 sends a notification for another bucket",
      principal: { service: "s3.amazonaws.com" },
      action: "sqs:SendMessage",
      resource: names.queueArn,
      context: { "aws:SourceArn": "arn:aws:s3:::someone-elses-bucket", "aws:SourceAccount": ARCHIVE },
      expect: "Denied",
    },
    {
      name: "S3 sends a notification on behalf of another account",
      principal: { service: "s3.amazonaws.com" },
      action: "sqs:SendMessage",
      resource: names.queueArn,
      context: { "aws:SourceArn": BUCKET, "aws:SourceAccount": OUTSIDER },
      expect: "Denied",
    },
    {
      name: "S3 uses the queue key for the archive bucket",
      principal: { service: "s3.amazonaws.com" },
      action: "kms:GenerateDataKey",
      resource: keys.queue,
      context: { "aws:SourceArn": BUCKET, "aws:SourceAccount": ARCHIVE },
      expect: "Allowed",
    },
    {
      name: "S3 uses the queue key for another bucket",
      principal: { service: "s3.amazonaws.com" },
      action: "kms:GenerateDataKey",
      resource: keys.queue,
      context: { "aws:SourceArn": "arn:aws:s3:::someone-elses-bucket", "aws:SourceAccount": OUTSIDER },
      expect: "Denied",
    },

    // --- CloudWatch Logs and Firehose service roles of a source account ---------------------
    {
      name: "CloudWatch Logs assumes the source role for its own account and Region",
      principal: { service: "logs.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: src.subscriptionRoleArn,
      context: { "aws:SourceArn": `arn:aws:logs:us-east-1:${SOURCE}:log-group:/ecs/app`, "aws:SourceAccount": SOURCE },
      expect: "Allowed",
    },
    {
      name: "CloudWatch Logs assumes the source role for another account",
      principal: { service: "logs.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: src.subscriptionRoleArn,
      context: {
        "aws:SourceArn": `arn:aws:logs:us-east-1:${NEIGHBOUR}:log-group:/ecs/app`,
        "aws:SourceAccount": NEIGHBOUR,
      },
      expect: "Denied",
    },
    {
      name: "CloudWatch Logs assumes the source role for another Region",
      principal: { service: "logs.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: src.subscriptionRoleArn,
      context: { "aws:SourceArn": `arn:aws:logs:eu-west-1:${SOURCE}:log-group:/ecs/app`, "aws:SourceAccount": SOURCE },
      expect: "Denied",
    },
    {
      name: "CloudWatch Logs role puts records into its stream",
      principal: { role: src.subscriptionRoleArn },
      action: "firehose:PutRecordBatch",
      resource: src.deliveryStreamArn,
      expect: "Allowed",
    },
    {
      name: "CloudWatch Logs role puts records into another stream",
      principal: { role: src.subscriptionRoleArn },
      action: "firehose:PutRecord",
      resource: `arn:aws:firehose:us-east-1:${SOURCE}:deliverystream/other`,
      expect: "Denied",
    },
    {
      name: "Firehose assumes the delivery role for its own account",
      principal: { service: "firehose.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: src.deliveryRoleArn,
      context: { "sts:ExternalId": SOURCE },
      expect: "Allowed",
    },
    {
      name: "Firehose assumes the delivery role for a foreign source account",
      principal: { service: "firehose.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: src.deliveryRoleArn,
      context: { "sts:ExternalId": OUTSIDER },
      expect: "Denied",
    },

    // --- replication -------------------------------------------------------------------
    {
      name: "S3 assumes the replication role for the archive bucket",
      principal: { service: "s3.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: REPLICATION,
      context: { "aws:SourceArn": BUCKET, "aws:SourceAccount": ARCHIVE },
      expect: "Allowed",
    },
    {
      name: "S3 assumes the replication role for another bucket",
      principal: { service: "s3.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: REPLICATION,
      context: { "aws:SourceArn": "arn:aws:s3:::someone-elses-bucket", "aws:SourceAccount": OUTSIDER },
      expect: "Denied",
    },
    {
      name: "replication reads source versions",
      principal: replication,
      action: "s3:GetObjectVersionForReplication",
      resource: DATA(SOURCE),
      expect: "Allowed",
    },
    {
      name: "replication replicates into the replica",
      principal: replication,
      action: "s3:ReplicateObject",
      resource: `${REPLICA}/cloudwatch-logs/x`,
      expect: "Allowed",
    },
    {
      name: "replication decrypts the source through S3",
      principal: replication,
      action: "kms:Decrypt",
      resource: keys.archive,
      context: viaS3(REGION, BUCKET),
      expect: "Allowed",
    },
    {
      name: "replication encrypts replicas through S3 in the replica Region",
      principal: replication,
      action: "kms:GenerateDataKey",
      resource: keys.replica,
      context: viaS3(REPLICA_REGION, REPLICA),
      expect: "Allowed",
    },
    {
      name: "replication replicates deletions",
      principal: replication,
      action: "s3:ReplicateDelete",
      resource: `${REPLICA}/cloudwatch-logs/x`,
      expect: "Denied",
    },
    {
      name: "replication writes into the source bucket",
      principal: replication,
      action: "s3:ReplicateObject",
      resource: DATA(SOURCE),
      expect: "Denied",
    },
    {
      name: "replication deletes a replica",
      principal: replication,
      action: "s3:DeleteObject",
      resource: `${REPLICA}/cloudwatch-logs/x`,
      expect: "Denied",
    },
    {
      name: "replication decrypts with the replica key",
      principal: replication,
      action: "kms:Decrypt",
      resource: keys.replica,
      context: viaS3(REPLICA_REGION, REPLICA),
      expect: "Denied",
    },
    {
      name: "replication uses the archive key directly",
      principal: replication,
      action: "kms:Decrypt",
      resource: keys.archive,
      expect: "Denied",
    },
    {
      name: "replication reads the access logs",
      principal: replication,
      action: "s3:GetObject",
      resource: `${ACCESS_LOGS}/x`,
      expect: "Denied",
    },

    // --- Athena: the log analyst and the SIEM reader query; nobody else ------------------
    {
      name: "log analyst starts a query in the logs workgroup",
      principal: analyst,
      action: "athena:StartQueryExecution",
      resource: WORKGROUP,
      expect: "Allowed",
    },
    {
      name: "log analyst reads a table definition",
      principal: analyst,
      action: "glue:GetTable",
      resource: `${GLUE}:table/${names.glueDatabase}/cloudwatch_logs`,
      expect: "Allowed",
    },
    {
      name: "log analyst reads a data object",
      principal: analyst,
      action: "s3:GetObject",
      resource: DATA(SOURCE),
      expect: "Allowed",
    },
    {
      name: "log analyst decrypts an object through S3",
      principal: analyst,
      action: "kms:Decrypt",
      resource: keys.archive,
      context: viaS3(REGION, BUCKET),
      expect: "Allowed",
    },
    {
      name: "log analyst writes query results",
      principal: analyst,
      action: "s3:PutObject",
      resource: INTERACTIVE_RESULT,
      expect: "Allowed",
    },
    {
      name: "log analyst reads query results",
      principal: analyst,
      action: "s3:GetObject",
      resource: INTERACTIVE_RESULT,
      expect: "Allowed",
    },
    {
      name: "log analyst decrypts query results through S3",
      principal: analyst,
      action: "kms:Decrypt",
      resource: keys.athena,
      context: viaS3(REGION, RESULTS),
      expect: "Allowed",
    },
    {
      name: "log analyst encrypts query results through S3",
      principal: analyst,
      action: "kms:GenerateDataKey",
      resource: keys.athena,
      context: viaS3(REGION, RESULTS),
      expect: "Allowed",
    },
    {
      name: "log analyst writes into the archive",
      principal: analyst,
      action: "s3:PutObject",
      resource: DATA(SOURCE),
      expect: "Denied",
    },
    {
      name: "log analyst deletes an archived object",
      principal: analyst,
      action: "s3:DeleteObject",
      resource: DATA(SOURCE),
      expect: "Denied",
    },
    {
      name: "log analyst reads an error object (the delivery errors table)",
      principal: analyst,
      action: "s3:GetObject",
      resource: ERRORS(SOURCE),
      expect: "Allowed",
    },
    // The saved queries: each runs in its workgroup over its tables' objects.
    ...ANALYST_SOURCES.map(([source, object]): Scenario => ({
      name: `log analyst reads an object of ${source} (its table)`,
      principal: analyst,
      action: "s3:GetObject",
      resource: object,
      expect: "Allowed",
    })),
    ...ANALYST_SOURCES.map(([source, object]): Scenario => ({
      name: `log analyst writes an object of ${source}`,
      principal: analyst,
      action: "s3:PutObject",
      resource: object,
      expect: "Denied",
    })),
    ...ANALYST_SOURCES.map(([source, object]): Scenario => ({
      name: `log analyst deletes an object of ${source}`,
      principal: analyst,
      action: "s3:DeleteObject",
      resource: object,
      expect: "Denied",
    })),
    {
      name: "log analyst lists the organization trail's account folders",
      principal: analyst,
      action: "s3:ListBucket",
      resource: BUCKET,
      context: { "s3:prefix": `cloudtrail/AWSLogs/${ORG_ID}/` },
      expect: "Allowed",
    },
    {
      name: "log analyst reads an object no table reads (central control messages)",
      principal: analyst,
      action: "s3:GetObject",
      resource: `${BUCKET}/cloudwatch-logs-control/account=${SOURCE}/region=us-east-1/o.gz`,
      expect: "Denied",
    },
    {
      name: "log analyst reads another organization's trail folder",
      principal: analyst,
      action: "s3:GetObject",
      resource: `${BUCKET}/cloudtrail/AWSLogs/${OUTSIDER}/CloudTrail/eu-west-1/2026/11/24/o.json.gz`,
      expect: "Denied",
    },
    // --- the interactive cutoff holds: the analyst queries in the interactive workgroup only, the
    // hunter in the hunting one only; each reads its own workgroup's executions and results only.
    // Athena checks query actions against the workgroup's ARN (resource-level permissions).
    // https://docs.aws.amazon.com/athena/latest/ug/example-policies-workgroup.html
    {
      name: "log analyst starts a query in the hunting workgroup",
      principal: analyst,
      action: "athena:StartQueryExecution",
      resource: HUNTING_WORKGROUP,
      expect: "Denied",
    },
    {
      name: "log hunter starts a query in the hunting workgroup",
      principal: hunter,
      action: "athena:StartQueryExecution",
      resource: HUNTING_WORKGROUP,
      expect: "Allowed",
    },
    {
      name: "log hunter starts a query in the interactive workgroup",
      principal: hunter,
      action: "athena:StartQueryExecution",
      resource: WORKGROUP,
      expect: "Denied",
    },
    ...(
      [
        [analyst, "log analyst", WORKGROUP, HUNTING_WORKGROUP, INTERACTIVE_RESULT, HUNTING_RESULT],
        [hunter, "log hunter", HUNTING_WORKGROUP, WORKGROUP, HUNTING_RESULT, INTERACTIVE_RESULT],
      ] as const
    ).flatMap(([principal, who, own, other, ownResult, otherResult]): Scenario[] => [
      ...["athena:GetQueryResults", "athena:GetQueryExecution", "athena:StopQueryExecution"].flatMap((action) => [
        {
          name: `${who} ${action.replace("athena:", "")} of an execution of its own workgroup`,
          principal,
          action,
          resource: own,
          expect: "Allowed" as const,
        },
        {
          name: `${who} ${action.replace("athena:", "")} of an execution of the other workgroup`,
          principal,
          action,
          resource: other,
          expect: "Denied" as const,
        },
      ]),
      ...["athena:ListNamedQueries", "athena:GetNamedQuery", "athena:BatchGetNamedQuery"].map((action): Scenario => ({
        name: `${who} ${action.replace("athena:", "")} in its own workgroup (saved queries)`,
        principal,
        action,
        resource: own,
        expect: "Allowed",
      })),
      // The saved queries stay as reviewed: an edited copy is run, never saved (docs/investigating.md).
      ...["athena:CreateNamedQuery", "athena:UpdateNamedQuery", "athena:DeleteNamedQuery"].map((action): Scenario => ({
        name: `${who} ${action.replace("athena:", "")} in its own workgroup (saved queries are read-only)`,
        principal,
        action,
        resource: own,
        expect: "Denied",
      })),
      {
        name: `${who} reads its own workgroup's results`,
        principal,
        action: "s3:GetObject",
        resource: ownResult,
        expect: "Allowed",
      },
      {
        name: `${who} writes its own workgroup's results`,
        principal,
        action: "s3:PutObject",
        resource: ownResult,
        expect: "Allowed",
      },
      {
        name: `${who} reads the other workgroup's results`,
        principal,
        action: "s3:GetObject",
        resource: otherResult,
        expect: "Denied",
      },
      {
        name: `${who} writes into the other workgroup's results`,
        principal,
        action: "s3:PutObject",
        resource: otherResult,
        expect: "Denied",
      },
      {
        name: `${who} decrypts results through S3`,
        principal,
        action: "kms:Decrypt",
        resource: keys.athena,
        context: viaS3(REGION, RESULTS),
        expect: "Allowed",
      },
      {
        name: `${who} writes into the archive`,
        principal,
        action: "s3:PutObject",
        resource: DATA(SOURCE),
        expect: "Denied",
      },
      {
        name: `${who} reads a data object`,
        principal,
        action: "s3:GetObject",
        resource: DATA(SOURCE),
        expect: "Allowed",
      },
    ]),
    {
      name: "log analyst saves a query of its own",
      principal: analyst,
      action: "athena:CreateNamedQuery",
      resource: WORKGROUP,
      expect: "Denied",
    },
    {
      name: "log analyst lists workgroups in the console",
      principal: analyst,
      action: "athena:ListWorkGroups",
      resource: "*",
      expect: "Allowed",
    },
    ...["athena:ListDatabases", "athena:ListTableMetadata", "athena:GetTableMetadata"].map((action): Scenario => ({
      name: `log analyst browses the schema in the console (${action})`,
      principal: analyst,
      action,
      resource: `arn:aws:athena:${REGION}:${ARCHIVE}:datacatalog/AwsDataCatalog`,
      expect: "Allowed",
    })),
    ...["cloudtrail", "vpc_flow_logs", "config", "agent_logs", "cloudwatch_logs_errors", "cloudwatch_events"].map(
      (table): Scenario => ({
        name: `log analyst reads the ${table} table definition`,
        principal: analyst,
        action: "glue:GetTable",
        resource: `${GLUE}:table/${names.glueDatabase}/${table}`,
        expect: "Allowed",
      }),
    ),
    {
      name: "log analyst changes a table's projection",
      principal: analyst,
      action: "glue:UpdateTable",
      resource: `${GLUE}:table/${names.glueDatabase}/cloudtrail`,
      expect: "Denied",
    },
    {
      name: "log analyst queries in another workgroup",
      principal: analyst,
      action: "athena:StartQueryExecution",
      resource: `arn:aws:athena:${REGION}:${ARCHIVE}:workgroup/primary`,
      expect: "Denied",
    },
    // The SIEM pulls what it is notified of: no documented need for Athena, so none (least privilege).
    ...[WORKGROUP, HUNTING_WORKGROUP].map((resource): Scenario => ({
      name: `SIEM reader starts a query in the ${resource === WORKGROUP ? "logs" : "hunting"} workgroup`,
      principal: reader,
      action: "athena:StartQueryExecution",
      resource,
      expect: "Denied",
    })),
    {
      name: "SIEM reader reads query results",
      principal: reader,
      action: "s3:GetObject",
      resource: INTERACTIVE_RESULT,
      expect: "Denied",
    },
    {
      name: "a named analyst assumes the log-analyst role",
      principal: { admin: registry.monitoring.athena.analystPrincipals![0]! },
      action: "sts:AssumeRole",
      resource: names.analystRoleArn,
      expect: "Allowed",
    },
    {
      name: "a named analyst assumes the log-hunter role (hunterPrincipals defaults to the analysts)",
      principal: { admin: registry.monitoring.athena.analystPrincipals![0]! },
      action: "sts:AssumeRole",
      resource: names.hunterRoleArn,
      expect: "Allowed",
    },
    {
      name: "an outside principal assumes the log-hunter role",
      principal: outsiderAdmin,
      action: "sts:AssumeRole",
      resource: names.hunterRoleArn,
      expect: "Denied",
    },
    {
      name: "an administrator of the log-archive account who is not a named analyst assumes the log-analyst role",
      principal: { admin: `arn:aws:iam::${ARCHIVE}:role/Administrator` },
      action: "sts:AssumeRole",
      resource: names.analystRoleArn,
      expect: "Denied",
    },
    {
      name: "an outside principal assumes the log-analyst role",
      principal: outsiderAdmin,
      action: "sts:AssumeRole",
      resource: names.analystRoleArn,
      expect: "Denied",
    },
    {
      name: "source administrator reads query results",
      principal: sourceAdmin,
      action: "s3:GetObject",
      resource: INTERACTIVE_RESULT,
      expect: "Denied",
    },

    // --- alarms and heartbeat -------------------------------------------------------------
    {
      name: "CloudWatch publishes this account's delivery alarm",
      principal: { service: "cloudwatch.amazonaws.com" },
      action: "sns:Publish",
      resource: src.alarmTopicArn,
      context: {
        "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${SOURCE}:alarm:${src.alarmNamePrefix}silence`,
        "aws:SourceAccount": SOURCE,
      },
      expect: "Allowed",
    },
    {
      name: "CloudWatch publishes another account's alarm to the delivery topic",
      principal: { service: "cloudwatch.amazonaws.com" },
      action: "sns:Publish",
      resource: src.alarmTopicArn,
      context: {
        "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${OUTSIDER}:alarm:${src.alarmNamePrefix}silence`,
        "aws:SourceAccount": OUTSIDER,
      },
      expect: "Denied",
    },
    {
      name: "CloudWatch publishes an unrelated alarm of the account to the delivery topic",
      principal: { service: "cloudwatch.amazonaws.com" },
      action: "sns:Publish",
      resource: src.alarmTopicArn,
      context: { "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${SOURCE}:alarm:billing`, "aws:SourceAccount": SOURCE },
      expect: "Denied",
    },
    {
      name: "CloudWatch uses the pipeline key for this account's alarm",
      principal: { service: "cloudwatch.amazonaws.com" },
      action: "kms:GenerateDataKey",
      resource: keys.pipeline,
      context: {
        "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${SOURCE}:alarm:${src.alarmNamePrefix}silence`,
        "aws:SourceAccount": SOURCE,
      },
      expect: "Allowed",
    },
    {
      name: "CloudWatch uses the monitoring key for an archive alarm",
      principal: { service: "cloudwatch.amazonaws.com" },
      action: "kms:GenerateDataKey",
      resource: keys.monitoring,
      context: {
        "aws:SourceArn": `arn:aws:cloudwatch:${REGION}:${ARCHIVE}:alarm:${names.alarmNamePrefix}siem-queue-age`,
        "aws:SourceAccount": ARCHIVE,
      },
      expect: "Allowed",
    },
    {
      name: "CloudWatch uses the monitoring key for another account's alarm",
      principal: { service: "cloudwatch.amazonaws.com" },
      action: "kms:GenerateDataKey",
      resource: keys.monitoring,
      context: { "aws:SourceArn": `arn:aws:cloudwatch:${REGION}:${OUTSIDER}:alarm:x`, "aws:SourceAccount": OUTSIDER },
      expect: "Denied",
    },
    {
      name: "EventBridge writes a heartbeat for the heartbeat rule",
      principal: { service: "events.amazonaws.com" },
      action: "logs:PutLogEvents",
      resource: `${src.heartbeatLogGroupArn}:log-stream:x`,
      context: { "aws:SourceArn": src.heartbeatRuleArn, "aws:SourceAccount": SOURCE },
      expect: "Allowed",
    },
    {
      name: "EventBridge writes a heartbeat for another rule",
      principal: { service: "events.amazonaws.com" },
      action: "logs:PutLogEvents",
      resource: `${src.heartbeatLogGroupArn}:log-stream:x`,
      context: { "aws:SourceArn": `arn:aws:events:us-east-1:${OUTSIDER}:rule/x`, "aws:SourceAccount": OUTSIDER },
      expect: "Denied",
    },
    {
      name: "EventBridge writes into another log group",
      principal: { service: "events.amazonaws.com" },
      action: "logs:PutLogEvents",
      resource: `arn:aws:logs:us-east-1:${SOURCE}:log-group:/ecs/app:log-stream:x`,
      context: { "aws:SourceArn": src.heartbeatRuleArn, "aws:SourceAccount": SOURCE },
      expect: "Denied",
    },

    // --- the delivery watch in the log-archive account ---------------------------------
    {
      name: "the watch queries its object-event log group",
      principal: { role: watch.roleArn },
      action: "logs:StartQuery",
      resource: watch.eventLogGroupArn,
      expect: "Allowed",
    },
    {
      name: "the watch queries another log group of the archive account",
      principal: { role: watch.roleArn },
      action: "logs:StartQuery",
      resource: `arn:aws:logs:${REGION}:${ARCHIVE}:log-group:/aws/kinesisfirehose/other`,
      expect: "Denied",
    },
    {
      name: "the watch reads its expected sources",
      principal: { role: watch.roleArn },
      action: "ssm:GetParametersByPath",
      resource: `arn:aws:ssm:${REGION}:${ARCHIVE}:parameter${watch.sourcesPath}`,
      expect: "Allowed",
    },
    {
      name: "the watch reads another parameter path",
      principal: { role: watch.roleArn },
      action: "ssm:GetParametersByPath",
      resource: `arn:aws:ssm:${REGION}:${ARCHIVE}:parameter/prod/database`,
      expect: "Denied",
    },
    {
      name: "the watch publishes to the archive's alarm topic",
      principal: { role: watch.roleArn },
      action: "sns:Publish",
      resource: names.alarmTopicArn,
      expect: "Allowed",
    },
    {
      name: "the watch publishes to another topic",
      principal: { role: watch.roleArn },
      action: "sns:Publish",
      resource: `arn:aws:sns:${REGION}:${ARCHIVE}:other`,
      expect: "Denied",
    },
    {
      name: "the watch encrypts a notification for the alarm topic through SNS",
      principal: { role: watch.roleArn },
      action: "kms:GenerateDataKey",
      resource: keys.monitoring,
      context: { "kms:ViaService": `sns.${REGION}.amazonaws.com` },
      expect: "Allowed",
    },
    {
      name: "the watch decrypts with the monitoring key outside SNS",
      principal: { role: watch.roleArn },
      action: "kms:Decrypt",
      resource: keys.monitoring,
      expect: "Denied",
    },
    {
      name: "the watch reads an archived object",
      principal: { role: watch.roleArn },
      action: "s3:GetObject",
      resource: DATA(SOURCE),
      expect: "Denied",
    },
    {
      name: "EventBridge copies an object event for the watch's rule",
      principal: { service: "events.amazonaws.com" },
      action: "logs:PutLogEvents",
      resource: `${watch.eventLogGroupArn}:log-stream:x`,
      context: { "aws:SourceArn": watch.objectsRuleArn, "aws:SourceAccount": ARCHIVE },
      expect: "Allowed",
    },
    {
      name: "EventBridge writes into the watch's log group for another account's rule",
      principal: { service: "events.amazonaws.com" },
      action: "logs:PutLogEvents",
      resource: `${watch.eventLogGroupArn}:log-stream:x`,
      context: { "aws:SourceArn": `arn:aws:events:${REGION}:${OUTSIDER}:rule/x`, "aws:SourceAccount": OUTSIDER },
      expect: "Denied",
    },

    // --- AWS services that deliver straight to the archive ------------------------------
    {
      name: "the organization trail writes under cloudtrail/ for the organization",
      principal: { service: "cloudtrail.amazonaws.com" },
      action: "s3:PutObject",
      resource: `${BUCKET}/cloudtrail/AWSLogs/${ORG_ID}/${SOURCE}/CloudTrail/us-east-1/2026/11/24/x.json.gz`,
      context: { "aws:SourceArn": TRAIL.arn, "s3:x-amz-acl": "bucket-owner-full-control" },
      expect: "Allowed",
    },
    {
      name: "the organization trail checks the bucket ACL",
      principal: { service: "cloudtrail.amazonaws.com" },
      action: "s3:GetBucketAcl",
      resource: BUCKET,
      context: { "aws:SourceArn": TRAIL.arn },
      expect: "Allowed",
    },
    {
      name: "another trail writes under cloudtrail/",
      principal: { service: "cloudtrail.amazonaws.com" },
      action: "s3:PutObject",
      resource: `${BUCKET}/cloudtrail/AWSLogs/${ORG_ID}/x`,
      context: {
        "aws:SourceArn": `arn:aws:cloudtrail:us-east-1:${OUTSIDER}:trail/x`,
        "s3:x-amz-acl": "bucket-owner-full-control",
      },
      expect: "Denied",
    },
    {
      name: "the organization trail writes under the CloudWatch Logs data prefix",
      principal: { service: "cloudtrail.amazonaws.com" },
      action: "s3:PutObject",
      resource: DATA(SOURCE),
      context: { "aws:SourceArn": TRAIL.arn, "s3:x-amz-acl": "bucket-owner-full-control" },
      expect: "Denied",
    },
    {
      name: "the organization trail uses the archive key for its own log files",
      principal: { service: "cloudtrail.amazonaws.com" },
      action: "kms:GenerateDataKey",
      resource: keys.archive,
      context: { "aws:SourceArn": TRAIL.arn, "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL.arn },
      expect: "Allowed",
    },
    {
      name: "the organization trail uses the archive key under another trail's encryption context",
      principal: { service: "cloudtrail.amazonaws.com" },
      action: "kms:GenerateDataKey",
      resource: keys.archive,
      context: {
        "aws:SourceArn": TRAIL.arn,
        "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:us-east-1:${OUTSIDER}:trail/x`,
      },
      expect: "Denied",
    },
    {
      // CloudTrail's KMS guide: without DescribeKey a trail cannot be created
      // or updated on a bucket with an S3 Bucket Key.
      name: "the organization trail describes the archive key",
      principal: { service: "cloudtrail.amazonaws.com" },
      action: "kms:DescribeKey",
      resource: keys.archive,
      context: { "aws:SourceArn": TRAIL.arn },
      expect: "Allowed",
    },
    {
      name: "another trail describes the archive key",
      principal: { service: "cloudtrail.amazonaws.com" },
      action: "kms:DescribeKey",
      resource: keys.archive,
      context: { "aws:SourceArn": `arn:aws:cloudtrail:us-east-1:${OUTSIDER}:trail/x` },
      expect: "Denied",
    },
    {
      name: "the management account decrypts under the trail's encryption context (creating the trail)",
      principal: { admin: `arn:aws:iam::${MANAGEMENT}:role/cwl-archive-deployment` },
      action: "kms:Decrypt",
      resource: keys.archive,
      context: { "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL.arn },
      expect: "Allowed",
    },
    {
      name: "the management account decrypts archived CloudWatch Logs objects",
      principal: { admin: `arn:aws:iam::${MANAGEMENT}:role/cwl-archive-deployment` },
      action: "kms:Decrypt",
      resource: keys.archive,
      context: viaS3(REGION, BUCKET),
      expect: "Denied",
    },
    {
      // Digest files are SSE-S3 whatever the trail's key (CloudTrail's KMS guide).
      name: "the organization trail writes an SSE-S3 digest file",
      principal: { service: "cloudtrail.amazonaws.com" },
      action: "s3:PutObject",
      resource: `${BUCKET}/cloudtrail/AWSLogs/${ORG_ID}/${SOURCE}/CloudTrail-Digest/us-east-1/2026/11/24/x.json.gz`,
      context: {
        "aws:SourceArn": TRAIL.arn,
        "s3:x-amz-acl": "bucket-owner-full-control",
        "s3:x-amz-server-side-encryption": "AES256",
      },
      expect: "Allowed",
    },
    {
      name: "the organization trail writes an SSE-S3 log file",
      principal: { service: "cloudtrail.amazonaws.com" },
      action: "s3:PutObject",
      resource: `${BUCKET}/cloudtrail/AWSLogs/${ORG_ID}/${SOURCE}/CloudTrail/us-east-1/2026/11/24/x.json.gz`,
      context: {
        "aws:SourceArn": TRAIL.arn,
        "s3:x-amz-acl": "bucket-owner-full-control",
        "s3:x-amz-server-side-encryption": "AES256",
      },
      expect: "Denied",
    },
    {
      name: "the organization trail writes a log file naming the archive key by its alias",
      principal: { service: "cloudtrail.amazonaws.com" },
      action: "s3:PutObject",
      resource: `${BUCKET}/cloudtrail/AWSLogs/${ORG_ID}/${SOURCE}/CloudTrail/us-east-1/2026/11/24/x.json.gz`,
      context: {
        "aws:SourceArn": TRAIL.arn,
        "s3:x-amz-acl": "bucket-owner-full-control",
        "s3:x-amz-server-side-encryption": "aws:kms",
        "s3:x-amz-server-side-encryption-aws-kms-key-id": `arn:aws:kms:${REGION}:${ARCHIVE}:alias/cwl-archive-archive`,
      },
      expect: "Allowed",
    },
    {
      name: "an AWS Config recorder role writes under its own account's config/ prefix",
      principal: { admin: `arn:aws:iam::${NEIGHBOUR}:role/${RECORDER}` },
      action: "s3:PutObject",
      resource: `${BUCKET}/config/AWSLogs/${NEIGHBOUR}/Config/eu-west-1/2026/11/24/x.json.gz`,
      context: { "s3:x-amz-acl": "bucket-owner-full-control" },
      expect: "Allowed",
    },
    {
      name: "an AWS Config recorder role writes under another account's config/ prefix",
      principal: { admin: `arn:aws:iam::${NEIGHBOUR}:role/${RECORDER}` },
      action: "s3:PutObject",
      resource: `${BUCKET}/config/AWSLogs/${SOURCE}/Config/x`,
      expect: "Denied",
    },
    {
      name: "an AWS Config recorder role writes under the CloudWatch Logs data prefix",
      principal: { admin: `arn:aws:iam::${NEIGHBOUR}:role/${RECORDER}` },
      action: "s3:PutObject",
      resource: DATA(NEIGHBOUR),
      expect: "Denied",
    },
    {
      name: "a recorder role of an account outside the organization writes under config/",
      principal: { admin: `arn:aws:iam::${OUTSIDER}:role/${RECORDER}` },
      action: "s3:PutObject",
      resource: `${BUCKET}/config/AWSLogs/${OUTSIDER}/Config/x`,
      expect: "Denied",
    },
    {
      name: "an AWS Config recorder role reads the bucket's ACL (Config's permission check)",
      principal: { admin: `arn:aws:iam::${NEIGHBOUR}:role/${RECORDER}` },
      action: "s3:GetBucketAcl",
      resource: BUCKET,
      expect: "Allowed",
    },
    {
      // Any member account's administrator can create a role with the recorder's name:
      // listing would show every account's keys. Config delivers without it (its guide).
      name: "an AWS Config recorder role lists the archive",
      principal: { admin: `arn:aws:iam::${NEIGHBOUR}:role/${RECORDER}` },
      action: "s3:ListBucket",
      resource: BUCKET,
      expect: "Denied",
    },
    {
      name: "an AWS Config recorder role uses the archive key through S3",
      principal: { admin: `arn:aws:iam::${NEIGHBOUR}:role/${RECORDER}` },
      action: "kms:GenerateDataKey",
      resource: keys.archive,
      context: viaS3(REGION, BUCKET),
      expect: "Allowed",
    },
    {
      name: "VPC Flow Logs of the organization deliver under vpc-flow-logs/",
      principal: { service: "delivery.logs.amazonaws.com" },
      action: "s3:PutObject",
      resource: `${BUCKET}/vpc-flow-logs/AWSLogs/${SOURCE}/vpcflowlogs/eu-west-1/2026/11/24/x.log.gz`,
      context: { "aws:SourceOrgID": ORG_ID, "aws:SourceAccount": SOURCE, "s3:x-amz-acl": "bucket-owner-full-control" },
      expect: "Allowed",
    },
    {
      name: "VPC Flow Logs of another organization deliver under vpc-flow-logs/",
      principal: { service: "delivery.logs.amazonaws.com" },
      action: "s3:PutObject",
      resource: `${BUCKET}/vpc-flow-logs/AWSLogs/${OUTSIDER}/x`,
      context: {
        "aws:SourceOrgID": "o-zzzzzzzzzz",
        "aws:SourceAccount": OUTSIDER,
        "s3:x-amz-acl": "bucket-owner-full-control",
      },
      expect: "Denied",
    },
    {
      name: "VPC Flow Logs deliver under the CloudWatch Logs data prefix",
      principal: { service: "delivery.logs.amazonaws.com" },
      action: "s3:PutObject",
      resource: DATA(SOURCE),
      context: { "aws:SourceOrgID": ORG_ID, "s3:x-amz-acl": "bucket-owner-full-control" },
      expect: "Denied",
    },
    {
      name: "VPC Flow Logs of one account deliver into another account's folder",
      principal: { service: "delivery.logs.amazonaws.com" },
      action: "s3:PutObject",
      resource: `${BUCKET}/vpc-flow-logs/AWSLogs/${NEIGHBOUR}/vpcflowlogs/eu-west-1/2026/11/24/x.log.gz`,
      context: { "aws:SourceOrgID": ORG_ID, "aws:SourceAccount": SOURCE, "s3:x-amz-acl": "bucket-owner-full-control" },
      expect: "Denied",
    },
    {
      name: "VPC Flow Logs of the organization use the archive key through S3 for the archive",
      principal: { service: "delivery.logs.amazonaws.com" },
      action: "kms:GenerateDataKey",
      resource: keys.archive,
      context: { "aws:SourceOrgID": ORG_ID, ...viaS3(REGION, BUCKET) },
      expect: "Allowed",
    },
    {
      name: "VPC Flow Logs of the organization use the archive key for another bucket",
      principal: { service: "delivery.logs.amazonaws.com" },
      action: "kms:GenerateDataKey",
      resource: keys.archive,
      context: { "aws:SourceOrgID": ORG_ID, ...viaS3(REGION, "arn:aws:s3:::elsewhere") },
      expect: "Denied",
    },
    {
      name: "VPC Flow Logs of the organization use the archive key outside S3",
      principal: { service: "delivery.logs.amazonaws.com" },
      action: "kms:GenerateDataKey",
      resource: keys.archive,
      context: { "aws:SourceOrgID": ORG_ID, "kms:EncryptionContext:aws:s3:arn": BUCKET },
      expect: "Denied",
    },
    {
      name: "VPC Flow Logs of another organization use the archive key",
      principal: { service: "delivery.logs.amazonaws.com" },
      action: "kms:GenerateDataKey",
      resource: keys.archive,
      context: { "aws:SourceOrgID": "o-zzzzzzzzzz", ...viaS3(REGION, BUCKET) },
      expect: "Denied",
    },
    // --- Log agents writing straight to the archive (sources.agents) ---------------------
    {
      name: "a log agent role writes under its own account's agents/ folder",
      principal: { admin: `arn:aws:iam::${NEIGHBOUR}:role/cwl-archive-log-agent-syslog` },
      action: "s3:PutObject",
      resource: `${BUCKET}/agents/${NEIGHBOUR}/syslog/2026/11/30/host-1.gz`,
      expect: "Allowed",
    },
    {
      name: "a log agent role writes under another account's agents/ folder",
      principal: { admin: `arn:aws:iam::${NEIGHBOUR}:role/cwl-archive-log-agent-syslog` },
      action: "s3:PutObject",
      resource: `${BUCKET}/agents/${SOURCE}/syslog/x.gz`,
      expect: "Denied",
    },
    {
      name: "a log agent role writes under the CloudWatch Logs data prefix",
      principal: { admin: `arn:aws:iam::${NEIGHBOUR}:role/cwl-archive-log-agent-syslog` },
      action: "s3:PutObject",
      resource: DATA(NEIGHBOUR),
      expect: "Denied",
    },
    {
      name: "a role not named like a log agent writes under agents/",
      principal: { admin: `arn:aws:iam::${NEIGHBOUR}:role/deploy` },
      action: "s3:PutObject",
      resource: `${BUCKET}/agents/${NEIGHBOUR}/x.gz`,
      expect: "Denied",
    },
    {
      name: "a log agent role of an account outside the organization writes under agents/",
      principal: { admin: `arn:aws:iam::${OUTSIDER}:role/cwl-archive-log-agent-syslog` },
      action: "s3:PutObject",
      resource: `${BUCKET}/agents/${OUTSIDER}/x.gz`,
      expect: "Denied",
    },
    {
      name: "a log agent writes without TLS",
      principal: { admin: `arn:aws:iam::${NEIGHBOUR}:role/cwl-archive-log-agent-syslog` },
      action: "s3:PutObject",
      resource: `${BUCKET}/agents/${NEIGHBOUR}/x.gz`,
      context: { "aws:SecureTransport": "false" },
      expect: "Denied",
    },
    {
      name: "a log agent writes naming another KMS key",
      principal: { admin: `arn:aws:iam::${NEIGHBOUR}:role/cwl-archive-log-agent-syslog` },
      action: "s3:PutObject",
      resource: `${BUCKET}/agents/${NEIGHBOUR}/x.gz`,
      context: {
        "s3:x-amz-server-side-encryption": "aws:kms",
        "s3:x-amz-server-side-encryption-aws-kms-key-id": `arn:aws:kms:${REGION}:${OUTSIDER}:key/other`,
      },
      expect: "Denied",
    },
    {
      name: "a log agent uses the archive key through S3 for the archive",
      principal: { admin: `arn:aws:iam::${NEIGHBOUR}:role/cwl-archive-log-agent-syslog` },
      action: "kms:GenerateDataKey",
      resource: keys.archive,
      context: viaS3(REGION, BUCKET),
      expect: "Allowed",
    },
    {
      name: "a log agent uses the archive key outside S3",
      principal: { admin: `arn:aws:iam::${NEIGHBOUR}:role/cwl-archive-log-agent-syslog` },
      action: "kms:Decrypt",
      resource: keys.archive,
      expect: "Denied",
    },
    {
      name: "a log agent reads the archive",
      principal: { admin: `arn:aws:iam::${NEIGHBOUR}:role/cwl-archive-log-agent-syslog` },
      action: "s3:GetObject",
      resource: `${BUCKET}/agents/${NEIGHBOUR}/x.gz`,
      expect: "Denied",
    },
    {
      name: "the SIEM reader reads an announced CloudTrail object",
      principal: reader,
      action: "s3:GetObject",
      resource: `${BUCKET}/cloudtrail/AWSLogs/${ORG_ID}/x`,
      expect: "Allowed",
    },
    {
      name: "the SIEM reader reads a Config object it is not notified of",
      principal: reader,
      action: "s3:GetObject",
      resource: `${BUCKET}/config/AWSLogs/${SOURCE}/Config/x`,
      expect: "Denied",
    },
    {
      name: "EventBridge writes a GuardDuty finding for the findings rule",
      principal: { service: "events.amazonaws.com" },
      action: "logs:PutLogEvents",
      resource: `${gd.guardDutyLogGroupArn}:log-stream:x`,
      context: { "aws:SourceArn": gd.guardDutyRuleArn, "aws:SourceAccount": GUARDDUTY_SOURCE },
      expect: "Allowed",
    },
    {
      name: "EventBridge writes into the findings log group for the heartbeat rule",
      principal: { service: "events.amazonaws.com" },
      action: "logs:PutLogEvents",
      resource: `${gd.guardDutyLogGroupArn}:log-stream:x`,
      context: { "aws:SourceArn": gd.heartbeatRuleArn, "aws:SourceAccount": GUARDDUTY_SOURCE },
      expect: "Denied",
    },

    // --- the central-destination topology ------------------------------------------------
    {
      name: "an organization account subscribes to the central destination",
      principal: { admin: `arn:aws:iam::${CENTRAL_ACCOUNT}:role/Administrator` },
      action: "logs:PutSubscriptionFilter",
      resource: CENTRAL.destinationArn,
      expect: "Allowed",
    },
    {
      name: "an account outside the organization subscribes to the central destination",
      principal: outsiderAdmin,
      action: "logs:PutSubscriptionFilter",
      resource: CENTRAL.destinationArn,
      expect: "Denied",
    },
    {
      name: "CloudWatch Logs of the Region assumes the destination role for an organization account",
      principal: { service: `logs.${REGION}.amazonaws.com` },
      action: "sts:AssumeRole",
      resource: iamArn(CENTRAL.destinationRole),
      context: {
        "aws:SourceArn": `arn:aws:logs:${REGION}:${CENTRAL_ACCOUNT}:log-group:/ecs/app`,
        "aws:SourceOrgID": ORG_ID,
      },
      expect: "Allowed",
    },
    {
      name: "CloudWatch Logs assumes the destination role for another Region",
      principal: { service: `logs.${REGION}.amazonaws.com` },
      action: "sts:AssumeRole",
      resource: iamArn(CENTRAL.destinationRole),
      context: {
        "aws:SourceArn": `arn:aws:logs:us-east-1:${CENTRAL_ACCOUNT}:log-group:/ecs/app`,
        "aws:SourceOrgID": ORG_ID,
      },
      expect: "Denied",
    },
    {
      name: "CloudWatch Logs assumes the destination role for another organization",
      principal: { service: `logs.${REGION}.amazonaws.com` },
      action: "sts:AssumeRole",
      resource: iamArn(CENTRAL.destinationRole),
      context: {
        "aws:SourceArn": `arn:aws:logs:${REGION}:${OUTSIDER}:log-group:/x`,
        "aws:SourceOrgID": "o-zzzzzzzzzz",
      },
      expect: "Denied",
    },
    {
      name: "the destination role puts records into the central stream",
      principal: { role: iamArn(CENTRAL.destinationRole) },
      action: "firehose:PutRecordBatch",
      resource: CENTRAL.deliveryStreamArn,
      expect: "Allowed",
    },
    {
      name: "the destination role puts records into a source account's stream",
      principal: { role: iamArn(CENTRAL.destinationRole) },
      action: "firehose:PutRecordBatch",
      resource: src.deliveryStreamArn,
      expect: "Denied",
    },
    {
      name: "the central Firehose writes under any account's data prefix",
      principal: { role: iamArn(CENTRAL.firehoseRole) },
      action: "s3:PutObject",
      resource: DATA(CENTRAL_ACCOUNT),
      expect: "Allowed",
    },
    {
      name: "the central Firehose writes control messages under cloudwatch-logs-control/",
      principal: { role: iamArn(CENTRAL.firehoseRole) },
      action: "s3:PutObject",
      resource: `${BUCKET}/cloudwatch-logs-control/account=CloudwatchLogs/x`,
      expect: "Allowed",
    },
    {
      name: "the central Firehose encrypts through S3 with the archive key",
      principal: { role: iamArn(CENTRAL.firehoseRole) },
      action: "kms:GenerateDataKey",
      resource: keys.archive,
      context: viaS3(REGION, BUCKET),
      expect: "Allowed",
    },
    {
      name: "the central Firehose reads archived objects",
      principal: { role: iamArn(CENTRAL.firehoseRole) },
      action: "s3:GetObject",
      resource: DATA(CENTRAL_ACCOUNT),
      expect: "Denied",
    },
    {
      name: "the central Firehose writes under cloudtrail/",
      principal: { role: iamArn(CENTRAL.firehoseRole) },
      action: "s3:PutObject",
      resource: `${BUCKET}/cloudtrail/AWSLogs/${ORG_ID}/x`,
      expect: "Denied",
    },
    {
      name: "Firehose assumes the central role for another account",
      principal: { service: "firehose.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: iamArn(CENTRAL.firehoseRole),
      context: { "sts:ExternalId": OUTSIDER },
      expect: "Denied",
    },

    // --- access logs -------------------------------------------------------------------
    {
      name: "S3 logging delivers access logs of the archive",
      principal: { service: "logging.s3.amazonaws.com" },
      action: "s3:PutObject",
      resource: `${ACCESS_LOGS}/${names.archiveBucket}/x`,
      context: { "aws:SourceArn": BUCKET, "aws:SourceAccount": ARCHIVE },
      expect: "Allowed",
    },
    {
      name: "S3 logging delivers access logs of another bucket",
      principal: { service: "logging.s3.amazonaws.com" },
      action: "s3:PutObject",
      resource: `${ACCESS_LOGS}/x`,
      context: { "aws:SourceArn": "arn:aws:s3:::someone-elses-bucket", "aws:SourceAccount": OUTSIDER },
      expect: "Denied",
    },
  ];
}

export interface RowResult {
  readonly scenario: Scenario;
  readonly outcome: Outcome;
  readonly ok: boolean;
}

export async function evaluateMatrix(world: PolicyWorld, rows: readonly Scenario[]): Promise<RowResult[]> {
  const results: RowResult[] = [];
  for (const scenario of rows) {
    const outcome = await simulate(world, org, scenario);
    results.push({ scenario, outcome, ok: outcome.decision === scenario.expect });
  }
  return results;
}

export function describeRow(row: RowResult): string {
  const { scenario, outcome } = row;
  return `${row.ok ? "ok  " : "FAIL"} ${outcome.decision.padEnd(7)} (expected ${scenario.expect}) ${scenario.name} [${outcome.result}; ${outcome.decisive.join(", ") || "no statement applied"}]`;
}

export { buildWorld };
