import { ACCOUNT, corpusSuite, expectCompliant, expectFinding, stackOf } from "./lib/fixture";
import * as iam from "./rules/iam";

const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "firehose.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** A role with an inline policy of `statements` statements; `edit` changes the resources. */
function role(edit: (res: any) => void = () => {}, statements = 1) {
  const res: any = {
    aws_iam_role: { R: { name: "cwl-archive-firehose-eu-west-1", assume_role_policy: TRUST } },
    aws_iam_role_policy: {
      P: {
        name: "deliver-to-archive",
        role: "${aws_iam_role.R.name}",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: Array.from({ length: statements }, (_, i) => ({
            Sid: `Write${i}`,
            Effect: "Allow",
            Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
            Resource: `arn:aws:s3:::cwl-archive-${ACCOUNT}-eu-west-1/cloudwatch-logs/account=${i}/*`,
          })),
        }),
      },
    },
  };
  edit(res);
  return stackOf(res);
}

test("iam-role-name-path-description", () => {
  expectCompliant(
    iam.roleName,
    role((r) => Object.assign(r.aws_iam_role.R, { path: "/cwl-archive/", description: "d" })),
  );
  expectFinding(
    iam.roleName,
    role((r) => (r.aws_iam_role.R.name = "r".repeat(65))),
    /must be 1-64/,
  );
  expectFinding(
    iam.roleName,
    role((r) => (r.aws_iam_role.R.name = "firehose role")),
    /must be 1-64 of/,
  );
  expectFinding(
    iam.roleName,
    role((r) => (r.aws_iam_role.R.path = "cwl-archive")),
    /must begin and end with \//,
  );
  expectFinding(
    iam.roleName,
    role((r) => (r.aws_iam_role.R.description = "d".repeat(1001))),
    /1001 characters, at most 1000/,
  );
});

test("iam-oidc-provider", () => {
  const provider = (config: Record<string, unknown>) =>
    stackOf({
      aws_iam_openid_connect_provider: {
        P: {
          url: "https://sts.windows.net/33e01921-4d64-4f8c-a055-5bdaffd5e33d/",
          client_id_list: ["api://1462b192-27f7-4cb9-8523-0f4ecb54b47e"],
          thumbprint_list: ["626d44e704d1ceabe3bf0d53397464ac8080142c"],
          ...config,
        },
      },
    });
  expectCompliant(iam.openIdConnectProvider, provider({}));
  expectFinding(iam.openIdConnectProvider, provider({ url: "sts.windows.net/x/" }), /must begin with https:\/\//);
  expectFinding(iam.openIdConnectProvider, provider({ url: "https://issuer.example:8443/" }), /no port or query/);
  expectFinding(iam.openIdConnectProvider, provider({ thumbprint_list: ["626d44"] }), /40 hex characters/);
  expectFinding(iam.openIdConnectProvider, provider({ client_id_list: ["x".repeat(256)] }), /at most 255/);
});

test("iam-oidc-provider-in-template", () => {
  const stackSet = (properties: Record<string, unknown>) =>
    stackOf({
      aws_cloudformation_stack_set: {
        S: {
          name: "cwl-archive-tfc-access",
          template_body: JSON.stringify({
            Resources: {
              Provider: {
                Type: "AWS::IAM::OIDCProvider",
                Properties: {
                  Url: "https://app.terraform.io",
                  ClientIdList: ["aws.workload.identity"],
                  ThumbprintList: ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"],
                  ...properties,
                },
              },
              Role: { Type: "AWS::IAM::Role", Properties: { RoleName: "r", Arn: "arn:$${AWS::Partition}" } },
            },
          }),
        },
      },
    });
  expectCompliant(iam.templateOpenIdConnectProvider, stackSet({}));
  expectFinding(
    iam.templateOpenIdConnectProvider,
    stackSet({ ThumbprintList: undefined }),
    /ThumbprintList is required/,
  );
  expectFinding(iam.templateOpenIdConnectProvider, stackSet({ ThumbprintList: ["9e99"] }), /40 hex characters/);
  expectFinding(iam.templateOpenIdConnectProvider, stackSet({ Url: "app.terraform.io" }), /must begin with https/);
});

test("iam-role-in-template", () => {
  const trust = {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::800000000009:root" },
        Action: "sts:AssumeRole",
        Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::800000000009:role/atlantis" } },
      },
    ],
  };
  const stackSet = (properties: Record<string, unknown>) =>
    stackOf({
      aws_cloudformation_stack_set: {
        S: {
          name: "cwl-archive-atlantis-access",
          template_body: JSON.stringify({
            Resources: {
              Role: {
                Type: "AWS::IAM::Role",
                Properties: {
                  RoleName: "cwl-archive-atlantis",
                  Description: "d",
                  AssumeRolePolicyDocument: trust,
                  ManagedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],
                  ...properties,
                },
              },
            },
          }),
        },
      },
    });
  expectCompliant(iam.templateRole, stackSet({}));
  expectCompliant(iam.templateRole, stackSet({ RoleName: { "Fn::Sub": "run-$${AWS::AccountId}" } }));
  expectFinding(iam.templateRole, stackSet({ RoleName: "r".repeat(65) }), /must be 1-64/);
  expectFinding(iam.templateRole, stackSet({ RoleName: "atlantis role" }), /must be 1-64/);
  expectFinding(iam.templateRole, stackSet({ Description: "d".repeat(1001) }), /1001 characters, at most 1000/);
  expectFinding(
    iam.templateRole,
    stackSet({
      AssumeRolePolicyDocument: {
        ...trust,
        Statement: [
          {
            ...trust.Statement[0],
            Condition: {
              ArnEquals: {
                "aws:PrincipalArn": Array.from(
                  { length: 60 },
                  (_, i) => `arn:aws:iam::800000000009:role/atlantis-${i}`,
                ),
              },
            },
          },
        ],
      },
    }),
    /trust policy is \d+ non-white-space characters, at most 2048/,
  );
  expectFinding(
    iam.templateRole,
    stackSet({ ManagedPolicyArns: Array.from({ length: 11 }, (_, i) => `arn:aws:iam::aws:policy/P${i}`) }),
    /11 managed policies, at most 10/,
  );
});

test("iam-role-name-unique", () => {
  expectCompliant(iam.roleNamesUnique, role());
  expectFinding(
    iam.roleNamesUnique,
    role(
      (r) =>
        (r.aws_iam_role.S = { name: "CWL-Archive-Firehose-EU-West-1", region: "us-east-1", assume_role_policy: TRUST }),
    ),
    /used by 2 resources/,
  );
});

test("iam-role-max-session-duration", () => {
  expectCompliant(
    iam.maxSessionDuration,
    role((r) => (r.aws_iam_role.R.max_session_duration = 43_200)),
  );
  expectFinding(
    iam.maxSessionDuration,
    role((r) => (r.aws_iam_role.R.max_session_duration = 900)),
    /must be 3600-43200/,
  );
});

test("iam-role-trust-policy-length (white space does not count)", () => {
  const trust = (principals: number, indent?: number) =>
    role(
      (r) =>
        (r.aws_iam_role.R.assume_role_policy = JSON.stringify(
          {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: {
                  AWS: Array.from({ length: principals }, (_, i) => `arn:aws:iam::${100000000000 + i}:root`),
                },
                Action: "sts:AssumeRole",
              },
            ],
          },
          null,
          indent,
        )),
    );
  // 55 principals fit in 2,048 characters only because IAM does not count the indentation.
  expectCompliant(iam.trustPolicyLength, trust(55, 8));
  expectFinding(iam.trustPolicyLength, trust(70), /non-white-space characters, at most 2048/);
});

test("iam-role-inline-policies-aggregate", () => {
  expectCompliant(iam.inlinePolicyAggregate, role(undefined, 50));
  expectFinding(iam.inlinePolicyAggregate, role(undefined, 120), /inline policies total \d+ characters, at most 10240/);
});

test("iam-inline-policy-name", () => {
  expectCompliant(iam.inlinePolicyName, role());
  expectFinding(
    iam.inlinePolicyName,
    role((r) => (r.aws_iam_role_policy.P.name = "deliver to archive")),
    /without \\ \/ \* \? or space/,
  );
  expectFinding(
    iam.inlinePolicyName,
    role((r) => (r.aws_iam_role_policy.Q = { ...r.aws_iam_role_policy.P })),
    /is used 2 times on aws_iam_role.R/,
  );
});

test("iam-policy-document-characters", () => {
  expectCompliant(iam.policyCharacters, role());
  expectFinding(
    iam.policyCharacters,
    role((r) => (r.aws_iam_role_policy.P.policy = r.aws_iam_role_policy.P.policy.replace("Write0", "Write\u2013zero"))),
    /contains characters IAM rejects/,
  );
});

corpusSuite(iam.rules);

describe("iam-arn-partition", () => {
  const govRole = (resource: string) =>
    stackOf(
      {
        aws_iam_role_policy: {
          P: {
            name: "p",
            role: "r",
            policy: JSON.stringify({
              Version: "2012-10-17",
              Statement: [{ Effect: "Allow", Action: "s3:*", Resource: resource }],
            }),
          },
        },
      },
      { region: "us-gov-west-1", assumeRole: `arn:aws-us-gov:iam::${ACCOUNT}:role/Deploy` },
    );

  test("GIVEN a GovCloud stack whose ARNs are all GovCloud's THEN it is compliant", () => {
    expectCompliant(iam.arnPartition, govRole("arn:aws-us-gov:s3:::archive/*"));
    expectCompliant(iam.arnPartition, role());
  });

  test("fails for a commercial ARN in a GovCloud stack, or a GovCloud ARN in a commercial one", () => {
    expectFinding(
      iam.arnPartition,
      govRole("arn:aws:s3:::archive/*"),
      /policy names partition aws \(arn:aws:\.\.\.\), not aws-us-gov/,
    );
    expectFinding(
      iam.arnPartition,
      role((res) => (res.aws_iam_role.R.permissions_boundary = "arn:aws-cn:iam::aws:policy/Boundary")),
      /permissions_boundary names partition aws-cn .*not aws,/,
    );
  });

  test("GIVEN a regular expression that matches any partition THEN it is not an ARN of another partition", () => {
    const query = { aws_athena_named_query: { Q: { query: "WHERE regexp_like(arn, '^arn:aws[a-z-]*:iam::')" } } };
    expectCompliant(iam.arnPartition, stackOf(query, { region: "us-gov-west-1" }));
  });
});
