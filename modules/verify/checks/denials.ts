/**
 * The denials the design promises. Where the command holds credentials of
 * that principal, a real call that must fail with AccessDenied (its probes go
 * under the run's `verify/<run>/` prefix, so a broken denial writes nothing
 * anywhere else, and `--cleanup` removes it). The source's delivery role
 * trusts only Firehose, so its denials go through IAM's policy simulator
 * with the live bucket policy as the resource policy: AWS's evaluation, not
 * this project's. Each simulated denial is paired with an allowed control
 * (the role writing under its own prefix) so that a simulation that denies
 * everything cannot pass.
 */
import { partitionOf } from "../../naming/partition";
import { accountRegionDataPrefix } from "../../naming/key-layout";
import { arn } from "../../naming/arn";
import { kmsAliasArn } from "../../naming/names";
import type { VerifyContext } from "../context";
import { isAccessDenied, type Simulation, type SimulationInput } from "../ports";
import {
  errorEvidence,
  fail,
  notApplicable,
  pass,
  type CheckResult,
  type CheckSpec,
  messageOf,
  judged,
  inconclusive,
} from "../result";

export const DENY_SSE_S3_PUT = { id: "deny-unencrypted-put", title: "Put without the archive key refused (SSE-S3)" };
export const DENY_WRONG_KEY_PUT = { id: "deny-wrong-key-put", title: "Put with another KMS key refused" };
export const DENY_ADMIN_DECRYPT = {
  id: "deny-archive-admin-reads",
  title: "Log-archive administrator cannot read (decrypt) archived logs",
};
export const DENY_SOURCE_READS = { id: "deny-source-reads-archive", title: "Source account cannot read the archive" };
export const DENY_READER_WRITES = { id: "deny-reader-writes", title: "SIEM reader cannot write" };
export const DENY_DELIVERY_OTHER_PREFIX = {
  id: "deny-delivery-role-other-prefix",
  title: "Delivery role cannot write under another account's prefix (simulated)",
};
export const DENY_DELIVERY_READ = {
  id: "deny-delivery-role-read",
  title: "Delivery role cannot read the archive (simulated)",
};
export const DENY_DELIVERY_DELETE = {
  id: "deny-delivery-role-delete",
  title: "Delivery role cannot delete archived objects (simulated)",
};

/**
 * Which policy refused a request, from S3's access denied message. S3 names
 * the policy type for requests within the bucket owner's account or
 * organization ("... with an explicit deny in a resource-based policy", "...
 * in a service control policy", "... in a resource control policy").
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html#access-denied-message-examples
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 */
export type Refusal = "bucket-policy" | "scp" | "rcp" | "other";

export function refusalBy(message: string): Refusal {
  if (/with an explicit deny in a resource-based policy/i.test(message)) return "bucket-policy";
  if (/with an explicit deny in a service control policy/i.test(message)) return "scp";
  if (/with an explicit deny in a resource control policy/i.test(message)) return "rcp";
  return "other";
}

const REFUSER = { scp: "a service control policy", rcp: "a resource control policy" } as const;

/**
 * A call that must be refused; a success is recorded for cleanup and fails the check.
 * With `byBucketPolicy`, only the bucket policy's explicit deny passes: an
 * SCP's or RCP's denial says nothing of the bucket policy (not applicable,
 * naming what denied), any other refusal fails.
 */
async function expectDenied(
  ctx: VerifyContext,
  spec: CheckSpec,
  what: string,
  call: () => Promise<{ readonly requestId?: string; readonly versionId?: string }>,
  written?: string,
  byBucketPolicy = false,
): Promise<CheckResult> {
  try {
    const result = await call();
    if (written)
      ctx.created.objects.push({ bucket: ctx.target.archiveBucket, key: written, versionId: result.versionId });
    return fail(spec, `${what} succeeded; expected AccessDenied`, [
      { what, requestId: result.requestId, key: written },
    ]);
  } catch (error) {
    const evidence = [errorEvidence(what, error)];
    if (!isAccessDenied(error)) {
      return judged(error, fail(spec, `${what}: expected AccessDenied, got ${messageOf(error)}`, evidence));
    }
    if (!byBucketPolicy) return pass(spec, `${what}: AccessDenied`, evidence);
    const by = refusalBy(error.message);
    if (by === "bucket-policy") {
      return pass(spec, `${what}: AccessDenied, an explicit deny of the bucket policy`, evidence);
    }
    if (by === "scp" || by === "rcp") {
      return notApplicable(
        spec,
        `${what}: refused by ${REFUSER[by]} of AWS Organizations before the bucket policy was reached; the bucket policy's own denial is not observed (${messageOf(error)}, request id ${error.requestId ?? "-"})`,
      );
    }
    if (/no identity-based policy allows/i.test(error.message)) {
      // The caller's own policy refused before the bucket policy could: the probe proves nothing of the bucket policy.
      return inconclusive(
        spec,
        `${what}: AccessDenied by the caller's own identity policy, not the bucket policy (the log-archive credentials need the action to probe the bucket policy): ${messageOf(error)}`,
        evidence,
      );
    }
    return fail(
      spec,
      `${what}: AccessDenied, but not the bucket policy's explicit deny: ${messageOf(error)}`,
      evidence,
    );
  }
}

export function checkSseS3PutDenied(ctx: VerifyContext): Promise<CheckResult> {
  const key = `${ctx.marker.probePrefix}sse-s3`;
  return expectDenied(
    ctx,
    DENY_SSE_S3_PUT,
    `PutObject ${key} with SSE-S3 as the log-archive administrator`,
    () => ctx.ports.archive.s3.put(ctx.target.archiveBucket, key, ctx.marker.message, { algorithm: "AES256" }),
    key,
    true,
  );
}

export function checkWrongKeyPutDenied(ctx: VerifyContext): Promise<CheckResult> {
  const key = `${ctx.marker.probePrefix}wrong-key`;
  // The AWS managed key of S3 in the archive account: any key but the archive key.
  const otherKey = kmsAliasArn(ctx.target.archiveRegion, ctx.target.archiveAccountId, "alias/aws/s3");
  return expectDenied(
    ctx,
    DENY_WRONG_KEY_PUT,
    `PutObject ${key} with ${otherKey} as the log-archive administrator`,
    () =>
      ctx.ports.archive.s3.put(ctx.target.archiveBucket, key, ctx.marker.message, {
        algorithm: "aws:kms",
        kmsKeyId: otherKey,
      }),
    key,
    true,
  );
}

export async function checkAdminCannotRead(ctx: VerifyContext): Promise<CheckResult> {
  if (!ctx.found) return notApplicable(DENY_ADMIN_DECRYPT, "no marker object to read (see delivery)");
  const key = ctx.found.key;
  return expectDenied(ctx, DENY_ADMIN_DECRYPT, `GetObject ${key} as the log-archive administrator`, async () => {
    const got = await ctx.ports.archive.s3.get(ctx.target.archiveBucket, key);
    return { requestId: got.requestId };
  });
}

export async function checkSourceCannotRead(ctx: VerifyContext): Promise<CheckResult> {
  if (!ctx.found) return notApplicable(DENY_SOURCE_READS, "no marker object to read (see delivery)");
  const key = ctx.found.key;
  return expectDenied(ctx, DENY_SOURCE_READS, `GetObject ${key} as the source account`, async () => {
    const got = await ctx.ports.source.s3.get(ctx.target.archiveBucket, key);
    return { requestId: got.requestId };
  });
}

export async function checkReaderCannotWrite(ctx: VerifyContext): Promise<CheckResult> {
  const reader = ctx.reader;
  if (!reader) return notApplicable(DENY_READER_WRITES, ctx.readerProblem ?? "no reader credentials");
  const key = `${ctx.marker.probePrefix}reader-write`;
  return expectDenied(
    ctx,
    DENY_READER_WRITES,
    `PutObject ${key} as the SIEM reader`,
    () => reader.s3.put(ctx.target.archiveBucket, key, ctx.marker.message, { algorithm: "aws:kms" }),
    key,
  );
}

/** The live bucket policy and archive key, read once (log-archive credentials). */
async function loadPolicy(
  ctx: VerifyContext,
): Promise<{ policy: string; keyArn: string } | { problem: string; error: unknown }> {
  try {
    if (ctx.bucketPolicy === undefined) {
      ctx.bucketPolicy = (await ctx.ports.archive.s3.bucketPolicy(ctx.target.archiveBucket)).policy;
    }
    if (ctx.archiveKeyArn === undefined) {
      ctx.archiveKeyArn = (await ctx.ports.archive.s3.bucketKey(ctx.target.archiveBucket)).kmsKeyId ?? "";
    }
    return { policy: ctx.bucketPolicy, keyArn: ctx.archiveKeyArn };
  } catch (error) {
    return { problem: `cannot read the archive bucket's policy or default encryption: ${messageOf(error)}`, error };
  }
}

/**
 * An identity policy granting every S3 action on the archive, added to the
 * delivery role's own for the simulation. The role's own policy allows only
 * PutObject under its prefix, so without this grant every other request is
 * an implicitDeny of the identity side whatever the bucket policy says; with
 * it, only the bucket policy (or an SCP or permissions boundary, reported
 * apart) can refuse.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html (PolicyInputList)
 */
export function grantEverythingOnArchive(bucketArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`] }],
  });
}

/**
 * SimulatePrincipalPolicy needs an IAM user as the caller when a resource
 * policy is given; the bucket policy names principals by condition, not by
 * ARN, so a user name that need not exist stands in, and the conditions get
 * the delivery role's values as context.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
 */
function simulation(
  ctx: VerifyContext,
  roleArn: string,
  policy: string,
  keyArn: string,
  action: string,
  key: string,
): SimulationInput {
  const { target } = ctx;
  return {
    policySourceArn: roleArn,
    callerArn: arn({
      partition: partitionOf(target.sourceRegion),
      service: "iam",
      account: target.sourceAccountId,
      resource: `user/${target.prefix}-verify-simulated-caller`,
    }),
    action,
    resourceArn: `${target.archiveBucketArn}/${key}`,
    resourcePolicy: policy,
    resourceOwner: target.archiveOwnerArn,
    context: {
      "aws:PrincipalOrgID": target.organizationId,
      "aws:PrincipalArn": roleArn,
      "aws:PrincipalAccount": target.sourceAccountId,
      "aws:SecureTransport": "true",
      "aws:PrincipalIsAWSService": "false",
      "s3:x-amz-server-side-encryption": "aws:kms",
      "s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn,
    },
    policyInputList: [grantEverythingOnArchive(target.archiveBucketArn)],
  };
}

/**
 * Whether a simulated refusal is the bucket policy's. With every S3 action
 * granted on the identity side, a refusal is the resource policy's unless
 * the organization's SCPs or a permissions boundary refused first
 * (OrganizationsDecisionDetail, PermissionsBoundaryDecisionDetail) or an
 * explicit deny matched a statement outside the resource policy
 * (MatchedStatements' SourcePolicyType). The archive is in another account,
 * so an implicitDeny means the bucket policy grants the request to no one in
 * the source account: cross-account access needs the resource policy's allow.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */
export function refusedByBucketPolicy(result: Simulation): string | undefined {
  if (result.allowedByOrganizations === false) return "a service control policy refused it, not the bucket policy";
  if (result.allowedByPermissionsBoundary === false) {
    return "the role's permissions boundary refused it, not the bucket policy";
  }
  if (result.decision === "explicitDeny") {
    const types = [...new Set(result.matched.map((m) => m.sourcePolicyType ?? "unknown"))];
    if (types.includes("resource")) return undefined;
    return `an explicit deny outside the bucket policy refused it (${types.join(", ") || "no matched statement"})`;
  }
  // IAM fills EvalDecisionDetails for cross-account simulations only: without a
  // refusing entry there, the simulation did not show the resource policy's part.
  if (!Object.values(result.details).some((v) => v !== "allowed")) {
    return "IAM's EvalDecisionDetails do not show which policy refused it (was it simulated as cross-account?)";
  }
  return undefined;
}

function decisionText(result: Simulation): string {
  const details = Object.entries(result.details).map(([k, v]) => `${k}: ${v}`);
  const matched = result.matched.map((m) => `${m.sourcePolicyType ?? "?"} ${m.sourcePolicyId ?? ""}`.trim());
  return [
    result.decision,
    ...(matched.length > 0 ? [`matched ${matched.join(", ")}`] : []),
    ...(details.length > 0 ? [details.join(", ")] : []),
  ].join("; ");
}

async function simulatedDenial(ctx: VerifyContext, spec: CheckSpec, action: string, key: string): Promise<CheckResult> {
  const roleArn = ctx.target.deliveryRoleArn;
  if (!roleArn) {
    return notApplicable(
      spec,
      "central topology: no delivery role in the source; the central stream takes the account from each record",
    );
  }
  const loaded = await loadPolicy(ctx);
  if ("problem" in loaded) {
    const needs = "s3:GetBucketPolicy and GetEncryptionConfiguration in the log-archive account";
    return judged(loaded.error, fail(spec, loaded.problem), needs);
  }
  const { iam } = ctx.ports.source;
  const own = `${accountRegionDataPrefix(ctx.target.sourceAccountId, ctx.target.sourceRegion)}${ctx.marker.probePrefix}simulated`;
  try {
    const control = await iam.simulate(simulation(ctx, roleArn, loaded.policy, loaded.keyArn, "s3:PutObject", own));
    const controlEvidence = {
      what: `control: simulated s3:PutObject under its own prefix: ${decisionText(control)}`,
      requestId: control.requestId,
      key: own,
    };
    if (control.decision !== "allowed") {
      return fail(
        spec,
        `the simulation refuses even the delivery role's own write (${control.decision}): it cannot judge this denial`,
        [controlEvidence],
      );
    }
    const result = await iam.simulate(simulation(ctx, roleArn, loaded.policy, loaded.keyArn, action, key));
    const evidence = [
      controlEvidence,
      { what: `simulated ${action}: ${decisionText(result)}`, requestId: result.requestId, key },
    ];
    if (result.decision === "allowed") {
      return fail(spec, `${action} on ${key} is allowed for the delivery role by the bucket policy`, evidence);
    }
    const elsewhere = refusedByBucketPolicy(result);
    if (elsewhere) return fail(spec, `${action} on ${key}: ${result.decision}, but ${elsewhere}`, evidence);
    const how =
      result.decision === "explicitDeny"
        ? "an explicit deny of the bucket policy"
        : "the bucket policy grants it to no one in the source account";
    return pass(spec, `${action} on ${key}: ${result.decision} (${how})`, evidence);
  } catch (error) {
    return judged(
      error,
      fail(
        spec,
        `SimulatePrincipalPolicy failed (the source credentials need iam:SimulatePrincipalPolicy): ${messageOf(error)}`,
        [errorEvidence("SimulatePrincipalPolicy", error)],
      ),
      "iam:SimulatePrincipalPolicy in the source account",
    );
  }
}

export function checkDeliveryOtherPrefixDenied(ctx: VerifyContext): Promise<CheckResult> {
  const other = ctx.target.otherAccountIds[0] ?? "000000000000";
  const key = `${accountRegionDataPrefix(other, ctx.target.sourceRegion)}${ctx.marker.probePrefix}simulated`;
  return simulatedDenial(ctx, DENY_DELIVERY_OTHER_PREFIX, "s3:PutObject", key);
}

export function checkDeliveryReadDenied(ctx: VerifyContext): Promise<CheckResult> {
  const key = ctx.found?.key ?? `${accountRegionDataPrefix(ctx.target.sourceAccountId, ctx.target.sourceRegion)}x`;
  return simulatedDenial(ctx, DENY_DELIVERY_READ, "s3:GetObject", key);
}

export function checkDeliveryDeleteDenied(ctx: VerifyContext): Promise<CheckResult> {
  const key = ctx.found?.key ?? `${accountRegionDataPrefix(ctx.target.sourceAccountId, ctx.target.sourceRegion)}x`;
  return simulatedDenial(ctx, DENY_DELIVERY_DELETE, "s3:DeleteObject", key);
}
