/**
 * Objects laid out and written as each writer of the archive writes them,
 * for the query tests:
 *
 * - Firehose (ours): the key from `modules/naming/key-layout.ts`, its
 *   expressions evaluated as Firehose does (`!{timestamp:...}` is the
 *   arrival time of the object's oldest record, UTC; `!{partitionKeyFromQuery:...}`
 *   the record's keys; `!{firehose:error-output-type}`), then the object name
 *   `<stream>-<version>-YYYY-MM-DD-HH-MM-SS-<random>` and `.gz`. Content: one
 *   CloudWatch Logs envelope per line, or one message per line with message
 *   extraction; failed records as Firehose's error documents.
 * - CloudTrail: `AWSLogs/<org id>/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 chars>.json.gz`
 *   (the delivery time), `{"Records": [...]}`.
 * - VPC Flow Logs (plain text, per-hour partitions): `AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/HH/<account>_vpcflowlogs_<region>_<flow log id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz`,
 *   a header line and space-separated default-format records.
 * - AWS Config: `AWSLogs/<account>/Config/<region>/YYYY/M/D/ConfigHistory/<account>_Config_<region>_ConfigHistory_<type>_<times>_1.json.gz`.
 * - Agents (docs/agents): `agents/<account>/<tag>/YYYY/MM/DD/HH/<uuid>.gz`, JSON lines.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html
 * @see https://docs.aws.amazon.com/firehose/latest/dev/basic-deliver.html#s3-object-name
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
 */
import { gzipSync } from "node:zlib";
import { DIRECT_SOURCE_ROOTS } from "../../modules/sources/direct-sources";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `Date.UTC` from an ISO string without a zone: `t("2026-12-03 10:30")`. */
export function t(text: string): Date {
  return new Date(`${text.replace(" ", "T")}:00Z`);
}

/** A Firehose prefix evaluated for one object. */
export function evaluateFirehosePrefix(
  prefix: string,
  arrival: Date,
  keys: Readonly<Record<string, string>> = {},
  errorType?: string,
): string {
  return prefix
    .replace(/!\{timestamp:([^}]+)\}/g, (_, format: string) =>
      format
        .replace("yyyy", String(arrival.getUTCFullYear()))
        .replace("MM", pad(arrival.getUTCMonth() + 1))
        .replace("dd", pad(arrival.getUTCDate()))
        .replace("HH", pad(arrival.getUTCHours())),
    )
    .replace(/!\{partitionKeyFromQuery:([a-z]+)\}/g, (_, name: string) => {
      const value = keys[name];
      if (value === undefined) throw new Error(`no partition key ${name}`);
      return value;
    })
    .replace(/!\{firehose:error-output-type\}/g, () => {
      if (!errorType) throw new Error("no error output type");
      return errorType;
    });
}

export interface LogEvent {
  readonly at: Date;
  readonly message: string;
}

/** The CloudWatch Logs envelope a subscription delivers. */
export function envelope(account: string, logGroup: string, events: readonly LogEvent[]): string {
  return JSON.stringify({
    messageType: "DATA_MESSAGE",
    owner: account,
    logGroup,
    logStream: "stream-1",
    subscriptionFilters: ["cwl-archive"],
    logEvents: events.map((e, i) => ({ id: String(36000000000 + i), timestamp: e.at.getTime(), message: e.message })),
  });
}

/** An in-memory bucket that writers put objects into. */
export class ArchiveCorpus {
  readonly objects = new Map<string, Buffer>();
  private sequence = 0;

  private unique(width = 16): string {
    return String(++this.sequence).padStart(width, "0");
  }

  put(key: string, body: string): string {
    if (this.objects.has(key)) throw new Error(`duplicate key ${key}`);
    this.objects.set(key, key.endsWith(".gz") ? gzipSync(body) : Buffer.from(body));
    return key;
  }

  /** A Firehose object under the evaluated prefix: lines joined by newlines, gzip-compressed. */
  firehose(prefix: string, arrival: Date, lines: readonly string[], keys?: Record<string, string>, errorType?: string) {
    const at = arrival;
    const name = `cwl-archive-stream-1-${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}-${pad(at.getUTCHours())}-${pad(at.getUTCMinutes())}-00-${this.unique(8)}.gz`;
    return this.put(`${evaluateFirehosePrefix(prefix, arrival, keys, errorType)}${name}`, `${lines.join("\n")}\n`);
  }

  /** An organization trail log file, delivered at `delivered`. */
  cloudTrail(organizationId: string, account: string, region: string, delivered: Date, records: readonly object[]) {
    const d = delivered;
    const day = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
    const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
    const key = `${DIRECT_SOURCE_ROOTS.cloudtrail}AWSLogs/${organizationId}/${account}/CloudTrail/${region}/${day}/${account}_CloudTrail_${region}_${stamp}_${this.unique()}.json.gz`;
    return this.put(key, JSON.stringify({ Records: records }));
  }

  /** A flow log file (default format, per-hour partitions) for the hour of `fileTime`. */
  flowLog(account: string, region: string, fileTime: Date, records: readonly string[]) {
    const d = fileTime;
    const path = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCHours())}`;
    const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
    const key = `${DIRECT_SOURCE_ROOTS["vpc-flow-logs"]}AWSLogs/${account}/vpcflowlogs/${region}/${path}/${account}_vpcflowlogs_${region}_fl-0123456789abcdef0_${stamp}_${this.unique(8)}.log.gz`;
    const header =
      "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
    return this.put(key, `${[header, ...records].join("\n")}\n`);
  }

  /** An AWS Config history file, in Config's unpadded date folders. */
  configHistory(account: string, region: string, delivered: Date, items: readonly object[]) {
    const d = delivered;
    const path = `${d.getUTCFullYear()}/${d.getUTCMonth() + 1}/${d.getUTCDate()}`;
    const key = `${DIRECT_SOURCE_ROOTS.config}AWSLogs/${account}/Config/${region}/${path}/ConfigHistory/${account}_Config_${region}_ConfigHistory_AWS::EC2::SecurityGroup_20261203T100000Z_20261203T110000Z_1.json.gz`;
    return this.put(key, JSON.stringify({ fileVersion: "1.0", configurationItems: items }));
  }

  /** A log agent's object (docs/agents/fluent-bit.conf's key format). */
  agent(account: string, tag: string, at: Date, lines: readonly object[]) {
    const path = `${at.getUTCFullYear()}/${pad(at.getUTCMonth() + 1)}/${pad(at.getUTCDate())}/${pad(at.getUTCHours())}`;
    return this.put(
      `${DIRECT_SOURCE_ROOTS.agents}${account}/${tag}/${path}/${this.unique(8)}.gz`,
      `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`,
    );
  }

  /** What `aws_s3_objects` with a delimiter returns for `prefix`: the folders one level down. */
  commonPrefixes(prefix: string): string[] {
    const folders = new Set<string>();
    for (const key of this.objects.keys()) {
      if (!key.startsWith(prefix)) continue;
      const rest = key.slice(prefix.length);
      const slash = rest.indexOf("/");
      if (slash >= 0) folders.add(`${prefix}${rest.slice(0, slash + 1)}`);
    }
    return [...folders].sort();
  }
}

/** One default-format flow log record. */
export function flowRecord(f: {
  account: string;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  start: Date;
  action: "ACCEPT" | "REJECT";
}): string {
  const start = Math.floor(f.start.getTime() / 1000);
  return `2 ${f.account} eni-0abc ${f.src} ${f.dst} ${f.srcPort} ${f.dstPort} 6 3 180 ${start} ${start + 60} ${f.action} OK`;
}

/** A CloudTrail record (the fields the tables read). */
export function trailRecord(r: {
  account: string;
  region: string;
  at: Date;
  eventSource: string;
  eventName: string;
  sourceIp: string;
  callerArn: string;
  issuerArn?: string;
  requestParameters?: object;
  /** Replaces the userIdentity built from callerArn and issuerArn (web identity and SAML callers). */
  userIdentity?: object;
  /** Defaults to one derived from the time. */
  eventId?: string;
  /** Set on each account's copy of a cross-account event. */
  sharedEventId?: string;
  resources?: object[];
}): object {
  return {
    eventVersion: "1.09",
    userIdentity: r.userIdentity ?? {
      type: r.issuerArn ? "AssumedRole" : "IAMUser",
      principalId: "AROAEXAMPLE:session",
      arn: r.callerArn,
      accountId: r.account,
      ...(r.issuerArn
        ? {
            sessionContext: {
              attributes: { mfaAuthenticated: "false", creationDate: r.at.toISOString() },
              sessionIssuer: {
                type: "Role",
                principalId: "AROAEXAMPLE",
                arn: r.issuerArn,
                accountId: r.account,
                userName: "x",
              },
            },
          }
        : {}),
    },
    eventTime: r.at.toISOString().replace(/\.000Z$/, "Z"),
    eventSource: r.eventSource,
    eventName: r.eventName,
    awsRegion: r.region,
    sourceIPAddress: r.sourceIp,
    userAgent: "aws-cli/2",
    requestParameters: r.requestParameters ?? null,
    responseElements: null,
    requestID: "req-1",
    eventID: r.eventId ?? `evt-${r.at.getTime()}`,
    ...(r.sharedEventId ? { sharedEventID: r.sharedEventId } : {}),
    ...(r.resources ? { resources: r.resources } : {}),
    readOnly: false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: r.account,
    eventCategory: "Management",
  };
}
