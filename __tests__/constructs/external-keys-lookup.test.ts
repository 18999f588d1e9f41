/**
 * ExternalKeysLookup on its own: which keys it reads, by which alias ARN, in
 * which Region, and what it hands to LogArchive.
 */
import { ExternalKeysLookup } from "../../modules/constructs/external-keys-lookup";
import { errorsOf, STACK_REGION, synthConstruct } from "../helpers/construct";

const KEYS = "333333333333";
const ARCHIVE = "111111111111";

describe("ExternalKeysLookup", () => {
  test("GIVEN a replicating archive WHEN the keys are read THEN each is read by its alias ARN in the key account, the replica key in its own Region", () => {
    // GIVEN / WHEN
    let lookup!: ExternalKeysLookup;
    const tf = synthConstruct((stack) => {
      lookup = new ExternalKeysLookup(stack, "Keys", {
        keyAccountId: KEYS,
        archiveAccountId: ARCHIVE,
        archiveRegion: STACK_REGION,
        replicaRegion: "eu-central-1",
      });
    });

    // THEN
    const keys = Object.values(tf.data!.aws_kms_key as Record<string, { key_id: string; region?: string }>);
    expect(keys.map((k) => [k.key_id, k.region]).sort()).toEqual([
      [`arn:aws:kms:eu-central-1:${KEYS}:alias/cwl-archive-replica`, "eu-central-1"],
      [`arn:aws:kms:eu-west-1:${KEYS}:alias/cwl-archive-archive`, undefined],
      [`arn:aws:kms:eu-west-1:${KEYS}:alias/cwl-archive-siem-queue`, undefined],
    ]);
    expect(lookup.keys.accountId).toBe(KEYS);
    expect(lookup.keys.replicaKeyArn).toBeDefined();
  });

  test("GIVEN queueKey false and a provider in another Region WHEN read THEN only the archive key is read, with its Region named", () => {
    // GIVEN / WHEN
    let lookup!: ExternalKeysLookup;
    const tf = synthConstruct((stack) => {
      lookup = new ExternalKeysLookup(stack, "Keys", {
        keyAccountId: ARCHIVE,
        archiveAccountId: ARCHIVE,
        archiveRegion: "us-east-1",
        providerRegion: STACK_REGION,
        namePrefix: "acme-logs",
        queueKey: false,
      });
    });

    // THEN
    expect(Object.values(tf.data!.aws_kms_key)).toEqual([
      expect.objectContaining({
        key_id: `arn:aws:kms:us-east-1:${ARCHIVE}:alias/acme-logs-archive`,
        region: "us-east-1",
      }),
    ]);
    expect(() => lookup.keys).toThrow(/queue key was not read/);
  });

  test("fails with every bad account id and prefix named at once", () => {
    expect(
      errorsOf(
        (stack) =>
          new ExternalKeysLookup(stack, "Keys", {
            keyAccountId: "123",
            archiveAccountId: "abc",
            archiveRegion: STACK_REGION,
            namePrefix: "A",
          }),
      ),
    ).toEqual([
      'ExternalKeysLookup test/Keys: keyAccountId: expected a 12-digit AWS account id, got "123"',
      'ExternalKeysLookup test/Keys: archiveAccountId: expected a 12-digit AWS account id, got "abc"',
      expect.stringMatching(/^ExternalKeysLookup test\/Keys: namePrefix: expected/),
    ]);
  });
});
