/**
 * The role a SIEM assumes (with an ExternalId) to consume notifications and
 * read the data prefix. It can never write or delete.
 */
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
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
  readonly queueKeyArn: string;
  /** Roots the reader may read. @default - the CloudWatch Logs data prefix */
  readonly readableRoots?: readonly string[];
  /** More statements for the reader's policy (Athena queries). @default - none */
  readonly extraStatements?: readonly Statement[];
}

export class SiemReaderRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: SiemReaderRoleProps) {
    super(scope, id);
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
              archiveKeyArn: props.archiveKeyArn,
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
