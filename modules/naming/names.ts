/**
 * Physical names and ARNs, derived from the registry alone. Every stack calls
 * these instead of referencing another stack, so each stack plans on its own
 * (DESIGN.md invariant "Independent stacks").
 */
import { arn } from "./arn";
import { partitionOf, type Partition } from "./partition";
import { DATA_ROOT } from "./key-layout";

/** The default prefix of every physical name. */
export const DEFAULT_NAME_PREFIX = "cwl-archive";

/** Organisation-wide inputs to naming. */
export interface NamingInputs {
  /** Prefix of every physical name (registry `naming.prefix`). */
  readonly prefix: string;
  /** The log-archive account id. */
  readonly archiveAccountId: string;
  /** Region of the archive bucket. */
  readonly archiveRegion: string;
  /** Region of the replica bucket, if replication is on. */
  readonly replicaRegion?: string;
}

/** Names of the resources in the log-archive account. */
export interface ArchiveNames {
  readonly archiveBucket: string;
  readonly archiveBucketArn: string;
  readonly replicaBucket?: string;
  readonly replicaBucketArn?: string;
  readonly accessLogBucket: (region: string) => string;
  readonly archiveKeyAlias: string;
  readonly replicaKeyAlias: string;
  readonly queueKeyAlias: string;
  readonly queue: string;
  readonly queueArn: string;
  readonly deadLetterQueue: string;
  readonly siemReaderRole: string;
  readonly siemReaderRoleArn: string;
  /** Replays, redrives and inspects dead letters; assumed by the log-archive account's administrators only. */
  readonly siemOperatorRole: string;
  readonly siemOperatorRoleArn: string;
  /** Microsoft Sentinel's role (siem.sentinel): the connector requires the `OIDC_` prefix. */
  readonly sentinelRole: string;
  readonly sentinelRoleArn: string;
  readonly replicationRole: string;
  readonly replicationRoleArn: string;
  /** Name pattern matching the Firehose delivery role of every source account and Region. */
  readonly deliveryRoleArnPattern: string;
  /** ARN pattern of every KMS key in the log-archive account's archive Region. */
  readonly archiveKeyArnPattern: string;
  readonly monitoringKeyAlias: string;
  readonly alarmTopic: string;
  readonly alarmTopicArn: string;
  /** Prefix of every alarm name of the archive, e.g. `cwl-archive-archive-`. */
  readonly alarmNamePrefix: string;
  readonly glueDatabase: string;
  /** The interactive workgroup (small scan cutoff). */
  readonly athenaWorkgroup: string;
  /** The workgroup for long hunts (larger scan cutoff). */
  readonly athenaHuntingWorkgroup: string;
  readonly athenaResultsBucket: string;
  readonly athenaKeyAlias: string;
  readonly analystRole: string;
  readonly analystRoleArn: string;
  /** The role that queries in the hunting workgroup (the analyst's queries in the interactive one). */
  readonly hunterRole: string;
  readonly hunterRoleArn: string;
}

/** Names of the resources in one source account and Region. */
export interface SourceNames {
  readonly deliveryStream: string;
  readonly deliveryStreamArn: string;
  readonly deliveryRole: string;
  readonly deliveryRoleArn: string;
  readonly subscriptionRole: string;
  readonly subscriptionRoleArn: string;
  /** Log group the delivery stream writes its own errors to: never subscribed. */
  readonly errorLogGroup: string;
  readonly errorLogStream: string;
  readonly errorLogGroupArn: string;
  readonly subscriptionFilter: string;
  readonly accountPolicy: string;
  /** Key of the stream (when customer-managed), its error log, the heartbeat log and the alarm topic. */
  readonly pipelineKeyAlias: string;
  readonly alarmTopic: string;
  readonly alarmTopicArn: string;
  /** Prefix of every alarm name in the account, e.g. `cwl-archive-delivery-`. */
  readonly alarmNamePrefix: string;
  readonly heartbeatLogGroup: string;
  readonly heartbeatLogGroupArn: string;
  readonly heartbeatRule: string;
  readonly heartbeatRuleArn: string;
  /** The account's CloudWatch Logs resource policy that lets the pipeline's EventBridge rules write. */
  readonly eventLogPolicy: string;
  readonly guardDutyLogGroup: string;
  readonly guardDutyLogGroupArn: string;
  readonly guardDutyRule: string;
  readonly guardDutyRuleArn: string;
}

export function s3BucketArn(bucket: string, partition: Partition): string {
  return arn({ partition, service: "s3", resource: bucket });
}

export function iamRoleArn(accountId: string, roleName: string, partition: Partition): string {
  return arn({ partition, service: "iam", account: accountId, resource: `role/${roleName}` });
}

/** `arn:<partition>:kms:<region>:<account>:alias/<name>`: names a key across accounts without knowing its id. */
export function kmsAliasArn(region: string, accountId: string, alias: string): string {
  return arn({ service: "kms", region, account: accountId, resource: alias });
}

export function accountRootArn(accountId: string, partition: Partition): string {
  return arn({ partition, service: "iam", account: accountId, resource: "root" });
}

export function archiveNames(inputs: NamingInputs): ArchiveNames {
  const { prefix, archiveAccountId: account, archiveRegion: region, replicaRegion } = inputs;
  const partition = partitionOf(region);
  const archiveBucket = `${prefix}-${account}-${region}`;
  const replicaBucket = replicaRegion ? `${prefix}-replica-${account}-${replicaRegion}` : undefined;
  const queue = `${prefix}-siem-notifications`;
  const siemReaderRole = `${prefix}-siem-reader`;
  const siemOperatorRole = `${prefix}-siem-operator`;
  const replicationRole = `${prefix}-replication`;
  return {
    archiveBucket,
    archiveBucketArn: s3BucketArn(archiveBucket, partition),
    replicaBucket,
    replicaBucketArn: replicaBucket ? s3BucketArn(replicaBucket, partition) : undefined,
    accessLogBucket: (bucketRegion: string) => `${prefix}-access-logs-${account}-${bucketRegion}`,
    archiveKeyAlias: `alias/${prefix}-archive`,
    replicaKeyAlias: `alias/${prefix}-replica`,
    queueKeyAlias: `alias/${prefix}-siem-queue`,
    queue,
    queueArn: arn({ service: "sqs", region, account, resource: queue }),
    deadLetterQueue: `${queue}-dlq`,
    siemReaderRole,
    siemReaderRoleArn: iamRoleArn(account, siemReaderRole, partition),
    siemOperatorRole,
    siemOperatorRoleArn: iamRoleArn(account, siemOperatorRole, partition),
    sentinelRole: `OIDC_${prefix}-sentinel`,
    sentinelRoleArn: iamRoleArn(account, `OIDC_${prefix}-sentinel`, partition),
    replicationRole,
    replicationRoleArn: iamRoleArn(account, replicationRole, partition),
    deliveryRoleArnPattern: arn({
      partition,
      service: "iam",
      account: `*`,
      resource: `role/${deliveryRolePrefix(prefix)}*`,
    }),
    archiveKeyArnPattern: arn({ service: "kms", region, account, resource: "key/*" }),
    monitoringKeyAlias: `alias/${prefix}-monitoring`,
    alarmTopic: `${prefix}-archive-alarms`,
    alarmTopicArn: arn({ service: "sns", region, account, resource: `${prefix}-archive-alarms` }),
    alarmNamePrefix: `${prefix}-archive-`,
    glueDatabase: `${prefix.replace(/-/g, "_")}_logs`,
    athenaWorkgroup: `${prefix}-logs`,
    athenaHuntingWorkgroup: `${prefix}-logs-hunting`,
    athenaResultsBucket: `${prefix}-athena-results-${account}-${region}`,
    athenaKeyAlias: `alias/${prefix}-athena`,
    analystRole: `${prefix}-log-analyst`,
    analystRoleArn: iamRoleArn(account, `${prefix}-log-analyst`, partition),
    hunterRole: `${prefix}-log-hunter`,
    hunterRoleArn: iamRoleArn(account, `${prefix}-log-hunter`, partition),
  };
}

function deliveryRolePrefix(prefix: string): string {
  return `${prefix}-firehose-`;
}

/**
 * @param partition - given when `region` is `*` (an SCP over every Region)
 * @default partition - the partition of `region`
 */
export function sourceNames(
  prefix: string,
  accountId: string,
  region: string,
  partition: Partition = partitionOf(region),
): SourceNames {
  const deliveryStream = `${prefix}-to-archive`;
  const deliveryRole = `${deliveryRolePrefix(prefix)}${region}`;
  const subscriptionRole = `${prefix}-cwl-${region}`;
  const errorLogGroup = `/aws/kinesisfirehose/${deliveryStream}`;
  return {
    deliveryStream,
    deliveryStreamArn: arn({
      partition,
      service: "firehose",
      region,
      account: accountId,
      resource: `deliverystream/${deliveryStream}`,
    }),
    deliveryRole,
    deliveryRoleArn: iamRoleArn(accountId, deliveryRole, partition),
    subscriptionRole,
    subscriptionRoleArn: iamRoleArn(accountId, subscriptionRole, partition),
    errorLogGroup,
    errorLogStream: "DestinationDelivery",
    errorLogGroupArn: arn({
      partition,
      service: "logs",
      region,
      account: accountId,
      resource: `log-group:${errorLogGroup}`,
    }),
    subscriptionFilter: `${prefix}-to-archive`,
    accountPolicy: `${prefix}-to-archive`,
    pipelineKeyAlias: `alias/${prefix}-pipeline`,
    alarmTopic: `${prefix}-delivery-alarms`,
    alarmTopicArn: arn({
      partition,
      service: "sns",
      region,
      account: accountId,
      resource: `${prefix}-delivery-alarms`,
    }),
    alarmNamePrefix: `${prefix}-delivery-`,
    heartbeatLogGroup: heartbeatLogGroup(prefix),
    heartbeatLogGroupArn: arn({
      partition,
      service: "logs",
      region,
      account: accountId,
      resource: `log-group:${heartbeatLogGroup(prefix)}`,
    }),
    heartbeatRule: `${prefix}-heartbeat`,
    heartbeatRuleArn: arn({
      partition,
      service: "events",
      region,
      account: accountId,
      resource: `rule/${prefix}-heartbeat`,
    }),
    eventLogPolicy: `${prefix}-event-logs`,
    guardDutyLogGroup: guardDutyLogGroup(prefix),
    guardDutyLogGroupArn: arn({
      partition,
      service: "logs",
      region,
      account: accountId,
      resource: `log-group:${guardDutyLogGroup(prefix)}`,
    }),
    guardDutyRule: `${prefix}-guardduty-findings`,
    guardDutyRuleArn: arn({
      partition,
      service: "events",
      region,
      account: accountId,
      resource: `rule/${prefix}-guardduty-findings`,
    }),
  };
}

/**
 * The heartbeat log group: written by EventBridge, not by the pipeline, so it
 * is subscribed like any other log group (its arrival in the archive proves
 * the whole chain works).
 */
export function heartbeatLogGroup(prefix: string): string {
  return `/${prefix}/heartbeat`;
}

/** Names of the organization trail (in the management account). */
export function trailNames(prefix: string, managementAccountId: string, homeRegion: string, trailName?: string) {
  const name = trailName ?? `${prefix}-organization`;
  return {
    name,
    arn: arn({ service: "cloudtrail", region: homeRegion, account: managementAccountId, resource: `trail/${name}` }),
  };
}

/** The GuardDuty findings log group in a source account. */
export function guardDutyLogGroup(prefix: string): string {
  return `/${prefix}/guardduty`;
}

/** Names of the central-destination topology in the log-archive account, per source Region. */
export function centralNames(prefix: string, archiveAccountId: string, region: string) {
  const destination = `${prefix}-central`;
  const stream = `${prefix}-central-${region}`;
  return {
    destination,
    destinationArn: arn({
      service: "logs",
      region,
      account: archiveAccountId,
      resource: `destination:${destination}`,
    }),
    deliveryStream: stream,
    deliveryStreamArn: arn({
      service: "firehose",
      region,
      account: archiveAccountId,
      resource: `deliverystream/${stream}`,
    }),
    kinesisStream: stream,
    kinesisStreamArn: arn({
      service: "kinesis",
      region,
      account: archiveAccountId,
      resource: `stream/${stream}`,
    }),
    destinationRole: `${prefix}-central-destination-${region}`,
    firehoseRole: `${prefix}-central-firehose-${region}`,
    errorLogGroup: `/aws/kinesisfirehose/${stream}`,
    errorLogGroupArn: arn({
      service: "logs",
      region,
      account: archiveAccountId,
      resource: `log-group:/aws/kinesisfirehose/${stream}`,
    }),
  };
}

/**
 * Where cdktf writes each stack's folder (`cdktf.out/stacks/<stack>`): the
 * working directory of its Atlantis project and Terraform Cloud workspace.
 */
export const STACKS_DIR = "cdktf.out/stacks";

/** Stack names: DESIGN.md contract 3. */
export const ARCHIVE_STACK = "log-archive";
/** The archive's keys, in the key-management account (when the registry has a keys section). */
export const KEYS_STACK = "log-keys";
/** The organization trail's stack, in the management account (when sources.cloudTrail.createTrail). */
export const TRAIL_STACK = "log-organization-trail";
/** The organization guardrails' stack, in the management account (when guardrails.enabled). */
export const GUARDRAILS_STACK = "log-guardrails";
export function sourceStackName(accountId: string, region: string): string {
  return `log-source-${accountId}-${region}`;
}

/** Names of the delivery watch in the log-archive account. */
export interface DeliveryWatchNames {
  /** Under /aws/events/, where the EventBridge console lists log groups it may target. */
  readonly eventLogGroup: string;
  readonly eventLogGroupArn: string;
  readonly objectsRule: string;
  readonly objectsRuleArn: string;
  readonly scheduleRule: string;
  readonly scheduleRuleArn: string;
  readonly function: string;
  readonly functionArn: string;
  readonly functionLogGroup: string;
  readonly functionLogGroupArn: string;
  readonly role: string;
  readonly roleArn: string;
  /** SSM path of the expected sources; parameters `<path>/000`, `<path>/001`, ... */
  readonly sourcesPath: string;
  readonly eventLogPolicy: string;
}

export function deliveryWatchNames(prefix: string, accountId: string, region: string): DeliveryWatchNames {
  const partition = partitionOf(region);
  const name = `${prefix}-delivery-watch`;
  const logGroupArn = (group: string) =>
    arn({ service: "logs", region, account: accountId, resource: `log-group:${group}` });
  const ruleArn = (rule: string) => arn({ service: "events", region, account: accountId, resource: `rule/${rule}` });
  const eventLogGroup = `/aws/events/${name}`;
  const functionLogGroup = `/aws/lambda/${name}`;
  return {
    eventLogGroup,
    eventLogGroupArn: logGroupArn(eventLogGroup),
    objectsRule: `${name}-objects`,
    objectsRuleArn: ruleArn(`${name}-objects`),
    scheduleRule: `${name}-schedule`,
    scheduleRuleArn: ruleArn(`${name}-schedule`),
    function: name,
    functionArn: arn({ service: "lambda", region, account: accountId, resource: `function:${name}` }),
    functionLogGroup,
    functionLogGroupArn: logGroupArn(functionLogGroup),
    role: name,
    roleArn: iamRoleArn(accountId, name, partition),
    sourcesPath: `/${prefix}/delivery-watch/sources`,
    eventLogPolicy: `${name}-events`,
  };
}

/** Names of search delivery in the log-archive account's Region. */
export interface SearchNames {
  readonly stream: string;
  readonly streamArn: string;
  /** The Direct PUT stream the transform re-ingests what does not fit a response into. */
  readonly overflowStream: string;
  readonly overflowStreamArn: string;
  readonly role: string;
  readonly roleArn: string;
  readonly function: string;
  readonly functionArn: string;
  readonly functionRole: string;
  readonly functionLogGroup: string;
  readonly functionLogGroupArn: string;
  readonly errorLogGroup: string;
  readonly errorLogGroupArn: string;
}

export function searchNames(prefix: string, accountId: string, region: string): SearchNames {
  const partition = partitionOf(region);
  const name = `${prefix}-search`;
  const logGroupArn = (group: string) =>
    arn({ service: "logs", region, account: accountId, resource: `log-group:${group}` });
  return {
    stream: name,
    streamArn: arn({ service: "firehose", region, account: accountId, resource: `deliverystream/${name}` }),
    overflowStream: `${name}-overflow`,
    overflowStreamArn: arn({
      service: "firehose",
      region,
      account: accountId,
      resource: `deliverystream/${name}-overflow`,
    }),
    role: `${name}-delivery`,
    roleArn: iamRoleArn(accountId, `${name}-delivery`, partition),
    function: `${name}-transform`,
    functionArn: arn({ service: "lambda", region, account: accountId, resource: `function:${name}-transform` }),
    functionRole: `${name}-transform`,
    functionLogGroup: `/aws/lambda/${name}-transform`,
    functionLogGroupArn: logGroupArn(`/aws/lambda/${name}-transform`),
    errorLogGroup: `/aws/kinesisfirehose/${name}`,
    errorLogGroupArn: logGroupArn(`/aws/kinesisfirehose/${name}`),
  };
}

/**
 * Names of the organization guardrails (AWS Organizations policies in the
 * management account). Policy names are unique per organization and type;
 * `n` counts from 1 when the statements need more than one policy.
 */
export function guardrailNames(prefix: string) {
  return {
    serviceControlPolicy: (n: number) => `${prefix}-guardrails-scp-${n}`,
    resourceControlPolicy: (n: number) => `${prefix}-guardrails-rcp-${n}`,
  };
}

/**
 * Suffix of an announced root's own queue (`siem.queues: perPrefix`):
 * `""` for the data prefix, which keeps the queue it always had, else the
 * root without its slash (`cloudtrail/` -> `cloudtrail`).
 */
export function siemQueueSuffix(root: string): string {
  return root === DATA_ROOT ? "" : root.replace(/\/$/, "");
}

/** Name of the queue that announces `root` with `perPrefix`: `<queue>` or `<queue>-<suffix>`. */
export function siemQueueName(baseQueue: string, root: string): string {
  const suffix = siemQueueSuffix(root);
  return suffix === "" ? baseQueue : `${baseQueue}-${suffix}`;
}
