/**
 * DESIGN.md invariant "confused deputy": every grant to an AWS service
 * principal, in a trust policy or a resource policy, names on whose behalf
 * the service may act, with `aws:SourceAccount`, `aws:SourceArn`,
 * `aws:SourceOrgID` or an ExternalId. Checked over every policy of every
 * stack of the corpus (the sample and the option registries).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
import { corpusStacks, fixtureTest } from "../helpers/corpus";
import { policiesOfStack } from "./support/policy-catalogue";

const SOURCE_KEYS = ["aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths", "sts:externalid"];

/**
 * The first documented exception: CloudWatch Logs encrypting a log group with a
 * customer key is scoped by the log group in the encryption context, AWS's
 * documented pattern for that grant (the request carries no source keys).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
const SCOPED_BY_LOG_GROUP = "kms:encryptioncontext:aws:logs:arn";

/**
 * The third: EventBridge publishing to an SNS topic encrypted with a customer
 * key. SNS documents that aws:SourceAccount, aws:SourceArn and
 * aws:SourceOrgID in the key policy are "not supported for
 * EventBridge-to-encrypted topics" (every delivery fails); the grant is scoped
 * by the topic in SNS's encryption context, and the topic policy names the rule.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
const SCOPED_BY_TOPIC = "kms:encryptioncontext:aws:sns:topicarn";

/**
 * The second: a Lambda execution role's trust. Only principals of the role's
 * own account can pass it to a function (iam:PassRole does not cross
 * accounts), and AWS documents this trust without conditions.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
 */
function isLambdaExecutionTrust(statement: Record<string, any>): boolean {
  return statement.Principal?.Service === "lambda.amazonaws.com" && statement.Action === "sts:AssumeRole";
}

interface Grant {
  readonly where: string;
  readonly statement: Record<string, any>;
}

function serviceGrants(): Grant[] {
  return corpusStacks().flatMap(({ registry, stack, json }) =>
    policiesOfStack(json).flatMap(({ address, document }) =>
      ((document as { Statement?: Record<string, any>[] })?.Statement ?? [])
        .filter((s) => s.Effect === "Allow" && s.Principal?.Service !== undefined)
        .map((statement) => ({ where: `${registry} ${stack} ${address} ${statement.Sid ?? ""}`, statement })),
    ),
  );
}

function conditionKeys(statement: Record<string, any>): string[] {
  return Object.values(statement.Condition ?? {})
    .flatMap((byKey) => Object.keys(byKey as object))
    .map((k) => k.toLowerCase());
}

describe("confused deputy", () => {
  const grants = serviceGrants();

  // A count of the fixture corpus: npm run check proves one registry, which may grant fewer.
  fixtureTest("the corpus grants to service principals (the check is not vacuous)", () => {
    expect(grants.length).toBeGreaterThan(50);
  });

  test("every grant to a service principal names its source, or is one of the three documented exceptions", () => {
    const unscoped = grants
      .filter(({ statement }) => {
        const keys = conditionKeys(statement);
        return (
          !keys.some((k) => SOURCE_KEYS.includes(k)) &&
          !keys.includes(SCOPED_BY_LOG_GROUP) &&
          !(keys.includes(SCOPED_BY_TOPIC) && statement.Principal?.Service === "events.amazonaws.com") &&
          !isLambdaExecutionTrust(statement)
        );
      })
      .map((g) => g.where);
    expect(unscoped).toEqual([]);
  });

  test("fails on a service grant without a source condition", () => {
    const keys = conditionKeys({ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Condition: {} });
    expect(keys.some((k) => SOURCE_KEYS.includes(k))).toBe(false);
  });

  test("the Lambda exception covers only Lambda's sts:AssumeRole", () => {
    const trust = (service: string) => ({ Principal: { Service: service }, Action: "sts:AssumeRole" });
    expect(isLambdaExecutionTrust(trust("lambda.amazonaws.com"))).toBe(true);
    expect(isLambdaExecutionTrust(trust("firehose.amazonaws.com"))).toBe(false);
    expect(isLambdaExecutionTrust({ Principal: { Service: "lambda.amazonaws.com" }, Action: "sqs:SendMessage" })).toBe(
      false,
    );
  });
});
