/**
 * The archive's keys held in a key-management account: the archive key and
 * the SIEM queue key in the archive's Region, the replica key in the replica
 * Region. Their policies grant exactly the uses the archive has when it holds
 * its own keys (the same builders, see archive/key-statements.ts), moved to
 * the key account: the key account administers and never uses them, the
 * log-archive account uses them through its roles and services and may only
 * describe them (its stack reads their ARNs by alias).
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
 */
import { partitionOf } from "../naming/partition";
import { Construct } from "constructs";
import { ProtectedKey } from "../constructs/protected-key";
import { retire, under } from "../constructs/retirement";
import { formatSettingProblem, isAccountIdOrToken, throwIfProblems } from "../constructs/validation";
import { keyAdministratorProblems } from "./key-rules";
import { archiveNames, DEFAULT_NAME_PREFIX } from "../naming/names";
import { heldInKeyAccount } from "../policy/archive-policies";
import { archiveKeyStatements, type ArchiveKeyInputs } from "../archive/key-statements";
import { TamperWatch, type TamperWatchRegion } from "../monitoring/tamper-watch";
import { aliasWatches, keyWatches } from "../policy/tamper-patterns";

export interface LogKeysProps {
  /** The key-management account (the enclosing stack's account). */
  readonly keyAccountId: string;
  /**
   * Principals of the key account that administer the keys: IAM role or user
   * ARNs of `keyAccountId`. The principal that applies the stack must be one
   * of them, or KMS refuses the policy (its lockout safety check).
   */
  readonly administrators: readonly string[];
  /** The archive whose keys these are: the same props as its LogArchive. */
  readonly archive: ArchiveKeyInputs;
  /**
   * Tamper detection of the keys and their aliases (deletion, disabling,
   * policy and alias changes), forwarded to the log-archive account's tamper
   * bus.
   * @default - no tamper detection
   */
  readonly tamper?: KeyTamperSettings;
}

/** Tamper detection in the key-management account. */
export interface KeyTamperSettings {
  /** ARN of the tamper bus in the log-archive account. */
  readonly busArn: string;
  /**
   * IAM role ARNs whose configuration calls do not notify (the role the stack
   * is applied with). Destructive calls notify whoever the caller.
   * @default - none: every watched call notifies
   */
  readonly exemptRoleArns?: readonly string[];
  /**
   * Watch the forwarding role in us-east-1; off when the key account is also
   * a source, whose stack watches every `<prefix>-tamper-forward-*` role.
   * @default false
   */
  readonly watchForwarder?: boolean;
}

function logKeysProblems(props: LogKeysProps): string[] {
  const problems: string[] = [];
  if (!isAccountIdOrToken(props.keyAccountId)) {
    problems.push(`keyAccountId: expected a 12-digit AWS account id, got ${JSON.stringify(props.keyAccountId)}`);
  }
  if (props.keyAccountId === props.archive.accountId) {
    problems.push("keyAccountId: expected an account other than the log-archive account (archive.accountId)");
  }
  if (props.administrators.length === 0) {
    problems.push(
      "administrators: expected at least one IAM role or user of the key account (KMS's lockout safety check)",
    );
  }
  // The registry's rule and message.
  problems.push(...keyAdministratorProblems(props.keyAccountId, props.administrators).map(formatSettingProblem));
  return problems;
}

export class LogKeys extends Construct {
  readonly archiveKey: ProtectedKey;
  readonly queueKey: ProtectedKey;
  /** Present when the archive replicates. */
  readonly replicaKey?: ProtectedKey;
  readonly tamperWatch?: TamperWatch;

  constructor(scope: Construct, id: string, props: LogKeysProps) {
    super(scope, id);
    const problems = logKeysProblems(props);
    throwIfProblems("LogKeys", this, problems);
    const { archive } = props;
    const names = archiveNames({
      prefix: archive.namePrefix ?? DEFAULT_NAME_PREFIX,
      archiveAccountId: archive.accountId,
      archiveRegion: archive.region,
      replicaRegion: archive.archive.replicaRegion,
    });
    const statements = archiveKeyStatements(archive);
    const held = {
      accountId: props.keyAccountId,
      administrators: props.administrators,
      userAccountId: archive.accountId,
      partition: partitionOf(archive.region),
    };
    this.archiveKey = new ProtectedKey(this, "ArchiveKey", {
      region: archive.region,
      description: `Encrypts the CloudWatch Logs archive of account ${archive.accountId}`,
      alias: names.archiveKeyAlias,
      // The key account's own writers (its delivery stream, Config recorder,
      // agents) write into the archive through S3 like every other account's.
      statements: heldInKeyAccount(statements.archive, held, {
        region: archive.region,
        bucketArn: names.archiveBucketArn,
      }),
    });
    this.queueKey = new ProtectedKey(this, "QueueKey", {
      region: archive.region,
      description: `Encrypts the SIEM notification queues of the CloudWatch Logs archive of account ${archive.accountId}`,
      alias: names.queueKeyAlias,
      statements: heldInKeyAccount(statements.queue, held),
    });
    if (statements.replica && archive.archive.replicaRegion !== undefined) {
      this.replicaKey = new ProtectedKey(this, "ReplicaKey", {
        region: archive.archive.replicaRegion,
        description: `Encrypts the replica of the CloudWatch Logs archive of account ${archive.accountId}`,
        alias: names.replicaKeyAlias,
        statements: heldInKeyAccount(statements.replica, held),
      });
    }
    if (!this.replicaKey) retire(this, under("ReplicaKey", ProtectedKey.PROTECTED_CHILDREN));
    if (props.tamper) {
      const watch = (region: string, held: readonly { key: ProtectedKey; alias: string }[]): TamperWatchRegion => ({
        region,
        watches: [
          ...keyWatches(held.map(({ key }) => ({ id: key.resource.keyId }))),
          ...aliasWatches(held.map(({ alias }) => alias)),
        ],
      });
      this.tamperWatch = new TamperWatch(this, "TamperWatch", {
        accountId: props.keyAccountId,
        stackRegion: archive.region,
        kind: "keys",
        namePrefix: archive.namePrefix,
        busArn: props.tamper.busArn,
        exemptRoleArns: props.tamper.exemptRoleArns,
        watchForwarder: props.tamper.watchForwarder,
        regions: [
          watch(archive.region, [
            { key: this.archiveKey, alias: names.archiveKeyAlias },
            { key: this.queueKey, alias: names.queueKeyAlias },
          ]),
          ...(this.replicaKey && archive.archive.replicaRegion !== undefined
            ? [watch(archive.archive.replicaRegion, [{ key: this.replicaKey, alias: names.replicaKeyAlias }])]
            : []),
        ],
      });
    }
  }
}
