/**
 * IAM simulation rows for the keys each account holds itself (the sample
 * registry: the archive, replica, queue, Athena and monitoring keys of the
 * log-archive account, and a source's pipeline key): the account's
 * administrators administer a key but cannot use it for data, nor grant
 * themselves its use (AWS's default `kms:Create*` includes `kms:CreateGrant`);
 * the services that need the key still get it.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-administrators
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/grant-authorization.html
 */
import { archiveNames, sourceNames } from "../../modules/naming/names";
import { loadRegistry } from "../../modules/registry/load";
import { corpusStacks, SAMPLE_REGISTRY } from "../helpers/corpus";
import { buildWorld, type PolicyWorld } from "./support/policy-world";
import { simulate, type Organization, type Scenario } from "./support/simulate";

const registry = loadRegistry(SAMPLE_REGISTRY);
const ARCHIVE = registry.logArchive.accountId;
const REGION = registry.logArchive.region;
const prefix = registry.naming.prefix;
/** A source whose stream is encrypted with its own pipeline key (streamEncryption: CUSTOMER_MANAGED_CMK). */
const SOURCE = "853627190442";
const SOURCE_REGION = "eu-west-1";
const names = archiveNames({ prefix, archiveAccountId: ARCHIVE, archiveRegion: REGION });
const org: Organization = {
  id: registry.organization.id,
  members: new Set([ARCHIVE, ...registry.accounts.map((a) => a.id)]),
};
const ARCHIVE_ADMIN = `arn:aws:iam::${ARCHIVE}:role/Administrator`;
const SOURCE_ADMIN = `arn:aws:iam::${SOURCE}:role/Administrator`;

let world: PolicyWorld;
beforeAll(() => {
  world = buildWorld(
    Object.fromEntries(
      corpusStacks()
        .filter((s) => s.registry === SAMPLE_REGISTRY)
        .map((s) => [s.stack, s.json]),
    ),
  );
});

function keyArn(account: string, region: string, alias: string): string {
  const arn = world.keysByAlias.get(`${account}/${region}/${alias}`);
  if (!arn) throw new Error(`no key ${alias} in ${account} ${region}`);
  return arn;
}

function rows(): Scenario[] {
  const archiveKey = keyArn(ARCHIVE, REGION, names.archiveKeyAlias);
  const queueKey = keyArn(ARCHIVE, REGION, names.queueKeyAlias);
  const pipelineKey = keyArn(SOURCE, SOURCE_REGION, sourceNames(prefix, SOURCE, SOURCE_REGION).pipelineKeyAlias);
  const firehose = { "kms:ViaService": `firehose.${SOURCE_REGION}.amazonaws.com`, "kms:GrantIsForAWSResource": "true" };
  return [
    // --- the log-archive account's administrators -----------------------------------
    {
      name: "archive administrator changes the archive key's description",
      principal: { admin: ARCHIVE_ADMIN },
      action: "kms:UpdateKeyDescription",
      resource: archiveKey,
      expect: "Allowed",
    },
    {
      name: "archive administrator grants itself the archive key's use",
      principal: { admin: ARCHIVE_ADMIN },
      action: "kms:CreateGrant",
      resource: archiveKey,
      expect: "Denied",
    },
    {
      name: "archive administrator grants through a service it names",
      principal: { admin: ARCHIVE_ADMIN },
      action: "kms:CreateGrant",
      resource: archiveKey,
      context: { "kms:GrantIsForAWSResource": "true" },
      expect: "Denied",
    },
    {
      name: "archive administrator decrypts with the archive key",
      principal: { admin: ARCHIVE_ADMIN },
      action: "kms:Decrypt",
      resource: archiveKey,
      expect: "Denied",
    },
    {
      name: "archive administrator grants itself the queue key's use",
      principal: { admin: ARCHIVE_ADMIN },
      action: "kms:CreateGrant",
      resource: queueKey,
      expect: "Denied",
    },
    // --- a source account's administrators, with its stream on a pipeline key --------
    {
      name: "source administrator describes the pipeline key",
      principal: { admin: SOURCE_ADMIN },
      action: "kms:DescribeKey",
      resource: pipelineKey,
      expect: "Allowed",
    },
    {
      name: "source administrator decrypts with the pipeline key",
      principal: { admin: SOURCE_ADMIN },
      action: "kms:Decrypt",
      resource: pipelineKey,
      expect: "Denied",
    },
    {
      name: "source administrator grants itself the pipeline key's use",
      principal: { admin: SOURCE_ADMIN },
      action: "kms:CreateGrant",
      resource: pipelineKey,
      expect: "Denied",
    },
    {
      name: "Firehose creates the stream's grant on the deployer's behalf",
      principal: { admin: SOURCE_ADMIN },
      action: "kms:CreateGrant",
      resource: pipelineKey,
      context: firehose,
      expect: "Allowed",
    },
    {
      name: "a grant through Firehose of another Region",
      principal: { admin: SOURCE_ADMIN },
      action: "kms:CreateGrant",
      resource: pipelineKey,
      context: { ...firehose, "kms:ViaService": "firehose.us-east-1.amazonaws.com" },
      expect: "Denied",
    },
  ];
}

test("key administration rows reach the decision AWS must reach", async () => {
  const results: string[] = [];
  for (const row of rows()) {
    const outcome = await simulate(world, org, row);
    results.push(
      `${outcome.decision === row.expect ? "ok  " : "FAIL"} ${outcome.decision} (expected ${row.expect}) ${row.name} [${outcome.result}; ${outcome.decisive.join(", ")}]`,
    );
  }
  expect(results.filter((r) => r.startsWith("FAIL"))).toEqual([]);
});
