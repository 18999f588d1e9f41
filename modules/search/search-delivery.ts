/**
 * Search delivery: the central topology's Kinesis stream read a second time,
 * by a Firehose that indexes every record into an OpenSearch Service domain,
 * beside the archive and never instead of it (the archive's own Firehose is
 * untouched).
 *
 * Firehose "currently does not support the delivery of CloudWatch Logs to
 * Amazon OpenSearch Service destination" (one Firehose record holds many log
 * events), so a transform function decodes each record and returns one
 * document per record (transform/transform.ts). Documents that fail indexing
 * go to the archive under `search-errors/region=<region>/` (FailedDocumentsOnly),
 * with the archive key. The domain is referenced, not created: the plan fails
 * unless it encrypts at rest and between nodes, and this construct owns its
 * access policy (the search stream and named principals only).
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
import { isAccountIdOrToken, logRetentionProblem } from "../constructs/validation";
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
  /** IAM principals allowed to search the domain. */
  readonly principals: readonly string[];
  /** Seconds Firehose retries indexing before documents go to search-errors/ (0-7200). */
  readonly retryDurationSeconds: number;
  /** Retention of the stream's error log and the function's log, in days. */
  readonly logRetentionDays: number;
  /** Alarms on delivery failures, to the archive's alarm topic. @default - none */
  readonly alarms?: { readonly topicArn: string; readonly alarmNamePrefix: string };
}

/** Firehose's OpenSearch buffering: the documents reach the index within a minute. */
const BUFFERING = { intervalSeconds: 60, sizeMiB: 5 } as const;
/**
 * Firehose hands the transform at most 1 MB per invocation here, which keeps
 * its response (one document per record, base64) under Lambda's 6 MB.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html
 */
const TRANSFORM_BUFFER_MB = 1;
/** Firehose waits up to 5 minutes for a transform invocation. */
const TRANSFORM_TIMEOUT_SECONDS = 60;
/** An index stays behind by more than this many seconds: delivery is stuck or failing. */
export const SEARCH_FRESHNESS_ALARM_SECONDS = 900;

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
  return problems;
}

export class SearchDelivery extends Construct {
  readonly names: SearchNames;
  readonly stream: KinesisFirehoseDeliveryStream;
  readonly role: IamRole;
  readonly function: LambdaFunction;
  readonly domainPolicy: OpensearchDomainPolicy;

  constructor(scope: Construct, id: string, props: SearchDeliveryProps) {
    super(scope, id);
    const problems = searchDeliveryProblems(props);
    if (problems.length > 0) throw new Error(problems.map((p) => `SearchDelivery ${this.node.path}: ${p}`).join("\n"));
    const { accountId, region } = props;
    const names = searchNames(props.namePrefix, accountId, region);
    this.names = names;
    const domainName = domainNameOf(props.domainArn);

    // The domain is the caller's: refuse to index into one that does not protect the data.
    // (The data source exposes encryption at rest and between nodes, not the endpoint's
    // HTTPS enforcement: the README asks for it.)
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
      policy: toPolicyJson(policyDocument(transformFunctionPolicy(names.functionLogGroupArn))),
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
      dependsOn: [functionLog, functionPolicy],
    });

    const errorLog = new CloudwatchLogGroup(this, "ErrorLogGroup", {
      name: names.errorLogGroup,
      retentionInDays: props.logRetentionDays,
    });
    const errorStream = new CloudwatchLogStream(this, "ErrorLogStream", {
      name: "OpenSearchDelivery",
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
      errorLogStream: "OpenSearchDelivery",
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
      accessPolicies: toPolicyJson(policyDocument(searchDomainPolicy(context, names.roleArn, props.principals))),
      // A resource policy may only name a role that exists.
      dependsOn: [this.role],
    });

    this.stream = new KinesisFirehoseDeliveryStream(this, "Stream", {
      name: names.stream,
      destination: "opensearch",
      kinesisSourceConfiguration: { kinesisStreamArn: props.kinesisStreamArn, roleArn: this.role.arn },
      opensearchConfiguration: {
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
                { parameterName: "BufferIntervalInSeconds", parameterValue: String(BUFFERING.intervalSeconds) },
              ],
            },
          ],
        },
        cloudwatchLoggingOptions: { enabled: true, logGroupName: errorLog.name, logStreamName: errorStream.name },
      },
      dependsOn: [rolePolicy, this.domainPolicy],
    });

    if (props.alarms) this.addAlarms(props.alarms);
  }

  private addAlarms(alarms: NonNullable<SearchDeliveryProps["alarms"]>): void {
    const dimensions = { DeliveryStreamName: this.names.stream };
    const name = (what: string) => `${alarms.alarmNamePrefix}search-${what}`;
    const base = { namespace: "AWS/Firehose", dimensions, treatMissingData: "notBreaching" as const };
    addAlarm(
      this,
      {
        ...base,
        id: "IndexingFails",
        name: name("indexing-fails"),
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
        ...base,
        id: "IndexBehind",
        name: name("index-behind"),
        description: `Records wait more than ${SEARCH_FRESHNESS_ALARM_SECONDS} s before reaching OpenSearch.`,
        metricName: "DeliveryToAmazonOpenSearchService.DataFreshness",
        statistic: "Maximum",
        comparison: "GreaterThanThreshold",
        threshold: SEARCH_FRESHNESS_ALARM_SECONDS,
        evaluationPeriods: 3,
      },
      alarms.topicArn,
    );
    addAlarm(
      this,
      {
        ...base,
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
  }
}
