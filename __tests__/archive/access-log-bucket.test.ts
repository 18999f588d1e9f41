import type { TerraformStack } from "cdktf";
import {
  AccessLogBucket,
  accessLogDeliveryStatement,
  accessLogPrefix,
  type AccessLogBucketProps,
} from "../../modules/archive/access-log-bucket";
import { errorsOf, synthConstruct } from "../helpers/construct";
import { policyOf, resource, resourcesOf, statement } from "../helpers/synth";

const ACCOUNT = "111111111111";
const ARCHIVE_ARN = "arn:aws:s3:::cwl-archive-111111111111-eu-west-1";
const RESULTS_ARN = "arn:aws:s3:::cwl-archive-athena-results-111111111111-eu-west-1";
const LOG_BUCKET = "cwl-archive-access-logs-111111111111-eu-west-1";
const PROPS: AccessLogBucketProps = {
  bucketName: LOG_BUCKET,
  accountId: ACCOUNT,
  sourceBucketArns: [ARCHIVE_ARN],
  archive: { accessLogRetentionDays: 2557, abortIncompleteMultipartUploadDays: 7 },
};

function build(props: Partial<AccessLogBucketProps> = {}) {
  return (stack: TerraformStack) => new AccessLogBucket(stack, "AccessLogs", { ...PROPS, ...props });
}

describe("AccessLogBucket", () => {
  describe("GIVEN one source bucket and no Region", () => {
    const tf = synthConstruct(build());

    test("THEN a secure bucket of the given name, encrypted with SSE-S3 (the only encryption S3 logging documents)", () => {
      expect(resource(tf, "aws_s3_bucket", "AccessLogs/Store/Bucket").bucket).toBe(LOG_BUCKET);
      expect(
        resource(tf, "aws_s3_bucket_server_side_encryption_configuration", "AccessLogs/Store/Encryption").rule,
      ).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
      expect(
        resource(tf, "aws_s3_bucket_public_access_block", "AccessLogs/Store/PublicAccessBlock").block_public_policy,
      ).toBe(true);
    });

    test("THEN only S3 logging for that bucket of this account may write, besides the secure bucket's denies", () => {
      const policy = policyOf(resource(tf, "aws_s3_bucket_policy", "AccessLogs/Store/Policy").policy);
      expect(policy.Statement.map((s) => s.Sid)).toEqual([
        "DenyInsecureTransport",
        "DenyTamperingOutsideArchiveAccount",
        "AllowS3ServerAccessLogDelivery",
      ]);
      expect(statement(policy, "AllowS3ServerAccessLogDelivery")).toEqual({
        Sid: "AllowS3ServerAccessLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${LOG_BUCKET}/*`,
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": ARCHIVE_ARN } },
      });
    });

    test("THEN logs expire after their retention, and there is no Object Lock (it would stop log delivery)", () => {
      const lifecycle = resource(tf, "aws_s3_bucket_lifecycle_configuration", "AccessLogs/Store/Lifecycle");
      expect(lifecycle.rule.map((r: { id: string }) => r.id)).toEqual(["expiry", "expired-delete-markers"]);
      expect(lifecycle.rule[0]).toMatchObject({
        expiration: [{ days: 2557 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      });
      expect(resourcesOf(tf, "aws_s3_bucket_object_lock_configuration")).toEqual([]);
      expect(resource(tf, "aws_s3_bucket", "AccessLogs/Store/Bucket").region).toBeUndefined();
    });
  });

  test("GIVEN several source buckets THEN S3 logging of each of them may write", () => {
    const tf = synthConstruct(build({ sourceBucketArns: [ARCHIVE_ARN, RESULTS_ARN] }));

    const policy = policyOf(resource(tf, "aws_s3_bucket_policy", "AccessLogs/Store/Policy").policy);
    expect(statement(policy, "AllowS3ServerAccessLogDelivery").Condition.ArnLike).toEqual({
      "aws:SourceArn": [ARCHIVE_ARN, RESULTS_ARN],
    });
  });

  test("GIVEN a Region THEN the bucket is in that Region", () => {
    const tf = synthConstruct(build({ region: "eu-central-1" }));

    expect(resource(tf, "aws_s3_bucket", "AccessLogs/Store/Bucket").region).toBe("eu-central-1");
  });

  test("accessLogPrefix puts each source bucket's logs under its own name", () => {
    expect(accessLogPrefix("archive")).toBe("archive/");
    expect(accessLogDeliveryStatement("arn:aws:s3:::logs", ACCOUNT, [ARCHIVE_ARN]).Resource).toBe(
      "arn:aws:s3:::logs/*",
    );
  });

  test("fails GIVEN no source bucket, which would admit none", () => {
    expect(errorsOf(build({ sourceBucketArns: [] }))).toEqual([
      "AccessLogBucket test/AccessLogs: sourceBucketArns: expected at least one bucket ARN allowed to deliver logs, got none",
    ]);
  });

  test("fails, through its bucket, on a retention S3 rejects", () => {
    expect(errorsOf(build({ archive: { ...PROPS.archive, accessLogRetentionDays: 0 } }))).toEqual([
      "SecureBucket test/AccessLogs/Store: lifecycleRules[0] (expiry).expiration[0].days: expected a whole number of days of at least 1, got 0",
    ]);
  });
});
