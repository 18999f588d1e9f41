import type { S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import type { TerraformStack } from "cdktf";
import { SecureBucket, type SecureBucketProps } from "../../modules/constructs/secure-bucket";
import type { Statement } from "../../modules/policy/document";
import { addressOf, errorsOf, ref, synthConstruct } from "../helpers/construct";
import { policyOf, resource, resourcesOf, statement, type TfJson } from "../helpers/synth";

const OWNER = "111111111111";
const KEY_ARN = "arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-0000-4000-8000-000000000000";
const BUCKET_ARN = "arn:aws:s3:::secure-things";

const PROPS: SecureBucketProps = {
  bucketName: "secure-things",
  ownerAccountId: OWNER,
  encryption: { kmsKeyArn: KEY_ARN },
};

const EXPIRY: S3BucketLifecycleConfigurationRule = {
  id: "expiry",
  status: "Enabled",
  filter: [{}],
  expiration: [{ days: 30 }],
};

function build(props: Partial<SecureBucketProps> = {}) {
  return (stack: TerraformStack) => new SecureBucket(stack, "Things", { ...PROPS, ...props });
}

/** The child resources of the bucket, by type, each pointing at the bucket. */
const CHILDREN = [
  "aws_s3_bucket_versioning",
  "aws_s3_bucket_server_side_encryption_configuration",
  "aws_s3_bucket_ownership_controls",
  "aws_s3_bucket_public_access_block",
  "aws_s3_bucket_policy",
];

describe("SecureBucket", () => {
  describe("GIVEN only the required props", () => {
    const tf = synthConstruct(build());
    const bucketRef = ref(tf, "aws_s3_bucket", "Things/Bucket", "bucket");

    test("THEN the bucket has its name, is never force-destroyed and cannot be destroyed by Terraform", () => {
      const bucket = resource(tf, "aws_s3_bucket", "Things/Bucket");
      expect(bucket).toEqual(
        expect.objectContaining({
          bucket: "secure-things",
          force_destroy: false,
          lifecycle: { prevent_destroy: true },
        }),
      );
      expect(bucket.object_lock_enabled).toBeUndefined();
    });

    test("THEN versioning is on", () => {
      expect(resource(tf, "aws_s3_bucket_versioning", "Things/Versioning").versioning_configuration).toEqual({
        status: "Enabled",
      });
    });

    test("THEN objects are encrypted with the given key, with S3 Bucket Keys", () => {
      expect(resource(tf, "aws_s3_bucket_server_side_encryption_configuration", "Things/Encryption").rule).toEqual([
        {
          apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: KEY_ARN },
          bucket_key_enabled: true,
        },
      ]);
    });

    test("THEN ACLs are disabled and all public access is blocked", () => {
      expect(resource(tf, "aws_s3_bucket_ownership_controls", "Things/Ownership").rule).toEqual({
        object_ownership: "BucketOwnerEnforced",
      });
      expect(resource(tf, "aws_s3_bucket_public_access_block", "Things/PublicAccessBlock")).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    });

    test("THEN the policy denies requests without TLS and tampering from outside the owner account, and nothing else", () => {
      const bucketPolicy = resource(tf, "aws_s3_bucket_policy", "Things/Policy");
      const policy = policyOf(bucketPolicy.policy);
      expect(policy.Statement.map((s) => s.Sid)).toEqual([
        "DenyInsecureTransport",
        "DenyTamperingOutsideArchiveAccount",
      ]);
      expect(statement(policy, "DenyInsecureTransport")).toMatchObject({
        Effect: "Deny",
        Action: "s3:*",
        Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
      expect(statement(policy, "DenyTamperingOutsideArchiveAccount").Condition).toEqual({
        StringNotEquals: { "aws:PrincipalAccount": OWNER },
      });
    });

    test("THEN the policy is put only once public access is blocked", () => {
      expect(resource(tf, "aws_s3_bucket_policy", "Things/Policy").depends_on).toEqual([
        addressOf(tf, "aws_s3_bucket_public_access_block", "Things/PublicAccessBlock"),
      ]);
    });

    test("THEN every protection is attached to this bucket, in the stack's Region", () => {
      for (const type of CHILDREN) {
        const [[, child]] = resourcesOf(tf, type) as [[string, any]];
        expect(child.bucket).toBe(bucketRef);
        expect(child.region).toBeUndefined();
      }
    });

    test("THEN there is no lifecycle, no Object Lock and no access logging", () => {
      expect(resourcesOf(tf, "aws_s3_bucket_lifecycle_configuration")).toEqual([]);
      expect(resourcesOf(tf, "aws_s3_bucket_object_lock_configuration")).toEqual([]);
      expect(resourcesOf(tf, "aws_s3_bucket_logging")).toEqual([]);
    });

    test("THEN bucketArn is known without a reference", () => {
      let bucket: SecureBucket | undefined;
      synthConstruct((stack) => (bucket = build()(stack)));
      expect(bucket!.bucketArn).toBe(BUCKET_ARN);
      expect(bucket!.bucketName).toBe("secure-things");
    });
  });

  test("GIVEN SSE_S3 THEN objects are encrypted with S3-managed keys, without Bucket Keys", () => {
    const tf = synthConstruct(build({ encryption: "SSE_S3" }));

    expect(resource(tf, "aws_s3_bucket_server_side_encryption_configuration", "Things/Encryption").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
  });

  test("GIVEN a Region THEN the bucket and every part of it are in that Region", () => {
    const tf = synthConstruct(
      build({ region: "eu-central-1", lifecycleRules: [EXPIRY], objectLock: { mode: "GOVERNANCE", days: 1 } }),
    );

    const types = Object.keys(tf.resource).filter((type) => type.startsWith("aws_s3_"));
    expect(types.length).toBeGreaterThanOrEqual(CHILDREN.length + 3);
    for (const type of types) {
      for (const [, r] of resourcesOf(tf, type)) expect(r.region).toBe("eu-central-1");
    }
  });

  test("GIVEN policy statements THEN they follow the two denies", () => {
    const allow: Statement = {
      Sid: "AllowReader",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111111111111:role/reader" },
      Action: "s3:GetObject",
      Resource: `${BUCKET_ARN}/*`,
    };
    const tf = synthConstruct(build({ policyStatements: [allow] }));

    expect(policyOf(resource(tf, "aws_s3_bucket_policy", "Things/Policy").policy).Statement).toEqual([
      expect.objectContaining({ Sid: "DenyInsecureTransport" }),
      expect.objectContaining({ Sid: "DenyTamperingOutsideArchiveAccount" }),
      allow,
    ]);
  });

  describe("GIVEN lifecycle rules", () => {
    const lifecycleOf = (tf: TfJson) => resource(tf, "aws_s3_bucket_lifecycle_configuration", "Things/Lifecycle");

    test("THEN one lifecycle configuration holds them, once versioning is on", () => {
      const tf = synthConstruct(build({ lifecycleRules: [EXPIRY] }));

      const lifecycle = lifecycleOf(tf);
      expect(lifecycle.rule).toEqual([{ id: "expiry", status: "Enabled", filter: [{}], expiration: [{ days: 30 }] }]);
      expect(lifecycle.bucket).toBe(ref(tf, "aws_s3_bucket", "Things/Bucket", "bucket"));
      expect(lifecycle.depends_on).toEqual([addressOf(tf, "aws_s3_bucket_versioning", "Things/Versioning")]);
    });

    test("AND no minimum object size THEN objects under 128 KB never transition (the AWS default)", () => {
      const tf = synthConstruct(build({ lifecycleRules: [EXPIRY] }));

      expect(lifecycleOf(tf).transition_default_minimum_object_size).toBe("all_storage_classes_128K");
    });

    test("AND a minimum object size THEN the lifecycle uses it", () => {
      const tf = synthConstruct(
        build({ lifecycleRules: [EXPIRY], transitionMinimumObjectSize: "varies_by_storage_class" }),
      );

      expect(lifecycleOf(tf).transition_default_minimum_object_size).toBe("varies_by_storage_class");
    });

    test("AND the list is empty THEN there is no lifecycle configuration", () => {
      const tf = synthConstruct(build({ lifecycleRules: [] }));

      expect(resourcesOf(tf, "aws_s3_bucket_lifecycle_configuration")).toEqual([]);
    });
  });

  test("GIVEN Object Lock THEN the bucket is locked from creation, with the default retention, once versioning is on", () => {
    const tf = synthConstruct(build({ objectLock: { mode: "COMPLIANCE", days: 365 } }));

    expect(resource(tf, "aws_s3_bucket", "Things/Bucket").object_lock_enabled).toBe(true);
    const lock = resource(tf, "aws_s3_bucket_object_lock_configuration", "Things/ObjectLock");
    expect(lock.rule).toEqual({ default_retention: { mode: "COMPLIANCE", days: 365 } });
    expect(lock.depends_on).toEqual([addressOf(tf, "aws_s3_bucket_versioning", "Things/Versioning")]);
  });

  test("GIVEN an access log target THEN server access logs go there under the prefix, partitioned by event time", () => {
    const tf = synthConstruct(build({ accessLogs: { targetBucket: "access-logs", targetPrefix: "secure-things/" } }));

    expect(resource(tf, "aws_s3_bucket_logging", "Things/AccessLogging")).toMatchObject({
      bucket: ref(tf, "aws_s3_bucket", "Things/Bucket", "bucket"),
      target_bucket: "access-logs",
      target_prefix: "secure-things/",
      target_object_key_format: { partitioned_prefix: { partition_date_source: "EventTime" } },
    });
  });

  describe("validation", () => {
    test.each(["abc", "a".repeat(63), "logs.example-1", "cwl-archive-111111111111-eu-west-1"])(
      "accepts the bucket name %p",
      (bucketName) => {
        expect(() => synthConstruct(build({ bucketName }))).not.toThrow();
      },
    );

    test.each<[string, string]>([
      ["ab", "3 to 63 characters"],
      ["a".repeat(64), "3 to 63 characters"],
      ["secure-Things", "only lowercase letters, digits, . and -"],
      ["secure_things", "only lowercase letters, digits, . and -"],
      ["-secure", "a letter or digit at each end"],
      ["secure.", "a letter or digit at each end"],
      ["secure..things", "no two adjacent periods"],
      ["192.168.5.4", "not the form of an IP address"],
      ["xn--things", "no reserved prefix (xn--, sthree-, amzn-s3-demo-)"],
      ["sthree-things", "no reserved prefix (xn--, sthree-, amzn-s3-demo-)"],
      ["amzn-s3-demo-things", "no reserved prefix (xn--, sthree-, amzn-s3-demo-)"],
      ["things-s3alias", "no reserved suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)"],
      ["things--ol-s3", "no reserved suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)"],
      ["things.mrap", "no reserved suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)"],
      ["things--x-s3", "no reserved suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)"],
      ["things--table-s3", "no reserved suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)"],
    ])("fails GIVEN the bucket name %p", (bucketName, allowed) => {
      expect(errorsOf(build({ bucketName }))).toEqual([
        `SecureBucket test/Things: bucketName: expected an S3 bucket name with ${allowed}, got ${JSON.stringify(bucketName)}`,
      ]);
    });

    test("fails GIVEN an owner that is not an account id", () => {
      expect(errorsOf(build({ ownerAccountId: "12345" }))).toEqual([
        'SecureBucket test/Things: ownerAccountId: expected a 12-digit AWS account id, got "12345"',
      ]);
    });

    test("fails GIVEN a minimum object size S3 does not know", () => {
      expect(errorsOf(build({ lifecycleRules: [EXPIRY], transitionMinimumObjectSize: "128K" as never }))).toEqual([
        'SecureBucket test/Things: transitionMinimumObjectSize: expected one of all_storage_classes_128K, varies_by_storage_class, got "128K"',
      ]);
    });

    test("fails GIVEN an Object Lock mode S3 does not know", () => {
      expect(errorsOf(build({ objectLock: { mode: "LEGAL_HOLD" as never, days: 1 } }))).toEqual([
        'SecureBucket test/Things: objectLock.mode: expected one of GOVERNANCE, COMPLIANCE, got "LEGAL_HOLD"',
      ]);
    });

    test.each([0, -1, 1.5])("fails GIVEN an Object Lock retention of %p days", (days) => {
      expect(errorsOf(build({ objectLock: { mode: "GOVERNANCE", days } }))).toEqual([
        `SecureBucket test/Things: objectLock.days: expected a whole number of days of at least 1, got ${days}`,
      ]);
    });

    test.each([1, 36500])("accepts an expiry of %p days", (days) => {
      const rule = { ...EXPIRY, expiration: [{ days }] };
      expect(() => synthConstruct(build({ lifecycleRules: [rule] }))).not.toThrow();
    });

    test.each([0, -1, 2.5])("fails GIVEN an expiry of %p days", (days) => {
      const rule = { ...EXPIRY, expiration: [{ days }] };
      expect(errorsOf(build({ lifecycleRules: [rule] }))).toEqual([
        `SecureBucket test/Things: lifecycleRules[0] (expiry).expiration[0].days: expected a whole number of days of at least 1, got ${days}`,
      ]);
    });

    test("accepts an expiry of delete markers, which has no days", () => {
      const rule = { ...EXPIRY, expiration: [{ expiredObjectDeleteMarker: true }] };
      expect(() => synthConstruct(build({ lifecycleRules: [rule] }))).not.toThrow();
    });

    test("fails GIVEN a noncurrent version expiry of 0 days", () => {
      const rule = { ...EXPIRY, noncurrentVersionExpiration: [{ noncurrentDays: 0 }] };
      expect(errorsOf(build({ lifecycleRules: [rule] }))).toEqual([
        "SecureBucket test/Things: lifecycleRules[0] (expiry).noncurrentVersionExpiration[0].noncurrentDays: expected a whole number of days of at least 1, got 0",
      ]);
    });

    test.each<[string, number]>([
      ["STANDARD_IA", 30],
      ["ONEZONE_IA", 30],
      ["GLACIER_IR", 0],
      ["DEEP_ARCHIVE", 0],
    ])("accepts a transition to %s after %p days", (storageClass, days) => {
      const rule = { ...EXPIRY, expiration: [{ days: 3650 }], transition: [{ storageClass, days }] };
      expect(() => synthConstruct(build({ lifecycleRules: [rule] }))).not.toThrow();
    });

    test.each<[string, number, number]>([
      ["STANDARD_IA", 29, 30],
      ["ONEZONE_IA", 29, 30],
      ["GLACIER_IR", -1, 0],
    ])("fails GIVEN a transition to %s after %p days", (storageClass, days, least) => {
      const rule = { ...EXPIRY, transition: [{ storageClass, days }] };
      expect(errorsOf(build({ lifecycleRules: [rule] }))).toEqual([
        `SecureBucket test/Things: lifecycleRules[0] (expiry).transition[0].days: expected a whole number of days of at least ${least} for ${storageClass}, got ${days}`,
      ]);
    });

    test("fails with every problem at once, one line each", () => {
      const errors = errorsOf(
        build({ bucketName: "ab", ownerAccountId: "1", objectLock: { mode: "GOVERNANCE", days: 0 } }),
      );
      expect(errors).toHaveLength(3);
      expect(errors.map((e) => e.split(": ")[1])).toEqual(["bucketName", "ownerAccountId", "objectLock.days"]);
    });
  });
});
