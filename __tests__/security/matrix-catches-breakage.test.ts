/**
 * The matrix is only a proof if it fails when a policy is wrong. Each case
 * breaks one protection in the synthesised JSON, as a careless edit would,
 * and expects named matrix rows to catch it.
 */
import { buildWorld, evaluateMatrix, keyArns, scenarios, synthesiseSample } from "./support/matrix";
import type { Json } from "./support/policy-world";

type Mutation = (stacks: Record<string, Json>) => void;

function mutatePolicy(
  resourceType: string,
  pathSuffix: string,
  attribute: string,
  edit: (policy: Json) => void,
): Mutation {
  return (stacks) => {
    const archive = stacks["log-archive"]!;
    const [, resource] = Object.entries(archive.resource[resourceType] as Json).find(([, r]) =>
      (r as Json)["//"].metadata.path.endsWith(pathSuffix),
    )!;
    const policy = JSON.parse((resource as Json)[attribute]);
    edit(policy);
    (resource as Json)[attribute] = JSON.stringify(policy);
  };
}

const dropStatement = (sid: string) => (policy: Json) => {
  const before = policy.Statement.length;
  policy.Statement = policy.Statement.filter((s: Json) => s.Sid !== sid);
  if (policy.Statement.length === before) throw new Error(`no statement ${sid} to drop`);
};

const cases: [string, Mutation, string[]][] = [
  [
    "the TLS deny dropped from the bucket policy",
    mutatePolicy("aws_s3_bucket_policy", "ArchiveBucket/Policy", "policy", dropStatement("DenyInsecureTransport")),
    ["rogue delivery-named role writes without TLS"],
  ],
  [
    "the own-prefix restriction widened to every account",
    mutatePolicy("aws_s3_bucket_policy", "ArchiveBucket/Policy", "policy", (p) => {
      const allow = p.Statement.find((s: Json) => s.Sid === "AllowDeliveryRolesToWriteOwnPrefix");
      allow.Resource = allow.Resource.map((r: string) => r.replace("account=$${aws:PrincipalAccount}", "account=*"));
    }),
    ["rogue delivery-named role writes under another account's prefix"],
  ],
  [
    "the bucket policy allowing the whole bucket",
    mutatePolicy("aws_s3_bucket_policy", "ArchiveBucket/Policy", "policy", (p) => {
      p.Statement.find((s: Json) => s.Sid === "AllowDeliveryRolesToWriteOwnPrefix").Resource = "arn:aws:s3:::*/*";
    }),
    [
      "rogue delivery-named role writes outside the data and error prefixes",
      "rogue delivery-named role writes under another account's prefix",
    ],
  ],
  [
    "the foreign-key deny dropped",
    mutatePolicy(
      "aws_s3_bucket_policy",
      "ArchiveBucket/Policy",
      "policy",
      dropStatement("DenyObjectsEncryptedWithAnotherKey"),
    ),
    ["delivery role writes naming another KMS key"],
  ],
  [
    "kms:ViaService removed from the archive key's delivery statement",
    mutatePolicy("aws_kms_key", "ArchiveKey/Key", "policy", (p) => {
      delete p.Statement.find((s: Json) => s.Sid === "AllowDeliveryRolesToEncryptThroughS3").Condition.StringEquals[
        "kms:ViaService"
      ];
    }),
    ["rogue delivery-named role gets a data key directly from KMS, forging the S3 context"],
  ],
  [
    "the ExternalId condition dropped from the SIEM reader's trust",
    (stacks) => {
      const roles = stacks["log-archive"]!.resource.aws_iam_role as Json;
      const reader = Object.values(roles).find((r: Json) => r.name === "cwl-archive-siem-reader") as Json;
      const trust = JSON.parse(reader.assume_role_policy);
      delete trust.Statement[0].Condition;
      reader.assume_role_policy = JSON.stringify(trust);
    },
    ["SIEM assumes the reader role without an ExternalId"],
  ],
  [
    "the queue policy admitting S3 for any bucket",
    mutatePolicy("aws_sqs_queue_policy", "SiemNotifications/Policy", "policy", (p) => {
      delete p.Statement.find((s: Json) => s.Sid === "AllowArchiveBucketNotifications").Condition;
    }),
    ["S3 sends a notification for another bucket"],
  ],
];

describe("the matrix catches a broken policy", () => {
  test.each(cases)("%s", async (_name, mutate, expectedFailures) => {
    const stacks = synthesiseSample();
    mutate(stacks);
    const world = buildWorld(stacks);
    const failing = (await evaluateMatrix(world, scenarios(keyArns(world))))
      .filter((r) => !r.ok)
      .map((r) => r.scenario.name);
    expect(failing).toEqual(expect.arrayContaining(expectedFailures));
  });
});
