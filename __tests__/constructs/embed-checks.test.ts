/**
 * An embedder's props, as JavaScript passes them (types erased): the
 * constructs refuse what would otherwise synthesise silently or fail with a
 * TypeError deep inside, in one throw that names the construct and each prop
 * (a fresh-eyes library trial found each of these accepted).
 */
import { LogArchive } from "../../modules/archive/log-archive";
import { LogSource } from "../../modules/source/log-source";
import { errorsOf, synthConstruct } from "../helpers/construct";

const ORG = "o-exampleorg1";
const ARCHIVE = { accountId: "123456789012", region: "eu-west-1" };
/** Props as a JavaScript caller may write them. */
const js = (value: unknown) => value as never;

describe("LogArchive refuses an embedder's wrong props before reading them", () => {
  test("GIVEN no props, or no Region THEN each required prop is named, not a TypeError", () => {
    expect(errorsOf((s) => new LogArchive(s, "A", js(undefined)))).toEqual([
      expect.stringMatching(/^LogArchive .*A: props: required, an object with organizationId, region$/),
    ]);
    const errors = errorsOf((s) => new LogArchive(s, "A", js({})));
    expect(errors.some((e) => /organizationId: required/.test(e))).toBe(true);
    expect(errors.some((e) => /region: required/.test(e))).toBe(true);
  });

  test("GIVEN a Region typo, a replica typo, a lower-case lock mode and a malformed reader THEN all four in one throw", () => {
    const errors = errorsOf(
      (s) =>
        new LogArchive(
          s,
          "A",
          js({
            organizationId: ORG,
            region: "eu-west1",
            archive: { replicaRegion: "eu-centrl-1", objectLock: { mode: "compliance", days: 30 } },
            siem: { readerPrincipals: ["arn:aws:iam:123456789012:role/siem"] },
          }),
        ),
    );
    expect(errors.join("\n")).toMatch(/region: unknown AWS Region.*got "eu-west1"/);
    expect(errors.join("\n")).toMatch(/archive\.replicaRegion: unknown AWS Region.*got "eu-centrl-1"/);
    expect(errors.join("\n")).toMatch(
      /archive\.objectLock\.mode: expected one of GOVERNANCE, COMPLIANCE, got "compliance"/,
    );
    expect(errors.join("\n")).toMatch(
      /siem\.readerPrincipals\[0\]: expected an IAM principal ARN of the aws partition/,
    );
  });

  test("GIVEN a GovCloud archive with a commercial reader and a commercial replica THEN both are refused", () => {
    const errors = errorsOf(
      (s) =>
        new LogArchive(s, "A", {
          organizationId: ORG,
          region: "us-gov-west-1",
          archive: { replicaRegion: "eu-west-1" },
          siem: { readerPrincipals: ["arn:aws:iam::123456789012:role/siem"] },
        }),
    );
    expect(errors.join("\n")).toMatch(/archive\.replicaRegion: expected a Region of the aws-us-gov partition/);
    expect(errors.join("\n")).toMatch(
      /siem\.readerPrincipals\[0\]: expected an IAM principal ARN of the aws-us-gov partition/,
    );
  });

  test("GIVEN valid props of GovCloud THEN it synthesises", () => {
    expect(() =>
      synthConstruct(
        (s) =>
          new LogArchive(s, "A", {
            organizationId: ORG,
            region: "us-gov-west-1",
            accountId: "123456789012",
            siem: { readerPrincipals: ["arn:aws-us-gov:iam::123456789012:role/siem"] },
          }),
      ),
    ).not.toThrow();
  });
});

describe("LogSource refuses an embedder's wrong props before reading them", () => {
  test("GIVEN no archive THEN it is named, not a TypeError", () => {
    expect(errorsOf((s) => new LogSource(s, "S", js({ region: "eu-west-1" })))).toEqual([
      expect.stringMatching(/^LogSource .*S: archive: required$/),
    ]);
  });

  test('GIVEN mode "Listed" and delivery "Central" THEN both are refused: either would silently archive nothing or the wrong way', () => {
    const errors = errorsOf(
      (s) =>
        new LogSource(
          s,
          "S",
          js({
            region: "eu-west-1",
            archive: ARCHIVE,
            delivery: "Central",
            subscription: { mode: "Listed", logGroups: [{ name: "/app/only" }] },
          }),
        ),
    );
    expect(errors.join("\n")).toMatch(/delivery: expected one of perAccount, central, got "Central"/);
    expect(errors.join("\n")).toMatch(/subscription\.mode: expected one of all, listed, got "Listed"/);
  });

  test("GIVEN a Region typo and a source of another partition than its archive THEN both are refused", () => {
    expect(errorsOf((s) => new LogSource(s, "S", { region: "us-est-1", archive: ARCHIVE })).join("\n")).toMatch(
      /region: unknown AWS Region.*got "us-est-1"/,
    );
    expect(errorsOf((s) => new LogSource(s, "S", { region: "us-gov-west-1", archive: ARCHIVE })).join("\n")).toMatch(
      /region: expected a Region of the aws partition, that of archive\.region \(eu-west-1\), got "us-gov-west-1"/,
    );
  });

  test("GIVEN a lower-case compression THEN it is refused before AWS would", () => {
    expect(
      errorsOf(
        (s) => new LogSource(s, "S", js({ region: "eu-west-1", archive: ARCHIVE, firehose: { compression: "gzip" } })),
      ).join("\n"),
    ).toMatch(/firehose\.compression: expected one of GZIP, UNCOMPRESSED, got "gzip"/);
  });
});
