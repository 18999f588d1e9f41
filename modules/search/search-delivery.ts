/**
 * Search delivery: the central topology's Kinesis stream read a second time,
 * by a Firehose that indexes every record into an OpenSearch Service domain,
 * beside the archive and never instead of it (the archive's own Firehose is
 * untouched).
 *
 * Firehose "currently does not support the delivery of CloudWatch Logs to
 * Amazon OpenSearch Service destination" (one Firehose record holds many log
 * events), so a transform function decodes each record and returns one
 * document per record (transform/transform.ts), in the shape of the index
 * template (index-template.ts). What does not fit the transform's 6 MB
 * response is re-ingested into a second, Direct PUT, "overflow" Firehose
 * with the same transform and destination, never into the central Kinesis
 * stream (the archive's own Firehose reads that one). Documents that fail
 * indexing go to the archive under `search-errors/region=<region>/`
 * (FailedDocumentsOnly), with the archive key. The domain is referenced, not
 * created: the plan fails unless it encrypts at rest and between nodes and
 * has a public endpoint, and this construct owns its access policy (the
 * search streams, the named principals read-only, and the named domain
 * administrators).
 * @see https://docs.aws.amazon.com/firehose/latest/dev/writing-with-cloudwatch-logs.html
 * @see https://docs.aws.amazon.com/firehose/latest/dev/writing-with-kinesis-streams.html
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogStream } from "@cdktf/provider-aws/lib/cloudwatch-log-stream";
import { DataAwsOpensearchDomain } from "@cdktf/provider-aws/lib/data-aws-opensearch-domain";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KinesisFirehoseDeliveryStream } from "@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { OpensearchDomainPolicy } from "@cdktf/provider-aws/lib/opensearch-domain-policy";
import { AssetType, TerraformAsset, Token } from "cdktf";
import { Construct } from "constructs";
import { packageFile } from "../constructs/lambda-package";
import type { ProtectedChild } from "../constructs/retirement";
import { isAccountIdOrToken, logRetentionProblem, throwIfProblems } from "../constructs/validation";
import { addAlarm } from "../monitoring/alarm";
import { SEARCH_ERROR_ROOT } from "../naming/key-layout";
import { searchNames, type SearchNames } from "../naming/names";
import { policyDocument, toPolicyJson } from "../policy/document";
import {
  searchDomainPolicy,
  searchStreamPolicy,
  searchStreamTrust,
  transformFunctionPolicy,
  transformFunctionTrust,
} from "../policy/search-policies";
import type { IndexRotation } from "../options/values";
import { searchIndexTemplate, type IndexTemplate } from "./index-template";
import { TRANSFORM_BUFFER_MB, TRANSFORM_BUFFER_SECONDS } from "./transform-buffer";
import { HANDLER_ZIP_BASE64, HANDLER_ZIP_SHA256 } from "./transform/handler-zip";

export interface SearchDeliveryProps {
  /** The log-archive account and Region: the stream, the function and the domain are there. */
  readonly accountId: string;
  readonly region: string;
  readonly namePrefix: string;
  readonly archiveBucketArn: string;
  readonly archiveKeyArn: string;
  /** The central Kinesis stream of `region`, which the archive's central Firehose also reads. */
  readonly kinesisStreamArn: string;
  /** The OpenSearch Service domain, in `accountId` and `region`. */
  readonly domainArn: string;
  readonly indexName: string;
  readonly indexRotation: IndexRotation;
  /** IAM principals allowed to search the domain: GET, HEAD, and POST on the search APIs only. */
  readonly principals: readonly string[];
  /**
   * IAM roles or users of the domain's owner allowed every call on the domain
   * (index templates, role mappings, index deletion): excluded from the deny
   * that keeps everyone else out. Never also a search principal.
   * @default - none: the owner's calls (the index template, the role mapping)
   * must be made before the first apply, or by a principal named here
   */
  readonly administrators?: readonly string[];
  /** Seconds Firehose retries indexing before documents go to search-errors/ (0-7200). */
  readonly retryDurationSeconds: number;
  /** Retention of the stream's error log and the function's log, in days. */
  readonly logRetentionDays: number;
  /** Alarms on delivery failures, to the archive's alarm topic. @default - none */
  readonly alarms?: { readonly topicArn: string; readonly alarmNamePrefix: string };
}

/** Firehose's OpenSearch buffering: the documents reach the index within a minute. */
const BUFFERING = { intervalSeconds: 60, sizeMiB: 5 } as const;
/** Firehose waits up to 5 minutes for a transform invocation. */
const TRANSFORM_TIMEOUT_SECONDS = 60;
/** An index stays behind by more than this many seconds: delivery is stuck or failing. */
export const SEARCH_FRESHNESS_ALARM_SECONDS = 900;
/** The Firehose log stream of each search stream's delivery errors, in the one error log group. */
const ERROR_LOG_STREAMS = { stream: "OpenSearchDelivery", overflow: "OverflowDelivery" } as const;

/** The namespace of the transform's record counts (embedded metric format, transform/handler.ts). */
export function searchMetricsNamespace(namePrefix: string): string {
  return `${namePrefix}/search-transform`;
}

/** An IAM role or user ARN: the principals a domain policy condition can name one by one. */
const ROLE_OR_USER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
/** The principals a domain policy may name (an account root stands for the account). */
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/;

/** The domain name of `arn:<partition>:es:<region>:<account>:domain/<name>`. */
export function domainNameOf(domainArn: string): string {
  return domainArn.split(":")[5]?.replace(/^domain\//, "") ?? "";
}

function searchDeliveryProblems(props: SearchDeliveryProps): string[] {
  const problems: string[] = [];
  if (!isAccountIdOrToken(props.accountId)) {
    problems.push(`accountId: expected a 12-digit AWS account id, got ${JSON.stringify(props.accountId)}`);
  }
  if (!Token.isUnresolved(props.domainArn)) {
    const [prefix, , service, region, account, resource] = props.domainArn.split(":");
    if (prefix !== "arn" || service !== "es" || !/^domain\/[a-z][a-z0-9-]{2,27}$/.test(resource ?? "")) {
      problems.push(`domainArn: expected an OpenSearch Service domain ARN, got ${JSON.stringify(props.domainArn)}`);
    } else if (region !== props.region || account !== props.accountId) {
      problems.push(
        `domainArn: expected a domain of account ${props.accountId} in ${props.region} (the stream's), got ${JSON.stringify(props.domainArn)}`,
      );
    }
  }
  const retry = props.retryDurationSeconds;
  if (!Token.isUnresolved(retry) && !(Number.isInteger(retry) && retry >= 0 && retry <= 7200)) {
    problems.push(`retryDurationSeconds: expected a whole number of seconds from 0 to 7200, got ${retry}`);
  }
  const retention = logRetentionProblem("logRetentionDays", props.logRetentionDays);
  if (retention) problems.push(retention);
  props.principals.forEach((p, i) => {
    if (!Token.isUnresolved(p) && !PRINCIPAL_ARN.test(p)) {
      problems.push(`principals[${i}]: expected an IAM role, user or account root ARN, got ${JSON.stringify(p)}`);
    }
  });
  (props.administrators ?? []).forEach((a, i) => {
    if (!Token.isUnresolved(a) && !ROLE_OR_USER_ARN.test(a)) {
      problems.push(`administrators[${i}]: expected an IAM role or user ARN, got ${JSON.stringify(a)}`);
    } else if (props.principals.includes(a)) {
      problems.push(
        `administrators[${i}]: ${a} is also a search principal; a principal is either read-only or an administrator`,
      );
    }
  });
  return problems;
}

export class SearchDelivery extends Construct {
  /**
   * What is left in AWS, never deleted, when search delivery is switched off:
   * the domain's access policy (the domain is the owner's, and an absent
   * policy would lock the owner out as well as the streams).
   */
  static readonly RETAINED_CHILDREN: readonly ProtectedChild[] = [
    { type: "aws_opensearch_domain_policy", path: ["DomainPolicy"] },
  ];
  readonly names: SearchNames;
  readonly stream: KinesisFirehoseDeliveryStream;
  /** The Direct PUT stream the transform re-ingests what does not fit its response into. */
  readonly overflowStream: KinesisFirehoseDeliveryStream;
  readonly role: IamRole;
  readonly function: LambdaFunction;
  readonly domainPolicy: OpensearchDomainPolicy;
  /** The index template the domain's administrators apply (README; opensearch-index-template.json for the default name). */
  readonly indexTemplate: IndexTemplate;

  constructor(scope: Construct, id: string, props: SearchDeliveryProps) {
    super(scope, id);
    const problems = searchDeliveryProblems(props);
    throwIfProblems("SearchDelivery", this, problems);
    const { accountId, region } = props;
    const names = searchNames(props.namePrefix, accountId, region);
    this.names = names;
    const overflow = { name: names.overflowStream, arn: names.overflowStreamArn };
    const domainName = domainNameOf(props.domainArn);
    this.indexTemplate = searchIndexTemplate(props.indexName);

    // The domain is the caller's: refuse to index into one that does not protect the data,
    // or that the streams cannot reach. (The data source exposes encryption at rest and
    // between nodes, not the endpoint's HTTPS enforcement: the README asks for it.)
    const domain = new DataAwsOpensearchDomain(this, "Domain", {
      domainName,
      lifecycle: {
        postcondition: [
          {
            condition: "${self.encryption_at_rest[0].enabled}",
            errorMessage: `OpenSearch domain ${domainName} must encrypt data at rest before search delivery indexes into it.`,
          },
          {
            condition: "${self.node_to_node_encryption[0].enabled}",
            errorMessage: `OpenSearch domain ${domainName} must encrypt traffic between its nodes.`,
          },
          {
            // The provider sets vpc_options only for a domain in a VPC (domain_data_source.go:
            // `if ds.VPCOptions != nil { d.Set("vpc_options", ...) }`). Firehose reaches such a
            // domain only through a VpcConfiguration of subnets, security groups and ENI
            // permissions (ec2:CreateNetworkInterface, ...), which this construct does not build:
            // https://docs.aws.amazon.com/firehose/latest/APIReference/API_VpcConfiguration.html
            condition: "${length(self.vpc_options) == 0}",
            errorMessage: `OpenSearch domain ${domainName} is in a VPC: search delivery reaches only domains with a public endpoint (README, "Search delivery to OpenSearch").`,
          },
        ],
      },
    });

    const functionLog = new CloudwatchLogGroup(this, "TransformLogGroup", {
      name: names.functionLogGroup,
      retentionInDays: props.logRetentionDays,
    });
    const functionRole = new IamRole(this, "TransformRole", {
      name: names.functionRole,
      description: "The search transform: decodes CloudWatch Logs records for OpenSearch",
      assumeRolePolicy: toPolicyJson(policyDocument(transformFunctionTrust())),
    });
    const functionPolicy = new IamRolePolicy(this, "TransformPolicy", {
      name: "write-own-log",
      role: functionRole.name,
      policy: toPolicyJson(policyDocument(transformFunctionPolicy(names.functionLogGroupArn, overflow.arn))),
    });
    const code = new TerraformAsset(this, "TransformCode", {
      path: packageFile("search-transform", HANDLER_ZIP_BASE64),
      type: AssetType.FILE,
      assetHash: HANDLER_ZIP_SHA256.replace(/[^A-Za-z0-9]/g, ""),
    });
    this.function = new LambdaFunction(this, "Transform", {
      functionName: names.function,
      description: "Turns each CloudWatch Logs record of the central stream into one OpenSearch document",
      role: functionRole.arn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: code.path,
      sourceCodeHash: HANDLER_ZIP_SHA256,
      memorySize: 512,
      timeout: TRANSFORM_TIMEOUT_SECONDS,
      tracingConfig: { mode: "Active" },
      loggingConfig: { logFormat: "Text", logGroup: functionLog.name },
      environment: {
        variables: {
          REINGEST_STREAM_NAME: overflow.name,
          METRICS_NAMESPACE: searchMetricsNamespace(props.namePrefix),
        },
      },
      dependsOn: [functionLog, functionPolicy],
    });

    const errorLog = new CloudwatchLogGroup(this, "ErrorLogGroup", {
      name: names.errorLogGroup,
      retentionInDays: props.logRetentionDays,
    });
    const errorStream = new CloudwatchLogStream(this, "ErrorLogStream", {
      name: ERROR_LOG_STREAMS.stream,
      logGroupName: errorLog.name,
    });
    const overflowErrorStream = new CloudwatchLogStream(this, "OverflowErrorLogStream", {
      name: ERROR_LOG_STREAMS.overflow,
      logGroupName: errorLog.name,
    });

    const context = {
      accountId,
      region,
      archiveBucketArn: props.archiveBucketArn,
      kinesisStreamArn: props.kinesisStreamArn,
      domainArn: props.domainArn,
      indexName: props.indexName,
      functionArn: names.functionArn,
      errorLogGroupArn: names.errorLogGroupArn,
      errorLogStreams: [ERROR_LOG_STREAMS.stream, ERROR_LOG_STREAMS.overflow],
    };
    this.role = new IamRole(this, "Role", {
      name: names.role,
      description:
        "Search delivery: reads the central stream, indexes into OpenSearch, writes failures to search-errors/",
      assumeRolePolicy: toPolicyJson(policyDocument(searchStreamTrust(context))),
    });
    const rolePolicy = new IamRolePolicy(this, "RolePolicy", {
      name: "index-into-opensearch",
      role: this.role.name,
      policy: toPolicyJson(policyDocument(searchStreamPolicy(context, props.archiveKeyArn))),
    });
    this.domainPolicy = new OpensearchDomainPolicy(this, "DomainPolicy", {
      domainName: domain.domainName,
      accessPolicies: toPolicyJson(
        policyDocument(searchDomainPolicy(context, names.roleArn, props.principals, props.administrators ?? [])),
      ),
      // A resource policy may only name a role that exists.
      dependsOn: [this.role],
    });

    const opensearchConfiguration = (logStreamName: string) => ({
      domainArn: props.domainArn,
      indexName: props.indexName,
      indexRotationPeriod: props.indexRotation,
      roleArn: this.role.arn,
      retryDuration: props.retryDurationSeconds,
      bufferingInterval: BUFFERING.intervalSeconds,
      bufferingSize: BUFFERING.sizeMiB,
      // Stable ids across delivery retries: a retried batch is not indexed twice.
      documentIdOptions: { defaultDocumentIdFormat: "FIREHOSE_DEFAULT" },
      s3BackupMode: "FailedDocumentsOnly",
      s3Configuration: {
        roleArn: this.role.arn,
        bucketArn: props.archiveBucketArn,
        prefix: `${SEARCH_ERROR_ROOT}region=${region}/`,
        compressionFormat: "GZIP",
        kmsKeyArn: props.archiveKeyArn,
      },
      processingConfiguration: {
        enabled: true,
        processors: [
          {
            type: "Lambda",
            parameters: [
              { parameterName: "LambdaArn", parameterValue: `${this.function.arn}:$LATEST` },
              { parameterName: "BufferSizeInMBs", parameterValue: String(TRANSFORM_BUFFER_MB) },
              { parameterName: "BufferIntervalInSeconds", parameterValue: String(TRANSFORM_BUFFER_SECONDS) },
            ],
          },
        ],
      },
      cloudwatchLoggingOptions: { enabled: true, logGroupName: errorLog.name, logStreamName },
    });

    this.stream = new KinesisFirehoseDeliveryStream(this, "Stream", {
      name: names.stream,
      destination: "opensearch",
      kinesisSourceConfiguration: { kinesisStreamArn: props.kinesisStreamArn, roleArn: this.role.arn },
      opensearchConfiguration: opensearchConfiguration(errorStream.name),
      dependsOn: [rolePolicy, this.domainPolicy],
    });
    // Direct PUT: only principals of this account whose IAM allows firehose:PutRecordBatch on it
    // (the transform's role) can write to it. A Direct PUT stream can encrypt at rest, unlike one
    // reading a Kinesis stream; the AWS-owned key, as the central Firehose without Kinesis does.
    this.overflowStream = new KinesisFirehoseDeliveryStream(this, "OverflowStream", {
      name: overflow.name,
      destination: "opensearch",
      serverSideEncryption: { enabled: true, keyType: "AWS_OWNED_CMK" },
      opensearchConfiguration: opensearchConfiguration(overflowErrorStream.name),
      dependsOn: [rolePolicy, this.domainPolicy],
    });

    if (props.alarms) this.addAlarms(props.alarms, props.namePrefix, overflow.name);
  }

  private addAlarms(alarms: NonNullable<SearchDeliveryProps["alarms"]>, namePrefix: string, overflow: string): void {
    const name = (what: string) => `${alarms.alarmNamePrefix}search-${what}`;
    const firehose = (streamName: string) => ({
      namespace: "AWS/Firehose",
      dimensions: { DeliveryStreamName: streamName },
      treatMissingData: "notBreaching" as const,
    });
    for (const [idPrefix, namePart, streamName] of [
      ["", "", this.names.stream],
      ["Overflow", "overflow-", overflow],
    ] as const) {
      addAlarm(
        this,
        {
          ...firehose(streamName),
          id: `${idPrefix}IndexingFails`,
          name: name(`${namePart}indexing-fails`),
          description:
            "Documents fail to index into OpenSearch: they go to search-errors/ (the archive copy is unaffected).",
          metricName: "DeliveryToAmazonOpenSearchService.Success",
          statistic: "Average",
          comparison: "LessThanThreshold",
          threshold: 1,
          evaluationPeriods: 3,
        },
        alarms.topicArn,
      );
      addAlarm(
        this,
        {
          ...firehose(streamName),
          id: `${idPrefix}IndexBehind`,
          name: name(`${namePart}index-behind`),
          description: `Records wait more than ${SEARCH_FRESHNESS_ALARM_SECONDS} s before reaching OpenSearch.`,
          metricName: "DeliveryToAmazonOpenSearchService.DataFreshness",
          statistic: "Maximum",
          comparison: "GreaterThanThreshold",
          threshold: SEARCH_FRESHNESS_ALARM_SECONDS,
          evaluationPeriods: 3,
        },
        alarms.topicArn,
      );
    }
    addAlarm(
      this,
      {
        ...firehose(this.names.stream),
        id: "TransformFails",
        name: name("transform-fails"),
        description: "The search transform fails: Firehose cannot turn records into documents.",
        metricName: "ExecuteProcessing.Success",
        statistic: "Average",
        comparison: "LessThanThreshold",
        threshold: 1,
        evaluationPeriods: 3,
      },
      alarms.topicArn,
    );
    // ExecuteProcessing.Success counts invocations, and records the transform marks
    // ProcessingFailed never reach the delivery metrics: count them in the transform itself
    // (embedded metric format, one datapoint per invocation, zeros included). Missing data is
    // no invocation in the period, so nothing failed (notBreaching); the next clean
    // invocation writes a 0, so the alarm recovers as soon as records stop failing.
    addAlarm(
      this,
      {
        id: "FailedRecords",
        name: name("failed-records"),
        description:
          "The search transform marked records ProcessingFailed (undecodable, an event too large, a failed re-ingestion): they are not indexed; the originals are in the archive.",
        namespace: searchMetricsNamespace(namePrefix),
        dimensions: { FunctionName: this.names.function },
        metricName: "FailedRecords",
        statistic: "Sum",
        comparison: "GreaterThanThreshold",
        threshold: 0,
        evaluationPeriods: 1,
        treatMissingData: "notBreaching",
      },
      alarms.topicArn,
    );
  }
}
