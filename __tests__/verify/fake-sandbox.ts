/**
 * An in-memory sandbox for the verify checks: the log-archive and source
 * accounts behind the ports, with a fake clock whose sleep moves time and
 * runs the pipeline (a subscribed log group's events become an object after
 * the buffering interval, and S3 announces it on the queue). Responses take
 * AWS's documented shapes: S3's SQS notification (keys URL-encoded), the
 * CloudWatch Logs envelope, Logs Insights result fields, error codes with
 * request ids. Each knob breaks one promise, so each test names what broke.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { firehoseDataPrefix, prefixAt } from "../../modules/naming/key-layout";
import {
  AwsCallError,
  type AthenaPort,
  type EvalDecision,
  type LogsPort,
  type ReaderPorts,
  type S3Port,
  type Simulation,
  type SimulationInput,
  type VerifyPorts,
} from "../../modules/verify/ports";
import type { VerifyTarget } from "../../modules/verify/target";

export interface SandboxKnobs {
  /** Where the pipeline delivers the marker: its own prefix, another account's, or nowhere. */
  deliver: "own" | "other-account" | "none";
  /** Whether S3 announces objects on the SIEM queue. */
  notify: boolean;
  /** Whether the bucket policy refuses writes without the archive key. */
  refuseUnencrypted: boolean;
  /** Which policy refuses them, as S3 words it: the bucket policy, the guardrails' RCP or SCP, or a bare "Access Denied". */
  putRefusedBy: "bucket-policy" | "rcp" | "scp" | "unnamed";
  /** Whether the key policy keeps the archive administrator from decrypting. */
  refuseAdminRead: boolean;
  /**
   * The simulator, as IAM evaluates a cross-account request: the identity
   * side is the delivery role's own policy (PutObject under its own prefix)
   * plus any PolicyInputList; the resource side is the bucket policy, which
   * grants the role `bucketGrants` and explicitly denies `bucketDenies`.
   */
  bucketGrants: "own-prefix-put" | "everything" | "nothing";
  bucketDenies: readonly string[];
  /** An SCP refuses every simulated S3 request (OrganizationsDecisionDetail). */
  scpDeniesS3: boolean;
  alarms: string[];
  heartbeat: boolean;
  /** The delivery watch's event log group gets S3's object events. */
  watchEvents: boolean;
  replication: "COMPLETED" | "PENDING" | "FAILED" | undefined;
  /** Seconds between the marker event and its object. */
  delaySeconds: number;
  /** The reader role refuses the caller even with the ExternalId. */
  readerRefused: boolean;
  trailObjects: boolean;
  /** How long before delivery the object's oldest record arrived (Firehose dates the key by it). */
  oldestRecordSeconds: number;
  /** The log-analyst role refuses the caller. */
  analystRefused: boolean;
  /** Whether the readers' key grant admits CloudTrail's objects (their encryption context names the bucket). */
  trailReadable: boolean;
  /**
   * How Athena answers: runs the query, refuses StartQueryExecution, fails it
   * (S3 refusing the table's objects), never finishes, returns no row, or
   * scans every object of the bucket (no pruning).
   */
  athena: "healthy" | "denied" | "failed" | "running" | "no-rows" | "unpruned";
  /** The cloudtrail table's answer: one event, none, or requestparameters not as JSON text. */
  cloudTrailTable: "event" | "none" | "not-json";
  /** Messages already waiting on the SIEM queue when the run starts. */
  backlog: number;
  /** The SIEM queue's RedrivePolicy maxReceiveCount (undefined: no dead-letter queue). */
  maxReceiveCount: number | undefined;
}

export const HEALTHY: SandboxKnobs = {
  deliver: "own",
  notify: true,
  refuseUnencrypted: true,
  putRefusedBy: "bucket-policy",
  refuseAdminRead: true,
  bucketGrants: "own-prefix-put",
  bucketDenies: [],
  scpDeniesS3: false,
  alarms: [],
  heartbeat: true,
  watchEvents: true,
  replication: "COMPLETED",
  delaySeconds: 90,
  readerRefused: false,
  trailObjects: true,
  oldestRecordSeconds: 0,
  analystRefused: false,
  trailReadable: true,
  athena: "healthy",
  cloudTrailTable: "event",
  backlog: 0,
  maxReceiveCount: 10,
};

interface Stored {
  body: Uint8Array;
  lastModified: Date;
  sse: string;
  kmsKeyId?: string;
}

const denied = (n: number, message = "Access Denied") =>
  new AwsCallError("AccessDenied", message, `DENIED${String(n).padStart(8, "0")}`);

/** S3's access denied messages for requests within the owner's organization, by the policy that refused. */
const PUT_REFUSAL = {
  "bucket-policy": "with an explicit deny in a resource-based policy",
  rcp: "with an explicit deny in a resource control policy",
  scp: "with an explicit deny in a service control policy",
} as const;

export class FakeSandbox {
  now = Date.UTC(2026, 11, 4, 21, 58, 30);
  readonly objects = new Map<string, Stored>();
  readonly logGroups = new Map<string, { timestamp: number; message: string }[]>();
  readonly queue: { messageId: string; body: string; receives: number }[] = [];
  /** Messages SQS moved to the dead-letter queue: received more than maxReceiveCount times. */
  readonly deadLetters: { messageId: string; body: string; receives: number }[] = [];
  receiveCalls = 0;
  readonly deletedLogGroups: string[] = [];
  readonly simulations: SimulationInput[] = [];
  readonly watchEvents: { timestamp: number; key: string }[] = [];
  readonly athenaQueries: { sql: string; database: string; workgroup: string }[] = [];
  private executionPolls = new Map<string, number>();
  private delivered = new Set<string>();
  private requests = 0;
  readonly keyArn = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  constructor(
    readonly target: VerifyTarget,
    readonly knobs: SandboxKnobs = HEALTHY,
    start?: number,
  ) {
    if (start !== undefined) this.now = start;
    for (let i = 0; i < knobs.backlog; i++) {
      this.queue.push({ messageId: `backlog-${i + 1}`, body: '{"Records":[]}', receives: 0 });
    }
    if (knobs.heartbeat) this.putHeartbeat(this.now - 4 * 60_000);
    if (knobs.trailObjects && target.trail) {
      const day = prefixAt("!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/", new Date(this.now));
      this.store(`${target.trail.keyPrefix}${day}${target.sourceAccountId}_CloudTrail_x.json.gz`, gzipSync("{}"));
    }
  }

  private requestId(): string {
    this.requests += 1;
    return `REQ${String(this.requests).padStart(8, "0")}`;
  }

  private store(key: string, body: Uint8Array, at = this.now): void {
    this.objects.set(key, { body, lastModified: new Date(at), sse: "aws:kms", kmsKeyId: this.keyArn });
    if (this.knobs.notify && key.startsWith("cloudwatch-logs/")) {
      // S3's notification structure, version 2.1: the key is URL-encoded.
      const record = {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        awsRegion: this.target.archiveRegion,
        eventName: "ObjectCreated:Put",
        s3: {
          s3SchemaVersion: "1.0",
          bucket: { name: this.target.archiveBucket, arn: this.target.archiveBucketArn },
          object: { key: encodeURIComponent(key), size: body.length },
        },
      };
      this.queue.push({
        messageId: `msg-${this.queue.length + 1}`,
        body: JSON.stringify({ Records: [record] }),
        receives: 0,
      });
    }
    if (this.knobs.watchEvents) this.watchEvents.push({ timestamp: at, key });
  }

  private objectKey(account: string, at: number): string {
    const prefix = prefixAt(firehoseDataPrefix(account, this.target.sourceRegion), new Date(at));
    return `${prefix}cwl-archive-to-archive-1-${new Date(at).toISOString().replace(/[:.]/g, "-")}-0f1e2d3c${this.target.objectExtension}`;
  }

  private envelope(group: string, events: { timestamp: number; message: string }[]): string {
    return JSON.stringify({
      messageType: "DATA_MESSAGE",
      owner: this.target.sourceAccountId,
      logGroup: group,
      logStream: "marker",
      subscriptionFilters: ["cwl-archive-to-archive"],
      logEvents: events.map((e, i) => ({ id: `3795${i}`, timestamp: e.timestamp, message: e.message })),
    });
  }

  private putHeartbeat(at: number): void {
    const line = this.envelope(this.target.heartbeat?.logGroup ?? "/cwl-archive/heartbeat", [
      { timestamp: at, message: '{"detail-type":"Scheduled Event"}' },
    ]);
    this.store(this.objectKey(this.target.sourceAccountId, at), gzipSync(`${line}\n`), at);
  }

  /** The pipeline: runs whenever the fake clock moves. */
  private tick(): void {
    for (const [group, events] of this.logGroups) {
      if (this.delivered.has(group) || events.length === 0) continue;
      const first = events[0]!.timestamp;
      if (this.now < first + this.knobs.delaySeconds * 1000 || this.knobs.deliver === "none") continue;
      this.delivered.add(group);
      const account = this.knobs.deliver === "own" ? this.target.sourceAccountId : this.target.otherAccountIds[0]!;
      const line = this.envelope(group, events);
      const dated = this.now - this.knobs.oldestRecordSeconds * 1000;
      this.store(this.objectKey(account, dated), gzipSync(`${line}\n`));
    }
  }

  readonly clock = {
    now: () => this.now,
    sleep: async (ms: number) => {
      this.now += ms;
      this.tick();
    },
  };

  private s3(who: "archive" | "source" | "reader"): S3Port {
    return {
      list: async (_bucket, prefix) => ({
        objects: [...this.objects.entries()]
          .filter(([key]) => key.startsWith(prefix))
          .map(([key, o]) => ({ key, lastModified: o.lastModified, size: o.body.length })),
        requestId: this.requestId(),
      }),
      get: async (_bucket, key) => {
        if (who === "source" || (who === "archive" && this.knobs.refuseAdminRead)) throw denied(this.requests++);
        if (key.startsWith("cloudtrail/") && !this.knobs.trailReadable) throw denied(this.requests++);
        const o = this.objects.get(key);
        if (!o) throw new AwsCallError("NoSuchKey", "The specified key does not exist.", this.requestId());
        return { body: o.body, requestId: this.requestId(), serverSideEncryption: o.sse, kmsKeyId: o.kmsKeyId };
      },
      head: async (_bucket, key) => {
        const o = this.objects.get(key);
        if (!o) throw new AwsCallError("NotFound", "Not Found", this.requestId());
        return {
          requestId: this.requestId(),
          serverSideEncryption: o.sse,
          kmsKeyId: o.kmsKeyId,
          bucketKeyEnabled: true,
          replicationStatus: key.startsWith("cloudwatch-logs/") ? this.knobs.replication : undefined,
        };
      },
      put: async (_bucket, key, body, encryption) => {
        const refused =
          who === "reader" ||
          (this.knobs.refuseUnencrypted && (encryption.algorithm !== "aws:kms" || encryption.kmsKeyId !== this.keyArn));
        if (refused) {
          const by = who === "reader" ? "unnamed" : this.knobs.putRefusedBy;
          const arn = `arn:aws:sts::${this.target.archiveAccountId}:assumed-role/Admin/verify`;
          const message =
            by === "unnamed"
              ? "Access Denied"
              : `User: ${arn} is not authorized to perform: s3:PutObject on resource: "${this.target.archiveBucketArn}/${key}" ${PUT_REFUSAL[by]}`;
          throw denied(this.requests++, message);
        }
        this.objects.set(key, { body: Buffer.from(body), lastModified: new Date(this.now), sse: encryption.algorithm });
        return { requestId: this.requestId(), versionId: "3sL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY" };
      },
      deleteVersion: async (_bucket, key) => {
        this.objects.delete(key);
        return { requestId: this.requestId() };
      },
      bucketPolicy: async () => ({ policy: '{"Version":"2012-10-17","Statement":[]}', requestId: this.requestId() }),
      bucketKey: async () => ({ kmsKeyId: this.keyArn, requestId: this.requestId() }),
    };
  }

  private logs(who: "archive" | "source"): LogsPort {
    return {
      createLogGroup: async (name) => {
        if (this.logGroups.has(name))
          throw new AwsCallError("ResourceAlreadyExistsException", "exists", this.requestId());
        this.logGroups.set(name, []);
        return { requestId: this.requestId() };
      },
      putEvents: async (group, _stream, events) => {
        this.logGroups.get(group)!.push(...events);
        return { requestId: this.requestId() };
      },
      deleteLogGroup: async (name) => {
        this.logGroups.delete(name);
        this.deletedLogGroups.push(name);
        return { requestId: this.requestId() };
      },
      // The watch's query, as Logs Insights answers it: one row a root, account, Region and segment.
      query: async (_group, _query, startSeconds, endSeconds) => {
        if (who !== "archive") throw new Error("the watch runs in the log-archive account");
        const matching = this.watchEvents.filter(
          (e) =>
            e.key.startsWith(
              `cloudwatch-logs/account=${this.target.sourceAccountId}/region=${this.target.sourceRegion}/`,
            ) &&
            e.timestamp >= startSeconds * 1000 &&
            e.timestamp <= endSeconds * 1000,
        );
        if (matching.length === 0) return { rows: [], queryId: "q-1" };
        const stamp = (t: number) => new Date(t).toISOString().replace("T", " ").replace("Z", "");
        const times = matching.map((e) => e.timestamp);
        return {
          queryId: "q-1",
          rows: [
            [
              { field: "root", value: "cloudwatch-logs" },
              { field: "sourceAccount", value: this.target.sourceAccountId },
              { field: "sourceRegion", value: this.target.sourceRegion },
              { field: "segment", value: "year=2026" },
              { field: "first", value: stamp(Math.min(...times)) },
              { field: "last", value: stamp(Math.max(...times)) },
              { field: "objects", value: String(matching.length) },
            ],
          ],
        };
      },
    };
  }

  /**
   * Athena over the stored objects, in its documented shapes: QUEUED, RUNNING,
   * then a final state; the first result row repeats the column names;
   * timestamps as `2026-12-04 21:58:30.000`.
   */
  private athena(): AthenaPort {
    const scannedBy = (sql: string) => {
      const hours = [...sql.matchAll(/day = '(\d{2})' AND hour = '(\d{2})'/g)].map((m) => `day=${m[1]}/hour=${m[2]}/`);
      const account = `cloudwatch-logs/account=${this.target.sourceAccountId}/region=${this.target.sourceRegion}/`;
      let bytes = 0;
      for (const [key, o] of this.objects) {
        const read =
          this.knobs.athena === "unpruned" || (key.startsWith(account) && hours.some((h) => key.includes(h)));
        if (read) bytes += o.body.length;
      }
      return 2 * bytes + (this.knobs.athena === "unpruned" ? 10_485_760 : 0);
    };
    return {
      start: async (sql, database, workgroup) => {
        if (this.knobs.athena === "denied") {
          throw new AwsCallError(
            "AccessDeniedException",
            `User: arn:aws:sts::${this.target.archiveAccountId}:assumed-role/cwl-archive-log-analyst/verify is not authorized to perform: athena:StartQueryExecution on resource: arn:aws:athena:${this.target.archiveRegion}:${this.target.archiveAccountId}:workgroup/${workgroup}`,
            this.requestId(),
          );
        }
        this.athenaQueries.push({ sql, database, workgroup });
        return {
          queryExecutionId: `a1b2c3d4-0000-4000-8000-${String(this.athenaQueries.length).padStart(12, "0")}`,
          requestId: this.requestId(),
        };
      },
      execution: async (id) => {
        const polls = (this.executionPolls.get(id) ?? 0) + 1;
        this.executionPolls.set(id, polls);
        const sql = this.athenaQueries[Number(id.slice(-12)) - 1]!.sql;
        const final =
          this.knobs.athena === "failed"
            ? {
                state: "FAILED",
                stateChangeReason: `Permission denied on S3 path: s3://${this.target.archiveBucket}/cloudwatch-logs/account=${this.target.sourceAccountId}/region=${this.target.sourceRegion}/`,
              }
            : { state: "SUCCEEDED", dataScannedInBytes: scannedBy(sql) };
        if (polls === 1) return { state: "QUEUED", requestId: this.requestId() };
        if (polls === 2 || this.knobs.athena === "running") return { state: "RUNNING", requestId: this.requestId() };
        return { ...final, requestId: this.requestId() };
      },
      results: async (id) => {
        const sql = this.athenaQueries[Number(id.slice(-12)) - 1]!.sql;
        return sql.includes('"cloudtrail"') ? this.trailRows() : this.eventRows();
      },
    };
  }

  private eventRows() {
    const columns = ["account", "region", "event_time", "log_group", "log_stream", "message"];
    const rows: (string | undefined)[][] = [columns];
    const prefix = `cloudwatch-logs/account=${this.target.sourceAccountId}/region=${this.target.sourceRegion}/`;
    for (const [key, o] of this.objects) {
      if (!key.startsWith(prefix) || this.knobs.athena === "no-rows") continue;
      for (const line of gunzipSync(o.body).toString("utf8").split("\n").filter(Boolean)) {
        const envelope = JSON.parse(line) as {
          logGroup: string;
          logStream: string;
          logEvents: { timestamp: number; message: string }[];
        };
        for (const e of envelope.logEvents) {
          const time = new Date(e.timestamp).toISOString().replace("T", " ").replace("Z", "");
          rows.push([
            this.target.sourceAccountId,
            this.target.sourceRegion,
            time,
            envelope.logGroup,
            envelope.logStream,
            e.message,
          ]);
        }
      }
    }
    return { columns, rows, requestId: this.requestId() };
  }

  private trailRows() {
    const columns = ["eventtime", "eventsource", "eventname", "recipientaccountid", "requestparameters"];
    const rows: (string | undefined)[][] = [columns];
    const parameters =
      this.knobs.cloudTrailTable === "not-json" ? "{bucketname=cwl-archive}" : '{"bucketName":"payments-data"}';
    if (this.knobs.cloudTrailTable !== "none") {
      rows.push(["2026-12-04T21:41:07Z", "s3.amazonaws.com", "GetBucketAcl", this.target.sourceAccountId, parameters]);
    }
    return { columns, rows, requestId: this.requestId() };
  }

  private reader(): ReaderPorts {
    return {
      athena: this.athena(),
      s3: this.s3("reader"),
      sqs: {
        queueUrl: async (name, owner) => `https://sqs.${this.target.archiveRegion}.amazonaws.com/${owner}/${name}`,
        attributes: async () => ({
          approximateMessages: this.queue.length,
          maxReceiveCount: this.knobs.maxReceiveCount,
          requestId: this.requestId(),
        }),
        // SQS returns up to 10 messages, here the oldest; each receive counts, and a message
        // received more than maxReceiveCount times moves to the dead-letter queue.
        peek: async () => {
          this.receiveCalls += 1;
          const messages = this.queue.slice(0, 10);
          for (const m of messages) m.receives += 1;
          const max = this.knobs.maxReceiveCount;
          if (max !== undefined) {
            for (const m of this.queue.filter((q) => q.receives > max)) {
              this.queue.splice(this.queue.indexOf(m), 1);
              this.deadLetters.push(m);
            }
          }
          return {
            messages: messages.map(({ messageId, body }) => ({ messageId, body })),
            requestId: this.requestId(),
          };
        },
      },
    };
  }

  ports(): VerifyPorts {
    const alarms = {
      inAlarm: async (prefix: string) => ({
        names: this.knobs.alarms.filter((a) => a.startsWith(prefix)),
        requestId: this.requestId(),
      }),
    };
    return {
      archive: { s3: this.s3("archive"), logs: this.logs("archive"), alarms, sts: this.sts() },
      source: {
        s3: this.s3("source"),
        logs: this.logs("source"),
        alarms,
        iam: {
          simulate: async (input) => this.simulate(input),
        },
      },
      readerVia: this.sts(),
      analystVia: {
        assume: async (roleArn: string) => {
          if (this.knobs.analystRefused) throw denied(this.requests++);
          return {
            assumedArn: `${roleArn.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/")}/verify`,
            requestId: this.requestId(),
            ports: this.reader(),
          };
        },
      },
      clock: this.clock,
    };
  }

  private simulate(input: SimulationInput): Simulation {
    this.simulations.push(input);
    const requestId = this.requestId();
    const { bucketGrants, bucketDenies, scpDeniesS3 } = this.knobs;
    if (scpDeniesS3) {
      return { decision: "explicitDeny", matched: [], allowedByOrganizations: false, details: {}, requestId };
    }
    const ownPut =
      input.action === "s3:PutObject" && input.resourceArn.includes(`account=${this.target.sourceAccountId}/`);
    const granted = input.policyInputList.some((p) => p.includes('"s3:*"'));
    const identity = ownPut || granted;
    if (bucketDenies.includes(input.action)) {
      return {
        decision: "explicitDeny",
        matched: [{ sourcePolicyId: "ResourcePolicy", sourcePolicyType: "resource" }],
        allowedByOrganizations: true,
        details: { ResourcePolicy: "explicitDeny" },
        requestId,
      };
    }
    const resource = bucketGrants === "everything" || (bucketGrants === "own-prefix-put" && ownPut);
    const side = (allowed: boolean): EvalDecision => (allowed ? "allowed" : "implicitDeny");
    return {
      decision: identity && resource ? "allowed" : "implicitDeny",
      matched: [],
      allowedByOrganizations: true,
      details: { IdentityPolicy: side(identity), ResourcePolicy: side(resource) },
      requestId,
    };
  }

  private sts() {
    return {
      assume: async (roleArn: string, externalId: string | undefined) => {
        if (this.knobs.readerRefused || externalId !== this.target.externalId) throw denied(this.requests++);
        return {
          assumedArn: `${roleArn.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/")}/verify`,
          requestId: this.requestId(),
          ports: this.reader(),
        };
      },
    };
  }
}
