/**
 * Query access to the archive through Athena: one workgroup, the Glue
 * catalog entries, the data prefixes (read-only) and that workgroup's prefix
 * of the results bucket. The log-analyst role queries in the interactive
 * workgroup only and the log-hunter role in the hunting workgroup only, so
 * that the interactive scan cutoff cannot be stepped around by choosing the
 * other workgroup, and neither role reads the other's results.
 *
 * Athena authorises every query action against the workgroup the query runs
 * (or ran) in: `StartQueryExecution` needs the workgroup's ARN, and
 * `GetQueryResults`, `GetQueryExecution`, `StopQueryExecution` on an
 * execution are checked against its workgroup, so a role confined to one
 * workgroup's ARN cannot start, read or stop executions of the other.
 * @see https://docs.aws.amazon.com/athena/latest/ug/workgroups-iam-policy.html
 * @see https://docs.aws.amazon.com/athena/latest/ug/example-policies-workgroup.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonathena.html (resource type workgroup for each action)
 */
import { arn } from "../naming/arn";
import type { Statement } from "./document";
import { archiveReadStatements, s3EncryptionContext } from "./archive-policies";
import { viaService } from "./statements";

export interface AthenaContext {
  readonly accountId: string;
  readonly region: string;
  readonly archiveBucketArn: string;
  readonly workgroup: string;
  /** The workgroup for long hunts, with the larger scan cutoff. @default - the one workgroup */
  readonly huntingWorkgroup?: string;
  readonly database: string;
  readonly resultsBucketArn: string;
}

export function workgroupArn(ctx: AthenaContext, workgroup: string = ctx.workgroup): string {
  return arn({ service: "athena", region: ctx.region, account: ctx.accountId, resource: `workgroup/${workgroup}` });
}

/** The two workgroups: interactive (small cutoff) and hunting (large cutoff). */
export type QueryWorkgroupKind = "interactive" | "hunting";

/** The name of a workgroup of the archive. */
export function workgroupName(ctx: AthenaContext, kind: QueryWorkgroupKind): string {
  return kind === "hunting" ? (ctx.huntingWorkgroup ?? ctx.workgroup) : ctx.workgroup;
}

/**
 * Each workgroup writes its results under its own prefix of the results
 * bucket (its output location), so that each role can be confined to it.
 */
export function resultsPrefix(workgroup: string): string {
  return `${workgroup}/`;
}

/** Glue's default catalog as Athena names it. */
export function dataCatalogArn(ctx: AthenaContext): string {
  return arn({ service: "athena", region: ctx.region, account: ctx.accountId, resource: "datacatalog/AwsDataCatalog" });
}

/** Identity statements that let a role query the archive with Athena, in one workgroup. */
export function athenaQueryStatements(
  ctx: AthenaContext,
  keys: { readonly resultsKeyArn: string },
  kind: QueryWorkgroupKind,
): Statement[] {
  const glue = (resource: string) => arn({ service: "glue", region: ctx.region, account: ctx.accountId, resource });
  const workgroup = workgroupName(ctx, kind);
  return [
    {
      Sid: "QueryInLogsWorkgroup",
      Effect: "Allow",
      Action: [
        "athena:BatchGetQueryExecution",
        "athena:GetQueryExecution",
        "athena:GetQueryResults",
        "athena:GetWorkGroup",
        "athena:ListQueryExecutions",
        "athena:StartQueryExecution",
        "athena:StopQueryExecution",
        // The console: the saved queries, and the statistics of a run.
        "athena:BatchGetNamedQuery",
        "athena:GetNamedQuery",
        "athena:GetQueryResultsStream",
        "athena:GetQueryRuntimeStatistics",
        "athena:ListNamedQueries",
      ],
      Resource: workgroupArn(ctx, workgroup),
    },
    {
      // The console's workgroup picker and engine versions name no resource.
      // @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonathena.html
      Sid: "ListWorkgroupsInConsole",
      Effect: "Allow",
      Action: ["athena:ListDataCatalogs", "athena:ListEngineVersions", "athena:ListWorkGroups"],
      Resource: "*",
    },
    {
      // The console's schema browser reads the catalog through Athena, then Glue.
      Sid: "BrowseLogTablesInConsole",
      Effect: "Allow",
      Action: [
        "athena:GetDatabase",
        "athena:GetDataCatalog",
        "athena:GetTableMetadata",
        "athena:ListDatabases",
        "athena:ListTableMetadata",
      ],
      Resource: dataCatalogArn(ctx),
    },
    {
      Sid: "ReadLogTables",
      Effect: "Allow",
      Action: [
        "glue:GetDatabase",
        "glue:GetDatabases",
        "glue:GetPartition",
        "glue:GetPartitions",
        "glue:GetTable",
        "glue:GetTables",
      ],
      Resource: [glue("catalog"), glue(`database/${ctx.database}`), glue(`table/${ctx.database}/*`)],
    },
    {
      // Only this workgroup's results: Athena writes them (as the caller) under
      // the workgroup's output location and reads them back from there.
      // @see https://docs.aws.amazon.com/athena/latest/ug/querying.html
      Sid: "WriteAndReadQueryResults",
      Effect: "Allow",
      Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"],
      Resource: `${ctx.resultsBucketArn}/${resultsPrefix(workgroup)}*`,
    },
    {
      // Listing shows key names (execution ids) only, never results; left
      // unconditioned because Athena's own listing calls are not documented.
      Sid: "LocateQueryResults",
      Effect: "Allow",
      Action: ["s3:GetBucketLocation", "s3:ListBucket"],
      Resource: ctx.resultsBucketArn,
    },
    {
      Sid: "EncryptQueryResultsThroughS3",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: keys.resultsKeyArn,
      Condition: {
        StringEquals: { "kms:ViaService": viaService("s3", ctx.region), ...s3EncryptionContext(ctx.resultsBucketArn) },
      },
    },
  ];
}

/**
 * Read-only access of the log-analyst role to exactly the prefixes its
 * tables read (decrypting through S3, as the SIEM reader does).
 */
export function analystReadStatements(
  ctx: AthenaContext,
  archiveKeyArns: string | readonly string[],
  readableRoots: readonly string[],
): Statement[] {
  return archiveReadStatements(
    { archiveBucketArn: ctx.archiveBucketArn, archiveRegion: ctx.region },
    archiveKeyArns,
    readableRoots,
  );
}
