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
  readonly errorLogStream: string;
}

/** Firehose assumes the role with its account as ExternalId, so no other account's stream can. */
export function searchStreamTrust(ctx: Pick<SearchContext, "accountId">): Statement[] {
  return [firehoseOfAccountAssumes(ctx.accountId)];
}

/**
 * Read the central stream, describe and index into the domain (GET only on
 * the cluster paths Firehose reads), run the transform, and write failed
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
      Resource: `${ctx.errorLogGroupArn}:log-stream:${ctx.errorLogStream}`,
    },
  ];
}

/**
 * The domain's access policy, owned by this stack: the search stream may
 * index, the named principals may search (HTTP GET, HEAD, POST for
 * `_search`), and a deny keeps every other principal, the domain account's
 * administrators included, from its data. Requests must be signed (IAM
 * principals); the domain's configuration stays with its account's IAM.
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html
 */
export function searchDomainPolicy(
  ctx: Pick<SearchContext, "domainArn">,
  streamRoleArn: string,
  principals: readonly string[],
): Statement[] {
  return [
    {
      Sid: "SearchStreamIndexes",
      Effect: "Allow",
      Principal: { AWS: streamRoleArn },
      Action: ["es:ESHttpGet", "es:ESHttpPost", "es:ESHttpPut"],
      Resource: `${ctx.domainArn}/*`,
    },
    ...(principals.length > 0
      ? [
          {
            Sid: "NamedPrincipalsSearch",
            Effect: "Allow" as const,
            Principal: { AWS: [...principals].sort() },
            Action: ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost"],
            Resource: `${ctx.domainArn}/*`,
          },
        ]
      : []),
    {
      // Identity policies of the domain's own account would otherwise reach its data too.
      Sid: "NobodyElseReadsOrWrites",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: "es:ESHttp*",
      Resource: `${ctx.domainArn}/*`,
      Condition: { ArnNotEquals: { "aws:PrincipalArn": [streamRoleArn, ...[...principals].sort()] } },
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
 * PutTraceSegments); it calls no other AWS API.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html
 */
export function transformFunctionPolicy(functionLogGroupArn: string): Statement[] {
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
  ];
}
