/**
 * Log messages as the services write them into CloudWatch Logs, one
 * generator per kind, each from a seeded generator (prng.ts), so that sizes
 * and compression ratios are those of real logs, not of repeated filler.
 *
 * Formats, from AWS's documentation:
 * - CloudTrail records: "CloudTrail record contents for management, data, and
 *   network activity events" (eventVersion "The current version is 1.11",
 *   userIdentity, eventTime, eventSource, eventName, awsRegion,
 *   sourceIPAddress, userAgent, requestParameters, responseElements,
 *   requestID, eventID, readOnly, eventType, managementEvent,
 *   recipientAccountId, eventCategory, tlsDetails),
 *   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html;
 *   a trail delivering to CloudWatch Logs writes one record per log event.
 * - VPC Flow Logs, default format (version 2): "${version} ${account-id}
 *   ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol}
 *   ${packets} ${bytes} ${start} ${end} ${action} ${log-status}",
 *   https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html.
 * - Lambda platform lines START / END / REPORT of the text log format,
 *   https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
 *   ("START RequestId: ... Version: $LATEST", "REPORT RequestId: ...
 *   Duration: ... ms Billed Duration: ... ms Memory Size: ... MB Max Memory
 *   Used: ... MB", tab-separated).
 * - JSON and plain-text application logs: no AWS format; shaped like common
 *   structured loggers and Java/log4j pattern layouts.
 */
import type { Random } from "./prng";

export type MessageKind = "cloudtrail" | "vpc-flow" | "lambda" | "json-app" | "text-app";

export const MESSAGE_KINDS: readonly MessageKind[] = ["cloudtrail", "vpc-flow", "lambda", "json-app", "text-app"];

/** A log event before CloudWatch Logs gives it an id. */
export interface RawEvent {
  readonly timestamp: number;
  readonly message: string;
}

const REGIONS = ["eu-west-1", "us-east-1", "ap-southeast-2", "eu-central-1"];

const API_CALLS: readonly (readonly [string, string, boolean])[] = [
  ["ec2.amazonaws.com", "DescribeInstances", true],
  ["ec2.amazonaws.com", "RunInstances", false],
  ["s3.amazonaws.com", "GetBucketPolicy", true],
  ["s3.amazonaws.com", "PutBucketPolicy", false],
  ["iam.amazonaws.com", "CreateRole", false],
  ["iam.amazonaws.com", "GetRole", true],
  ["sts.amazonaws.com", "AssumeRole", false],
  ["kms.amazonaws.com", "Decrypt", true],
  ["kms.amazonaws.com", "GenerateDataKey", true],
  ["lambda.amazonaws.com", "Invoke", false],
  ["logs.amazonaws.com", "CreateLogStream", false],
  ["dynamodb.amazonaws.com", "DescribeTable", true],
  ["cloudformation.amazonaws.com", "DescribeStacks", true],
];

const USER_AGENTS = [
  "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#amzn.2023 md/prompt#off md/command#ec2.describe-instances",
  "aws-sdk-js/3.556.0 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 lang/js md/nodejs#20.12.2 api/kms#3.556.0",
  "Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#5.10.214 md/arch#x86_64 lang/python#3.12.3 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84",
  "AWS Internal",
  "Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.72.1 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.2 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.186.0",
];

/**
 * What repeats within one log stream: a handful of principals, sessions,
 * addresses, instances and buckets. Real logs draw from small sets like these,
 * which is what makes them compress; fully random values would not.
 */
export interface Pools {
  readonly accounts: readonly string[];
  readonly roles: readonly string[];
  readonly sessions: readonly string[];
  readonly accessKeys: readonly string[];
  readonly publicIps: readonly string[];
  readonly privateIps: readonly string[];
  readonly instances: readonly string[];
  readonly buckets: readonly string[];
  readonly keys: readonly string[];
  readonly users: readonly string[];
}

export function pools(r: Random, owner: string): Pools {
  const n = <T>(count: number, make: () => T) => Array.from({ length: count }, make);
  return {
    accounts: [owner, ...n(3, () => String(r.int(100000000000, 999999999999)))],
    roles: ["Deploy", "ReadOnly", "Admin", "AWSServiceRoleForConfig", "ci-runner"],
    sessions: ["alice@example.com", "bob@example.com", "terraform", ...n(3, () => `i-0${r.hex(16)}`)],
    accessKeys: n(6, () => `ASIA${r.upper(16)}`),
    publicIps: n(12, () => r.publicIp()),
    privateIps: n(16, () => r.privateIp()),
    instances: n(20, () => `i-0${r.hex(16)}`),
    buckets: n(5, () => `logs-${r.hex(8)}`),
    keys: n(3, () => r.uuid()),
    users: n(40, () => `u-${r.hex(10)}`),
  };
}

function isoSeconds(t: number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** requestParameters / responseElements of a call, `pad` items longer when the record must be large. */
function callDetail(r: Random, p: Pools, name: string, pad: number): { request: unknown; response: unknown } {
  const instanceId = () => r.pick(p.instances);
  const account = () => r.pick(p.accounts);
  const bucket = () => r.pick(p.buckets);
  switch (name) {
    case "DescribeInstances":
      return {
        request: {
          instancesSet: { items: Array.from({ length: 1 + pad }, () => ({ instanceId: instanceId() })) },
          filterSet: {
            items: [{ name: "tag:Environment", valueSet: { items: [{ value: r.pick(["prod", "dev"]) }] } }],
          },
        },
        response: null,
      };
    case "RunInstances":
      return {
        request: {
          instancesSet: { items: [{ imageId: `ami-0${r.hex(16)}`, minCount: 1, maxCount: 1 }] },
          instanceType: r.pick(["t3.micro", "m7g.large", "c7i.xlarge"]),
          blockDeviceMapping: {},
          monitoring: { enabled: false },
          disableApiTermination: false,
          tagSpecificationSet: {
            items: [
              {
                resourceType: "instance",
                tags: Array.from({ length: 2 + pad }, (_, i) => ({
                  key: `tag-${i}`,
                  value: r.pick(["orders", "billing", "prod", "dev", `team-${i % 7}`]),
                })),
              },
            ],
          },
        },
        response: {
          requestId: r.uuid(),
          reservationId: `r-0${r.hex(16)}`,
          ownerId: account(),
          instancesSet: { items: [{ instanceId: instanceId(), currentState: { code: 0, name: "pending" } }] },
        },
      };
    case "PutBucketPolicy":
      return {
        request: {
          bucketName: bucket(),
          Host: `${bucket()}.s3.${r.pick(REGIONS)}.amazonaws.com`,
          bucketPolicy: {
            Version: "2012-10-17",
            Statement: Array.from({ length: 1 + pad }, (_, i) => ({
              Sid: `Statement${i}`,
              Effect: "Allow",
              Principal: { AWS: `arn:aws:iam::${account()}:role/${r.pick(p.roles)}` },
              Action: ["s3:GetObject", "s3:PutObject"],
              Resource: `arn:aws:s3:::${bucket()}/prefix-${i}/*`,
              Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
            })),
          },
          policy: "",
        },
        response: null,
      };
    case "CreateRole":
      return {
        request: {
          roleName: `app-${r.hex(6)}`,
          assumeRolePolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
          }),
          tags: Array.from({ length: pad }, (_, i) => ({ key: `k${i}`, value: r.pick(p.users) })),
        },
        response: {
          role: {
            path: "/",
            roleName: `app-${r.hex(6)}`,
            roleId: `AROA${r.upper(17)}`,
            arn: `arn:aws:iam::${account()}:role/app-${r.hex(6)}`,
            createDate: "Dec 1, 2026, 12:00:00 PM",
          },
        },
      };
    case "AssumeRole":
      return {
        request: {
          roleArn: `arn:aws:iam::${account()}:role/${r.pick(["Deploy", "ReadOnly", "Admin"])}`,
          roleSessionName: `session-${r.hex(10)}`,
          durationSeconds: 3600,
        },
        response: {
          credentials: {
            accessKeyId: `ASIA${r.upper(16)}`,
            sessionToken: "IQoJb3JpZ2luX2VjE" + r.upper(40),
            expiration: "Dec 1, 2026, 1:00:00 PM",
          },
          assumedRoleUser: {
            assumedRoleId: `AROA${r.upper(17)}:session`,
            arn: `arn:aws:sts::${account()}:assumed-role/x/y`,
          },
        },
      };
    case "Decrypt":
    case "GenerateDataKey":
      return {
        request: {
          encryptionContext: { "aws:s3:arn": `arn:aws:s3:::${bucket()}/${r.hex(20)}` },
          encryptionAlgorithm: "SYMMETRIC_DEFAULT",
          ...(name === "GenerateDataKey"
            ? { keySpec: "AES_256", keyId: `arn:aws:kms:${r.pick(REGIONS)}:${account()}:key/${r.pick(p.keys)}` }
            : {}),
        },
        response: null,
      };
    default:
      return {
        request: {
          name: `${r.pick(["orders", "billing", "audit"])}-table`,
          ...(pad > 0 ? { filters: Array.from({ length: pad }, () => r.pick(p.instances)) } : {}),
        },
        response: null,
      };
  }
}

/** One CloudTrail record as JSON. `pad` grows its request (list items), to reach large records. */
export function cloudTrailRecord(r: Random, p: Pools, t: number, owner: string, pad = 0): string {
  const [eventSource, eventName, readOnly] = r.pick(API_CALLS);
  const region = r.pick(REGIONS);
  const who = r.int(0, p.roles.length - 1);
  const role = p.roles[who]!;
  const session = p.sessions[who % p.sessions.length]!;
  const roleId = `AROA${"ABCDEFGHIJKLMNOPQ".slice(0, 12)}${String(who).padStart(5, "0")}`;
  const { request, response } = callDetail(r, p, eventName, pad);
  return JSON.stringify({
    eventVersion: "1.11",
    userIdentity: {
      type: "AssumedRole",
      principalId: `${roleId}:${session}`,
      arn: `arn:aws:sts::${owner}:assumed-role/${role}/${session}`,
      accountId: owner,
      accessKeyId: p.accessKeys[who % p.accessKeys.length],
      sessionContext: {
        sessionIssuer: {
          type: "Role",
          principalId: roleId,
          arn: `arn:aws:iam::${owner}:role/${role}`,
          accountId: owner,
          userName: role,
        },
        attributes: { creationDate: isoSeconds(t - (t % 3_600_000)), mfaAuthenticated: String(who === 2) },
      },
    },
    eventTime: isoSeconds(t),
    eventSource,
    eventName,
    awsRegion: region,
    sourceIPAddress: r.chance(0.2) ? eventSource : r.pick(p.publicIps),
    userAgent: r.pick(USER_AGENTS),
    requestParameters: request,
    responseElements: response,
    requestID: r.chance(0.5) ? r.uuid() : r.upper(16),
    eventID: r.uuid(),
    readOnly,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: owner,
    eventCategory: "Management",
    tlsDetails: {
      tlsVersion: "TLSv1.3",
      cipherSuite: "TLS_AES_128_GCM_SHA256",
      clientProvidedHostHeader: `${eventSource.split(".")[0]}.${region}.amazonaws.com`,
    },
  });
}

/** One VPC Flow Logs record in the default format (version 2), about one in twenty a NODATA record. */
export function vpcFlowLogLine(r: Random, p: Pools, t: number, owner: string, eni: string): string {
  const end = Math.floor(t / 1000);
  const start = end - r.int(1, 60);
  if (r.chance(0.05)) return `2 ${owner} ${eni} - - - - - - - ${start} ${end} - NODATA`;
  const tcp = r.chance(0.8);
  const inbound = r.chance(0.5);
  const service = r.pick([443, 443, 443, 80, 22, 5432, 6379, 53]);
  const ephemeral = r.int(1024, 65535);
  const packets = r.int(1, 400);
  return [
    2,
    owner,
    eni,
    inbound ? r.pick(p.publicIps) : r.pick(p.privateIps),
    inbound ? r.pick(p.privateIps) : r.pick(p.publicIps),
    inbound ? ephemeral : service,
    inbound ? service : ephemeral,
    tcp ? 6 : 17,
    packets,
    packets * r.int(40, 1500),
    start,
    end,
    r.chance(0.9) ? "ACCEPT" : "REJECT",
    "OK",
  ].join(" ");
}

/** One invocation of a Lambda function: START, a few lines of its own, END, REPORT. */
export function lambdaInvocation(r: Random, t: number): RawEvent[] {
  const id = r.uuid();
  const duration = r.int(2, 3000) + r.int(0, 99) / 100;
  const memory = r.pick([128, 256, 512, 1024]);
  const lines: RawEvent[] = [{ timestamp: t, message: `START RequestId: ${id} Version: $LATEST\n` }];
  const own = r.int(0, 3);
  for (let i = 0; i < own; i++) {
    lines.push({
      timestamp: t + i + 1,
      message: `${new Date(t + i + 1).toISOString()}\t${id}\tINFO\t${r.pick([
        "processing batch",
        "cache miss",
        "fetched configuration",
        "wrote 3 items",
      ])} ${r.hex(8)}\n`,
    });
  }
  const report =
    `REPORT RequestId: ${id}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.ceil(duration)} ms\t` +
    `Memory Size: ${memory} MB\tMax Memory Used: ${r.int(60, memory)} MB\t` +
    (r.chance(0.1) ? `Init Duration: ${r.int(100, 900)}.${r.int(10, 99)} ms\t` : "") +
    "\n";
  const done = t + Math.ceil(duration);
  lines.push({ timestamp: done, message: `END RequestId: ${id}\n` }, { timestamp: done, message: report });
  return lines;
}

const PATHS = ["/orders", "/orders/{id}", "/customers/{id}", "/health", "/checkout", "/invoices/{id}/pdf"];

/** One structured (JSON) application log line; `payload` characters of request body when large. */
export function jsonAppLog(r: Random, p: Pools, t: number, payload = 0): string {
  const status = r.pick([200, 200, 200, 201, 204, 400, 404, 500, 503]);
  return JSON.stringify({
    timestamp: new Date(t).toISOString(),
    level: status >= 500 ? "ERROR" : status >= 400 ? "WARN" : "INFO",
    logger: r.pick(["orders.api", "orders.repository", "payments.client"]),
    message: status >= 500 ? "upstream call failed" : "request completed",
    requestId: r.uuid(),
    traceId: `1-${r.hex(8)}-${r.hex(24)}`,
    http: {
      method: r.pick(["GET", "GET", "POST", "PUT", "DELETE"]),
      path: r.pick(PATHS).replace("{id}", String(r.int(1, 999999))),
      status,
      durationMs: r.int(1, 2500),
    },
    user: { id: r.pick(p.users), tenant: r.pick(["acme", "globex", "initech"]) },
    ...(payload > 0 ? { body: r.hex(payload) } : {}),
  });
}

/** One plain-text application log line, sometimes with a multi-line stack trace. */
export function textAppLog(r: Random, p: Pools, t: number, traceLines = 0): string {
  const when = new Date(t).toISOString().replace("T", " ").replace("Z", "").replace(".", ",");
  const level = r.pick(["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"]);
  const thread = `http-nio-8080-exec-${r.int(1, 40)}`;
  const head = `${when} ${level.padEnd(5)} [${thread}] ${r.pick([
    "c.e.billing.InvoiceService",
    "c.e.billing.PaymentGateway",
    "o.s.web.servlet.DispatcherServlet",
  ])} - ${r.pick(["Generated invoice", "Charged card", "Completed request", "Retrying call"])} ${r.int(1, 99999)} for customer ${r.pick(p.users)} in ${r.int(1, 900)} ms`;
  const frames = level === "ERROR" ? Math.max(traceLines, r.int(5, 25)) : traceLines;
  if (frames === 0) return head;
  const trace = Array.from(
    { length: frames },
    (_, i) =>
      `\tat com.example.billing.${r.pick(["Invoice", "Payment", "Ledger"])}Service.method${i}(${r.pick(["Invoice", "Payment"])}Service.java:${r.int(10, 900)})`,
  );
  return `${head}\njava.lang.IllegalStateException: ledger ${r.hex(8)} is locked\n${trace.join("\n")}`;
}
