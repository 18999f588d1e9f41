/**
 * Nobody holds a key's data use, or the right to grant it, except through a
 * service. Every Allow statement of every key policy of every corpus stack is
 * expanded through AWS's catalogue of KMS actions (so `kms:Create*` counts as
 * the `kms:CreateGrant` it contains); a statement that reaches an action
 * using the key's material or handing its use to someone else must be bound
 * to a service by a condition: the AWS service the call comes through
 * (`kms:ViaService`), a grant for an AWS resource (`kms:GrantIsForAWSResource`),
 * or a service principal's source (`aws:SourceArn`, `aws:SourceAccount`).
 * Otherwise an administrator of the account could decrypt the archive
 * directly, or grant itself the use and then decrypt.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/kms-api-permissions-reference.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-administrators
 */
import { actionMatchesPattern } from "@cloud-copilot/iam-utils";
import { corpusStacks, fixtureTest, label } from "../helpers/corpus";
import { loadCatalogue, policiesOfStack, type Catalogue } from "./support/policy-catalogue";

/**
 * KMS actions that use a key's material (cryptographic operations) or give
 * that use to another principal (a grant).
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/kms-cryptography.html#cryptographic-operations
 */
export const KEY_DATA_OR_GRANT_ACTIONS = [
  "kms:CreateGrant",
  "kms:Decrypt",
  "kms:DeriveSharedSecret",
  "kms:Encrypt",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyPair",
  "kms:GenerateDataKeyPairWithoutPlaintext",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:GenerateMac",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:Sign",
  "kms:Verify",
  "kms:VerifyMac",
] as const;

/**
 * Condition keys that bind a use to a service. The trail's encryption context
 * is one: it limits Decrypt to what CloudTrail encrypted for that one trail,
 * which CloudTrail's guide requires of whoever creates or updates the trail
 * and which the management account cannot fetch from the bucket (it has no
 * s3:GetObject there).
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
 */
const SERVICE_CONDITIONS = [
  "kms:viaservice",
  "kms:grantisforawsresource",
  "aws:sourcearn",
  "aws:sourceaccount",
  "kms:encryptioncontext:aws:cloudtrail:arn",
];

type Statement = {
  Sid?: string;
  Effect: string;
  Action?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

function expand(catalogue: Catalogue, patterns: string | string[] | undefined): string[] {
  const all = catalogue.services.get("kms")!.map((a) => a.name);
  return all.filter((name) => [patterns ?? []].flat().some((p) => actionMatchesPattern(name, p)));
}

function serviceBound(statement: Statement): boolean {
  // A service principal is the service itself (its source conditions are the confused-deputy test's).
  const principal = statement.Principal as { Service?: unknown } | undefined;
  if (principal?.Service !== undefined) return true;
  const keys = Object.values(statement.Condition ?? {}).flatMap((byKey) => Object.keys(byKey));
  return keys.some((k) => SERVICE_CONDITIONS.includes(k.toLowerCase()));
}

/** `<Sid>: <actions>` of each Allow statement that reaches data or grant actions without a service condition. */
export function unboundUses(catalogue: Catalogue, document: { Statement: Statement[] }): string[] {
  return document.Statement.filter((s) => s.Effect === "Allow" && !serviceBound(s)).flatMap((s) => {
    const reached = expand(catalogue, s.Action).filter((a) =>
      (KEY_DATA_OR_GRANT_ACTIONS as readonly string[]).includes(a),
    );
    return reached.length > 0 ? [`${s.Sid ?? "(no Sid)"}: ${reached.join(", ")}`] : [];
  });
}

describe("key policies: data and grant actions only through a service", () => {
  let catalogue: Catalogue;
  beforeAll(async () => {
    catalogue = await loadCatalogue(["kms"]);
  });

  const keyPolicies = corpusStacks().flatMap((stack) =>
    policiesOfStack(stack.json)
      .filter((p) => p.address.startsWith("aws_kms_key."))
      .map((p) => ({ where: `${label(stack)} ${p.address}`, document: p.document as { Statement: Statement[] } })),
  );

  fixtureTest("the corpus has key policies to check", () => {
    expect(keyPolicies.length).toBeGreaterThan(10);
  });

  test.each(keyPolicies.map((p) => [p.where, p] as const))("%s", (_where, policy) => {
    expect(unboundUses(catalogue, policy.document)).toEqual([]);
  });

  test("fails on AWS's default administrator statement, whose kms:Create* includes kms:CreateGrant", () => {
    // GIVEN the administrators statement of AWS's default key policy
    const document = {
      Statement: [
        {
          Sid: "Allow access for Key Administrators",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:root" },
          Action: ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*"],
        },
      ],
    };
    // THEN the wildcard is expanded and the grant found
    expect(unboundUses(catalogue, document)).toEqual(["Allow access for Key Administrators: kms:CreateGrant"]);
  });

  test("fails on a direct Decrypt, and admits it through S3", () => {
    const decrypt = (Condition?: Statement["Condition"]): { Statement: Statement[] } => ({
      Statement: [{ Sid: "Read", Effect: "Allow", Action: "kms:Decrypt", ...(Condition ? { Condition } : {}) }],
    });
    expect(unboundUses(catalogue, decrypt())).toEqual(["Read: kms:Decrypt"]);
    expect(
      unboundUses(catalogue, decrypt({ StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } })),
    ).toEqual([]);
  });
});
