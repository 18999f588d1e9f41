import type { TerraformStack } from "cdktf";
import { archiveKeyStatements, type ArchiveKeyInputs } from "../../modules/archive/key-statements";
import { LogKeys, type LogKeysProps } from "../../modules/keys/log-keys";
import { KEY_ACCOUNT_ADMIN_ACTIONS, KEY_USE_ACTIONS } from "../../modules/policy/archive-policies";
import { errorsOf, synthConstruct } from "../helpers/construct";
import { policyOf, resource, resourcesOf, statement } from "../helpers/synth";

const KEYS = "333333333333";
const ARCHIVE = "111111111111";
const ADMIN = `arn:aws:iam::${KEYS}:role/KeyAdministrators`;

const ARCHIVE_INPUTS: ArchiveKeyInputs = {
  accountId: ARCHIVE,
  region: "eu-west-1",
  organizationId: "o-a1b2c3d4e5",
  namePrefix: "cwl-archive",
  archive: {
    retentionDays: 2557,
    noncurrentVersionRetentionDays: 365,
    transitions: [],
    minimumObjectSizeRule: "all_storage_classes_128K",
    abortIncompleteMultipartUploadDays: 7,
    replicaRegion: "eu-central-1",
    replicationTimeControl: false,
    accessLogging: true,
    accessLogRetentionDays: 2557,
  },
};

function build(props: Partial<LogKeysProps> = {}) {
  return (stack: TerraformStack) =>
    new LogKeys(stack, "Keys", { keyAccountId: KEYS, administrators: [ADMIN], archive: ARCHIVE_INPUTS, ...props });
}

describe("LogKeys", () => {
  const tf = synthConstruct(build());
  const policy = (path: string) => policyOf(resource(tf, "aws_kms_key", path).policy);

  test("holds the archive and queue keys in the archive's Region and the replica key in the replica's, protected", () => {
    expect(resource(tf, "aws_kms_key", "Keys/ArchiveKey/Key")).toMatchObject({
      region: "eu-west-1",
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
    expect(resource(tf, "aws_kms_key", "Keys/QueueKey/Key").region).toBe("eu-west-1");
    expect(resource(tf, "aws_kms_key", "Keys/ReplicaKey/Key").region).toBe("eu-central-1");
    const aliases = resourcesOf(tf, "aws_kms_alias").map(([, a]) => a.name);
    expect(aliases.sort()).toEqual([
      "alias/cwl-archive-archive",
      "alias/cwl-archive-replica",
      "alias/cwl-archive-siem-queue",
    ]);
  });

  test("the key account and its administrators administer, without kms:CreateGrant", () => {
    for (const key of ["Keys/ArchiveKey/Key", "Keys/QueueKey/Key", "Keys/ReplicaKey/Key"]) {
      const p = policy(key);
      expect(statement(p, "KeyAccountAdministersKey")).toMatchObject({
        Principal: { AWS: `arn:aws:iam::${KEYS}:root` },
        Action: KEY_ACCOUNT_ADMIN_ACTIONS,
      });
      expect(statement(p, "KeyAdministratorsAdministerKey").Principal).toEqual({ AWS: [ADMIN] });
      expect(KEY_ACCOUNT_ADMIN_ACTIONS).not.toContain("kms:Create*");
      // Administrators keep kms:Put* (PutKeyPolicy): KMS refuses a policy that locks out the principal putting it.
      expect(KEY_ACCOUNT_ADMIN_ACTIONS).toContain("kms:Put*");
    }
  });

  test("no principal of the key account may use the queue or replica key, whatever IAM there allows", () => {
    for (const key of ["Keys/QueueKey/Key", "Keys/ReplicaKey/Key"]) {
      expect(statement(policy(key), "KeyAccountNeverUsesKey")).toEqual({
        Sid: "KeyAccountNeverUsesKey",
        Effect: "Deny",
        Principal: { AWS: `arn:aws:iam::${KEYS}:root` },
        Action: [...KEY_USE_ACTIONS],
        Resource: "*",
      });
    }
  });

  test("the key account uses the archive key only as S3 does for the archive bucket (its own writers)", () => {
    // GIVEN the archive key: the key account may be a source like any other
    // (its delivery stream, Config recorder, agents write through S3).
    const p = policy("Keys/ArchiveKey/Key");
    const root = { AWS: `arn:aws:iam::${KEYS}:root` };
    expect(statement(p, "KeyAccountNeverGrantsOrReencrypts")).toEqual({
      Sid: "KeyAccountNeverGrantsOrReencrypts",
      Effect: "Deny",
      Principal: root,
      Action: ["kms:CreateGrant", "kms:Encrypt", "kms:ReEncrypt*"],
      Resource: "*",
    });
    expect(statement(p, "KeyAccountUsesKeyOnlyThroughS3")).toMatchObject({
      Effect: "Deny",
      Principal: root,
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Condition: { StringNotEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
    });
    expect(statement(p, "KeyAccountUsesKeyOnlyForTheBucket")).toMatchObject({
      Effect: "Deny",
      Principal: root,
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Condition: { StringNotEquals: { "kms:EncryptionContext:aws:s3:arn": expect.stringMatching(/^arn:aws:s3:::/) } },
    });
  });

  test("the log-archive account only describes the keys: it administers none", () => {
    const p = policy("Keys/ArchiveKey/Key");
    expect(statement(p, "ArchiveAccountDescribesKey")).toMatchObject({
      Principal: { AWS: `arn:aws:iam::${ARCHIVE}:root` },
      Action: "kms:DescribeKey",
    });
    expect(p.Statement.find((s: { Sid: string }) => s.Sid === "AccountAdministersKey")).toBeUndefined();
  });

  test("every use the archive's own keys grant is granted here, unchanged", () => {
    const own = archiveKeyStatements(ARCHIVE_INPUTS);
    const uses = (statements: { Sid: string }[]) => statements.filter((s) => s.Sid !== "AccountAdministersKey");
    const here = (path: string) =>
      policy(path).Statement.filter(
        (s: { Sid: string }) =>
          ![
            "KeyAccountAdministersKey",
            "KeyAdministratorsAdministerKey",
            "KeyAccountNeverUsesKey",
            "KeyAccountNeverGrantsOrReencrypts",
            "KeyAccountUsesKeyOnlyThroughS3",
            "KeyAccountUsesKeyOnlyForTheBucket",
            "ArchiveAccountDescribesKey",
          ].includes(s.Sid),
      );
    expect(here("Keys/ArchiveKey/Key")).toEqual(JSON.parse(JSON.stringify(uses(own.archive))));
    expect(here("Keys/QueueKey/Key")).toEqual(JSON.parse(JSON.stringify(uses(own.queue))));
    expect(here("Keys/ReplicaKey/Key")).toEqual(JSON.parse(JSON.stringify(uses(own.replica!))));
  });

  test("without a replica there is no replica key", () => {
    const plain = synthConstruct(
      build({ archive: { ...ARCHIVE_INPUTS, archive: { ...ARCHIVE_INPUTS.archive, replicaRegion: undefined } } }),
    );
    expect(resourcesOf(plain, "aws_kms_key")).toHaveLength(2);
  });

  test("refuses administrators of another account, none at all, or the log-archive account as key account", () => {
    const other = errorsOf(build({ administrators: [`arn:aws:iam::${ARCHIVE}:role/Admin`] })).join("\n");
    expect(other).toContain(
      `administrators[0]: expected a principal of the key account ${KEYS}: only its own principals administer its keys`,
    );
    expect(errorsOf(build({ administrators: [] })).join("\n")).toContain(
      "administrators: expected at least one IAM role or user",
    );
    expect(errorsOf(build({ keyAccountId: ARCHIVE })).join("\n")).toContain(
      "keyAccountId: expected an account other than the log-archive account",
    );
  });
});
