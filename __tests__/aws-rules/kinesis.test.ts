import { corpusSuite, expectCompliant, expectFinding, stackOf } from "./lib/fixture";
import * as kinesis from "./rules/kinesis";

const stream = (config: any = {}, extra: any = {}) =>
  stackOf({
    aws_kinesis_stream: {
      S: {
        name: "cwl-archive-central-eu-west-1",
        retention_period: 24,
        stream_mode_details: { stream_mode: "ON_DEMAND" },
        ...config,
      },
      ...extra,
    },
  });

test("kinesis-stream-name", () => {
  expectCompliant(kinesis.streamName, stream());
  expectFinding(kinesis.streamName, stream({ name: "central stream" }), /must be 1-128/);
  expectFinding(kinesis.streamName, stream({ name: "s".repeat(129) }), /must be 1-128/);
});

test("kinesis-stream-name-unique", () => {
  expectCompliant(
    kinesis.streamNamesUnique,
    stream({}, { T: { name: "cwl-archive-central-eu-west-1", region: "us-east-1" } }),
  );
  expectFinding(
    kinesis.streamNamesUnique,
    stream({}, { T: { name: "cwl-archive-central-eu-west-1" } }),
    /used by 2 resources/,
  );
});

test("kinesis-retention-period", () => {
  expectCompliant(kinesis.retention, stream({ retention_period: 8760 }));
  expectFinding(kinesis.retention, stream({ retention_period: 12 }), /must be 24-8760/);
  expectFinding(kinesis.retention, stream({ retention_period: 8761 }), /must be 24-8760/);
});

corpusSuite(kinesis.rules);
