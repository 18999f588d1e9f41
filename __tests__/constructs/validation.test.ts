import { App, TerraformStack } from "cdktf";
import { throwIfProblems } from "../../modules/constructs/validation";

describe("throwIfProblems", () => {
  const scope = new TerraformStack(new App(), "stack");

  test("GIVEN no problems WHEN checked THEN nothing is thrown", () => {
    expect(() => throwIfProblems("Thing", scope, [])).not.toThrow();
  });

  test("fails with every problem on its own line, prefixed with the kind and the construct path", () => {
    expect(() => throwIfProblems("Thing", scope, ["a: bad", "b: worse"])).toThrow(
      new Error("Thing stack: a: bad\nThing stack: b: worse"),
    );
  });
});
