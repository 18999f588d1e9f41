/**
 * Numbers for people (issue 20, item 6.4): money with cents, counts as whole
 * numbers or one decimal, GB with the digits they carry.
 */
import { count, gb, plural, rate, usd } from "../../modules/cost/format";

describe("usd", () => {
  test.each([
    [0, "$0"],
    [0.004, "< $0.01"],
    [0.005, "$0.01"],
    [0.0378, "$0.04"],
    [1.4, "$1.40"],
    [56547.123, "$56,547.12"],
    [1234567.891, "$1,234,567.89"],
  ])("%p is %p", (value, text) => {
    expect(usd(value)).toBe(text);
  });
});

describe("count", () => {
  test.each([
    [3, "3"],
    [1000, "1,000"],
    [1.736842105263158, "1.7"],
    [0.25, "0.3"],
  ])("%p is %p", (value, text) => {
    expect(count(value)).toBe(text);
  });
});

describe("gb", () => {
  test.each([
    [0, "0"],
    [0.2, "0.2"],
    [0.046875, "0.0469"],
    [4.5, "4.5"],
    [12.345, "12.3"],
    [45, "45"],
    [1800.4, "1,800"],
  ])("%p is %p", (value, text) => {
    expect(gb(value)).toBe(text);
  });
});

describe("rate", () => {
  test.each([
    [0.02, "$0.02"],
    [0.1105, "$0.1105"],
    [0.138, "$0.138"],
  ])("%p is %p", (value, text) => {
    expect(rate(value)).toBe(text);
  });
});

test("plural counts whole things", () => {
  expect(plural(1, "account")).toBe("1 account");
  expect(plural(1000, "account")).toBe("1,000 accounts");
});
