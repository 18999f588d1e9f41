import { corpusSuite, expectCompliant, expectFinding, stackOf } from "./lib/fixture";
import * as s3 from "./rules/s3";

const SRC = "${aws_s3_bucket.Src.bucket}";
const DST_ARN = "${aws_s3_bucket.Dst.arn}";

/** A source and replica bucket, both versioned, replicated by one rule; `edit` changes the rule. */
function replication(edit: (rule: any, resources: any) => void = () => {}) {
  const rule: any = {
    id: "all",
    status: "Enabled",
    priority: 1,
    filter: {},
    delete_marker_replication: { status: "Disabled" },
    source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
    destination: {
      bucket: DST_ARN,
      encryption_configuration: { replica_kms_key_id: "${aws_kms_key.Replica.arn}" },
      metrics: { status: "Enabled" },
    },
  };
  const resources: any = {
    aws_s3_bucket: { Src: { bucket: "src-bucket" }, Dst: { bucket: "dst-bucket", region: "eu-central-1" } },
    aws_s3_bucket_versioning: {
      SrcV: { bucket: SRC, versioning_configuration: { status: "Enabled" } },
      DstV: {
        bucket: "${aws_s3_bucket.Dst.bucket}",
        region: "eu-central-1",
        versioning_configuration: { status: "Enabled" },
      },
    },
    aws_kms_key: { Replica: { region: "eu-central-1" } },
    aws_s3_bucket_replication_configuration: {
      Repl: {
        bucket: SRC,
        role: "${aws_iam_role.R.arn}",
        depends_on: ["aws_s3_bucket_versioning.SrcV", "aws_s3_bucket_versioning.DstV"],
        rule: [rule],
      },
    },
  };
  edit(rule, resources);
  return stackOf(resources);
}

describe("replication", () => {
  test("s3-replication-event-threshold-needs-rtc", () => {
    expectCompliant(s3.replicationEventThresholdNeedsRtc, replication());
    expectCompliant(
      s3.replicationEventThresholdNeedsRtc,
      replication((r) => {
        r.destination.metrics.event_threshold = { minutes: 15 };
        r.destination.replication_time = { status: "Enabled", time: { minutes: 15 } };
      }),
    );
    expectFinding(
      s3.replicationEventThresholdNeedsRtc,
      replication((r) => (r.destination.metrics.event_threshold = { minutes: 15 })),
      /event_threshold is set but replication_time is absent/,
    );
  });

  test("s3-replication-rtc-needs-metrics", () => {
    const rtc = (metrics: any) =>
      replication((r) => {
        r.destination.replication_time = { status: "Enabled", time: { minutes: 15 } };
        r.destination.metrics = metrics;
      });
    expectCompliant(s3.replicationRtcNeedsMetrics, rtc({ status: "Enabled", event_threshold: { minutes: 15 } }));
    expectFinding(s3.replicationRtcNeedsMetrics, rtc({ status: "Enabled" }), /event_threshold.minutes is undefined/);
    expectFinding(s3.replicationRtcNeedsMetrics, rtc(undefined), /metrics is absent/);
  });

  test("s3-replication-filter-needs-delete-marker-replication", () => {
    expectCompliant(s3.replicationFilterNeedsDeleteMarker, replication());
    expectFinding(
      s3.replicationFilterNeedsDeleteMarker,
      replication((r) => delete r.delete_marker_replication),
      /has a filter but no delete_marker_replication/,
    );
    expectFinding(
      s3.replicationFilterNeedsDeleteMarker,
      replication((r) => {
        r.filter = { tag: { key: "k", value: "v" } };
        r.delete_marker_replication.status = "Enabled";
      }),
      /tag filter requires delete_marker_replication Disabled/,
    );
  });

  test("s3-replication-sse-kms-needs-replica-key", () => {
    expectCompliant(s3.replicationSseKmsNeedsReplicaKey, replication());
    expectFinding(
      s3.replicationSseKmsNeedsReplicaKey,
      replication((r) => delete r.destination.encryption_configuration),
      /replica_kms_key_id is missing/,
    );
  });

  test("s3-replication-replica-key-in-destination-region", () => {
    expectCompliant(s3.replicaKeyInDestinationRegion, replication());
    expectFinding(
      s3.replicaKeyInDestinationRegion,
      replication((_, res) => delete res.aws_kms_key.Replica.region),
      /replica key aws_kms_key.Replica is in eu-west-1, destination aws_s3_bucket.Dst in eu-central-1/,
    );
  });

  test("s3-replication-needs-versioning", () => {
    expectCompliant(s3.replicationNeedsVersioning, replication());
    expectFinding(
      s3.replicationNeedsVersioning,
      replication((_, res) => (res.aws_s3_bucket_versioning.SrcV.versioning_configuration.status = "Suspended")),
      /aws_s3_bucket.Src has no aws_s3_bucket_versioning with status Enabled/,
    );
    expectFinding(
      s3.replicationNeedsVersioning,
      replication((_, res) => (res.aws_s3_bucket_replication_configuration.Repl.depends_on = [])),
      /does not depend_on aws_s3_bucket_versioning.SrcV/,
    );
  });

  test("s3-replication-locked-source-needs-locked-destination", () => {
    const locked = (dstLocked: boolean) =>
      replication((_, res) => {
        res.aws_s3_bucket.Src.object_lock_enabled = true;
        if (dstLocked) res.aws_s3_bucket.Dst.object_lock_enabled = true;
      });
    expectCompliant(s3.replicationLockedSourceNeedsLockedDestination, locked(true));
    expectFinding(
      s3.replicationLockedSourceNeedsLockedDestination,
      locked(false),
      /destination aws_s3_bucket.Dst has not/,
    );
  });
});

/** A bucket with Object Lock, its versioning and lock configuration. */
function locked(edit: (res: any) => void = () => {}) {
  const res: any = {
    aws_s3_bucket: { B: { bucket: "locked-bucket", object_lock_enabled: true } },
    aws_s3_bucket_versioning: {
      V: { bucket: "${aws_s3_bucket.B.bucket}", versioning_configuration: { status: "Enabled" } },
    },
    aws_s3_bucket_object_lock_configuration: {
      L: {
        bucket: "${aws_s3_bucket.B.bucket}",
        depends_on: ["aws_s3_bucket_versioning.V"],
        rule: { default_retention: { mode: "COMPLIANCE", days: 365 } },
      },
    },
  };
  edit(res);
  return stackOf(res);
}

describe("Object Lock", () => {
  test("s3-object-lock-needs-versioning", () => {
    expectCompliant(s3.objectLockNeedsVersioning, locked());
    expectFinding(
      s3.objectLockNeedsVersioning,
      locked((r) => delete r.aws_s3_bucket_versioning),
      /without an aws_s3_bucket_versioning/,
    );
    expectFinding(
      s3.objectLockNeedsVersioning,
      locked((r) => delete r.aws_s3_bucket_object_lock_configuration.L.depends_on),
      /does not depend_on aws_s3_bucket_versioning.V/,
    );
  });

  test("s3-object-lock-default-retention", () => {
    expectCompliant(s3.objectLockDefaultRetention, locked());
    expectFinding(
      s3.objectLockDefaultRetention,
      locked((r) => (r.aws_s3_bucket_object_lock_configuration.L.rule.default_retention.years = 1)),
      /exactly one of days and years/,
    );
    expectFinding(
      s3.objectLockDefaultRetention,
      locked((r) => delete r.aws_s3_bucket_object_lock_configuration.L.rule.default_retention.days),
      /exactly one of days and years/,
    );
  });
});

/** A bucket logging into a log store; `edit` changes them. */
function logging(edit: (res: any) => void = () => {}) {
  const res: any = {
    aws_s3_bucket: { B: { bucket: "data-bucket" }, Logs: { bucket: "log-store" } },
    aws_s3_bucket_logging: {
      L: { bucket: "${aws_s3_bucket.B.bucket}", target_bucket: "${aws_s3_bucket.Logs.bucket}", target_prefix: "b/" },
    },
  };
  edit(res);
  return stackOf(res);
}

describe("server access logging", () => {
  test("s3-access-log-target-not-object-locked", () => {
    expectCompliant(s3.accessLogTargetNotLocked, logging());
    expectFinding(
      s3.accessLogTargetNotLocked,
      logging((r) => (r.aws_s3_bucket.Logs.object_lock_enabled = true)),
      /target aws_s3_bucket.Logs has Object Lock/,
    );
  });

  test("s3-access-log-target-same-region", () => {
    expectCompliant(s3.accessLogTargetSameRegion, logging());
    expectFinding(
      s3.accessLogTargetSameRegion,
      logging((r) => (r.aws_s3_bucket.Logs.region = "us-east-1")),
      /source aws_s3_bucket.B is in eu-west-1, target aws_s3_bucket.Logs in us-east-1/,
    );
  });
});

/** One lifecycle rule with the given transitions and expiration. */
function lifecycle(rule: any) {
  return stackOf({
    aws_s3_bucket: { B: { bucket: "b-bucket" } },
    aws_s3_bucket_lifecycle_configuration: {
      LC: { bucket: "${aws_s3_bucket.B.bucket}", rule: [{ id: "r", status: "Enabled", filter: [{}], ...rule }] },
    },
  });
}

const tiers = (...t: [string, number][]) => t.map(([storage_class, days]) => ({ storage_class, days }));
const ncTiers = (...t: [string, number][]) =>
  t.map(([storage_class, noncurrent_days]) => ({ storage_class, noncurrent_days }));

describe("lifecycle", () => {
  test("s3-lifecycle-ia-transition-minimum-days", () => {
    expectCompliant(s3.lifecycleIaMinimumDays, lifecycle({ transition: tiers(["STANDARD_IA", 30]) }));
    expectFinding(
      s3.lifecycleIaMinimumDays,
      lifecycle({ transition: tiers(["ONEZONE_IA", 29]) }),
      /transition to ONEZONE_IA after 29 days, at least 30/,
    );
    expectFinding(
      s3.lifecycleIaMinimumDays,
      lifecycle({ noncurrent_version_transition: ncTiers(["STANDARD_IA", 7]) }),
      /noncurrent transition to STANDARD_IA after 7 days/,
    );
  });

  test("s3-lifecycle-transitions-follow-waterfall", () => {
    expectCompliant(
      s3.lifecycleWaterfall,
      lifecycle({ transition: tiers(["STANDARD_IA", 30], ["GLACIER_IR", 90], ["DEEP_ARCHIVE", 365]) }),
    );
    expectFinding(
      s3.lifecycleWaterfall,
      lifecycle({ transition: tiers(["GLACIER", 90], ["STANDARD_IA", 120]) }),
      /GLACIER -> STANDARD_IA is not in the S3 waterfall/,
    );
    expectFinding(
      s3.lifecycleWaterfall,
      lifecycle({ transition: tiers(["STANDARD_IA", 30], ["GLACIER", 45]) }),
      /GLACIER 15 days after STANDARD_IA, at least 30/,
    );
    expectFinding(
      s3.lifecycleWaterfall,
      lifecycle({ transition: tiers(["GLACIER_IR", 90], ["GLACIER", 90]) }),
      /two current transitions on day 90/,
    );
  });

  test("s3-lifecycle-expiration-after-transitions", () => {
    expectCompliant(
      s3.lifecycleExpirationAfterTransitions,
      lifecycle({ transition: tiers(["GLACIER", 90]), expiration: [{ days: 91 }] }),
    );
    expectFinding(
      s3.lifecycleExpirationAfterTransitions,
      lifecycle({ transition: tiers(["STANDARD_IA", 30], ["GLACIER", 365]), expiration: [{ days: 365 }] }),
      /expiration after 365 days is not after the last transition \(day 365\)/,
    );
    expectFinding(
      s3.lifecycleExpirationAfterTransitions,
      lifecycle({
        noncurrent_version_transition: ncTiers(["GLACIER", 90]),
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
      }),
      /noncurrent expiration after 30 days/,
    );
  });
});

describe("bucket policy and name", () => {
  const policy = (statements: number) =>
    stackOf({
      aws_s3_bucket: { B: { bucket: "b-bucket" } },
      aws_s3_bucket_policy: {
        P: {
          bucket: "${aws_s3_bucket.B.bucket}",
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: Array.from({ length: statements }, (_, i) => ({
              Sid: `S${i}`,
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: ["${aws_s3_bucket.B.arn}", "${aws_s3_bucket.B.arn}/*"],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            })),
          }),
        },
      },
    });

  test("s3-bucket-policy-size", () => {
    expectCompliant(s3.bucketPolicySize, policy(10));
    expectFinding(s3.bucketPolicySize, policy(120), /policy is \d+ bytes, at most 20000/);
  });

  test("s3-bucket-name", () => {
    const named = (bucket: string) => stackOf({ aws_s3_bucket: { B: { bucket } } });
    expectCompliant(s3.bucketName, named("cwl-archive-123456789012-eu-west-1"));
    expectFinding(s3.bucketName, named("CWL_Archive"), /lowercase letters/);
    expectFinding(s3.bucketName, named("a".repeat(64)), /3-63/);
    expectFinding(s3.bucketName, named("logs..archive"), /no adjacent dots/);
    expectFinding(s3.bucketName, named("192.168.5.4"), /not an IP address/);
    expectFinding(s3.bucketName, named("archive-s3alias"), /no reserved suffix/);
  });
});

/** A bucket notifying a queue that has a policy; `edit` changes them. */
function notification(edit: (res: any) => void = () => {}) {
  const res: any = {
    aws_s3_bucket: { B: { bucket: "b-bucket" } },
    aws_sqs_queue: { Q: { name: "q" } },
    aws_sqs_queue_policy: { P: { queue_url: "${aws_sqs_queue.Q.url}", policy: "{}" } },
    aws_s3_bucket_notification: {
      N: {
        bucket: "${aws_s3_bucket.B.bucket}",
        depends_on: ["aws_sqs_queue_policy.P"],
        queue: [{ events: ["s3:ObjectCreated:*"], queue_arn: "${aws_sqs_queue.Q.arn}" }],
      },
    },
  };
  edit(res);
  return stackOf(res);
}

describe("event notifications", () => {
  test("s3-notification-queue-same-region", () => {
    expectCompliant(s3.notificationDestinationSameRegion, notification());
    expectFinding(
      s3.notificationDestinationSameRegion,
      notification((r) => (r.aws_sqs_queue.Q.region = "us-east-1")),
      /bucket in eu-west-1, queue aws_sqs_queue.Q in us-east-1/,
    );
  });

  test("s3-notification-waits-for-queue-policy", () => {
    expectCompliant(s3.notificationWaitsForQueuePolicy, notification());
    expectFinding(
      s3.notificationWaitsForQueuePolicy,
      notification((r) => delete r.aws_s3_bucket_notification.N.depends_on),
      /does not depend_on aws_sqs_queue_policy.P/,
    );
    expectFinding(
      s3.notificationWaitsForQueuePolicy,
      notification((r) => delete r.aws_sqs_queue_policy),
      /has no aws_sqs_queue_policy/,
    );
  });
});

corpusSuite(s3.rules);
