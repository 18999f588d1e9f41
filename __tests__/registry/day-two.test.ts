/**
 * Registry entries of day two: acknowledgements for the plan gate
 * (migrations), the keys older objects are encrypted with (previousKeyArns),
 * and the search domain's administrators. Each refusal names the file and
 * the path of the bad field.
 */
import { ARCHIVE, errorsFor, registryWith, SOURCE } from "../helpers/registry";

const KEY = (region: string) => `arn:aws:kms:${region}:${ARCHIVE}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

describe("migrations", () => {
  test("an entry names an allowed change and why; stacks default to every stack", () => {
    const registry = registryWith((r) => {
      r.migrations = [{ allow: "forget-protected", reason: "replica moved to eu-north-1 (SEC-12)" }];
    });
    expect(registry.migrations).toEqual([
      { allow: "forget-protected", reason: "replica moved to eu-north-1 (SEC-12)" },
    ]);
  });

  test("fails on an unknown acknowledgement, a missing reason and a stack the registry does not synthesise", () => {
    expect(
      errorsFor((r) => {
        r.migrations = [
          { allow: "destroy-everything", reason: "because we can, really" },
          { allow: "shorten-retention" },
          {
            allow: "repoint-delivery",
            reason: "moving to central (SEC-3)",
            stacks: [`log-source-${SOURCE}-eu-north-1`],
          },
        ];
      }),
    ).toEqual([
      expect.stringMatching(/^test\.yaml: migrations\[0\]\.allow: expected one of forget-protected, shorten-retention/),
      "test.yaml: migrations[1].reason: missing required key (expected why the change is made)",
    ]);
    expect(
      errorsFor((r) => {
        r.migrations = [
          {
            allow: "repoint-delivery",
            reason: "moving to central (SEC-3)",
            stacks: [`log-source-${SOURCE}-eu-north-1`],
          },
        ];
      }).join("\n"),
    ).toContain(`test.yaml: migrations[0].stacks[0]: expected a stack this registry synthesises`);
  });
});

describe("archive.previousKeyArns", () => {
  test("admits keys of the archive's Region", () => {
    expect(registryWith((r) => (r.archive = { previousKeyArns: [KEY("eu-west-1")] })).archive.previousKeyArns).toEqual([
      KEY("eu-west-1"),
    ]);
  });

  test("fails on an alias or a key of another Region", () => {
    const errors = errorsFor(
      (r) =>
        (r.archive = {
          previousKeyArns: [`arn:aws:kms:eu-west-1:${ARCHIVE}:alias/cwl-archive-archive`],
        }),
    ).join("\n");
    expect(errors).toContain("test.yaml: archive.previousKeyArns[0]: expected a KMS key ARN");
    expect(errorsFor((r) => (r.archive = { previousKeyArns: [KEY("us-east-1")] })).join("\n")).toContain(
      "test.yaml: archive.previousKeyArns[0]: expected a key of the archive's Region (eu-west-1)",
    );
  });
});

describe("search.administrators", () => {
  const searchOn =
    (administrators: string[], principals: string[] = []) =>
    (r: any) => {
      r.defaults = { delivery: "central" };
      r.central = { kinesisStream: { enabled: true } };
      r.search = {
        enabled: true,
        domainArn: `arn:aws:es:eu-west-1:${ARCHIVE}:domain/logs`,
        administrators,
        principals,
      };
    };

  test("admits roles of the domain's owner", () => {
    const admin = `arn:aws:iam::${ARCHIVE}:role/OpenSearchAdmin`;
    expect(registryWith(searchOn([admin])).search.administrators).toEqual([admin]);
  });

  test("fails on an administrator that also searches, or of another account", () => {
    const both = `arn:aws:iam::${ARCHIVE}:role/Analyst`;
    expect(errorsFor(searchOn([both], [both])).join("\n")).toContain(
      "test.yaml: search.administrators[0]: is also in search.principals",
    );
    expect(errorsFor(searchOn([`arn:aws:iam::${SOURCE}:role/Admin`])).join("\n")).toContain(
      `test.yaml: search.administrators[0]: expected a role or user of the domain's owner, the log-archive account ${ARCHIVE}`,
    );
  });
});
