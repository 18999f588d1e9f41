/**
 * Amazon S3: replication, Object Lock, server access logging, lifecycle,
 * bucket policies, bucket names and event notification destinations.
 */
import type { TfJson } from "../../helpers/synth";
import { utf8Bytes } from "../lib/policy";
import { defineRule, type Rule } from "../lib/rule";
import { all, blocks, dependsOn, findBucket, first, forBucket, refTo, regionOf, unresolved, type Res } from "../lib/tf";

const SERVICE = "s3";

interface ReplicationRule {
  readonly config: Res;
  readonly rule: any;
  readonly index: number;
}

function replicationRules(stack: TfJson): ReplicationRule[] {
  return all(stack, "aws_s3_bucket_replication_configuration").flatMap((config) =>
    blocks(config.config.rule).map((rule, index) => ({ config, rule, index })),
  );
}

const ruleLabel = (r: ReplicationRule) => `rule[${r.index}]${r.rule.id ? ` (${r.rule.id})` : ""}`;

const enabled = (block: any) => first(block)?.status === "Enabled";

function versioningEnabled(stack: TfJson, bucket: Res): Res | undefined {
  return forBucket(stack, "aws_s3_bucket_versioning", bucket).find(
    (v) => first(v.config.versioning_configuration)?.status === "Enabled",
  );
}

function lockEnabled(stack: TfJson, bucket: Res): boolean {
  return (
    bucket.config.object_lock_enabled === true ||
    forBucket(stack, "aws_s3_bucket_object_lock_configuration", bucket).length > 0
  );
}

export const replicationEventThresholdNeedsRtc = defineRule<ReplicationRule>({
  id: "s3-replication-event-threshold-needs-rtc",
  service: SERVICE,
  source: "https://github.com/hashicorp/terraform-provider-aws/issues/21895",
  description:
    "A replication rule's metrics may carry event_threshold only when replication_time (S3 RTC) is Enabled; " +
    "S3 otherwise rejects PutBucketReplication with `InvalidArgument: Metrics cannot contain an event threshold " +
    "when ReplicationTime is not specified or Disabled` (the provider made the block optional for this case).",
  needs: "archive.replicaRegion (any replication)",
  targets: replicationRules,
  address: (r) => r.config.address,
  violations: (r) => {
    const destination = first(r.rule.destination);
    const metrics = first(destination?.metrics);
    if (!metrics || first(metrics.event_threshold) === undefined) return [];
    return enabled(destination.replication_time)
      ? []
      : [
          `${ruleLabel(r)}: metrics.event_threshold is set but replication_time is ${first(destination.replication_time)?.status ?? "absent"}; S3 answers InvalidArgument (drop event_threshold or enable RTC)`,
        ];
  },
});

export const replicationRtcNeedsMetrics = defineRule<ReplicationRule>({
  id: "s3-replication-rtc-needs-metrics",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationTime.html",
  description:
    "ReplicationTime (S3 RTC) 'must be specified together with a Metrics block': with RTC Enabled the rule needs " +
    "metrics Enabled with event_threshold, and both times are 15 minutes, the only valid value " +
    "(API_ReplicationTimeValue: 'Valid value: 15').",
  needs: "archive.replicationTimeControl: true",
  targets: (stack) => replicationRules(stack).filter((r) => enabled(first(r.rule.destination)?.replication_time)),
  address: (r) => r.config.address,
  violations: (r) => {
    const destination = first(r.rule.destination);
    const out: string[] = [];
    const rtcMinutes = first(first(destination.replication_time)?.time)?.minutes;
    if (rtcMinutes !== 15)
      out.push(`${ruleLabel(r)}: replication_time.time.minutes is ${rtcMinutes}, only 15 is valid`);
    const metrics = first(destination.metrics);
    if (!metrics || metrics.status !== "Enabled") {
      out.push(`${ruleLabel(r)}: RTC is Enabled but metrics is ${metrics?.status ?? "absent"}; it must be Enabled`);
    } else if (first(metrics.event_threshold)?.minutes !== 15) {
      out.push(
        `${ruleLabel(r)}: RTC is Enabled but metrics.event_threshold.minutes is ${first(metrics.event_threshold)?.minutes}, it must be 15`,
      );
    }
    return out;
  },
});

export const replicationFilterNeedsDeleteMarker = defineRule<ReplicationRule>({
  id: "s3-replication-filter-needs-delete-marker-replication",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteMarkerReplication.html",
  description:
    "'If you specify a Filter in your replication configuration, you must also include a DeleteMarkerReplication " +
    "element. If your Filter includes a Tag element, the DeleteMarkerReplication Status must be set to Disabled.'",
  needs: "archive.replicaRegion (any replication)",
  targets: (stack) => replicationRules(stack).filter((r) => r.rule.filter !== undefined),
  address: (r) => r.config.address,
  violations: (r) => {
    const dmr = first(r.rule.delete_marker_replication);
    if (!dmr) return [`${ruleLabel(r)}: has a filter but no delete_marker_replication`];
    const filter = first(r.rule.filter) ?? {};
    const tagged = filter.tag !== undefined || first(filter.and)?.tags !== undefined;
    return tagged && dmr.status !== "Disabled"
      ? [`${ruleLabel(r)}: a tag filter requires delete_marker_replication Disabled, got ${dmr.status}`]
      : [];
  },
});

export const replicationSseKmsNeedsReplicaKey = defineRule<ReplicationRule>({
  id: "s3-replication-sse-kms-needs-replica-key",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
  description:
    "Replicating SSE-KMS objects is an explicit opt-in (source_selection_criteria.sse_kms_encrypted_objects) that " +
    "goes with a destination encryption_configuration.replica_kms_key_id, the key S3 encrypts replicas with.",
  needs: "archive.replicaRegion (any replication)",
  targets: (stack) =>
    replicationRules(stack).filter((r) => enabled(first(r.rule.source_selection_criteria)?.sse_kms_encrypted_objects)),
  address: (r) => r.config.address,
  violations: (r) =>
    first(first(r.rule.destination)?.encryption_configuration)?.replica_kms_key_id
      ? []
      : [
          `${ruleLabel(r)}: sse_kms_encrypted_objects is Enabled but destination.encryption_configuration.replica_kms_key_id is missing`,
        ],
});

export const replicaKeyInDestinationRegion = defineRule<ReplicationRule>({
  id: "s3-replication-replica-key-in-destination-region",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
  description:
    "'The AWS KMS key must have been created in the same AWS Region as the destination buckets'; PutBucketReplication " +
    "does not check the key, so a key in another Region answers 200 OK and every replication then fails.",
  needs: "archive.replicaRegion (any replication)",
  targets: (stack) =>
    replicationRules(stack).filter(
      (r) =>
        refTo(stack, first(first(r.rule.destination)?.encryption_configuration)?.replica_kms_key_id)?.type ===
        "aws_kms_key",
    ),
  address: (r) => r.config.address,
  violations: (r, stack) => {
    const destination = first(r.rule.destination);
    const key = refTo(stack, first(destination.encryption_configuration).replica_kms_key_id)!;
    const bucket = findBucket(stack, destination.bucket);
    if (!bucket)
      return [`${ruleLabel(r)}: destination bucket ${destination.bucket} is not in this stack, its Region is unknown`];
    const keyRegion = regionOf(stack, key.config);
    const bucketRegion = regionOf(stack, bucket.config);
    return keyRegion === bucketRegion
      ? []
      : [
          `${ruleLabel(r)}: replica key ${key.address} is in ${keyRegion}, destination ${bucket.address} in ${bucketRegion}`,
        ];
  },
});

export const replicationNeedsVersioning = defineRule<Res>({
  id: "s3-replication-needs-versioning",
  service: SERVICE,
  source:
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_replication_configuration",
  description:
    "Replication needs versioning Enabled on the source and destination buckets, and the replication configuration " +
    "must depend on the versioning resources, or Terraform may call PutBucketReplication first and S3 rejects it.",
  needs: "archive.replicaRegion (any replication)",
  targets: (stack) => all(stack, "aws_s3_bucket_replication_configuration"),
  address: (r) => r.address,
  violations: (config, stack) => {
    const buckets = [
      findBucket(stack, config.config.bucket),
      ...blocks(config.config.rule).map((rule) => findBucket(stack, first(rule.destination)?.bucket)),
    ];
    const out: string[] = [];
    const source = buckets[0];
    if (!source) out.push(`source bucket ${config.config.bucket} is not in this stack`);
    const distinct = new Map(buckets.filter((b): b is Res => b !== undefined).map((b) => [b.address, b]));
    for (const bucket of distinct.values()) {
      const versioning = versioningEnabled(stack, bucket);
      if (!versioning) out.push(`${bucket.address} has no aws_s3_bucket_versioning with status Enabled`);
      else if (!dependsOn(config.config).includes(versioning.address)) {
        out.push(`does not depend_on ${versioning.address}, so versioning may not be on when replication is put`);
      }
    }
    return out;
  },
});

export const replicationLockedSourceNeedsLockedDestination = defineRule<ReplicationRule>({
  id: "s3-replication-locked-source-needs-locked-destination",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html",
  description:
    "Replicating from a bucket with Object Lock: 'The Amazon S3 destination bucket must have Object Lock enabled on it' " +
    "(otherwise replication fails with DstBucketObjectLockConfigMissing, a failure S3 reports after apply).",
  needs: "archive.objectLock with archive.replicaRegion",
  targets: (stack) =>
    replicationRules(stack).filter((r) => {
      const source = findBucket(stack, r.config.config.bucket);
      return source !== undefined && lockEnabled(stack, source);
    }),
  address: (r) => r.config.address,
  violations: (r, stack) => {
    const destination = findBucket(stack, first(r.rule.destination)?.bucket);
    if (!destination)
      return [`${ruleLabel(r)}: the destination bucket is not in this stack; its Object Lock cannot be checked`];
    return lockEnabled(stack, destination)
      ? []
      : [`${ruleLabel(r)}: source has Object Lock but destination ${destination.address} has not`];
  },
});

export const objectLockNeedsVersioning = defineRule<Res>({
  id: "s3-object-lock-needs-versioning",
  service: SERVICE,
  source:
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_object_lock_configuration",
  description:
    "Object Lock works only on versioned buckets: a bucket with object_lock_enabled needs versioning Enabled, and its " +
    "object lock configuration must depend on the versioning resource.",
  needs: "archive.objectLock",
  targets: (stack) => all(stack, "aws_s3_bucket").filter((b) => lockEnabled(stack, b)),
  address: (b) => b.address,
  violations: (bucket, stack) => {
    const versioning = versioningEnabled(stack, bucket);
    if (!versioning) return ["Object Lock without an aws_s3_bucket_versioning of status Enabled"];
    return forBucket(stack, "aws_s3_bucket_object_lock_configuration", bucket)
      .filter((c) => !dependsOn(c.config).includes(versioning.address))
      .map((c) => `${c.address} does not depend_on ${versioning.address}`);
  },
});

export const objectLockDefaultRetention = defineRule<Res>({
  id: "s3-object-lock-default-retention",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_DefaultRetention.html",
  description:
    "'The DefaultRetention settings require both a mode and a period. The DefaultRetention period can be either Days " +
    "or Years but you must select one. You cannot specify Days and Years at the same time.'",
  needs: "archive.objectLock",
  targets: (stack) => all(stack, "aws_s3_bucket_object_lock_configuration"),
  address: (c) => c.address,
  violations: (c) => {
    const retention = first(first(c.config.rule)?.default_retention);
    if (!retention) return [];
    const out: string[] = [];
    if (!["GOVERNANCE", "COMPLIANCE"].includes(retention.mode)) out.push(`default_retention.mode is ${retention.mode}`);
    if ((retention.days === undefined) === (retention.years === undefined)) {
      out.push(
        `default_retention must set exactly one of days and years, got days=${retention.days} years=${retention.years}`,
      );
    }
    return out;
  },
});

export const accessLogTargetNotLocked = defineRule<Res>({
  id: "s3-access-log-target-not-object-locked",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html",
  description:
    "'S3 buckets that have S3 Object Lock enabled can't be used as destination buckets for server access logs. Your " +
    "destination bucket must not have a default retention period configuration.'",
  needs: "archive.accessLogging",
  targets: (stack) => all(stack, "aws_s3_bucket_logging"),
  address: (l) => l.address,
  violations: (logging, stack) => {
    const target = findBucket(stack, logging.config.target_bucket);
    if (!target)
      return [`target bucket ${logging.config.target_bucket} is not in this stack; its Object Lock cannot be checked`];
    return lockEnabled(stack, target) ? [`target ${target.address} has Object Lock`] : [];
  },
});

export const accessLogTargetSameRegion = defineRule<Res>({
  id: "s3-access-log-target-same-region",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html",
  description: "The server access log destination bucket must be in the same Region and account as the source bucket.",
  needs: "archive.accessLogging",
  targets: (stack) => all(stack, "aws_s3_bucket_logging"),
  address: (l) => l.address,
  violations: (logging, stack) => {
    const source = findBucket(stack, logging.config.bucket);
    const target = findBucket(stack, logging.config.target_bucket);
    if (!source || !target) return [`source or target bucket is not in this stack`];
    const [a, b] = [regionOf(stack, source.config), regionOf(stack, target.config)];
    return a === b ? [] : [`source ${source.address} is in ${a}, target ${target.address} in ${b}`];
  },
});

// The S3 Lifecycle waterfall: the classes each class may transition to.
const NEXT: Record<string, readonly string[]> = {
  STANDARD: ["STANDARD_IA", "INTELLIGENT_TIERING", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"],
  STANDARD_IA: ["INTELLIGENT_TIERING", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"],
  INTELLIGENT_TIERING: ["ONEZONE_IA", "GLACIER", "DEEP_ARCHIVE"],
  ONEZONE_IA: ["GLACIER", "DEEP_ARCHIVE"],
  GLACIER_IR: ["GLACIER", "DEEP_ARCHIVE"],
  GLACIER: ["DEEP_ARCHIVE"],
  DEEP_ARCHIVE: [],
};
const IA = ["STANDARD_IA", "ONEZONE_IA"];

interface LifecycleRule {
  readonly config: Res;
  readonly rule: any;
  readonly index: number;
}

function lifecycleRules(stack: TfJson): LifecycleRule[] {
  return all(stack, "aws_s3_bucket_lifecycle_configuration").flatMap((config) =>
    blocks(config.config.rule).map((rule, index) => ({ config, rule, index })),
  );
}

const lcLabel = (r: LifecycleRule) => `rule[${r.index}]${r.rule.id ? ` (${r.rule.id})` : ""}`;

interface Step {
  readonly days: number;
  readonly storageClass: string;
}

function steps(list: unknown, daysKey: "days" | "noncurrent_days"): Step[] {
  return blocks(list)
    .filter((t) => typeof t[daysKey] === "number")
    .map((t) => ({ days: t[daysKey], storageClass: t.storage_class }));
}

export const lifecycleIaMinimumDays = defineRule<LifecycleRule>({
  id: "s3-lifecycle-ia-transition-minimum-days",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html",
  description:
    "Objects must stay at least 30 days (current) or be at least 30 days noncurrent before a transition to " +
    "STANDARD_IA or ONEZONE_IA. (API_Transition words it 'positive integers greater than 30'; S3 accepts 30, as the " +
    "user guide's 'at least 30 days' says.)",
  needs: "archive.transitions with STANDARD_IA or ONEZONE_IA",
  targets: (stack) =>
    lifecycleRules(stack).filter((r) =>
      [...blocks(r.rule.transition), ...blocks(r.rule.noncurrent_version_transition)].some((t) =>
        IA.includes(t.storage_class),
      ),
    ),
  address: (r) => r.config.address,
  violations: (r) => [
    ...steps(r.rule.transition, "days")
      .filter((s) => IA.includes(s.storageClass) && s.days < 30)
      .map((s) => `${lcLabel(r)}: transition to ${s.storageClass} after ${s.days} days, at least 30 required`),
    ...steps(r.rule.noncurrent_version_transition, "noncurrent_days")
      .filter((s) => IA.includes(s.storageClass) && s.days < 30)
      .map(
        (s) => `${lcLabel(r)}: noncurrent transition to ${s.storageClass} after ${s.days} days, at least 30 required`,
      ),
  ],
});

function waterfallViolations(label: string, list: Step[], what: string): string[] {
  const out: string[] = [];
  let previous: Step = { days: -1, storageClass: "STANDARD" };
  for (const step of [...list].sort((a, b) => a.days - b.days)) {
    if (step.days === previous.days) out.push(`${label}: two ${what} transitions on day ${step.days}`);
    if (!(NEXT[previous.storageClass] ?? []).includes(step.storageClass)) {
      out.push(
        `${label}: ${what} transition ${previous.storageClass} -> ${step.storageClass} is not in the S3 waterfall`,
      );
    }
    if (IA.includes(previous.storageClass) && ["GLACIER", "DEEP_ARCHIVE"].includes(step.storageClass)) {
      if (step.days - previous.days < 30) {
        out.push(
          `${label}: ${what} transition to ${step.storageClass} ${step.days - previous.days} days after ${previous.storageClass}, at least 30 required in one rule`,
        );
      }
    }
    previous = step;
  }
  return out;
}

export const lifecycleWaterfall = defineRule<LifecycleRule>({
  id: "s3-lifecycle-transitions-follow-waterfall",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html",
  description:
    "Transitions of a rule, by ascending days, follow the supported waterfall (STANDARD -> any; STANDARD_IA -> " +
    "INTELLIGENT_TIERING, ONEZONE_IA, GLACIER_IR; INTELLIGENT_TIERING -> ONEZONE_IA; any -> GLACIER, DEEP_ARCHIVE; " +
    "GLACIER -> DEEP_ARCHIVE only), no two on the same day, and a GLACIER or DEEP_ARCHIVE transition comes at least " +
    "30 days after a STANDARD_IA or ONEZONE_IA one in the same rule. Same for noncurrent versions. (Newer user " +
    "guide versions may allow INTELLIGENT_TIERING -> GLACIER_IR; this rule keeps the stricter list it could read.)",
  needs: "archive.transitions",
  targets: (stack) =>
    lifecycleRules(stack).filter(
      (r) => blocks(r.rule.transition).length > 0 || blocks(r.rule.noncurrent_version_transition).length > 0,
    ),
  address: (r) => r.config.address,
  violations: (r) => [
    ...waterfallViolations(lcLabel(r), steps(r.rule.transition, "days"), "current"),
    ...waterfallViolations(lcLabel(r), steps(r.rule.noncurrent_version_transition, "noncurrent_days"), "noncurrent"),
  ],
});

export const lifecycleExpirationAfterTransitions = defineRule<LifecycleRule>({
  id: "s3-lifecycle-expiration-after-transitions",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html",
  description:
    "Expiration days must be greater than the last transition's days in the same rule (and noncurrent_days of " +
    "noncurrent_version_expiration greater than the last noncurrent transition): S3 answers `InvalidArgument: " +
    "'Days' in the Expiration action for filter … must be greater than 'Days' in the Transition action`. That error " +
    "text comes from public reports; the user guide page does not state the rule in these words.",
  needs: "archive.transitions with archive.retentionDays",
  targets: (stack) =>
    lifecycleRules(stack).filter(
      (r) =>
        (typeof first(r.rule.expiration)?.days === "number" && steps(r.rule.transition, "days").length > 0) ||
        (typeof first(r.rule.noncurrent_version_expiration)?.noncurrent_days === "number" &&
          steps(r.rule.noncurrent_version_transition, "noncurrent_days").length > 0),
    ),
  address: (r) => r.config.address,
  violations: (r) => {
    const out: string[] = [];
    const expire = first(r.rule.expiration)?.days;
    const last = Math.max(-1, ...steps(r.rule.transition, "days").map((s) => s.days));
    if (typeof expire === "number" && last >= 0 && expire <= last) {
      out.push(`${lcLabel(r)}: expiration after ${expire} days is not after the last transition (day ${last})`);
    }
    const expireNc = first(r.rule.noncurrent_version_expiration)?.noncurrent_days;
    const lastNc = Math.max(-1, ...steps(r.rule.noncurrent_version_transition, "noncurrent_days").map((s) => s.days));
    if (typeof expireNc === "number" && lastNc >= 0 && expireNc <= lastNc) {
      out.push(
        `${lcLabel(r)}: noncurrent expiration after ${expireNc} days is not after the last noncurrent transition (day ${lastNc})`,
      );
    }
    return out;
  },
});

// "Bucket policies are limited to 20 KB in size." KB is read as 1,000 bytes here,
// the stricter of the two readings, because the page gives no byte count.
const BUCKET_POLICY_BYTES = 20_000;

export const bucketPolicySize = defineRule<Res>({
  id: "s3-bucket-policy-size",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-iam-policies.html",
  description:
    "'Bucket policies are limited to 20 KB in size.' Measured in UTF-8 bytes of the policy as sent, references " +
    "resolved; 20 KB is read as 20,000 bytes (the page gives no byte count, so the stricter reading is used).",
  needs: "any bucket (every archive has a bucket policy)",
  targets: (stack) => all(stack, "aws_s3_bucket_policy"),
  address: (p) => p.address,
  violations: (p, stack) => {
    const size = utf8Bytes(stack, p.config.policy);
    return size <= BUCKET_POLICY_BYTES ? [] : [`policy is ${size} bytes, at most ${BUCKET_POLICY_BYTES} allowed`];
  },
});

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export const bucketName = defineRule<Res>({
  id: "s3-bucket-name",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
  description:
    "General purpose bucket names: 3-63 characters of lowercase letters, digits, dots and hyphens, beginning and " +
    "ending with a letter or digit, no two adjacent dots, not an IP address, none of the reserved prefixes (xn--, " +
    "sthree-, amzn-s3-demo-) or suffixes (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3).",
  needs: "any bucket",
  targets: (stack) =>
    all(stack, "aws_s3_bucket").filter((b) => typeof b.config.bucket === "string" && !unresolved(b.config.bucket)),
  address: (b) => b.address,
  violations: (b) => {
    const name: string = b.config.bucket;
    const problems: string[] = [];
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) {
      problems.push("3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit");
    }
    if (name.includes("..")) problems.push("no adjacent dots");
    if (IPV4.test(name)) problems.push("not an IP address");
    if (["xn--", "sthree-", "amzn-s3-demo-"].some((p) => name.startsWith(p))) problems.push("no reserved prefix");
    if (["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"].some((s) => name.endsWith(s)))
      problems.push("no reserved suffix");
    return problems.map((p) => `bucket name "${name}" breaks the naming rules: ${p}`);
  },
});

interface QueueNotification {
  readonly notification: Res;
  readonly queueArn: unknown;
  readonly index: number;
}

function queueNotifications(stack: TfJson): QueueNotification[] {
  return all(stack, "aws_s3_bucket_notification").flatMap((notification) =>
    blocks(notification.config.queue).map((q, index) => ({ notification, queueArn: q.queue_arn, index })),
  );
}

export const notificationDestinationSameRegion = defineRule<QueueNotification>({
  id: "s3-notification-queue-same-region",
  service: SERVICE,
  source:
    "https://github.com/awsdocs/amazon-s3-user-guide/blob/master/doc_source/setup-event-notification-destination.md",
  description: "'The Amazon SQS queue must be in the same region as your Amazon S3 bucket.'",
  needs: "siem (the SIEM queue notifications)",
  targets: (stack) => queueNotifications(stack).filter((n) => refTo(stack, n.queueArn)?.type === "aws_sqs_queue"),
  address: (n) => n.notification.address,
  violations: (n, stack) => {
    const queue = refTo(stack, n.queueArn)!;
    const bucket = findBucket(stack, n.notification.config.bucket);
    if (!bucket) return [`queue[${n.index}]: bucket ${n.notification.config.bucket} is not in this stack`];
    const [b, q] = [regionOf(stack, bucket.config), regionOf(stack, queue.config)];
    return b === q ? [] : [`queue[${n.index}]: bucket in ${b}, queue ${queue.address} in ${q}`];
  },
});

export const notificationWaitsForQueuePolicy = defineRule<QueueNotification>({
  id: "s3-notification-waits-for-queue-policy",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html",
  description:
    "S3 must be allowed to publish to the queue before the notification configuration is put (S3 validates the " +
    "destination and rejects the configuration otherwise), so the notification depends on the queue policy. That " +
    "S3 validates on put is stated in S3's error ('Unable to validate the following destination configurations'), " +
    "not on this page, which documents the permissions.",
  needs: "siem (the SIEM queue notifications)",
  targets: (stack) => queueNotifications(stack).filter((n) => refTo(stack, n.queueArn)?.type === "aws_sqs_queue"),
  address: (n) => n.notification.address,
  violations: (n, stack) => {
    const queue = refTo(stack, n.queueArn)!;
    const policies = all(stack, "aws_sqs_queue_policy").filter(
      (p) => refTo(stack, p.config.queue_url)?.address === queue.address,
    );
    if (policies.length === 0) return [`queue[${n.index}]: ${queue.address} has no aws_sqs_queue_policy`];
    return policies
      .filter((p) => !dependsOn(n.notification.config).includes(p.address))
      .map((p) => `queue[${n.index}]: does not depend_on ${p.address}`);
  },
});

export const rules: readonly Rule[] = [
  replicationEventThresholdNeedsRtc,
  replicationRtcNeedsMetrics,
  replicationFilterNeedsDeleteMarker,
  replicationSseKmsNeedsReplicaKey,
  replicaKeyInDestinationRegion,
  replicationNeedsVersioning,
  replicationLockedSourceNeedsLockedDestination,
  objectLockNeedsVersioning,
  objectLockDefaultRetention,
  accessLogTargetNotLocked,
  accessLogTargetSameRegion,
  lifecycleIaMinimumDays,
  lifecycleWaterfall,
  lifecycleExpirationAfterTransitions,
  bucketPolicySize,
  bucketName,
  notificationDestinationSameRegion,
  notificationWaitsForQueuePolicy,
];
