/**
 * npm run siem:replay's command line and its checks against the registry:
 * --help, --role-arn, and the refusals that keep a replay on a queue of the
 * registry's stacks (a prefix nobody announces, another bucket, with
 * perPrefix a queue that announces another log type).
 */
import { readFileSync } from "node:fs";
import { parseReplayArgs, REPLAY_HELP, replayTarget } from "../../modules/siem/replay-cli";
import { archiveNames, siemQueueName } from "../../modules/naming/names";
import { ARCHIVE, registryWith } from "../helpers/registry";

const names = archiveNames({ prefix: "cwl-archive", archiveAccountId: ARCHIVE, archiveRegion: "eu-west-1" });
const queueUrl = (name: string) => `https://sqs.eu-west-1.amazonaws.com/${ARCHIVE}/${name}`;
const DATA = "cloudwatch-logs/account=222222222222/";
const FLOW = "vpc-flow-logs/AWSLogs/222222222222/";
const single = registryWith((raw) => {
  raw.sources = { vpcFlowLogs: { enabled: true }, notifySiem: ["vpc-flow-logs"] };
});
const perPrefix = registryWith((raw) => {
  raw.sources = { vpcFlowLogs: { enabled: true }, notifySiem: ["vpc-flow-logs"] };
  raw.siem = { queues: "perPrefix" };
});

describe("siem:replay --help", () => {
  test("GIVEN --help or -h THEN it asks for help, whatever else is missing", () => {
    expect(parseReplayArgs(["--help"])).toMatchObject({ help: true });
    expect(parseReplayArgs(["-h"])).toMatchObject({ help: true });
  });

  test("THEN the help documents every option the command takes", () => {
    for (const option of [
      "--prefix",
      "--from",
      "--to",
      "--queue-url",
      "--bucket",
      "--region",
      "--role-arn",
      "--dry-run",
      "--help",
    ]) {
      expect(REPLAY_HELP).toContain(option);
    }
  });

  test("THEN the hand-written help file and docs/siem.md name --region and --role-arn", () => {
    for (const file of ["help", "docs/siem.md"]) {
      const text = readFileSync(file, "utf8");
      expect(text).toContain("--region");
      expect(text).toContain("--role-arn");
    }
  });

  test("GIVEN an unknown option or missing times THEN it says what is wrong and points at --help", () => {
    expect(parseReplayArgs(["--prefx", DATA])).toEqual({ problems: [expect.stringContaining("(see --help)")] });
    expect(parseReplayArgs(["--prefix", DATA])).toEqual({
      problems: ["--from: required (see --help)", "--to: required (see --help)"],
    });
  });

  test("GIVEN --role-arn THEN it must be a role's ARN", () => {
    const base = ["--prefix", DATA, "--from", "2026-12-04T00:00:00Z", "--to", "2026-12-05T00:00:00Z"];
    const arn = `arn:aws:iam::${ARCHIVE}:role/cwl-archive-siem-operator`;
    expect(parseReplayArgs([...base, "--role-arn", arn])).toMatchObject({ roleArn: arn });
    expect(parseReplayArgs([...base, "--role-arn", "cwl-archive-siem-operator"])).toEqual({
      problems: ['--role-arn: expected an IAM role ARN, got "cwl-archive-siem-operator"'],
    });
  });
});

describe("siem:replay against the registry", () => {
  test("GIVEN no bucket or queue THEN the registry's archive bucket and the prefix's queue are used", () => {
    expect(replayTarget(single, { prefix: FLOW })).toEqual({
      bucket: names.archiveBucket,
      region: "eu-west-1",
      queueUrl: queueUrl(names.queue),
    });
    expect(replayTarget(perPrefix, { prefix: FLOW })).toMatchObject({
      queueUrl: queueUrl(siemQueueName(names.queue, "vpc-flow-logs/")),
    });
    expect(replayTarget(perPrefix, { prefix: DATA })).toMatchObject({ queueUrl: queueUrl(names.queue) });
  });

  test("GIVEN a prefix of a source not in sources.notifySiem THEN it is refused", () => {
    expect(replayTarget(single, { prefix: "cloudtrail/AWSLogs/" })).toEqual({
      problems: [
        'expected a prefix under an announced root of the registry (cloudwatch-logs/, vpc-flow-logs/; sources.notifySiem announces more), got "cloudtrail/AWSLogs/"',
      ].map((p) => `--prefix: ${p}`),
    });
  });

  test("GIVEN perPrefix and the data prefix's queue for flow logs THEN it is refused, naming the right queue", () => {
    const flowQueue = queueUrl(`${names.queue}-vpc-flow-logs`);
    expect(replayTarget(perPrefix, { prefix: FLOW, queueUrl: queueUrl(names.queue) })).toEqual({
      problems: [
        `--queue-url: expected ${flowQueue}, the queue that announces vpc-flow-logs/ (siem.queues: perPrefix), got "${queueUrl(names.queue)}"`,
      ],
    });
    expect(replayTarget(perPrefix, { prefix: FLOW, queueUrl: flowQueue })).toMatchObject({ queueUrl: flowQueue });
  });

  test("GIVEN another bucket or Region THEN they are refused", () => {
    expect(replayTarget(single, { prefix: DATA, bucket: "someone-elses-bucket", region: "us-east-1" })).toEqual({
      problems: [
        `--bucket: expected the registry's archive bucket ${names.archiveBucket}, got "someone-elses-bucket"`,
        '--region: expected the archive\'s Region eu-west-1 (logArchive.region), got "us-east-1"',
      ],
    });
  });
});
