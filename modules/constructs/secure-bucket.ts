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
import { Construct } from "constructs";
import { s3BucketArn } from "../naming/names";
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
  readonly transitionMinimumObjectSize?: string;
  /** Object Lock default retention. @default - no Object Lock */
  readonly objectLock?: { readonly mode: string; readonly days: number };
  /** Server access logs target, a bucket in the same Region. @default - no access logging */
  readonly accessLogs?: { readonly targetBucket: string; readonly targetPrefix: string };
}

export class SecureBucket extends Construct {
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
    const region = props.region;
    this.bucketName = props.bucketName;
    this.bucketArn = s3BucketArn(props.bucketName);

    this.resource = new S3Bucket(this, "Bucket", {
      region,
      bucket: props.bucketName,
      // Object Lock is set at creation so the bucket never exists unlocked.
      objectLockEnabled: props.objectLock ? true : undefined,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    const bucket = this.resource.bucket;

    this.versioning = new S3BucketVersioningA(this, "Versioning", {
      region,
      bucket,
      versioningConfiguration: { status: "Enabled" },
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
    });
    new S3BucketOwnershipControls(this, "Ownership", {
      region,
      bucket,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "PublicAccessBlock", {
      region,
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
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
    });

    if (props.lifecycleRules && props.lifecycleRules.length > 0) {
      this.lifecycle = new S3BucketLifecycleConfiguration(this, "Lifecycle", {
        region,
        bucket,
        rule: [...props.lifecycleRules],
        transitionDefaultMinimumObjectSize: props.transitionMinimumObjectSize ?? "all_storage_classes_128K",
        // Lifecycle rules on noncurrent versions need versioning in place.
        dependsOn: [this.versioning],
      });
    }

    if (props.objectLock) {
      new S3BucketObjectLockConfigurationA(this, "ObjectLock", {
        region,
        bucket,
        rule: { defaultRetention: { mode: props.objectLock.mode, days: props.objectLock.days } },
        dependsOn: [this.versioning],
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
      });
    }
  }
}
