/**
 * AWS KMS: key policies (administrable, within size), deletion window,
 * rotation period and alias names.
 */
import type { TfJson } from "../../helpers/synth";
import { actionMatches, list, principals, statementsOf, utf8Bytes } from "../lib/policy";
import { defineRule, type Rule } from "../lib/rule";
import { all, first, partitionOfRegion, provider, stackAccount, stackRegion, unresolved, type Res } from "../lib/tf";
import { uniqueNameRule } from "../lib/unique";

const SERVICE = "kms";

const keys = (stack: TfJson) => all(stack, "aws_kms_key");
const withPolicy = (stack: TfJson) => [
  ...keys(stack).filter((k) => typeof k.config.policy === "string"),
  ...all(stack, "aws_kms_key_policy"),
];

/** Principals that stand for the key's own account: its root, the bare id, or the role the stack deploys with. */
function accountPrincipals(stack: TfJson, account: string): string[] {
  const deployRole: string | undefined = first(provider(stack).assume_role)?.role_arn;
  const root = `arn:${partitionOfRegion(stackRegion(stack))}:iam::${account}:root`;
  return [`AWS:${root}`, `AWS:${account}`, ...(deployRole ? [`AWS:${deployRole}`] : [])];
}

export const keyPolicyKeepsAdministration = defineRule<Res>({
  id: "kms-key-policy-keeps-account-administration",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html",
  description:
    "Unless BypassPolicyLockoutSafetyCheck is set, 'the key policy must allow the calling principal to make a " +
    "subsequent PutKeyPolicy request on the KMS key' (CreateKey applies the same lockout safety check). Checked " +
    "statically: an unconditional Allow statement whose principal is the key's own account (its root, which " +
    "delegates to IAM as in the default key policy, or the role the stack deploys with) with an action matching " +
    "kms:PutKeyPolicy on Resource *, and no Deny that could match kms:PutKeyPolicy for every principal.",
  needs: "any stack (every stack has a KMS key)",
  targets: withPolicy,
  address: (k) => k.address,
  violations: (key, stack) => {
    const account = stackAccount(stack);
    if (!account) return ["the stack's account is unknown (no allowed_account_ids nor assume_role), cannot check"];
    const statements = statementsOf(key.config.policy);
    if (!statements) return ["policy is not a JSON policy document"];
    const ours = accountPrincipals(stack, account);
    const administers = statements.some(
      (s) =>
        s.Effect === "Allow" &&
        s.Condition === undefined &&
        principals(s).some((p) => ours.includes(p)) &&
        list(s.Action).some((a) => actionMatches(a, "kms:PutKeyPolicy")) &&
        list(s.Resource).includes("*"),
    );
    const out: string[] = [];
    if (!administers) {
      out.push(
        `no unconditional Allow of kms:PutKeyPolicy on * to a principal of account ${account}: the key would be locked out`,
      );
    }
    for (const s of statements) {
      if (
        s.Effect === "Deny" &&
        principals(s).includes("*") &&
        list(s.Action).some((a) => actionMatches(a, "kms:PutKeyPolicy"))
      ) {
        out.push(
          `statement ${s.Sid ?? "(no Sid)"} denies kms:PutKeyPolicy to every principal${s.Condition ? " under a condition this check cannot evaluate" : ""}`,
        );
      }
    }
    return out;
  },
});

export const keyPolicyStatementsHavePrincipals = defineRule<Res>({
  id: "kms-key-policy-statements-have-principals",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html",
  description: "'Each statement in the key policy must contain one or more principals.'",
  needs: "any stack",
  targets: withPolicy,
  address: (k) => k.address,
  violations: (key) =>
    (statementsOf(key.config.policy) ?? [])
      .filter((s) => principals(s).length === 0)
      .map((s) => `statement ${s.Sid ?? "(no Sid)"} has no Principal`),
});

// "Key policy document size: 32 KB (32,768 bytes)", not adjustable.
const KEY_POLICY_BYTES = 32_768;

export const keyPolicySize = defineRule<Res>({
  id: "kms-key-policy-size",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html",
  description:
    "A key policy document is at most 32 KB (32,768 bytes). Measured in UTF-8 bytes as sent, references resolved " +
    "(a KMS key ARN counted at 87 characters, the longest partition, Region and multi-Region key id).",
  needs: "any stack",
  targets: withPolicy,
  address: (k) => k.address,
  violations: (key, stack) => {
    const size = utf8Bytes(stack, key.config.policy);
    return size <= KEY_POLICY_BYTES ? [] : [`key policy is ${size} bytes, at most ${KEY_POLICY_BYTES} allowed`];
  },
});

export const deletionWindow = defineRule<Res>({
  id: "kms-deletion-window",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html",
  description:
    "PendingWindowInDays 'must be between 7 and 30, inclusive'. (The provider validates this too, at plan; it is " +
    "checked here because no plan runs in these tests.)",
  needs: "any stack",
  targets: (stack) => keys(stack).filter((k) => k.config.deletion_window_in_days !== undefined),
  address: (k) => k.address,
  violations: (key) => {
    const d = key.config.deletion_window_in_days;
    return Number.isInteger(d) && d >= 7 && d <= 30 ? [] : [`deletion_window_in_days is ${d}, must be 7-30`];
  },
});

export const rotationPeriod = defineRule<Res>({
  id: "kms-rotation-period",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html",
  description:
    "RotationPeriodInDays: 'Valid Range: Minimum value of 90. Maximum value of 2560', and it only applies with " +
    "automatic rotation enabled.",
  needs: "any stack (keys with rotation)",
  targets: (stack) =>
    keys(stack).filter((k) => k.config.enable_key_rotation === true || k.config.rotation_period_in_days !== undefined),
  address: (k) => k.address,
  violations: (key) => {
    const p = key.config.rotation_period_in_days;
    const out: string[] = [];
    if (p !== undefined && !(Number.isInteger(p) && p >= 90 && p <= 2560))
      out.push(`rotation_period_in_days is ${p}, must be 90-2560`);
    if (p !== undefined && key.config.enable_key_rotation !== true)
      out.push("rotation_period_in_days without enable_key_rotation");
    return out;
  },
});

export const aliasName = defineRule<Res>({
  id: "kms-alias-name",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html",
  description:
    "An alias is 1-256 characters of alphanumerics, '/', '_' and '-', written alias/<name>; the alias/aws/ prefix " +
    "is reserved for AWS managed keys.",
  needs: "any stack",
  targets: (stack) =>
    all(stack, "aws_kms_alias").filter((a) => typeof a.config.name === "string" && !unresolved(a.config.name)),
  address: (a) => a.address,
  violations: (alias) => {
    const name: string = alias.config.name;
    const out: string[] = [];
    if (!/^alias\/[A-Za-z0-9/_-]+$/.test(name) || name.length > 256)
      out.push(`alias "${name}" is not alias/ followed by [A-Za-z0-9/_-], 256 at most`);
    if (name.startsWith("alias/aws/")) out.push(`alias "${name}" uses the reserved alias/aws/ prefix`);
    return out;
  },
});

export const aliasUnique = uniqueNameRule({
  id: "kms-alias-unique-per-region",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html",
  description:
    "An alias name is unique in its account and Region: CreateAlias answers AlreadyExistsException for a second one.",
  needs: "any stack",
  type: "aws_kms_alias",
  nameOf: (c) => c.name,
  perRegion: true,
});

const SOURCE_KEYS = ["aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID"];

/** The condition keys of a statement, whatever their operators. */
function conditionKeys(statement: { Condition?: Record<string, Record<string, unknown>> }): string[] {
  return Object.values(statement.Condition ?? {}).flatMap((byKey) => Object.keys(byKey));
}

export const eventBridgeTopicKeyGrant = defineRule<Res>({
  id: "kms-eventbridge-to-encrypted-topic-no-source-conditions",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services",
  description:
    "EventBridge publishing to an SNS topic encrypted with a customer managed key: 'Adding the aws:SourceAccount, " +
    "aws:SourceArn, and aws:SourceOrgID to a AWS KMS policy is not supported for EventBridge-to-encrypted topics' " +
    "(every delivery fails). A key policy statement granting the EventBridge service principal a data key or " +
    "decryption must carry none of them; the topic policy carries the rule's conditions.",
  needs: "tamper detection with alarms (the tamper bus notifies the encrypted alarm topic)",
  targets: withPolicy,
  address: (k) => k.address,
  violations: (key) =>
    (statementsOf(key.config.policy) ?? [])
      .filter(
        (s) =>
          s.Effect === "Allow" &&
          principals(s).some((p) => /^Service:events\.amazonaws\.com(\.cn)?$/.test(p)) &&
          list(s.Action).some((a) => actionMatches(a, "kms:GenerateDataKey") || actionMatches(a, "kms:Decrypt")),
      )
      .flatMap((s) =>
        conditionKeys(s)
          .filter((k) => SOURCE_KEYS.includes(k))
          .map(
            (k) =>
              `statement ${s.Sid ?? "(no Sid)"} grants EventBridge with ${k}: SNS deliveries from EventBridge fail`,
          ),
      ),
});

export const rules: readonly Rule[] = [
  eventBridgeTopicKeyGrant,
  keyPolicyKeepsAdministration,
  keyPolicyStatementsHavePrincipals,
  keyPolicySize,
  deletionWindow,
  rotationPeriod,
  aliasName,
  aliasUnique,
];
