/**
 * Keys in a key-management account, through the registry: which stacks exist,
 * how log-archive learns the key ARNs, and what every other stack points at.
 */
import { stackNames } from "../../modules/app/build-app";
import { ARCHIVE, OTHER, registryWith, SOURCE } from "../helpers/registry";
import { policyOf, resource, resourcesOf, statement, synthRegistry } from "../helpers/synth";

const KEYS = OTHER;
const withKeys = (r: any) => {
  r.keys = { accountId: KEYS };
  r.archive = { replicaRegion: "eu-central-1" };
  r.sources = { cloudTrail: { enabled: true, managementAccountId: "444444444444" } };
  r.deployment = { managementAccount: { credentials: "ambient" } };
};

describe("keys in a key-management account", () => {
  const { stacks } = synthRegistry(registryWith(withKeys));
  const archive = stacks["log-archive"]!;

  test("a log-keys stack in the key account holds the three keys; log-archive holds none of them", () => {
    const keys = stacks["log-keys"]!;
    expect(keys.provider.aws[0].allowed_account_ids).toEqual([KEYS]);
    expect(
      resourcesOf(keys, "aws_kms_alias")
        .map(([, a]) => a.name)
        .sort(),
    ).toEqual(["alias/cwl-archive-archive", "alias/cwl-archive-replica", "alias/cwl-archive-siem-queue"]);
    const archiveAliases = resourcesOf(archive, "aws_kms_alias").map(([, a]) => a.name);
    expect(archiveAliases).not.toContain("alias/cwl-archive-archive");
    expect(archiveAliases).not.toContain("alias/cwl-archive-siem-queue");
    expect(archiveAliases).not.toContain("alias/cwl-archive-replica");
  });

  test("by default the key account's deployment role administers the keys (KMS's lockout check)", () => {
    const policy = policyOf(resource(stacks["log-keys"]!, "aws_kms_key", "ArchiveKey/Key").policy);
    expect(statement(policy, "KeyAdministratorsAdministerKey").Principal).toEqual({
      AWS: [`arn:aws:iam::${KEYS}:role/OrganizationAccountAccessRole`],
    });
  });

  test("log-archive reads each key's ARN by its alias ARN in the key account, in the key's Region", () => {
    expect(archive.data?.aws_kms_key).toEqual({
      ArchiveKey: expect.objectContaining({ key_id: `arn:aws:kms:eu-west-1:${KEYS}:alias/cwl-archive-archive` }),
      QueueKey: expect.objectContaining({ key_id: `arn:aws:kms:eu-west-1:${KEYS}:alias/cwl-archive-siem-queue` }),
      ReplicaKey: expect.objectContaining({
        key_id: `arn:aws:kms:eu-central-1:${KEYS}:alias/cwl-archive-replica`,
        region: "eu-central-1",
      }),
    });
  });

  test("the bucket, the queues and replication use those key ARNs (never an alias: S3 would resolve it in the caller's account)", () => {
    const sse = resourcesOf(archive, "aws_s3_bucket_server_side_encryption_configuration").map(
      ([, c]) => c.rule[0].apply_server_side_encryption_by_default.kms_master_key_id,
    );
    expect(sse).toContain("${data.aws_kms_key.ArchiveKey.arn}");
    expect(sse).toContain("${data.aws_kms_key.ReplicaKey.arn}");
    for (const [, queue] of resourcesOf(archive, "aws_sqs_queue")) {
      expect(queue.kms_master_key_id).toBe("${data.aws_kms_key.QueueKey.arn}");
    }
    const replication = resourcesOf(archive, "aws_s3_bucket_replication_configuration")[0]![1];
    expect(replication.rule[0].destination.encryption_configuration.replica_kms_key_id).toBe(
      "${data.aws_kms_key.ReplicaKey.arn}",
    );
  });

  test("the bucket admits the archive key's ARN and the trail's alias ARN in the key account", () => {
    const policy = policyOf(resource(archive, "aws_s3_bucket_policy", "ArchiveBucket/Policy").policy);
    const text = JSON.stringify(policy);
    expect(text).toContain("${data.aws_kms_key.ArchiveKey.arn}");
    expect(text).toContain(`arn:aws:kms:eu-west-1:${KEYS}:alias/cwl-archive-archive`);
    expect(text).not.toContain(`arn:aws:kms:eu-west-1:${ARCHIVE}:alias/cwl-archive-archive`);
  });

  test("the trail names the key by the ARN it reads by alias in the key account", () => {
    const trailStack = stacks["log-organization-trail"]!;
    const trail = resourcesOf(trailStack, "aws_cloudtrail")[0]![1];
    expect(trail.kms_key_id).toBe("${data.aws_kms_key.ArchiveKey.arn}");
    expect(trailStack.data!.aws_kms_key.ArchiveKey.key_id).toBe(
      `arn:aws:kms:eu-west-1:${KEYS}:alias/cwl-archive-archive`,
    );
  });

  test("a source's delivery role may use keys of the key account, only through S3 for the archive bucket", () => {
    const source = stacks[`log-source-${SOURCE}-eu-west-1`]!;
    const policy = policyOf(resource(source, "aws_iam_role_policy", "Delivery/RolePolicy").policy);
    expect(statement(policy, "UseArchiveKeyThroughS3").Resource).toBe(`arn:aws:kms:eu-west-1:${KEYS}:key/*`);
  });

  test("the stacks apply in order: log-keys, log-archive, then the others", () => {
    expect(stackNames(registryWith(withKeys)).slice(0, 3)).toEqual([
      "log-keys",
      "log-archive",
      "log-organization-trail",
    ]);
  });
});

describe("the keys section refuses", () => {
  test.each([
    [
      "the log-archive account as key account",
      (r: any) => (r.keys = { accountId: ARCHIVE }),
      "keys.accountId: expected an account other than the log-archive account",
    ],
    [
      "an administrator of another account",
      (r: any) => (r.keys = { accountId: KEYS, administrators: [`arn:aws:iam::${ARCHIVE}:role/Admin`] }),
      `keys.administrators[0]: expected a principal of the key account ${KEYS}`,
    ],
    [
      "ambient credentials without administrators",
      (r: any) => {
        r.keys = { accountId: KEYS };
        r.deployment = { credentials: "ambient" };
      },
      "keys.administrators: is required with deployment.credentials ambient",
    ],
  ])("%s", (_case, edit, message) => {
    expect(() => registryWith(edit)).toThrow(message);
  });
});
