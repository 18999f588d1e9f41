import { TerraformOutput, TerraformVariable, type TerraformStack } from "cdktf";
import { ProtectedKey, type ProtectedKeyProps } from "../../modules/constructs/protected-key";
import type { Statement } from "../../modules/policy/document";
import { errorsOf, ref, synthConstruct } from "../helpers/construct";
import { policyOf, resource, statement } from "../helpers/synth";

const ADMIN: Statement = {
  Sid: "AccountAdministersKey",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::111111111111:root" },
  Action: "kms:*",
  Resource: "*",
};

const PROPS: ProtectedKeyProps = {
  description: "Encrypts the things",
  alias: "alias/things",
  statements: [ADMIN],
};

function build(props: Partial<ProtectedKeyProps> = {}) {
  return (stack: TerraformStack) => new ProtectedKey(stack, "Things", { ...PROPS, ...props });
}

describe("ProtectedKey", () => {
  describe("GIVEN only the required props", () => {
    const tf = synthConstruct(build());
    const key = resource(tf, "aws_kms_key", "Things/Key");

    test("THEN the key rotates, cannot be destroyed by Terraform and carries its description", () => {
      expect(key).toMatchObject({
        description: "Encrypts the things",
        enable_key_rotation: true,
        lifecycle: { prevent_destroy: true },
      });
    });

    test("THEN a scheduled deletion waits 30 days, the longest window", () => {
      expect(key.deletion_window_in_days).toBe(30);
    });

    test("THEN the key policy holds exactly the given statements", () => {
      const policy = policyOf(key.policy);
      expect(policy.Statement).toEqual([ADMIN]);
      expect(statement(policy, "AccountAdministersKey").Action).toBe("kms:*");
    });

    test("THEN the alias names the key", () => {
      expect(resource(tf, "aws_kms_alias", "Things/Alias")).toMatchObject({
        name: "alias/things",
        target_key_id: ref(tf, "aws_kms_key", "Things/Key", "key_id"),
      });
    });

    test("THEN key and alias are in the stack's Region", () => {
      expect(key.region).toBeUndefined();
      expect(resource(tf, "aws_kms_alias", "Things/Alias").region).toBeUndefined();
    });
  });

  test("GIVEN a Region THEN key and alias are in that Region", () => {
    const tf = synthConstruct(build({ region: "eu-central-1" }));

    expect(resource(tf, "aws_kms_key", "Things/Key").region).toBe("eu-central-1");
    expect(resource(tf, "aws_kms_alias", "Things/Alias").region).toBe("eu-central-1");
  });

  test("GIVEN a deletion window THEN a scheduled deletion waits that long", () => {
    const tf = synthConstruct(build({ deletionWindowInDays: 7 }));

    expect(resource(tf, "aws_kms_key", "Things/Key").deletion_window_in_days).toBe(7);
  });

  test("THEN arn is the key's ARN", () => {
    const tf = synthConstruct((stack) => new TerraformOutput(stack, "arn", { value: build()(stack).arn }));

    expect(tf.output!.arn.value).toBe(ref(tf, "aws_kms_key", "Things/Key", "arn"));
  });

  test.each([7, 30])("accepts a deletion window of %p days", (deletionWindowInDays) => {
    expect(() => synthConstruct(build({ deletionWindowInDays }))).not.toThrow();
  });

  test.each([6, 31, 7.5])("fails GIVEN a deletion window of %p days", (deletionWindowInDays) => {
    expect(errorsOf(build({ deletionWindowInDays }))).toEqual([
      `ProtectedKey test/Things: deletionWindowInDays: expected a whole number of days from 7 to 30, got ${deletionWindowInDays}`,
    ]);
  });

  test.each(["alias/a", `alias/${"a".repeat(250)}`, "alias/team/key_1-A"])("accepts the alias %p", (alias) => {
    expect(() => synthConstruct(build({ alias }))).not.toThrow();
  });

  test("accepts an alias only known at apply time", () => {
    expect(() =>
      synthConstruct((stack) => {
        const alias = new TerraformVariable(stack, "alias", { type: "string" }).stringValue;
        return new ProtectedKey(stack, "Things", { ...PROPS, alias });
      }),
    ).not.toThrow();
  });

  test("fails GIVEN an alias without the alias/ prefix", () => {
    expect(errorsOf(build({ alias: "things" }))).toEqual([
      'ProtectedKey test/Things: alias: expected a name starting with "alias/", got "things"',
    ]);
  });

  test("fails GIVEN an alias under alias/aws/, which AWS reserves", () => {
    expect(errorsOf(build({ alias: "alias/aws/things" }))).toEqual([
      'ProtectedKey test/Things: alias: expected a name outside "alias/aws/", which AWS reserves for its managed keys, got "alias/aws/things"',
    ]);
  });

  test.each(["alias/", "alias/has space", "alias/dot.ted", `alias/${"a".repeat(251)}`])(
    "fails GIVEN the alias %p",
    (alias) => {
      expect(errorsOf(build({ alias }))).toEqual([
        `ProtectedKey test/Things: alias: expected "alias/" and a name of letters, digits, /, _ and -, at most 256 characters in all, got ${JSON.stringify(alias)}`,
      ]);
    },
  );

  test("fails with every problem at once, one line each", () => {
    expect(errorsOf(build({ alias: "things", deletionWindowInDays: 0 }))).toEqual([
      'ProtectedKey test/Things: alias: expected a name starting with "alias/", got "things"',
      "ProtectedKey test/Things: deletionWindowInDays: expected a whole number of days from 7 to 30, got 0",
    ]);
  });
});
