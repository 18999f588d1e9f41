/**
 * Tamper detection as data: which AWS API calls change what guards the
 * archive and the pipeline, how CloudTrail records them, and the EventBridge
 * event patterns that match exactly those calls on our resources.
 *
 * What EventBridge receives: every mutating API call that CloudTrail records
 * reaches the default event bus of the account and Region where it is
 * recorded, as an event with `detail-type` "AWS API Call via CloudTrail",
 * `source` "aws.<service>" and the CloudTrail record in `detail`; a trail
 * with logging enabled is required. IAM, a global service, records in
 * us-east-1 only.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail-management.html
 * @see https://repost.aws/knowledge-center/eventbridge-rule-triggers-iam-single-region
 *
 * Field names: `requestParameters` holds the request as the caller sent it,
 * in camelCase (`bucketName`, `keyId`, `logGroupName`, `deliveryStreamName`,
 * `roleName`, `name`), as every example record AWS publishes shows; each
 * watch below cites the record example or API reference it relies on.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
import { cloudTrailEventSource } from "../naming/partition";
import type { TamperRuleGroup } from "../naming/tamper-names";

/** The `detail-type` of every event CloudTrail delivers for an API call. */
export const CLOUDTRAIL_DETAIL_TYPE = "AWS API Call via CloudTrail";

/**
 * A watched service: its EventBridge `source` and CloudTrail `eventSource`,
 * and the calls watched, split by whether a deployment role may make them
 * without notice (configuration) or they always notify (destructive).
 */
export interface TamperService {
  readonly source: string;
  readonly eventSource: string;
  /** Calls that remove or weaken a protection: they notify whoever the caller. */
  readonly destructive: readonly string[];
  /** Calls the stacks make themselves when they are applied: the deployment roles are exempt. */
  readonly configuration: readonly string[];
  /** Where AWS documents the source, the event source and the event names. */
  readonly see: readonly string[];
}

/** The catalogue of watched calls, by the rule group that watches them. */
export const TAMPER_SERVICES = {
  s3: {
    source: "aws.s3",
    eventSource: cloudTrailEventSource("s3"),
    // Bucket-level calls are management events, recorded without data events.
    // PutBucketLifecycleConfiguration is recorded as PutBucketLifecycle.
    // PutObjectLockConfiguration and the OwnershipControls calls are not in
    // the page's list of event names: they are watched under their API names.
    destructive: [
      "DeleteBucket",
      "DeleteBucketPolicy",
      "DeleteBucketLifecycle",
      "DeleteBucketReplication",
      "DeleteBucketEncryption",
      "DeleteBucketPublicAccessBlock",
      "DeleteBucketOwnershipControls",
    ],
    configuration: [
      "PutBucketPolicy",
      "PutBucketLifecycle",
      "PutObjectLockConfiguration",
      "PutBucketVersioning",
      "PutBucketReplication",
      "PutBucketEncryption",
      "PutBucketPublicAccessBlock",
      "PutBucketOwnershipControls",
    ],
    see: [
      "https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-s3.html",
      "https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html",
      "https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-understanding-s3-entries.html",
    ],
  },
  kms: {
    source: "aws.kms",
    eventSource: cloudTrailEventSource("kms"),
    // The stacks never disable a key or its rotation, nor delete an alias
    // (ProtectedKey: rotation on, prevent_destroy on key and alias).
    destructive: ["ScheduleKeyDeletion", "DisableKey", "DisableKeyRotation", "DeleteAlias"],
    configuration: ["PutKeyPolicy", "CreateGrant", "UpdateAlias"],
    see: [
      "https://docs.aws.amazon.com/kms/latest/developerguide/ct-schedule-key-deletion.html",
      "https://docs.aws.amazon.com/kms/latest/developerguide/ct-disablekey.html",
      "https://docs.aws.amazon.com/kms/latest/developerguide/ct-disable-key-rotation.html",
      "https://docs.aws.amazon.com/kms/latest/developerguide/ct-put-key-policy.html",
      "https://docs.aws.amazon.com/kms/latest/developerguide/ct-creategrant.html",
      "https://docs.aws.amazon.com/kms/latest/developerguide/ct-deletealias.html",
      "https://docs.aws.amazon.com/kms/latest/developerguide/ct-updatealias.html",
    ],
  },
  logs: {
    source: "aws.logs",
    eventSource: cloudTrailEventSource("logs"),
    // DisassociateKmsKey leaves a log group with CloudWatch Logs' own
    // encryption: it notifies even when the stacks do it (a pipeline key retired).
    destructive: ["DeleteAccountPolicy", "DeleteSubscriptionFilter", "DeleteLogGroup", "DisassociateKmsKey"],
    // AssociateKmsKey: a key its owner can later disable makes the group unwritable.
    configuration: ["PutAccountPolicy", "PutSubscriptionFilter", "AssociateKmsKey"],
    see: [
      "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/logging_cw_api_calls_cwl.html",
      "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutAccountPolicy.html",
      "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteAccountPolicy.html",
      "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutSubscriptionFilter.html",
    ],
  },
  firehose: {
    source: "aws.firehose",
    eventSource: cloudTrailEventSource("firehose"),
    // The stacks always encrypt the stream: stopping its encryption is never theirs.
    destructive: ["DeleteDeliveryStream", "StopDeliveryStreamEncryption"],
    // StartDeliveryStreamEncryption can switch the stream to a key someone else then disables.
    configuration: ["UpdateDestination", "StartDeliveryStreamEncryption"],
    see: [
      "https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-firehose.html",
      "https://docs.aws.amazon.com/firehose/latest/dev/monitoring-using-cloudtrail.html",
    ],
  },
  cloudtrail: {
    source: "aws.cloudtrail",
    eventSource: cloudTrailEventSource("cloudtrail"),
    destructive: ["StopLogging", "DeleteTrail"],
    configuration: ["UpdateTrail", "PutEventSelectors"],
    see: [
      "https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html",
      "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StopLogging.html",
      "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutEventSelectors.html",
    ],
  },
  iam: {
    source: "aws.iam",
    eventSource: cloudTrailEventSource("iam"),
    // The stacks never set a permissions boundary: a deny-all boundary silences a role.
    destructive: ["DeleteRole", "PutRolePermissionsBoundary", "DeleteRolePermissionsBoundary"],
    configuration: [
      "PutRolePolicy",
      "DeleteRolePolicy",
      "AttachRolePolicy",
      "DetachRolePolicy",
      "UpdateAssumeRolePolicy",
    ],
    see: [
      "https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-iam.html",
      "https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html",
      "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePermissionsBoundary.html",
    ],
  },
  events: {
    source: "aws.events",
    eventSource: cloudTrailEventSource("events"),
    // PutRule with state DISABLED and RemoveTargets silence a rule as surely as DisableRule.
    destructive: ["DisableRule", "DeleteRule", "RemoveTargets"],
    configuration: ["PutRule", "PutTargets"],
    see: [
      "https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-events.html",
      "https://docs.aws.amazon.com/eventbridge/latest/userguide/logging-using-cloudtrail.html",
    ],
  },
} as const satisfies Record<string, TamperService>;

export type TamperServiceName = keyof typeof TAMPER_SERVICES;

/** An EventBridge event pattern, as data. */
export type EventPattern = Readonly<Record<string, unknown>>;

/** One watched set of calls on named resources: one branch of a detection rule's pattern. */
export interface TamperWatch {
  /** The detection rule that carries the watch. */
  readonly group: TamperRuleGroup;
  readonly service: TamperServiceName;
  readonly eventNames: readonly string[];
  /** What `detail.requestParameters` must hold: the resource's identifying fields. */
  readonly requestParameters: EventPattern;
  /** Notifies whoever the caller (true), or unless a deployment role made the call (false). */
  readonly destructive: boolean;
  /** The watched kind of resource, e.g. "bucket" or "delivery stream", for tests and docs. */
  readonly kind: string;
}

function watchesOf(
  group: TamperRuleGroup,
  service: TamperServiceName,
  kind: string,
  destructive: readonly string[],
  configuration: readonly string[],
  requestParameters: EventPattern,
): TamperWatch[] {
  return [
    ...(destructive.length > 0
      ? [{ group, service, kind, eventNames: destructive, requestParameters, destructive: true }]
      : []),
    ...(configuration.length > 0
      ? [{ group, service, kind, eventNames: configuration, requestParameters, destructive: false }]
      : []),
  ];
}

const S3 = TAMPER_SERVICES.s3;

/**
 * S3 buckets, by `requestParameters.bucketName` (GetBucketVersioning,
 * PutBucketAcl and DeleteBucket records show it). Suspending versioning
 * always notifies: `VersioningConfiguration.Status` mirrors the request body
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html;
 * AWS's pages show no PutBucketVersioning record, public detection rules read
 * `requestParameters.VersioningConfiguration.Status`).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-understanding-s3-entries.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html
 */
export function bucketWatches(bucketNames: readonly string[]): TamperWatch[] {
  if (bucketNames.length === 0) return [];
  const bucketName = [...bucketNames];
  return [
    ...watchesOf("s3", "s3", "bucket", S3.destructive, S3.configuration, { bucketName }),
    {
      group: "s3",
      service: "s3",
      kind: "bucket",
      eventNames: ["PutBucketVersioning"],
      requestParameters: { bucketName, VersioningConfiguration: { Status: ["Suspended"] } },
      destructive: true,
    },
  ];
}

/** A KMS key. */
export interface WatchedKey {
  /** The key id (the last part of its ARN). */
  readonly id: string;
  /**
   * Whether CreateGrant is watched. Services that use the key for a resource
   * create grants themselves (Firehose for a stream encrypted with it), and
   * would notify on every such grant.
   * @default true
   */
  readonly grants?: boolean;
}

/**
 * KMS keys, by `requestParameters.keyId`: the calls take the key id or the
 * key ARN (never an alias), and the record carries what the caller sent
 * (`1234abcd-...` in the ScheduleKeyDeletion record, the ARN in the
 * CreateGrant one). Both end with the key id, so one suffix per key matches
 * either, at a fraction of the pattern size of listing both.
 * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/ct-schedule-key-deletion.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/ct-creategrant.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
export function keyWatches(keys: readonly WatchedKey[]): TamperWatch[] {
  if (keys.length === 0) return [];
  const keyId = keys.map((k) => ({ suffix: k.id }));
  const ungranted = keys.filter((k) => !(k.grants ?? true));
  const destructive = ["ScheduleKeyDeletion", "DisableKey", "DisableKeyRotation"];
  if (ungranted.length === 0)
    return watchesOf("kms", "kms", "key", destructive, ["PutKeyPolicy", "CreateGrant"], { keyId });
  const granted = keys.filter((k) => k.grants ?? true).map((k) => ({ suffix: k.id }));
  return [
    ...watchesOf("kms", "kms", "key", destructive, ["PutKeyPolicy"], { keyId }),
    ...(granted.length > 0 ? watchesOf("kms", "kms", "key", [], ["CreateGrant"], { keyId: granted }) : []),
  ];
}

/**
 * KMS aliases, by `requestParameters.aliasName` (`alias/<name>`): the alias is
 * how the trail and the archive find their key, so deleting or re-pointing it
 * is watched. UpdateAlias records the new target key, not the old one.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/ct-deletealias.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/ct-updatealias.html
 */
export function aliasWatches(aliasNames: readonly string[]): TamperWatch[] {
  if (aliasNames.length === 0) return [];
  return watchesOf("alias", "kms", "key alias", ["DeleteAlias"], ["UpdateAlias"], { aliasName: [...aliasNames] });
}

/** The account policy type of subscription filter policies. */
export const SUBSCRIPTION_FILTER_POLICY = "SUBSCRIPTION_FILTER_POLICY";

/**
 * The account-level subscription filter policy, by `policyName` and
 * `policyType` (the request members of PutAccountPolicy and
 * DeleteAccountPolicy): other account policies of the account (data
 * protection, field index, another name) never match.
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutAccountPolicy.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteAccountPolicy.html
 */
export function accountPolicyWatches(policyName: string): TamperWatch[] {
  return watchesOf("logs", "logs", "account subscription policy", ["DeleteAccountPolicy"], ["PutAccountPolicy"], {
    policyName: [policyName],
    policyType: [SUBSCRIPTION_FILTER_POLICY],
  });
}

/**
 * The pipeline's subscription filters, by `filterName`: all of them share one
 * name, so a customer's own filter (another name) on the same log group never
 * matches.
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutSubscriptionFilter.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteSubscriptionFilter.html
 */
export function subscriptionFilterWatches(filterName: string): TamperWatch[] {
  return watchesOf("logs", "logs", "subscription filter", ["DeleteSubscriptionFilter"], ["PutSubscriptionFilter"], {
    filterName: [filterName],
  });
}

/**
 * The pipeline's own log groups, by `logGroupName` (the CreateExportTask
 * record shows the field).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/logging_cw_api_calls_cwl.html
 */
export function logGroupWatches(logGroupNames: readonly string[]): TamperWatch[] {
  if (logGroupNames.length === 0) return [];
  return watchesOf("logs", "logs", "log group", ["DeleteLogGroup", "DisassociateKmsKey"], [], {
    logGroupName: [...logGroupNames],
  });
}

/**
 * The delivery stream, by `deliveryStreamName` (the UpdateDestination and
 * DeleteDeliveryStream records show it).
 * @see https://docs.aws.amazon.com/firehose/latest/dev/monitoring-using-cloudtrail.html
 */
export function deliveryStreamWatches(streamName: string): TamperWatch[] {
  const firehose = TAMPER_SERVICES.firehose;
  return watchesOf("firehose", "firehose", "delivery stream", firehose.destructive, firehose.configuration, {
    deliveryStreamName: [streamName],
  });
}

/**
 * IAM roles, by the prefixes of their names in `requestParameters.roleName`
 * (the GetUserPolicy record shows the camelCase request members): a prefix
 * covers the role of every Region of the account, so the pattern's size does
 * not grow with them.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html
 */
export function roleWatches(roleNamePrefixes: readonly string[]): TamperWatch[] {
  if (roleNamePrefixes.length === 0) return [];
  const iam = TAMPER_SERVICES.iam;
  return watchesOf("iam", "iam", "role", iam.destructive, iam.configuration, {
    roleName: roleNamePrefixes.map((prefix) => ({ prefix })),
  });
}

/**
 * Roles that deploy other stacks (the management account's deployment roles
 * that log-access creates): every change to their trust, policies or
 * boundary notifies whoever makes it, the roles themselves included, since
 * a deployment role is exempt from its stacks' configuration watches and
 * could otherwise re-trust itself without a notification.
 */
export function deploymentRoleWatches(roleNames: readonly string[]): TamperWatch[] {
  if (roleNames.length === 0) return [];
  const iam = TAMPER_SERVICES.iam;
  return watchesOf("iam", "iam", "deployment role", [...iam.destructive, ...iam.configuration], [], {
    roleName: [...roleNames],
  });
}

/** A rule name, or every rule whose name starts with a prefix. */
export type RuleName = string | { readonly prefix: string };

/**
 * Calls that silence EventBridge rules, watched by `requestParameters.name`
 * (DisableRule, DeleteRule, and PutRule with `state` DISABLED, as the PutRule
 * record shows the fields) or `requestParameters.rule` (RemoveTargets: its
 * request member is `Rule`). They notify whoever the caller.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/logging-using-cloudtrail.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RemoveTargets.html
 */
export function ruleSilencingWatches(group: "events" | "guard", ruleNames: readonly RuleName[]): TamperWatch[] {
  if (ruleNames.length === 0) return [];
  const name = [...ruleNames];
  const watch = (eventNames: string[], requestParameters: EventPattern): TamperWatch => ({
    group,
    service: "events",
    kind: "event rule",
    eventNames,
    requestParameters,
    destructive: true,
  });
  return [
    watch(["DisableRule", "DeleteRule"], { name }),
    watch(["PutRule"], { name, state: ["DISABLED"] }),
    watch(["RemoveTargets"], { rule: name }),
  ];
}

/**
 * Calls that change EventBridge rules (PutRule by `name`, PutTargets by
 * `rule`): the deployment roles make them when the stacks are applied.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/logging-using-cloudtrail.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html
 */
export function ruleChangeWatches(group: "events" | "guard", ruleNames: readonly RuleName[]): TamperWatch[] {
  if (ruleNames.length === 0) return [];
  const name = [...ruleNames];
  return [
    ...watchesOf(group, "events", "event rule", [], ["PutRule"], { name }),
    ...watchesOf(group, "events", "event rule", [], ["PutTargets"], { rule: name }),
  ];
}

/**
 * The organization trail, by `requestParameters.name` (StopLogging,
 * DeleteTrail, UpdateTrail) or `trailName` (PutEventSelectors): the calls take
 * the trail's name or ARN, so both are matched.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StopLogging.html
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutEventSelectors.html
 */
export function trailWatches(trailName: string, trailArn: string): TamperWatch[] {
  const names = [trailName, trailArn];
  return [
    ...watchesOf("cloudtrail", "cloudtrail", "trail", ["StopLogging", "DeleteTrail"], ["UpdateTrail"], { name: names }),
    ...watchesOf("cloudtrail", "cloudtrail", "trail", [], ["PutEventSelectors"], { trailName: names }),
  ];
}

/**
 * The caller conditions of a configuration call. A pattern matches only
 * events that hold every field it names, and `anything-but` never matches an
 * absent field: a root user or an IAM user has no `sessionIssuer`, so callers
 * that are not an assumed role are matched by their `userIdentity.type` in a
 * branch of their own.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 */
function callerBranches(exemptRoleArns: readonly string[]): EventPattern[] {
  return [
    { userIdentity: { type: [{ "anything-but": ["AssumedRole"] }] } },
    {
      userIdentity: {
        type: ["AssumedRole"],
        sessionContext: { sessionIssuer: { arn: [{ "anything-but": [...exemptRoleArns] }] } },
      },
    },
  ];
}

/**
 * The event pattern of one detection rule: its watches are branches of one
 * `$or`; a configuration watch is split in two branches when roles are
 * exempt. One event matching several branches still fires the rule once.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
export function tamperPattern(watches: readonly TamperWatch[], exemptRoleArns: readonly string[] = []): EventPattern {
  const services = [...new Set(watches.map((w) => w.service))];
  if (services.length !== 1) {
    throw new Error(`tamperPattern: expected the watches of one service, got ${JSON.stringify(services)}`);
  }
  const service = TAMPER_SERVICES[services[0]!];
  const branches = watches.flatMap((watch) => {
    const base: EventPattern = { eventName: [...watch.eventNames], requestParameters: watch.requestParameters };
    if (watch.destructive || exemptRoleArns.length === 0) return [base];
    return callerBranches(exemptRoleArns).map((caller) => ({ ...base, ...caller }));
  });
  return {
    source: [service.source],
    "detail-type": [CLOUDTRAIL_DETAIL_TYPE],
    detail: { eventSource: [service.eventSource], ...(branches.length === 1 ? branches[0] : { $or: branches }) },
  };
}

/**
 * The pattern of the rule on the tamper bus: only AWS's own events of the
 * watched calls. `aws.` sources cannot be sent with PutEvents, so an account
 * of the organization, which may put events on the bus, cannot make up a
 * notification; it can only forward real calls made in its own account.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 */
export function notifyPattern(): EventPattern {
  const services = Object.values(TAMPER_SERVICES);
  return {
    source: services.map((s) => s.source),
    "detail-type": [CLOUDTRAIL_DETAIL_TYPE],
    detail: {
      eventSource: services.map((s) => s.eventSource),
      eventName: [...new Set(services.flatMap((s) => [...s.destructive, ...s.configuration]))].sort(),
    },
  };
}

/**
 * Default maximum size of an event pattern, in characters (adjustable by a
 * quota increase; the provider refuses longer patterns).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
 */
export const EVENT_PATTERN_MAX_CHARACTERS = 2048;

/**
 * The longest value a reference in a pattern can take. The only references
 * are key ids (keyWatches): a UUID, or `mrk-` and 32 hexadecimal digits for
 * a multi-Region key, 36 characters either way.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id-key-id
 */
export const LONGEST_REFERENCE = 36;

/**
 * The length of a serialised pattern once Terraform resolves its references
 * (cdktf tokens or `${...}` expressions), counting each as LONGEST_REFERENCE.
 */
export function resolvedPatternLength(serialised: string): number {
  return serialised
    .replace(/\$\{TfToken\[[^\]]+\]\}/g, "x".repeat(LONGEST_REFERENCE))
    .replace(/\$\{[a-z][^}]*\}/g, "x".repeat(LONGEST_REFERENCE)).length;
}

/**
 * The readable line the tamper bus's rule sends to the alarm topic. A path
 * absent from the event leaves its variable out of the line, so the resource
 * fields of every watched call are listed and only the present ones show;
 * `errorCode` shows when the call failed (an attempt).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 */
export function tamperInputTransformer(): {
  readonly inputPaths: Readonly<Record<string, string>>;
  readonly inputTemplate: string;
} {
  const request = (field: string) => `$.detail.requestParameters.${field}`;
  const resources = {
    bucket: request("bucketName"),
    keyId: request("keyId"),
    alias: request("aliasName"),
    logGroup: request("logGroupName"),
    filter: request("filterName"),
    policy: request("policyName"),
    stream: request("deliveryStreamName"),
    role: request("roleName"),
    name: request("name"),
    rule: request("rule"),
    trail: request("trailName"),
  };
  const inputPaths = {
    account: "$.account",
    region: "$.detail.awsRegion",
    eventName: "$.detail.eventName",
    callerType: "$.detail.userIdentity.type",
    caller: "$.detail.userIdentity.arn",
    time: "$.detail.eventTime",
    eventId: "$.detail.eventID",
    errorCode: "$.detail.errorCode",
    ...resources,
  };
  const resourceVariables = Object.keys(resources)
    .map((v) => `<${v}>`)
    .join(" ");
  const inputTemplate = `"TAMPER <eventName> <errorCode> on ${resourceVariables} in account <account> <region> by <callerType> <caller> at <time> (CloudTrail event <eventId>)"`;
  return { inputPaths, inputTemplate };
}
