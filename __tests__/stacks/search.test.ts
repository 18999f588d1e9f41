/** Search delivery through the registry: what it needs, and where it lands. */
import { ARCHIVE, registryWith, SOURCE } from "../helpers/registry";
import { resourcesOf, synthRegistry } from "../helpers/synth";

const DOMAIN = `arn:aws:es:eu-west-1:${ARCHIVE}:domain/security-logs`;
const central = (r: any) => {
  r.accounts[0].delivery = "central";
  r.central = { kinesisStream: { enabled: true } };
};

describe("search delivery", () => {
  test("indexes the central stream of the archive's Region; the archive's own stream is unchanged", () => {
    const plain = synthRegistry(registryWith(central)).stacks["log-archive"]!;
    const withSearch = synthRegistry(
      registryWith((r) => {
        central(r);
        r.search = { enabled: true, domainArn: DOMAIN };
      }),
    ).stacks["log-archive"]!;
    const streams = (tf: typeof plain) =>
      Object.fromEntries(resourcesOf(tf, "aws_kinesis_firehose_delivery_stream").map(([, s]) => [s.name, s]));
    expect(Object.keys(streams(withSearch)).sort()).toEqual(
      // The search stream and its overflow stream (re-ingestion, never into the central Kinesis stream).
      [...Object.keys(streams(plain)), "cwl-archive-search", "cwl-archive-search-overflow"].sort(),
    );
    for (const [name, stream] of Object.entries(streams(plain))) expect(streams(withSearch)[name]).toEqual(stream);
  });

  test.each([
    [
      "without a domain",
      (r: any) => (r.search = { enabled: true }),
      "search.domainArn: is required when search.enabled is true",
    ],
    [
      "a domain of another account",
      (r: any) => (r.search = { enabled: true, domainArn: `arn:aws:es:eu-west-1:${SOURCE}:domain/logs` }),
      `search.domainArn: expected a domain of the log-archive account ${ARCHIVE} in eu-west-1`,
    ],
    [
      "without the central Kinesis stream",
      (r: any) => {
        r.accounts[0].delivery = "central";
        r.search = { enabled: true, domainArn: DOMAIN };
      },
      "search.enabled: needs the central topology with its Kinesis stream in eu-west-1",
    ],
  ])("refuses %s", (_case, edit, message) => {
    expect(() => registryWith(edit)).toThrow(message);
  });
});
