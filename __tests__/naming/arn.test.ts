import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { arn } from "../../modules/naming/arn";

describe("arn", () => {
  test("builds regional, global and account-less ARNs in the given partition", () => {
    expect(arn({ service: "logs", region: "eu-west-1", account: "111111111111", resource: "log-group:/x" })).toBe(
      "arn:aws:logs:eu-west-1:111111111111:log-group:/x",
    );
    expect(arn({ service: "iam", account: "111111111111", resource: "role/r" })).toBe(
      "arn:aws:iam::111111111111:role/r",
    );
    expect(arn({ service: "s3", resource: "bucket" })).toBe("arn:aws:s3:::bucket");
    expect(arn({ partition: "aws-us-gov", service: "s3", resource: "bucket" })).toBe("arn:aws-us-gov:s3:::bucket");
  });

  /**
   * One place for ARNs: no module writes an `arn:aws:` literal except the ARN
   * builder, and the registry schema, which validates ARNs users write.
   */
  test("no module builds an ARN by hand", () => {
    const allowed = new Set(["modules/naming/arn.ts", "modules/registry/schema.ts"]);
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
      });
    const offenders = files("modules").filter(
      (file) => !allowed.has(file) && /arn:aws[:-]/.test(readFileSync(file, "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
