/**
 * Tamper detection end to end, over every stack of every corpus registry:
 * each synthesised rule is run, as EventBridge runs it, against CloudTrail
 * events as EventBridge delivers them (__tests__/fixtures/cloudtrail-events.ts).
 *
 * An event notifies when a rule on the default bus of the account and Region
 * where it is recorded matches it and forwards it (with a role) to the tamper
 * bus, and the tamper bus's rule matches it and targets the alarm topic.
 *
 * The watched resources are not listed here: they are read from the stacks.
 * Every resource of a watched kind that a stack creates must notify on a
 * destructive call whoever makes it, and on a configuration call unless the
 * role that applies the stack makes it; a source stack's resource types are
 * all classified, watched or not, so a new kind of pipeline resource fails
 * this test until it is.
 */
import { createHash } from "node:crypto";
import { loadRegistry } from "../../modules/registry/load";
import { tamperEnabled } from "../../modules/registry/settings";
import { globalEventsRegion, tamperBusNames } from "../../modules/naming/tamper-names";
import { archiveNames } from "../../modules/naming/names";
import {
  all,
  applyValue,
  first,
  partitionOfRegion,
  provider,
  regionOf,
  stackAccount,
  stackRegion,
  type Res,
} from "../aws-rules/lib/tf";
import {
  accountPolicyRequest,
  aliasRequest,
  apiCallEvent,
  assumedRole,
  cloudtrailRequest,
  eventsRequest,
  firehoseRequest,
  iamRequest,
  iamUser,
  kmsRequest,
  logGroupRequest,
  rootUser,
  s3Request,
  subscriptionFilterRequest,
  type Caller,
  type Service,
} from "../fixtures/cloudtrail-events";
import { corpusFiles, corpusStacks, fixtureTest, type CorpusStack } from "../helpers/corpus";
import { matchesPattern } from "../helpers/event-pattern";

/** A deterministic key id per stack and key resource: key ids are random in AWS. */
function keyIdOf(stack: string, name: string): string {
  return `mrk-${createHash("sha256").update(`${stack}/${name}`).digest("hex").slice(0, 32)}`;
}

interface DeployedRule {
  readonly stack: string;
  readonly account: string;
  readonly region: string;
  readonly bus: string;
  readonly name: string;
  readonly pattern: Record<string, unknown>;
  readonly targets: readonly { readonly arn: string; readonly roleArn?: string }[];
}

function deployedRules(s: CorpusStack): DeployedRule[] {
  const account = stackAccount(s.json)!;
  const targets = all(s.json, "aws_cloudwatch_event_target");
  return all(s.json, "aws_cloudwatch_event_rule")
    .filter((r) => typeof r.config.event_pattern === "string")
    .map((rule) => {
      const pattern = rule.config.event_pattern.replace(
        /\$\{aws_kms_key\.([^.]+)\.key_id\}/g,
        (_m: string, name: string) => keyIdOf(s.stack, name),
      );
      if (/\$\{/.test(pattern)) throw new Error(`${s.stack} ${rule.address}: unresolved reference in ${pattern}`);
      const bus =
        typeof rule.config.event_bus_name === "string" ? applyValue(s.json, rule.config.event_bus_name) : "default";
      return {
        stack: s.stack,
        account,
        region: regionOf(s.json, rule.config)!,
        bus,
        name: rule.config.name,
        pattern: JSON.parse(pattern),
        targets: targets
          .filter((t) => t.config.rule === `\${aws_cloudwatch_event_rule.${rule.name}.name}`)
          .map((t) => ({
            arn: applyValue(s.json, t.config.arn),
            roleArn: typeof t.config.role_arn === "string" ? applyValue(s.json, t.config.role_arn) : undefined,
          })),
      };
    });
}

/** One registry's deployed rules, and where the tamper bus and the alarm topic are. */
interface World {
  readonly rules: readonly DeployedRule[];
  readonly archiveAccount: string;
  readonly archiveRegion: string;
  readonly bus: string;
  readonly busArn: string;
  readonly topicArn: string;
}

function worldOf(file: string, stacks: readonly CorpusStack[]): World {
  const registry = loadRegistry(file);
  const { accountId, region } = registry.logArchive;
  const bus = tamperBusNames(registry.naming.prefix, accountId, region);
  const names = archiveNames({ prefix: registry.naming.prefix, archiveAccountId: accountId, archiveRegion: region });
  return {
    rules: stacks.flatMap(deployedRules),
    archiveAccount: accountId,
    archiveRegion: region,
    bus: bus.bus,
    busArn: bus.busArn,
    topicArn: names.alarmTopicArn,
  };
}

/** The detection rules that forward `event` to the tamper bus, and whether its rule then notifies. */
function deliver(world: World, event: Record<string, any>): { forwardedBy: string[]; notified: boolean } {
  const forwardedBy = world.rules
    .filter(
      (r) =>
        r.bus === "default" &&
        r.account === event.account &&
        r.region === event.region &&
        r.targets.some((t) => t.arn === world.busArn && t.roleArn !== undefined) &&
        matchesPattern(event, r.pattern),
    )
    .map((r) => `${r.stack} ${r.name}`);
  const notified =
    forwardedBy.length > 0 &&
    world.rules.some(
      (r) =>
        r.account === world.archiveAccount &&
        r.region === world.archiveRegion &&
        r.bus === world.bus &&
        r.targets.some((t) => t.arn === world.topicArn && t.roleArn === undefined) &&
        matchesPattern(event, r.pattern),
    );
  return { forwardedBy, notified };
}

/** A watched resource, the calls that change it and where they are recorded. */
interface Case {
  readonly what: string;
  readonly account: string;
  readonly region: string;
  readonly service: Service;
  readonly destructive: { readonly eventName: string; readonly request: Record<string, unknown> }[];
  readonly configuration: { readonly eventName: string; readonly request: Record<string, unknown> }[];
}

/** Where a resource was created in the construct tree (`//`.metadata.path). */
function pathOf(res: Res): string {
  return res.config["//"]?.metadata?.path ?? "";
}

/**
 * Resources of the log-archive account that tamper detection leaves alone,
 * and why: they do not guard the archive.
 */
const ARCHIVE_NOT_WATCHED: readonly { readonly path: RegExp; readonly why: string }[] = [
  { path: /\/Athena\//, why: "Athena's results bucket and key hold query results, not the archive" },
  { path: /\/CentralAlarmKey-/, why: "the central streams' alarm keys encrypt alarm topics of other Regions" },
];

function archiveWatched(res: Res): boolean {
  return !ARCHIVE_NOT_WATCHED.some((x) => x.path.test(pathOf(res)));
}

type StackKind = "archive" | "keys" | "trail" | "source" | "other";

function kindOf(stack: string): StackKind {
  if (stack === "log-archive") return "archive";
  if (stack === "log-keys") return "keys";
  if (stack === "log-organization-trail") return "trail";
  if (stack.startsWith("log-source-")) return "source";
  return "other";
}

/**
 * Resource types of a source stack that are watched through another
 * resource, or not at all, and why. Every other type of a source stack must
 * be watched (casesOf).
 */
const SOURCE_TYPES_NOT_WATCHED: Readonly<Record<string, string>> = {
  aws_iam_role_policy: "watched through its role: PutRolePolicy and DeleteRolePolicy name the role",
  aws_cloudwatch_event_target: "watched through its rule: PutTargets and RemoveTargets name the rule",
  aws_cloudwatch_log_resource_policy:
    "not watched: deleting it stops the heartbeat, which the delivery watch reports as a silent source",
  terraform_data: "not an AWS resource (the IAM propagation wait)",
  aws_flow_log: "a direct source delivering to the archive, not the CloudWatch Logs pipeline: not watched",
  aws_sns_topic: "per-account alarms: not a guard of the pipeline, not watched",
  aws_sns_topic_policy: "per-account alarms: not watched",
  aws_sns_topic_subscription: "per-account alarms: not watched",
  aws_cloudwatch_metric_alarm: "per-account alarms: not watched",
  aws_cloudwatch_log_stream:
    "the stream's error log stream: deleting it loses Firehose's error lines, not delivery; its log group is watched",
};

/** The watched resources a stack creates, each with its calls. */
function casesOf(s: CorpusStack): Case[] {
  const kind = kindOf(s.stack);
  if (kind === "other") return [];
  const account = stackAccount(s.json)!;
  const region = (res: Res) => regionOf(s.json, res.config)!;
  const cases: Case[] = [];
  const add = (what: string, res: Res | string, service: Service, d: Case["destructive"], c: Case["configuration"]) =>
    cases.push({
      what: `${s.stack} ${typeof res === "string" ? res : res.address} (${what})`,
      account,
      region: typeof res === "string" ? globalEventsRegion(stackRegion(s.json)!) : region(res),
      service,
      destructive: d,
      configuration: c,
    });

  if (kind === "archive") {
    for (const bucket of all(s.json, "aws_s3_bucket").filter(archiveWatched)) {
      const name = bucket.config.bucket;
      add(
        "bucket",
        bucket,
        "s3",
        [{ eventName: "DeleteBucketPolicy", request: s3Request("DeleteBucketPolicy", name) }],
        [{ eventName: "PutBucketPolicy", request: s3Request("PutBucketPolicy", name) }],
      );
    }
  }
  if (kind !== "trail") {
    for (const key of all(s.json, "aws_kms_key").filter((k) => kind !== "archive" || archiveWatched(k))) {
      const arn = `arn:${partitionOfRegion(region(key))}:kms:${region(key)}:${account}:key/${keyIdOf(s.stack, key.name)}`;
      add(
        "key",
        key,
        "kms",
        [{ eventName: "ScheduleKeyDeletion", request: kmsRequest("ScheduleKeyDeletion", arn) }],
        [{ eventName: "PutKeyPolicy", request: kmsRequest("PutKeyPolicy", arn) }],
      );
    }
    for (const alias of all(s.json, "aws_kms_alias").filter((a) => kind !== "archive" || archiveWatched(a))) {
      add(
        "key alias",
        alias,
        "kms",
        [{ eventName: "DeleteAlias", request: aliasRequest("DeleteAlias", alias.config.name) }],
        [{ eventName: "UpdateAlias", request: aliasRequest("UpdateAlias", alias.config.name) }],
      );
    }
  }
  for (const rule of all(s.json, "aws_cloudwatch_event_rule")) {
    const name = rule.config.name;
    add(
      "event rule",
      rule,
      "events",
      [{ eventName: "DisableRule", request: eventsRequest("DisableRule", name) }],
      [{ eventName: "PutRule", request: eventsRequest("PutRule", name) }],
    );
  }
  if (kind === "trail") {
    for (const trail of all(s.json, "aws_cloudtrail")) {
      const name = trail.config.name;
      const arn = `arn:${partitionOfRegion(region(trail))}:cloudtrail:${region(trail)}:${account}:trail/${name}`;
      add(
        "trail",
        trail,
        "cloudtrail",
        [
          { eventName: "StopLogging", request: cloudtrailRequest("StopLogging", name) },
          { eventName: "DeleteTrail", request: cloudtrailRequest("DeleteTrail", arn) },
        ],
        [{ eventName: "PutEventSelectors", request: cloudtrailRequest("PutEventSelectors", arn) }],
      );
    }
  }
  if (kind !== "source") return cases;

  for (const policy of all(s.json, "aws_cloudwatch_log_account_policy")) {
    const { policy_name: name, policy_type: type } = policy.config;
    add(
      "account subscription policy",
      policy,
      "logs",
      [{ eventName: "DeleteAccountPolicy", request: accountPolicyRequest("DeleteAccountPolicy", name, type) }],
      [{ eventName: "PutAccountPolicy", request: accountPolicyRequest("PutAccountPolicy", name, type) }],
    );
  }
  for (const filter of all(s.json, "aws_cloudwatch_log_subscription_filter")) {
    const { name, log_group_name: group } = filter.config;
    add(
      "subscription filter",
      filter,
      "logs",
      [
        {
          eventName: "DeleteSubscriptionFilter",
          request: subscriptionFilterRequest("DeleteSubscriptionFilter", group, name),
        },
      ],
      [
        {
          eventName: "PutSubscriptionFilter",
          request: subscriptionFilterRequest("PutSubscriptionFilter", group, name),
        },
      ],
    );
  }
  for (const group of all(s.json, "aws_cloudwatch_log_group")) {
    add("log group", group, "logs", [{ eventName: "DeleteLogGroup", request: logGroupRequest(group.config.name) }], []);
  }
  for (const stream of all(s.json, "aws_kinesis_firehose_delivery_stream")) {
    const name = stream.config.name;
    add(
      "delivery stream",
      stream,
      "firehose",
      [{ eventName: "DeleteDeliveryStream", request: firehoseRequest("DeleteDeliveryStream", name) }],
      [{ eventName: "UpdateDestination", request: firehoseRequest("UpdateDestination", name) }],
    );
  }
  for (const role of all(s.json, "aws_iam_role")) {
    const name = role.config.name;
    // IAM is global: its calls are recorded in us-east-1 (its partition's IAM Region), whichever stack creates the role.
    add(
      "pipeline role",
      `${role.address} ${name}`,
      "iam",
      [{ eventName: "DeleteRole", request: iamRequest("DeleteRole", name) }],
      [{ eventName: "PutRolePolicy", request: iamRequest("PutRolePolicy", name) }],
    );
  }
  return cases;
}

/** The role that applies a stack, as CloudTrail records its sessions; undefined with ambient credentials. */
function deployerOf(s: CorpusStack): Caller | undefined {
  const roleArn: string | undefined = first(provider(s.json).assume_role)?.role_arn;
  if (!roleArn) return undefined;
  const [, partition, , , account, resource] = roleArn.split(":");
  return assumedRole(account!, resource!.slice("role/".length), "cwl-log-archive", partition);
}

function event(c: Case, call: { eventName: string; request: Record<string, unknown> }, caller: Caller) {
  return apiCallEvent({
    account: c.account,
    region: c.region,
    service: c.service,
    eventName: call.eventName,
    requestParameters: call.request,
    caller,
  });
}

const stacks = corpusStacks();

describe.each(corpusFiles())("%s", (file) => {
  const registry = loadRegistry(file);
  const mine = stacks.filter((s) => s.registry === file);
  const world = worldOf(file, mine);
  const enabled = tamperEnabled(registry);
  const tamperRules = world.rules.filter((r) => r.name.startsWith(`${registry.naming.prefix}-tamper-`));

  if (!enabled) {
    test("without tamper detection no stack holds a tamper rule", () => {
      expect(tamperRules.map((r) => `${r.stack} ${r.name}`)).toEqual([]);
    });
    return;
  }

  const cases = mine.flatMap((s) => casesOf(s).map((c) => ({ stack: s, c })));

  test("every destructive call on a watched resource notifies, whoever the caller", () => {
    const silent: string[] = [];
    for (const { stack, c } of cases) {
      const deployer = deployerOf(stack);
      for (const call of c.destructive) {
        for (const caller of [iamUser(c.account, "mallory"), rootUser(c.account), ...(deployer ? [deployer] : [])]) {
          if (!deliver(world, event(c, call, caller)).notified)
            silent.push(`${c.what}: ${call.eventName} by ${caller.kind}`);
        }
      }
    }
    expect(cases.length).toBeGreaterThan(0);
    expect(silent).toEqual([]);
  });

  test("a configuration call notifies unless the stack's deployment role makes it", () => {
    const wrong: string[] = [];
    for (const { stack, c } of cases) {
      const deployer = deployerOf(stack);
      for (const call of c.configuration) {
        if (!deliver(world, event(c, call, assumedRole(c.account, "SomeoneElse"))).notified) {
          wrong.push(`${c.what}: ${call.eventName} by another role is silent`);
        }
        if (deployer && deliver(world, event(c, call, deployer)).notified) {
          wrong.push(`${c.what}: ${call.eventName} by the deployment role notifies`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  test("the pipeline's roles are watched by exactly one rule, in us-east-1, for every source account", () => {
    const accounts = registry.accounts.map((a) => a.id);
    const counts = accounts.map((account) => {
      const role = `${registry.naming.prefix}-cwl-${registry.accounts.find((a) => a.id === account)!.regions[0]}`;
      const c: Case = {
        what: role,
        account,
        region: globalEventsRegion(registry.logArchive.region),
        service: "iam",
        destructive: [],
        configuration: [],
      };
      const call = { eventName: "DeleteRole", request: iamRequest("DeleteRole", role) };
      return [account, deliver(world, event(c, call, iamUser(account, "mallory"))).forwardedBy.length] as const;
    });
    expect(counts.filter(([, n]) => n !== 1)).toEqual([]);
  });

  test("every IAM role any stack creates is watched, in us-east-1 of its account, and notifies once", () => {
    // The SIEM reader's trust policy, the central destinations' roles: one UpdateAssumeRolePolicy
    // or DeleteRole hands out the archive or silences every central source.
    const unwatched: string[] = [];
    for (const s of mine) {
      const account = stackAccount(s.json)!;
      for (const role of all(s.json, "aws_iam_role")) {
        const name = role.config.name as string;
        const c: Case = {
          what: name,
          account,
          region: globalEventsRegion(registry.logArchive.region),
          service: "iam",
          destructive: [],
          configuration: [],
        };
        const call = { eventName: "DeleteRole", request: iamRequest("DeleteRole", name) };
        const n = deliver(world, event(c, call, iamUser(account, "mallory"))).forwardedBy.length;
        if (n !== 1) unwatched.push(`${s.stack} ${name}: ${n} rules`);
      }
    }
    expect(unwatched).toEqual([]);
  });

  test("what is not ours never notifies: another bucket, key, role or rule, a customer's own filter or account policy", () => {
    const noisy: string[] = [];
    const check = (
      what: string,
      account: string,
      region: string,
      service: Service,
      eventName: string,
      request: Record<string, unknown>,
    ) => {
      const e = apiCallEvent({
        account,
        region,
        service,
        eventName,
        requestParameters: request,
        caller: iamUser(account, "alice"),
      });
      if (deliver(world, e).notified) noisy.push(what);
    };
    const archive = world.archiveAccount;
    check(
      "another bucket",
      archive,
      world.archiveRegion,
      "s3",
      "DeleteBucket",
      s3Request("DeleteBucket", "someone-elses-bucket"),
    );
    check(
      "another key",
      archive,
      world.archiveRegion,
      "kms",
      "ScheduleKeyDeletion",
      kmsRequest("ScheduleKeyDeletion", "1234abcd-12ab-34cd-56ef-1234567890ab"),
    );
    check(
      "another alias",
      archive,
      world.archiveRegion,
      "kms",
      "DeleteAlias",
      aliasRequest("DeleteAlias", "alias/app"),
    );
    for (const account of registry.accounts) {
      for (const region of account.regions) {
        check(
          `a customer's rule in ${account.id} ${region}`,
          account.id,
          region,
          "events",
          "DisableRule",
          eventsRequest("DisableRule", "app-rule"),
        );
        for (const [name, type] of [
          ["customer-subscriptions", "SUBSCRIPTION_FILTER_POLICY"],
          [`${registry.naming.prefix}-to-archive`, "DATA_PROTECTION_POLICY"],
        ] as const) {
          check(
            `account policy ${name} ${type} in ${account.id} ${region}`,
            account.id,
            region,
            "logs",
            "DeleteAccountPolicy",
            accountPolicyRequest("DeleteAccountPolicy", name, type),
          );
        }
      }
      check(
        `a customer's role in ${account.id}`,
        account.id,
        globalEventsRegion(registry.logArchive.region),
        "iam",
        "DeleteRole",
        iamRequest("DeleteRole", "app-role"),
      );
    }
    for (const s of mine) {
      for (const filter of all(s.json, "aws_cloudwatch_log_subscription_filter")) {
        const group = filter.config.log_group_name;
        check(
          `a customer's filter on ${group} in ${s.stack}`,
          stackAccount(s.json)!,
          stackRegion(s.json)!,
          "logs",
          "DeleteSubscriptionFilter",
          subscriptionFilterRequest("DeleteSubscriptionFilter", group, "splunk-forwarder"),
        );
      }
    }
    expect(noisy).toEqual([]);
  });

  test("every resource type of a source stack is watched, or listed as not watched with the reason", () => {
    const watchedTypes = new Set([
      "aws_kms_key",
      "aws_kms_alias",
      "aws_cloudwatch_event_rule",
      "aws_cloudwatch_log_account_policy",
      "aws_cloudwatch_log_subscription_filter",
      "aws_cloudwatch_log_group",
      "aws_kinesis_firehose_delivery_stream",
      "aws_iam_role",
    ]);
    const unclassified = mine
      .filter((s) => kindOf(s.stack) === "source")
      .flatMap((s) => Object.keys(s.json.resource).map((type) => `${s.stack} ${type}`))
      .filter((entry) => {
        const type = entry.split(" ")[1]!;
        return !watchedTypes.has(type) && SOURCE_TYPES_NOT_WATCHED[type] === undefined;
      });
    expect(unclassified).toEqual([]);
  });
});

fixtureTest("the check catches breakage: a rule lost, a target without its role, a pattern on another resource", () => {
  // GIVEN the sample registry's world and a destructive call it notifies of
  const file = corpusFiles()[0]!;
  const world = worldOf(
    file,
    stacks.filter((s) => s.registry === file),
  );
  const archive = stacks.find((s) => s.registry === file && s.stack === "log-archive")!;
  const bucket = casesOf(archive).find((c) => c.what.includes("ArchiveBucket") && c.what.includes("(bucket)"))!;
  const call = event(bucket, bucket.destructive[0]!, iamUser(bucket.account, "mallory"));
  expect(deliver(world, call).notified).toBe(true);
  const s3Rules = (w: World) => w.rules.filter((r) => r.name.endsWith("-s3") && r.region === bucket.region);
  // WHEN the S3 rule is lost, its target loses its role, or its pattern names another bucket THEN it is silent
  const lost = { ...world, rules: world.rules.filter((r) => !s3Rules(world).includes(r)) };
  const roleless = {
    ...world,
    rules: world.rules.map((r) =>
      s3Rules(world).includes(r) ? { ...r, targets: r.targets.map((t) => ({ arn: t.arn })) } : r,
    ),
  };
  const elsewhere = {
    ...world,
    rules: world.rules.map((r) =>
      s3Rules(world).includes(r)
        ? { ...r, pattern: JSON.parse(JSON.stringify(r.pattern).replace(/cwl-archive-[0-9]/g, "other-1")) }
        : r,
    ),
  };
  expect([lost, roleless, elsewhere].map((broken) => deliver(broken, call).notified)).toEqual([false, false, false]);
  // AND without the tamper bus's rule nothing notifies
  const unplugged = { ...world, rules: world.rules.filter((r) => r.bus !== world.bus) };
  expect(deliver(unplugged, call).notified).toBe(false);
});

fixtureTest("the corpus has every kind of watched resource", () => {
  const kinds = new Set(
    stacks
      .filter((s) => tamperEnabled(loadRegistry(s.registry)))
      .flatMap((s) => casesOf(s).map((c) => c.what.replace(/^.*\((.+)\)$/, "$1"))),
  );
  expect([...kinds].sort()).toEqual(
    [
      "account subscription policy",
      "bucket",
      "delivery stream",
      "event rule",
      "key",
      "key alias",
      "log group",
      "pipeline role",
      "subscription filter",
      "trail",
    ].sort(),
  );
});
