/**
 * The guardrail statements as data: what each denies, on what, to whom; and
 * how they are packed into documents of at most 5,120 characters.
 */
import { policyDocument, type Statement } from "../../modules/policy/document";
import {
  archiveGuardrailStatements,
  arnPatternMatches,
  exemptRoleArns,
  packPolicies,
  policyCharacters,
  sourceGuardrailStatements,
  type SourceGuardrailInputs,
} from "../../modules/policy/guardrail-policies";
import { ORGANIZATION_POLICY_MAX_CHARACTERS } from "../../modules/options/guardrails";

const ROLES = ["OrganizationAccountAccessRole", "BreakGlass"];
const EXEMPT = exemptRoleArns(["*"], ROLES, "aws");

function sources(edit: Partial<SourceGuardrailInputs> = {}): Statement[] {
  return sourceGuardrailStatements({
    prefix: "cwl-archive",
    subscribedLogGroups: ["/app/orders"],
    accountPolicy: true,
    denyAccountPolicyChanges: true,
    exemptRoles: ROLES,
    exempt: EXEMPT,
    partition: "aws",
    ...edit,
  });
}

const bySid = (statements: Statement[], sid: string) => {
  const found = statements.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
};

describe("exemptRoleArns", () => {
  test("GIVEN accounts and role patterns THEN every pair is an IAM role ARN pattern, sorted, once", () => {
    expect(exemptRoleArns(["*", "*"], ["B", "A", "team/*Admin"], "aws")).toEqual([
      "arn:aws:iam::*:role/A",
      "arn:aws:iam::*:role/B",
      "arn:aws:iam::*:role/team/*Admin",
    ]);
  });
});

describe("sourceGuardrailStatements", () => {
  test("GIVEN the pipeline THEN SCP statements deny, without Principal, to all but the exempt roles", () => {
    // WHEN
    const statements = sources();

    // THEN
    expect(statements.map((s) => s.Sid)).toEqual([
      "DenyAccountPolicyChanges",
      "DenySubscriptionFilterChanges",
      "DenyPipelineLogGroupChanges",
      "DenyDeliveryStreamChanges",
      "DenyPipelineAndExemptRoleChanges",
      "DenyPipelineKeyChanges",
      "DenyPipelineKeyAliasChanges",
      "DenyPipelineRuleChanges",
    ]);
    for (const s of statements) {
      expect(s.Effect).toBe("Deny");
      expect(s.Principal).toBeUndefined();
      expect(s.Condition?.ArnNotLike).toEqual({ "aws:PrincipalArn": EXEMPT });
    }
  });

  test("GIVEN the account policy THEN it is denied on * (PutAccountPolicy takes no resource ARN)", () => {
    expect(bySid(sources(), "DenyAccountPolicyChanges")).toMatchObject({
      Action: ["logs:DeleteAccountPolicy", "logs:PutAccountPolicy"],
      Resource: "*",
    });
  });

  test.each([
    ["no account uses mode all", { accountPolicy: false }],
    ["denyAccountPolicyChanges is off", { denyAccountPolicyChanges: false }],
  ])("GIVEN %s THEN account policies are not denied", (_name, edit) => {
    expect(sources(edit).map((s) => s.Sid)).not.toContain("DenyAccountPolicyChanges");
  });

  test("GIVEN listed log groups THEN their filters are denied on both ARN forms of each group only", () => {
    expect(bySid(sources(), "DenySubscriptionFilterChanges")).toMatchObject({
      Action: ["logs:DeleteSubscriptionFilter", "logs:PutSubscriptionFilter"],
      Resource: ["arn:aws:logs:*:*:log-group:/app/orders", "arn:aws:logs:*:*:log-group:/app/orders:*"],
    });
  });

  test("GIVEN no listed log group THEN no filter is denied", () => {
    expect(sources({ subscribedLogGroups: [] }).map((s) => s.Sid)).not.toContain("DenySubscriptionFilterChanges");
  });

  test("GIVEN the stream, roles, key and rules THEN each is named by its pattern from the naming module", () => {
    const s = sources();
    expect(bySid(s, "DenyDeliveryStreamChanges").Resource).toBe(
      "arn:aws:firehose:*:*:deliverystream/cwl-archive-to-archive",
    );
    expect(bySid(s, "DenyPipelineAndExemptRoleChanges").Resource).toEqual([
      "arn:aws:iam::*:role/cwl-archive-firehose-*",
      "arn:aws:iam::*:role/cwl-archive-cwl-*",
      "arn:aws:iam::*:role/cwl-archive-tamper-forward-*",
      "arn:aws:iam::*:role/BreakGlass",
      "arn:aws:iam::*:role/OrganizationAccountAccessRole",
    ]);
    expect(bySid(s, "DenyPipelineKeyChanges")).toMatchObject({
      Resource: "arn:aws:kms:*:*:key/*",
      Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": ["alias/cwl-archive-pipeline"] } },
    });
    expect(bySid(s, "DenyPipelineKeyAliasChanges").Resource).toEqual(["arn:aws:kms:*:*:alias/cwl-archive-pipeline"]);
    expect(bySid(s, "DenyPipelineRuleChanges").Resource).toEqual([
      "arn:aws:events:*:*:rule/cwl-archive-heartbeat",
      "arn:aws:events:*:*:rule/cwl-archive-guardduty-findings",
      "arn:aws:events:*:*:rule/cwl-archive-tamper-*",
    ]);
  });
});

describe("denyRoleChanges with a role creator (the StackSets execution role)", () => {
  const CREATOR = "arn:aws:iam::*:role/stacksets-exec-*";
  const withCreator = (exemptRoles: string[], roleNames: string[]) =>
    sources({
      exemptRoles,
      exempt: exemptRoleArns(["*"], exemptRoles, "aws"),
      roleCreator: { principals: [CREATOR], roleNames },
    });

  test("GIVEN no creator THEN one statement denies the pipeline's and the exempt roles to all but the exempt", () => {
    const statement = bySid(sources(), "DenyPipelineAndExemptRoleChanges");
    expect(statement.Condition).toEqual({ ArnNotLike: { "aws:PrincipalArn": EXEMPT } });
    expect(sources().some((s) => s.Sid === "DenyCreatedRoleChanges")).toBe(false);
  });

  test("GIVEN a creator THEN only the patterns covering its roles leave it out; the pipeline's and other exempt roles do not", () => {
    // GIVEN
    const exemptRoles = ["OrganizationAccountAccessRole", "BreakGlass", "cwl-archive-tfc-run*"];
    // WHEN
    const statements = withCreator(exemptRoles, ["cwl-archive-tfc-run", "cwl-archive-tfc-run-plan"]);
    // THEN
    const pipeline = bySid(statements, "DenyPipelineAndExemptRoleChanges");
    expect(pipeline.Resource).toEqual([
      "arn:aws:iam::*:role/cwl-archive-firehose-*",
      "arn:aws:iam::*:role/cwl-archive-cwl-*",
      "arn:aws:iam::*:role/cwl-archive-tamper-forward-*",
      "arn:aws:iam::*:role/BreakGlass",
      "arn:aws:iam::*:role/OrganizationAccountAccessRole",
      // The creator's own role: its exemption goes by name.
      CREATOR,
    ]);
    expect(pipeline.Condition).toEqual({
      ArnNotLike: { "aws:PrincipalArn": exemptRoleArns(["*"], exemptRoles, "aws") },
    });
    const created = bySid(statements, "DenyCreatedRoleChanges");
    expect(created.Resource).toEqual(["arn:aws:iam::*:role/cwl-archive-tfc-run*"]);
    expect(created.Condition).toEqual({
      ArnNotLike: { "aws:PrincipalArn": [...exemptRoleArns(["*"], exemptRoles, "aws"), CREATOR] },
    });
  });

  test("GIVEN exact exempt names THEN the creator's statement names exactly its roles, and protects a created role no pattern covers", () => {
    const statements = withCreator(["BreakGlass", "cwl-archive-atlantis"], ["cwl-archive-atlantis", "cwl-archive-x"]);
    expect(bySid(statements, "DenyCreatedRoleChanges").Resource).toEqual([
      "arn:aws:iam::*:role/cwl-archive-atlantis",
      "arn:aws:iam::*:role/cwl-archive-x",
    ]);
    expect(bySid(statements, "DenyPipelineAndExemptRoleChanges").Resource).toContain("arn:aws:iam::*:role/BreakGlass");
  });
});

describe("arnPatternMatches", () => {
  test.each([
    ["arn:aws:iam::*:role/cwl-archive-tfc-run*", "arn:aws:iam::*:role/cwl-archive-tfc-run-plan", true],
    ["arn:aws:iam::*:role/cwl-archive-tfc-run*", "arn:aws:iam::*:role/cwl-archive-tfc-ru", false],
    ["arn:aws:iam::*:role/Break?lass", "arn:aws:iam::*:role/BreakGlass", true],
    ["arn:aws:iam::*:role/a.b", "arn:aws:iam::*:role/aXb", false],
    ["arn:aws:iam::*:role/team/*", "arn:aws:iam::*:role/cwl-archive-atlantis", false],
  ])("%s matches %s: %s", (pattern, target, expected) => {
    expect(arnPatternMatches(pattern, target)).toBe(expected);
  });
});

describe("archiveGuardrailStatements", () => {
  const statements = archiveGuardrailStatements({
    prefix: "cwl-archive",
    archiveAccountId: "111111111111",
    archiveRegion: "eu-west-1",
    replicaRegion: "eu-central-1",
    accessLogging: true,
    previousKeyArns: ["arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
    exempt: exemptRoleArns(["111111111111"], ROLES, "aws"),
  });

  test("GIVEN the archive THEN RCP statements deny, Principal *, to all but the exempt roles and AWS services", () => {
    expect(statements.map((s) => s.Sid)).toEqual([
      "DenyArchiveObjectDeletion",
      "DenyArchiveBucketChanges",
      "DenyArchiveKeyChanges",
      "DenyArchiveKeyAliasChanges",
      "DenyPreviousArchiveKeyChanges",
    ]);
    for (const s of statements) {
      expect(s).toMatchObject({ Effect: "Deny", Principal: "*" });
      expect(s.Condition).toMatchObject({
        ArnNotLike: {
          "aws:PrincipalArn": [
            "arn:aws:iam::111111111111:role/BreakGlass",
            "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole",
          ],
        },
        Bool: { "aws:PrincipalIsAWSService": "false" },
      });
    }
  });

  test("GIVEN a replica and access logs THEN the four buckets and their objects are protected", () => {
    expect(bySid(statements, "DenyArchiveBucketChanges").Resource).toEqual([
      "arn:aws:s3:::cwl-archive-111111111111-eu-west-1",
      "arn:aws:s3:::cwl-archive-replica-111111111111-eu-central-1",
      "arn:aws:s3:::cwl-archive-access-logs-111111111111-eu-west-1",
      "arn:aws:s3:::cwl-archive-access-logs-111111111111-eu-central-1",
    ]);
    expect(bySid(statements, "DenyArchiveObjectDeletion").Action).toContain("s3:DeleteObjectVersion");
    expect(bySid(statements, "DenyArchiveBucketChanges").Action).toEqual(
      expect.arrayContaining([
        "s3:PutLifecycleConfiguration",
        "s3:PutBucketObjectLockConfiguration",
        "s3:PutReplicationConfiguration",
        "s3:PutBucketVersioning",
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
      ]),
    );
  });

  test("GIVEN the keys THEN they are found by alias, and previous keys by ARN", () => {
    expect(bySid(statements, "DenyArchiveKeyChanges").Condition?.["ForAnyValue:StringEquals"]).toEqual({
      "kms:ResourceAliases": ["alias/cwl-archive-archive", "alias/cwl-archive-replica", "alias/cwl-archive-siem-queue"],
    });
    expect(bySid(statements, "DenyPreviousArchiveKeyChanges").Resource).toEqual([
      "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    ]);
  });
});

describe("packPolicies", () => {
  const limit = ORGANIZATION_POLICY_MAX_CHARACTERS;

  test("GIVEN statements that fit THEN one document, compact, under the limit", () => {
    const [only, ...rest] = packPolicies(sources(), limit);
    expect(rest).toEqual([]);
    expect(policyCharacters(only!)).toBeLessThanOrEqual(limit);
    expect(policyCharacters(only!)).toBe(JSON.stringify(only).length);
  });

  test("GIVEN many listed log groups THEN the filter statement is split along its resources, every document fits", () => {
    // GIVEN 200 groups: about 19,000 characters of ARNs
    const groups = Array.from({ length: 200 }, (_, i) => `/app/service-${String(i).padStart(3, "0")}`);

    // WHEN
    const documents = packPolicies(sources({ subscribedLogGroups: groups }), limit);

    // THEN
    expect(documents.length).toBeGreaterThan(3);
    for (const d of documents) expect(policyCharacters(d)).toBeLessThanOrEqual(limit);
    const sids = documents.flatMap((d) => d.Statement.map((s) => s.Sid));
    expect(sids).toContain("DenySubscriptionFilterChanges");
    expect(sids).toContain("DenySubscriptionFilterChanges2");
    expect(sids.every((sid) => /^[A-Za-z0-9]+$/.test(sid))).toBe(true);
    const covered = documents
      .flatMap((d) => d.Statement)
      .filter((s) => s.Sid.startsWith("DenySubscriptionFilterChanges"))
      .flatMap((s) => s.Resource as string[]);
    expect(covered).toHaveLength(400);
  });

  test("GIVEN the edges of the limit THEN a document of exactly the limit fits and one character more does not", () => {
    const statement = (n: number): Statement => ({
      Sid: "S",
      Effect: "Deny",
      Action: "s3:GetObject",
      Resource: "x".repeat(n),
    });
    const base = policyCharacters(policyDocument(statement(0)));
    expect(packPolicies([statement(limit - base)], limit)).toHaveLength(1);
    expect(() => packPolicies([statement(limit - base + 1)], limit)).toThrow(/no Resource list to split/);
  });

  test("fails on a resource that cannot fit a document on its own", () => {
    const statement: Statement = { Sid: "S", Effect: "Deny", Action: "s3:GetObject", Resource: ["y".repeat(limit)] };
    expect(() => packPolicies([statement], limit)).toThrow(/does not fit 5120 characters even with one resource/);
  });
});
