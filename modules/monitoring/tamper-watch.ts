/**
 * Tamper detection in one watching stack: rules on the default event bus of
 * each watched Region that match the CloudTrail events changing what guards
 * the archive or the pipeline (modules/policy/tamper-patterns.ts), and
 * forward them to the tamper bus of the log-archive account, through a role
 * that may only put events on that bus.
 *
 * Rules are split by service (one pattern per service stays under
 * EventBridge's pattern size), and every Region's rules are watched by two
 * rules of their own: `events` notices the silencing (disabling, deletion,
 * targets removed) of every tamper rule of the Region and of the Region's
 * other pipeline rules, `guard` their changes and the silencing of
 * `events`. A rule cannot report its own disabling, so no single call
 * silences detection unnoticed.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html
 */
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { isAccountIdOrToken, namePrefixProblem, throwIfProblems } from "../constructs/validation";
import { DEFAULT_NAME_PREFIX } from "../naming/names";
import {
  globalEventsRegion,
  tamperWatchNames,
  type TamperRuleGroup,
  type TamperWatchKind,
  type TamperWatchNames,
} from "../naming/tamper-names";
import { policyDocument, toPolicyJson } from "../policy/document";
import { forwardRolePutsOnTamperBus, forwardRoleTrust } from "../policy/tamper-policies";
import {
  EVENT_PATTERN_MAX_CHARACTERS,
  resolvedPatternLength,
  roleWatches,
  ruleChangeWatches,
  ruleSilencingWatches,
  tamperPattern,
  type TamperWatch as Watch,
} from "../policy/tamper-patterns";

/** What is watched in one Region. */
export interface TamperWatchRegion {
  /** Region of the rules: the Region whose default bus receives the events. */
  readonly region: string;
  /**
   * Set when the stack watches a Region that is not its own (a source
   * account's IAM calls, in us-east-1): its rules' names carry the stack's
   * Region so that they never clash with the rules of that Region's own stack.
   * @default false
   */
  readonly remote?: boolean;
  /** The watched calls on this Region's resources. */
  readonly watches: readonly Watch[];
  /**
   * Other rules of the stack in this Region whose disabling or deletion is
   * watched with the detection rules (the heartbeat, GuardDuty's rule).
   * @default - none
   */
  readonly otherRules?: readonly string[];
}

export interface TamperWatchProps {
  /** The watching account (the enclosing stack's account). */
  readonly accountId: string;
  /** The enclosing stack's Region: it names the forwarding role of a source stack. */
  readonly stackRegion: string;
  /** Which kind of stack watches; keeps the names of several stacks of one account apart. */
  readonly kind: TamperWatchKind;
  /** Prefix of every physical name. @default "cwl-archive" */
  readonly namePrefix?: string;
  /** ARN of the tamper bus the events are forwarded to (log-archive account, archive Region). */
  readonly busArn: string;
  /** The Regions watched and what is watched there. */
  readonly regions: readonly TamperWatchRegion[];
  /**
   * IAM role ARNs whose configuration calls do not notify: the roles the
   * stacks are applied with. Destructive calls notify whoever the caller.
   * @default - none: every watched call notifies
   */
  readonly exemptRoleArns?: readonly string[];
  /**
   * Watch the forwarding role itself, in us-east-1 where IAM records its
   * calls: one UpdateAssumeRolePolicy or DeleteRolePolicy on it would blind
   * every rule of the stack. Leave it off when another watch of the account
   * already covers the role (a source stack watches `<prefix>-tamper-forward-*`).
   * @default false
   */
  readonly watchForwarder?: boolean;
}

/** A role ARN as CloudTrail records the issuer of an assumed role's session. */
const ROLE_ARN = /^arn:[a-z-]+:iam::\d{12}:role\/[\w+=,.@/-]+$/;
/** An event bus ARN, in any partition. */
const EVENT_BUS_ARN = /^arn:[a-z-]+:events:[a-z0-9-]+:\d{12}:event-bus\/[\w.-]+$/;

export class TamperWatch extends Construct {
  readonly names: TamperWatchNames;
  readonly role: IamRole;
  /** Every detection rule, by `<group>-<region>`. */
  readonly rules: Record<string, CloudwatchEventRule> = {};

  constructor(scope: Construct, id: string, props: TamperWatchProps) {
    super(scope, id);
    const names = tamperWatchNames(
      props.namePrefix ?? DEFAULT_NAME_PREFIX,
      props.accountId,
      props.kind,
      props.stackRegion,
    );
    this.names = names;
    const exempt = props.exemptRoleArns ?? [];
    const regions = props.watchForwarder
      ? withRoleWatches(props.regions, props.stackRegion, roleWatches([names.forwardRole]))
      : props.regions;
    const plans = regions.map((r) => planRegion(r, names, props.stackRegion));
    const problems = tamperWatchProblems(props, plans, exempt);
    throwIfProblems("TamperWatch", this, problems);

    const ruleArns = plans.flatMap((plan) => plan.rules.map((rule) => rule.arn));
    this.role = new IamRole(this, "Role", {
      name: names.forwardRole,
      description: "EventBridge forwards tamper detection events to the log-archive account's tamper bus",
      assumeRolePolicy: toPolicyJson(policyDocument(forwardRoleTrust(props.accountId, ruleArns))),
    });
    const policy = new IamRolePolicy(this, "Policy", {
      name: "put-events-on-tamper-bus",
      role: this.role.name,
      policy: toPolicyJson(policyDocument(forwardRolePutsOnTamperBus(props.busArn))),
    });

    for (const plan of plans) {
      const region = plan.region === props.stackRegion ? undefined : plan.region;
      for (const rule of plan.rules) {
        const id = `${rule.group}-${plan.region}`;
        const resource = new CloudwatchEventRule(this, id, {
          region,
          name: rule.name,
          description: `Tamper detection: ${rule.description}`,
          eventPattern: JSON.stringify(rule.pattern(exempt)),
          // ENABLED matches every mutating call CloudTrail delivers; only
          // read-only calls would need ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS.
          state: "ENABLED",
        });
        this.rules[id] = resource;
        new CloudwatchEventTarget(this, `${id}-target`, {
          region,
          rule: resource.name,
          targetId: "tamper-bus",
          arn: props.busArn,
          // A bus of another account (or Region) admitting an organization needs a role.
          roleArn: this.role.arn,
          dependsOn: [policy],
        });
      }
    }
  }
}

/**
 * `regions` with IAM watches added where IAM records its calls (us-east-1):
 * into that Region's entry when there is one, else as a remote Region.
 */
export function withRoleWatches(
  regions: readonly TamperWatchRegion[],
  stackRegion: string,
  roles: readonly Watch[],
): TamperWatchRegion[] {
  if (roles.length === 0) return [...regions];
  const home = globalEventsRegion(stackRegion);
  const local = regions.find((r) => r.region === home);
  if (local) return regions.map((r) => (r === local ? { ...r, watches: [...r.watches, ...roles] } : r));
  return [...regions, { region: home, remote: stackRegion !== home, watches: roles }];
}

interface PlannedRule {
  readonly group: TamperRuleGroup;
  readonly name: string;
  readonly arn: string;
  readonly description: string;
  readonly pattern: (exempt: readonly string[]) => Record<string, unknown>;
}

interface RegionPlan {
  readonly region: string;
  readonly rules: readonly PlannedRule[];
}

/** The rules of one Region: one per service group, then `events` and `guard`. */
function planRegion(r: TamperWatchRegion, names: TamperWatchNames, stackRegion: string): RegionPlan {
  const host = r.remote ? stackRegion : undefined;
  const rule = (group: TamperRuleGroup) => ({
    group,
    name: names.rule(group, host),
    arn: names.ruleArn(r.region, group, host),
  });
  const groups = [...new Set(r.watches.map((w) => w.group))].filter((g) => g !== "events" && g !== "guard");
  const serviceRules: PlannedRule[] = groups.map((group) => {
    const watches = r.watches.filter((w) => w.group === group);
    return {
      ...rule(group),
      description: `changes to ${[...new Set(watches.map((w) => w.kind))].join(", ")}`,
      pattern: (exempt) => tamperPattern(watches, exempt),
    };
  });
  const events = rule("events");
  const guard = rule("guard");
  // Every tamper rule of the account and Region (this stack's and any
  // other's, the tamper bus's included) by their common prefix: the size of
  // the pattern does not grow with them.
  const watchedByEvents = [{ prefix: names.rulePrefix }, ...(r.otherRules ?? [])];
  return {
    region: r.region,
    rules: [
      ...serviceRules,
      {
        ...events,
        description: "the silencing of the detection rules and the pipeline's rules of this Region",
        pattern: (exempt) => tamperPattern(ruleSilencingWatches("events", watchedByEvents), exempt),
      },
      {
        ...guard,
        description: "changes to the detection rules and the pipeline's rules, and the silencing of the events rule",
        pattern: (exempt) =>
          tamperPattern(
            [...ruleChangeWatches("guard", watchedByEvents), ...ruleSilencingWatches("guard", [events.name])],
            exempt,
          ),
      },
    ],
  };
}

function tamperWatchProblems(
  props: TamperWatchProps,
  plans: readonly RegionPlan[],
  exempt: readonly string[],
): string[] {
  const problems: string[] = [];
  const prefix = namePrefixProblem(props.namePrefix);
  if (prefix) problems.push(prefix);
  if (!isAccountIdOrToken(props.accountId)) {
    problems.push(`accountId: expected a 12-digit AWS account id, got ${JSON.stringify(props.accountId)}`);
  }
  if (!Token.isUnresolved(props.busArn) && !EVENT_BUS_ARN.test(props.busArn)) {
    problems.push(`busArn: expected an event bus ARN, got ${JSON.stringify(props.busArn)}`);
  }
  if (props.regions.length === 0) problems.push("regions: expected at least one Region to watch");
  const regions = props.regions.map((r) => r.region);
  regions.forEach((region, i) => {
    if (regions.indexOf(region) !== i)
      problems.push(`regions[${i}].region: duplicate Region ${JSON.stringify(region)}`);
  });
  exempt.forEach((role, i) => {
    if (!Token.isUnresolved(role) && !ROLE_ARN.test(role)) {
      problems.push(
        `exemptRoleArns[${i}]: expected an IAM role ARN (arn:<partition>:iam::<account>:role/<path and name>), got ${JSON.stringify(role)}`,
      );
    }
  });
  for (const plan of plans) {
    for (const rule of plan.rules) {
      const length = resolvedPatternLength(JSON.stringify(rule.pattern(exempt)));
      if (length > EVENT_PATTERN_MAX_CHARACTERS) {
        problems.push(
          `the event pattern of ${rule.name} in ${plan.region} would be ${length} characters, over EventBridge's ${EVENT_PATTERN_MAX_CHARACTERS}: exempt fewer roles (${exempt.length} now) or raise the quota`,
        );
      }
    }
  }
  return problems;
}
