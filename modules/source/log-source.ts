/**
 * Everything one source account holds in one Region, as one construct. In
 * the per-account topology: its own Firehose writing cross-account into the
 * archive, with alarms. In the central topology: only the subscriptions and
 * their role, pointing at the organization's CloudWatch Logs destination in
 * the log-archive account. Either way: the heartbeat, GuardDuty findings and
 * VPC Flow Logs when asked. It takes its own props (no registry), so an
 * account factory of your own can drop it into the stack of a new account;
 * every archive name and ARN comes from `modules/naming`, so it plans without
 * the archive's state.
 */
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { TerraformStack, Token } from "cdktf";
import { LOG_SOURCE_DEFAULTS } from "./log-source-defaults";
import { formatSettingProblem, isAccountIdOrToken, namePrefixProblem, throwIfProblems } from "../constructs/validation";
import { logSourceRuleProblems } from "./source-rules";
import { oneOfProblems, regionProblems, requiredProblems, samePartitionProblems } from "../constructs/embed-checks";
import { COMPRESSION_FORMATS, DELIVERY_TOPOLOGIES, STREAM_ENCRYPTION, SUBSCRIPTION_MODES } from "../options/values";
import { Construct } from "constructs";
import { IamPropagationWait } from "../constructs/iam-propagation-wait";
import { ProtectedKey } from "../constructs/protected-key";
import { retire, under, type ProtectedChild } from "../constructs/retirement";
import { AlarmTopic } from "../monitoring/alarm-topic";
import { DeliveryAlarms } from "../monitoring/delivery-alarms";
import { TamperWatch, type TamperWatchRegion } from "../monitoring/tamper-watch";
import { DrainWait } from "../constructs/drain-wait";
import { globalEventsRegion, tamperBusNames, tamperWatchNames } from "../naming/tamper-names";
import {
  accountPolicyWatches,
  aliasWatches,
  deliveryStreamWatches,
  keyWatches,
  logGroupWatches,
  roleWatches,
  subscriptionFilterWatches,
  type TamperWatch as Watch,
} from "../policy/tamper-patterns";
import type { SourceEventLog, SourceSideContext } from "../sources/direct-source";
import { addDirectSourceParts, directSourceEventLogs } from "../sources/direct-sources";
import {
  archiveNames,
  centralNames,
  DEFAULT_NAME_PREFIX,
  guardDutyLogGroup,
  heartbeatLogGroup,
  sourceNames,
  type SourceNames,
} from "../naming/names";
import { pipelineLogGroups } from "../naming/pipeline-log-groups";
import type { DeliveryTopology, SubscriberProtocol } from "../options/values";
import { pipelineKeyPolicy, type EventLogTarget, type SourceContext } from "../policy/source-policies";
import { DeliveryStream, type FirehoseStreamSettings } from "./delivery-stream";
import { EventLog, EventLogPolicy, rateExpression } from "../constructs/event-log";
import { SubscriptionRole } from "./subscription-role";
import { Subscriptions, type SubscriptionSelection } from "./subscriptions";

/** @see https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html */

/** The default pause for IAM to propagate the subscription role. */
export const DEFAULT_IAM_PROPAGATION_SECONDS = 30;

/** Delivery alarms of the account's own stream. */
export interface SourceAlarmSettings {
  /** Endpoints subscribed to the alarm topic. */
  readonly subscribers: readonly { readonly protocol: SubscriberProtocol; readonly endpoint: string }[];
  /** Freshness alarms above the buffering interval plus this margin, in seconds. */
  readonly freshnessMarginSeconds: number;
  /** Minutes without an incoming record that mean the chain is broken (a silence alarm only with `heartbeat`). */
  readonly silenceMinutes: number;
}

/** The end-to-end heartbeat. */
export interface HeartbeatSettings {
  /** Minutes between heartbeats (1-60). @default 15 (in LogSource, LOG_SOURCE_DEFAULTS) */
  readonly intervalMinutes: number;
  /**
   * Retention of the heartbeat log group in the source account, in days (a CloudWatch Logs retention value).
   * @default 30 (in LogSource)
   */
  readonly retentionDays: number;
}

/**
 * Where the archive is: a LogArchive (whose account and Region are literals
 * when it is in another stack: a source stack never reads another stack's
 * state) or these values.
 */
export interface ArchiveReference {
  /** The log-archive account. */
  readonly accountId: string;
  /** Region of the archive bucket. */
  readonly region: string;
  /** The account that holds the archive key. @default - the log-archive account */
  readonly keyAccountId?: string;
  /** Prefix of the archive's physical names. @default "cwl-archive" */
  readonly namePrefix?: string;
}

export interface LogSourceProps {
  /**
   * The source account.
   * @default - the account of the enclosing stack's AWS provider (the `aws_caller_identity` data source, read when planning)
   */
  readonly accountId?: string;
  /**
   * The Region whose log groups are forwarded: the enclosing stack's
   * provider Region. A literal, not the provider's token: whether this stack
   * hosts the IAM role watch (us-east-1) and which log groups of a listed
   * selection exist here are decided when synthesising.
   */
  readonly region: string;
  /** The archive this source delivers to: names and ARNs there are derived from it, never read from its state. */
  readonly archive: ArchiveReference;
  /** Prefix of every physical name; must match the archive's. @default - the archive's prefix, "cwl-archive" */
  readonly namePrefix?: string;
  /**
   * perAccount: a Firehose here; central: subscriptions to the organization's destination.
   * @default "perAccount"
   */
  readonly delivery?: DeliveryTopology;
  /**
   * The stream's buffering, processing, compression and encryption (perAccount
   * only); each setting left out takes its default.
   * @default LOG_SOURCE_DEFAULTS.firehose: 5 MiB / 300 s buffering, GZIP, the full envelope, AWS-owned stream encryption, error log kept 365 days
   */
  readonly firehose?: Partial<FirehoseStreamSettings>;
  /**
   * Which log groups are forwarded; each setting left out takes its default.
   * @default LOG_SOURCE_DEFAULTS.subscription: mode "all" (every log group, present and future, but the pipeline's own), every event
   */
  readonly subscription?: Partial<SubscriptionSelection>;
  /**
   * Log groups the pipeline writes to in this account and Region, never
   * subscribed. The log-archive account adds the central stream's error log
   * group of this Region.
   * @default - this account's stream error log group
   */
  readonly pipelineLogGroups?: readonly string[];
  /**
   * Delivery alarms to a topic encrypted with the pipeline key (perAccount
   * only). Off by default, as in the registry: the archive's delivery watch
   * names silent sources from one place.
   * @default - no alarms
   */
  readonly alarms?: SourceAlarmSettings;
  /**
   * The end-to-end heartbeat (`false` for none); each setting left out takes its default.
   * @default LOG_SOURCE_DEFAULTS.heartbeat: every 15 minutes, kept 30 days
   */
  readonly heartbeat?: Partial<HeartbeatSettings> | false;
  /** Route GuardDuty findings through a subscribed log group. @default false */
  readonly guardDuty?: boolean;
  /** VPCs of this Region whose flow logs are created and delivered to vpc-flow-logs/. @default - none */
  readonly vpcFlowLogs?: readonly string[];
  /** Pause for IAM to propagate the subscription role before subscribing (0 turns it off). @default 30 */
  readonly iamPropagationSeconds?: number;
  /**
   * Tamper detection of this account and Region's pipeline: the subscription
   * (account policy or the pipeline's filters), the stream, the pipeline key,
   * the heartbeat's and GuardDuty's rules and log groups, and the detection
   * rules themselves, forwarded to the log-archive account's tamper bus
   * (`false` for none).
   * @default - on, to the archive's tamper bus, every watched call notifying, roles not watched from here
   */
  readonly tamper?: Partial<SourceTamperSettings> | false;
}

/**
 * Props that give every value (the registry's mapping): a part switched off
 * is `false`, never left out, since left out means its default.
 */
export type CompleteLogSourceProps = LogSourceProps & {
  readonly accountId: string;
  readonly delivery: DeliveryTopology;
  readonly firehose: FirehoseStreamSettings;
  readonly subscription: SubscriptionSelection;
  readonly heartbeat: HeartbeatSettings | false;
  readonly tamper: SourceTamperSettings | false;
};

/** LogSourceProps with every default filled in: what LogSource builds from. */
export interface ResolvedLogSourceProps {
  readonly accountId: string;
  readonly region: string;
  readonly archiveAccountId: string;
  readonly archiveKeyAccountId: string;
  readonly archiveRegion: string;
  readonly namePrefix: string;
  readonly delivery: DeliveryTopology;
  readonly firehose: FirehoseStreamSettings;
  readonly subscription: SubscriptionSelection;
  readonly pipelineLogGroups?: readonly string[];
  readonly alarms?: SourceAlarmSettings;
  readonly heartbeat?: HeartbeatSettings;
  readonly guardDuty: boolean;
  readonly vpcFlowLogs: readonly string[];
  readonly iamPropagationSeconds: number;
  readonly tamper?: SourceTamperSettings;
}

/** `props` with LOG_SOURCE_DEFAULTS filled in, the account being `accountId` when props leave it out. */
export function resolveLogSourceProps(props: LogSourceProps, accountId: string): ResolvedLogSourceProps {
  const d = LOG_SOURCE_DEFAULTS;
  const { archive } = props;
  const namePrefix = props.namePrefix ?? archive.namePrefix ?? DEFAULT_NAME_PREFIX;
  return {
    accountId: props.accountId ?? accountId,
    region: props.region,
    archiveAccountId: archive.accountId,
    archiveKeyAccountId: archive.keyAccountId ?? archive.accountId,
    archiveRegion: archive.region,
    namePrefix,
    delivery: props.delivery ?? d.delivery,
    firehose: { ...d.firehose, ...props.firehose },
    subscription: { ...d.subscription, ...props.subscription },
    pipelineLogGroups: props.pipelineLogGroups,
    alarms: props.alarms,
    heartbeat: props.heartbeat === false ? undefined : { ...d.heartbeat, ...props.heartbeat },
    guardDuty: props.guardDuty ?? false,
    vpcFlowLogs: props.vpcFlowLogs ?? [],
    iamPropagationSeconds: props.iamPropagationSeconds ?? d.iamPropagationSeconds,
    tamper:
      props.tamper === false
        ? undefined
        : { busArn: tamperBusNames(namePrefix, archive.accountId, archive.region).busArn, ...props.tamper },
  };
}

/** Tamper detection in a source account and Region. */
export interface SourceTamperSettings {
  /** ARN of the tamper bus in the log-archive account. @default - the archive's tamper bus */
  readonly busArn: string;
  /**
   * IAM role ARNs whose configuration calls do not notify (the role the
   * stacks are applied with). Destructive calls notify whoever the caller.
   * @default - none: every watched call notifies
   */
  readonly exemptRoleArns?: readonly string[];
  /**
   * This stack also watches the account's pipeline roles (subscription,
   * delivery and forwarding roles of every Region). IAM delivers its events in
   * us-east-1 only, so the rules are created there; exactly one stack of an
   * account must do this (see iamWatchHostRegion).
   * @default false
   */
  readonly watchRoles?: boolean;
}

export class LogSource extends Construct {
  /** What a LogSource may create that guards data: retired, never destroyed, when it is no longer generated. */
  static readonly PROTECTED_CHILDREN: readonly ProtectedChild[] = under("PipelineKey", ProtectedKey.PROTECTED_CHILDREN);
  /** Physical names of everything here. */
  readonly names: SourceNames;
  readonly key?: ProtectedKey;
  readonly delivery?: DeliveryStream;
  readonly subscriptionRole: SubscriptionRole;
  readonly subscriptions: Subscriptions;
  readonly heartbeat?: EventLog;
  /** The direct sources' EventBridge-to-CloudWatch-Logs routes here, by construct id (SourceEventLog.id). */
  readonly sourceEventLogs: Readonly<Record<string, EventLog>>;
  /** GuardDuty's route (modules/sources/guardduty/), when `guardDuty`: sourceEventLogs.GuardDuty. */
  readonly guardDuty?: EventLog;
  readonly alarmTopic?: AlarmTopic;
  readonly tamperWatch?: TamperWatch;
  private readonly accountId: string;
  private readonly region: string;
  /** The direct sources' event log groups and rules, for the tamper watches. */
  private readonly sourceLogGroups: readonly string[];
  private readonly sourceRules: readonly string[];

  constructor(scope: Construct, id: string, given: LogSourceProps) {
    super(scope, id);
    throwIfProblems("LogSource", this, embedProblems(given));
    const problems = archiveReferenceProblems(this, given.archive);
    throwIfProblems("LogSource", this, problems);
    const props = resolveLogSourceProps(given, given.accountId ?? new DataAwsCallerIdentity(this, "Account").accountId);
    problems.push(...logSourceProblems(props));
    throwIfProblems("LogSource", this, problems);
    const { accountId, region, alarms, heartbeat } = props;
    this.accountId = accountId;
    this.region = region;
    const prefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
    const archive = archiveNames({
      prefix,
      archiveAccountId: props.archiveAccountId,
      archiveRegion: props.archiveRegion,
    });
    const names = sourceNames(prefix, accountId, region);
    this.names = names;
    const central = props.delivery === "central";
    const context: SourceContext = {
      accountId,
      region,
      archiveRegion: props.archiveRegion,
      archiveAccountId: props.archiveAccountId,
      archiveKeyAccountId: props.archiveKeyAccountId ?? props.archiveAccountId,
      archiveBucketArn: archive.archiveBucketArn,
      names,
    };
    // Delivery alarms watch this account's stream: in the central topology the
    // stream and its alarms are in the log-archive account.
    const alarmsHere = alarms !== undefined && !central;

    // What the direct sources build here; their event logs share the heartbeat's resource policy and key.
    const sourceSide: SourceSideContext = {
      archiveBucketArn: archive.archiveBucketArn,
      vpcFlowLogs: props.vpcFlowLogs ?? [],
      guardDuty: props.guardDuty ?? false,
      names,
    };
    const sourceEventLogs: readonly SourceEventLog[] = directSourceEventLogs(sourceSide);
    const eventLogGroups = [
      ...(heartbeat ? [names.heartbeatLogGroupArn] : []),
      ...sourceEventLogs.map((log) => log.logGroupArn),
    ];
    if ((!central && props.firehose?.streamEncryption === "CUSTOMER_MANAGED_CMK") || alarmsHere) {
      // One key for everything in the account and Region that needs a customer key.
      this.key = new ProtectedKey(this, "PipelineKey", {
        description: "Encrypts the CloudWatch Logs archive pipeline of this account and Region",
        alias: names.pipelineKeyAlias,
        statements: pipelineKeyPolicy(context, {
          logGroupArns: [...(central ? [] : [names.errorLogGroupArn]), ...eventLogGroups],
          alarms: alarmsHere,
          stream: !central && props.firehose?.streamEncryption === "CUSTOMER_MANAGED_CMK",
        }),
      });
    }

    // Without a stream key or alarms here (AWS-owned stream encryption, the
    // delivery watch, the central topology), the key of earlier deployments
    // stays in AWS: its log groups' older events are encrypted with it.
    if (!this.key) retire(this, LogSource.PROTECTED_CHILDREN);

    this.subscriptionRole = new SubscriptionRole(this, "SubscriptionRole", { context, central });
    // Subscriptions start only once IAM has propagated the role: the first
    // apply must not need a retry.
    const iamPropagated = new IamPropagationWait(this, "SubscriptionRolePropagation", {
      seconds: props.iamPropagationSeconds ?? DEFAULT_IAM_PROPAGATION_SECONDS,
      after: [this.subscriptionRole.role, this.subscriptionRole.policy],
      triggers: { role: this.subscriptionRole.role.arn, policy: this.subscriptionRole.policy.policy },
    });
    let drain: DrainWait | undefined;
    if (!central) {
      this.delivery = new DeliveryStream(this, "Delivery", {
        context,
        settings: props.firehose!,
        key: this.key,
        dependsOn: [this.subscriptionRole.policy],
      });
      // Retiring the account destroys the subscriptions, then waits for the stream to flush, then deletes it.
      drain = new DrainWait(this, "Drain", {
        bufferingIntervalSeconds: props.firehose!.bufferingIntervalSeconds,
        phase: "stream",
        after: [this.delivery.stream],
      });
    }

    const targets: EventLogTarget[] = [
      ...(heartbeat
        ? [
            {
              sid: "HeartbeatRuleWritesHeartbeats",
              logGroupArn: names.heartbeatLogGroupArn,
              ruleArn: names.heartbeatRuleArn,
            },
          ]
        : []),
      ...sourceEventLogs.map(({ sid, logGroupArn, ruleArn }) => ({ sid, logGroupArn, ruleArn })),
    ];
    const built: Record<string, EventLog> = {};
    this.sourceEventLogs = built;
    if (targets.length > 0) {
      const policy = new EventLogPolicy(this, "EventLogPolicy", {
        policyName: names.eventLogPolicy,
        accountId,
        targets,
      });
      if (heartbeat) {
        this.heartbeat = new EventLog(this, "Heartbeat", {
          logGroupName: names.heartbeatLogGroup,
          logGroupArn: names.heartbeatLogGroupArn,
          retentionDays: heartbeat.retentionDays,
          kmsKeyArn: this.key?.arn,
          ruleName: names.heartbeatRule,
          description: "Heartbeat of the CloudWatch Logs archive pipeline",
          scheduleExpression: rateExpression(heartbeat.intervalMinutes),
          policy: policy.resource,
        });
      }
      for (const log of sourceEventLogs) {
        built[log.id] = new EventLog(this, log.id, {
          logGroupName: log.logGroupName,
          logGroupArn: log.logGroupArn,
          retentionDays: log.retentionDays,
          kmsKeyArn: this.key?.arn,
          ruleName: log.ruleName,
          description: log.description,
          eventPattern: log.eventPattern,
          policy: policy.resource,
        });
      }
    }
    this.guardDuty = built.GuardDuty;
    const sourceLogs = sourceEventLogs.map((log) => ({ log, built: built[log.id]! }));
    this.sourceLogGroups = sourceLogs.map(({ log }) => log.logGroupName);
    this.sourceRules = sourceLogs.map(({ log }) => log.ruleName);

    // The pipeline's own event log groups are subscribed in every mode.
    const own = [
      ...(this.heartbeat ? [{ name: names.heartbeatLogGroup, createdBy: this.heartbeat.logGroup }] : []),
      ...sourceLogs.map(({ log, built }) => ({ name: log.logGroupName, createdBy: built.logGroup })),
    ];
    const destination = central ? centralNames(prefix, props.archiveAccountId, region) : undefined;
    this.subscriptions = new Subscriptions(this, "Subscriptions", {
      region,
      pipelineLogGroups: props.pipelineLogGroups ?? pipelineLogGroups(prefix, accountId, region),
      settings: props.subscription,
      filterName: names.subscriptionFilter,
      accountPolicyName: names.accountPolicy,
      deliveryStreamArn: destination ? destination.destinationArn : names.deliveryStreamArn,
      roleArn: names.subscriptionRoleArn,
      dependsOn: [
        ...(this.delivery ? [this.delivery.stream] : []),
        ...(drain ? [drain.resource] : []),
        ...iamPropagated.dependables,
      ],
      ownLogGroups: own,
    });

    // What each direct source builds in a source account and Region (flow logs of listed VPCs, ...).
    addDirectSourceParts(this, sourceSide);

    if (props.tamper) {
      this.tamperWatch = new TamperWatch(this, "TamperWatch", {
        accountId,
        stackRegion: region,
        kind: "source",
        namePrefix: prefix,
        busArn: props.tamper.busArn,
        exemptRoleArns: props.tamper.exemptRoleArns,
        regions: this.tamperRegions(props, prefix, props.tamper.watchRoles ?? false),
      });
    }

    if (alarmsHere && this.key && this.delivery) {
      this.alarmTopic = new AlarmTopic(this, "AlarmTopic", {
        topicName: names.alarmTopic,
        topicArn: names.alarmTopicArn,
        scope: { accountId, region, alarmNamePrefix: names.alarmNamePrefix },
        kmsKeyArn: this.key.arn,
        subscribers: alarms.subscribers,
      });
      new DeliveryAlarms(this, "DeliveryAlarms", {
        streamName: names.deliveryStream,
        alarmNamePrefix: names.alarmNamePrefix,
        topicArn: this.alarmTopic.topic.arn,
        firehose: props.firehose!,
        alarms,
        // Without the heartbeat a quiet source is not a broken one: no silence alarm.
        heartbeatIntervalMinutes: heartbeat?.intervalMinutes,
      });
    }
  }

  /**
   * What tamper detection watches: in this Region the subscription (the
   * account policy by name and type, or the pipeline's filters by name), the
   * stream, the pipeline key and its alias, the heartbeat's and GuardDuty's
   * log groups and rules, and the stream's error log group; in us-east-1,
   * when `watchRoles`, the pipeline's roles of every Region of the account.
   */
  private tamperRegions(props: ResolvedLogSourceProps, prefix: string, watchRoles: boolean): TamperWatchRegion[] {
    const { names, region } = this;
    const logGroups = [
      ...(this.delivery ? [names.errorLogGroup] : []),
      ...(this.heartbeat ? [names.heartbeatLogGroup] : []),
      ...this.sourceLogGroups,
    ];
    // Firehose creates grants on a stream key itself: CreateGrant on it would notify at every one.
    const streamKey = props.delivery !== "central" && props.firehose?.streamEncryption === "CUSTOMER_MANAGED_CMK";
    const local: Watch[] = [
      ...(this.subscriptions.accountPolicy ? accountPolicyWatches(names.accountPolicy) : []),
      ...(this.subscriptions.filters.length > 0 ? subscriptionFilterWatches(names.subscriptionFilter) : []),
      ...logGroupWatches(logGroups),
      ...(this.delivery ? deliveryStreamWatches(names.deliveryStream) : []),
      ...(this.key
        ? [
            ...keyWatches([{ id: this.key.resource.keyId, grants: !streamKey }]),
            ...aliasWatches([names.pipelineKeyAlias]),
          ]
        : []),
    ];
    const otherRules = [...(this.heartbeat ? [names.heartbeatRule] : []), ...this.sourceRules];
    const roles = watchRoles
      ? roleWatches([
          regionalNamePrefix(names.subscriptionRole, region),
          ...(props.delivery === "central" ? [] : [regionalNamePrefix(names.deliveryRole, region)]),
          regionalNamePrefix(tamperWatchNames(prefix, this.accountId, "source", region).forwardRole, region),
        ])
      : [];
    const home = globalEventsRegion(region);
    if (region === home) return [{ region, watches: [...local, ...roles], otherRules }];
    return [
      { region, watches: local, otherRules },
      ...(watchRoles ? [{ region: home, remote: true, watches: roles }] : []),
    ];
  }
}

/** `name` without its trailing `-<region>`: the name of the same role in every Region. */
function regionalNamePrefix(name: string, region: string): string {
  if (!name.endsWith(`-${region}`)) throw new Error(`expected ${name} to end with -${region}`);
  return name.slice(0, name.length - region.length);
}

/**
 * A LogArchive of another stack named by tokens (the provider's account)
 * would make this stack read that stack's state: refused.
 */
/**
 * What the props must be before anything reads them (embed-checks.ts): the
 * required props, known Regions of the archive's partition, and the values
 * of the documented sets (a JavaScript caller's `mode: "Listed"` would
 * otherwise subscribe nothing), all in one throw.
 */
function embedProblems(given: LogSourceProps): string[] {
  const required = requiredProblems(given, ["region", "archive"]);
  if (required.length > 0) return required;
  const archiveRegion = (given.archive as { region?: unknown }).region;
  return [
    ...regionProblems("region", given.region),
    ...regionProblems("archive.region", archiveRegion),
    ...samePartitionProblems({ path: "archive.region", region: archiveRegion }, [
      { path: "region", region: given.region },
    ]),
    ...oneOfProblems("delivery", given.delivery, DELIVERY_TOPOLOGIES),
    ...oneOfProblems("subscription.mode", given.subscription?.mode, SUBSCRIPTION_MODES),
    ...oneOfProblems("firehose.compression", given.firehose?.compression, COMPRESSION_FORMATS),
    ...oneOfProblems("firehose.streamEncryption", given.firehose?.streamEncryption, STREAM_ENCRYPTION),
  ];
}

function archiveReferenceProblems(source: Construct, archive: ArchiveReference): string[] {
  const elsewhere = Construct.isConstruct(archive) && TerraformStack.of(archive) !== TerraformStack.of(source);
  return elsewhere && (Token.isUnresolved(archive.accountId) || Token.isUnresolved(archive.region))
    ? [
        "archive: expected a LogArchive with a literal accountId, or { accountId, region }: the archive is in another stack, whose state a source stack never reads",
      ]
    : [];
}

/** What LogSource checks itself; its parts check the settings they are given. */
function logSourceProblems(props: ResolvedLogSourceProps): string[] {
  const problems: string[] = [];
  const prefix = namePrefixProblem(props.namePrefix);
  if (prefix) problems.push(prefix);
  const accounts = [
    ["accountId", props.accountId],
    ["archive.accountId", props.archiveAccountId],
    // The key account defaults to the archive's: one problem, not two.
    [
      "archive.keyAccountId",
      props.archiveKeyAccountId === props.archiveAccountId ? undefined : props.archiveKeyAccountId,
    ],
  ] as const;
  for (const [prop, value] of accounts) {
    if (value !== undefined && !isAccountIdOrToken(value)) {
      problems.push(`${prop}: expected a 12-digit AWS account id, got ${JSON.stringify(value)}`);
    }
  }
  const logGroups = {
    region: props.region,
    pipeline: props.pipelineLogGroups ?? pipelineLogGroups(props.namePrefix, props.accountId, props.region),
    heartbeat: props.heartbeat ? heartbeatLogGroup(props.namePrefix) : undefined,
    guardDuty: props.guardDuty ? guardDutyLogGroup(props.namePrefix) : undefined,
  };
  problems.push(...logSourceRuleProblems({ ...props, logGroups }).map(formatSettingProblem));
  return problems;
}
