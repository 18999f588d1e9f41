/**
 * Policies of tamper detection, one function per grant: who may put events
 * on the tamper bus, what the forwarding roles may do and who may assume
 * them, and what EventBridge may do with the archive's alarm topic and the
 * key that encrypts it.
 */
import { servicePrincipal } from "../naming/partition";
import type { Statement } from "./document";

/**
 * The tamper bus admits `events:PutEvents` from principals of the
 * organization only. Accounts granted through an organization must send
 * with a role of their own (see forwardRoleTrust), which this condition then
 * admits; nothing else may be done on the bus.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutPermission.html
 */
export function organizationPutsTamperEvents(busArn: string, organizationId: string): Statement {
  return {
    Sid: "OrganizationForwardsTamperEvents",
    Effect: "Allow",
    Principal: "*",
    Action: "events:PutEvents",
    Resource: busArn,
    Condition: { StringEquals: { "aws:PrincipalOrgID": organizationId } },
  };
}

/**
 * EventBridge assumes a forwarding role only for this account's detection
 * rules (`aws:SourceAccount`, `aws:SourceArn`): a rule that sends to an event
 * bus in another account or Region, or to a bus admitting an organization,
 * needs a role.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-bus-to-bus.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export function forwardRoleTrust(accountId: string, ruleArns: readonly string[]): Statement {
  return {
    Sid: "EventBridgeRulesOfThisAccountAssume",
    Effect: "Allow",
    Principal: { Service: servicePrincipal("events") },
    Action: "sts:AssumeRole",
    Condition: {
      StringEquals: { "aws:SourceAccount": accountId },
      ArnEquals: { "aws:SourceArn": ruleArns.length === 1 ? ruleArns[0]! : [...ruleArns] },
    },
  };
}

/**
 * A forwarding role may put events on the tamper bus and do nothing else.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html
 */
export function forwardRolePutsOnTamperBus(busArn: string): Statement {
  return { Sid: "PutEventsOnTheTamperBusOnly", Effect: "Allow", Action: "events:PutEvents", Resource: busArn };
}

/** The rule on the tamper bus, in the log-archive account. */
export interface TamperNotifier {
  readonly accountId: string;
  readonly ruleArn: string;
}

/**
 * EventBridge publishes to the alarm topic for the tamper bus's rule only.
 * Targets with a resource policy (SNS) take no role.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html
 */
export function tamperRulePublishes(notifier: TamperNotifier, topicArn: string): Statement {
  return {
    Sid: "TamperRuleNotifies",
    Effect: "Allow",
    Principal: { Service: servicePrincipal("events") },
    Action: "sns:Publish",
    Resource: topicArn,
    Condition: {
      StringEquals: { "aws:SourceAccount": notifier.accountId },
      ArnEquals: { "aws:SourceArn": notifier.ruleArn },
    },
  };
}

/**
 * The topic is encrypted with the monitoring key: EventBridge, publishing to
 * it, must generate data keys and decrypt with that key. Not with
 * aws:SourceAccount or aws:SourceArn, as every other service grant here is:
 * "Adding the aws:SourceAccount, aws:SourceArn, and aws:SourceOrgID to a AWS
 * KMS policy is not supported for EventBridge-to-encrypted topics", and with
 * them every notification fails at the target. The topic policy
 * (tamperRulePublishes) keeps the rule's conditions; here SNS's encryption
 * context names the topic, so the key serves EventBridge for that topic only.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html
 */
export function tamperRuleUsesKey(topicArn: string): Statement {
  return {
    Sid: "TamperRuleUsesKey",
    Effect: "Allow",
    Principal: { Service: servicePrincipal("events") },
    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: { StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": topicArn } },
  };
}
