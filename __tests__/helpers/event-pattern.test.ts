/**
 * The event pattern matcher against the behaviour AWS documents, one
 * operator at a time, each with a matching and a non-matching case.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 */
import { matchesPattern } from "./event-pattern";

/** The documentation's example event (eb-event-patterns). */
const EC2 = {
  version: "0",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "111122223333",
  region: "us-west-1",
  resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  detail: { "instance-id": "i-1234567890abcdef0", state: "terminated" },
};

describe("exact values and arrays", () => {
  test("GIVEN the documented pattern THEN it matches, and a different value does not", () => {
    const pattern = { source: ["aws.ec2"], detail: { state: ["terminated"] } };
    expect(matchesPattern(EC2, pattern)).toBe(true);
    expect(matchesPattern({ ...EC2, detail: { state: "running" } }, pattern)).toBe(false);
  });

  test("an event array matches when it intersects the pattern's values", () => {
    expect(matchesPattern(EC2, { resources: [EC2.resources[0], "arn:other"] })).toBe(true);
    expect(matchesPattern(EC2, { resources: ["arn:other"] })).toBe(false);
  });

  test("fails when a named field is absent", () => {
    expect(matchesPattern(EC2, { detail: { missing: ["x"] } })).toBe(false);
  });
});

describe("prefix and suffix", () => {
  test("match the start or the end of a string", () => {
    expect(matchesPattern(EC2, { region: [{ prefix: "us-" }] })).toBe(true);
    expect(matchesPattern(EC2, { region: [{ prefix: "eu-" }] })).toBe(false);
    expect(matchesPattern(EC2, { detail: { "instance-id": [{ suffix: "cdef0" }] } })).toBe(true);
    expect(matchesPattern(EC2, { detail: { "instance-id": [{ suffix: "cdef1" }] } })).toBe(false);
  });
});

describe("anything-but", () => {
  test("a value or a list of values: matches any other present value", () => {
    expect(matchesPattern(EC2, { detail: { state: [{ "anything-but": "initializing" }] } })).toBe(true);
    expect(matchesPattern(EC2, { detail: { state: [{ "anything-but": ["stopped", "terminated"] }] } })).toBe(false);
    expect(matchesPattern(EC2, { detail: { state: [{ "anything-but": ["stopped", "running"] }] } })).toBe(true);
  });

  test("fails on an absent field (a pattern names only fields the event holds)", () => {
    expect(matchesPattern(EC2, { detail: { owner: [{ "anything-but": ["x"] }] } })).toBe(false);
  });
});

describe("exists", () => {
  test("exists: false matches an absent leaf, an absent parent, and a field that is not a leaf", () => {
    const pattern = { detail: { "c-count": [{ exists: false }] } };
    expect(matchesPattern(EC2, pattern)).toBe(true);
    expect(matchesPattern({ ...EC2, detail: { ...EC2.detail, "c-count": { c1: 100 } } }, pattern)).toBe(true);
    expect(matchesPattern({ ...EC2, detail: { ...EC2.detail, "c-count": 5 } }, pattern)).toBe(false);
    expect(matchesPattern(EC2, { detail: { a: { b: [{ exists: false }] } } })).toBe(true);
  });

  test("exists: true matches a present leaf only", () => {
    expect(matchesPattern(EC2, { detail: { state: [{ exists: true }] } })).toBe(true);
    expect(matchesPattern(EC2, { detail: { other: [{ exists: true }] } })).toBe(false);
  });
});

describe("$or", () => {
  test("matches when one alternative matches, together with the object's other fields", () => {
    const pattern = {
      source: ["aws.ec2"],
      detail: { $or: [{ state: ["running"] }, { "instance-id": [{ prefix: "i-" }] }] },
    };
    expect(matchesPattern(EC2, pattern)).toBe(true);
    expect(matchesPattern({ ...EC2, source: "aws.s3" }, pattern)).toBe(false);
    expect(
      matchesPattern(EC2, { detail: { $or: [{ state: ["running"] }, { "instance-id": [{ prefix: "x" }] }] } }),
    ).toBe(false);
  });

  test("fails on an $or of fewer than two alternatives", () => {
    expect(() => matchesPattern(EC2, { detail: { $or: [{ state: ["running"] }] } })).toThrow(/at least two/);
  });
});

describe("arrays of objects", () => {
  test("a nested pattern matches one element of an array of objects", () => {
    const event = { detail: { resources: [{ ARN: "a" }, { ARN: "b" }] } };
    expect(matchesPattern(event, { detail: { resources: { ARN: ["b"] } } })).toBe(true);
    expect(matchesPattern(event, { detail: { resources: { ARN: ["c"] } } })).toBe(false);
  });
});

describe("what is not modelled", () => {
  test.each([[{ wildcard: "*.png" }], [{ numeric: [">", 0] }], [{ "anything-but": { prefix: "x" } }], [{ prefix: 1 }]])(
    "fails on %j",
    (operator) => {
      expect(() => matchesPattern(EC2, { detail: { state: [operator] } })).toThrow(/is not modelled/);
    },
  );
});
