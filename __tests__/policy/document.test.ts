import { escapeIamVariables, policyDocument, toPolicyJson } from "../../modules/policy/document";

describe("toPolicyJson", () => {
  test("escapes IAM policy variables for Terraform", () => {
    const json = toPolicyJson(
      policyDocument({
        Sid: "A",
        Effect: "Allow",
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::b/${aws:PrincipalAccount}/*",
      }),
    );
    expect(json).toContain("arn:aws:s3:::b/$${aws:PrincipalAccount}/*");
    expect(json).not.toMatch(/[^$]\$\{aws:/);
  });

  test("leaves cdktf tokens alone so they resolve into references", () => {
    expect(escapeIamVariables('{"a":"${TfToken[TOKEN.12]}","b":"${aws:userid}"}')).toBe(
      '{"a":"${TfToken[TOKEN.12]}","b":"$${aws:userid}"}',
    );
  });

  test("fails on duplicate statement ids", () => {
    const s = { Sid: "Same", Effect: "Allow", Action: "s3:GetObject", Resource: "*" } as const;
    expect(() => policyDocument(s, s)).toThrow("duplicate statement id Same");
  });
});
