/**
 * The SDK adapters' requests and their answers, without a network: either a
 * request handler that answers as AWS documents (STS's AssumeRole XML, S3's
 * ListObjectsV2 XML), or the client's `send` replaced to record each
 * command's input and return a response of the API's documented shape.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { AwsCallError } from "../../modules/verify/ports";
import { isInconclusiveError } from "../../modules/verify/result";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { IAMClient } from "@aws-sdk/client-iam";
import { SQSClient } from "@aws-sdk/client-sqs";
import {
  alarmsPort,
  assumedConfig,
  callerIdentity,
  iamPort,
  s3Port,
  sqsPort,
  stsPort,
  type ClientConfig,
} from "../../modules/verify/aws-ports";

const START = Date.UTC(2026, 11, 4, 21, 0, 0);
const ROLE = "arn:aws:iam::111111111111:role/cwl-archive-verify";

interface Seen {
  readonly host: string;
  readonly body: string;
  readonly accessKeyId: string;
}

/** Answers STS's AssumeRole (a new key each time, valid for an hour) and S3's ListObjectsV2 (empty). */
function fakeAws() {
  const seen: Seen[] = [];
  let issued = 0;
  const handler = {
    async handle(request: { hostname: string; body?: unknown; headers: Record<string, string> }) {
      const accessKeyId = /Credential=([^/]+)\//.exec(request.headers.authorization ?? "")?.[1] ?? "";
      seen.push({ host: request.hostname, body: typeof request.body === "string" ? request.body : "", accessKeyId });
      let xml: string;
      if (request.hostname.startsWith("sts.")) {
        issued += 1;
        const expiration = new Date(Date.now() + 3600_000).toISOString();
        xml = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAROLE${issued}</AccessKeyId><SecretAccessKey>secret${issued}</SecretAccessKey><SessionToken>token${issued}</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::111111111111:assumed-role/cwl-archive-verify/verify</Arn><AssumedRoleId>AROAEXAMPLE:verify</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>sts-${issued}</RequestId></ResponseMetadata></AssumeRoleResponse>`;
      } else {
        xml = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>archive</Name><Prefix>verify/</Prefix><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`;
      }
      return {
        response: {
          statusCode: 200,
          reason: "OK",
          headers: { "content-type": "text/xml", "x-amzn-requestid": `req-${seen.length}` },
          body: Readable.from([Buffer.from(xml)]),
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
  const config: ClientConfig = {
    region: "eu-west-1",
    credentials: { accessKeyId: "AKIABASE", secretAccessKey: "base" },
    requestHandler: handler as unknown as ClientConfig["requestHandler"],
  };
  return { seen, config };
}

describe("role credentials outlive the one-hour session", () => {
  beforeEach(() => {
    // Only Date is faked: the SDK's own timers and the handler run as usual.
    jest.useFakeTimers({
      now: START,
      doNotFake: [
        "hrtime",
        "nextTick",
        "performance",
        "queueMicrotask",
        "setImmediate",
        "clearImmediate",
        "setInterval",
        "clearInterval",
        "setTimeout",
        "clearTimeout",
      ],
    });
  });
  afterEach(() => jest.useRealTimers());

  test("GIVEN --archive-role WHEN a run passes the session's hour THEN the role is assumed again and requests are signed with the new session", async () => {
    const { seen, config } = fakeAws();
    const assumed = await assumedConfig(config, ROLE, "verify-run");
    const s3 = s3Port(assumed);
    await s3.list("archive", "verify/");
    jest.setSystemTime(START + 58 * 60_000);
    await s3.list("archive", "verify/");
    const sts = seen.filter((r) => r.host.startsWith("sts."));
    const lists = seen.filter((r) => !r.host.startsWith("sts."));
    expect(sts).toHaveLength(2);
    expect(sts.every((r) => r.accessKeyId === "AKIABASE" && r.body.includes("DurationSeconds=3600"))).toBe(true);
    expect(lists.map((r) => r.accessKeyId)).toEqual(["ASIAROLE1", "ASIAROLE2"]);
  });

  test("GIVEN the SIEM reader role WHEN its session nears expiry THEN it is assumed again with the ExternalId", async () => {
    const { seen, config } = fakeAws();
    const reader = await stsPort(config, "verify-run").assume(ROLE, "o-abc123");
    await reader.ports.s3.list("archive", "verify/");
    jest.setSystemTime(START + 58 * 60_000);
    await reader.ports.s3.list("archive", "verify/");
    const sts = seen.filter((r) => r.host.startsWith("sts."));
    expect(sts).toHaveLength(2);
    expect(sts.every((r) => r.body.includes("ExternalId=o-abc123"))).toBe(true);
    expect(seen.filter((r) => !r.host.startsWith("sts.")).map((r) => r.accessKeyId)).toEqual([
      "ASIAROLE1",
      "ASIAROLE2",
    ]);
    expect(reader.requestId).toBe("req-1");
  });
});

test("GIVEN --archive-profile WHEN the reader role is assumed again THEN the named profile's credentials sign the renewal", async () => {
  const dir = mkdtempSync(join(tmpdir(), "verify-profile-"));
  const saved = { file: process.env.AWS_SHARED_CREDENTIALS_FILE, config: process.env.AWS_CONFIG_FILE };
  try {
    writeFileSync(
      join(dir, "credentials"),
      "[sandbox-log-archive]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = s\n",
    );
    writeFileSync(join(dir, "config"), "");
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, "credentials");
    process.env.AWS_CONFIG_FILE = join(dir, "config");
    jest.useFakeTimers({
      now: START,
      doNotFake: [
        "nextTick",
        "setImmediate",
        "setTimeout",
        "clearTimeout",
        "setInterval",
        "clearInterval",
        "queueMicrotask",
        "hrtime",
        "performance",
      ],
    });
    const { seen, config } = fakeAws();
    const viaProfile: ClientConfig = { ...config, credentials: undefined, profile: "sandbox-log-archive" };
    const reader = await stsPort(viaProfile, "verify-run").assume(ROLE, "o-abc123");
    await reader.ports.s3.list("archive", "verify/");
    jest.setSystemTime(START + 58 * 60_000);
    await reader.ports.s3.list("archive", "verify/");
    expect(seen.filter((r) => r.host.startsWith("sts.")).map((r) => r.accessKeyId)).toEqual([
      "AKIAPROFILE",
      "AKIAPROFILE",
    ]);
  } finally {
    jest.useRealTimers();
    process.env.AWS_SHARED_CREDENTIALS_FILE = saved.file;
    process.env.AWS_CONFIG_FILE = saved.config;
    if (saved.file === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
    if (saved.config === undefined) delete process.env.AWS_CONFIG_FILE;
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("sts:GetCallerIdentity, the credentials' preflight", () => {
  test("returns the caller's ARN and account as STS answers them", async () => {
    const handler = {
      async handle() {
        const xml = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:sts::111111111111:assumed-role/admin/me</Arn><UserId>AROAEXAMPLE:me</UserId><Account>111111111111</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>who-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
        return {
          response: {
            statusCode: 200,
            reason: "OK",
            headers: { "content-type": "text/xml", "x-amzn-requestid": "who-1" },
            body: Readable.from([Buffer.from(xml)]),
          },
        };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    };
    const who = await callerIdentity({
      region: "eu-west-1",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
      requestHandler: handler as unknown as ClientConfig["requestHandler"],
    });
    expect(who).toEqual({
      arn: "arn:aws:sts::111111111111:assumed-role/admin/me",
      account: "111111111111",
      requestId: "who-1",
    });
  });

  test("GIVEN a profile missing from the AWS config THEN it rejects before any request with the SDK's CredentialsProviderError, an inconclusive error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "verify-profile-"));
    const saved = { file: process.env.AWS_SHARED_CREDENTIALS_FILE, config: process.env.AWS_CONFIG_FILE };
    const requests: unknown[] = [];
    try {
      writeFileSync(join(dir, "credentials"), "");
      writeFileSync(join(dir, "config"), "");
      process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, "credentials");
      process.env.AWS_CONFIG_FILE = join(dir, "config");
      const handler = {
        async handle(request: unknown) {
          requests.push(request);
          throw new Error("no request may be sent");
        },
        updateHttpClientConfig() {},
        httpHandlerConfigs: () => ({}),
      };
      const error = await callerIdentity({
        region: "eu-west-1",
        profile: "sandbox-log-archive",
        requestHandler: handler as unknown as ClientConfig["requestHandler"],
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AwsCallError);
      // The SDK does not name the profile: the command does (the flag and the profile, with this message).
      expect((error as Error).message).toMatch(/^CredentialsProviderError: /);
      expect(isInconclusiveError(error)).toBe(true);
      expect(requests).toEqual([]);
    } finally {
      process.env.AWS_SHARED_CREDENTIALS_FILE = saved.file;
      process.env.AWS_CONFIG_FILE = saved.config;
      if (saved.file === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
      if (saved.config === undefined) delete process.env.AWS_CONFIG_FILE;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("request and response shapes", () => {
  afterEach(() => jest.restoreAllMocks());
  const config: ClientConfig = { region: "eu-west-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } };

  test("DescribeAlarms asks for composite alarms too, and reports them", async () => {
    const inputs: unknown[] = [];
    jest.spyOn(CloudWatchClient.prototype, "send").mockImplementation(async (command: { input: unknown }) => {
      inputs.push(command.input);
      return {
        $metadata: { requestId: "cw-1" },
        MetricAlarms: [{ AlarmName: "cwl-archive-dlq-messages" }],
        CompositeAlarms: [{ AlarmName: "cwl-archive-pipeline-unhealthy" }],
      };
    });
    const out = await alarmsPort(config).inAlarm("cwl-archive-");
    expect(inputs).toEqual([
      {
        AlarmNamePrefix: "cwl-archive-",
        StateValue: "ALARM",
        AlarmTypes: ["CompositeAlarm", "MetricAlarm"],
        NextToken: undefined,
      },
    ]);
    expect(out.names).toEqual(["cwl-archive-dlq-messages", "cwl-archive-pipeline-unhealthy"]);
  });

  test("GetQueueAttributes reads the backlog and the redrive policy's maxReceiveCount", async () => {
    const inputs: unknown[] = [];
    jest.spyOn(SQSClient.prototype, "send").mockImplementation(async (command: { input: unknown }) => {
      inputs.push(command.input);
      return {
        $metadata: { requestId: "sqs-1" },
        Attributes: {
          ApproximateNumberOfMessages: "42",
          RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:111111111111:dlq","maxReceiveCount":10}',
        },
      };
    });
    const state = await sqsPort(config).attributes("https://sqs.eu-west-1.amazonaws.com/111111111111/q");
    expect(inputs).toEqual([
      {
        QueueUrl: "https://sqs.eu-west-1.amazonaws.com/111111111111/q",
        AttributeNames: ["ApproximateNumberOfMessages", "RedrivePolicy"],
      },
    ]);
    expect(state).toEqual({ approximateMessages: 42, maxReceiveCount: 10, requestId: "sqs-1" });
  });

  test("SimulatePrincipalPolicy passes the PolicyInputList and returns what decided", async () => {
    const inputs: Record<string, unknown>[] = [];
    jest.spyOn(IAMClient.prototype, "send").mockImplementation((async (command: { input: Record<string, unknown> }) => {
      inputs.push(command.input);
      return {
        $metadata: { requestId: "iam-1" },
        EvaluationResults: [
          {
            EvalActionName: "s3:GetObject",
            EvalDecision: "explicitDeny",
            MatchedStatements: [{ SourcePolicyId: "ResourcePolicy", SourcePolicyType: "resource" }],
            OrganizationsDecisionDetail: { AllowedByOrganizations: true },
            EvalDecisionDetails: { "arn:aws:s3:::archive": "explicitDeny" },
          },
        ],
      };
    }) as never);
    const result = await iamPort(config).simulate({
      policySourceArn: ROLE,
      callerArn: "arn:aws:iam::222222222222:user/x",
      action: "s3:GetObject",
      resourceArn: "arn:aws:s3:::archive/k",
      resourcePolicy: "{}",
      resourceOwner: "arn:aws:iam::111111111111:root",
      context: {},
      policyInputList: ['{"Version":"2012-10-17","Statement":[]}'],
    });
    expect(inputs[0]).toMatchObject({ PolicyInputList: ['{"Version":"2012-10-17","Statement":[]}'] });
    expect(result).toEqual({
      decision: "explicitDeny",
      matched: [{ sourcePolicyId: "ResourcePolicy", sourcePolicyType: "resource" }],
      allowedByOrganizations: true,
      allowedByPermissionsBoundary: undefined,
      details: { "arn:aws:s3:::archive": "explicitDeny" },
      requestId: "iam-1",
    });
  });
});
