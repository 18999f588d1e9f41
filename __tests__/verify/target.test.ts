import { SOURCE, ARCHIVE, ORG } from "../helpers/registry";
import { stackProblems } from "../../modules/verify/stacks";
import { verifyTarget } from "../../modules/verify/target";
import { synthesised, testRegistry, testTarget } from "./sandbox-context";

describe("what verify looks at, from the registry", () => {
  test("names, prefixes and roles come from the stacks' naming functions", () => {
    const target = testTarget();
    expect(target).toMatchObject({
      archiveBucket: `cwl-archive-${ARCHIVE}-eu-west-1`,
      replicaBucket: `cwl-archive-replica-${ARCHIVE}-eu-central-1`,
      queueName: "cwl-archive-siem-notifications",
      siemReaderRoleArn: `arn:aws:iam::${ARCHIVE}:role/cwl-archive-siem-reader`,
      externalId: ORG,
      deliveryRoleArn: `arn:aws:iam::${SOURCE}:role/cwl-archive-firehose-eu-west-1`,
      topology: "perAccount",
      bufferingSeconds: 300,
      objectExtension: ".json.gz",
      stacks: ["log-archive", `log-source-${SOURCE}-eu-west-1`],
    });
  });

  test("the central topology waits for the central buffer and reads .json.gz envelopes", () => {
    const target = testTarget((raw) => {
      raw.defaults = { delivery: "central" };
      raw.central = { bufferingIntervalSeconds: 600 };
    });
    expect(target.deliveryRole).toBeUndefined();
    expect(target).toMatchObject({
      topology: "central",
      bufferingSeconds: 600,
      messageExtraction: false,
      objectExtension: ".json.gz",
    });
  });

  test("message extraction and the registry's ExternalId", () => {
    const target = testTarget((raw) => {
      raw.defaults = { firehose: { messageExtraction: true, compression: "UNCOMPRESSED" } };
      raw.siem = { externalId: "splunk-prod-4d1c7e" };
    });
    expect(target).toMatchObject({
      messageExtraction: true,
      objectExtension: ".log",
      externalId: "splunk-prod-4d1c7e",
    });
  });
});

test("the trail's and flow logs' folders of the source account, when the registry enables them", () => {
  const target = testTarget((raw) => {
    raw.sources = {
      cloudTrail: { enabled: true, managementAccountId: "444444444444", createTrail: false },
      vpcFlowLogs: { enabled: true },
    };
    raw.accounts[0]!.vpcFlowLogs = [{ region: "eu-west-1", vpcId: "vpc-0123456789abcdef0" }];
  });
  expect(target.trail).toEqual({
    keyPrefix: `cloudtrail/AWSLogs/${ORG}/${SOURCE}/CloudTrail/eu-west-1/`,
    siemReads: false,
  });
  expect(target.flowLogs).toEqual({ keyPrefix: `vpc-flow-logs/AWSLogs/${SOURCE}/vpcflowlogs/eu-west-1/` });
  expect(testTarget().trail).toBeUndefined();
  expect(testTarget().flowLogs).toBeUndefined();
});

describe("the synthesised stacks name what verify looks for", () => {
  test.each([
    ["per-account", () => {}],
    ["central", (raw: Record<string, unknown>) => (raw.defaults = { delivery: "central" })],
  ])("GIVEN the %s topology THEN the real stacks hold the bucket, queue and roles verify derives", (_, edit) => {
    const registry = testRegistry(edit);
    const target = verifyTarget(registry, { sourceAccountId: SOURCE, sourceRegion: "eu-west-1" });
    expect(stackProblems(target, synthesised(registry))).toEqual([]);
  });
});
