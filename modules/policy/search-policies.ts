/**
 * Policies of search delivery: the Firehose that reads the central Kinesis
 * stream and indexes into OpenSearch (its role), the domain's access policy,
 * and the transform function's role.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_AmazonopensearchserviceDestinationUpdate.html
 */
import { SEARCH_ERROR_ROOT } from "../naming/key-layout";
import { s3EncryptionContext } from "./archive-policies";
import type { Statement } from "./document";
import { firehoseOfAccountAssumes, lambdaExecutionTrust, viaService } from "./statements";

export interface SearchContext {
  /** The log-archive account, where the stream, the function and the domain are. */
  readonly accountId: string;
  readonly region: string;
  readonly archiveBucketArn: string;
  readonly kinesisStreamArn: string;
  readonly domainArn: string;
  readonly indexName: string;
  readonly functionArn: string;
  readonly errorLogGroupArn: string;
  /** The streams' error log streams: the search stream's and the overflow stream's. */
  readonly errorLogStreams: readonly string[];
}

/** Firehose assumes the role with its account as ExternalId, so no other account's stream can. */
export function searchStreamTrust(ctx: Pick<SearchContext, "accountId">): Statement[] {
  return [firehoseOfAccountAssumes(ctx.accountId)];
}

/**
 * The role of both search Firehoses (the one reading the central stream, and
 * the Direct PUT overflow stream the transform re-ingests into): read the
 * central stream, describe and index into the domain (GET only on the
 * cluster paths Firehose reads), run the transform, and write failed
 * documents under search-errors/ only, with the archive key through S3. It
 * reads no archived object.
 */
export function searchStreamPolicy(ctx: SearchContext, archiveKeyArn: string): Statement[] {
  const domain = ctx.domainArn;
  const index = `${domain}/${ctx.indexName}`;
  return [
    {
      Sid: "ReadCentralStream",
      Effect: "Allow",
      Action: ["kinesis:DescribeStream", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"],
      Resource: ctx.kinesisStreamArn,
    },
    {
      Sid: "DescribeDomain",
      Effect: "Allow",
      Action: ["es:DescribeDomain", "es:DescribeDomainConfig", "es:DescribeDomains"],
      Resource: [domain, `${domain}/*`],
    },
    {
      Sid: "IndexDocuments",
      Effect: "Allow",
      Action: ["es:ESHttpPost", "es:ESHttpPut"],
      Resource: [domain, `${domain}/*`],
    },
    {
      Sid: "ReadClusterState",
      Effect: "Allow",
      Action: "es:ESHttpGet",
      Resource: [
        `${domain}/_all/_settings`,
        `${domain}/_cluster/stats`,
        `${index}*/_mapping/*`,
        `${domain}/_nodes`,
        `${domain}/_nodes/stats`,
        `${domain}/_nodes/*/stats`,
        `${domain}/_stats`,
        `${index}*/_stats`,
      ],
    },
    {
      Sid: "RunTransform",
      Effect: "Allow",
      Action: ["lambda:GetFunctionConfiguration", "lambda:InvokeFunction"],
      Resource: [ctx.functionArn, `${ctx.functionArn}:*`],
    },
    {
      Sid: "WriteFailedDocuments",
      Effect: "Allow",
      Action: ["s3:AbortMultipartUpload", "s3:PutObject"],
      Resource: `${ctx.archiveBucketArn}/${SEARCH_ERROR_ROOT}*`,
    },
    { Sid: "LocateArchiveBucket", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: ctx.archiveBucketArn },
    {
      Sid: "UseArchiveKeyThroughS3",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: archiveKeyArn,
      Condition: {
        StringEquals: {
          "kms:ViaService": viaService("s3", ctx.region),
          ...s3EncryptionContext(ctx.archiveBucketArn),
        },
      },
    },
    {
      Sid: "WriteOwnErrorLog",
      Effect: "Allow",
      Action: "logs:PutLogEvents",
      Resource: ctx.errorLogStreams.map((stream) => `${ctx.errorLogGroupArn}:log-stream:${stream}`),
    },
  ];
}

/**
 * HTTP methods and paths of the domain's OpenSearch API that read, for the
 * search principals. A resource-based policy scopes OpenSearch "HTTP methods"
 * (`es:ESHttp*` actions) by subresource URI: "if OpenSearch expresses the
 * subresource as a URI, you can control access to it using an access policy",
 * e.g. `domain/test-domain/test-index/_search`
 * (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html).
 * GET and HEAD read wherever they go. POST also writes (`_bulk`, `_doc`,
 * `_update`, `_delete_by_query`, ...), so it is allowed only on the search
 * APIs: at the domain's root and on the search indexes (`<indexName>*`, which
 * no write API's own path segment can start with: index names cannot start
 * with `_`).
 */
export function searchReadPaths(ctx: Pick<SearchContext, "domainArn" | "indexName">): string[] {
  const domain = ctx.domainArn;
  const index = `${domain}/${ctx.indexName}*`;
  const apis = ["_search", "_msearch", "_count", "_mget", "_field_caps"];
  return [
    ...apis.map((api) => `${domain}/${api}`),
    `${domain}/_search/scroll`,
    ...apis.map((api) => `${index}/${api}`),
  ];
}

/**
 * Document APIs whose last path segment is a document id, so that
 * `<index>/_doc/_search` (indexing a document whose id is "_search") matches
 * the read paths' wildcards: denied to the search principals explicitly.
 */
function documentWritePaths(domainArn: string): string[] {
  return ["_doc", "_create", "_update"].map((api) => `${domainArn}/*/${api}/*`);
}

/**
 * The domain's access policy, owned by this stack: the search stream may
 * index; the named principals may read (GET, HEAD, and POST on the search
 * APIs only: never bulk, document, update or delete-by-query writes, whatever
 * their own identity policies allow); the domain administrators, when named,
 * may make every call (index templates, role mappings, index deletion); and a
 * deny keeps every other principal, the domain account's other administrators
 * included, from its data. Requests must be signed (IAM principals); the
 * domain's configuration stays with its account's IAM. OpenSearch Service
 * supports "most policy elements ... with the exception of NotPrincipal"
 * (ac.html, "Policy element reference"): NotAction and NotResource are used,
 * NotPrincipal never.
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html
 */
export function searchDomainPolicy(
  ctx: Pick<SearchContext, "domainArn" | "indexName">,
  streamRoleArn: string,
  principals: readonly string[],
  administrators: readonly string[] = [],
): Statement[] {
  const data = `${ctx.domainArn}/*`;
  const readers = [...principals].sort();
  const admins = [...administrators].sort();
  const isReader = { ArnEquals: { "aws:PrincipalArn": readers } };
  return [
    {
      Sid: "SearchStreamIndexes",
      Effect: "Allow",
      Principal: { AWS: streamRoleArn },
      Action: ["es:ESHttpGet", "es:ESHttpPost", "es:ESHttpPut"],
      Resource: data,
    },
    ...(readers.length > 0
      ? ([
          {
            Sid: "NamedPrincipalsRead",
            Effect: "Allow",
            Principal: { AWS: readers },
            Action: ["es:ESHttpGet", "es:ESHttpHead"],
            Resource: data,
          },
          {
            Sid: "NamedPrincipalsSearch",
            Effect: "Allow",
            Principal: { AWS: readers },
            Action: "es:ESHttpPost",
            Resource: searchReadPaths(ctx),
          },
          {
            // A principal of the domain's own account is allowed by its identity policies alone.
            Sid: "NamedPrincipalsOnlyRead",
            Effect: "Deny",
            Principal: { AWS: "*" },
            NotAction: ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost"],
            Resource: data,
            Condition: isReader,
          },
          {
            Sid: "NamedPrincipalsPostOnlyToSearch",
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: "es:ESHttpPost",
            NotResource: searchReadPaths(ctx),
            Condition: isReader,
          },
          {
            Sid: "NamedPrincipalsNeverWriteDocuments",
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: "es:ESHttpPost",
            Resource: documentWritePaths(ctx.domainArn),
            Condition: isReader,
          },
        ] satisfies Statement[])
      : []),
    ...(admins.length > 0
      ? [
          {
            Sid: "DomainAdministratorsManage",
            Effect: "Allow" as const,
            Principal: { AWS: admins },
            Action: "es:ESHttp*",
            Resource: data,
          },
        ]
      : []),
    {
      // Identity policies of the domain's own account would otherwise reach its data too.
      Sid: "NobodyElseReadsOrWrites",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: "es:ESHttp*",
      Resource: data,
      Condition: { ArnNotEquals: { "aws:PrincipalArn": [streamRoleArn, ...readers, ...admins] } },
    },
  ];
}

/** Lambda runs the transform (see lambdaExecutionTrust). */
export function transformFunctionTrust(): Statement[] {
  return [lambdaExecutionTrust("LambdaRunsTheTransform")];
}

/**
 * The transform function writes its own log and, with active tracing, its
 * traces (Lambda refuses to create a traced function whose role cannot call
 * PutTraceSegments), and re-ingests the records whose documents do not fit
 * its response into the search's overflow stream, and only there: never the
 * central Kinesis stream, which the archive reads too.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondatafirehose.html
 */
export function transformFunctionPolicy(functionLogGroupArn: string, overflowStreamArn: string): Statement[] {
  return [
    {
      Sid: "WriteOwnLog",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${functionLogGroupArn}:*`,
    },
    {
      // X-Ray's write actions support no resource-level permissions.
      Sid: "WriteTraces",
      Effect: "Allow",
      Action: ["xray:PutTelemetryRecords", "xray:PutTraceSegments"],
      Resource: "*",
    },
    {
      Sid: "ReingestIntoOverflowStream",
      Effect: "Allow",
      Action: "firehose:PutRecordBatch",
      Resource: overflowStreamArn,
    },
  ];
}
