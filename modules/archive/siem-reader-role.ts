/**
 * The role a SIEM assumes to consume notifications (and its dead-letter
 * queue) and read the announced prefixes. It can never write or delete,
 * nor send to a queue (forging S3 notifications): replay and redrive are the
 * SIEM operator role's (siem-operator-role.ts).
 * Principals outside the organization must present the ExternalId.
 */
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { policyDocument, toPolicyJson, type Statement } from "../policy/document";
import { siemReaderPolicy, siemReaderTrust, type ArchiveContext } from "../policy/archive-policies";
import { throwIfProblems } from "../constructs/validation";

export interface SiemReaderRoleProps {
  readonly context: ArchiveContext;
  readonly roleName: string;
  /** Principals allowed to assume the role. */
  readonly principals: readonly string[];
  readonly externalId: string;
  /**
   * The organization whose principals (among `principals`) may assume the
   * role without the ExternalId, which some SIEM inputs cannot send.
   * @default - every principal must present the ExternalId
   */
  readonly organizationId?: string;
  /** The notification queues and their dead-letter queues the reader consumes. */
  readonly queueArns: readonly string[];
  readonly archiveKeyArn: string;
  /** Earlier archive keys that objects are still encrypted with. @default - none */
  readonly previousArchiveKeyArns?: readonly string[];
  readonly queueKeyArn: string;
  /** Roots the reader may read. @default - the CloudWatch Logs data prefix */
  readonly readableRoots?: readonly string[];
  /** More statements for the reader's policy (Athena queries). @default - none */
  readonly extraStatements?: readonly Statement[];
}

/**
 * What STS accepts as the ExternalId of AssumeRole: 2-1224 characters of
 * letters, digits, `_` and `+=,.@:/-`. A value the trust policy demands but
 * STS refuses would lock the SIEM out.
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

export class SiemReaderRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: SiemReaderRoleProps) {
    super(scope, id);
    const problems: string[] = [];
    if (props.queueArns.length === 0) {
      problems.push("queueArns: expected at least one queue to consume, got none");
    }
    if (props.principals.length === 0) {
      problems.push("principals: expected at least one principal allowed to assume the role, got none");
    }
    if (!Token.isUnresolved(props.externalId) && !EXTERNAL_ID.test(props.externalId)) {
      problems.push(
        `externalId: expected 2-1224 characters of letters, digits and _+=,.@:/-, got ${JSON.stringify(props.externalId)}`,
      );
    }
    throwIfProblems("SiemReaderRole", this, problems);
    this.role = new IamRole(this, "Role", {
      name: props.roleName,
      description: "Read-only access of the SIEM to the CloudWatch Logs archive",
      assumeRolePolicy: toPolicyJson(
        policyDocument(siemReaderTrust(props.principals, props.externalId, props.organizationId)),
      ),
      maxSessionDuration: 3600,
    });
    addArchiveReadPolicy(this, this.role, props, props.extraStatements);
  }
}

/** What a SIEM principal reads: its queues, the archive's roots and the keys they are encrypted with. */
export interface ArchiveReadGrant {
  readonly context: ArchiveContext;
  readonly queueArns: readonly string[];
  readonly archiveKeyArn: string;
  readonly previousArchiveKeyArns?: readonly string[];
  readonly queueKeyArn: string;
  readonly readableRoots?: readonly string[];
}

/**
 * The `read-archive` inline policy of a SIEM role (the reader, Sentinel's):
 * one definition of what reading the archive takes, under the id `Policy`
 * of the role's construct.
 */
export function addArchiveReadPolicy(
  scope: Construct,
  role: IamRole,
  grant: ArchiveReadGrant,
  extraStatements: readonly Statement[] = [],
): IamRolePolicy {
  return new IamRolePolicy(scope, "Policy", {
    name: "read-archive",
    role: role.name,
    policy: toPolicyJson(
      policyDocument(
        siemReaderPolicy(
          grant.context,
          {
            queueArns: grant.queueArns,
            archiveKeyArns: [grant.archiveKeyArn, ...(grant.previousArchiveKeyArns ?? [])],
            queueKeyArn: grant.queueKeyArn,
          },
          grant.readableRoots,
        ),
        extraStatements,
      ),
    ),
  });
}
