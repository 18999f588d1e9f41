import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { arn, KMS_KEY_ARN, partitionOfArn } from "../../modules/naming/arn";

describe("arn", () => {
  test("builds regional, global and account-less ARNs in the given partition", () => {
    expect(arn({ service: "logs", region: "eu-west-1", account: "111111111111", resource: "log-group:/x" })).toBe(
      "arn:aws:logs:eu-west-1:111111111111:log-group:/x",
    );
    expect(arn({ partition: "aws", service: "iam", account: "111111111111", resource: "role/r" })).toBe(
      "arn:aws:iam::111111111111:role/r",
    );
    expect(arn({ partition: "aws", service: "s3", resource: "bucket" })).toBe("arn:aws:s3:::bucket");
    expect(arn({ partition: "aws-us-gov", service: "s3", resource: "bucket" })).toBe("arn:aws-us-gov:s3:::bucket");
  });

  test("GIVEN a GovCloud or China Region and no partition THEN the ARN is in that Region's partition", () => {
    expect(arn({ service: "sqs", region: "us-gov-west-1", account: "111111111111", resource: "q" })).toBe(
      "arn:aws-us-gov:sqs:us-gov-west-1:111111111111:q",
    );
    expect(arn({ service: "logs", region: "cn-northwest-1", account: "111111111111", resource: "*" })).toBe(
      "arn:aws-cn:logs:cn-northwest-1:111111111111:*",
    );
  });

  test("fails for an ARN over every Region that names no partition", () => {
    expect(() => arn({ service: "kms", region: "*", account: "*", resource: "key/*" })).toThrow(/needs its partition/);
    expect(arn({ partition: "aws-cn", service: "kms", region: "*", account: "*", resource: "key/*" })).toBe(
      "arn:aws-cn:kms:*:*:key/*",
    );
  });

  test("KMS_KEY_ARN accepts a key of every partition, and partitionOfArn reads it back", () => {
    for (const partition of ["aws", "aws-us-gov", "aws-cn"]) {
      const key = `arn:${partition}:kms:us-gov-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
      expect(KMS_KEY_ARN.test(key)).toBe(true);
      expect(partitionOfArn(key)).toBe(partition);
    }
    expect(
      KMS_KEY_ARN.test("arn:aws-iso:kms:us-iso-east-1:111111111111:key/mrk-0123456789abcdef0123456789abcdef"),
    ).toBe(false);
  });
});

/** Every TypeScript file under `dir`, as paths relative to the repository root. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Lines of code (comments stripped, crudely: enough for literals) that name `amazonaws.com` by hand. */
function endpointLiterals(source: string): string[] {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "")
    .split("\n")
    .filter((line) => /amazonaws\.com/.test(line) && !/aws-reserved\/sso\.amazonaws\.com/.test(line))
    .map((line) => line.trim());
}

describe("one place for partitions", () => {
  /**
   * One place for ARNs: no module writes an `arn:aws:` literal except the ARN
   * builder, and the registry schema, which validates ARNs users write.
   */
  test("no module builds an ARN by hand", () => {
    const allowed = new Set(["modules/naming/arn.ts", "modules/registry/schema.ts"]);
    const offenders = files("modules").filter(
      (file) => !allowed.has(file) && /arn:aws[:-]/.test(readFileSync(file, "utf8")),
    );
    expect(offenders).toEqual([]);
  });

  /**
   * Service principals, kms:ViaService values, CloudTrail event sources and
   * endpoint names come from modules/naming/partition.ts, which knows the
   * China Regions' `amazonaws.com.cn`. Outside it, `amazonaws.com` may appear
   * in comments only, and in the registry's IAM role path example
   * (`aws-reserved/sso.amazonaws.com/...`, a path IAM Identity Center writes,
   * not a principal or endpoint).
   */
  test("no module writes a service principal or endpoint suffix by hand", () => {
    const offenders = files("modules")
      .filter((file) => file !== "modules/naming/partition.ts")
      .flatMap((file) => endpointLiterals(readFileSync(file, "utf8")).map((line) => `${file}: ${line}`));
    expect(offenders).toEqual([]);
  });

  test("the check catches a principal or suffix written in code, not in a comment", () => {
    const source = [
      "/** CloudWatch Logs writes as `logs.amazonaws.com`. */",
      "// or `logs.eu-west-1.amazonaws.com`",
      'const a = { Principal: { Service: "logs.amazonaws.com" } };',
      "const b = `sqs.${region}.amazonaws.com.cn`;",
      'const c = "aws-reserved/sso.amazonaws.com/*";',
    ].join("\n");
    expect(endpointLiterals(source)).toEqual([
      'const a = { Principal: { Service: "logs.amazonaws.com" } };',
      "const b = `sqs.${region}.amazonaws.com.cn`;",
    ]);
  });
});
