/**
 * What CloudFormation makes of the log-access StackSet's template in one
 * account: the IAM roles whose Condition holds there, with `Fn::Sub` and
 * `Ref` of the pseudo parameters AWS::AccountId and AWS::Partition resolved,
 * as IAM then holds them. Only the intrinsics the template uses are known;
 * any other fails the test.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-sub.html
 */

export interface DeployedRole {
  readonly logicalId: string;
  readonly roleName: string;
  readonly arn: string;
  readonly trust: unknown;
  readonly managedPolicyArns: readonly string[];
}

type Template = {
  Conditions?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Condition?: string; Properties: Record<string, any> }>;
};

/** The template as Terraform passes it to CloudFormation: the `$${` escapes of cdk.tf.json undone. */
export function templateOf(templateBody: string): Template {
  return JSON.parse(templateBody.replace(/\$\$\{/g, "${")) as Template;
}

function resolve(value: unknown, accountId: string): unknown {
  const pseudo: Record<string, string> = { "AWS::AccountId": accountId, "AWS::Partition": "aws" };
  if (Array.isArray(value)) return value.map((v) => resolve(v, accountId));
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0]![0] === "Fn::Sub") {
    return (entries[0]![1] as string).replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (!(name in pseudo)) throw new Error(`unknown Fn::Sub variable ${name}`);
      return pseudo[name]!;
    });
  }
  if (entries.length === 1 && entries[0]![0] === "Ref") {
    const name = entries[0]![1] as string;
    if (!(name in pseudo)) throw new Error(`unknown Ref ${name}`);
    return pseudo[name];
  }
  if (entries.length === 1 && entries[0]![0] === "Fn::Equals") {
    const [a, b] = resolve(entries[0]![1], accountId) as [unknown, unknown];
    return a === b;
  }
  if (entries.some(([key]) => key.startsWith("Fn::"))) throw new Error(`unknown intrinsic in ${JSON.stringify(value)}`);
  return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v, accountId)]));
}

/** The roles the template creates in `accountId`. */
export function rolesIn(template: Template, accountId: string): DeployedRole[] {
  const conditions = resolve(template.Conditions ?? {}, accountId) as Record<string, boolean>;
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === "AWS::IAM::Role" && (r.Condition === undefined || conditions[r.Condition] === true))
    .map(([logicalId, r]) => {
      const properties = resolve(r.Properties, accountId) as Record<string, any>;
      return {
        logicalId,
        roleName: properties.RoleName as string,
        arn: `arn:aws:iam::${accountId}:role/${properties.RoleName as string}`,
        trust: properties.AssumeRolePolicyDocument,
        managedPolicyArns: properties.ManagedPolicyArns as string[],
      };
    });
}
