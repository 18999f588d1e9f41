/**
 * The delivery watch: monitoring of every source account and Region from the
 * log-archive account, at a fixed cost of cents per source instead of a key
 * and four alarms in each (README, "Monitoring").
 *
 * S3 sends the archive bucket's events to EventBridge; a rule copies the
 * `Object Created` events of the CloudWatch Logs data and error roots (and of
 * search delivery's failure root, when `reportSearchErrors`) into a log group; every `intervalMinutes` a function queries that log group with
 * Logs Insights and publishes to the archive's alarm topic, naming each
 * source that fell silent or whose records fail, and each source marked as
 * always writing logs (`expectsLogs`) whose objects held nothing but the
 * heartbeat for `heartbeatOnlyHours` (see delivery-watch/evaluate.ts for the
 * rules, delivery-watch/heartbeat-bound.ts for the size of such objects).
 * Two alarms watch the watch: its runs fail, or it stopped running.
 */
import { servicePrincipal } from "../naming/partition";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { AssetType, TerraformAsset, Token } from "cdktf";
import { Construct } from "constructs";
import { packageFile } from "../constructs/lambda-package";
import {
  formatSettingProblem,
  isAccountIdOrToken,
  logRetentionProblem,
  rangeProblem,
  throwIfProblems,
} from "../constructs/validation";
import { LOG_ARCHIVE_RANGES } from "../archive/archive-rules";
import { DATA_ROOT, ERROR_ROOT, SEARCH_ERROR_ROOT } from "../naming/key-layout";
import { deliveryWatchNames, type DeliveryWatchNames } from "../naming/names";
import { policyDocument, toPolicyJson } from "../policy/document";
import { watchRolePolicy, watchRoleTrust } from "../policy/watch-policies";
import { EventLog, EventLogPolicy, rateExpression } from "../constructs/event-log";
import { addAlarm } from "./alarm";
import { encodeSources, sourcesDescription, type ExpectedSource } from "./delivery-watch/evaluate";
import { HANDLER_ZIP_BASE64, HANDLER_ZIP_SHA256 } from "./delivery-watch/handler-zip";
import {
  heartbeatObjectMaxBytes,
  objectFormatProblems,
  WORST_CASE_OBJECT_FORMAT,
  type SourceObjectFormat,
} from "./delivery-watch/heartbeat-bound";

export type { ExpectedSource } from "./delivery-watch/evaluate";
export type { SourceObjectFormat } from "./delivery-watch/heartbeat-bound";

/** A source account and Region the archive expects objects from. */
export interface DeliveryWatchSource {
  readonly accountId: string;
  readonly region: string;
  /**
   * The source always writes logs besides the heartbeat: it is reported as
   * heartbeat only when, for `heartbeatOnlyHours`, none of its objects was
   * larger than its heartbeats alone make (its subscription narrowed to the
   * heartbeat log group, everything else dark). Needs `heartbeatIntervalMinutes`.
   * @default false
   */
  readonly expectsLogs?: boolean;
  /**
   * How the source's objects are written (its stream's buffering interval,
   * compression and message extraction, or the central stream's): with the
   * heartbeat interval, the most bytes an object of heartbeats alone takes.
   * Read only with `expectsLogs`.
   * @default - WORST_CASE_OBJECT_FORMAT (900 s, uncompressed envelopes): the largest such objects any stream writes, so never too small a bound, but small objects of real logs count as heartbeats
   */
  readonly delivery?: SourceObjectFormat;
}

export interface DeliveryWatchProps {
  /** The log-archive account and Region (those of the archive bucket). */
  readonly accountId: string;
  readonly region: string;
  /** Prefix of every physical name. */
  readonly namePrefix: string;
  /** Prefix of the watch's own alarms, e.g. `cwl-archive-archive-`. */
  readonly alarmNamePrefix: string;
  /** The archive bucket whose objects are watched. */
  readonly bucketName: string;
  /** The alarm topic the watch publishes to, encrypted with `monitoringKeyArn`. */
  readonly topicArn: string;
  readonly monitoringKeyArn: string;
  /** Every source account and Region the archive expects objects from (at least one). */
  readonly sources: readonly DeliveryWatchSource[];
  /**
   * Minutes without a data object that make a source silent; meaningful only
   * while the heartbeat writes (it must exceed the heartbeat interval plus the
   * buffering interval).
   * @default - silence is not detected, only failing records
   */
  readonly silenceMinutes?: number;
  /**
   * Minutes between the sources' heartbeats (1-60): with each source's
   * `delivery`, how many heartbeats one object can hold. Needed by sources
   * that `expectsLogs`.
   * @default - no heartbeat: no source may be marked `expectsLogs`
   */
  readonly heartbeatIntervalMinutes?: number;
  /**
   * Hours during which a source marked `expectsLogs` may deliver objects of
   * heartbeat size only before it is reported as heartbeat only: longer than
   * the quietest stretch of its real logs. At most the retention of the
   * copied S3 events, less one run interval.
   * @default 6
   */
  readonly heartbeatOnlyHours?: number;
  /** Minutes between runs (1-60). @default 5 */
  readonly intervalMinutes?: number;
  /** Hours between reminders while problems persist (1-168). @default 6 */
  readonly reminderHours?: number;
  /** Retention of the copied S3 events, in days; they serve only the last runs (over heartbeatOnlyHours). @default 3 */
  readonly eventRetentionDays?: number;
  /** Retention of the function's own log, in days. @default 30 */
  readonly functionLogRetentionDays?: number;
  /**
   * Search delivery runs in this account and Region: the documents it fails
   * to index, which it writes under `search-errors/region=<region>/` of the
   * archive bucket, are reported on the topic as search delivery failures.
   * @default false
   */
  readonly reportSearchErrors?: boolean;
}

export const DELIVERY_WATCH_DEFAULTS = {
  intervalMinutes: 5,
  reminderHours: 6,
  heartbeatOnlyHours: 6,
  eventRetentionDays: 3,
  functionLogRetentionDays: 30,
} as const;

/** Lambda's limit is 900 s; a run takes seconds (one query per Region), so 300 s leaves room for slow queries. */
const FUNCTION_TIMEOUT_SECONDS = 300;

export class DeliveryWatch extends Construct {
  readonly names: DeliveryWatchNames;
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly eventLog: EventLog;
  readonly sourceParameters: SsmParameter[];

  constructor(scope: Construct, id: string, props: DeliveryWatchProps) {
    super(scope, id);
    const interval = props.intervalMinutes ?? DELIVERY_WATCH_DEFAULTS.intervalMinutes;
    const reminder = props.reminderHours ?? DELIVERY_WATCH_DEFAULTS.reminderHours;
    const eventRetention = props.eventRetentionDays ?? DELIVERY_WATCH_DEFAULTS.eventRetentionDays;
    const functionRetention = props.functionLogRetentionDays ?? DELIVERY_WATCH_DEFAULTS.functionLogRetentionDays;
    const heartbeatOnlyHours = props.heartbeatOnlyHours ?? DELIVERY_WATCH_DEFAULTS.heartbeatOnlyHours;
    const problems = deliveryWatchProblems(props, {
      interval,
      reminder,
      eventRetention,
      functionRetention,
      heartbeatOnlyHours,
    });
    throwIfProblems("DeliveryWatch", this, problems);

    const { accountId, region } = props;
    const names = deliveryWatchNames(props.namePrefix, accountId, region);
    this.names = names;

    const eventPolicy = new EventLogPolicy(this, "EventPolicy", {
      policyName: names.eventLogPolicy,
      accountId,
      targets: [{ sid: "ObjectEventsToWatchLog", logGroupArn: names.eventLogGroupArn, ruleArn: names.objectsRuleArn }],
    });
    this.eventLog = new EventLog(this, "ObjectEvents", {
      logGroupName: names.eventLogGroup,
      logGroupArn: names.eventLogGroupArn,
      retentionDays: eventRetention,
      kmsKeyArn: props.monitoringKeyArn,
      ruleName: names.objectsRule,
      description: "Copies the archive's new CloudWatch Logs objects (data and errors) for the delivery watch",
      eventPattern: objectEventPattern(props.bucketName, { searchErrors: props.reportSearchErrors ?? false }),
      policy: eventPolicy.resource,
    });

    const expected = expectedSources(props.sources, props.heartbeatIntervalMinutes);
    const heartbeatOnly = expected.some((s) => s.heartbeatMaxBytes !== undefined);
    this.sourceParameters = encodeSources(expected).map(
      (value, i) =>
        new SsmParameter(this, `Sources${String(i).padStart(3, "0")}`, {
          name: `${names.sourcesPath}/${String(i).padStart(3, "0")}`,
          description: sourcesDescription(value),
          type: "String",
          tier: "Standard",
          value,
        }),
    );

    const functionLog = new CloudwatchLogGroup(this, "FunctionLogGroup", {
      name: names.functionLogGroup,
      retentionInDays: functionRetention,
      kmsKeyId: props.monitoringKeyArn,
    });
    this.role = new IamRole(this, "Role", {
      name: names.role,
      description: "The delivery watch: queries the archive's object events, publishes to the alarm topic",
      assumeRolePolicy: toPolicyJson(policyDocument(watchRoleTrust())),
    });
    const rolePolicy = new IamRolePolicy(this, "RolePolicy", {
      name: "watch-deliveries",
      role: this.role.name,
      policy: toPolicyJson(
        policyDocument(watchRolePolicy({ accountId, region, names, topicArn: props.topicArn }, props.monitoringKeyArn)),
      ),
    });

    const code = new TerraformAsset(this, "Code", {
      path: packageFile("delivery-watch", HANDLER_ZIP_BASE64),
      type: AssetType.FILE,
      assetHash: HANDLER_ZIP_SHA256.replace(/[^A-Za-z0-9]/g, ""),
    });
    this.function = new LambdaFunction(this, "Function", {
      functionName: names.function,
      description: "Names the source accounts and Regions whose CloudWatch Logs stopped reaching the archive",
      role: this.role.arn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: code.path,
      sourceCodeHash: HANDLER_ZIP_SHA256,
      memorySize: 256,
      timeout: FUNCTION_TIMEOUT_SECONDS,
      // No reserved concurrency: accounts with a reduced Lambda quota cannot reserve any, and
      // runs last seconds every few minutes, so they do not overlap in practice (an overlap
      // would only repeat a notification).
      tracingConfig: { mode: "Active" },
      loggingConfig: { logFormat: "Text", logGroup: functionLog.name },
      environment: {
        variables: {
          EVENT_LOG_GROUP: names.eventLogGroup,
          ALARM_TOPIC_ARN: props.topicArn,
          SOURCES_PATH: names.sourcesPath,
          NAME_PREFIX: props.namePrefix,
          ARCHIVE_BUCKET: props.bucketName,
          ARCHIVE_ACCOUNT_ID: accountId,
          SILENCE_MINUTES: String(props.silenceMinutes ?? 0),
          INTERVAL_MINUTES: String(interval),
          REMINDER_HOURS: String(reminder),
          // Only when search delivery is configured: an unchanged function otherwise.
          ...(props.reportSearchErrors ? { SEARCH_REGION: region } : {}),
          // Only when a source always writes logs, likewise.
          ...(heartbeatOnly ? { HEARTBEAT_ONLY_HOURS: String(heartbeatOnlyHours) } : {}),
        },
      },
      dependsOn: [functionLog, rolePolicy, ...this.sourceParameters],
    });

    const schedule = new CloudwatchEventRule(this, "Schedule", {
      name: names.scheduleRule,
      description: "Runs the delivery watch",
      scheduleExpression: rateExpression(interval),
    });
    const permission = new LambdaPermission(this, "SchedulePermission", {
      statementId: "ScheduleRunsTheWatch",
      action: "lambda:InvokeFunction",
      functionName: this.function.functionName,
      principal: servicePrincipal("events"),
      // The rule's ARN names this account: AWS documents this grant with SourceArn alone.
      // @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-lambda-permissions
      sourceArn: names.scheduleRuleArn,
    });
    new CloudwatchEventTarget(this, "ScheduleTarget", {
      rule: schedule.name,
      targetId: "delivery-watch",
      arn: this.function.arn,
      dependsOn: [permission],
    });

    const dimensions = { FunctionName: names.function };
    addAlarm(
      this,
      {
        id: "RunsFail",
        name: `${props.alarmNamePrefix}delivery-watch-fails`,
        description:
          "Two runs of the delivery watch in a row failed: sources are not being checked. See the function's log.",
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions,
        statistic: "Sum",
        comparison: "GreaterThanThreshold",
        threshold: 0,
        period: interval * 60,
        evaluationPeriods: 2,
        treatMissingData: "notBreaching",
      },
      props.topicArn,
    );
    addAlarm(
      this,
      {
        id: "NotRunning",
        name: `${props.alarmNamePrefix}delivery-watch-not-running`,
        description:
          "The delivery watch was not invoked for three intervals: its schedule, its permission or its role is broken.",
        namespace: "AWS/Lambda",
        metricName: "Invocations",
        dimensions,
        statistic: "Sum",
        comparison: "LessThanThreshold",
        threshold: 1,
        period: interval * 60,
        evaluationPeriods: 3,
        treatMissingData: "breaching",
      },
      props.topicArn,
    );
  }
}

/**
 * The S3 events the watch reads: new objects under the CloudWatch Logs data
 * and error roots of the archive bucket, and under search delivery's failure
 * root when it is reported. S3 sends every event of a bucket to EventBridge
 * once its EventBridge notifications are on; a prefix filter matches the
 * object key as the event carries it.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 */
export function objectEventPattern(
  bucketName: string,
  options: { readonly searchErrors?: boolean } = {},
): Record<string, unknown> {
  const roots = [DATA_ROOT, ERROR_ROOT, ...(options.searchErrors ? [SEARCH_ERROR_ROOT] : [])];
  return {
    source: ["aws.s3"],
    "detail-type": ["Object Created"],
    detail: {
      bucket: { name: [bucketName] },
      object: { key: roots.map((prefix) => ({ prefix })) },
    },
  };
}

/**
 * The sources as the function reads them: a source that always writes logs
 * carries the most bytes an object of its heartbeats alone takes.
 */
export function expectedSources(
  sources: readonly DeliveryWatchSource[],
  heartbeatIntervalMinutes: number | undefined,
): ExpectedSource[] {
  return sources.map(({ accountId, region, expectsLogs, delivery }) =>
    expectsLogs && heartbeatIntervalMinutes !== undefined
      ? {
          accountId,
          region,
          heartbeatMaxBytes: heartbeatObjectMaxBytes(heartbeatIntervalMinutes, delivery ?? WORST_CASE_OBJECT_FORMAT),
        }
      : { accountId, region },
  );
}

interface ResolvedSettings {
  readonly interval: number;
  readonly reminder: number;
  readonly eventRetention: number;
  readonly functionRetention: number;
  readonly heartbeatOnlyHours: number;
}

/** CloudWatch periods are multiples of 60 s; rate() takes whole minutes; a reminder at most weekly. */
function deliveryWatchProblems(props: DeliveryWatchProps, settings: ResolvedSettings): string[] {
  const { interval, reminder, eventRetention, functionRetention, heartbeatOnlyHours } = settings;
  const problems: string[] = [];
  const whole = (prop: string, value: number, min: number, max: number, unit: string) => {
    if (Token.isUnresolved(value) || (Number.isInteger(value) && value >= min && value <= max)) return;
    problems.push(`${prop}: expected a whole number of ${unit} from ${min} to ${max}, got ${value}`);
  };
  // LogArchive's bounds and messages (the registry's too).
  for (const [rule, value] of [
    ["watch-interval", interval],
    ["watch-reminder", reminder],
  ] as const) {
    const { path, range } = LOG_ARCHIVE_RANGES[rule];
    problems.push(...rangeProblem(rule, path.slice(1), value, range).map(formatSettingProblem));
  }
  if (props.silenceMinutes !== undefined) whole("silenceMinutes", props.silenceMinutes, interval, 1440, "minutes");
  if (props.heartbeatIntervalMinutes !== undefined) {
    whole("heartbeatIntervalMinutes", props.heartbeatIntervalMinutes, 1, 60, "minutes");
  }
  for (const [prop, days] of [
    ["eventRetentionDays", eventRetention],
    ["functionLogRetentionDays", functionRetention],
  ] as const) {
    const problem = logRetentionProblem(prop, days);
    if (problem) problems.push(problem);
  }
  // The heartbeat query reads the copied S3 events of this run's hours and the previous run's.
  const most = Math.min(168, Math.floor((eventRetention * 24 * 60 - interval) / 60));
  const hours = heartbeatOnlyHours;
  const judged = ![hours, eventRetention, interval].some((v) => Token.isUnresolved(v));
  if (judged && !(Number.isInteger(hours) && hours >= 1 && hours <= most)) {
    problems.push(
      `heartbeatOnlyHours: expected a whole number of hours from 1 to ${most} (the copied S3 events are kept eventRetentionDays, ${eventRetention} days, and each run reads one interval more), got ${hours}`,
    );
  }
  if (props.sources.length === 0) problems.push("sources: expected at least one source account and Region, got none");
  props.sources.forEach((s, i) => {
    if (!isAccountIdOrToken(s.accountId))
      problems.push(`sources[${i}].accountId: expected a 12-digit account id, got ${JSON.stringify(s.accountId)}`);
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(s.region))
      problems.push(`sources[${i}].region: expected a Region such as eu-west-1, got ${JSON.stringify(s.region)}`);
    if (s.expectsLogs && props.heartbeatIntervalMinutes === undefined) {
      problems.push(
        `sources[${i}].expectsLogs: expected heartbeatIntervalMinutes as well: only the heartbeat tells a source that delivers nothing else`,
      );
    }
    if (s.delivery !== undefined) problems.push(...objectFormatProblems(`sources[${i}].delivery`, s.delivery));
  });
  return problems;
}
