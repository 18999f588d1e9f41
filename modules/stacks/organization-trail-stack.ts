/**
 * The `log-organization-trail` stack: the organization's CloudTrail trail, in
 * the management account and its home Region, delivering straight to the
 * archive under cloudtrail/. Every Region and every account of the
 * organization, global service events, log file validation.
 *
 * Log files are encrypted with the archive key, whose ARN the stack reads by
 * the alias ARN the naming module derives (the archive, or log-keys, stack is
 * applied first). Digest files are SSE-S3, as CloudTrail always writes them.
 */
import { partitionOf } from "../naming/partition";
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { DataAwsKmsKey } from "@cdktf/provider-aws/lib/data-aws-kms-key";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { DIRECT_SOURCE_ROOTS } from "../naming/key-layout";
import { TamperWatch } from "../monitoring/tamper-watch";
import { archiveNames, iamRoleArn, kmsAliasArn, trailNames } from "../naming/names";
import { tamperBusNames } from "../naming/tamper-names";
import { trailWatches } from "../policy/tamper-patterns";
import { tamperEnabled, tamperExemptRoleArns } from "../registry/settings";
import type { Registry } from "../registry/parse";
import { AccountStack, type StackCredentials } from "./account-stack";

export interface OrganizationTrailStackProps {
  readonly registry: Registry;
}

/**
 * The management account has no OrganizationAccountAccessRole (AWS
 * Organizations creates it only in member accounts it creates), so its stack
 * never falls back to deployment.roleName.
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_create-cross-account-role.html
 */
export function managementCredentials(deployment: Registry["deployment"]): StackCredentials {
  const management = deployment.managementAccount;
  if (management?.credentials === "assumeRole" && management.roleName !== undefined) {
    return { mode: "assumeRole", roleName: management.roleName };
  }
  // The registry refuses assumeRole without a management role, so only ambient remains.
  return { mode: "ambient" };
}

export class OrganizationTrailStack extends AccountStack {
  readonly trail: Cloudtrail;
  readonly tamperWatch?: TamperWatch;

  constructor(scope: Construct, id: string, props: OrganizationTrailStackProps) {
    const { registry } = props;
    const { cloudTrail } = registry.sources;
    if (!cloudTrail.managementAccountId) {
      throw new Error("OrganizationTrailStack needs sources.cloudTrail.managementAccountId");
    }
    const homeRegion = cloudTrail.homeRegion ?? registry.logArchive.region;
    super(scope, id, {
      registry,
      accountId: cloudTrail.managementAccountId,
      region: homeRegion,
      credentials: managementCredentials(registry.deployment),
    });
    const names = trailNames(registry.naming.prefix, cloudTrail.managementAccountId, homeRegion, cloudTrail.trailName);
    const archive = archiveNames({
      prefix: registry.naming.prefix,
      archiveAccountId: registry.logArchive.accountId,
      archiveRegion: registry.logArchive.region,
    });
    this.trail = new Cloudtrail(this, "Trail", {
      name: names.name,
      s3BucketName: archive.archiveBucket,
      s3KeyPrefix: DIRECT_SOURCE_ROOTS.cloudtrail.replace(/\/$/, ""),
      // SSE-KMS with the archive key: without a key CloudTrail encrypts log
      // files with SSE-S3, which the archive's bucket policy refuses.
      // @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
      // The key's ARN, read by its alias ARN when this stack plans (no
      // cross-stack reference): CloudTrail stores the key ARN, so naming the
      // alias would show a change on every plan (hashicorp/terraform-provider-aws#33928).
      kmsKeyId: this.archiveKeyArn(registry, archive.archiveKeyAlias, homeRegion),
      isOrganizationTrail: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
    });
    new TerraformOutput(this, "trail_arn", { value: this.trail.arn });
    if (tamperEnabled(registry)) {
      // Stopping, deleting or narrowing the organization trail silences
      // tamper detection in every account: it is watched where it lives.
      const credentials = this.credentials;
      this.tamperWatch = new TamperWatch(this, "TamperWatch", {
        accountId: cloudTrail.managementAccountId,
        stackRegion: homeRegion,
        kind: "trail",
        namePrefix: registry.naming.prefix,
        busArn: tamperBusNames(registry.naming.prefix, registry.logArchive.accountId, registry.logArchive.region)
          .busArn,
        exemptRoleArns: tamperExemptRoleArns(
          registry,
          credentials.mode === "assumeRole"
            ? iamRoleArn(cloudTrail.managementAccountId, credentials.roleName, partitionOf(homeRegion))
            : undefined,
        ),
        regions: [{ region: homeRegion, watches: trailWatches(names.name, names.arn) }],
        // A source account's own stack already watches its tamper forwarders.
        watchForwarder: !registry.accounts.some((a) => a.id === cloudTrail.managementAccountId),
      });
    }
  }

  /**
   * The archive key in the account that holds it (a key-management account,
   * or the log-archive account), in the archive's Region; its key policy lets
   * the management account describe it.
   */
  private archiveKeyArn(registry: Registry, alias: string, homeRegion: string): string {
    const { region } = registry.logArchive;
    return new DataAwsKmsKey(this, "ArchiveKey", {
      keyId: kmsAliasArn(region, registry.keys?.accountId ?? registry.logArchive.accountId, alias),
      region: region === homeRegion ? undefined : region,
    }).arn;
  }
}
