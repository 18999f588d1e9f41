/**
 * What the verification needs from AWS, one small port per service and
 * account, so that every check is a pure function of recorded responses in
 * tests (__tests__/verify/) and of AWS SDK v3 clients in `aws-ports.ts`.
 */

/** An AWS error as the SDK reports it: its code (`AccessDenied`), message and request id. */
export class AwsCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(`${code}: ${message}`);
    this.name = "AwsCallError";
  }
}

/** Error codes AWS returns for a refused authorisation, by service. */
const ACCESS_DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "AuthorizationError",
  "AuthorizationErrorException",
  "KMS.AccessDeniedException",
]);

export function isAccessDenied(error: unknown): error is AwsCallError {
  return error instanceof AwsCallError && ACCESS_DENIED.has(error.code);
}

export interface StoredObject {
  readonly key: string;
  readonly lastModified: Date;
  readonly size: number;
}

export interface ObjectHead {
  readonly requestId?: string;
  readonly serverSideEncryption?: string;
  readonly kmsKeyId?: string;
  readonly bucketKeyEnabled?: boolean;
  readonly replicationStatus?: string;
}

export interface S3Port {
  list(
    bucket: string,
    prefix: string,
  ): Promise<{ readonly objects: readonly StoredObject[]; readonly requestId?: string }>;
  get(bucket: string, key: string): Promise<ObjectHead & { readonly body: Uint8Array }>;
  head(bucket: string, key: string): Promise<ObjectHead>;
  /** PutObject with the given encryption; the body is the run's marker text. */
  put(
    bucket: string,
    key: string,
    body: string,
    encryption: { readonly algorithm: "AES256" | "aws:kms"; readonly kmsKeyId?: string },
  ): Promise<{ readonly requestId?: string; readonly versionId?: string }>;
  deleteVersion(bucket: string, key: string, versionId?: string): Promise<{ readonly requestId?: string }>;
  bucketPolicy(bucket: string): Promise<{ readonly policy: string; readonly requestId?: string }>;
  /** The default encryption key of a bucket (GetBucketEncryption), if SSE-KMS. */
  bucketKey(bucket: string): Promise<{ readonly kmsKeyId?: string; readonly requestId?: string }>;
}

export interface LogsPort {
  createLogGroup(name: string): Promise<{ readonly requestId?: string }>;
  /** Creates the stream and puts the events (timestamps in ms). */
  putEvents(
    group: string,
    stream: string,
    events: readonly { readonly timestamp: number; readonly message: string }[],
  ): Promise<{ readonly requestId?: string }>;
  deleteLogGroup(name: string): Promise<{ readonly requestId?: string }>;
  /** Runs a Logs Insights query to completion and returns its rows. */
  query(
    group: string,
    queryString: string,
    startSeconds: number,
    endSeconds: number,
  ): Promise<{
    readonly rows: readonly (readonly { readonly field?: string; readonly value?: string }[])[];
    readonly queryId?: string;
  }>;
}

export interface QueueMessage {
  readonly messageId: string;
  readonly body: string;
}

/** What GetQueueAttributes says of the queue before verify receives anything from it. */
export interface QueueState {
  /** ApproximateNumberOfMessages: the messages available for retrieval. */
  readonly approximateMessages: number;
  /** The RedrivePolicy's maxReceiveCount, when the queue has a dead-letter queue. */
  readonly maxReceiveCount?: number;
  readonly requestId?: string;
}

export interface SqsPort {
  queueUrl(name: string, ownerAccountId: string): Promise<string>;
  /** GetQueueAttributes: ApproximateNumberOfMessages and RedrivePolicy. */
  attributes(queueUrl: string): Promise<QueueState>;
  /**
   * ReceiveMessage with a visibility timeout of 0: the messages stay visible
   * for the SIEM, but each receive still counts towards their maxReceiveCount.
   */
  peek(queueUrl: string): Promise<{ readonly messages: readonly QueueMessage[]; readonly requestId?: string }>;
}

export interface SimulationInput {
  readonly policySourceArn: string;
  readonly callerArn: string;
  readonly action: string;
  readonly resourceArn: string;
  readonly resourcePolicy: string;
  readonly resourceOwner: string;
  readonly context: Readonly<Record<string, string>>;
  /** Identity policies added to the principal's own (PolicyInputList), as JSON documents. */
  readonly policyInputList: readonly string[];
}

export type EvalDecision = "allowed" | "explicitDeny" | "implicitDeny";

/** One simulation's answer, with what IAM says decided it. */
export interface Simulation {
  readonly decision: EvalDecision;
  /** MatchedStatements: the policies whose statements decided (`resource` is the resource policy). */
  readonly matched: readonly { readonly sourcePolicyId?: string; readonly sourcePolicyType?: string }[];
  /** OrganizationsDecisionDetail.AllowedByOrganizations: false when an SCP refused. */
  readonly allowedByOrganizations?: boolean;
  /** PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary. */
  readonly allowedByPermissionsBoundary?: boolean;
  /** EvalDecisionDetails of a cross-account simulation: each policy type's part in the decision. */
  readonly details: Readonly<Record<string, string>>;
  readonly requestId?: string;
}

export interface IamPort {
  /** SimulatePrincipalPolicy for one action on one resource. */
  simulate(input: SimulationInput): Promise<Simulation>;
}

export interface AlarmsPort {
  /** Alarms whose name starts with the prefix and whose state is ALARM. */
  inAlarm(prefix: string): Promise<{ readonly names: readonly string[]; readonly requestId?: string }>;
}

export interface StsPort {
  /** AssumeRole; returns the ports of the assumed role and the evidence. */
  assume(
    roleArn: string,
    externalId: string | undefined,
  ): Promise<{ readonly assumedArn: string; readonly requestId?: string; readonly ports: ReaderPorts }>;
}

/** The log-archive account's credentials (an administrator of the sandbox). */
export interface ArchivePorts {
  readonly s3: S3Port;
  readonly logs: LogsPort;
  readonly alarms: AlarmsPort;
  /** From which the SIEM reader role is assumed, unless --reader-profile/--reader-role names another principal. */
  readonly sts: StsPort;
}

/** One source account's credentials. */
export interface SourcePorts {
  readonly s3: S3Port;
  readonly logs: LogsPort;
  readonly iam: IamPort;
  readonly alarms: AlarmsPort;
}

/** A query's state as GetQueryExecution reports it. */
export interface QueryExecution {
  /** QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED. */
  readonly state: string;
  /** Why it failed or was cancelled (Status.StateChangeReason). */
  readonly stateChangeReason?: string;
  /** Statistics.DataScannedInBytes. */
  readonly dataScannedInBytes?: number;
  readonly requestId?: string;
}

export interface AthenaPort {
  /** StartQueryExecution in a workgroup (which sets where results go), with the database as context. */
  start(
    sql: string,
    database: string,
    workgroup: string,
  ): Promise<{ readonly queryExecutionId: string; readonly requestId?: string }>;
  /** GetQueryExecution. */
  execution(queryExecutionId: string): Promise<QueryExecution>;
  /**
   * GetQueryResults, first page: the column names (ResultSetMetadata) and
   * the rows' values as Athena returns them (for a SELECT, the first row
   * repeats the column names; a NULL has no VarCharValue).
   */
  results(queryExecutionId: string): Promise<{
    readonly columns: readonly string[];
    readonly rows: readonly (readonly (string | undefined)[])[];
    readonly requestId?: string;
  }>;
}

/** A role of the log-archive account assumed by the run: the SIEM reader (with its ExternalId) or the log analyst. */
export interface ReaderPorts {
  readonly s3: S3Port;
  readonly sqs: SqsPort;
  readonly athena: AthenaPort;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface VerifyPorts {
  readonly archive: ArchivePorts;
  readonly source: SourcePorts;
  /** Who assumes the reader role: the archive credentials by default. */
  readonly readerVia: StsPort;
  /** Who assumes the log-analyst role: the archive credentials by default. */
  readonly analystVia: StsPort;
  readonly clock: Clock;
}
