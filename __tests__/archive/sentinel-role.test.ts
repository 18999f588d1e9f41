import type { TerraformStack } from "cdktf";
import { SentinelRole, type SentinelRoleProps } from "../../modules/archive/sentinel-role";
import type { ArchiveContext } from "../../modules/policy/archive-policies";
import { addressOf, errorsOf, ref, synthConstruct } from "../helpers/construct";
import { policyOf, resource, statement } from "../helpers/synth";

const ACCOUNT = "111111111111";
const BUCKET = "arn:aws:s3:::cwl-archive-111111111111-eu-west-1";
const WORKSPACE = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";
const CONTEXT: ArchiveContext = {
  organizationId: "o-a1b2c3d4e5",
  archiveAccountId: ACCOUNT,
  archiveRegion: "eu-west-1",
  archiveBucketArn: BUCKET,
  deliveryRoleArnPattern: "arn:aws:iam::*:role/cwl-archive-firehose-*",
};
const QUEUE = `arn:aws:sqs:eu-west-1:${ACCOUNT}:cwl-archive-siem-notifications`;
const PROPS: SentinelRoleProps = {
  context: CONTEXT,
  roleName: "OIDC_cwl-archive-sentinel",
  workspaceId: WORKSPACE,
  queueArns: [QUEUE, `${QUEUE}-dlq`],
  archiveKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/archive`,
  queueKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/queue`,
  readableRoots: ["cloudwatch-logs/", "cloudtrail/"],
};

function build(props: Partial<SentinelRoleProps> = {}) {
  return (stack: TerraformStack) => new SentinelRole(stack, "Sentinel", { ...PROPS, ...props });
}

describe("SentinelRole", () => {
  describe("GIVEN a workspace", () => {
    const tf = synthConstruct(build());
    const role = resource(tf, "aws_iam_role", "Sentinel/Role");

    test("THEN Entra ID's issuer is registered with Sentinel's audience and Microsoft's thumbprint", () => {
      expect(resource(tf, "aws_iam_openid_connect_provider", "Sentinel/Provider")).toMatchObject({
        url: "https://sts.windows.net/33e01921-4d64-4f8c-a055-5bdaffd5e33d/",
        client_id_list: ["api://1462b192-27f7-4cb9-8523-0f4ecb54b47e"],
        thumbprint_list: ["626d44e704d1ceabe3bf0d53397464ac8080142c"],
      });
    });

    test("THEN only the workspace's connector assumes the OIDC_ role by web identity, as Microsoft documents", () => {
      expect(role).toMatchObject({ name: "OIDC_cwl-archive-sentinel", max_session_duration: 3600 });
      expect(policyOf(role.assume_role_policy).Statement).toEqual([
        {
          Sid: "SentinelWorkspaceAssumesByWebIdentity",
          Effect: "Allow",
          Principal: {
            Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/sts.windows.net/33e01921-4d64-4f8c-a055-5bdaffd5e33d/`,
          },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              "sts.windows.net/33e01921-4d64-4f8c-a055-5bdaffd5e33d/:aud": "api://1462b192-27f7-4cb9-8523-0f4ecb54b47e",
              "sts:RoleSessionName": [`MicrosoftSentinel_${WORKSPACE}`, `MicrosoftDefenderForClouds_${WORKSPACE}`],
            },
          },
        },
      ]);
      // IAM refuses a trust that names a provider which does not exist yet.
      expect(role.depends_on).toEqual([addressOf(tf, "aws_iam_openid_connect_provider", "Sentinel/Provider")]);
    });

    test("THEN the role consumes its queues and reads the announced roots, and can never write", () => {
      const policy = policyOf(resource(tf, "aws_iam_role_policy", "Sentinel/Policy").policy);
      expect(resource(tf, "aws_iam_role_policy", "Sentinel/Policy").role).toBe(
        ref(tf, "aws_iam_role", "Sentinel/Role", "name"),
      );
      expect(statement(policy, "ConsumeNotifications").Resource).toEqual([QUEUE, `${QUEUE}-dlq`]);
      expect(statement(policy, "ReadArchivedLogs").Resource).toEqual([
        `${BUCKET}/cloudwatch-logs/*`,
        `${BUCKET}/cloudtrail/*`,
      ]);
      expect(statement(policy, "NeverWriteOrDelete").Effect).toBe("Deny");
    });
  });

  test("GIVEN the provider exists already (Defender for Cloud) THEN none is created", () => {
    const tf = synthConstruct(build({ createProvider: false }));
    expect(() => resource(tf, "aws_iam_openid_connect_provider", "Sentinel/Provider")).toThrow();
    expect(resource(tf, "aws_iam_role", "Sentinel/Role").depends_on).toBeUndefined();
  });

  describe("validation", () => {
    test.each(["0B1C2D3E-4F50-4A6B-8C7D-9E0F1A2B3C4D", "workspace", ""])(
      "fails GIVEN the workspace id %p",
      (workspaceId) => {
        expect(errorsOf(build({ workspaceId }))).toEqual([
          `SentinelRole test/Sentinel: workspaceId: expected a Sentinel workspace id (a lowercase GUID), got ${JSON.stringify(workspaceId)}`,
        ]);
      },
    );

    test.each(["cwl-archive-sentinel", `OIDC_${"x".repeat(60)}`])("fails GIVEN the role name %p", (roleName) => {
      expect(errorsOf(build({ roleName }))[0]).toMatch(
        /roleName: expected an IAM role name of at most 64 characters starting with OIDC_/,
      );
    });

    test("fails with every problem at once, one line each", () => {
      expect(errorsOf(build({ workspaceId: "x", roleName: "x", queueArns: [] }))).toHaveLength(3);
    });
  });
});
