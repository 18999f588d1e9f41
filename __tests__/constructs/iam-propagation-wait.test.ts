import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { TerraformStack } from "cdktf";
import { IamPropagationWait } from "../../modules/constructs/iam-propagation-wait";
import { addressOf, errorsOf, ref, synthConstruct } from "../helpers/construct";
import { resource, resourcesOf } from "../helpers/synth";

/** A role to wait for, and the wait. */
function build(stack: TerraformStack, seconds: number): { role: IamRole; wait: IamPropagationWait } {
  const role = new IamRole(stack, "Role", { name: "subscriber", assumeRolePolicy: "{}" });
  const wait = new IamPropagationWait(stack, "Propagation", {
    seconds,
    after: [role],
    triggers: { role: role.arn, policy: "policy-document" },
  });
  return { role, wait };
}

describe("IamPropagationWait", () => {
  test("GIVEN a number of seconds THEN a terraform_data sleeps that long once the IAM resources exist", () => {
    // WHEN
    const tf = synthConstruct((stack) => build(stack, 30));

    // THEN
    const wait = resource(tf, "terraform_data", "Propagation/Wait");
    expect(wait.provisioner).toEqual([{ "local-exec": { command: "sleep 30" } }]);
    expect(wait.depends_on).toEqual([addressOf(tf, "aws_iam_role", "test/Role")]);
  });

  test("GIVEN triggers THEN the wait runs again whenever one of them changes", () => {
    const tf = synthConstruct((stack) => build(stack, 30));

    expect(resource(tf, "terraform_data", "Propagation/Wait").triggers_replace).toEqual({
      role: ref(tf, "aws_iam_role", "test/Role", "arn"),
      policy: "policy-document",
    });
  });

  test("GIVEN a number of seconds THEN dependants wait on the wait itself", () => {
    let wait: IamPropagationWait | undefined;
    synthConstruct((stack) => (wait = build(stack, 30).wait));

    expect(wait!.resource).toBeDefined();
    expect(wait!.dependables).toEqual([wait!.resource]);
  });

  test("GIVEN 0 seconds THEN there is no wait and dependants wait on the IAM resources", () => {
    let built: { role: IamRole; wait: IamPropagationWait } | undefined;
    const tf = synthConstruct((stack) => (built = build(stack, 0)));

    expect(resourcesOf(tf, "terraform_data")).toEqual([]);
    expect(built!.wait.resource).toBeUndefined();
    expect(built!.wait.dependables).toEqual([built!.role]);
  });

  test.each([0, 1, 600])("accepts %p seconds", (seconds) => {
    expect(() => synthConstruct((stack) => build(stack, seconds))).not.toThrow();
  });

  test.each([-1, 1.5, Number.NaN])("fails GIVEN %p seconds, which sleep cannot take", (seconds) => {
    expect(errorsOf((stack) => build(stack, seconds))).toEqual([
      `IamPropagationWait test/Propagation: seconds: expected a whole number of seconds of at least 0 (0 turns the wait off), got ${seconds}`,
    ]);
  });
});
