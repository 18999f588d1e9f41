import {
  accountDataPrefix,
  DATA_ROOT,
  ERROR_ROOT,
  firehoseDataPrefix,
  firehoseErrorPrefix,
  prefixAt,
} from "../../modules/naming/key-layout";
import { archiveNames, sourceNames, sourceStackName } from "../../modules/naming/names";
import { pipelineLogGroups } from "../../modules/naming/pipeline-log-groups";

describe("key layout (DESIGN.md contract 4)", () => {
  test("data prefix is account/region/date partitioned", () => {
    expect(firehoseDataPrefix("222222222222", "us-east-1")).toBe(
      "cloudwatch-logs/account=222222222222/region=us-east-1/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/",
    );
  });

  test("a prefix at a time fills Firehose's timestamp expressions in UTC (where verify looks for an object)", () => {
    expect(prefixAt(firehoseDataPrefix("222222222222", "us-east-1"), new Date(Date.UTC(2026, 0, 2, 3, 59)))).toBe(
      "cloudwatch-logs/account=222222222222/region=us-east-1/year=2026/month=01/day=02/hour=03/",
    );
  });

  test("error prefix carries the error output type, required when the data prefix has expressions", () => {
    const prefix = firehoseErrorPrefix("222222222222", "us-east-1");
    expect(prefix).toBe(
      "cloudwatch-logs-errors/account=222222222222/region=us-east-1/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/",
    );
    expect(prefix.startsWith(DATA_ROOT)).toBe(false);
  });

  test("data and error roots never overlap as prefixes of each other's account folders", () => {
    expect(accountDataPrefix("222222222222").startsWith(ERROR_ROOT)).toBe(false);
    expect(ERROR_ROOT.startsWith(DATA_ROOT)).toBe(false);
  });
});

describe("names", () => {
  const archive = archiveNames({
    prefix: "cwl-archive",
    archiveAccountId: "111111111111",
    archiveRegion: "eu-west-1",
    replicaRegion: "eu-central-1",
  });

  test("archive names are derived from account and Region only", () => {
    expect(archive.archiveBucket).toBe("cwl-archive-111111111111-eu-west-1");
    expect(archive.archiveBucketArn).toBe("arn:aws:s3:::cwl-archive-111111111111-eu-west-1");
    expect(archive.replicaBucket).toBe("cwl-archive-replica-111111111111-eu-central-1");
    expect(archive.accessLogBucket("eu-central-1")).toBe("cwl-archive-access-logs-111111111111-eu-central-1");
    expect(archive.queueArn).toBe("arn:aws:sqs:eu-west-1:111111111111:cwl-archive-siem-notifications");
    expect(archive.siemReaderRoleArn).toBe("arn:aws:iam::111111111111:role/cwl-archive-siem-reader");
    expect(archive.deliveryRoleArnPattern).toBe("arn:aws:iam::*:role/cwl-archive-firehose-*");
  });

  test("no replica names without a replica Region", () => {
    const names = archiveNames({ prefix: "p-x", archiveAccountId: "111111111111", archiveRegion: "eu-west-1" });
    expect(names.replicaBucket).toBeUndefined();
  });

  test("source names: the delivery role matches the archive's delivery role pattern", () => {
    const source = sourceNames("cwl-archive", "222222222222", "us-east-1");
    expect(source.deliveryRoleArn).toBe("arn:aws:iam::222222222222:role/cwl-archive-firehose-us-east-1");
    const pattern = new RegExp(`^${archive.deliveryRoleArnPattern.replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`);
    expect(source.deliveryRoleArn).toMatch(pattern);
    expect(source.deliveryStreamArn).toBe(
      "arn:aws:firehose:us-east-1:222222222222:deliverystream/cwl-archive-to-archive",
    );
    expect(source.errorLogGroup).toBe("/aws/kinesisfirehose/cwl-archive-to-archive");
    expect(pipelineLogGroups("cwl-archive", "222222222222", "us-east-1")).toEqual([source.errorLogGroup]);
  });

  test("names fit AWS limits at the longest prefix and Region", () => {
    const prefix = "a".repeat(20);
    const region = "ap-southeast-4";
    const names = archiveNames({
      prefix,
      archiveAccountId: "111111111111",
      archiveRegion: region,
      replicaRegion: region,
    });
    for (const bucket of [names.archiveBucket, names.replicaBucket!, names.accessLogBucket(region)]) {
      expect(bucket.length).toBeLessThanOrEqual(63);
    }
    const source = sourceNames(prefix, "222222222222", region);
    for (const role of [source.deliveryRole, source.subscriptionRole]) expect(role.length).toBeLessThanOrEqual(64);
    expect(source.deliveryStream.length).toBeLessThanOrEqual(64);
  });

  test("stack names follow the contract", () => {
    expect(sourceStackName("222222222222", "us-east-1")).toBe("log-source-222222222222-us-east-1");
  });
});
