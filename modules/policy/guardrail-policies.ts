/**
 * The organization guardrails as policy data: service control policies (SCPs)
 * for the pipeline's resources in member accounts, resource control policies
 * (RCPs) for the archive's buckets and keys. Each builder denies one kind of
 * change to resources named by the naming module, to every principal but the
 * exempt roles; `packPolicies` fits the statements into documents of at most
 * 5,120 characters.
 *
 * What no statement can scope to our resources (the service authorizes the
 * action on "*" and documents no condition key that names the resource):
 * - logs:PutAccountPolicy and logs:DeleteAccountPolicy: neither the policy
 *   name nor its type (SUBSCRIPTION_FILTER_POLICY, DATA_PROTECTION_POLICY, ...)
 *   reaches the authorization, so `denyAccountPolicyChanges` denies every
 *   account policy, of every type, to every principal but the exempt roles;
 * - logs:PutResourcePolicy and logs:DeleteResourcePolicy (the account's
 *   CloudWatch Logs resource policies, among them the one that lets the
 *   heartbeat rule write): not denied; a missing heartbeat is what the silence
 *   alarms and the delivery watch report;
 * - the subscription filter's name: Put/DeleteSubscriptionFilter are
 *   authorized on the log group, with no condition key for the filter name,
 *   so the guardrail covers every filter of the log groups our filters are on.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutAccountPolicy.html
 */
import { arn } from "../naming/arn";
import { partitionOf, type Partition } from "../naming/partition";
import { archiveNames, iamRoleArn, sourceNames } from "../naming/names";
import { tamperRulePrefix } from "../naming/tamper-names";
import { policyDocument, type Conditions, type PolicyDocument, type Statement } from "./document";
import { DESTRUCTIVE_OBJECT_ACTIONS, PROTECTION_ACTIONS } from "./statements";

/**
 * Who the guardrails leave alone, by `aws:PrincipalArn` (for a role session,
 * the role's ARN), as ARN patterns.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
export type ExemptPrincipals = readonly string[];

/**
 * The IAM role ARN of every account and role pattern (`iamRoleArn`);
 * account `*` in an SCP, which only ever judges principals of the accounts it
 * is attached to.
 */
export function exemptRoleArns(
  accounts: readonly string[],
  rolePatterns: readonly string[],
  partition: Partition,
): string[] {
  return [
    ...new Set(accounts.flatMap((account) => rolePatterns.map((role) => iamRoleArn(account, role, partition)))),
  ].sort();
}

/**
 * SCP condition: every principal whose ARN is not exempt. The member account's
 * root user (its `...:root` ARN) is never exempt. SCPs never judge
 * service principals, service-linked roles or the management account.
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 */
function notExempt(exempt: ExemptPrincipals): Conditions {
  return { ArnNotLike: { "aws:PrincipalArn": [...exempt] } };
}

/**
 * RCP condition: every IAM principal, of any account, whose ARN is not exempt.
 * AWS services acting with their own service principal are left alone, as in
 * AWS's own RCP examples: a service principal reaches these resources only
 * where their policies (which the same RCP protects) grant it, and none does
 * for a denied action. `aws:PrincipalIsAWSService` is in every signed request.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice
 */
function notExemptNorService(exempt: ExemptPrincipals): Conditions {
  return { ...notExempt(exempt), Bool: { "aws:PrincipalIsAWSService": "false" } };
}

/** Both ARN forms of a log group in any account and Region. */
function logGroupArns(names: readonly string[], partition: Partition): string[] {
  // IAM policies name a log group with a trailing ":*" for every action but
  // tagging; the form without it is listed too, so neither form slips through.
  // @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-access-control-overview-cwl.html
  return names.flatMap((name) => {
    const group = arn({ partition, service: "logs", region: "*", account: "*", resource: `log-group:${name}` });
    return [group, `${group}:*`];
  });
}

/** What the source accounts' guardrails protect. */
export interface SourceGuardrailInputs {
  readonly prefix: string;
  /**
   * Log groups that carry one of the pipeline's subscription filters in some
   * account and Region (listed mode, and the pipeline's own groups there).
   * The same name in another account is covered too: an SCP cannot tell the
   * accounts apart without naming every one.
   */
  readonly subscribedLogGroups: readonly string[];
  /** Whether some account uses the account-level subscription filter policy (mode all). */
  readonly accountPolicy: boolean;
  /** Whether to deny PutAccountPolicy/DeleteAccountPolicy when `accountPolicy` (see the file comment). */
  readonly denyAccountPolicyChanges: boolean;
  /** Role path-and-name patterns exempt from the guardrails; their roles are protected like the pipeline's. */
  readonly exemptRoles: readonly string[];
  readonly exempt: ExemptPrincipals;
  /**
   * A principal that creates some of the protected roles: exempt for those
   * roles' changes only, judged by every other guardrail (the StackSet
   * execution role that creates the Terraform Cloud run roles and Atlantis's
   * deployment role).
   * @default - none
   */
  readonly roleCreator?: RoleCreator;
  /** The organization's partition (an SCP names every Region, so no Region tells it). */
  readonly partition: Partition;
}

/** Who may create and change which protected roles, and nothing else of the pipeline. */
export interface RoleCreator {
  /** The creator's role ARN patterns (`aws:PrincipalArn`). */
  readonly principals: ExemptPrincipals;
  /** Names of the roles it creates (exact names, no path): every other protected role stays denied to it. */
  readonly roleNames: readonly string[];
}

/**
 * Whether an ARN pattern of a policy (`*` any characters, `?` one) matches an
 * ARN, as ArnLike compares them.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 */
export function arnPatternMatches(pattern: string, target: string): boolean {
  const regex = pattern
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${regex}$`).test(target);
}

/**
 * The account-level subscription filter policy. PutAccountPolicy and
 * DeleteAccountPolicy document no resource type and no condition key, so
 * Resource is "*": every account policy of every type is denied.
 */
export function denyAccountPolicyChanges(exempt: ExemptPrincipals): Statement {
  return {
    Sid: "DenyAccountPolicyChanges",
    Effect: "Deny",
    Action: ["logs:DeleteAccountPolicy", "logs:PutAccountPolicy"],
    Resource: "*",
    Condition: notExempt(exempt),
  };
}

/**
 * The pipeline's subscription filters (listed mode): on the log groups they
 * are on, since the filter name reaches no condition key. Other log groups,
 * and so customers' own filters on them, are untouched.
 */
export function denySubscriptionFilterChanges(
  logGroups: readonly string[],
  exempt: ExemptPrincipals,
  partition: Partition,
): Statement {
  return {
    Sid: "DenySubscriptionFilterChanges",
    Effect: "Deny",
    Action: ["logs:DeleteSubscriptionFilter", "logs:PutSubscriptionFilter"],
    Resource: logGroupArns(logGroups, partition),
    Condition: notExempt(exempt),
  };
}

/** The pipeline's own log groups: the heartbeat, GuardDuty findings and the stream's error log. */
export function denyPipelineLogGroupChanges(prefix: string, exempt: ExemptPrincipals, partition: Partition): Statement {
  const names = sourceNames(prefix, "*", "*", partition);
  return {
    Sid: "DenyPipelineLogGroupChanges",
    Effect: "Deny",
    Action: [
      "logs:AssociateKmsKey",
      "logs:DeleteLogGroup",
      "logs:DeleteRetentionPolicy",
      "logs:DisassociateKmsKey",
      "logs:PutRetentionPolicy",
    ],
    Resource: logGroupArns([names.heartbeatLogGroup, names.guardDutyLogGroup, names.errorLogGroup], partition),
    Condition: notExempt(exempt),
  };
}

/** The delivery stream of every source account and Region, by its ARN pattern. */
export function denyDeliveryStreamChanges(prefix: string, exempt: ExemptPrincipals, partition: Partition): Statement {
  return {
    Sid: "DenyDeliveryStreamChanges",
    Effect: "Deny",
    Action: [
      "firehose:DeleteDeliveryStream",
      "firehose:StartDeliveryStreamEncryption",
      "firehose:StopDeliveryStreamEncryption",
      "firehose:UpdateDestination",
    ],
    Resource: sourceNames(prefix, "*", "*", partition).deliveryStreamArn,
    Condition: notExempt(exempt),
  };
}

/** IAM calls that create, delete or change what a role may do or who may assume it. */
const ROLE_CHANGES = [
  "iam:AttachRolePolicy",
  "iam:CreateRole",
  "iam:DeleteRole",
  "iam:DeleteRolePermissionsBoundary",
  "iam:DeleteRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePermissionsBoundary",
  "iam:PutRolePolicy",
  "iam:UpdateAssumeRolePolicy",
  "iam:UpdateRole",
] as const;

/**
 * The pipeline's roles (delivery and subscription roles of every Region, by
 * name pattern) and the exempt roles themselves: otherwise an administrator
 * could create a role with an exempt name where none exists yet (an invited
 * account has no OrganizationAccountAccessRole), or trust themselves in one.
 *
 * A role creator (the StackSet execution role) gets a statement of its own:
 * the exempt role patterns that cover a role it creates, and those roles,
 * deny every principal but the exempt ones and the creator; the pipeline's
 * roles and every other exempt role (the break-glass role, the deployment
 * role it does not create) deny the creator too. IAM cannot subtract names
 * from a pattern: a creator may also change roles that match a pattern
 * covering one of its roles (`<runRoleName>*` covers `<runRoleName>-other`),
 * so exact names keep it to its own roles.
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
 */
export function denyRoleChanges(
  prefix: string,
  exemptRoles: readonly string[],
  exempt: ExemptPrincipals,
  roleCreator: RoleCreator | undefined,
  partition: Partition,
): Statement[] {
  const names = sourceNames(prefix, "*", "*", partition);
  // The tamper forwarders too: one edit of a forwarder's trust would blind the account's detection.
  const pipelineRoles = [
    names.deliveryRoleArn,
    names.subscriptionRoleArn,
    iamRoleArn("*", `${prefix}-tamper-forward-*`, partition),
  ];
  const exemptArns = exemptRoleArns(["*"], exemptRoles, partition);
  const statement = (sid: string, resources: readonly string[], notBy: ExemptPrincipals): Statement => ({
    Sid: sid,
    Effect: "Deny",
    Action: [...ROLE_CHANGES],
    Resource: [...resources],
    Condition: notExempt(notBy),
  });
  if (!roleCreator || roleCreator.principals.length === 0 || roleCreator.roleNames.length === 0) {
    return [statement("DenyPipelineAndExemptRoleChanges", [...pipelineRoles, ...exemptArns], exempt)];
  }
  const createdArns = [...new Set(roleCreator.roleNames.map((role) => iamRoleArn("*", role, partition)))].sort();
  const covers = (pattern: string) => createdArns.some((created) => arnPatternMatches(pattern, created));
  const uncovered = createdArns.filter((created) => !exemptArns.some((pattern) => arnPatternMatches(pattern, created)));
  return [
    // The creator's own roles too: its exemption goes by role name, so a
    // member administrator who could create or re-trust a role of that name
    // would hold it. StackSets creates and updates its execution role through
    // its service-linked role, which SCPs do not affect.
    // @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
    statement(
      "DenyPipelineAndExemptRoleChanges",
      [...pipelineRoles, ...exemptArns.filter((p) => !covers(p)), ...roleCreator.principals],
      exempt,
    ),
    statement(
      "DenyCreatedRoleChanges",
      [...exemptArns.filter(covers), ...uncovered],
      [...exempt, ...roleCreator.principals],
    ),
  ];
}

/** KMS calls that destroy a key, stop it or replace who may use it. */
const KEY_CHANGES = [
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:PutKeyPolicy",
  "kms:ScheduleKeyDeletion",
] as const;
/** KMS calls that move or remove an alias. */
const ALIAS_CHANGES = ["kms:DeleteAlias", "kms:UpdateAlias"] as const;

/**
 * Keys are named by id, not name: they are found by their alias with
 * kms:ResourceAliases, a multivalued key (hence ForAnyValue). The aliases
 * themselves are denied deletion or repointing by ARN, which keeps the alias
 * condition meaningful.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-resource-aliases
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html
 */
function denyKeyChanges(
  sid: string,
  aliases: readonly string[],
  condition: Conditions,
  principal: Pick<Statement, "Principal">,
  partition: Partition,
): Statement[] {
  return [
    {
      Sid: `Deny${sid}KeyChanges`,
      Effect: "Deny",
      ...principal,
      Action: [...KEY_CHANGES],
      Resource: arn({ partition, service: "kms", region: "*", account: "*", resource: "key/*" }),
      Condition: { ...condition, "ForAnyValue:StringEquals": { "kms:ResourceAliases": [...aliases] } },
    },
    {
      Sid: `Deny${sid}KeyAliasChanges`,
      Effect: "Deny",
      ...principal,
      Action: [...ALIAS_CHANGES],
      Resource: aliases.map((alias) => arn({ partition, service: "kms", region: "*", account: "*", resource: alias })),
      Condition: condition,
    },
  ];
}

/** The heartbeat and GuardDuty rules, and tamper detection's rules. */
export function denyRuleChanges(prefix: string, exempt: ExemptPrincipals, partition: Partition): Statement {
  const names = sourceNames(prefix, "*", "*", partition);
  return {
    Sid: "DenyPipelineRuleChanges",
    Effect: "Deny",
    Action: ["events:DeleteRule", "events:DisableRule", "events:PutRule", "events:PutTargets", "events:RemoveTargets"],
    Resource: [
      names.heartbeatRuleArn,
      names.guardDutyRuleArn,
      arn({ partition, service: "events", region: "*", account: "*", resource: `rule/${tamperRulePrefix(prefix)}*` }),
    ],
    Condition: notExempt(exempt),
  };
}

/** Every SCP statement of the source accounts, in a fixed order. */
export function sourceGuardrailStatements(inputs: SourceGuardrailInputs): Statement[] {
  const { prefix, exempt, partition } = inputs;
  return [
    ...(inputs.accountPolicy && inputs.denyAccountPolicyChanges ? [denyAccountPolicyChanges(exempt)] : []),
    ...(inputs.subscribedLogGroups.length > 0
      ? [denySubscriptionFilterChanges(inputs.subscribedLogGroups, exempt, partition)]
      : []),
    denyPipelineLogGroupChanges(prefix, exempt, partition),
    denyDeliveryStreamChanges(prefix, exempt, partition),
    ...denyRoleChanges(prefix, inputs.exemptRoles, exempt, inputs.roleCreator, partition),
    ...denyKeyChanges(
      "Pipeline",
      [sourceNames(prefix, "*", "*", partition).pipelineKeyAlias],
      notExempt(exempt),
      {},
      partition,
    ),
    denyRuleChanges(prefix, exempt, partition),
  ];
}

/** What the archive's guardrails protect (log-archive and key accounts). */
export interface ArchiveGuardrailInputs {
  readonly prefix: string;
  readonly archiveAccountId: string;
  readonly archiveRegion: string;
  /** @default - no replica */
  readonly replicaRegion?: string;
  /** Whether the archive's server access log buckets exist. */
  readonly accessLogging: boolean;
  /** Keys that encrypted objects the archive still holds (registry archive.previousKeyArns). */
  readonly previousKeyArns: readonly string[];
  readonly exempt: ExemptPrincipals;
  /**
   * Who may still delete archived objects and versions, or loosen their
   * retention: Terraform never does (the buckets are never force-destroyed,
   * lifecycle expiry is S3's own), so only the break-glass role needs it,
   * and a deployment role that someone re-trusts gains no deletion.
   * @default - exempt
   */
  readonly objectDeletionExempt?: ExemptPrincipals;
}

/** The archive's buckets: archive, replica and their access-log buckets. */
export function archiveBucketArns(inputs: Omit<ArchiveGuardrailInputs, "exempt" | "previousKeyArns">): string[] {
  const names = archiveNames({
    prefix: inputs.prefix,
    archiveAccountId: inputs.archiveAccountId,
    archiveRegion: inputs.archiveRegion,
    replicaRegion: inputs.replicaRegion,
  });
  const regions = [inputs.archiveRegion, ...(inputs.replicaRegion ? [inputs.replicaRegion] : [])];
  return [
    names.archiveBucketArn,
    ...(names.replicaBucketArn ? [names.replicaBucketArn] : []),
    ...(inputs.accessLogging
      ? regions.map((r) => arn({ partition: partitionOf(r), service: "s3", resource: names.accessLogBucket(r) }))
      : []),
  ];
}

/**
 * Every RCP statement of the archive: deleting objects or versions, loosening
 * their retention, and changing the buckets' lifecycle, Object Lock,
 * replication, versioning, encryption or policy; scheduling the deletion of,
 * disabling or re-policying the archive, replica and SIEM queue keys (by
 * alias) and the previous archive keys (by ARN). Principal must be "*" in an
 * RCP; the condition picks the principals.
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
 */
export function archiveGuardrailStatements(inputs: ArchiveGuardrailInputs): Statement[] {
  const names = archiveNames({
    prefix: inputs.prefix,
    archiveAccountId: inputs.archiveAccountId,
    archiveRegion: inputs.archiveRegion,
    replicaRegion: inputs.replicaRegion,
  });
  const buckets = archiveBucketArns(inputs);
  const condition = notExemptNorService(inputs.exempt);
  const aliases = [
    names.archiveKeyAlias,
    ...(inputs.replicaRegion ? [names.replicaKeyAlias] : []),
    names.queueKeyAlias,
  ];
  return [
    {
      Sid: "DenyArchiveObjectDeletion",
      Effect: "Deny",
      Principal: "*",
      Action: [...DESTRUCTIVE_OBJECT_ACTIONS],
      Resource: buckets.map((bucket) => `${bucket}/*`),
      Condition: inputs.objectDeletionExempt ? notExemptNorService(inputs.objectDeletionExempt) : condition,
    },
    {
      Sid: "DenyArchiveBucketChanges",
      Effect: "Deny",
      Principal: "*",
      Action: [...PROTECTION_ACTIONS],
      Resource: buckets,
      Condition: condition,
    },
    ...denyKeyChanges("Archive", aliases, condition, { Principal: "*" }, partitionOf(inputs.archiveRegion)),
    ...(inputs.previousKeyArns.length > 0
      ? [
          {
            Sid: "DenyPreviousArchiveKeyChanges",
            Effect: "Deny" as const,
            Principal: "*" as const,
            Action: [...KEY_CHANGES],
            Resource: [...inputs.previousKeyArns],
            Condition: condition,
          },
        ]
      : []),
  ];
}

/** Characters of a document as Organizations receives it from Terraform: compact JSON, counted as sent. */
export function policyCharacters(document: PolicyDocument): number {
  return [...JSON.stringify(document)].length;
}

/**
 * Fits statements into documents of at most `maxCharacters`, first fit: each
 * statement goes into the first document with room for it. A statement too
 * large for a document of its own is then split along its Resource list
 * (Sid, Sid2, Sid3, ...: Sids are alphanumeric), its parts filling the room
 * left in the documents before new ones are started. Statement order inside
 * a policy carries no meaning for IAM, only the statements do.
 * @throws Error when a statement does not fit even with a single resource.
 */
export function packPolicies(statements: readonly Statement[], maxCharacters: number): PolicyDocument[] {
  const fits = (list: readonly Statement[]) => policyCharacters(policyDocument(list)) <= maxCharacters;
  const documents: Statement[][] = [];
  const large: Statement[] = [];
  for (const statement of statements) {
    if (!fits([statement])) {
      large.push(statement);
      continue;
    }
    const room = documents.find((d) => fits([...d, statement]));
    if (room) room.push(statement);
    else documents.push([statement]);
  }
  for (const statement of large) {
    if (!Array.isArray(statement.Resource)) {
      throw new Error(
        `statement ${statement.Sid} does not fit ${maxCharacters} characters and has no Resource list to split`,
      );
    }
    const resources = [...(statement.Resource as readonly string[])];
    let next = 0;
    for (let part = 0; next < resources.length; part++) {
      const piece = (list: readonly string[]): Statement => ({
        ...statement,
        Sid: part === 0 ? statement.Sid : `${statement.Sid}${part + 1}`,
        Resource: [...list],
      });
      const first = [resources[next]!];
      let target = documents.find((d) => fits([...d, piece(first)]));
      if (!target) {
        if (!fits([piece(first)])) {
          throw new Error(`statement ${statement.Sid} does not fit ${maxCharacters} characters even with one resource`);
        }
        target = [];
        documents.push(target);
      }
      let count = 1;
      while (next + count < resources.length && fits([...target, piece(resources.slice(next, next + count + 1))]))
        count++;
      target.push(piece(resources.slice(next, next + count)));
      next += count;
    }
  }
  return documents.map((list) => policyDocument(list));
}
