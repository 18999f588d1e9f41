/**
 * What a SIEM needs besides the reader role: named readers that read
 * directly (no role to assume), admitted by the bucket, queue and key
 * policies; and the web-identity trust of Microsoft Sentinel's role.
 */
import { type Partition, PARTITIONS, viaServiceName } from "../naming/partition";
import { partitionOfArn } from "../naming/arn";
import { arn } from "../naming/arn";
import { accountRootArn } from "../naming/names";
import type { Conditions, Statement } from "./document";

/** The actions a SIEM input calls on its queues (Splunk, Filebeat and Sentinel need no more). */
export const QUEUE_CONSUMER_ACTIONS = [
  "sqs:ChangeMessageVisibility",
  "sqs:DeleteMessage",
  "sqs:GetQueueAttributes",
  "sqs:GetQueueUrl",
  "sqs:ReceiveMessage",
] as const;

/** Account id of an IAM principal ARN (`arn:<partition>:iam::<account>:role/<name>`). */
export function accountOfPrincipal(principalArn: string): string {
  const account = principalArn.split(":")[4];
  if (!account || !/^\d{12}$/.test(account)) throw new Error(`not an IAM principal ARN: ${principalArn}`);
  return account;
}

/** Partition of an IAM principal ARN (`arn:<partition>:iam::...`). */
export function partitionOfPrincipal(principalArn: string): Partition {
  const partition = partitionOfArn(principalArn);
  if (!(PARTITIONS as readonly string[]).includes(partition ?? "")) {
    throw new Error(`not an IAM principal ARN: ${principalArn}`);
  }
  return partition as Partition;
}

/**
 * Named readers are admitted through their accounts, narrowed by
 * `aws:PrincipalArn`: a policy that names a role by its ARN breaks silently
 * when the role is recreated (IAM stores its unique id), and one naming the
 * account root with the ARN as a condition does not. Their own accounts must
 * also allow the same actions in the readers' identity policies.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
 */
function namedReadersPrincipal(readers: readonly string[]): {
  Principal: Statement["Principal"];
  Condition: Conditions;
} {
  // Each reader's account root, in the reader's own partition (the registry refuses mixing).
  const roots = [...new Set(readers.map((r) => accountRootArn(accountOfPrincipal(r), partitionOfPrincipal(r))))].sort();
  const sorted = [...readers].sort();
  return {
    Principal: { AWS: roots.length === 1 ? roots[0]! : roots },
    Condition: { ArnEquals: { "aws:PrincipalArn": sorted.length === 1 ? sorted[0]! : sorted } },
  };
}

/** Named readers decrypt with a key, only through the service (S3 or SQS) that `conditions` names. */
export function namedReadersUseKey(
  sid: string,
  readers: readonly string[],
  conditions: Readonly<Record<string, string>>,
): Statement[] {
  if (readers.length === 0) return [];
  const { Principal, Condition } = namedReadersPrincipal(readers);
  return [
    {
      Sid: sid,
      Effect: "Allow",
      Principal,
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { ...Condition, StringEquals: { ...conditions } },
    },
  ];
}

/** Named readers receive, delete and extend notifications of one queue. */
export function namedReadersConsume(queueArn: string, readers: readonly string[]): Statement[] {
  if (readers.length === 0) return [];
  const { Principal, Condition } = namedReadersPrincipal(readers);
  return [
    {
      Sid: "AllowNamedReadersToConsume",
      Effect: "Allow",
      Principal,
      Action: [...QUEUE_CONSUMER_ACTIONS],
      Resource: queueArn,
      Condition,
    },
  ];
}

/** Named readers get and list the announced roots of the archive bucket; nothing else. */
export function namedReadersRead(bucketArn: string, readers: readonly string[], roots: readonly string[]): Statement[] {
  if (readers.length === 0) return [];
  const { Principal, Condition } = namedReadersPrincipal(readers);
  const one = (values: string[]) => (values.length === 1 ? values[0]! : values);
  return [
    {
      Sid: "AllowNamedReadersToRead",
      Effect: "Allow",
      Principal,
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: one(roots.map((root) => `${bucketArn}/${root}*`)),
      Condition,
    },
    {
      Sid: "AllowNamedReadersToList",
      Effect: "Allow",
      Principal,
      Action: "s3:ListBucket",
      Resource: bucketArn,
      Condition: { ...Condition, StringLike: { "s3:prefix": one(roots.map((root) => `${root}*`)) } },
    },
    {
      Sid: "AllowNamedReadersToLocateBucket",
      Effect: "Allow",
      Principal,
      Action: "s3:GetBucketLocation",
      Resource: bucketArn,
      Condition,
    },
  ];
}

/**
 * What the SIEM operator role does, and the SIEM's principals never may:
 * re-announce objects on the notification queues (npm run siem:replay, after
 * an outage longer than the queues' retention), list the announced roots to
 * find them, inspect dead letters, and move them back (SQS's message move
 * task needs ReceiveMessage, DeleteMessage and GetQueueAttributes on the
 * dead-letter queue and SendMessage on its source). Whoever may send to a
 * queue may forge an S3 notification, so this is kept off the reader role,
 * which a vendor may assume. SQS encrypts what is sent with a data key of the
 * queue key and decrypts what is received, both through SQS.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-api-permissions-reference.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
 */
export function siemOperatorStatements(
  region: string,
  arns: {
    readonly queueArns: readonly string[];
    readonly deadLetterArns: readonly string[];
    readonly queueKeyArn: string;
    readonly bucketArn: string;
    /** Announced roots (`cloudwatch-logs/`, ...): the replay lists them. */
    readonly roots: readonly string[];
  },
): Statement[] {
  const one = (values: readonly string[]) => (values.length === 1 ? values[0]! : [...values]);
  return [
    { Sid: "ReannounceObjects", Effect: "Allow", Action: "sqs:SendMessage", Resource: one(arns.queueArns) },
    {
      Sid: "InspectQueues",
      Effect: "Allow",
      Action: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
      Resource: one([...arns.queueArns, ...arns.deadLetterArns]),
    },
    {
      Sid: "InspectAndRedriveDeadLetters",
      Effect: "Allow",
      Action: [
        "sqs:CancelMessageMoveTask",
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:ListMessageMoveTasks",
        "sqs:ReceiveMessage",
        "sqs:StartMessageMoveTask",
      ],
      Resource: one(arns.deadLetterArns),
    },
    {
      Sid: "UseQueueKeyThroughSqs",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: arns.queueKeyArn,
      Condition: { StringEquals: { "kms:ViaService": viaServiceName("sqs", region) } },
    },
    {
      Sid: "ListAnnouncedObjects",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: arns.bucketArn,
      Condition: { StringLike: { "s3:prefix": one(arns.roots.map((root) => `${root}*`)) } },
    },
  ];
}

/**
 * Microsoft Sentinel's Amazon Web Services S3 connector (commercial cloud):
 * Entra ID's issuer as the OIDC provider, Sentinel's application as the
 * audience. The connector finds its token only for a role whose name starts
 * with `OIDC_`.
 * @see https://learn.microsoft.com/en-us/azure/sentinel/connect-aws?tabs=s3#manual-setup
 * @see https://github.com/Azure/Azure-Sentinel/blob/master/DataConnectors/AWS-S3/CloudFormation/CloudWatch/template_2_AWS_CloudWatch_resources_deployment.json
 */
export const SENTINEL = {
  /** Host and path of the issuer, as IAM names the provider and its condition keys. */
  issuer: "sts.windows.net/33e01921-4d64-4f8c-a055-5bdaffd5e33d/",
  audience: "api://1462b192-27f7-4cb9-8523-0f4ecb54b47e",
  /** Thumbprint Microsoft documents for the provider's certificate. */
  thumbprint: "626d44e704d1ceabe3bf0d53397464ac8080142c",
  rolePrefix: "OIDC_",
  /**
   * Session names the connector uses: Microsoft documents
   * `MicrosoftSentinel_<workspace id>`; since March 2025 the connector has
   * been seen sending `MicrosoftDefenderForClouds_<workspace id>` instead
   * (Azure/Azure-Sentinel#11980, #12007), so both are admitted, each only
   * with this workspace's id.
   */
  sessionNamePrefixes: ["MicrosoftSentinel_", "MicrosoftDefenderForClouds_"],
} as const;

/** ARN of the IAM OIDC provider for Sentinel's issuer in `accountId`. */
export function sentinelProviderArn(accountId: string, partition: Partition): string {
  return arn({ partition, service: "iam", account: accountId, resource: `oidc-provider/${SENTINEL.issuer}` });
}

/** Sentinel's connector, for one workspace, assumes the role by web identity. */
export function sentinelTrust(providerArn: string, workspaceId: string): Statement[] {
  return [
    {
      Sid: "SentinelWorkspaceAssumesByWebIdentity",
      Effect: "Allow",
      Principal: { Federated: providerArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          [`${SENTINEL.issuer}:aud`]: SENTINEL.audience,
          "sts:RoleSessionName": SENTINEL.sessionNamePrefixes.map((p) => `${p}${workspaceId}`),
        },
      },
    },
  ];
}
