/**
 * Where tamper detection collects what every watching account forwards: a
 * custom event bus of the log-archive account, in the archive's Region,
 * that principals of the organization may put events on, and a rule that
 * sends each watched call to the archive's alarm topic as a readable line.
 *
 * A custom bus, never the default one: an account has a single default bus
 * policy, which this construct must not take over (other teams' grants live
 * there).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html
 */
import { CloudwatchEventBus } from "@cdktf/provider-aws/lib/cloudwatch-event-bus";
import { CloudwatchEventBusPolicy } from "@cdktf/provider-aws/lib/cloudwatch-event-bus-policy";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { isAccountIdOrToken, namePrefixProblem, throwIfProblems } from "../constructs/validation";
import { DEFAULT_NAME_PREFIX } from "../naming/names";
import { tamperBusNames, type TamperBusNames } from "../naming/tamper-names";
import { policyDocument, toPolicyJson } from "../policy/document";
import { organizationPutsTamperEvents } from "../policy/tamper-policies";
import { notifyPattern, tamperInputTransformer } from "../policy/tamper-patterns";

/** @see https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html */
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

export interface TamperBusProps {
  /** The log-archive account (the enclosing stack's account). */
  readonly accountId: string;
  /** The archive's Region (the enclosing stack's Region). */
  readonly region: string;
  /** Only principals of this organization may put events on the bus. */
  readonly organizationId: string;
  /** Prefix of every physical name. @default "cwl-archive" */
  readonly namePrefix?: string;
  /**
   * The alarm topic the bus's rule notifies. Its policy and its key's policy
   * must admit EventBridge for that rule (tamperRulePublishes, tamperRuleUsesKey).
   */
  readonly topicArn: string;
}

export class TamperBus extends Construct {
  readonly names: TamperBusNames;
  readonly bus: CloudwatchEventBus;
  readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: TamperBusProps) {
    super(scope, id);
    const problems: string[] = [];
    const prefix = namePrefixProblem(props.namePrefix);
    if (prefix) problems.push(prefix);
    if (!isAccountIdOrToken(props.accountId)) {
      problems.push(`accountId: expected a 12-digit AWS account id, got ${JSON.stringify(props.accountId)}`);
    }
    if (!Token.isUnresolved(props.organizationId) && !ORGANIZATION_ID.test(props.organizationId)) {
      problems.push(
        `organizationId: expected "o-" and 10 to 32 lowercase letters or digits, got ${JSON.stringify(props.organizationId)}`,
      );
    }
    throwIfProblems("TamperBus", this, problems);
    const names = tamperBusNames(props.namePrefix ?? DEFAULT_NAME_PREFIX, props.accountId, props.region);
    this.names = names;

    this.bus = new CloudwatchEventBus(this, "Bus", { name: names.bus });
    new CloudwatchEventBusPolicy(this, "Policy", {
      eventBusName: this.bus.name,
      policy: toPolicyJson(policyDocument(organizationPutsTamperEvents(names.busArn, props.organizationId))),
    });
    this.rule = new CloudwatchEventRule(this, "Rule", {
      name: names.notifyRule,
      eventBusName: this.bus.name,
      description: "Tamper detection: notifies the archive's alarm topic of every watched call forwarded here",
      eventPattern: JSON.stringify(notifyPattern()),
    });
    const transformer = tamperInputTransformer();
    // SNS takes no role: EventBridge publishes under the topic's policy.
    new CloudwatchEventTarget(this, "Target", {
      rule: this.rule.name,
      eventBusName: this.bus.name,
      targetId: "alarm-topic",
      arn: props.topicArn,
      inputTransformer: { inputPaths: { ...transformer.inputPaths }, inputTemplate: transformer.inputTemplate },
    });
  }
}
