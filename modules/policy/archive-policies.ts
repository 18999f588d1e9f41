/**
 * Resource policies of the log-archive account, as pure functions of the
 * registry-derived names. Key ARNs are passed in (they are only known once
 * the key exists); everything else is deterministic.
 */
import { type Partition, partitionOf, servicePrincipal } from "../naming/partition";
import { accountDataPrefix, accountErrorPrefix, DATA_ROOT, PRINCIPAL_ACCOUNT_VARIABLE } from "../naming/key-layout";
import { accountRootArn } from "../naming/names";
import type { Statement } from "./document";
import { namedReadersConsume, namedReadersUseKey, partitionOfPrincipal } from "./siem-policies";
import { denyInsecureTransport, viaService } from "./statements";

function oneOrMany<T>(values: readonly T[]): T | T[] {
  return values.length === 1 ? values[0]! : [...values];
}

/** What every archive-side policy needs to know. */
export interface ArchiveContext {
  readonly organizationId: string;
  readonly archiveAccountId: string;
  readonly archiveRegion: string;
  readonly archiveBucketArn: string;
  readonly deliveryRoleArnPattern: string;
}

/**
 * Administration of a key without the right to use it: data-plane actions
 * (Decrypt, GenerateDataKey, ...) are granted only by the statements that
 * follow, so an administrator of the account cannot read what the key
 * protects without first changing the key policy, which CloudTrail records.
 * AWS's default administrator statement says `kms:Create*`, which includes
 * `kms:CreateGrant`: an administrator holding it could grant itself Decrypt
 * and read everything. Only `kms:CreateAlias` is kept; a service that needs a
 * grant gets its own statement bound to that service
 * (__tests__/security/key-policy-uses.test.ts expands every wildcard here
 * through AWS's action catalogue and fails on any data or grant action).
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-administrators
 */
export const KEY_ADMIN_ACTIONS = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:Delete*",
  "kms:Describe*",
  "kms:Disable*",
  "kms:Enable*",
  "kms:Get*",
  "kms:List*",
  "kms:Put*",
  "kms:Revoke*",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:Update*",
] as const;

export function keyAdministrators(accountId: string, partition: Partition): Statement {
  return {
    Sid: "AccountAdministersKey",
    Effect: "Allow",
    Principal: { AWS: accountRootArn(accountId, partition) },
    Action: [...KEY_ADMIN_ACTIONS],
    Resource: "*",
  };
}

/**
 * Lets named roles of the key's own account use it, through IAM: the
 * principal is the account and `aws:PrincipalArn` names the roles, so the key
 * policy does not break when a role is recreated and needs no ordering
 * against the roles' creation. The roles' identity policies must allow it too.
 */
export function accountRolesUseKey(
  sid: string,
  accountId: string,
  roleArns: readonly string[],
  actions: readonly string[],
  conditions: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>,
): Statement {
  return {
    Sid: sid,
    Effect: "Allow",
    // The roles' account, in the roles' partition (the ARNs come from arn()).
    Principal: { AWS: accountRootArn(accountId, partitionOfPrincipal(roleArns[0] ?? "")) },
    Action: [...actions],
    Resource: "*",
    Condition: {
      ...conditions,
      ArnEquals: { "aws:PrincipalArn": roleArns.length === 1 ? roleArns[0]! : [...roleArns] },
    },
  };
}

/** With S3 Bucket Keys the KMS encryption context is the bucket ARN, not the object ARN. */
export function s3EncryptionContext(bucketArn: string): Record<string, string> {
  return { "kms:EncryptionContext:aws:s3:arn": bucketArn };
}

/**
 * Roles of organization accounts, chosen by an ARN pattern (delivery roles,
 * Config recorders), may use the key only as S3 uses it for one bucket.
 */
export function organizationRolesUseKeyThroughS3(
  sid: string,
  organizationId: string,
  roleArnPattern: string,
  region: string,
  bucketArn: string,
): Statement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { AWS: "*" },
    // Decrypt is needed to complete multipart uploads of SSE-KMS objects.
    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
    Resource: "*",
    Condition: {
      StringEquals: {
        "aws:PrincipalOrgID": organizationId,
        "kms:ViaService": viaService("s3", region),
        ...s3EncryptionContext(bucketArn),
      },
      ArnLike: { "aws:PrincipalArn": roleArnPattern },
    },
  };
}

// ---------------------------------------------------------------------------
// Archive bucket
// ---------------------------------------------------------------------------

/**
 * Object ARNs under one account's data and error prefixes. With the default,
 * the IAM policy variable of the calling principal's account: one statement
 * then confines every account to its own prefixes.
 */
export function accountObjectArns(bucketArn: string, accountId: string = PRINCIPAL_ACCOUNT_VARIABLE): string[] {
  return [`${bucketArn}/${accountDataPrefix(accountId)}*`, `${bucketArn}/${accountErrorPrefix(accountId)}*`];
}

/** Actions a Firehose delivery role needs on objects of a cross-account bucket. */
export const DELIVERY_OBJECT_ACTIONS = ["s3:AbortMultipartUpload", "s3:PutObject", "s3:PutObjectAcl"] as const;

/**
 * @param archiveKeyIds the archive key as a writer may name it: its ARN, and
 *   its alias ARN where a service is configured with the alias.
 * @param sseS3Objects object ARNs that a service writes with SSE-S3 whatever
 *   it is told (CloudTrail digest files); only SSE-S3 or the archive key is
 *   admitted there.
 */
export function archiveBucketPolicy(
  ctx: ArchiveContext,
  archiveKeyIds: readonly string[],
  sseS3Objects: readonly string[] = [],
): Statement[] {
  const bucket = ctx.archiveBucketArn;
  const objects = `${bucket}/*`;
  const keyIds = archiveKeyIds.length === 1 ? archiveKeyIds[0]! : [...archiveKeyIds];
  const deliveryPrincipal = {
    StringEquals: { "aws:PrincipalOrgID": ctx.organizationId },
    ArnLike: { "aws:PrincipalArn": ctx.deliveryRoleArnPattern },
  };
  // The TLS and tamper denies are added by SecureBucket to every bucket.
  return [
    {
      // A request that names no key is encrypted with the bucket default (the
      // archive key) and must succeed: negated operators match a missing key,
      // so the Null test limits the deny to requests that name one.
      Sid: "DenyObjectsNotEncryptedWithSseKms",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      ...(sseS3Objects.length > 0 ? { NotResource: [...sseS3Objects] } : { Resource: objects }),
      Condition: {
        StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
        Null: { "s3:x-amz-server-side-encryption": "false" },
      },
    },
    ...(sseS3Objects.length > 0
      ? [
          {
            Sid: "DenyObjectsNotEncryptedWithSseS3OrSseKms",
            Effect: "Deny" as const,
            Principal: "*" as const,
            Action: "s3:PutObject",
            Resource: [...sseS3Objects],
            Condition: {
              StringNotEquals: { "s3:x-amz-server-side-encryption": ["AES256", "aws:kms"] },
              Null: { "s3:x-amz-server-side-encryption": "false" },
            },
          },
        ]
      : []),
    {
      Sid: "DenyObjectsEncryptedWithAnotherKey",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: objects,
      Condition: {
        StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": keyIds },
        Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
      },
    },
    {
      // AWS service writers (enabled in the registry) are not organization
      // members; they are admitted by their own statements with SourceOrgID.
      Sid: "DenyWritesFromOutsideOrganization",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: objects,
      Condition: {
        StringNotEquals: { "aws:PrincipalOrgID": ctx.organizationId },
        BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
      },
    },
    {
      // One statement for every account: the policy variable confines each
      // delivery role to its own account's prefixes, so the policy does not
      // grow with the organization.
      Sid: "AllowDeliveryRolesToWriteOwnPrefix",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: [...DELIVERY_OBJECT_ACTIONS],
      Resource: accountObjectArns(bucket),
      Condition: deliveryPrincipal,
    },
    {
      Sid: "AllowDeliveryRolesToLocateBucket",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: "s3:GetBucketLocation",
      Resource: bucket,
      Condition: deliveryPrincipal,
    },
  ];
}

export function archiveKeyPolicy(
  ctx: ArchiveContext,
  readers: {
    /** Roles of the log-archive account that read for a SIEM (the reader role, the Sentinel role). */
    readonly siemReaderRoleArns: readonly string[];
    /** Principals of any account named to read directly (registry siem.readers). @default - none */
    readonly namedReaders?: readonly string[];
    readonly replicationRoleArn?: string;
    readonly analystRoleArn?: string;
    /** Roles of the central Firehoses (central topology), which write with the archive key. */
    readonly centralFirehoseRoleArns?: readonly string[];
    /** Role of the search stream, which writes failed documents under search-errors/. */
    readonly searchStreamRoleArn?: string;
  },
): Statement[] {
  const viaS3 = { "kms:ViaService": viaService("s3", ctx.archiveRegion), ...s3EncryptionContext(ctx.archiveBucketArn) };
  return [
    keyAdministrators(ctx.archiveAccountId, partitionOf(ctx.archiveRegion)),
    organizationRolesUseKeyThroughS3(
      "AllowDeliveryRolesToEncryptThroughS3",
      ctx.organizationId,
      ctx.deliveryRoleArnPattern,
      ctx.archiveRegion,
      ctx.archiveBucketArn,
    ),
    accountRolesUseKey(
      "AllowSiemReaderToDecryptThroughS3",
      ctx.archiveAccountId,
      readers.siemReaderRoleArns,
      ["kms:Decrypt"],
      {
        StringEquals: viaS3,
      },
    ),
    ...namedReadersUseKey("AllowNamedReadersToDecryptThroughS3", readers.namedReaders ?? [], viaS3),
    ...(readers.analystRoleArn
      ? [
          accountRolesUseKey(
            "AllowLogAnalystToDecryptThroughS3",
            ctx.archiveAccountId,
            [readers.analystRoleArn],
            ["kms:Decrypt"],
            {
              StringEquals: viaS3,
            },
          ),
        ]
      : []),
    ...(readers.centralFirehoseRoleArns && readers.centralFirehoseRoleArns.length > 0
      ? [
          accountRolesUseKey(
            "AllowCentralStreamsToEncryptThroughS3",
            ctx.archiveAccountId,
            readers.centralFirehoseRoleArns,
            ["kms:Decrypt", "kms:GenerateDataKey"],
            { StringEquals: viaS3 },
          ),
        ]
      : []),
    ...(readers.searchStreamRoleArn
      ? [
          accountRolesUseKey(
            "AllowSearchStreamToEncryptThroughS3",
            ctx.archiveAccountId,
            [readers.searchStreamRoleArn],
            ["kms:Decrypt", "kms:GenerateDataKey"],
            { StringEquals: viaS3 },
          ),
        ]
      : []),
    ...(readers.replicationRoleArn
      ? [
          accountRolesUseKey(
            "AllowReplicationToDecryptThroughS3",
            ctx.archiveAccountId,
            [readers.replicationRoleArn],
            ["kms:Decrypt"],
            { StringEquals: viaS3 },
          ),
        ]
      : []),
  ];
}

// ---------------------------------------------------------------------------
// SIEM notifications
// ---------------------------------------------------------------------------

/** Confused-deputy conditions for the S3 service acting for the archive bucket. */
export function fromArchiveBucket(ctx: Pick<ArchiveContext, "archiveAccountId" | "archiveBucketArn">) {
  return {
    StringEquals: { "aws:SourceAccount": ctx.archiveAccountId },
    ArnLike: { "aws:SourceArn": ctx.archiveBucketArn },
  };
}

/**
 * @param operatorRoleArns roles that also send to the queues and drain the
 *   dead-letter queues (the SIEM operator: replay and dead-letter redrive),
 *   through SQS only. Never the SIEM reader: whoever may send may forge S3
 *   notifications.
 */
export function queueKeyPolicy(
  ctx: ArchiveContext,
  siemReaderRoleArns: readonly string[],
  namedReaders: readonly string[] = [],
  operatorRoleArns: readonly string[] = [],
): Statement[] {
  const viaSqs = { "kms:ViaService": viaService("sqs", ctx.archiveRegion) };
  return [
    keyAdministrators(ctx.archiveAccountId, partitionOf(ctx.archiveRegion)),
    {
      // An encrypted queue only receives S3 notifications if S3 may use its key.
      Sid: "AllowS3NotificationsToUseKey",
      Effect: "Allow",
      Principal: { Service: servicePrincipal("s3") },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: fromArchiveBucket(ctx),
    },
    accountRolesUseKey(
      "AllowSiemReaderToDecryptThroughSqs",
      ctx.archiveAccountId,
      siemReaderRoleArns,
      ["kms:Decrypt"],
      {
        StringEquals: viaSqs,
      },
    ),
    ...namedReadersUseKey("AllowNamedReadersToDecryptThroughSqs", namedReaders, viaSqs),
    ...(operatorRoleArns.length > 0
      ? [
          // The SIEM operator (never a SIEM's principal) re-announces objects, which
          // SQS encrypts with a data key of this key, and moves dead letters back,
          // which receives (decrypts) from the dead-letter queue and sends to its source.
          // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
          accountRolesUseKey(
            "AllowSiemOperatorToUseKeyThroughSqs",
            ctx.archiveAccountId,
            operatorRoleArns,
            ["kms:Decrypt", "kms:GenerateDataKey"],
            {
              StringEquals: viaSqs,
            },
          ),
        ]
      : []),
  ];
}

/**
 * The notification queue's policy: S3 for the archive bucket sends, named
 * readers (registry siem.readers) consume, nothing without TLS.
 */
export function queuePolicy(ctx: ArchiveContext, queueArn: string, namedReaders: readonly string[] = []): Statement[] {
  return [
    {
      Sid: "AllowArchiveBucketNotifications",
      Effect: "Allow",
      Principal: { Service: servicePrincipal("s3") },
      Action: "sqs:SendMessage",
      Resource: queueArn,
      Condition: fromArchiveBucket(ctx),
    },
    ...namedReadersConsume(queueArn, namedReaders),
    denyInsecureTransport("sqs:*", [queueArn]),
  ];
}

// ---------------------------------------------------------------------------
// Roles
// ---------------------------------------------------------------------------

/**
 * Read-only access to the archive for a role of the log-archive account: get
 * and list under `readableRoots`, decrypt through S3, and an explicit deny of
 * every write, so that even a broader policy attached later cannot make the
 * reader a writer. Shared by the SIEM reader and the log analyst.
 */
export function archiveReadStatements(
  ctx: Pick<ArchiveContext, "archiveBucketArn" | "archiveRegion">,
  archiveKeyArns: string | readonly string[],
  readableRoots: readonly string[] = [DATA_ROOT],
): Statement[] {
  const bucket = ctx.archiveBucketArn;
  const one = <T>(values: T[]): T | T[] => (values.length === 1 ? values[0]! : values);
  return [
    {
      Sid: "ReadArchivedLogs",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: one(readableRoots.map((root) => `${bucket}/${root}*`)),
    },
    {
      Sid: "ListArchivedLogs",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: bucket,
      Condition: { StringLike: { "s3:prefix": one(readableRoots.map((root) => `${root}*`)) } },
    },
    { Sid: "LocateArchive", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: bucket },
    {
      // The current key, and any earlier key that objects are still encrypted with.
      Sid: "DecryptArchiveThroughS3",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: typeof archiveKeyArns === "string" ? archiveKeyArns : one([...archiveKeyArns]),
      Condition: {
        StringEquals: { "kms:ViaService": viaService("s3", ctx.archiveRegion), ...s3EncryptionContext(bucket) },
      },
    },
    {
      Sid: "NeverWriteOrDelete",
      Effect: "Deny",
      Action: [
        "s3:PutObject*",
        "s3:Delete*",
        "s3:Replicate*",
        "s3:RestoreObject",
        "s3:PutBucket*",
        "s3:PutLifecycleConfiguration",
      ],
      Resource: [bucket, `${bucket}/*`],
    },
  ];
}

/** SIEM reader permissions: read-only on notifications and the announced prefixes. */
export function siemReaderPolicy(
  ctx: ArchiveContext,
  arns: {
    /** The notification queues and their dead-letter queues, which the reader may drain too. */
    readonly queueArns: string | readonly string[];
    /** The archive key, and earlier keys objects are still encrypted with. */
    readonly archiveKeyArns: string | readonly string[];
    readonly queueKeyArn: string;
  },
  /** Roots the SIEM reads: the CloudWatch Logs data prefix and any direct source announced to it. */
  readableRoots: readonly string[] = [DATA_ROOT],
): Statement[] {
  return [
    {
      Sid: "ConsumeNotifications",
      Effect: "Allow",
      Action: [
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:ReceiveMessage",
      ],
      Resource: typeof arns.queueArns === "string" ? arns.queueArns : oneOrMany(arns.queueArns),
    },
    {
      Sid: "DecryptNotificationsThroughSqs",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: arns.queueKeyArn,
      Condition: { StringEquals: { "kms:ViaService": viaService("sqs", ctx.archiveRegion) } },
    },
    ...archiveReadStatements(ctx, arns.archiveKeyArns, readableRoots),
  ];
}

/**
 * Who may assume the SIEM reader role. An ExternalId protects against a
 * confused deputy: a vendor's service that assumes roles for many customers.
 * Principals of the organization are no such deputy, and some SIEM inputs
 * cannot send one at all (the Splunk Add-on for AWS keeps only a role ARN), so
 * with `organizationId` a listed principal inside the organization assumes
 * without it; one outside must present it.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
 */
export function siemReaderTrust(
  principals: readonly string[],
  externalId: string,
  organizationId?: string,
): Statement[] {
  const principal = { AWS: principals.length === 1 ? principals[0]! : [...principals] };
  return [
    {
      Sid: "SiemAssumesWithExternalId",
      Effect: "Allow",
      Principal: principal,
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": externalId } },
    },
    ...(organizationId === undefined
      ? []
      : [
          {
            Sid: "OrganizationAssumesWithoutExternalId",
            Effect: "Allow" as const,
            Principal: principal,
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:PrincipalOrgID": organizationId } },
          },
        ]),
  ];
}

// ---------------------------------------------------------------------------
// Keys held in a key-management account
// ---------------------------------------------------------------------------

/** What administrators of a key-management account may do: the same administration, never the use. */
export const KEY_ACCOUNT_ADMIN_ACTIONS = KEY_ADMIN_ACTIONS;

/** The actions that use a key for data, or hand its use to someone else. */
export const KEY_USE_ACTIONS = [
  "kms:CreateGrant",
  "kms:Decrypt",
  "kms:Encrypt",
  "kms:GenerateDataKey*",
  "kms:ReEncrypt*",
] as const;

export interface KeyAccount {
  /** The key-management account, which holds and administers the keys. */
  readonly accountId: string;
  /** Principals of the key account that administer the keys; the one that applies log-keys is among them. */
  readonly administrators: readonly string[];
  /** The account whose stacks use the keys (the log-archive account): it may describe them, never change them. */
  readonly userAccountId: string;
  /** The partition of both accounts. */
  readonly partition: Partition;
}

/** What S3 calls on a writer's behalf for SSE-KMS objects (Decrypt completes multipart uploads). */
const S3_USES: readonly string[] = ["kms:Decrypt", "kms:GenerateDataKey*"];

/** How principals of the key account may still use a key: as S3 uses it for one bucket. */
export interface KeyAccountS3Use {
  /** Region of the bucket (and of S3's endpoint). */
  readonly region: string;
  readonly bucketArn: string;
}

/**
 * A key policy moved to the key-management account. The statements that let
 * principals and services use the key stay as they are (they name the
 * log-archive account's roles through that account and `aws:PrincipalArn`,
 * and services through their source); the log-archive account loses its
 * administration and keeps only `kms:DescribeKey`, which its stack's data
 * source needs to read the key's ARN. The key account administers (its root,
 * so that IAM there can always recover the key, and the named
 * administrators), and no principal of the key account may use the key: the
 * deny overrides any grant its administrators could add, short of rewriting
 * the policy itself, which CloudTrail records.
 *
 * With `throughS3`, the key account's principals may still use the key the
 * way S3 uses it for that one bucket (the archive key, when the key account
 * is also a source: its delivery stream, Config recorder or agents write
 * through S3 like every other account's). The bucket policy stays the gate:
 * it lets them write only under their own account's prefix and read nothing.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
 */
export function heldInKeyAccount(
  statements: readonly Statement[],
  keys: KeyAccount,
  throughS3?: KeyAccountS3Use,
): Statement[] {
  const keyAccount = { AWS: accountRootArn(keys.accountId, keys.partition) };
  const never: Statement[] = throughS3
    ? [
        {
          Sid: "KeyAccountNeverGrantsOrReencrypts",
          Effect: "Deny",
          Principal: keyAccount,
          Action: KEY_USE_ACTIONS.filter((a) => !S3_USES.includes(a)),
          Resource: "*",
        },
        ...[
          { Sid: "KeyAccountUsesKeyOnlyThroughS3", key: "kms:ViaService", value: viaService("s3", throughS3.region) },
          {
            Sid: "KeyAccountUsesKeyOnlyForTheBucket",
            key: "kms:EncryptionContext:aws:s3:arn",
            value: throughS3.bucketArn,
          },
        ].map(({ Sid, key, value }): Statement => ({
          Sid,
          Effect: "Deny",
          Principal: keyAccount,
          Action: [...S3_USES],
          Resource: "*",
          Condition: { StringNotEquals: { [key]: value } },
        })),
      ]
    : [
        {
          Sid: "KeyAccountNeverUsesKey",
          Effect: "Deny",
          Principal: keyAccount,
          Action: [...KEY_USE_ACTIONS],
          Resource: "*",
        },
      ];
  return [
    {
      Sid: "KeyAccountAdministersKey",
      Effect: "Allow",
      Principal: keyAccount,
      Action: [...KEY_ACCOUNT_ADMIN_ACTIONS],
      Resource: "*",
    },
    ...(keys.administrators.length > 0
      ? [
          {
            Sid: "KeyAdministratorsAdministerKey",
            Effect: "Allow" as const,
            Principal: { AWS: [...keys.administrators].sort() },
            Action: [...KEY_ACCOUNT_ADMIN_ACTIONS],
            Resource: "*",
          },
        ]
      : []),
    ...never,
    {
      Sid: "ArchiveAccountDescribesKey",
      Effect: "Allow",
      Principal: { AWS: accountRootArn(keys.userAccountId, keys.partition) },
      Action: "kms:DescribeKey",
      Resource: "*",
    },
    ...statements.filter((s) => s.Sid !== "AccountAdministersKey"),
  ];
}
