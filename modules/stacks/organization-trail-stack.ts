/**
 * The `log-organization-trail` stack: the registry translated into the props
 * of one `OrganizationTrail` construct (management account, home Region), plus
 * the stack's output. The construct's id is `Default`, which cdktf leaves out
 * of resource addresses, so every resource keeps the address it had before
 * the construct existed (tested against __tests__/fixtures/addresses/sample.json).
 */
import { partitionOf } from "../naming/partition";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { iamRoleArn } from "../naming/names";
import { tamperBusNames } from "../naming/tamper-names";
import { OrganizationTrail } from "../sources/trail/organization-trail";
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
  readonly organizationTrail: OrganizationTrail;

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
    const credentials = this.credentials;
    this.organizationTrail = new OrganizationTrail(this, "Default", {
      managementAccountId: cloudTrail.managementAccountId,
      archiveAccountId: registry.logArchive.accountId,
      archiveRegion: registry.logArchive.region,
      homeRegion,
      namePrefix: registry.naming.prefix,
      trailName: cloudTrail.trailName,
      keyAccountId: registry.keys?.accountId,
      tamper: tamperEnabled(registry)
        ? {
            busArn: tamperBusNames(registry.naming.prefix, registry.logArchive.accountId, registry.logArchive.region)
              .busArn,
            exemptRoleArns: tamperExemptRoleArns(
              registry,
              credentials.mode === "assumeRole"
                ? iamRoleArn(cloudTrail.managementAccountId, credentials.roleName, partitionOf(homeRegion))
                : undefined,
            ),
            // A source account's own stack already watches its tamper forwarders.
            watchForwarder: !registry.accounts.some((a) => a.id === cloudTrail.managementAccountId),
          }
        : undefined,
    });
    new TerraformOutput(this, "trail_arn", { value: this.organizationTrail.trail.arn });
  }
}
