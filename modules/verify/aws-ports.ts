/**
 * The ports over AWS SDK v3 clients. Thin on purpose: every decision is in
 * the checks, which the tests drive with recorded responses; this file only
 * maps requests and responses and turns SDK errors into AwsCallError.
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand as GetAthenaQueryResultsCommand,
  StartQueryExecutionCommand,
} from "@aws-sdk/client-athena";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  GetQueryResultsCommand,
  PutLogEventsCommand,
  StartQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { IAMClient, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import {
  DeleteObjectCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type ServerSideEncryption,
} from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, type STSClientConfig } from "@aws-sdk/client-sts";
import {
  AwsCallError,
  type AlarmsPort,
  type AthenaPort,
  type EvalDecision,
  type IamPort,
  type LogsPort,
  type ReaderPorts,
  type S3Port,
  type SqsPort,
  type StsPort,
} from "./ports";

/** Credentials as an SDK client takes them: keys, or a provider the client calls again before they expire. */
export type Credentials = NonNullable<STSClientConfig["credentials"]>;
type Identity = Awaited<ReturnType<ReturnType<typeof fromTemporaryCredentials>>>;

/** How a client authenticates: a named profile, credentials, or the default chain. */
export interface ClientConfig {
  readonly region: string;
  readonly profile?: string;
  readonly credentials?: Credentials;
  /** A local emulator's endpoint (tests only). */
  readonly endpoint?: string;
  /** Answers requests instead of the network (tests only). */
  readonly requestHandler?: STSClientConfig["requestHandler"];
  /** Long-poll seconds of ReceiveMessage. @default 5 */
  readonly receiveWaitSeconds?: number;
}

interface SdkError {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { requestId?: string };
}

async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const e = error as SdkError;
    throw new AwsCallError(e.Code ?? e.name ?? "Error", e.message ?? String(error), e.$metadata?.requestId);
  }
}

const requestIdOf = (output: { $metadata?: { requestId?: string } }) => output.$metadata?.requestId;

function clientOptions(config: ClientConfig) {
  return {
    region: config.region,
    ...(config.profile ? { profile: config.profile } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.requestHandler ? { requestHandler: config.requestHandler } : {}),
  };
}

export function s3Port(config: ClientConfig): S3Port {
  // An emulator on loopback has no virtual-hosted bucket names.
  const client = new S3Client({ ...clientOptions(config), forcePathStyle: config.endpoint !== undefined });
  return {
    async list(bucket, prefix) {
      const objects = [];
      let token: string | undefined;
      let requestId: string | undefined;
      for (let page = 0; page < 10; page++) {
        const out = await call(() =>
          client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })),
        );
        requestId = requestIdOf(out);
        for (const o of out.Contents ?? []) {
          objects.push({ key: o.Key ?? "", lastModified: o.LastModified ?? new Date(0), size: o.Size ?? 0 });
        }
        token = out.NextContinuationToken;
        if (!token) break;
      }
      return { objects, requestId };
    },
    async get(bucket, key) {
      const out = await call(() => client.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
      const body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      return {
        body,
        requestId: requestIdOf(out),
        serverSideEncryption: out.ServerSideEncryption,
        kmsKeyId: out.SSEKMSKeyId,
        bucketKeyEnabled: out.BucketKeyEnabled,
      };
    },
    async head(bucket, key) {
      const out = await call(() => client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
      return {
        requestId: requestIdOf(out),
        serverSideEncryption: out.ServerSideEncryption,
        kmsKeyId: out.SSEKMSKeyId,
        bucketKeyEnabled: out.BucketKeyEnabled,
        replicationStatus: out.ReplicationStatus,
      };
    },
    async put(bucket, key, body, encryption) {
      const out = await call(() =>
        client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ServerSideEncryption: encryption.algorithm as ServerSideEncryption,
            SSEKMSKeyId: encryption.kmsKeyId,
          }),
        ),
      );
      return { requestId: requestIdOf(out), versionId: out.VersionId };
    },
    async deleteVersion(bucket, key, versionId) {
      const out = await call(() =>
        client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId })),
      );
      return { requestId: requestIdOf(out) };
    },
    async bucketPolicy(bucket) {
      const out = await call(() => client.send(new GetBucketPolicyCommand({ Bucket: bucket })));
      return { policy: out.Policy ?? "", requestId: requestIdOf(out) };
    },
    async bucketKey(bucket) {
      const out = await call(() => client.send(new GetBucketEncryptionCommand({ Bucket: bucket })));
      const rule = out.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
      return { kmsKeyId: rule?.KMSMasterKeyID, requestId: requestIdOf(out) };
    },
  };
}

export function logsPort(config: ClientConfig, sleep: (ms: number) => Promise<void>): LogsPort {
  const client = new CloudWatchLogsClient(clientOptions(config));
  return {
    async createLogGroup(name) {
      const out = await call(() => client.send(new CreateLogGroupCommand({ logGroupName: name })));
      return { requestId: requestIdOf(out) };
    },
    async putEvents(group, stream, events) {
      await call(() => client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream })));
      const out = await call(() =>
        client.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: [...events] })),
      );
      return { requestId: requestIdOf(out) };
    },
    async deleteLogGroup(name) {
      const out = await call(() => client.send(new DeleteLogGroupCommand({ logGroupName: name })));
      return { requestId: requestIdOf(out) };
    },
    async query(group, queryString, startSeconds, endSeconds) {
      const started = await call(() =>
        client.send(
          new StartQueryCommand({ logGroupName: group, queryString, startTime: startSeconds, endTime: endSeconds }),
        ),
      );
      const queryId = started.queryId;
      // A query over a few hours of one log group completes in seconds; stop after two minutes.
      for (let attempt = 0; attempt < 60; attempt++) {
        const out = await call(() => client.send(new GetQueryResultsCommand({ queryId })));
        if (out.status === "Complete") return { rows: out.results ?? [], queryId };
        if (out.status !== "Running" && out.status !== "Scheduled") {
          throw new AwsCallError(`Query${out.status ?? ""}`, `Logs Insights query ${queryId} ended ${out.status}`);
        }
        await sleep(2000);
      }
      throw new AwsCallError("QueryTimeout", `Logs Insights query ${queryId} did not complete in two minutes`);
    },
  };
}

export function sqsPort(config: ClientConfig): SqsPort {
  const client = new SQSClient(clientOptions(config));
  return {
    async queueUrl(name, owner) {
      const out = await call(() =>
        client.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: owner })),
      );
      return out.QueueUrl ?? "";
    },
    // ApproximateNumberOfMessages and RedrivePolicy (a JSON string with maxReceiveCount).
    // @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
    async attributes(queueUrl) {
      const out = await call(() =>
        client.send(
          new GetQueueAttributesCommand({
            QueueUrl: queueUrl,
            AttributeNames: ["ApproximateNumberOfMessages", "RedrivePolicy"],
          }),
        ),
      );
      const attributes = out.Attributes ?? {};
      let maxReceiveCount: number | undefined;
      try {
        const redrive = JSON.parse(attributes.RedrivePolicy ?? "{}") as { maxReceiveCount?: number | string };
        if (redrive.maxReceiveCount !== undefined) maxReceiveCount = Number(redrive.maxReceiveCount);
      } catch {
        maxReceiveCount = undefined;
      }
      return {
        approximateMessages: Number(attributes.ApproximateNumberOfMessages ?? "0"),
        maxReceiveCount,
        requestId: requestIdOf(out),
      };
    },
    async peek(queueUrl) {
      const out = await call(() =>
        client.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 0,
            WaitTimeSeconds: config.receiveWaitSeconds ?? 5,
          }),
        ),
      );
      return {
        messages: (out.Messages ?? []).map((m) => ({ messageId: m.MessageId ?? "", body: m.Body ?? "" })),
        requestId: requestIdOf(out),
      };
    },
  };
}

/**
 * Athena's query API.
 * @see https://docs.aws.amazon.com/athena/latest/APIReference/API_StartQueryExecution.html
 * @see https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryExecution.html
 * @see https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html
 */
export function athenaPort(config: ClientConfig): AthenaPort {
  const client = new AthenaClient(clientOptions(config));
  return {
    async start(sql, database, workgroup) {
      // No ResultConfiguration: the workgroup enforces its own results location and key.
      const out = await call(() =>
        client.send(
          new StartQueryExecutionCommand({
            QueryString: sql,
            WorkGroup: workgroup,
            QueryExecutionContext: { Catalog: "AwsDataCatalog", Database: database },
          }),
        ),
      );
      return { queryExecutionId: out.QueryExecutionId ?? "", requestId: requestIdOf(out) };
    },
    async execution(queryExecutionId) {
      const out = await call(() => client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryExecutionId })));
      const q = out.QueryExecution;
      return {
        state: q?.Status?.State ?? "UNKNOWN",
        stateChangeReason: q?.Status?.StateChangeReason,
        dataScannedInBytes: q?.Statistics?.DataScannedInBytes,
        requestId: requestIdOf(out),
      };
    },
    async results(queryExecutionId) {
      const out = await call(() =>
        client.send(new GetAthenaQueryResultsCommand({ QueryExecutionId: queryExecutionId, MaxResults: 100 })),
      );
      return {
        columns: (out.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? ""),
        rows: (out.ResultSet?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue)),
        requestId: requestIdOf(out),
      };
    },
  };
}

export function iamPort(config: ClientConfig): IamPort {
  const client = new IAMClient(clientOptions(config));
  return {
    async simulate(input) {
      const out = await call(() =>
        client.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: input.policySourceArn,
            CallerArn: input.callerArn,
            ActionNames: [input.action],
            ResourceArns: [input.resourceArn],
            ResourcePolicy: input.resourcePolicy,
            ResourceOwner: input.resourceOwner,
            PolicyInputList: [...input.policyInputList],
            ContextEntries: Object.entries(input.context).map(([name, value]) => ({
              ContextKeyName: name,
              ContextKeyValues: [value],
              ContextKeyType: value === "true" || value === "false" ? "boolean" : "string",
            })),
          }),
        ),
      );
      const result = out.EvaluationResults?.[0];
      return {
        decision: (result?.EvalDecision ?? "implicitDeny") as EvalDecision,
        matched: (result?.MatchedStatements ?? []).map((m) => ({
          sourcePolicyId: m.SourcePolicyId,
          sourcePolicyType: m.SourcePolicyType,
        })),
        allowedByOrganizations: result?.OrganizationsDecisionDetail?.AllowedByOrganizations,
        allowedByPermissionsBoundary: result?.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary,
        details: { ...(result?.EvalDecisionDetails ?? {}) },
        requestId: requestIdOf(out),
      };
    },
  };
}

export function alarmsPort(config: ClientConfig): AlarmsPort {
  const client = new CloudWatchClient(clientOptions(config));
  return {
    async inAlarm(prefix) {
      const names: string[] = [];
      let token: string | undefined;
      let requestId: string | undefined;
      do {
        // Without AlarmTypes, DescribeAlarms returns metric alarms only, even where composite alarms exist.
        // @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
        const out = await call(() =>
          client.send(
            new DescribeAlarmsCommand({
              AlarmNamePrefix: prefix,
              StateValue: "ALARM",
              AlarmTypes: ["CompositeAlarm", "MetricAlarm"],
              NextToken: token,
            }),
          ),
        );
        requestId = requestIdOf(out);
        for (const a of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) names.push(a.AlarmName ?? "");
        token = out.NextToken;
      } while (token);
      return { names, requestId };
    },
  };
}

/**
 * Role credentials that renew themselves. AssumeRole's sessions last an hour
 * by default (at most the role's maximum session duration), while a run may
 * wait longer (a margin of up to 120 minutes, buffering up to 900 s, a
 * heartbeat interval of up to 60 minutes). An SDK client given a provider
 * calls it again when the credentials it holds are about to expire; the first
 * call returns the session already assumed (its request id is evidence), the
 * later ones assume the role again with the same parameters.
 * @see https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-aws-sdk-credential-providers/#fromtemporarycredentials
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
function renewing(first: Identity, via: ClientConfig, params: RoleParams): Credentials {
  const renew = fromTemporaryCredentials({ params, clientConfig: clientOptions(via) });
  let held: Identity | undefined = first;
  return async () => {
    const identity = held ?? (await renew());
    held = undefined;
    return identity;
  };
}

interface RoleParams {
  readonly RoleArn: string;
  readonly RoleSessionName: string;
  readonly ExternalId?: string;
  readonly DurationSeconds?: number;
}

async function assumeRole(via: ClientConfig, params: RoleParams) {
  const client = new STSClient(clientOptions(via));
  const out = await call(() => client.send(new AssumeRoleCommand({ ...params })));
  const c = out.Credentials;
  const identity: Identity = {
    accessKeyId: c?.AccessKeyId ?? "",
    secretAccessKey: c?.SecretAccessKey ?? "",
    sessionToken: c?.SessionToken,
    expiration: c?.Expiration,
  };
  return { out, credentials: renewing(identity, via, params) };
}

/**
 * sts:GetCallerIdentity: who the credentials are. It needs no permission, so
 * its failure means the credentials themselves (or the network) do not work.
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 */
export async function callerIdentity(
  config: ClientConfig,
): Promise<{ readonly arn: string; readonly account: string; readonly requestId?: string }> {
  const client = new STSClient(clientOptions(config));
  const out = await call(() => client.send(new GetCallerIdentityCommand({})));
  return { arn: out.Arn ?? "", account: out.Account ?? "", requestId: requestIdOf(out) };
}

/** Assumes roles from `config`'s identity; the reader's ports use the session's credentials, renewed as they expire. */
export function stsPort(config: ClientConfig, sessionName: string): StsPort {
  return {
    async assume(roleArn, externalId) {
      const { out, credentials } = await assumeRole(config, {
        RoleArn: roleArn,
        RoleSessionName: sessionName,
        ExternalId: externalId,
      });
      const assumed: ClientConfig = { ...config, profile: undefined, credentials };
      const ports: ReaderPorts = { s3: s3Port(assumed), sqs: sqsPort(assumed), athena: athenaPort(assumed) };
      return { assumedArn: out.AssumedRoleUser?.Arn ?? roleArn, requestId: requestIdOf(out), ports };
    },
  };
}

/** Credentials of a role assumed from the default chain (--archive-role, --source-role), renewed as they expire. */
export async function assumedConfig(base: ClientConfig, roleArn: string, sessionName: string): Promise<ClientConfig> {
  const { credentials } = await assumeRole(base, {
    RoleArn: roleArn,
    RoleSessionName: sessionName,
    DurationSeconds: 3600,
  });
  return { region: base.region, endpoint: base.endpoint, requestHandler: base.requestHandler, credentials };
}
