/**
 * Searching the archive in one place: a Glue database with the log tables,
 * an Athena workgroup whose settings queries cannot override, an encrypted,
 * lifecycle-managed results bucket, and a read-only log-analyst role.
 */
import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup";
import { GlueCatalogDatabase } from "@cdktf/provider-aws/lib/glue-catalog-database";
import { GlueCatalogTable } from "@cdktf/provider-aws/lib/glue-catalog-table";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { ProtectedKey } from "../constructs/protected-key";
import { SecureBucket } from "../constructs/secure-bucket";
import { under, type ProtectedChild } from "../constructs/retirement";
import { policyDocument, toPolicyJson } from "../policy/document";
import { accountRolesUseKey, keyAdministrators, s3EncryptionContext } from "../policy/archive-policies";
import { analystReadStatements, athenaQueryStatements, type AthenaContext } from "../policy/athena-policies";
import { viaService } from "../policy/statements";
import { accessLogPrefix } from "./access-log-bucket";
import { envelopeTable, messagesTable } from "./log-tables";

/** Athena settings of the archive. */
export interface AthenaSettings {
  /** Query results expire after this many days. */
  readonly resultsRetentionDays: number;
  /** Queries scanning more than this many GiB are cancelled. */
  readonly bytesScannedCutoffGiB: number;
}

export interface ArchiveAthenaProps {
  readonly context: AthenaContext;
  /** Query result retention and the per-query scan limit. */
  readonly settings: AthenaSettings;
  readonly archiveBucket: string;
  readonly archiveKeyArn: string;
  /** Earlier archive keys that objects are still encrypted with. @default - none */
  readonly previousArchiveKeyArns?: readonly string[];
  readonly abortIncompleteMultipartUploadDays: number;
  /**
   * Accounts whose objects hold CloudWatch Logs envelopes (messageExtraction
   * false): the envelope table projects exactly these. A table over objects
   * of the other format returns wrong rows.
   */
  readonly envelopeAccountIds: readonly string[];
  /** Accounts whose objects hold raw messages (messageExtraction true): the messages table projects exactly these. */
  readonly messageAccountIds: readonly string[];
  /** Regions whose partitions the tables project. */
  readonly regions: readonly string[];
  readonly names: {
    /** Name of the query results bucket (its ARN is `context.resultsBucketArn`). */
    readonly athenaResultsBucket: string;
    readonly athenaKeyAlias: string;
    readonly analystRole: string;
    readonly analystRoleArn: string;
    readonly siemReaderRoleArn: string;
  };
  readonly organizationId: string;
  /** Principals allowed to assume the log-analyst role (members of the organization). */
  readonly analystPrincipals: readonly string[];
  /** Access log bucket in this Region. @default - no access logging of the results bucket */
  readonly accessLogBucket?: string;
}

/**
 * Athena cancels queries past the workgroup's cutoff, which must be at least
 * 10 MB: a whole number of GiB of at least 1 always is.
 * @see https://docs.aws.amazon.com/athena/latest/APIReference/API_WorkGroupConfiguration.html
 */
function athenaProblems(props: ArchiveAthenaProps): string[] {
  const problems: string[] = [];
  const cutoff = props.settings.bytesScannedCutoffGiB;
  if (!Token.isUnresolved(cutoff) && !(Number.isInteger(cutoff) && cutoff >= 1)) {
    problems.push(`settings.bytesScannedCutoffGiB: expected a whole number of GiB of at least 1, got ${cutoff}`);
  }
  if (props.analystPrincipals.length === 0) {
    problems.push(
      "analystPrincipals: expected at least one principal allowed to assume the log-analyst role, got none",
    );
  }
  // Partition projection enumerates the Regions: an empty list projects no partition at all.
  const tables = props.envelopeAccountIds.length + props.messageAccountIds.length > 0;
  if (tables && props.regions.length === 0) {
    problems.push("regions: expected at least one Region for the tables to project, got none");
  }
  return problems;
}

export class ArchiveAthena extends Construct {
  /** What ArchiveAthena creates that guards data: retired, never destroyed, when Athena is switched off. */
  static readonly PROTECTED_CHILDREN: readonly ProtectedChild[] = [
    ...under("ResultsKey", ProtectedKey.PROTECTED_CHILDREN),
    ...under("Results", SecureBucket.PROTECTED_CHILDREN),
  ];
  readonly key: ProtectedKey;
  readonly results: SecureBucket;
  readonly workgroup: AthenaWorkgroup;
  readonly analyst: IamRole;

  constructor(scope: Construct, id: string, props: ArchiveAthenaProps) {
    super(scope, id);
    const problems = athenaProblems(props);
    if (problems.length > 0) throw new Error(problems.map((p) => `ArchiveAthena ${this.node.path}: ${p}`).join("\n"));
    const { context, settings, names } = props;
    const resultsBucketName = names.athenaResultsBucket;

    this.key = new ProtectedKey(this, "ResultsKey", {
      description: "Encrypts Athena query results over the CloudWatch Logs archive",
      alias: names.athenaKeyAlias,
      statements: [
        keyAdministrators(context.accountId),
        accountRolesUseKey(
          "AllowQueryRolesToUseKeyThroughS3",
          context.accountId,
          [names.siemReaderRoleArn, names.analystRoleArn],
          ["kms:Decrypt", "kms:GenerateDataKey"],
          {
            StringEquals: {
              "kms:ViaService": viaService("s3", context.region),
              ...s3EncryptionContext(context.resultsBucketArn),
            },
          },
        ),
      ],
    });

    this.results = new SecureBucket(this, "Results", {
      bucketName: resultsBucketName,
      ownerAccountId: context.accountId,
      encryption: { kmsKeyArn: this.key.arn },
      lifecycleRules: [
        {
          id: "expiry",
          status: "Enabled",
          filter: [{}],
          expiration: [{ days: settings.resultsRetentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteMultipartUploadDays }],
        },
      ],
      accessLogs: props.accessLogBucket
        ? { targetBucket: props.accessLogBucket, targetPrefix: accessLogPrefix(resultsBucketName) }
        : undefined,
      // Query results always expire and are never locked.
      optionalSettings: ["accessLogs"],
    });

    const database = new GlueCatalogDatabase(this, "Database", {
      name: context.database,
      description: "CloudWatch Logs of every account and Region of the organization",
    });
    const tableInput = (accountIds: readonly string[]) => ({
      database: context.database,
      bucket: props.archiveBucket,
      accountIds,
      regions: props.regions,
    });
    // A projected enum cannot be empty: a format no account writes has no table.
    if (props.envelopeAccountIds.length > 0) {
      new GlueCatalogTable(this, "EnvelopeTable", {
        ...envelopeTable(tableInput(props.envelopeAccountIds)),
        dependsOn: [database],
      });
    }
    if (props.messageAccountIds.length > 0) {
      new GlueCatalogTable(this, "MessagesTable", {
        ...messagesTable(tableInput(props.messageAccountIds)),
        dependsOn: [database],
      });
    }

    this.workgroup = new AthenaWorkgroup(this, "Workgroup", {
      name: context.workgroup,
      description: "Queries over the CloudWatch Logs archive",
      state: "ENABLED",
      forceDestroy: false,
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: settings.bytesScannedCutoffGiB * 1024 ** 3,
        engineVersion: { selectedEngineVersion: "AUTO" },
        resultConfiguration: {
          outputLocation: `s3://${resultsBucketName}/`,
          expectedBucketOwner: context.accountId,
          aclConfiguration: { s3AclOption: "BUCKET_OWNER_FULL_CONTROL" },
          encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: this.key.arn },
        },
      },
    });

    this.analyst = new IamRole(this, "AnalystRole", {
      name: names.analystRole,
      description: "Read-only Athena queries over the CloudWatch Logs archive",
      assumeRolePolicy: toPolicyJson(
        policyDocument({
          Sid: "AnalystsAssume",
          Effect: "Allow",
          Principal: {
            AWS: props.analystPrincipals.length === 1 ? props.analystPrincipals[0]! : [...props.analystPrincipals],
          },
          Action: "sts:AssumeRole",
          // Analysts are people of the organization, never a principal outside it.
          Condition: { StringEquals: { "aws:PrincipalOrgID": props.organizationId } },
        }),
      ),
      maxSessionDuration: 3600,
    });
    new IamRolePolicy(this, "AnalystPolicy", {
      name: "query-archive",
      role: this.analyst.name,
      policy: toPolicyJson(
        policyDocument(
          athenaQueryStatements(context, { resultsKeyArn: this.key.arn }),
          analystReadStatements(context, [props.archiveKeyArn, ...(props.previousArchiveKeyArns ?? [])]),
        ),
      ),
    });
  }
}
