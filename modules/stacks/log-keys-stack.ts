/**
 * The `log-keys` stack, in the key-management account of `keys.accountId`:
 * the archive's keys, with the same policies the log-archive account would
 * give them, administered here and used there. Applied before `log-archive`,
 * which reads the keys' ARNs by alias at plan time.
 */
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { LogKeys, type LogKeysProps } from "../keys/log-keys";
import { iamRoleArn } from "../naming/names";
import { tamperBusNames } from "../naming/tamper-names";
import { deploymentRoleArn, registryPartition, tamperEnabled, tamperExemptRoleArns } from "../registry/settings";
import type { Registry } from "../registry/parse";
import { AccountStack } from "./account-stack";
import { logArchiveProps } from "./log-archive-stack";

/** The props of the key account's `LogKeys`, from the registry (which must have a `keys` section). */
export function logKeysProps(registry: Registry): LogKeysProps {
  const keys = registry.keys;
  if (!keys) throw new Error("logKeysProps: the registry has no keys section");
  const { deployment } = registry;
  // By default the role that applies the stack administers the keys: KMS
  // refuses a policy that would lock out the principal that puts it.
  const administrators =
    keys.administrators ??
    (deployment.credentials === "assumeRole"
      ? [iamRoleArn(keys.accountId, deployment.roleName, registryPartition(registry))]
      : []);
  const archive = logArchiveProps(registry);
  return {
    keyAccountId: keys.accountId,
    administrators,
    archive: {
      accountId: archive.accountId,
      region: archive.region,
      organizationId: archive.organizationId,
      namePrefix: archive.namePrefix,
      archive: archive.archive,
      athena: archive.athena || undefined,
      directSources: archive.directSources,
      central: archive.central,
      search: archive.search,
      siem: archive.siem,
    },
    tamper: tamperEnabled(registry)
      ? {
          busArn: tamperBusNames(registry.naming.prefix, registry.logArchive.accountId, registry.logArchive.region)
            .busArn,
          exemptRoleArns: tamperExemptRoleArns(registry, deploymentRoleArn(registry, keys.accountId)),
          // A source account's own stack already watches its tamper forwarders.
          watchForwarder: !registry.accounts.some((a) => a.id === keys.accountId),
        }
      : undefined,
  };
}

export class LogKeysStack extends AccountStack {
  readonly keys: LogKeys;

  constructor(scope: Construct, id: string, props: { readonly registry: Registry }) {
    const { registry } = props;
    const keyAccountId = registry.keys?.accountId;
    if (keyAccountId === undefined) throw new Error("LogKeysStack: the registry has no keys section");
    super(scope, id, { registry, accountId: keyAccountId, region: registry.logArchive.region });
    this.keys = new LogKeys(this, "Default", logKeysProps(registry));
    new TerraformOutput(this, "archive_key_arn", { value: this.keys.archiveKey.arn });
    new TerraformOutput(this, "siem_queue_key_arn", { value: this.keys.queueKey.arn });
    if (this.keys.replicaKey) new TerraformOutput(this, "replica_key_arn", { value: this.keys.replicaKey.arn });
  }
}
