/**
 * Policies of the alarm topics and of the keys that encrypt them: CloudWatch
 * alarms publish to a KMS-encrypted topic only if both the topic policy and
 * the key policy admit `cloudwatch.amazonaws.com`, here only for this
 * account's alarms of this pipeline.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
import { regionalServicePrincipal, servicePrincipal } from "../naming/partition";
import { arn } from "../naming/arn";
import type { Statement } from "./document";
import { denyInsecureTransport } from "./statements";

export interface AlarmScope {
  readonly accountId: string;
  readonly region: string;
  /** Alarm names start with this. */
  readonly alarmNamePrefix: string;
}

function fromOwnAlarms(scope: AlarmScope) {
  return {
    StringEquals: { "aws:SourceAccount": scope.accountId },
    ArnLike: {
      "aws:SourceArn": arn({
        service: "cloudwatch",
        region: scope.region,
        account: scope.accountId,
        resource: `alarm:${scope.alarmNamePrefix}*`,
      }),
    },
  };
}

export function alarmTopicPolicy(scope: AlarmScope, topicArn: string): Statement[] {
  return [
    {
      Sid: "AllowOwnAlarmsToPublish",
      Effect: "Allow",
      Principal: { Service: servicePrincipal("cloudwatch") },
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: fromOwnAlarms(scope),
    },
    denyInsecureTransport("sns:Publish", [topicArn]),
  ];
}

export function alarmsUseKey(scope: AlarmScope): Statement {
  return {
    Sid: "AllowOwnAlarmsToUseKey",
    Effect: "Allow",
    Principal: { Service: servicePrincipal("cloudwatch") },
    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: fromOwnAlarms(scope),
  };
}

/**
 * CloudWatch Logs may use the key for the named log groups only. No
 * `kms:Describe*`: AWS's example lists it, but DescribeKey carries no
 * encryption context, so under this condition it could never be granted
 * (the Service Authorization Reference defines kms:EncryptionContext:* only
 * for the cryptographic operations and grants).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
 */
export function logGroupsUseKey(region: string, logGroupArns: readonly string[]): Statement {
  return {
    Sid: "CloudWatchLogsEncryptsPipelineLogGroups",
    Effect: "Allow",
    Principal: { Service: regionalServicePrincipal("logs", region) },
    Action: ["kms:Decrypt*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
    Resource: "*",
    Condition: {
      ArnEquals: {
        "kms:EncryptionContext:aws:logs:arn": logGroupArns.length === 1 ? logGroupArns[0]! : [...logGroupArns],
      },
    },
  };
}
