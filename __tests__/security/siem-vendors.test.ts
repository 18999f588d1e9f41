/**
 * IAM simulation rows for each SIEM vendor's documented way in (issue 24),
 * over the synthesised stacks of a registry with every SIEM option on: a
 * reader principal inside the organization (the Splunk Add-on for AWS, which
 * cannot send an ExternalId), one outside (a hosted Elastic or another
 * vendor, which must), a named direct reader (a Splunk heavy forwarder's
 * instance role, no role to assume), Microsoft Sentinel's web identity, and
 * one queue per announced prefix. Each vendor's principal reads and
 * decrypts; nobody else does.
 * @see https://learn.microsoft.com/en-us/azure/sentinel/connect-aws?tabs=s3#manual-setup
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../../modules/app/build-app";
import { archiveNames } from "../../modules/naming/names";
import { SENTINEL, sentinelProviderArn } from "../../modules/policy/siem-policies";
import { ARCHIVE, ORG, registryWith, SOURCE } from "../helpers/registry";
import { buildWorld, readStacks, type PolicyWorld } from "./support/policy-world";
import { simulate, type Organization, type Scenario } from "./support/simulate";

const REGION = "eu-west-1";
const OUTSIDER = "444455556666";
const SPLUNK_IN_ORG = `arn:aws:iam::${SOURCE}:role/splunk-addon`;
const VENDOR_OUTSIDE = `arn:aws:iam::${OUTSIDER}:role/hosted-siem`;
const FORWARDER = `arn:aws:iam::${SOURCE}:role/splunk-heavy-forwarder`;
const EXTERNAL_ID = "vendor-7f2c9a";
const WORKSPACE = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";

const registry = registryWith((raw) => {
  raw.siem = {
    readerPrincipals: [SPLUNK_IN_ORG, VENDOR_OUTSIDE],
    externalId: EXTERNAL_ID,
    readers: [FORWARDER],
    sentinel: { workspaceId: WORKSPACE },
    queues: "perPrefix",
  };
  raw.sources = { vpcFlowLogs: { enabled: true }, notifySiem: ["vpc-flow-logs"] };
});
const names = archiveNames({ prefix: "cwl-archive", archiveAccountId: ARCHIVE, archiveRegion: REGION });
const org: Organization = { id: ORG, members: new Set([ARCHIVE, SOURCE]) };
const BUCKET = names.archiveBucketArn;
const DATA = `${BUCKET}/cloudwatch-logs/account=${SOURCE}/region=${REGION}/year=2026/month=12/day=04/hour=10/o.json.gz`;
const FLOW = `${BUCKET}/vpc-flow-logs/AWSLogs/${SOURCE}/vpcflowlogs/${REGION}/2026/12/04/f.log.gz`;
const ERRORS = `${BUCKET}/cloudwatch-logs-errors/account=${SOURCE}/region=${REGION}/processing-failed/o.gz`;
const sqsArn = (name: string) => `arn:aws:sqs:${REGION}:${ARCHIVE}:${name}`;
const QUEUE = sqsArn(names.queue);
const DLQ = sqsArn(names.deadLetterQueue);
const FLOW_QUEUE = sqsArn(`${names.queue}-vpc-flow-logs`);
const FLOW_DLQ = sqsArn(`${names.queue}-vpc-flow-logs-dlq`);
const VIA_S3 = { "kms:ViaService": `s3.${REGION}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": BUCKET };
const VIA_SQS = { "kms:ViaService": `sqs.${REGION}.amazonaws.com` };
const PROVIDER = sentinelProviderArn(ARCHIVE, "aws");
const webIdentity = (audience: string, sessionName: string) => ({
  [`${SENTINEL.issuer}:aud`]: audience,
  "sts:RoleSessionName": sessionName,
});

let world: PolicyWorld;
let keys: { archive: string; queue: string };

beforeAll(() => {
  const outdir = mkdtempSync(join(tmpdir(), "cwl-siem-"));
  try {
    buildApp(registry, { outdir }).synth();
    world = buildWorld(readStacks(outdir));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  const key = (alias: string) => world.keysByAlias.get(`${ARCHIVE}/${REGION}/${alias}`)!;
  keys = { archive: key(names.archiveKeyAlias), queue: key(names.queueKeyAlias) };
});

/** What a SIEM's principal does to ingest: consume each queue, read each announced prefix, decrypt both. */
function ingests(who: string, principal: Scenario["principal"]): Scenario[] {
  const row = (what: string, action: string, resource: string, context?: Scenario["context"]): Scenario => ({
    name: `${who} ${what}`,
    principal,
    action,
    resource,
    context,
    expect: "Allowed",
  });
  return [
    row("receives a notification", "sqs:ReceiveMessage", QUEUE),
    row("deletes a notification", "sqs:DeleteMessage", QUEUE),
    row("extends a notification's visibility", "sqs:ChangeMessageVisibility", QUEUE),
    row("reads the queue's attributes", "sqs:GetQueueAttributes", QUEUE),
    row("receives from the dead-letter queue", "sqs:ReceiveMessage", DLQ),
    row("receives from the flow logs' queue", "sqs:ReceiveMessage", FLOW_QUEUE),
    row("receives from the flow logs' dead-letter queue", "sqs:ReceiveMessage", FLOW_DLQ),
    row("decrypts a notification through SQS", "kms:Decrypt", keys.queue, VIA_SQS),
    row("reads a CloudWatch Logs object", "s3:GetObject", DATA),
    row("reads a flow log object", "s3:GetObject", FLOW),
    row("lists the data prefix", "s3:ListBucket", BUCKET, { "s3:prefix": `cloudwatch-logs/account=${SOURCE}/` }),
    row("decrypts an object through S3", "kms:Decrypt", keys.archive, VIA_S3),
  ];
}

/** What no SIEM principal may do. */
function neverDoes(who: string, principal: Scenario["principal"]): Scenario[] {
  const row = (what: string, action: string, resource: string, context?: Scenario["context"]): Scenario => ({
    name: `${who} ${what}`,
    principal,
    action,
    resource,
    context,
    expect: "Denied",
  });
  return [
    row("reads an error object", "s3:GetObject", ERRORS),
    row("writes an object", "s3:PutObject", DATA),
    row("deletes an object", "s3:DeleteObject", DATA),
    row("sends a notification", "sqs:SendMessage", QUEUE),
    row("decrypts with the archive key outside S3", "kms:Decrypt", keys.archive),
    row("decrypts with the queue key through S3", "kms:Decrypt", keys.queue, VIA_S3),
    row("reads without TLS", "s3:GetObject", DATA, { "aws:SecureTransport": "false" }),
  ];
}

function rows(): Scenario[] {
  const reader = { role: names.siemReaderRoleArn };
  const sentinel = { role: names.sentinelRoleArn };
  const forwarder = { admin: FORWARDER };
  const operator = { role: names.siemOperatorRoleArn };
  const assume = (
    name: string,
    principal: Scenario["principal"],
    expect: Scenario["expect"],
    externalId?: string,
    roleArn: string = names.siemReaderRoleArn,
  ) => ({
    name,
    principal,
    action: "sts:AssumeRole",
    resource: roleArn,
    context: externalId ? { "sts:ExternalId": externalId } : undefined,
    expect,
  });
  const withWebIdentity = (name: string, context: Scenario["context"], expect: Scenario["expect"]): Scenario => ({
    name,
    principal: { federated: PROVIDER },
    action: "sts:AssumeRoleWithWebIdentity",
    resource: names.sentinelRoleArn,
    context,
    expect,
  });
  const otherAdmin = { admin: `arn:aws:iam::${SOURCE}:role/Administrator` };
  const archiveAdmin = { admin: `arn:aws:iam::${ARCHIVE}:role/Administrator` };
  return [
    // --- Splunk Add-on for AWS: a role inside the organization, no ExternalId -------------
    assume(
      "Splunk (inside the organization) assumes the reader role without an ExternalId",
      { admin: SPLUNK_IN_ORG },
      "Allowed",
    ),
    assume(
      "Splunk (inside the organization) assumes the reader role with the ExternalId",
      { admin: SPLUNK_IN_ORG },
      "Allowed",
      EXTERNAL_ID,
    ),
    // --- a vendor outside the organization (hosted Elastic, others) -----------------------
    assume(
      "a vendor outside the organization assumes the reader role with the ExternalId",
      { admin: VENDOR_OUTSIDE },
      "Allowed",
      EXTERNAL_ID,
    ),
    assume(
      "a vendor outside the organization assumes the reader role without an ExternalId",
      { admin: VENDOR_OUTSIDE },
      "Denied",
    ),
    assume(
      "a vendor outside the organization assumes the reader role with a wrong ExternalId",
      { admin: VENDOR_OUTSIDE },
      "Denied",
      "guessed",
    ),
    assume("an unlisted principal of the organization assumes the reader role", otherAdmin, "Denied"),
    assume(
      "an unlisted principal of the organization assumes the reader role with the ExternalId",
      otherAdmin,
      "Denied",
      EXTERNAL_ID,
    ),
    assume(
      "an unlisted principal outside the organization assumes the reader role with the ExternalId",
      { admin: `arn:aws:iam::${OUTSIDER}:role/other` },
      "Denied",
      EXTERNAL_ID,
    ),
    ...ingests("the reader role", reader),
    ...neverDoes("the reader role", reader),
    // --- replay and redrive: the operator role only (a vendor may assume the reader) ----------
    {
      name: "the reader role re-announces an object on a queue",
      principal: reader,
      action: "sqs:SendMessage",
      resource: FLOW_QUEUE,
      expect: "Denied",
    },
    {
      name: "the reader role encrypts a notification through SQS",
      principal: reader,
      action: "kms:GenerateDataKey",
      resource: keys.queue,
      context: VIA_SQS,
      expect: "Denied",
    },
    {
      name: "the reader role starts a dead-letter redrive",
      principal: reader,
      action: "sqs:StartMessageMoveTask",
      resource: DLQ,
      expect: "Denied",
    },
    {
      name: "the reader role sends into a dead-letter queue",
      principal: reader,
      action: "sqs:SendMessage",
      resource: DLQ,
      expect: "Denied",
    },
    {
      name: "the reader role gets a data key of the queue key outside SQS",
      principal: reader,
      action: "kms:GenerateDataKey",
      resource: keys.queue,
      expect: "Denied",
    },
    {
      name: "the reader role gets a data key of the archive key",
      principal: reader,
      action: "kms:GenerateDataKey",
      resource: keys.archive,
      context: VIA_S3,
      expect: "Denied",
    },
    ...(
      [
        ["re-announces an object on a queue", "sqs:SendMessage", QUEUE, undefined, "Allowed"],
        ["re-announces an object on the flow logs' queue", "sqs:SendMessage", FLOW_QUEUE, undefined, "Allowed"],
        ["encrypts a notification through SQS", "kms:GenerateDataKey", keys.queue, VIA_SQS, "Allowed"],
        ["starts a dead-letter redrive", "sqs:StartMessageMoveTask", DLQ, undefined, "Allowed"],
        ["receives (inspects) a dead letter", "sqs:ReceiveMessage", FLOW_DLQ, undefined, "Allowed"],
        ["decrypts a dead letter through SQS", "kms:Decrypt", keys.queue, VIA_SQS, "Allowed"],
        ["lists the data prefix to replay", "s3:ListBucket", BUCKET, { "s3:prefix": "cloudwatch-logs/" }, "Allowed"],
        ["sends into a dead-letter queue", "sqs:SendMessage", DLQ, undefined, "Denied"],
        ["receives from a live queue (the SIEM's)", "sqs:ReceiveMessage", QUEUE, undefined, "Denied"],
        ["reads an object", "s3:GetObject", DATA, undefined, "Denied"],
        ["decrypts with the archive key", "kms:Decrypt", keys.archive, VIA_S3, "Denied"],
        ["lists the error prefix", "s3:ListBucket", BUCKET, { "s3:prefix": "cloudwatch-logs-errors/" }, "Denied"],
      ] as const
    ).map(([what, action, resource, context, expect]): Scenario => ({
      name: `the operator role ${what}`,
      principal: operator,
      action,
      resource,
      context,
      expect,
    })),
    assume(
      "an administrator of the log-archive account assumes the operator role",
      archiveAdmin,
      "Allowed",
      undefined,
      names.siemOperatorRoleArn,
    ),
    assume(
      "a reader principal (a vendor's) assumes the operator role",
      { admin: VENDOR_OUTSIDE },
      "Denied",
      EXTERNAL_ID,
      names.siemOperatorRoleArn,
    ),
    assume(
      "the organization's reader principal assumes the operator role",
      { admin: SPLUNK_IN_ORG },
      "Denied",
      undefined,
      names.siemOperatorRoleArn,
    ),
    {
      name: "the named reader re-announces an object on a queue",
      principal: forwarder,
      action: "sqs:SendMessage",
      resource: QUEUE,
      expect: "Denied",
    },
    {
      name: "the Sentinel role re-announces an object on a queue",
      principal: sentinel,
      action: "sqs:SendMessage",
      resource: QUEUE,
      expect: "Denied",
    },
    {
      name: "the Sentinel role starts a dead-letter redrive",
      principal: sentinel,
      action: "sqs:StartMessageMoveTask",
      resource: DLQ,
      expect: "Denied",
    },
    {
      name: "the Sentinel role encrypts a notification through SQS",
      principal: sentinel,
      action: "kms:GenerateDataKey",
      resource: keys.queue,
      context: VIA_SQS,
      expect: "Denied",
    },
    {
      name: "the named reader starts a dead-letter redrive",
      principal: forwarder,
      action: "sqs:StartMessageMoveTask",
      resource: DLQ,
      expect: "Denied",
    },
    {
      name: "the named reader encrypts a notification through SQS",
      principal: forwarder,
      action: "kms:GenerateDataKey",
      resource: keys.queue,
      context: VIA_SQS,
      expect: "Denied",
    },
    // --- a named direct reader (Splunk heavy forwarder's instance role) -------------------
    ...ingests("the named reader", forwarder),
    ...neverDoes("the named reader", forwarder),
    {
      name: "the named reader lists the error prefix",
      principal: forwarder,
      action: "s3:ListBucket",
      resource: BUCKET,
      context: { "s3:prefix": "cloudwatch-logs-errors/" },
      expect: "Denied",
    },
    // --- Microsoft Sentinel: web identity into the OIDC_ role ------------------------------
    withWebIdentity(
      "Sentinel assumes its role for the workspace (MicrosoftSentinel_)",
      webIdentity(SENTINEL.audience, `MicrosoftSentinel_${WORKSPACE}`),
      "Allowed",
    ),
    withWebIdentity(
      "Sentinel assumes its role for the workspace (MicrosoftDefenderForClouds_)",
      webIdentity(SENTINEL.audience, `MicrosoftDefenderForClouds_${WORKSPACE}`),
      "Allowed",
    ),
    withWebIdentity(
      "Sentinel assumes the role for another workspace",
      webIdentity(SENTINEL.audience, "MicrosoftSentinel_11111111-2222-4333-8444-555555555555"),
      "Denied",
    ),
    withWebIdentity(
      "a token for another audience assumes the Sentinel role",
      webIdentity("api://another-application", `MicrosoftSentinel_${WORKSPACE}`),
      "Denied",
    ),
    {
      name: "the organization's reader principal assumes the Sentinel role",
      principal: { admin: SPLUNK_IN_ORG },
      action: "sts:AssumeRole",
      resource: names.sentinelRoleArn,
      expect: "Denied",
    },
    ...ingests("the Sentinel role", sentinel),
    ...neverDoes("the Sentinel role", sentinel),
    // --- nobody else ----------------------------------------------------------------------
    {
      name: "an unnamed administrator of the reader's account reads an object",
      principal: otherAdmin,
      action: "s3:GetObject",
      resource: DATA,
      expect: "Denied",
    },
    {
      name: "an unnamed administrator of the reader's account decrypts through S3",
      principal: otherAdmin,
      action: "kms:Decrypt",
      resource: keys.archive,
      context: VIA_S3,
      expect: "Denied",
    },
    {
      name: "an unnamed administrator of the reader's account receives a notification",
      principal: otherAdmin,
      action: "sqs:ReceiveMessage",
      resource: QUEUE,
      expect: "Denied",
    },
    {
      name: "an administrator of the log-archive account decrypts an object through S3",
      principal: archiveAdmin,
      action: "kms:Decrypt",
      resource: keys.archive,
      context: VIA_S3,
      expect: "Denied",
    },
    {
      name: "an administrator of the log-archive account decrypts a notification through SQS",
      principal: archiveAdmin,
      action: "kms:Decrypt",
      resource: keys.queue,
      context: VIA_SQS,
      expect: "Denied",
    },
    {
      name: "an outsider reads an object",
      principal: { admin: `arn:aws:iam::${OUTSIDER}:role/other` },
      action: "s3:GetObject",
      resource: DATA,
      expect: "Denied",
    },
  ];
}

test("each vendor's principal reads and decrypts what is announced; nobody else does", async () => {
  const failures: string[] = [];
  const table = rows();
  for (const row of table) {
    const outcome = await simulate(world, org, row);
    if (process.env.SHOW_ROWS)
      process.stdout.write(`${outcome.decision} ${row.name} [${outcome.decisive.join(", ")}]\n`);
    if (outcome.decision !== row.expect) {
      failures.push(`${row.name}: ${outcome.decision}, expected ${row.expect} [${outcome.decisive.join(", ")}]`);
    }
  }
  expect(table.length).toBeGreaterThan(60);
  expect(failures).toEqual([]);
});

test("the rows fail when the Sentinel trust loses its session-name condition", async () => {
  // GIVEN the Sentinel role's trust without the session-name condition
  const trust = world.roles.get(names.sentinelRoleArn)!.trust;
  const weakened = JSON.parse(JSON.stringify(trust));
  delete weakened.Statement[0].Condition.StringEquals["sts:RoleSessionName"];
  const roles = new Map(world.roles);
  roles.set(names.sentinelRoleArn, { ...world.roles.get(names.sentinelRoleArn)!, trust: weakened });
  // WHEN another workspace's connector tries
  const outcome = await simulate({ ...world, roles }, org, {
    name: "another workspace",
    principal: { federated: PROVIDER },
    action: "sts:AssumeRoleWithWebIdentity",
    resource: names.sentinelRoleArn,
    context: webIdentity(SENTINEL.audience, "MicrosoftSentinel_11111111-2222-4333-8444-555555555555"),
    expect: "Denied",
  });
  // THEN it gets in: the row above would catch the loss
  expect(outcome.decision).toBe("Allowed");
});

test("the rows fail when the named readers' statement loses its principal condition", async () => {
  // GIVEN the bucket policy's named-reader grant without aws:PrincipalArn
  const bucketPolicies = new Map(world.bucketPolicies);
  const policy = JSON.parse(JSON.stringify(world.bucketPolicies.get(BUCKET)));
  const grant = policy.Statement.find((s: { Sid: string }) => s.Sid === "AllowNamedReadersToRead");
  delete grant.Condition.ArnEquals;
  bucketPolicies.set(BUCKET, policy);
  // WHEN another administrator of the reader's account reads
  const outcome = await simulate({ ...world, bucketPolicies }, org, {
    name: "unnamed administrator",
    principal: { admin: `arn:aws:iam::${SOURCE}:role/Administrator` },
    action: "s3:GetObject",
    resource: DATA,
    expect: "Denied",
  });
  // THEN it gets the object: the row "an unnamed administrator ... reads an object" would catch the loss
  expect(outcome.decision).toBe("Allowed");
});
