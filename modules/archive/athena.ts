/**
 * Investigating the archive in one place (docs/investigating.md): a Glue
 * database with a table for every source the archive holds (and each one's
 * any-account twin), the views over them, the saved queries of the everyday
 * investigations, an interactive and a hunting workgroup whose settings
 * queries cannot override, an encrypted, lifecycle-managed results bucket
 * with a prefix per workgroup, and two read-only roles that read exactly the
 * tables' prefixes: the log analyst, who queries in the interactive
 * workgroup only, and the log hunter, who queries in the hunting workgroup
 * only (each reads its own workgroup's results and executions, never the
 * other's).
 */
import { partitionOf } from "../naming/partition";
import { AthenaNamedQuery } from "@cdktf/provider-aws/lib/athena-named-query";
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
import {
  analystReadStatements,
  athenaQueryStatements,
  resultsPrefix,
  workgroupName,
  type AthenaContext,
  type QueryWorkgroupKind,
} from "../policy/athena-policies";
import { viaService } from "../policy/statements";
import { DATA_ROOT, ERROR_ROOT } from "../naming/key-layout";
import { DIRECT_SOURCE_ROOTS } from "../sources/direct-sources";
import { accessLogPrefix } from "./access-log-bucket";
import { ArchiveAccounts, type AccountFolderRoot } from "./archive-accounts";
import { archiveTables, ENVELOPE_TABLE, MESSAGES_TABLE, readableRoots, type DirectSourceTables } from "./log-tables";
import { eventsView, guardDutyView, viewTable } from "./log-views";
import { savedQueries, type QueryWorkgroup } from "./saved-queries";
import { formatSettingProblem, throwIfProblems } from "../constructs/validation";
import { athenaCutoffProblems } from "./archive-rules";

/** Athena settings of the archive. */
export interface AthenaSettings {
  /** Query results expire after this many days. @default 30 (in LogArchive) */
  readonly resultsRetentionDays: number;
  /** Queries of the interactive workgroup scanning more than this many GiB are cancelled. @default 10 (in LogArchive) */
  readonly bytesScannedCutoffGiB: number;
  /** Queries of the hunting workgroup scanning more than this many GiB are cancelled. @default 4096 (in LogArchive) */
  readonly huntingBytesScannedCutoffGiB: number;
}

export interface ArchiveAthenaProps {
  readonly context: AthenaContext;
  /** Query result retention and the per-query scan limit. */
  readonly settings: AthenaSettings;
  readonly archiveBucket: string;
  /**
   * The archive bucket's name as a reference to the resource that creates it
   * (`SecureBucket.resource.bucket`). The account listing reads the bucket at
   * plan time: named by a literal, that read fails on the first plan, before
   * the bucket exists (ListObjectsV2 answers NoSuchBucket); named by the
   * reference, Terraform defers it to the apply that creates the bucket.
   */
  readonly archiveBucketReference: string;
  readonly archiveKeyArn: string;
  /** Earlier archive keys that objects are still encrypted with. @default - none */
  readonly previousArchiveKeyArns?: readonly string[];
  readonly abortIncompleteMultipartUploadDays: number;
  /**
   * Accounts every table projects, whether or not they wrote yet (the
   * registry's, active and retired; the log-archive and management accounts).
   * Accounts with a folder in the archive are added when log-archive is planned.
   */
  readonly knownAccountIds: readonly string[];
  /**
   * List the archive's account folders when log-archive is planned, so that
   * accounts outside `knownAccountIds` are projected too (docs/investigating.md#accounts).
   * @default true
   */
  readonly discoverAccounts?: boolean;
  /** Regions where Firehose writes CloudWatch Logs (the sources' and central streams' Regions). */
  readonly regions: readonly string[];
  /** Regions AWS services (CloudTrail, Flow Logs, Config) may write from. */
  readonly serviceRegions: readonly string[];
  /** The direct sources the archive admits: each gets its table. @default - none */
  readonly direct?: DirectSourceTables;
  /** The sources' heartbeat log group and rule name, which the silent-sources query reads. */
  readonly heartbeat: { readonly logGroup: string; readonly ruleName: string };
  /** The sources' GuardDuty findings log group, which the findings view reads. */
  readonly guardDutyLogGroup: string;
  readonly names: {
    /** Name of the query results bucket (its ARN is `context.resultsBucketArn`). */
    readonly athenaResultsBucket: string;
    readonly athenaKeyAlias: string;
    readonly athenaHuntingWorkgroup: string;
    readonly analystRole: string;
    readonly analystRoleArn: string;
    readonly hunterRole: string;
    readonly hunterRoleArn: string;
  };
  readonly organizationId: string;
  /** Principals allowed to assume the log-analyst role (members of the organization): the interactive workgroup. */
  readonly analystPrincipals: readonly string[];
  /**
   * Principals allowed to assume the log-hunter role (members of the
   * organization): the hunting workgroup and its larger scan cutoff.
   * @default - the analyst principals (each hunt is then a deliberate, logged switch of role)
   */
  readonly hunterPrincipals?: readonly string[];
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
  for (const key of ["bytesScannedCutoffGiB", "huntingBytesScannedCutoffGiB"] as const) {
    const cutoff = props.settings[key];
    if (!Token.isUnresolved(cutoff) && !(Number.isInteger(cutoff) && cutoff >= 1)) {
      problems.push(`settings.${key}: expected a whole number of GiB of at least 1, got ${cutoff}`);
    }
  }
  problems.push(
    ...athenaCutoffProblems(props.settings).map((p) =>
      formatSettingProblem({ ...p, path: ["settings", ...p.path.slice(1)] }),
    ),
  );
  if (props.analystPrincipals.length === 0) {
    problems.push(
      "analystPrincipals: expected at least one principal allowed to assume the log-analyst role, got none",
    );
  }
  if (props.hunterPrincipals !== undefined && props.hunterPrincipals.length === 0) {
    problems.push(
      "hunterPrincipals: expected at least one principal allowed to assume the log-hunter role, got none (leave it out for the analyst principals)",
    );
  }
  // Partition projection enumerates accounts and Regions: an empty list projects no partition at all.
  if (props.knownAccountIds.length === 0) {
    problems.push("knownAccountIds: expected at least one account for the tables to project, got none");
  }
  if (props.regions.length === 0) {
    problems.push("regions: expected at least one Region for the tables to project, got none");
  }
  if (props.serviceRegions.length === 0) {
    problems.push("serviceRegions: expected at least one Region for the tables to project, got none");
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
  /** The interactive workgroup. */
  readonly workgroup: AthenaWorkgroup;
  readonly huntingWorkgroup: AthenaWorkgroup;
  readonly analyst: IamRole;
  /** The role that queries in the hunting workgroup. */
  readonly hunter: IamRole;
  /** The archive prefixes the tables read: the analyst reads exactly these. */
  readonly readableRoots: readonly string[];

  constructor(scope: Construct, id: string, props: ArchiveAthenaProps) {
    super(scope, id);
    const problems = athenaProblems(props);
    throwIfProblems("ArchiveAthena", this, problems);
    const { settings, names } = props;
    // The hunting workgroup is the one created here: the roles' policies name it.
    const context: AthenaContext = { ...props.context, huntingWorkgroup: names.athenaHuntingWorkgroup };
    const resultsBucketName = names.athenaResultsBucket;

    this.key = new ProtectedKey(this, "ResultsKey", {
      description: "Encrypts Athena query results over the CloudWatch Logs archive",
      alias: names.athenaKeyAlias,
      statements: [
        keyAdministrators(context.accountId, partitionOf(context.region)),
        accountRolesUseKey(
          "AllowQueryRolesToUseKeyThroughS3",
          context.accountId,
          [names.analystRoleArn, names.hunterRoleArn],
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
      description: "Every source of the log archive: CloudWatch Logs, CloudTrail, Flow Logs, Config, agents",
    });
    const direct = props.direct ?? {};
    const accounts = new ArchiveAccounts(this, "Accounts", {
      bucket: props.archiveBucketReference,
      knownAccountIds: props.knownAccountIds,
      roots: props.discoverAccounts === false ? [] : accountFolderRoots(direct),
    });
    const tables = archiveTables(
      {
        database: context.database,
        bucket: props.archiveBucket,
        accountValues: accounts.values,
        logRegions: props.regions,
        serviceRegions: props.serviceRegions,
      },
      direct,
    );
    // The two CloudWatch Logs tables keep the construct ids they always had (their addresses).
    const tableIds: Record<string, string> = { [ENVELOPE_TABLE]: "EnvelopeTable", [MESSAGES_TABLE]: "MessagesTable" };
    for (const table of tables) {
      new GlueCatalogTable(this, tableIds[table.name] ?? `Table-${table.name}`, { ...table, dependsOn: [database] });
    }
    this.readableRoots = readableRoots(tables);
    const views = [eventsView(context.database), guardDutyView(context.database, props.guardDutyLogGroup)];
    for (const view of views) {
      new GlueCatalogTable(this, `View-${view.name}`, { ...viewTable(context.database, view), dependsOn: [database] });
    }

    // Results go to this account's own bucket, whose ObjectOwnership is
    // BucketOwnerEnforced: ACLs are disabled there, so the workgroup sets none
    // (no x-amz-acl header, nothing for the roles' PutObject to be checked against).
    // Each workgroup writes under its own prefix, which only its role may read.
    const resultConfiguration = (name: string) => ({
      outputLocation: `s3://${resultsBucketName}/${resultsPrefix(name)}`,
      expectedBucketOwner: context.accountId,
      encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: this.key.arn },
    });
    const workgroup = (id: string, name: string, description: string, cutoffGiB: number) =>
      new AthenaWorkgroup(this, id, {
        name,
        description,
        state: "ENABLED",
        forceDestroy: false,
        configuration: {
          enforceWorkgroupConfiguration: true,
          publishCloudwatchMetricsEnabled: true,
          bytesScannedCutoffPerQuery: cutoffGiB * 1024 ** 3,
          engineVersion: { selectedEngineVersion: "AUTO" },
          resultConfiguration: resultConfiguration(name),
        },
      });
    this.workgroup = workgroup(
      "Workgroup",
      context.workgroup,
      `Interactive queries over the log archive (cancelled past ${settings.bytesScannedCutoffGiB} GiB scanned)`,
      settings.bytesScannedCutoffGiB,
    );
    this.huntingWorkgroup = workgroup(
      "HuntingWorkgroup",
      names.athenaHuntingWorkgroup,
      `Organization-wide hunts over the log archive (cancelled past ${settings.huntingBytesScannedCutoffGiB} GiB scanned)`,
      settings.huntingBytesScannedCutoffGiB,
    );
    const workgroups: Record<QueryWorkgroup, AthenaWorkgroup> = {
      interactive: this.workgroup,
      hunting: this.huntingWorkgroup,
    };
    const queries = savedQueries({
      database: context.database,
      heartbeatLogGroup: props.heartbeat.logGroup,
      heartbeatRule: props.heartbeat.ruleName,
      direct,
    });
    for (const query of queries) {
      new AthenaNamedQuery(this, `Query-${query.id}`, {
        name: query.id,
        description: query.title,
        database: context.database,
        workgroup: workgroups[query.workgroup].name,
        query: query.sql,
        dependsOn: [database],
      });
    }

    const archiveKeys = [props.archiveKeyArn, ...(props.previousArchiveKeyArns ?? [])];
    const queryRole = (
      id: string,
      name: string,
      kind: QueryWorkgroupKind,
      principals: readonly string[],
      description: string,
    ): IamRole => {
      const role = new IamRole(this, `${id}Role`, {
        name,
        description,
        assumeRolePolicy: toPolicyJson(
          policyDocument({
            Sid: "AnalystsAssume",
            Effect: "Allow",
            Principal: { AWS: principals.length === 1 ? principals[0]! : [...principals] },
            Action: "sts:AssumeRole",
            // Analysts are people of the organization, never a principal outside it.
            Condition: { StringEquals: { "aws:PrincipalOrgID": props.organizationId } },
          }),
        ),
        maxSessionDuration: 3600,
      });
      new IamRolePolicy(this, `${id}Policy`, {
        name: "query-archive",
        role: role.name,
        policy: toPolicyJson(
          policyDocument(
            athenaQueryStatements(context, { resultsKeyArn: this.key.arn }, kind),
            analystReadStatements(context, archiveKeys, this.readableRoots),
          ),
        ),
      });
      return role;
    };
    this.analyst = queryRole(
      "Analyst",
      names.analystRole,
      "interactive",
      props.analystPrincipals,
      `Read-only Athena queries over the CloudWatch Logs archive, in ${workgroupName(context, "interactive")} only`,
    );
    this.hunter = queryRole(
      "Hunter",
      names.hunterRole,
      "hunting",
      props.hunterPrincipals ?? props.analystPrincipals,
      `Read-only Athena hunts over the CloudWatch Logs archive, in ${workgroupName(context, "hunting")} only`,
    );
  }
}

/** The folders whose sub-folders name the accounts that wrote there. */
export function accountFolderRoots(direct: DirectSourceTables): AccountFolderRoot[] {
  return [
    { id: "cloudwatch-logs", prefix: DATA_ROOT },
    { id: "cloudwatch-logs-errors", prefix: ERROR_ROOT },
    ...(direct.cloudTrailOrganizationId
      ? [{ id: "cloudtrail", prefix: `${DIRECT_SOURCE_ROOTS.cloudtrail}AWSLogs/${direct.cloudTrailOrganizationId}/` }]
      : []),
    ...(direct.vpcFlowLogs ? [{ id: "vpc-flow-logs", prefix: `${DIRECT_SOURCE_ROOTS["vpc-flow-logs"]}AWSLogs/` }] : []),
    ...(direct.config ? [{ id: "config", prefix: `${DIRECT_SOURCE_ROOTS.config}AWSLogs/` }] : []),
    ...(direct.agents ? [{ id: "agents", prefix: DIRECT_SOURCE_ROOTS.agents }] : []),
  ];
}
