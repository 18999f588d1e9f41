import { corpusSuite, expectCompliant, expectFinding, stackOf } from "./lib/fixture";
import * as cloudtrail from "./rules/cloudtrail";

const MANAGEMENT = "999988887777";

const trail = (config: any = {}, assumeRole?: string) =>
  stackOf(
    {
      aws_cloudtrail: {
        Trail: {
          name: "cwl-archive-organization",
          s3_bucket_name: "archive",
          s3_key_prefix: "cloudtrail",
          is_organization_trail: true,
          ...config,
        },
      },
    },
    { account: MANAGEMENT, ...(assumeRole ? { assumeRole } : {}) },
  );

test("cloudtrail-trail-name", () => {
  expectCompliant(cloudtrail.trailName, trail());
  expectFinding(cloudtrail.trailName, trail({ name: "my--trail" }), /adjacent periods, underscores or dashes/);
  expectFinding(cloudtrail.trailName, trail({ name: "-trail" }), /starting and ending alphanumeric/);
  expectFinding(cloudtrail.trailName, trail({ name: "ab" }), /3-128/);
  expectFinding(cloudtrail.trailName, trail({ name: "192.168.5.4" }), /IP address format/);
});

test("cloudtrail-kms-key-id-is-a-key-arn", () => {
  expectCompliant(cloudtrail.kmsKeyIdIsKeyArn, trail({ kms_key_id: "${data.aws_kms_key.ArchiveKey.arn}" }));
  expectCompliant(
    cloudtrail.kmsKeyIdIsKeyArn,
    trail({ kms_key_id: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }),
  );
  expectFinding(
    cloudtrail.kmsKeyIdIsKeyArn,
    trail({ kms_key_id: "arn:aws:kms:eu-west-1:111122223333:alias/cwl-archive-archive" }),
    /is not a key ARN/,
  );
  expectFinding(
    cloudtrail.kmsKeyIdIsKeyArn,
    trail({ kms_key_id: "${aws_kms_alias.Archive.arn}" }),
    /is not a key's arn/,
  );
});

test("cloudtrail-s3-key-prefix-length", () => {
  expectCompliant(cloudtrail.s3KeyPrefix, trail({ s3_key_prefix: "p".repeat(200) }));
  expectFinding(cloudtrail.s3KeyPrefix, trail({ s3_key_prefix: "p".repeat(201) }), /201 characters, at most 200/);
});

test("cloudtrail-organization-trail-not-via-organization-access-role", () => {
  expectCompliant(
    cloudtrail.organizationTrailCredentials,
    trail({}, `arn:aws:iam::${MANAGEMENT}:role/LogArchiveDeployment`),
  );
  expectCompliant(cloudtrail.organizationTrailCredentials, trail());
  expectFinding(
    cloudtrail.organizationTrailCredentials,
    trail({}, `arn:aws:iam::${MANAGEMENT}:role/OrganizationAccountAccessRole`),
    /does not exist in the management account/,
  );
});

corpusSuite(cloudtrail.rules);
