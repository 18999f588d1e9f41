/**
 * OrganizationTrail on its own, without the registry: the trail CloudTrail
 * needs for an organization delivering to the archive, its key, and its
 * tamper watch.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html
 */
import { OrganizationTrail } from "../../../modules/sources/trail/organization-trail";
import { errorsOf, STACK_REGION, synthConstruct } from "../../helpers/construct";
import { resource, resourcesOf } from "../../helpers/synth";

const MANAGEMENT = "444444444444";
const ARCHIVE = "111111111111";
const KEYS = "333333333333";

describe("OrganizationTrail", () => {
  test("GIVEN the minimal props WHEN synthesised THEN one organization-wide, multi-Region, validated trail writes under cloudtrail/ of the archive bucket", () => {
    // GIVEN / WHEN
    const tf = synthConstruct(
      (stack) =>
        new OrganizationTrail(stack, "Trail", {
          managementAccountId: MANAGEMENT,
          archiveAccountId: ARCHIVE,
          archiveRegion: STACK_REGION,
        }),
    );

    // THEN
    expect(resource(tf, "aws_cloudtrail", "Trail/Trail")).toMatchObject({
      name: "cwl-archive-organization",
      s3_bucket_name: `cwl-archive-${ARCHIVE}-eu-west-1`,
      s3_key_prefix: "cloudtrail",
      is_organization_trail: true,
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      enable_logging: true,
    });
    expect(resourcesOf(tf, "aws_cloudwatch_event_rule")).toEqual([]);
  });

  test("GIVEN a key account WHEN no key ARN is given THEN the trail names the archive key by the ARN read by alias there", () => {
    // GIVEN / WHEN
    const tf = synthConstruct(
      (stack) =>
        new OrganizationTrail(stack, "Trail", {
          managementAccountId: MANAGEMENT,
          archiveAccountId: ARCHIVE,
          archiveRegion: "eu-central-1",
          homeRegion: STACK_REGION,
          keyAccountId: KEYS,
        }),
    );

    // THEN
    const [[name, key]] = Object.entries(tf.data!.aws_kms_key as Record<string, { key_id: string; region?: string }>);
    expect(key).toMatchObject({
      key_id: `arn:aws:kms:eu-central-1:${KEYS}:alias/cwl-archive-archive`,
      region: "eu-central-1",
    });
    expect(resource(tf, "aws_cloudtrail", "Trail/Trail").kms_key_id).toBe(`\${data.aws_kms_key.${name}.arn}`);
  });

  test("GIVEN a key ARN WHEN synthesised THEN nothing is looked up", () => {
    const keyArn = `arn:aws:kms:eu-west-1:${KEYS}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const tf = synthConstruct(
      (stack) =>
        new OrganizationTrail(stack, "Trail", {
          managementAccountId: MANAGEMENT,
          archiveAccountId: ARCHIVE,
          archiveRegion: STACK_REGION,
          archiveKeyArn: keyArn,
        }),
    );
    expect(tf.data?.aws_kms_key).toBeUndefined();
    expect(resource(tf, "aws_cloudtrail", "Trail/Trail").kms_key_id).toBe(keyArn);
  });

  test("GIVEN tamper settings WHEN synthesised THEN the trail's own changes are watched where it lives", () => {
    const tf = synthConstruct(
      (stack) =>
        new OrganizationTrail(stack, "Trail", {
          managementAccountId: MANAGEMENT,
          archiveAccountId: ARCHIVE,
          archiveRegion: STACK_REGION,
          tamper: { busArn: `arn:aws:events:eu-west-1:${ARCHIVE}:event-bus/cwl-archive-tamper` },
        }),
    );
    const patterns = resourcesOf(tf, "aws_cloudwatch_event_rule").map(([, r]) => r.event_pattern as string);
    expect(patterns.some((p) => p.includes("StopLogging"))).toBe(true);
  });

  test("fails with every bad account id named at once", () => {
    expect(
      errorsOf(
        (stack) =>
          new OrganizationTrail(stack, "Trail", {
            managementAccountId: "1",
            archiveAccountId: ARCHIVE,
            archiveRegion: STACK_REGION,
            keyAccountId: "2",
          }),
      ),
    ).toEqual([
      'OrganizationTrail test/Trail: managementAccountId: expected a 12-digit AWS account id, got "1"',
      'OrganizationTrail test/Trail: keyAccountId: expected a 12-digit AWS account id, got "2"',
    ]);
  });
});
