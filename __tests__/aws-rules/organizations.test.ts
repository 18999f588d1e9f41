import { corpusSuite, expectCompliant, expectFinding, stackOf } from "./lib/fixture";
import * as organizations from "./rules/organizations";

const MANAGEMENT = "999988887777";
const EXEMPT = { ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::*:role/OrganizationAccountAccessRole"] } };

const scpStatement = (edit: Record<string, unknown> = {}) => ({
  Sid: "DenyDeliveryStreamChanges",
  Effect: "Deny",
  Action: ["firehose:DeleteDeliveryStream", "firehose:UpdateDestination"],
  Resource: "arn:aws:firehose:*:*:deliverystream/cwl-archive-to-archive",
  Condition: EXEMPT,
  ...edit,
});

const rcpStatement = (edit: Record<string, unknown> = {}) => ({
  Sid: "DenyArchiveObjectDeletion",
  Effect: "Deny",
  Principal: "*",
  Action: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
  Resource: "arn:aws:s3:::cwl-archive-111111111111-eu-west-1/*",
  Condition: { ...EXEMPT, Bool: { "aws:PrincipalIsAWSService": "false" } },
  ...edit,
});

const doc = (...statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

/**
 * A guardrails stack: one SCP and one RCP (or what `edit` makes of them), the
 * SCP attached to `scpTargets`, the RCP to the log-archive account.
 */
function guardrails(
  options: {
    scp?: string;
    rcp?: string;
    scpTargets?: string[];
    edit?: (resources: Record<string, Record<string, any>>) => void;
    assumeRole?: string;
  } = {},
) {
  const resource: Record<string, Record<string, any>> = {
    aws_organizations_policy: {
      Scp1: {
        name: "cwl-archive-guardrails-scp-1",
        type: "SERVICE_CONTROL_POLICY",
        content: options.scp ?? doc(scpStatement()),
      },
      Rcp1: {
        name: "cwl-archive-guardrails-rcp-1",
        type: "RESOURCE_CONTROL_POLICY",
        content: options.rcp ?? doc(rcpStatement()),
      },
    },
    aws_organizations_policy_attachment: {
      ...Object.fromEntries(
        (options.scpTargets ?? ["ou-ab12-workload1"]).map((t) => [
          `Scp1-${t}`,
          { policy_id: "${aws_organizations_policy.Scp1.id}", target_id: t },
        ]),
      ),
      "Rcp1-111111111111": { policy_id: "${aws_organizations_policy.Rcp1.id}", target_id: "111111111111" },
    },
  };
  options.edit?.(resource);
  return stackOf(resource, { account: MANAGEMENT, ...(options.assumeRole ? { assumeRole: options.assumeRole } : {}) });
}

describe("organizations-policy-size", () => {
  // One statement of n resources, each a 64-character bucket ARN.
  const sized = (n: number, indent?: number) =>
    JSON.stringify(
      {
        Version: "2012-10-17",
        Statement: [
          scpStatement({
            Resource: Array.from(
              { length: n },
              (_, i) => `arn:aws:s3:::${"b".repeat(40)}-${String(i).padStart(9, "0")}`,
            ),
          }),
        ],
      },
      null,
      indent,
    );

  test("GIVEN a compact SCP under 5,120 characters THEN it is compliant", () => {
    expectCompliant(organizations.policySize, guardrails({ scp: sized(70) }));
  });

  test("fails on an SCP over 5,120 characters", () => {
    expectFinding(
      organizations.policySize,
      guardrails({ scp: sized(90) }),
      /SERVICE_CONTROL_POLICY content is \d+ characters, at most 5120/,
    );
  });

  test("fails on white space that pushes a policy over: Organizations counts what it is sent", () => {
    // 70 resources fit compact; indented, the same document does not.
    expectFinding(organizations.policySize, guardrails({ scp: sized(70, 8) }), /at most 5120/);
  });

  test("fails on an RCP over 5,120 characters", () => {
    const rcp = doc(
      rcpStatement({ Resource: Array.from({ length: 120 }, (_, i) => `arn:aws:s3:::bucket-${"x".repeat(30)}-${i}/*`) }),
    );
    expectFinding(organizations.policySize, guardrails({ rcp }), /RESOURCE_CONTROL_POLICY content is \d+ characters/);
  });
});

describe("organizations-scp-grammar", () => {
  test("GIVEN Deny statements with resources and conditions THEN it is compliant", () => {
    expectCompliant(
      organizations.scpGrammar,
      guardrails({
        scp: doc(
          scpStatement(),
          { Sid: "DenyOutsideRegions", Effect: "Deny", NotAction: ["iam:*", "organizations:*"], Resource: "*" },
          { Sid: "AllowAll", Effect: "Allow", Action: "*", Resource: "*" },
        ),
      }),
    );
  });

  test.each([
    ["a Principal", scpStatement({ Principal: "*" }), /Principal is not supported in an SCP/],
    [
      "a NotPrincipal",
      scpStatement({ NotPrincipal: { AWS: "arn:aws:iam::111111111111:root" } }),
      /NotPrincipal is not supported/,
    ],
    ["NotAction in an Allow", { Effect: "Allow", NotAction: "iam:*", Resource: "*" }, /NotAction only with Deny/],
    [
      "an ARN in an Allow",
      { Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b" },
      /may only name Resource "\*"/,
    ],
    [
      "a Condition in an Allow",
      { Effect: "Allow", Action: "s3:*", Resource: "*", Condition: EXEMPT },
      /Condition only with Deny/,
    ],
    [
      "a wildcard before the end of an action",
      scpStatement({ Action: "firehose:*DeliveryStream" }),
      /wildcard before its end/,
    ],
    ["both Action and NotAction", scpStatement({ NotAction: "iam:*" }), /exactly one of Action and NotAction/],
    ["no Resource", scpStatement({ Resource: undefined }), /needs Resource or NotResource/],
    ["a Sid with punctuation", scpStatement({ Sid: "Deny-Stream" }), /Sid must be letters and digits/],
  ])("fails on %s", (_name, statement, message) => {
    expectFinding(organizations.scpGrammar, guardrails({ scp: doc(statement) }), message);
  });

  test("fails on a Version other than 2012-10-17", () => {
    const scp = JSON.stringify({ Version: "2008-10-17", Statement: [scpStatement()] });
    expectFinding(organizations.scpGrammar, guardrails({ scp }), /Version must be "2012-10-17"/);
  });

  test("fails on content that is not JSON", () => {
    expectFinding(organizations.scpGrammar, guardrails({ scp: "{not json" }), /not a JSON policy document/);
  });
});

describe("organizations-rcp-grammar", () => {
  test("GIVEN Deny statements on S3 and KMS with Principal * THEN it is compliant", () => {
    const kms = rcpStatement({
      Sid: "DenyKeyChanges",
      Action: ["kms:ScheduleKeyDeletion"],
      Resource: "arn:aws:kms:*:*:key/*",
    });
    expectCompliant(organizations.rcpGrammar, guardrails({ rcp: doc(rcpStatement(), kms) }));
  });

  test.each([
    ["an Allow", rcpStatement({ Effect: "Allow" }), /Effect must be Deny in an RCP/],
    [
      "a named principal",
      rcpStatement({ Principal: { AWS: "arn:aws:iam::111111111111:root" } }),
      /Principal must be "\*" in an RCP/,
    ],
    ["no Principal", rcpStatement({ Principal: undefined }), /Principal must be "\*" in an RCP, got undefined/],
    [
      "a NotPrincipal",
      rcpStatement({ NotPrincipal: { AWS: "arn:aws:iam::111111111111:root" } }),
      /NotPrincipal is not supported in an RCP/,
    ],
    [
      "a NotAction",
      rcpStatement({ Action: undefined, NotAction: "s3:GetObject" }),
      /NotAction is not supported in an RCP/,
    ],
    [
      "an action of a service RCPs do not apply to",
      rcpStatement({ Action: "firehose:DeleteDeliveryStream" }),
      /not known to apply to firehose/,
    ],
  ])("fails on %s", (_name, statement, message) => {
    expectFinding(organizations.rcpGrammar, guardrails({ rcp: doc(statement) }), message);
  });
});

describe("organizations-policies-per-target", () => {
  const withPolicies = (n: number, target = "r-ab12") =>
    guardrails({
      edit: (r) => {
        for (let i = 2; i <= n; i++) {
          r.aws_organizations_policy![`Scp${i}`] = { name: `scp-${i}`, content: doc(scpStatement()) };
          r.aws_organizations_policy_attachment![`Scp${i}-${target}`] = {
            policy_id: `\${aws_organizations_policy.Scp${i}.id}`,
            target_id: target,
          };
        }
      },
      scpTargets: [target],
    });

  test("GIVEN four SCPs on one target (FullAWSAccess the fifth) THEN it is compliant", () => {
    expectCompliant(organizations.policiesPerTarget, withPolicies(4));
  });

  test("fails on five SCPs of the stack on one target", () => {
    expectFinding(
      organizations.policiesPerTarget,
      withPolicies(5),
      /5 SERVICE_CONTROL_POLICY attached to r-ab12, at most 4/,
    );
  });

  test("GIVEN SCPs and RCPs on the same account THEN each type is counted on its own", () => {
    expectCompliant(organizations.policiesPerTarget, withPolicies(4, "111111111111"));
  });
});

describe("organizations-attachment-target-id", () => {
  test("GIVEN a root, an OU and an account THEN it is compliant", () => {
    expectCompliant(organizations.attachmentTarget, guardrails({ scpTargets: ["r-ab12", "ou-ab12-workload1"] }));
  });

  test.each([["o-a1b2c3d4e5"], ["ou-ab12"], ["R-AB12"], ["12345678901"]])("fails on target %s", (target) => {
    expectFinding(
      organizations.attachmentTarget,
      guardrails({ scpTargets: [target] }),
      /neither a root, an OU nor an account id/,
    );
  });
});

describe("organizations-policy-not-via-organization-access-role", () => {
  test("GIVEN ambient credentials or a role created in the management account THEN it is compliant", () => {
    expectCompliant(organizations.managementCredentials, guardrails());
    expectCompliant(
      organizations.managementCredentials,
      guardrails({ assumeRole: `arn:aws:iam::${MANAGEMENT}:role/GuardrailsDeployer` }),
    );
  });

  test("fails on OrganizationAccountAccessRole", () => {
    expectFinding(
      organizations.managementCredentials,
      guardrails({ assumeRole: `arn:aws:iam::${MANAGEMENT}:role/OrganizationAccountAccessRole` }),
      /which the management account does not have/,
    );
  });
});

corpusSuite(organizations.rules);
