/**
 * Query access to the archive through Athena: the workgroup, the Glue
 * catalog entries, the data prefix (read-only) and the results bucket. Shared
 * by the SIEM reader and the log-analyst role.
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

/** The workgroups a query role may use. */
function workgroupArns(ctx: AthenaContext): string | string[] {
  return ctx.huntingWorkgroup ? [workgroupArn(ctx), workgroupArn(ctx, ctx.huntingWorkgroup)] : workgroupArn(ctx);
}

/** Glue's default catalog as Athena names it. */
export function dataCatalogArn(ctx: AthenaContext): string {
  return arn({ service: "athena", region: ctx.region, account: ctx.accountId, resource: "datacatalog/AwsDataCatalog" });
}

/** Identity statements that let a role query the archive with Athena. */
export function athenaQueryStatements(ctx: AthenaContext, keys: { readonly resultsKeyArn: string }): Statement[] {
  const glue = (resource: string) => arn({ service: "glue", region: ctx.region, account: ctx.accountId, resource });
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
      Resource: workgroupArns(ctx),
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
      Sid: "WriteAndReadQueryResults",
      Effect: "Allow",
      Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"],
      Resource: `${ctx.resultsBucketArn}/*`,
    },
    {
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
