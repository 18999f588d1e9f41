/**
 * The detection patterns as data, run by the EventBridge matcher against
 * CloudTrail events as EventBridge delivers them: each watch matches the
 * calls on our resources and only those, destructive calls whoever the
 * caller, configuration calls unless an exempt deployment role made them.
 */
import {
  accountPolicyWatches,
  aliasWatches,
  bucketWatches,
  deliveryStreamWatches,
  keyWatches,
  logGroupWatches,
  notifyPattern,
  resolvedPatternLength,
  roleWatches,
  ruleChangeWatches,
  ruleSilencingWatches,
  subscriptionFilterWatches,
  TAMPER_SERVICES,
  tamperInputTransformer,
  tamperPattern,
  trailWatches,
  type TamperWatch,
} from "../../modules/policy/tamper-patterns";
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
  versioningRequest,
  type Caller,
  type Service,
} from "../fixtures/cloudtrail-events";
import { matchesPattern } from "../helpers/event-pattern";

const ACCOUNT = "222222222222";
const REGION = "eu-west-1";
const DEPLOY = "OrganizationAccountAccessRole";
const EXEMPT = [`arn:aws:iam::${ACCOUNT}:role/${DEPLOY}`, `arn:aws:iam::${ACCOUNT}:role/ci/pipeline`];

const deployer = assumedRole(ACCOUNT, DEPLOY);
const ciRole = assumedRole(ACCOUNT, "ci/pipeline");
const otherRole = assumedRole(ACCOUNT, "Admin");
const user = iamUser(ACCOUNT, "alice");
const root = rootUser(ACCOUNT);
const service: Caller = { kind: "service", service: "firehose.amazonaws.com" };
/** Every kind of caller: two exempt roles, then the ones that are never exempt. */
const NOT_EXEMPT = [otherRole, user, root, service];

function call(service: Service, eventName: string, requestParameters: Record<string, unknown>, caller: Caller) {
  return apiCallEvent({ account: ACCOUNT, region: REGION, service, eventName, requestParameters, caller });
}

/** Whether the rule built from `watches` fires for the event. */
function fires(watches: readonly TamperWatch[], event: Record<string, unknown>, exempt = EXEMPT): boolean {
  return matchesPattern(event, tamperPattern(watches, exempt));
}

describe("S3 buckets", () => {
  const watches = bucketWatches(["cwl-archive-111111111111-eu-west-1"]);
  const bucket = "cwl-archive-111111111111-eu-west-1";

  test.each(TAMPER_SERVICES.s3.destructive)("%s notifies whoever the caller, an exempt role included", (name) => {
    for (const caller of [deployer, ciRole, ...NOT_EXEMPT]) {
      expect(fires(watches, call("s3", name, s3Request(name, bucket), caller))).toBe(true);
    }
  });

  test.each(TAMPER_SERVICES.s3.configuration)(
    "%s notifies unless an exempt role made it: a root user, an IAM user and a service are matched",
    (name) => {
      for (const caller of NOT_EXEMPT)
        expect(fires(watches, call("s3", name, s3Request(name, bucket), caller))).toBe(true);
      for (const caller of [deployer, ciRole]) {
        expect(fires(watches, call("s3", name, s3Request(name, bucket), caller))).toBe(false);
      }
    },
  );

  test("suspending versioning notifies even when the deployment role does it; enabling it does not", () => {
    expect(fires(watches, call("s3", "PutBucketVersioning", versioningRequest(bucket, "Suspended"), deployer))).toBe(
      true,
    );
    expect(fires(watches, call("s3", "PutBucketVersioning", versioningRequest(bucket, "Enabled"), deployer))).toBe(
      false,
    );
  });

  test("another bucket, an unwatched call or another service never match", () => {
    expect(fires(watches, call("s3", "DeleteBucket", s3Request("DeleteBucket", "someone-elses"), user))).toBe(false);
    expect(fires(watches, call("s3", "PutBucketTagging", s3Request("PutBucketTagging", bucket), user))).toBe(false);
    expect(fires(watches, call("kms", "DeleteBucket", s3Request("DeleteBucket", bucket), user))).toBe(false);
  });

  test("a failed attempt (errorCode) notifies as well", () => {
    const attempt = apiCallEvent({
      account: ACCOUNT,
      region: REGION,
      service: "s3",
      eventName: "DeleteBucketPolicy",
      requestParameters: s3Request("DeleteBucketPolicy", bucket),
      caller: otherRole,
      errorCode: "AccessDenied",
    });
    expect(fires(watches, attempt)).toBe(true);
  });

  test("without exempt roles every configuration call notifies, the deployment role's too", () => {
    expect(fires(watches, call("s3", "PutBucketPolicy", s3Request("PutBucketPolicy", bucket), deployer), [])).toBe(
      true,
    );
  });
});

describe("KMS keys and aliases", () => {
  const KEY = "1234abcd-12ab-34cd-56ef-1234567890ab";
  const ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY}`;
  const watches = [...keyWatches([{ id: KEY }]), ...aliasWatches(["alias/cwl-archive-archive"])];
  const keyCalls = (watches: readonly TamperWatch[]) => watches.filter((w) => w.service === "kms");

  test.each(["ScheduleKeyDeletion", "DisableKey", "DisableKeyRotation"])(
    "%s notifies by key id or key ARN, whoever the caller",
    (name) => {
      for (const keyId of [KEY, ARN]) {
        expect(fires(keyCalls(watches), call("kms", name, kmsRequest(name, keyId), deployer))).toBe(true);
      }
      expect(fires(watches, call("kms", name, kmsRequest(name, "ffffffff-12ab-34cd-56ef-1234567890ab"), user))).toBe(
        false,
      );
    },
  );

  test.each(["PutKeyPolicy", "CreateGrant"])("%s notifies unless an exempt role made it", (name) => {
    expect(fires(watches, call("kms", name, kmsRequest(name, ARN), otherRole))).toBe(true);
    expect(fires(watches, call("kms", name, kmsRequest(name, ARN), deployer))).toBe(false);
  });

  test("a key whose grants a service makes is not watched for CreateGrant, its policy still is", () => {
    const streamKey = keyWatches([{ id: KEY, grants: false }]);
    expect(fires(streamKey, call("kms", "CreateGrant", kmsRequest("CreateGrant", ARN), service))).toBe(false);
    expect(fires(streamKey, call("kms", "PutKeyPolicy", kmsRequest("PutKeyPolicy", ARN), service))).toBe(true);
  });

  test("deleting an alias always notifies, re-pointing it unless an exempt role did; other aliases never", () => {
    const aliases = aliasWatches(["alias/cwl-archive-archive"]);
    expect(
      fires(aliases, call("kms", "DeleteAlias", aliasRequest("DeleteAlias", "alias/cwl-archive-archive"), deployer)),
    ).toBe(true);
    expect(
      fires(aliases, call("kms", "UpdateAlias", aliasRequest("UpdateAlias", "alias/cwl-archive-archive"), deployer)),
    ).toBe(false);
    expect(
      fires(aliases, call("kms", "UpdateAlias", aliasRequest("UpdateAlias", "alias/cwl-archive-archive"), user)),
    ).toBe(true);
    expect(fires(aliases, call("kms", "DeleteAlias", aliasRequest("DeleteAlias", "alias/mine"), user))).toBe(false);
  });
});

describe("CloudWatch Logs: the subscription, the pipeline's log groups", () => {
  const policy = accountPolicyWatches("cwl-archive-to-archive");
  const filters = subscriptionFilterWatches("cwl-archive-to-archive");

  test("the account subscription policy, by name and type: deleting it always notifies", () => {
    const ours = accountPolicyRequest("DeleteAccountPolicy", "cwl-archive-to-archive", "SUBSCRIPTION_FILTER_POLICY");
    expect(fires(policy, call("logs", "DeleteAccountPolicy", ours, deployer))).toBe(true);
  });

  test("another account policy never matches: another name, or our name with another type", () => {
    for (const [name, type] of [
      ["customer-subscription", "SUBSCRIPTION_FILTER_POLICY"],
      ["cwl-archive-to-archive", "DATA_PROTECTION_POLICY"],
    ]) {
      expect(
        fires(
          policy,
          call("logs", "DeleteAccountPolicy", accountPolicyRequest("DeleteAccountPolicy", name!, type!), user),
        ),
      ).toBe(false);
      expect(
        fires(policy, call("logs", "PutAccountPolicy", accountPolicyRequest("PutAccountPolicy", name!, type!), user)),
      ).toBe(false);
    }
  });

  test("our filters by name; a customer's own filter on the same log group never matches", () => {
    const ours = subscriptionFilterRequest("DeleteSubscriptionFilter", "/ecs/api", "cwl-archive-to-archive");
    const theirs = subscriptionFilterRequest("DeleteSubscriptionFilter", "/ecs/api", "splunk-forwarder");
    expect(fires(filters, call("logs", "DeleteSubscriptionFilter", ours, deployer))).toBe(true);
    expect(fires(filters, call("logs", "DeleteSubscriptionFilter", theirs, user))).toBe(false);
    const put = subscriptionFilterRequest("PutSubscriptionFilter", "/ecs/api", "cwl-archive-to-archive");
    expect(fires(filters, call("logs", "PutSubscriptionFilter", put, deployer))).toBe(false);
    expect(fires(filters, call("logs", "PutSubscriptionFilter", put, otherRole))).toBe(true);
  });

  test("the pipeline's log groups: deletion and key removal always notify; other groups never", () => {
    const groups = logGroupWatches(["/cwl-archive/heartbeat"]);
    for (const name of ["DeleteLogGroup", "DisassociateKmsKey"]) {
      expect(fires(groups, call("logs", name, logGroupRequest("/cwl-archive/heartbeat"), deployer))).toBe(true);
      expect(fires(groups, call("logs", name, logGroupRequest("/ecs/api"), user))).toBe(false);
    }
  });
});

describe("Firehose, IAM, EventBridge rules, the organization trail", () => {
  test("the delivery stream: deletion and stopping its encryption always notify, a destination update unless exempt", () => {
    const stream = deliveryStreamWatches("cwl-archive-to-archive");
    for (const name of ["DeleteDeliveryStream", "StopDeliveryStreamEncryption"]) {
      expect(fires(stream, call("firehose", name, firehoseRequest(name, "cwl-archive-to-archive"), deployer))).toBe(
        true,
      );
      expect(fires(stream, call("firehose", name, firehoseRequest(name, "app-stream"), user))).toBe(false);
    }
    const update = firehoseRequest("UpdateDestination", "cwl-archive-to-archive");
    expect(fires(stream, call("firehose", "UpdateDestination", update, deployer))).toBe(false);
    expect(fires(stream, call("firehose", "UpdateDestination", update, root))).toBe(true);
  });

  test.each(TAMPER_SERVICES.iam.configuration)("IAM %s on a pipeline role notifies unless exempt", (name) => {
    const roles = roleWatches(["cwl-archive-cwl-", "cwl-archive-firehose-"]);
    expect(fires(roles, call("iam", name, iamRequest(name, "cwl-archive-cwl-eu-west-1"), user))).toBe(true);
    expect(fires(roles, call("iam", name, iamRequest(name, "cwl-archive-cwl-eu-west-1"), deployer))).toBe(false);
    expect(fires(roles, call("iam", name, iamRequest(name, "app-role"), user))).toBe(false);
  });

  test("IAM DeleteRole on a pipeline role always notifies", () => {
    const roles = roleWatches(["cwl-archive-firehose-"]);
    expect(
      fires(roles, call("iam", "DeleteRole", iamRequest("DeleteRole", "cwl-archive-firehose-us-east-1"), deployer)),
    ).toBe(true);
  });

  test("silencing a rule always notifies; changing it notifies unless exempt; other rules never", () => {
    const silencing = ruleSilencingWatches("events", [{ prefix: "cwl-archive-tamper-" }, "cwl-archive-heartbeat"]);
    const changes = ruleChangeWatches("guard", [{ prefix: "cwl-archive-tamper-" }, "cwl-archive-heartbeat"]);
    for (const name of ["DisableRule", "DeleteRule", "RemoveTargets"]) {
      expect(fires(silencing, call("events", name, eventsRequest(name, "cwl-archive-heartbeat"), deployer))).toBe(true);
      expect(fires(silencing, call("events", name, eventsRequest(name, "cwl-archive-tamper-src-s3"), deployer))).toBe(
        true,
      );
      expect(fires(silencing, call("events", name, eventsRequest(name, "app-rule"), user))).toBe(false);
    }
    const disabling = eventsRequest("PutRule", "cwl-archive-heartbeat", "DISABLED");
    expect(fires(silencing, call("events", "PutRule", disabling, deployer))).toBe(true);
    const enabled = eventsRequest("PutRule", "cwl-archive-heartbeat");
    expect(fires(silencing, call("events", "PutRule", enabled, deployer))).toBe(false);
    expect(fires(changes, call("events", "PutRule", enabled, deployer))).toBe(false);
    expect(fires(changes, call("events", "PutRule", enabled, user))).toBe(true);
    expect(
      fires(changes, call("events", "PutTargets", eventsRequest("PutTargets", "cwl-archive-heartbeat"), root)),
    ).toBe(true);
  });

  test("the trail, named by name or ARN: stopping or deleting it always notifies", () => {
    const ARN = "arn:aws:cloudtrail:eu-west-1:319764082517:trail/cwl-archive-organization";
    const trail = trailWatches("cwl-archive-organization", ARN);
    for (const name of ["StopLogging", "DeleteTrail"]) {
      for (const named of ["cwl-archive-organization", ARN]) {
        expect(fires(trail, call("cloudtrail", name, cloudtrailRequest(name, named), deployer))).toBe(true);
      }
      expect(fires(trail, call("cloudtrail", name, cloudtrailRequest(name, "team-trail"), user))).toBe(false);
    }
    for (const name of ["UpdateTrail", "PutEventSelectors"]) {
      expect(fires(trail, call("cloudtrail", name, cloudtrailRequest(name, ARN), deployer))).toBe(false);
      expect(fires(trail, call("cloudtrail", name, cloudtrailRequest(name, ARN), user))).toBe(true);
    }
  });
});

describe("the pattern of a rule", () => {
  test("fails on watches of more than one service", () => {
    expect(() => tamperPattern([...bucketWatches(["b"]), ...keyWatches([{ id: "k" }])])).toThrow(
      'expected the watches of one service, got ["s3","kms"]',
    );
  });

  test("a caller that is not an assumed role has no sessionIssuer: its branch names the type only", () => {
    const pattern = tamperPattern(bucketWatches(["b"]), EXEMPT) as { detail: { $or: Record<string, any>[] } };
    const callers = pattern.detail.$or.filter((b) => b.userIdentity).map((b) => b.userIdentity);
    expect(callers).toContainEqual({ type: [{ "anything-but": ["AssumedRole"] }] });
    expect(callers).toContainEqual({
      type: ["AssumedRole"],
      sessionContext: { sessionIssuer: { arn: [{ "anything-but": EXEMPT }] } },
    });
  });

  test("resolved length counts every reference as the longest key id", () => {
    expect(resolvedPatternLength('{"a":"${TfToken[TOKEN.12]}"}')).toBe(8 + 36);
    expect(resolvedPatternLength('{"a":"${aws_kms_key.k.key_id}"}')).toBe(8 + 36);
  });
});

describe("the tamper bus's rule", () => {
  const pattern = notifyPattern();

  test("matches every watched call of every service, and only AWS's own events", () => {
    for (const [service, catalogue] of Object.entries(TAMPER_SERVICES)) {
      for (const name of [...catalogue.destructive, ...catalogue.configuration]) {
        expect(matchesPattern(call(service as Service, name, {}, user), pattern)).toBe(true);
      }
    }
    const forged = { ...call("s3", "DeleteBucket", {}, user), source: "custom.app" };
    expect(matchesPattern(forged, pattern)).toBe(false);
    expect(matchesPattern(call("s3", "CreateBucket", {}, user), pattern)).toBe(false);
  });

  test("the input transformer writes one readable line with the resource, the caller and the event id", () => {
    const { inputPaths, inputTemplate } = tamperInputTransformer();
    expect(Object.keys(inputPaths).length).toBeLessThanOrEqual(100);
    const event = apiCallEvent({
      account: ACCOUNT,
      region: REGION,
      service: "s3",
      eventName: "DeleteBucketPolicy",
      requestParameters: s3Request("DeleteBucketPolicy", "cwl-archive-111111111111-eu-west-1"),
      caller: otherRole,
    });
    const line = render(inputPaths, inputTemplate, event);
    expect(line).toMatch(
      new RegExp(
        `^"TAMPER DeleteBucketPolicy +on cwl-archive-111111111111-eu-west-1 +in account ${ACCOUNT} eu-west-1 by AssumedRole arn:aws:sts::${ACCOUNT}:assumed-role/Admin/session at 2026-12-01T\\d\\d:\\d\\d:00Z \\(CloudTrail event 00000003-0000-4000-8000-[0-9a-f]{12}\\)"$`,
      ),
    );
  });
});

/**
 * What EventBridge makes of an input transformer: each variable is the value
 * at its path; a path absent from the event leaves its variable out.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 */
function render(paths: Readonly<Record<string, string>>, template: string, event: Record<string, unknown>): string {
  return template.replace(/<([A-Za-z]+)>/g, (_m, variable: string) => {
    const path = paths[variable];
    if (path === undefined) throw new Error(`template uses undefined variable ${variable}`);
    const value = path
      .replace(/^\$\./, "")
      .split(".")
      .reduce<unknown>(
        (v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined),
        event,
      );
    return value === undefined ? "" : String(value);
  });
}
