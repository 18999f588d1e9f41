/**
 * An S3 bucket with every protection on and no way to turn one off by
 * omission: versioning, default encryption, ACLs disabled, all public access
 * blocked, TLS-only and tamper-proof bucket policy, `prevent_destroy`.
 * Lifecycle, Object Lock and access logging are opt-in per bucket.
 *
 * A bucket has exactly one policy, one lifecycle and one logging
 * configuration; this construct owns each of them, so callers pass
 * statements and rules in rather than adding resources beside it.
 */
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { isAccountIdOrToken, throwIfProblems } from "./validation";
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Token, type IResolvable } from "cdktf";
import { Construct } from "constructs";
import { PROTECTED, retire, type ProtectedChild } from "./retirement";
import { s3BucketArn } from "../naming/names";
import { partitionOf } from "../naming/partition";
import { partitionOfScope } from "./partition";
import {
  MINIMUM_OBJECT_SIZE_RULES,
  OBJECT_LOCK_MODES,
  type MinimumObjectSizeRule,
  type ObjectLockMode,
} from "../options/values";
import { policyDocument, toPolicyJson, type Statement } from "../policy/document";
import { denyInsecureTransport, denyTamperingOutsideAccount } from "../policy/statements";

export type BucketEncryption =
  /** SSE-KMS with a customer-managed key and S3 Bucket Keys (cuts KMS requests by up to 99%). */
  | { readonly kmsKeyArn: string }
  /** SSE-S3: only for buckets whose writers cannot use a customer key (server access logs). */
  | "SSE_S3";

export interface SecureBucketProps {
  /** Physical bucket name, from the naming module. */
  readonly bucketName: string;
  /** Account that owns the bucket; principals of any other account can never delete or unprotect. */
  readonly ownerAccountId: string;
  /** Default encryption. */
  readonly encryption: BucketEncryption;
  /** Region of the bucket. @default - the stack's Region */
  readonly region?: string;
  /** Statements added to the bucket policy after the TLS and tamper denies. @default - none */
  readonly policyStatements?: readonly Statement[];
  /** Lifecycle rules. @default - no lifecycle configuration */
  readonly lifecycleRules?: readonly S3BucketLifecycleConfigurationRule[];
  /**
   * Lifecycle minimum object size for transitions.
   * @default "all_storage_classes_128K" - the AWS default
   */
  readonly transitionMinimumObjectSize?: MinimumObjectSizeRule;
  /** Object Lock default retention. @default - no Object Lock */
  readonly objectLock?: { readonly mode: ObjectLockMode; readonly days: number };
  /** Server access logs target, a bucket in the same Region. @default - no access logging */
  readonly accessLogs?: { readonly targetBucket: string; readonly targetPrefix: string };
  /**
   * The settings this bucket has in some configuration of its owner: when one
   * is not asked for now, an earlier deployment's is left in AWS (a `removed`
   * block), never deleted by Terraform.
   * @default - all three
   */
  readonly optionalSettings?: readonly OptionalBucketSetting[];
}

/** Settings of a SecureBucket that its owner may switch on or off. */
export type OptionalBucketSetting = "lifecycle" | "objectLock" | "accessLogs";

const OPTIONAL_CHILD: Record<OptionalBucketSetting, string> = {
  lifecycle: "Lifecycle",
  objectLock: "ObjectLock",
  accessLogs: "AccessLogging",
};

export class SecureBucket extends Construct {
  /** What a SecureBucket may create that guards data: retired, never destroyed, when it is no longer generated. */
  static readonly PROTECTED_CHILDREN: readonly ProtectedChild[] = [
    { type: "aws_s3_bucket", path: ["Bucket"] },
    { type: "aws_s3_bucket_versioning", path: ["Versioning"] },
    { type: "aws_s3_bucket_server_side_encryption_configuration", path: ["Encryption"] },
    { type: "aws_s3_bucket_ownership_controls", path: ["Ownership"] },
    { type: "aws_s3_bucket_public_access_block", path: ["PublicAccessBlock"] },
    { type: "aws_s3_bucket_policy", path: ["Policy"] },
    { type: "aws_s3_bucket_lifecycle_configuration", path: ["Lifecycle"] },
    { type: "aws_s3_bucket_object_lock_configuration", path: ["ObjectLock"] },
    { type: "aws_s3_bucket_logging", path: ["AccessLogging"] },
  ];

  /** Escape hatch: the bucket resource. */
  readonly resource: S3Bucket;
  readonly versioning: S3BucketVersioningA;
  readonly policy: S3BucketPolicy;
  readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  readonly lifecycle?: S3BucketLifecycleConfiguration;
  readonly bucketName: string;
  /** Deterministic ARN, usable in policies without a reference. */
  readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const problems = secureBucketProblems(props);
    throwIfProblems("SecureBucket", this, problems);
    const region = props.region;
    this.bucketName = props.bucketName;
    // A bucket's partition is its Region's.
    this.bucketArn = s3BucketArn(props.bucketName, region ? partitionOf(region) : partitionOfScope(this));

    this.resource = new S3Bucket(this, "Bucket", {
      region,
      bucket: props.bucketName,
      // Object Lock is set at creation so the bucket never exists unlocked.
      objectLockEnabled: props.objectLock ? true : undefined,
      forceDestroy: false,
      lifecycle: PROTECTED,
    });
    const bucket = this.resource.bucket;

    this.versioning = new S3BucketVersioningA(this, "Versioning", {
      region,
      bucket,
      versioningConfiguration: { status: "Enabled" },
      lifecycle: PROTECTED,
    });
    this.encryption = new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
      region,
      bucket,
      rule: [
        props.encryption === "SSE_S3"
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
          : {
              applyServerSideEncryptionByDefault: {
                sseAlgorithm: "aws:kms",
                kmsMasterKeyId: props.encryption.kmsKeyArn,
              },
              bucketKeyEnabled: true,
            },
      ],
      lifecycle: PROTECTED,
    });
    new S3BucketOwnershipControls(this, "Ownership", {
      region,
      bucket,
      rule: { objectOwnership: "BucketOwnerEnforced" },
      lifecycle: PROTECTED,
    });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "PublicAccessBlock", {
      region,
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
      lifecycle: PROTECTED,
    });
    this.policy = new S3BucketPolicy(this, "Policy", {
      region,
      bucket,
      policy: toPolicyJson(
        policyDocument(
          denyInsecureTransport("s3:*", [this.bucketArn, `${this.bucketArn}/*`]),
          denyTamperingOutsideAccount(props.ownerAccountId, this.bucketArn),
          props.policyStatements ?? [],
        ),
      ),
      // S3 rejects a policy put while the public access block is being
      // applied; ordering them avoids a flaky first apply.
      dependsOn: [publicAccessBlock],
      lifecycle: PROTECTED,
    });

    if (props.lifecycleRules && props.lifecycleRules.length > 0) {
      this.lifecycle = new S3BucketLifecycleConfiguration(this, "Lifecycle", {
        region,
        bucket,
        rule: [...props.lifecycleRules],
        transitionDefaultMinimumObjectSize: props.transitionMinimumObjectSize ?? "all_storage_classes_128K",
        // Lifecycle rules on noncurrent versions need versioning in place.
        dependsOn: [this.versioning],
        lifecycle: PROTECTED,
      });
    }

    if (props.objectLock) {
      new S3BucketObjectLockConfigurationA(this, "ObjectLock", {
        region,
        bucket,
        rule: { defaultRetention: { mode: props.objectLock.mode, days: props.objectLock.days } },
        dependsOn: [this.versioning],
        lifecycle: PROTECTED,
      });
    }

    if (props.accessLogs) {
      new S3BucketLoggingA(this, "AccessLogging", {
        region,
        bucket,
        targetBucket: props.accessLogs.targetBucket,
        targetPrefix: props.accessLogs.targetPrefix,
        // Date-partitioned keys keep the log bucket listable at scale.
        targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
        lifecycle: PROTECTED,
      });
    }

    // A setting the props no longer ask for is left in AWS, never deleted by Terraform.
    const optional = new Set(
      (props.optionalSettings ?? (Object.keys(OPTIONAL_CHILD) as OptionalBucketSetting[])).map(
        (o) => OPTIONAL_CHILD[o],
      ),
    );
    retire(
      this,
      SecureBucket.PROTECTED_CHILDREN.filter((c) => optional.has(c.path[0]!) && !this.node.tryFindChild(c.path[0]!)),
    );
  }
}

/**
 * S3's rules for general purpose bucket names, each with what it allows.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
const RESERVED_BUCKET_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_BUCKET_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];
const BUCKET_NAME_RULES: readonly (readonly [allowed: string, holds: (name: string) => boolean])[] = [
  ["3 to 63 characters", (n) => n.length >= 3 && n.length <= 63],
  ["only lowercase letters, digits, . and -", (n) => /^[a-z0-9.-]*$/.test(n)],
  ["a letter or digit at each end", (n) => /^[a-z0-9](.*[a-z0-9])?$/.test(n)],
  ["no two adjacent periods", (n) => !n.includes("..")],
  ["not the form of an IP address", (n) => !/^\d+\.\d+\.\d+\.\d+$/.test(n)],
  [
    `no reserved prefix (${RESERVED_BUCKET_PREFIXES.join(", ")})`,
    (n) => !RESERVED_BUCKET_PREFIXES.some((p) => n.startsWith(p)),
  ],
  [
    `no reserved suffix (${RESERVED_BUCKET_SUFFIXES.join(", ")})`,
    (n) => !RESERVED_BUCKET_SUFFIXES.some((p) => n.endsWith(p)),
  ],
];

/** @see https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html */

/**
 * Storage classes S3 moves an object to only once it is 30 days old.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_Transition.html
 */
const THIRTY_DAY_CLASSES = ["STANDARD_IA", "ONEZONE_IA"];

function secureBucketProblems(props: SecureBucketProps): string[] {
  const problems: string[] = [];
  if (!Token.isUnresolved(props.bucketName)) {
    const broken = BUCKET_NAME_RULES.filter(([, holds]) => !holds(props.bucketName)).map(([allowed]) => allowed);
    if (broken.length > 0) {
      problems.push(
        `bucketName: expected an S3 bucket name with ${broken.join("; ")}, got ${JSON.stringify(props.bucketName)}`,
      );
    }
  }
  if (!isAccountIdOrToken(props.ownerAccountId)) {
    problems.push(`ownerAccountId: expected a 12-digit AWS account id, got ${JSON.stringify(props.ownerAccountId)}`);
  }
  const minimumSize = props.transitionMinimumObjectSize;
  if (
    minimumSize !== undefined &&
    !Token.isUnresolved(minimumSize) &&
    !(MINIMUM_OBJECT_SIZE_RULES as readonly string[]).includes(minimumSize)
  ) {
    // @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
    problems.push(
      `transitionMinimumObjectSize: expected one of ${MINIMUM_OBJECT_SIZE_RULES.join(", ")}, got ${JSON.stringify(minimumSize)}`,
    );
  }
  if (props.objectLock) {
    // @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_DefaultRetention.html
    const { mode, days } = props.objectLock;
    if (!Token.isUnresolved(mode) && !(OBJECT_LOCK_MODES as readonly string[]).includes(mode)) {
      problems.push(`objectLock.mode: expected one of ${OBJECT_LOCK_MODES.join(", ")}, got ${JSON.stringify(mode)}`);
    }
    if (!wholeAtLeast(days, 1)) {
      problems.push(`objectLock.days: expected a whole number of days of at least 1, got ${days}`);
    }
  }
  (props.lifecycleRules ?? []).forEach((rule, index) => problems.push(...lifecycleRuleProblems(rule, index)));
  return problems;
}

/**
 * The day counts of a lifecycle rule that S3 rejects: expiry and noncurrent
 * expiry need a non-zero positive integer, a transition 0 or more, and 30 or
 * more into the infrequent-access classes.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleExpiration.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_NoncurrentVersionExpiration.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_Transition.html
 */
function lifecycleRuleProblems(rule: S3BucketLifecycleConfigurationRule, index: number): string[] {
  const problems: string[] = [];
  const at = `lifecycleRules[${index}] (${rule.id})`;
  entries(rule.expiration).forEach(([i, expiration]) => {
    if (expiration.days !== undefined && !wholeAtLeast(expiration.days, 1)) {
      problems.push(
        `${at}.expiration[${i}].days: expected a whole number of days of at least 1, got ${expiration.days}`,
      );
    }
  });
  entries(rule.noncurrentVersionExpiration).forEach(([i, expiration]) => {
    if (!wholeAtLeast(expiration.noncurrentDays, 1)) {
      problems.push(
        `${at}.noncurrentVersionExpiration[${i}].noncurrentDays: expected a whole number of days of at least 1, got ${expiration.noncurrentDays}`,
      );
    }
  });
  entries(rule.transition).forEach(([i, transition]) => {
    if (transition.days === undefined) return;
    const least = THIRTY_DAY_CLASSES.includes(transition.storageClass) ? 30 : 0;
    if (!wholeAtLeast(transition.days, least)) {
      problems.push(
        `${at}.transition[${i}].days: expected a whole number of days of at least ${least} for ${transition.storageClass}, got ${transition.days}`,
      );
    }
  });
  return problems;
}

/** The items of a provider list attribute, unless it is a token (then nothing to check). */
function entries<T>(list: T[] | IResolvable | undefined): [number, T][] {
  return Array.isArray(list) ? list.map((item, i) => [i, item] as [number, T]) : [];
}

function wholeAtLeast(value: number, least: number): boolean {
  return Token.isUnresolved(value) || (Number.isInteger(value) && value >= least);
}
