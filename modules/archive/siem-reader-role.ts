/**
 * The role a SIEM assumes (with an ExternalId) to consume notifications and
 * read the data prefix. It can never write or delete.
 */
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { policyDocument, toPolicyJson, type Statement } from "../policy/document";
import { siemReaderPolicy, siemReaderTrust, type ArchiveContext } from "../policy/archive-policies";

export interface SiemReaderRoleProps {
  readonly context: ArchiveContext;
  readonly roleName: string;
  /** Principals allowed to assume the role. */
  readonly principals: readonly string[];
  readonly externalId: string;
  readonly queueArn: string;
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
    if (props.principals.length === 0) {
      problems.push("principals: expected at least one principal allowed to assume the role, got none");
    }
    if (!Token.isUnresolved(props.externalId) && !EXTERNAL_ID.test(props.externalId)) {
      problems.push(
        `externalId: expected 2-1224 characters of letters, digits and _+=,.@:/-, got ${JSON.stringify(props.externalId)}`,
      );
    }
    if (problems.length > 0) throw new Error(problems.map((p) => `SiemReaderRole ${this.node.path}: ${p}`).join("\n"));
    this.role = new IamRole(this, "Role", {
      name: props.roleName,
      description: "Read-only access of the SIEM to the CloudWatch Logs archive",
      assumeRolePolicy: toPolicyJson(policyDocument(siemReaderTrust(props.principals, props.externalId))),
      maxSessionDuration: 3600,
    });
    new IamRolePolicy(this, "Policy", {
      name: "read-archive",
      role: this.role.name,
      policy: toPolicyJson(
        policyDocument(
          siemReaderPolicy(
            props.context,
            {
              queueArn: props.queueArn,
              archiveKeyArns: [props.archiveKeyArn, ...(props.previousArchiveKeyArns ?? [])],
              queueKeyArn: props.queueKeyArn,
            },
            props.readableRoots,
          ),
          props.extraStatements ?? [],
        ),
      ),
    });
  }
}
