/**
 * Who may do what along tamper detection's path, decided by the IAM policy
 * evaluator over the synthesised sample: EventBridge may assume a forwarding
 * role only for the detection rules of that role's account; a forwarding
 * role may put events on the tamper bus and nowhere else; the tamper bus
 * admits the organization only; EventBridge may publish to the alarm topic,
 * and use its key, for the tamper bus's rule only.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { archiveNames } from "../../modules/naming/names";
import { tamperBusNames, tamperWatchNames } from "../../modules/naming/tamper-names";
import { resource } from "../helpers/synth";
import { ARCHIVE, NEIGHBOUR, org, OUTSIDER, REGION, SOURCE, synthesiseSample } from "./support/matrix";
import { buildWorld, type Json, type PolicyWorld } from "./support/policy-world";
import { simulate, type Decision, type Scenario } from "./support/simulate";

const PREFIX = "cwl-archive";
const bus = tamperBusNames(PREFIX, ARCHIVE, REGION);
const archive = archiveNames({ prefix: PREFIX, archiveAccountId: ARCHIVE, archiveRegion: REGION });
const sourceWatch = tamperWatchNames(PREFIX, SOURCE, "source", "eu-west-1");
const archiveWatch = tamperWatchNames(PREFIX, ARCHIVE, "archive", REGION);

let stacks: Record<string, Json>;
let world: PolicyWorld;

beforeAll(() => {
  stacks = synthesiseSample();
  world = buildWorld(stacks);
});

/** The tamper bus's resource policy, as synthesised. */
function busPolicy(): Json {
  const policy = resource(stacks["log-archive"] as never, "aws_cloudwatch_event_bus_policy", "TamperBus/Policy");
  return JSON.parse(policy.policy.replace(/\$\$\{/g, "${"));
}

/**
 * `events:PutEvents` on an event bus, with the bus's own policy: the shared
 * simulator has no event bus policies, so this evaluates one request the
 * same way (identity policies of the principal, the bus policy as the
 * resource policy, the organization in the request context).
 */
async function putEvents(principal: { role: string } | { admin: string }, busArn: string): Promise<Decision> {
  const arn = "role" in principal ? principal.role : principal.admin;
  const account = arn.split(":")[4]!;
  const identityPolicies =
    "role" in principal
      ? world.roles.get(principal.role)!.policies
      : [
          {
            name: "AdministratorAccess",
            policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
          },
        ];
  const response = await runSimulation(
    {
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: (busArn === bus.busArn ? busPolicy() : undefined) as never,
      request: {
        principal: arn,
        action: "events:PutEvents",
        resource: { resource: busArn, accountId: busArn.split(":")[4]! },
        contextVariables: {
          "aws:SecureTransport": "true",
          "aws:PrincipalArn": arn,
          "aws:PrincipalAccount": account,
          "aws:PrincipalIsAWSService": "false",
          ...(org.members.has(account) ? { "aws:PrincipalOrgID": org.id } : {}),
        },
      },
    },
    {},
  );
  if (response.resultType !== "single")
    throw new Error(`unexpected ${response.resultType}: ${JSON.stringify(response)}`);
  return response.overallResult === "Allowed" ? "Allowed" : "Denied";
}

describe("the tamper bus", () => {
  test.each<[string, Decision, () => Promise<Decision>]>([
    [
      "a source account's forwarding role puts events on the tamper bus",
      "Allowed",
      () => putEvents({ role: sourceWatch.forwardRoleArn }, bus.busArn),
    ],
    [
      "the log-archive account's forwarding role puts events on it",
      "Allowed",
      () => putEvents({ role: archiveWatch.forwardRoleArn }, bus.busArn),
    ],
    [
      "a forwarding role puts events on the archive's default bus",
      "Denied",
      () => putEvents({ role: sourceWatch.forwardRoleArn }, `arn:aws:events:${REGION}:${ARCHIVE}:event-bus/default`),
    ],
    [
      "a forwarding role puts events on its own account's default bus",
      "Denied",
      () => putEvents({ role: sourceWatch.forwardRoleArn }, `arn:aws:events:eu-west-1:${SOURCE}:event-bus/default`),
    ],
    [
      "an administrator outside the organization puts events on the tamper bus",
      "Denied",
      () => putEvents({ admin: `arn:aws:iam::${OUTSIDER}:role/Admin` }, bus.busArn),
    ],
    // Admitted by design: it can only forward AWS's events of its own account (aws.* sources cannot be sent).
    [
      "an administrator of another organization account puts events on the tamper bus",
      "Allowed",
      () => putEvents({ admin: `arn:aws:iam::${NEIGHBOUR}:role/Admin` }, bus.busArn),
    ],
  ])("%s: %s", async (_name, expected, run) => {
    expect(await run()).toBe(expected);
  });

  test("the bus policy grants PutEvents and nothing else, to the organization", () => {
    const { Statement } = busPolicy();
    expect(Statement).toEqual([
      {
        Sid: "OrganizationForwardsTamperEvents",
        Effect: "Allow",
        Principal: "*",
        Action: "events:PutEvents",
        Resource: bus.busArn,
        Condition: { StringEquals: { "aws:PrincipalOrgID": org.id } },
      },
    ]);
  });
});

describe("decisions of the shared simulator", () => {
  const rule = (account: string, name: string, region = "eu-west-1") =>
    `arn:aws:events:${region}:${account}:rule/${name}`;
  const rows: (Omit<Scenario, "expect"> & { expect: Decision })[] = [
    {
      name: "EventBridge assumes a source's forwarding role for one of its detection rules",
      principal: { service: "events.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: sourceWatch.forwardRoleArn,
      context: { "aws:SourceAccount": SOURCE, "aws:SourceArn": sourceWatch.ruleArn("eu-west-1", "logs") },
      expect: "Allowed",
    },
    {
      name: "EventBridge assumes it for another rule of that account",
      principal: { service: "events.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: sourceWatch.forwardRoleArn,
      context: { "aws:SourceAccount": SOURCE, "aws:SourceArn": rule(SOURCE, "app-rule") },
      expect: "Denied",
    },
    {
      name: "EventBridge assumes it for a rule of another account named like ours",
      principal: { service: "events.amazonaws.com" },
      action: "sts:AssumeRole",
      resource: sourceWatch.forwardRoleArn,
      context: { "aws:SourceAccount": NEIGHBOUR, "aws:SourceArn": rule(NEIGHBOUR, `${PREFIX}-tamper-src-logs`) },
      expect: "Denied",
    },
    {
      name: "a forwarding role publishes to the alarm topic itself",
      principal: { role: sourceWatch.forwardRoleArn },
      action: "sns:Publish",
      resource: archive.alarmTopicArn,
      expect: "Denied",
    },
    {
      name: "EventBridge publishes to the alarm topic for the tamper bus's rule",
      principal: { service: "events.amazonaws.com" },
      action: "sns:Publish",
      resource: archive.alarmTopicArn,
      context: { "aws:SourceAccount": ARCHIVE, "aws:SourceArn": bus.notifyRuleArn },
      expect: "Allowed",
    },
    {
      name: "EventBridge publishes to the alarm topic for another rule of the archive account",
      principal: { service: "events.amazonaws.com" },
      action: "sns:Publish",
      resource: archive.alarmTopicArn,
      context: { "aws:SourceAccount": ARCHIVE, "aws:SourceArn": rule(ARCHIVE, "app-rule", REGION) },
      expect: "Denied",
    },
  ];

  test.each(rows)("$name: $expect", async (row) => {
    expect((await simulate(world, org, row)).decision).toBe(row.expect);
  });

  // SNS asks KMS on EventBridge's behalf with the topic as encryption context
  // and, for EventBridge-to-encrypted topics, without aws:SourceAccount or
  // aws:SourceArn ("not supported"): a key policy requiring them denies every
  // notification. The rows model the request as AWS makes it.
  // @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
  test("EventBridge uses the monitoring key for the alarm topic only, with no source conditions", async () => {
    const key = world.keysByAlias.get(`${ARCHIVE}/${REGION}/${archive.monitoringKeyAlias}`)!;
    const request = (topicArn: string): Scenario => ({
      name: topicArn,
      principal: { service: "events.amazonaws.com" },
      action: "kms:GenerateDataKey",
      resource: key,
      context: { "kms:EncryptionContext:aws:sns:topicArn": topicArn },
      expect: "Allowed",
    });
    expect((await simulate(world, org, request(archive.alarmTopicArn))).decision).toBe("Allowed");
    expect(
      (await simulate(world, org, request(`arn:aws:sns:${REGION}:${NEIGHBOUR}:${archive.alarmTopic}`))).decision,
    ).toBe("Denied");
  });
});
