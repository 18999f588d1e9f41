import { stackOf } from "./fixture";
import { actionMatches, characters, iamCharacters, utf8Bytes } from "./policy";

const stack = stackOf({});

describe("measuring a policy as the receiving service counts it", () => {
  const compact = JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:GetObject" }] });
  const pretty = JSON.stringify(JSON.parse(compact), null, 4);

  test("IAM does not count white space", () => {
    expect(iamCharacters(stack, pretty)).toBe(iamCharacters(stack, compact));
    expect(iamCharacters(stack, compact)).toBe(compact.length);
  });

  test("byte quotas count the text as written when it is longer than its normal form", () => {
    expect(utf8Bytes(stack, pretty)).toBe(pretty.length);
    expect(characters(stack, compact)).toBe(compact.length);
  });

  test("bytes are UTF-8 bytes, and < > & count as the six characters Go's JSON encoder writes", () => {
    expect(utf8Bytes(stack, JSON.stringify({ Sid: "é" }))).toBe(JSON.stringify({ Sid: "é" }).length + 1);
    expect(utf8Bytes(stack, JSON.stringify({ Sid: "a<b" }))).toBe(JSON.stringify({ Sid: "a<b" }).length + 5);
  });
});

test("actions match IAM wildcards, ignoring case", () => {
  expect(actionMatches("kms:Put*", "kms:PutKeyPolicy")).toBe(true);
  expect(actionMatches("KMS:*", "kms:PutKeyPolicy")).toBe(true);
  expect(actionMatches("kms:Put?eyPolicy", "kms:PutKeyPolicy")).toBe(true);
  expect(actionMatches("kms:Get*", "kms:PutKeyPolicy")).toBe(false);
});
