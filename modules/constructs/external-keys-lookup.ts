/**
 * The archive's keys read by their alias ARNs when the enclosing stack plans:
 * how a stack that does not hold the keys (log-archive with a key-management
 * account, the organization trail) learns their ARNs without a cross-stack
 * reference. A key ARN is not derivable from names, and S3 and CloudTrail need
 * the key ARN, not an alias (S3 resolves an alias in the caller's account;
 * CloudTrail stores the ARN, so an alias would show a change on every plan,
 * hashicorp/terraform-provider-aws#33928).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/kms_key
 *
 * The stack that holds the keys (log-keys, or log-archive) is applied first;
 * each key policy lets the reading account describe the key.
 */
import { DataAwsKmsKey } from "@cdktf/provider-aws/lib/data-aws-kms-key";
import { Construct } from "constructs";
import { isAccountIdOrToken, namePrefixProblem } from "./validation";
import { archiveNames, DEFAULT_NAME_PREFIX, kmsAliasArn } from "../naming/names";

export interface ExternalKeysLookupProps {
  /** The account that holds the keys: a key-management account, or the log-archive account. */
  readonly keyAccountId: string;
  /** The log-archive account, part of the keys' alias names. */
  readonly archiveAccountId: string;
  /** The archive's Region, where the archive and SIEM queue keys live. */
  readonly archiveRegion: string;
  /**
   * Region of the enclosing stack's provider: a key in another Region is read
   * with the data source's per-resource `region` argument.
   * @default - archiveRegion
   */
  readonly providerRegion?: string;
  /** Prefix of every name the pipeline creates. @default DEFAULT_NAME_PREFIX */
  readonly namePrefix?: string;
  /** Region of the replica key, when the archive replicates. @default - no replica key is read */
  readonly replicaRegion?: string;
  /** Whether to read the SIEM queue key too (the trail needs only the archive key). @default true */
  readonly queueKey?: boolean;
}

export class ExternalKeysLookup extends Construct {
  /** The account that holds the keys. */
  readonly keyAccountId: string;
  /** The data sources that read the keys. */
  readonly archiveKey: DataAwsKmsKey;
  readonly queueKey?: DataAwsKmsKey;
  readonly replicaKey?: DataAwsKmsKey;
  /** ARN of the archive key. */
  readonly archiveKeyArn: string;
  /** ARN of the SIEM queue key; undefined when `queueKey` is false. */
  readonly queueKeyArn?: string;
  /** ARN of the replica key; undefined without `replicaRegion`. */
  readonly replicaKeyArn?: string;

  constructor(scope: Construct, id: string, props: ExternalKeysLookupProps) {
    super(scope, id);
    const problems = [
      ...(["keyAccountId", "archiveAccountId"] as const)
        .filter((prop) => !isAccountIdOrToken(props[prop]))
        .map((prop) => `${prop}: expected a 12-digit AWS account id, got ${JSON.stringify(props[prop])}`),
      namePrefixProblem(props.namePrefix),
    ].filter((p) => p !== undefined);
    if (problems.length > 0) {
      throw new Error(problems.map((p) => `ExternalKeysLookup ${this.node.path}: ${p}`).join("\n"));
    }
    const { keyAccountId, archiveRegion, replicaRegion } = props;
    this.keyAccountId = keyAccountId;
    const providerRegion = props.providerRegion ?? archiveRegion;
    const names = archiveNames({
      prefix: props.namePrefix ?? DEFAULT_NAME_PREFIX,
      archiveAccountId: props.archiveAccountId,
      archiveRegion,
      replicaRegion,
    });
    const read = (childId: string, keyRegion: string, alias: string) =>
      new DataAwsKmsKey(this, childId, {
        keyId: kmsAliasArn(keyRegion, keyAccountId, alias),
        region: keyRegion === providerRegion ? undefined : keyRegion,
      });
    this.archiveKey = read("ArchiveKey", archiveRegion, names.archiveKeyAlias);
    this.queueKey = props.queueKey === false ? undefined : read("QueueKey", archiveRegion, names.queueKeyAlias);
    this.replicaKey = replicaRegion ? read("ReplicaKey", replicaRegion, names.replicaKeyAlias) : undefined;
    this.archiveKeyArn = this.archiveKey.arn;
    this.queueKeyArn = this.queueKey?.arn;
    this.replicaKeyArn = this.replicaKey?.arn;
  }

  /** The keys as LogArchive's `keys` prop (ExternalKeys) takes them; needs the queue key. */
  get keys(): {
    readonly accountId: string;
    readonly archiveKeyArn: string;
    readonly queueKeyArn: string;
    readonly replicaKeyArn?: string;
  } {
    if (this.queueKeyArn === undefined) {
      throw new Error("ExternalKeysLookup.keys: the SIEM queue key was not read (queueKey: false)");
    }
    return {
      accountId: this.keyAccountId,
      archiveKeyArn: this.archiveKeyArn,
      queueKeyArn: this.queueKeyArn,
      replicaKeyArn: this.replicaKeyArn,
    };
  }
}
