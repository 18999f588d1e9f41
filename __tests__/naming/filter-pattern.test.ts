/**
 * Filter patterns as CloudWatch Logs documents them: every example of AWS's
 * filter pattern pages is accepted, and what the pages say CloudWatch Logs
 * refuses is refused with the reason.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/regex-expressions.html
 */
import { filterPatternProblem } from "../../modules/naming/filter-pattern";

describe("accepted: the documentation's own examples", () => {
  test.each([
    [""],
    ["ERROR"],
    ["ERROR ARGUMENTS"],
    ["?ERROR ?ARGUMENTS"],
    ['"INTERNAL SERVER ERROR"'],
    ["-ARGUMENTS"],
    ["%AUTHORIZED%"],
    ["%\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}%"],
    ["%[Ee]rror|[Ff]ail%"],
    ["%^[hc]at%"],
    ["%colou?r%"],
    ["%a{3,5}%"],
    ['{ $.eventType = "UpdateTrail" }'],
    ["{ $.sourceIPAddress != 123.123.* }"],
    ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }'],
    ['{ $.arrayKey[1] = "value" }'],
    ["{ $.eventName = %Delete.*% }"],
    ['{ $.message = "quote \\" inside" }'],
    ['[ip, user, username, timestamp, request = "*html*", status_code = 4*, bytes]'],
    ["[w1=%abc%, w2, w3=%[0-9]+%]"],
    ["[..., status_code != 200, bytes]"],
    ['"100% sure"'],
  ])("%s", (pattern) => {
    expect(filterPatternProblem(pattern)).toBeUndefined();
  });
});

describe("refused, with the reason", () => {
  test.each([
    ["%something!%", '"!"'],
    ["%(ab)+%", "parentheses"],
    ["%héllo%", "multi-byte"],
    ["%a b%", '" "'],
    ["%%", "empty"],
    ["%unterminated", "end with %"],
    ['"unterminated', 'end with "'],
    ["{ $.a = %x% && $.b = %y% && $.c = %z% }", "at most 2 regular expressions"],
    ["[a=%x%, b=%y%, c=%z%]", "at most 2"],
    ['{ $.eventType = "UpdateTrail"', "end with }"],
    ["{ ($.a = 1 }", "expected ) before the } at character 12"],
    ["{ $.a = 1 }}", "nothing to close at character 12"],
    ["{ ($.a = 1) && ($.b = 2 }", "expected ) before"],
    ["[a, b", "end with ]"],
    ["x".repeat(1025), "at most 1024 characters"],
  ])("%s", (pattern, reason) => {
    expect(filterPatternProblem(pattern)).toContain(reason);
  });

  test("two regular expressions are allowed in a structured pattern; in a standalone one the count is not limited by this rule", () => {
    expect(filterPatternProblem("{ $.a = %x% && $.b = %y% }")).toBeUndefined();
    expect(filterPatternProblem("[a=%x%, b=%y%]")).toBeUndefined();
  });
});
