/**
 * Microsoft Sentinel's role: its Amazon Web Services S3 connector assumes one
 * role by web identity (Entra ID), never chains roles, and only finds its
 * token for a role named `OIDC_…`. The role reads exactly what the SIEM
 * reader reads; the key policies admit it by name (key-statements.ts).
 * @see https://learn.microsoft.com/en-us/azure/sentinel/connect-aws?tabs=s3#manual-setup
 */
import { partitionOf } from "../naming/partition";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { policyDocument, toPolicyJson } from "../policy/document";
import { type ArchiveContext } from "../policy/archive-policies";
import { addArchiveReadPolicy } from "./siem-reader-role";
import { SENTINEL, sentinelProviderArn, sentinelTrust } from "../policy/siem-policies";
import { throwIfProblems } from "../constructs/validation";

export interface SentinelRoleProps {
  readonly context: ArchiveContext;
  /** Name of the role; must start with `OIDC_`. */
  readonly roleName: string;
  /** The Sentinel workspace id (a GUID), which the connector puts in its session name. */
  readonly workspaceId: string;
  /**
   * Create the IAM OIDC provider for Entra ID's issuer. An account holds one
   * provider per issuer: where Microsoft Defender for Cloud already created
   * it, say false and add Sentinel's audience to it yourself.
   * @default true
   */
  readonly createProvider?: boolean;
  /** The queues (and dead-letter queues) the connector consumes. */
  readonly queueArns: readonly string[];
  readonly archiveKeyArn: string;
  /** Earlier archive keys that objects are still encrypted with. @default - none */
  readonly previousArchiveKeyArns?: readonly string[];
  readonly queueKeyArn: string;
  /** Roots the connector reads. */
  readonly readableRoots: readonly string[];
}

/** A Sentinel workspace id: a GUID. */
const WORKSPACE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** IAM role names: 1-64 of letters, digits and +=,.@_-. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

export class SentinelRole extends Construct {
  readonly role: IamRole;
  readonly provider?: IamOpenidConnectProvider;

  constructor(scope: Construct, id: string, props: SentinelRoleProps) {
    super(scope, id);
    const problems: string[] = [];
    if (!Token.isUnresolved(props.workspaceId) && !WORKSPACE_ID.test(props.workspaceId)) {
      problems.push(
        `workspaceId: expected a Sentinel workspace id (a lowercase GUID), got ${JSON.stringify(props.workspaceId)}`,
      );
    }
    if (!props.roleName.startsWith(SENTINEL.rolePrefix) || !ROLE_NAME.test(props.roleName)) {
      problems.push(
        `roleName: expected an IAM role name of at most 64 characters starting with ${SENTINEL.rolePrefix} (the connector finds no token otherwise), got ${JSON.stringify(props.roleName)}`,
      );
    }
    if (props.queueArns.length === 0) problems.push("queueArns: expected at least one queue to consume, got none");
    throwIfProblems("SentinelRole", this, problems);

    if (props.createProvider !== false) {
      this.provider = new IamOpenidConnectProvider(this, "Provider", {
        url: `https://${SENTINEL.issuer}`,
        clientIdList: [SENTINEL.audience],
        thumbprintList: [SENTINEL.thumbprint],
      });
    }
    this.role = new IamRole(this, "Role", {
      name: props.roleName,
      description: "Microsoft Sentinel's read-only access to the CloudWatch Logs archive (web identity)",
      assumeRolePolicy: toPolicyJson(
        policyDocument(
          sentinelTrust(
            sentinelProviderArn(props.context.archiveAccountId, partitionOf(props.context.archiveRegion)),
            props.workspaceId,
          ),
        ),
      ),
      maxSessionDuration: 3600,
      // The trust names the provider by ARN: IAM refuses it until the provider exists.
      dependsOn: this.provider ? [this.provider] : undefined,
    });
    addArchiveReadPolicy(this, this.role, props);
  }
}
