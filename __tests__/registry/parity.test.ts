/**
 * The registry and the constructs enforce the same rules with the same
 * messages. The list of rules is the constructs' own (LOG_ARCHIVE_RULE_IDS,
 * LOG_SOURCE_RULE_IDS): a rule added there without a case here fails to
 * compile and fails the exhaustiveness test below. The registry runs those
 * rule functions itself (semantics.ts, through registryProblemOf, which
 * throws for a prop it cannot place) or builds its schema from their bounds
 * and messages (schema.ts), so it has no copy that could drift.
 *
 * For every rule: GIVEN the minimal registry broken in one place, and the
 * props the app would give the construct for the valid registry, broken in
 * the same place, THEN the registry's line (`<file>: <YAML path>: <message>`)
 * and the construct's line (`<Construct> <node path>: <prop path>: <message>`)
 * carry the same message.
 */
import { App, TerraformStack } from "cdktf";
import { LOG_ARCHIVE_RULE_IDS, type LogArchiveRule } from "../../modules/archive/archive-rules";
import { LogArchive, type LogArchiveProps } from "../../modules/archive/log-archive";
import { LogSource, type LogSourceProps } from "../../modules/source/log-source";
import { LOG_SOURCE_RULE_IDS, type LogSourceRule } from "../../modules/source/source-rules";
import { logArchiveProps } from "../../modules/stacks/log-archive-stack";
import { logSourceProps } from "../../modules/stacks/log-source-stack";
import { registryProblemOf } from "../../modules/registry/semantics";
import { errorsFor, registryWith, type RawRegistry } from "../helpers/registry";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface ArchiveCase {
  /** The YAML path the registry reports. */
  readonly registryPath: string;
  readonly registry: (raw: RawRegistry) => void;
  /** The prop path LogArchive (or the part it passes the setting to) reports. */
  readonly propPath: string;
  readonly props: (props: Mutable<LogArchiveProps>) => void;
}
interface SourceCase {
  readonly registryPath: string;
  readonly registry: (raw: RawRegistry) => void;
  readonly propPath: string;
  readonly props: (props: Mutable<LogSourceProps>) => void;
}

const ARCHIVE_CASES: Record<LogArchiveRule, ArchiveCase> = {
  "replica-in-another-region": {
    registryPath: "archive.replicaRegion",
    registry: (r) => (r.archive = { replicaRegion: "eu-west-1" }),
    propPath: "archive.replicaRegion",
    props: (p) => (p.archive = { ...p.archive, replicaRegion: "eu-west-1" }),
  },
  "replication-time-control-needs-replica": {
    registryPath: "archive.replicationTimeControl",
    registry: (r) => (r.archive = { replicationTimeControl: true }),
    propPath: "archive.replicationTimeControl",
    props: (p) => (p.archive = { ...p.archive, replicationTimeControl: true }),
  },
  "transition-not-before-thirty-days": {
    registryPath: "archive.transitions[0].days",
    registry: (r) => (r.archive = { transitions: [{ storageClass: "STANDARD_IA", days: 10 }] }),
    propPath: "archive.transitions[0].days",
    props: (p) => (p.archive = { ...p.archive, transitions: [{ storageClass: "STANDARD_IA", days: 10 }] }),
  },
  "transition-before-expiry": {
    registryPath: "archive.transitions[0].days",
    registry: (r) => (r.archive = { retentionDays: 60, transitions: [{ storageClass: "GLACIER_IR", days: 90 }] }),
    propPath: "archive.transitions[0].days",
    props: (p) =>
      (p.archive = { ...p.archive, retentionDays: 60, transitions: [{ storageClass: "GLACIER_IR", days: 90 }] }),
  },
  "transitions-ascending": {
    registryPath: "archive.transitions[1].days",
    registry: (r) =>
      (r.archive = {
        transitions: [
          { storageClass: "GLACIER_IR", days: 90 },
          { storageClass: "DEEP_ARCHIVE", days: 90 },
        ],
      }),
    propPath: "archive.transitions[1].days",
    props: (p) =>
      (p.archive = {
        ...p.archive,
        transitions: [
          { storageClass: "GLACIER_IR", days: 90 },
          { storageClass: "DEEP_ARCHIVE", days: 90 },
        ],
      }),
  },
  "transition-thirty-days-in-class": {
    registryPath: "archive.transitions[1].days",
    registry: (r) =>
      (r.archive = {
        transitions: [
          { storageClass: "STANDARD_IA", days: 30 },
          { storageClass: "GLACIER_IR", days: 40 },
        ],
      }),
    propPath: "archive.transitions[1].days",
    props: (p) =>
      (p.archive = {
        ...p.archive,
        transitions: [
          { storageClass: "STANDARD_IA", days: 30 },
          { storageClass: "GLACIER_IR", days: 40 },
        ],
      }),
  },
  "transitions-colder": {
    registryPath: "archive.transitions[1].storageClass",
    registry: (r) =>
      (r.archive = {
        transitions: [
          { storageClass: "GLACIER_IR", days: 90 },
          { storageClass: "STANDARD_IA", days: 365 },
        ],
      }),
    propPath: "archive.transitions[1].storageClass",
    props: (p) =>
      (p.archive = {
        ...p.archive,
        transitions: [
          { storageClass: "GLACIER_IR", days: 90 },
          { storageClass: "STANDARD_IA", days: 365 },
        ],
      }),
  },
  "object-lock-within-retention": {
    registryPath: "archive.objectLock.days",
    registry: (r) => (r.archive = { objectLock: { mode: "COMPLIANCE", days: 3000 } }),
    propPath: "archive.objectLock.days",
    props: (p) => (p.archive = { ...p.archive, objectLock: { mode: "COMPLIANCE", days: 3000 } }),
  },
  "previous-key-in-archive-region": {
    registryPath: "archive.previousKeyArns[0]",
    registry: (r) => (r.archive = { previousKeyArns: [OTHER_REGION_KEY] }),
    propPath: "archive.previousKeyArns[0]",
    props: (p) => (p.archive = { ...p.archive, previousKeyArns: [OTHER_REGION_KEY] }),
  },
  "hunting-cutoff-at-least-interactive": {
    registryPath: "monitoring.athena.huntingBytesScannedCutoffGiB",
    registry: (r) => (r.monitoring = { athena: { bytesScannedCutoffGiB: 100, huntingBytesScannedCutoffGiB: 50 } }),
    // LogArchive passes its athena settings to ArchiveAthena, which checks them.
    propPath: "settings.huntingBytesScannedCutoffGiB",
    props: (p) => (p.athena = { ...p.athena!, bytesScannedCutoffGiB: 100, huntingBytesScannedCutoffGiB: 50 }),
  },
  "config-without-object-lock": {
    registryPath: "sources.config.enabled",
    registry: (r) => {
      r.archive = { objectLock: { mode: "GOVERNANCE", days: 30 } };
      r.sources = { config: { enabled: true } };
    },
    propPath: "directSources.configRecorderRole",
    props: (p) => {
      p.archive = { ...p.archive, objectLock: { mode: "GOVERNANCE", days: 30 } };
      p.directSources = { ...p.directSources, configRecorderRole: "aws-controltower-ConfigRecorderRole" };
    },
  },
  "tamper-needs-alarms": {
    registryPath: "monitoring.tamper.enabled",
    registry: (r) => (r.monitoring = { tamper: { enabled: true }, alarms: { enabled: false } }),
    propPath: "tamper",
    props: (p) => {
      p.tamper = {};
      p.alarms = false;
      p.deliveryWatch = undefined;
    },
  },
  "notify-siem-admitted-source": {
    registryPath: "sources.notifySiem[0]",
    registry: (r) => (r.sources = { notifySiem: ["config"] }),
    propPath: "directSources.notifySiem[0]",
    props: (p) => (p.directSources = { ...p.directSources, notifySiem: ["config"] }),
  },
  "sentinel-queue-per-prefix": {
    registryPath: "siem.queues",
    registry: (r) => {
      r.siem = { sentinel: { workspaceId: SENTINEL_WORKSPACE } };
      r.sources = { vpcFlowLogs: { enabled: true }, notifySiem: ["vpc-flow-logs"] };
    },
    propPath: "siem.queuePerPrefix",
    props: (p) => {
      p.siem = { ...p.siem, sentinel: { workspaceId: SENTINEL_WORKSPACE } };
      p.directSources = { ...p.directSources, vpcFlowLogs: true, notifySiem: ["vpc-flow-logs"] };
    },
  },
  "siem-visibility-timeout": {
    registryPath: "siem.visibilityTimeoutSeconds",
    registry: (r) => (r.siem = { visibilityTimeoutSeconds: 43201 }),
    propPath: "siem.visibilityTimeoutSeconds",
    props: (p) => (p.siem = { ...p.siem, visibilityTimeoutSeconds: 43201 }),
  },
  "siem-message-retention": {
    registryPath: "siem.messageRetentionSeconds",
    registry: (r) => (r.siem = { messageRetentionSeconds: 1209600 }),
    propPath: "siem.messageRetentionSeconds",
    props: (p) => (p.siem = { ...p.siem, messageRetentionSeconds: 1209600 }),
  },
  "search-domain-here": {
    registryPath: "search.domainArn",
    registry: (r) => searchRegistry(r, { domainArn: OTHER_DOMAIN }),
    propPath: "search.domainArn",
    props: (p) => searchProps(p, { domainArn: OTHER_DOMAIN }),
  },
  "search-reads-central-kinesis": {
    registryPath: "search.enabled",
    registry: (r) => {
      r.accounts[0] = { ...r.accounts[0], delivery: "central" };
      r.search = { enabled: true, domainArn: DOMAIN };
    },
    propPath: "search",
    props: (p) => {
      p.central = { regions: ["eu-west-1"] };
      p.search = { domainArn: DOMAIN, principals: [] };
    },
  },
  "search-administrator-not-principal": {
    registryPath: "search.administrators[0]",
    registry: (r) => searchRegistry(r, { principals: [ARCHIVE_ADMIN], administrators: [ARCHIVE_ADMIN] }),
    propPath: "search.administrators[0]",
    props: (p) => searchProps(p, { principals: [ARCHIVE_ADMIN], administrators: [ARCHIVE_ADMIN] }),
  },
  "search-administrator-of-owner": {
    registryPath: "search.administrators[0]",
    registry: (r) => searchRegistry(r, { administrators: [SOURCE_ADMIN] }),
    propPath: "search.administrators[0]",
    props: (p) => searchProps(p, { administrators: [SOURCE_ADMIN] }),
  },
};

const SOURCE_CASES: Record<LogSourceRule, SourceCase> = {
  "central-without-message-extraction": {
    registryPath: "accounts[0].firehose.messageExtraction",
    registry: (r) => (r.accounts[0] = { ...r.accounts[0], delivery: "central", firehose: { messageExtraction: true } }),
    propPath: "firehose.messageExtraction",
    props: (p) => {
      p.delivery = "central";
      p.firehose = { ...p.firehose!, messageExtraction: true };
    },
  },
  "listed-needs-log-groups": {
    registryPath: "accounts[0].subscription.logGroups",
    registry: (r) => (r.accounts[0] = { ...r.accounts[0], subscription: { mode: "listed" } }),
    propPath: "subscription.logGroups",
    props: (p) => (p.subscription = { ...p.subscription, mode: "listed", logGroups: [] }),
  },
  "vpc-id": {
    registryPath: "accounts[0].vpcFlowLogs[0].vpcId",
    registry: (r) => {
      r.sources = { vpcFlowLogs: { enabled: true } };
      r.accounts[0] = { ...r.accounts[0], vpcFlowLogs: [{ region: "eu-west-1", vpcId: "vpc-0123456789" }] };
    },
    propPath: "vpcFlowLogs[0]",
    props: (p) => (p.vpcFlowLogs = ["vpc-0123456789"]),
  },
  "heartbeat-interval": {
    registryPath: "monitoring.heartbeat.intervalMinutes",
    registry: (r) => (r.monitoring = { heartbeat: { intervalMinutes: 61 } }),
    propPath: "heartbeat.intervalMinutes",
    props: (p) => (p.heartbeat = { ...p.heartbeat!, intervalMinutes: 61 }),
  },
  "firehose-buffering-size": {
    registryPath: "defaults.firehose.bufferingSizeMiB",
    registry: (r) => (r.defaults = { firehose: { bufferingSizeMiB: 129 } }),
    propPath: "firehose.bufferingSizeMiB",
    props: (p) => (p.firehose = { ...p.firehose!, bufferingSizeMiB: 129 }),
  },
  "firehose-buffering-interval": {
    registryPath: "defaults.firehose.bufferingIntervalSeconds",
    registry: (r) => (r.defaults = { firehose: { bufferingIntervalSeconds: 901 } }),
    propPath: "firehose.bufferingIntervalSeconds",
    props: (p) => (p.firehose = { ...p.firehose!, bufferingIntervalSeconds: 901 }),
  },
};

const DOMAIN = "arn:aws:es:eu-west-1:111111111111:domain/logs";
const OTHER_DOMAIN = "arn:aws:es:eu-west-1:222222222222:domain/logs";
const ARCHIVE_ADMIN = "arn:aws:iam::111111111111:role/search-admin";
const SOURCE_ADMIN = "arn:aws:iam::222222222222:role/search-admin";

/** Search delivery on the central Kinesis stream of the archive's Region, plus `search`. */
function searchRegistry(r: RawRegistry, search: Record<string, unknown>): void {
  r.accounts[0] = { ...r.accounts[0], delivery: "central" };
  r.central = { kinesisStream: { enabled: true } };
  r.search = { enabled: true, domainArn: DOMAIN, ...search };
}
function searchProps(p: Mutable<LogArchiveProps>, search: Record<string, unknown>): void {
  p.central = { regions: ["eu-west-1"], stream: { kinesisStream: { enabled: true } } };
  p.search = { domainArn: DOMAIN, principals: [], ...search };
}

const SENTINEL_WORKSPACE = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";
const OTHER_REGION_KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** The message of the registry's line at `path` (after `test.yaml: <path>: `). */
function registryMessage(edit: (raw: RawRegistry) => void, path: string): string {
  const prefix = `test.yaml: ${path}: `;
  const lines = errorsFor(edit).filter((line) => line.startsWith(prefix));
  expect(lines).toHaveLength(1);
  return lines[0]!.slice(prefix.length);
}

/** The message of the construct's line for `propPath` (after `<Construct> <node path>: <propPath>: `). */
function constructMessage(build: (stack: TerraformStack) => void, propPath: string): string {
  let message = "";
  try {
    build(new TerraformStack(new App(), "test"));
  } catch (error) {
    message = (error as Error).message;
  }
  const marker = `: ${propPath}: `;
  const lines = message.split("\n").filter((line) => line.includes(marker));
  expect(lines).toHaveLength(1);
  return lines[0]!.slice(lines[0]!.indexOf(marker) + marker.length);
}

describe("registry and construct parity", () => {
  test("every rule the constructs enforce has a parity case (and no case names a rule they do not have)", () => {
    expect(Object.keys(ARCHIVE_CASES).sort()).toEqual([...LOG_ARCHIVE_RULE_IDS].sort());
    expect(Object.keys(SOURCE_CASES).sort()).toEqual([...LOG_SOURCE_RULE_IDS].sort());
  });

  test.each(Object.entries(ARCHIVE_CASES))("LogArchive refuses what the registry refuses: %s", (_rule, c) => {
    const props = { ...logArchiveProps(registryWith()) } as Mutable<LogArchiveProps>;
    c.props(props);
    expect(constructMessage((stack) => new LogArchive(stack, "Archive", props), c.propPath)).toBe(
      registryMessage(c.registry, c.registryPath),
    );
  });

  test.each(Object.entries(SOURCE_CASES))("LogSource refuses what the registry refuses: %s", (_rule, c) => {
    const registry = registryWith();
    const props = { ...logSourceProps(registry, registry.accounts[0]!, "eu-west-1") } as Mutable<LogSourceProps>;
    c.props(props);
    expect(constructMessage((stack) => new LogSource(stack, "Source", props), c.propPath)).toBe(
      registryMessage(c.registry, c.registryPath),
    );
  });

  test("fails loudly for a construct rule whose prop the registry has no place for (a rule added without its mapping)", () => {
    expect(() => registryProblemOf({ rule: "new-rule", path: ["unmapped", "prop"], message: "m" })).toThrow(
      "no registry path for the prop unmapped.prop of rule new-rule",
    );
  });

  test("GIVEN the sample's valid settings THEN neither the registry nor the constructs complain", () => {
    const registry = registryWith();
    const stack = new TerraformStack(new App(), "test");
    expect(() => new LogArchive(stack, "Archive", logArchiveProps(registry))).not.toThrow();
    expect(
      () => new LogSource(stack, "Source", logSourceProps(registry, registry.accounts[0]!, "eu-west-1")),
    ).not.toThrow();
  });
});
