/**
 * Checks that span several fields, which a schema cannot express: duplicates,
 * combinations AWS cannot serve, and loops the pipeline must never create.
 *
 * Duplicate checks run on the raw document, so they are reported together
 * with schema errors; the others need the typed data and run once the schema
 * is satisfied.
 */
import { formatPath, type PathSegment } from "./errors";
import { arn } from "../naming/arn";
import {
  archiveBucketProblems,
  archivePartsProblems,
  athenaCutoffProblems,
  keyAccountProblems as keysPropProblems,
  searchProblems as searchSettingProblems,
  type LogArchiveRule,
} from "../archive/archive-rules";
import type { SettingProblem } from "../constructs/validation";
import { keyAdministratorProblems, type LogKeysRule } from "../keys/key-rules";
import { guardrailRuleProblems, type OrganizationGuardrailsRule } from "../guardrails/guardrail-rules";
import {
  heartbeatSubscriptionProblems,
  listedPipelineLogGroupProblems,
  logSourceRuleProblems,
  selectionCriteriaProblems,
  type LogSourceProblem,
  type LogSourceRule,
} from "../source/source-rules";
import {
  ARCHIVE_STACK,
  GUARDRAILS_STACK,
  guardDutyLogGroup,
  heartbeatLogGroup,
  KEYS_STACK,
  sourceStackName,
  TRAIL_STACK,
} from "../naming/names";
import { ACCESS_STACK, planRoleName, runRoleNames, WORKSPACES_STACK } from "../naming/terraform-cloud";
import type { RegistryData } from "./schema";
import { enabledKinds } from "../sources/direct-sources";
import { partitionProblems } from "./partition-problems";
import {
  centralAccountsByRegion,
  deliveryWatchEnabled,
  guardrailsEnabled,
  guardrailsManagementAccountId,
  accessManagementAccountId,
  accessStackEnabled,
  watchedAccounts,
  pipelineLogGroupsOf,
  sourceSettings,
} from "./settings";

/**
 * The rules only the registry can check, each with why no construct can:
 * they compare several accounts or stacks, read settings that are no
 * construct's props (deployment, Terraform Cloud, Atlantis, migrations), or
 * catch what only YAML can get wrong (duplicates, a key a mode ignores, a
 * required value left out that a construct's type requires). Every other
 * rule is a construct's (LOG_ARCHIVE_RULE_IDS, LOG_SOURCE_RULE_IDS, LOG_KEYS_RULE_IDS,
 * ORGANIZATION_GUARDRAILS_RULE_IDS), run here
 * through the construct's own function; `__tests__/registry/parity.test.ts`
 * proves both halves.
 */
export const REGISTRY_ONLY_RULES = {
  "duplicate-account-id":
    "compares the source accounts (and their account files) with each other; a construct sees one account",
  "duplicate-account-name": "display names are the registry's own; no construct takes them",
  "duplicate-region": "an account's Regions are several LogSource stacks; each LogSource sees one Region",
  "duplicate-log-group": "a YAML mistake, reported on the raw document with both places",
  "duplicate-target": "a YAML mistake, reported on the raw document with both places",
  "duplicate-principal": "a YAML mistake, reported on the raw document with both places",
  "duplicate-vpc": "a YAML mistake, reported on the raw document with both places",
  "subscription-key-ignored":
    "tells an account's own subscription key from the organisation default it inherits; LogSource gets the merged settings",
  "subscription-default-ignored": "an organisation default no account reads: spans every account",
  "listed-region-of-account": "names the account's other Regions; each LogSource sees one Region",
  "central-partition-quota-covers-accounts":
    "counts the accounts that deliver centrally to a Region, which are the source stacks', not LogArchive's",
  "watch-silence-covers-delivery":
    "needs every watched source's buffering interval; DeliveryWatch's props carry it only for sources that expectsLogs (adding it for all would change the watch's parameters)",
  "search-domain-required": "LogArchive's search prop requires domainArn by its type; only YAML can leave it out",
  "expects-logs-needs-heartbeat": "joins an account's entry with the heartbeat of every source stack",
  "expects-logs-needs-watch": "joins an account's entry with the archive's delivery watch and the account's alarms",
  "migration-stack-known": "names the stacks this registry synthesises: no construct has migrations",
  "keys-administrators-with-ambient": "depends on deployment.credentials, how the stacks are applied",
  "management-account-credentials": "deployment: how the management account's stacks get credentials",
  "guardrails-management-account":
    "the management account comes from the trail's section when left out: spans sections",
  "one-management-account": "compares the management account of several sections and stacks",
  "guardrails-management-not-archive":
    "compares the management account with the log-archive and key accounts (other stacks)",
  "guardrails-break-glass":
    "OrganizationGuardrails requires breakGlassRoleName by its type; only YAML can leave it out",
  "guardrails-exempt-with-ambient": "depends on deployment.credentials, how the stacks are applied",
  "guardrails-exempt-run-roles": "compares the guardrails with the Terraform Cloud run roles of another stack",
  "terraform-cloud-backend": "deployment: the state backend and credentials of every stack",
  "terraform-cloud-agent-pool": "Terraform Cloud workspace settings: no construct of the pipeline",
  "terraform-cloud-local-without-access": "compares two Terraform Cloud sections (workspaces and access)",
  "terraform-cloud-vcs": "deployment: the Atlantis mode and the workspaces' VCS connection",
  "access-management-account": "the management account comes from other sections when left out: spans sections",
  "access-targets": "the access stack is the registry's switch (terraformCloud.access, atlantis.access)",
  "atlantis-access": "deployment: the credentials and role every stack's provider uses",
  "trail-management-account":
    "DirectSourceSettings.trail requires managementAccountId by its type; only YAML can leave it out",
  "guardduty-account-known": "names the registry's accounts: spans every source stack",
  "vpc-flow-logs-admitted": "spans the archive (which admits flow logs) and the source stack (which creates them)",
  "vpc-region-of-account": "names the account's other Regions; each LogSource sees one Region",
  "siem-reader-not-member-root": "needs the organization's accounts the registry lists",
  "siem-external-id-outside": "needs the organization's accounts the registry lists",
  "one-partition": "compares every ARN and Region of the registry, across stacks",
  "partition-unavailable": "what a partition offers, for settings of several stacks",
} as const;

export type RegistryOnlyRule = keyof typeof REGISTRY_ONLY_RULES;
/** Every rule the registry reports beyond its schema: a construct's, or its own. */
export type RegistryRule = LogArchiveRule | LogSourceRule | LogKeysRule | OrganizationGuardrailsRule | RegistryOnlyRule;

export interface SemanticProblem {
  /** The rule: a construct's (LogArchive, LogSource) or the registry's own (REGISTRY_ONLY_RULES). */
  readonly rule: RegistryRule;
  readonly path: readonly PathSegment[];
  readonly message: string;
  /** False when quoting the value at `path` would not help (e.g. a whole list). */
  readonly quoteValue?: boolean;
}

/**
 * Where the registry holds each prop a construct rule names: the construct's
 * path (from its props) to the registry's (from the document root). A rule
 * whose prop is missing here fails the parity test.
 */
const REGISTRY_PATH_OF_PROP: Readonly<Record<string, readonly PathSegment[]>> = {
  archive: ["archive"],
  athena: ["monitoring", "athena"],
  "directSources.configRecorderRole": ["sources", "config", "enabled"],
  tamper: ["monitoring", "tamper", "enabled"],
  "directSources.notifySiem": ["sources", "notifySiem"],
  "siem.queuePerPrefix": ["siem", "queues"],
  "search.domainArn": ["search", "domainArn"],
  "search.administrators": ["search", "administrators"],
  "keys.accountId": ["keys", "accountId"],
  search: ["search", "enabled"],
};

/** A construct rule's problem at the registry's path (the longest mapped prefix of the prop path). */
export function registryProblemOf(problem: SettingProblem<LogArchiveRule | LogSourceRule>): SemanticProblem {
  for (let length = problem.path.length; length > 0; length--) {
    const prefix = problem.path.slice(0, length).join(".");
    const mapped = REGISTRY_PATH_OF_PROP[prefix];
    if (mapped) {
      return {
        rule: problem.rule,
        path: [...mapped, ...problem.path.slice(length)],
        message: problem.message,
        quoteValue: problem.value !== undefined,
      };
    }
  }
  throw new Error(`no registry path for the prop ${problem.path.join(".")} of rule ${problem.rule}`);
}

/** Where an account's settings come from: its own key, or the organisation default it inherits. */
const SOURCE_SECTIONS: Readonly<Record<string, readonly PathSegment[]>> = {
  heartbeat: ["monitoring", "heartbeat"],
  iamPropagationSeconds: ["deployment", "iamPropagationSeconds"],
};

/**
 * A LogSource rule's problem at the registry's path: the account's own
 * subscription or firehose key when it sets it, else the default it inherits.
 */
function accountProblemOf(
  problem: LogSourceProblem,
  account: RegistryData["accounts"][number],
  index: number,
): SemanticProblem {
  const [section, key, ...rest] = problem.path as [string, string | number | undefined, ...PathSegment[]];
  const mapped = SOURCE_SECTIONS[section];
  const own =
    section === "subscription" || section === "firehose"
      ? (account[section] as Record<string, unknown> | undefined)?.[key as string] !== undefined
      : false;
  const path: readonly PathSegment[] = mapped
    ? [...mapped, ...(key === undefined ? [] : [key]), ...rest]
    : // An account in mode "listed" without groups lacks its own list: the account is at fault.
      own || problem.rule === "listed-needs-log-groups"
      ? ["accounts", index, section, key!, ...rest]
      : ["defaults", section, key!, ...rest];
  return { rule: problem.rule, path, message: problem.message, quoteValue: problem.value !== undefined };
}

/** How a problem names another place, e.g. `accounts[0].id` or `accounts/sources/x.yaml id`. */
export type Refer = (path: readonly PathSegment[]) => string;

const formatRefer: Refer = (path) => formatPath(path);

export function semanticProblems(
  raw: unknown,
  data: RegistryData | undefined,
  refer: Refer = formatRefer,
): SemanticProblem[] {
  const problems = duplicateProblems(raw, refer);
  if (data) problems.push(...dataProblems(data));
  return problems;
}

function duplicateProblems(raw: unknown, refer: Refer): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const accounts = isRecord(raw) && Array.isArray(raw.accounts) ? raw.accounts : [];
  const firstId = new Map<string, number>();
  const firstName = new Map<string, number>();
  accounts.forEach((account: unknown, index) => {
    if (!isRecord(account)) return;
    if (typeof account.id === "string") {
      const first = firstId.get(account.id);
      if (first === undefined) firstId.set(account.id, index);
      else
        problems.push({
          rule: "duplicate-account-id",
          path: ["accounts", index, "id"],
          message: `duplicate account id (also ${refer(["accounts", first, "id"])})`,
        });
    }
    if (typeof account.name === "string") {
      const first = firstName.get(account.name);
      if (first === undefined) firstName.set(account.name, index);
      else
        problems.push({
          rule: "duplicate-account-name",
          path: ["accounts", index, "name"],
          message: `duplicate account name (also ${refer(["accounts", first, "name"])})`,
        });
    }
    problems.push(...duplicatesIn(account.regions, ["accounts", index, "regions"], "Region", "duplicate-region"));
    if (isRecord(account.subscription)) {
      problems.push(
        ...duplicateLogGroups(account.subscription.logGroups, ["accounts", index, "subscription", "logGroups"]),
      );
    }
  });
  if (isRecord(raw) && isRecord(raw.defaults) && isRecord(raw.defaults.subscription)) {
    problems.push(
      ...duplicateLogGroups(raw.defaults.subscription.logGroups, ["defaults", "subscription", "logGroups"]),
    );
  }
  return problems;
}

function duplicatesIn(
  list: unknown,
  path: readonly PathSegment[],
  what: string,
  rule: RegistryOnlyRule,
): SemanticProblem[] {
  if (!Array.isArray(list)) return [];
  const first = new Map<unknown, number>();
  const problems: SemanticProblem[] = [];
  list.forEach((item, index) => {
    if (typeof item !== "string") return;
    const at = first.get(item);
    if (at === undefined) first.set(item, index);
    else problems.push({ rule, path: [...path, index], message: `duplicate ${what} (also ${formatIndex(path, at)})` });
  });
  return problems;
}

function duplicateLogGroups(list: unknown, path: readonly PathSegment[]): SemanticProblem[] {
  if (!Array.isArray(list)) return [];
  const names = list.map((entry) => (isRecord(entry) ? entry.name : undefined));
  return duplicatesIn(names, path, "log group", "duplicate-log-group").map((p) => ({
    ...p,
    path: [...p.path, "name"],
  }));
}

function formatIndex(path: readonly PathSegment[], index: number): string {
  return `${path[path.length - 1]}[${index}]`;
}

function dataProblems(data: RegistryData): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const { archive } = data;

  // The rules LogArchive enforces on the settings mapped onto its props: one
  // implementation, the same messages, at the registry's paths.
  problems.push(
    ...[
      ...archiveBucketProblems(archive, data.logArchive.region),
      ...athenaCutoffProblems(data.monitoring.athena),
      ...archivePartsProblems({
        config: data.sources.config.enabled,
        objectLock: archive.objectLock !== undefined,
        tamper: data.monitoring.tamper.enabled === true,
        alarms: data.monitoring.alarms.enabled,
        admitted: enabledKinds(data.sources),
        notifySiem: data.sources.notifySiem,
        sentinel: data.siem.sentinel !== undefined,
        queuePerPrefix: data.siem.queues === "perPrefix",
      }),
    ].map(registryProblemOf),
  );

  problems.push(...sourceProblems(data));
  problems.push(...migrationProblems(data));
  problems.push(...expectsLogsProblems(data));
  problems.push(...terraformCloudProblems(data));
  problems.push(...atlantisAccessProblems(data));
  problems.push(...partitionProblems(data));

  data.accounts.forEach((account, index) => {
    const settings = sourceSettings(data, account);
    // The rules LogSource enforces on the settings mapped onto its props.
    // Ranges and the VPC id are the schema's (with LogSource's bounds and messages).
    const sourceRuleInput = { accountId: account.id, ...settings, vpcFlowLogs: undefined };
    const { subscription } = settings;
    const heartbeat = data.monitoring.heartbeat.enabled ? heartbeatLogGroup(data.naming.prefix) : undefined;
    const sourceRuleProblems: LogSourceProblem[] = [
      ...logSourceRuleProblems(sourceRuleInput),
      // Region by Region, as LogSource judges them in each of its stacks (once per account).
      ...heartbeatSubscriptionProblems(subscription, heartbeat),
      ...account.regions.flatMap((region) =>
        listedPipelineLogGroupProblems(subscription, pipelineLogGroupsOf(data, account.id, region), region),
      ),
      ...(account.regions
        .map((region) =>
          selectionCriteriaProblems(
            subscription,
            pipelineLogGroupsOf(data, account.id, region),
            [
              ...(heartbeat ? [heartbeat] : []),
              ...(data.sources.guardDuty.accounts.includes(account.id) ? [guardDutyLogGroup(data.naming.prefix)] : []),
            ],
            region,
          ),
        )
        .find((found) => found.length > 0) ?? []),
    ];
    problems.push(...sourceRuleProblems.map((problem) => accountProblemOf(problem, account, index)));
    // A key the account's mode ignores would be silently dropped: an account
    // that meant to exclude a group would forward it, or the reverse.
    const ignored = subscription.mode === "listed" ? "excludeLogGroups" : "logGroups";
    if ((account.subscription?.[ignored]?.length ?? 0) > 0) {
      problems.push({
        rule: "subscription-key-ignored",
        path: ["accounts", index, "subscription", ignored],
        message:
          subscription.mode === "listed"
            ? `is ignored: account ${account.id} subscribes only its listed logGroups (mode "listed"); remove it, or set mode "all"`
            : `is ignored: account ${account.id} subscribes every log group (mode "all"); remove it, or set mode "listed"`,
        quoteValue: false,
      });
    }
    if (subscription.mode === "listed") {
      // An account's own list names only its Regions; the defaults' list may
      // name any (each account takes the groups of its Regions).
      (account.subscription?.logGroups ?? []).forEach((group, groupIndex) => {
        (group.regions ?? []).forEach((region, regionIndex) => {
          if (!account.regions.includes(region)) {
            problems.push({
              rule: "listed-region-of-account",
              path: ["accounts", index, "subscription", "logGroups", groupIndex, "regions", regionIndex],
              message: `expected one of the Regions of account ${account.id} (${account.regions.join(", ")})`,
            });
          }
        });
      });
    }
  });
  problems.push(...ignoredSubscriptionDefaults(data));
  return problems;
}

/**
 * `defaults.subscription.logGroups` is read only by accounts in mode
 * "listed", `excludeLogGroups` only by accounts in mode "all": a non-empty
 * default that no account reads is a mistake the plan would never show.
 */
function ignoredSubscriptionDefaults(data: RegistryData): SemanticProblem[] {
  const modes = new Set(data.accounts.map((account) => sourceSettings(data, account).subscription.mode));
  const defaults = data.defaults.subscription;
  const problems: SemanticProblem[] = [];
  if (defaults.logGroups.length > 0 && data.accounts.length > 0 && !modes.has("listed")) {
    problems.push({
      rule: "subscription-default-ignored",
      path: ["defaults", "subscription", "logGroups"],
      message: 'is ignored: no account uses mode "listed", the only mode that reads it',
      quoteValue: false,
    });
  }
  if (defaults.excludeLogGroups.length > 0 && data.accounts.length > 0 && !modes.has("all")) {
    problems.push({
      rule: "subscription-default-ignored",
      path: ["defaults", "subscription", "excludeLogGroups"],
      message: 'is ignored: no account uses mode "all", the only mode that reads it',
      quoteValue: false,
    });
  }
  return problems;
}

/**
 * Firehose dynamic partitioning holds at most `activePartitionQuota` active
 * partitions per stream (500 by default); records beyond it go to the error
 * prefix. A central stream partitions by account and hour, and an account can
 * hold two hours' partitions at once when the hour turns within a buffer.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html
 */
export const PARTITIONS_PER_CENTRAL_ACCOUNT = 2;

function centralProblems(data: RegistryData): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const quota = data.central.activePartitionQuota;
  for (const [region, accounts] of [...centralAccountsByRegion(data)].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const partitions = accounts.length * PARTITIONS_PER_CENTRAL_ACCOUNT;
    if (partitions > quota) {
      problems.push({
        rule: "central-partition-quota-covers-accounts",
        path: ["central", "activePartitionQuota"],
        message: `is too low for ${region}: ${accounts.length} accounts deliver centrally there, up to ${partitions} active partitions of the central stream, and records beyond the quota go to the error prefix. Request a Firehose quota increase for the stream and raise this value, or move accounts to delivery "perAccount"`,
        quoteValue: false,
      });
    }
  }
  return problems;
}

/** Minutes the watch allows on top of the gap between objects, for S3's event to reach its log group. */
const WATCH_MARGIN_MINUTES = 5;

/**
 * The delivery watch calls a source silent when no object arrived for
 * silenceMinutes. A healthy idle source writes one object per heartbeat, or
 * one per buffering interval when heartbeats come faster (records then share
 * a buffer), so a shorter silence would cry wolf.
 */
function deliveryWatchProblems(data: RegistryData): SemanticProblem[] {
  const { alarms, heartbeat } = data.monitoring;
  if (!deliveryWatchEnabled(data) || !heartbeat.enabled) return [];
  const bufferSeconds = Math.max(
    ...watchedAccounts(data).map((a) => {
      const settings = sourceSettings(data, a);
      return settings.delivery === "central"
        ? data.central.bufferingIntervalSeconds
        : settings.firehose.bufferingIntervalSeconds;
    }),
  );
  const gap = Math.max(heartbeat.intervalMinutes, Math.ceil(bufferSeconds / 60));
  const needed = gap + WATCH_MARGIN_MINUTES;
  if (alarms.silenceMinutes >= needed) return [];
  return [
    {
      rule: "watch-silence-covers-delivery",
      path: ["monitoring", "alarms", "silenceMinutes"],
      message: `is too short for the delivery watch: a healthy source writes an object every ${gap} minutes (the longer of the heartbeat interval, ${heartbeat.intervalMinutes} min, and the buffering interval, ${bufferSeconds} s), so expected at least ${needed} minutes`,
    },
  ];
}

/**
 * Search delivery reads the central Kinesis stream of the log-archive
 * account's Region (a Firehose reads a Kinesis stream of its own Region only),
 * and delivers into a domain of that account and Region.
 */
function searchProblems(data: RegistryData): SemanticProblem[] {
  const { search } = data;
  if (!search.enabled) return [];
  const problems: SemanticProblem[] = [];
  const { accountId, region } = data.logArchive;
  if (search.domainArn === undefined) {
    problems.push({
      rule: "search-domain-required",
      path: ["search", "domainArn"],
      message: "is required when search.enabled is true",
      quoteValue: false,
    });
  }
  // LogArchive's rules on the search settings mapped onto its props.
  const centralKinesisHere = centralAccountsByRegion(data).has(region) && data.central.kinesisStream.enabled;
  problems.push(
    ...searchSettingProblems(
      // Without a domain (reported above), the domain rule has nothing to judge.
      {
        ...search,
        domainArn: search.domainArn ?? arn({ service: "es", region, account: accountId, resource: "domain/unset" }),
      },
      { accountId, region, centralKinesisHere },
    ).map(registryProblemOf),
  );
  return problems;
}

/** Heartbeat-only detection compares object sizes with the heartbeat's: it needs both the heartbeat and the watch. */
function expectsLogsProblems(data: RegistryData): SemanticProblem[] {
  const watched = new Set(watchedAccounts(data).map((a) => a.id));
  return data.accounts.flatMap((account, index): SemanticProblem[] => {
    if (account.expectsLogs !== true) return [];
    if (!data.monitoring.heartbeat.enabled) {
      return [
        {
          rule: "expects-logs-needs-heartbeat",
          path: ["accounts", index, "expectsLogs"],
          message:
            "needs monitoring.heartbeat.enabled: only the heartbeat tells a source that delivers nothing else apart",
        },
      ];
    }
    if (!watched.has(account.id)) {
      return [
        {
          rule: "expects-logs-needs-watch",
          path: ["accounts", index, "expectsLogs"],
          message:
            "needs the delivery watch for this account (monitoring.alarms.enabled, and alarms deliveryWatch or both): per-account alarms do not see object sizes",
        },
      ];
    }
    return [];
  });
}

/** The stacks this registry synthesises, by name (the folders under cdktf.out/stacks). */
function impliedStackNames(data: RegistryData): Set<string> {
  const { cloudTrail } = data.sources;
  return new Set([
    ARCHIVE_STACK,
    ...(data.keys ? [KEYS_STACK] : []),
    ...(cloudTrail.enabled && cloudTrail.createTrail && cloudTrail.managementAccountId ? [TRAIL_STACK] : []),
    ...data.accounts.flatMap((a) => a.regions.map((region) => sourceStackName(a.id, region))),
    ...(guardrailsEnabled(data) ? [GUARDRAILS_STACK] : []),
    ...(accessStackEnabled(data) ? [ACCESS_STACK] : []),
    ...(data.terraformCloud.workspaces.enabled ? [WORKSPACES_STACK] : []),
  ]);
}

/** An acknowledgement names stacks that exist: a typo would acknowledge nothing, silently. */
function migrationProblems(data: RegistryData): SemanticProblem[] {
  const known = impliedStackNames(data);
  return data.migrations.flatMap((migration, index) =>
    (migration.stacks ?? []).flatMap((stack, stackIndex) =>
      known.has(stack)
        ? []
        : [
            {
              rule: "migration-stack-known",
              path: ["migrations", index, "stacks", stackIndex],
              message: `expected a stack this registry synthesises (${ARCHIVE_STACK}, ${sourceStackName("<accountId>", "<region>")} of a listed account and Region, ...)`,
            },
          ],
    ),
  );
}

/** The key-management account: another account, administered by its own principals. */
function keyAccountProblems(data: RegistryData): SemanticProblem[] {
  const { keys } = data;
  if (!keys) return [];
  const problems: SemanticProblem[] = [];
  // LogArchive's rule on its keys prop.
  problems.push(...keysPropProblems(data.logArchive.accountId, keys.accountId).map(registryProblemOf));
  // LogKeys's rule on its administrators.
  problems.push(
    ...keyAdministratorProblems(keys.accountId, keys.administrators ?? []).map((problem) => ({
      rule: problem.rule,
      path: ["keys", ...problem.path],
      message: problem.message,
    })),
  );
  if (keys.administrators === undefined && data.deployment.credentials === "ambient") {
    problems.push({
      rule: "keys-administrators-with-ambient",
      path: ["keys", "administrators"],
      message:
        "is required with deployment.credentials ambient: name the principal that applies log-keys (KMS refuses a key policy that would lock it out) and any other key administrator",
      quoteValue: false,
    });
  }
  return problems;
}

function managementAccountProblems(data: RegistryData): SemanticProblem[] {
  const { deployment, sources } = data;
  const management = deployment.managementAccount;
  const trailStack =
    sources.cloudTrail.enabled && sources.cloudTrail.createTrail && sources.cloudTrail.managementAccountId;
  if (management === undefined) {
    if (!(trailStack || guardrailsEnabled(data)) || deployment.credentials !== "assumeRole") return [];
    return [
      {
        rule: "management-account-credentials",
        path: ["deployment", "managementAccount"],
        message: `is required when ${trailStack ? "the organization trail stack" : "the guardrails stack (log-guardrails)"} is created with deployment.credentials assumeRole: the management account has no OrganizationAccountAccessRole (Organizations creates it only in accounts it creates); name a role you created there, or use ambient credentials`,
        quoteValue: false,
      },
    ];
  }
  if (management.credentials === "assumeRole" && management.roleName === undefined) {
    return [
      {
        rule: "management-account-credentials",
        path: ["deployment", "managementAccount", "roleName"],
        message: "is required when deployment.managementAccount.credentials is assumeRole",
        quoteValue: false,
      },
    ];
  }
  if (management.credentials === "ambient" && management.roleName !== undefined) {
    return [
      {
        rule: "management-account-credentials",
        path: ["deployment", "managementAccount", "roleName"],
        message: "is only used with credentials assumeRole; remove it or set credentials: assumeRole",
      },
    ];
  }
  return [];
}

/**
 * The guardrails: where they are created, what they attach to, who stays
 * exempt. Resource control policies never apply to the management account's
 * resources, so the archive and its keys must be elsewhere.
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 */
function guardrailProblems(data: RegistryData): SemanticProblem[] {
  const { guardrails } = data;
  if (!guardrails.enabled) return [];
  const problems: SemanticProblem[] = [];
  const management = guardrailsManagementAccountId(data);
  const trailManagement = data.sources.cloudTrail.managementAccountId;
  if (management === undefined) {
    problems.push({
      rule: "guardrails-management-account",
      path: ["guardrails", "managementAccountId"],
      message:
        "is required when guardrails.enabled is true (or set sources.cloudTrail.managementAccountId): the policies are created in the management account",
      quoteValue: false,
    });
  } else if (trailManagement !== undefined && management !== trailManagement) {
    problems.push({
      rule: "one-management-account",
      path: ["guardrails", "managementAccountId"],
      message: `expected the organization's one management account, sources.cloudTrail.managementAccountId (${trailManagement})`,
    });
  }
  for (const [account, what] of [
    [data.logArchive.accountId, "logArchive.accountId"],
    [data.keys?.accountId, "keys.accountId"],
  ] as const) {
    if (management !== undefined && account === management) {
      problems.push({
        rule: "guardrails-management-not-archive",
        path: ["guardrails", "managementAccountId"],
        message: `is also ${what}: resource control policies never apply to the management account's resources, so the archive would stay unprotected; keep the archive and its keys in member accounts`,
      });
    }
  }
  // OrganizationGuardrails's rule (its bound is the schema's).
  problems.push(
    ...guardrailRuleProblems(guardrails).map((problem) => ({
      rule: problem.rule,
      path: ["guardrails", ...problem.path],
      message: problem.message,
      quoteValue: problem.value !== undefined,
    })),
  );
  guardrails.targetIds.forEach((id, index) => {
    if (guardrails.targetIds.indexOf(id) !== index) {
      problems.push({
        rule: "duplicate-target",
        path: ["guardrails", "targetIds", index],
        message: "duplicate target",
      });
    }
  });
  if (guardrails.breakGlassRoleName === undefined) {
    problems.push({
      rule: "guardrails-break-glass",
      path: ["guardrails", "breakGlassRoleName"],
      message:
        "is required when guardrails.enabled is true: name the role that may still repair or remove the pipeline in an emergency",
      quoteValue: false,
    });
  }
  if (data.deployment.credentials === "ambient" && guardrails.exemptRoleNames.length === 0) {
    problems.push({
      rule: "guardrails-exempt-with-ambient",
      path: ["guardrails", "exemptRoleNames"],
      message:
        "is required with deployment.credentials ambient: name the roles your runners apply the stacks with, or the guardrails would deny them",
      quoteValue: false,
    });
  }
  return problems;
}

/** Whether an exempt role pattern of the guardrails (`*` any characters) matches a role name. */
function exemptPatternMatches(pattern: string, roleName: string): boolean {
  const name = pattern.includes("/") ? pattern.slice(pattern.lastIndexOf("/") + 1) : pattern;
  const regex = new RegExp(
    `^${name
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
  return regex.test(roleName);
}

/**
 * Terraform Cloud as code: the workspaces and the trust need the cloud
 * backend with a project (the project is part of every token's `sub`) and
 * ambient credentials (the runs' credentials are the dynamic ones).
 * @see https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration
 */
function terraformCloudProblems(data: RegistryData): SemanticProblem[] {
  const { workspaces, access } = data.terraformCloud;
  const problems: SemanticProblem[] = [];
  const { backend, credentials, atlantisMode } = data.deployment;
  for (const [section, settings] of [
    ["workspaces", workspaces],
    ["access", access],
  ] as const) {
    if (!settings.enabled) continue;
    const path = ["terraformCloud", section, "enabled"];
    if (backend.type !== "cloud") {
      problems.push({
        rule: "terraform-cloud-backend",
        path,
        message: `needs deployment.backend type cloud, got type "${backend.type}"`,
        quoteValue: false,
      });
    } else if (backend.project === undefined) {
      problems.push({
        rule: "terraform-cloud-backend",
        path,
        message:
          "needs deployment.backend.project: the project is part of every run's identity token (sub), which the run roles trust",
        quoteValue: false,
      });
    }
    if (credentials !== "ambient") {
      problems.push({
        rule: "terraform-cloud-backend",
        path,
        message: `needs deployment.credentials ambient (the workspaces' dynamic credentials), got "${credentials}"`,
        quoteValue: false,
      });
    }
  }
  if (workspaces.enabled) {
    if (workspaces.executionMode === "agent" && workspaces.agentPoolId === undefined) {
      problems.push({
        rule: "terraform-cloud-agent-pool",
        path: ["terraformCloud", "workspaces", "agentPoolId"],
        message: "is required with executionMode agent",
        quoteValue: false,
      });
    }
    if (workspaces.executionMode !== "agent" && workspaces.agentPoolId !== undefined) {
      problems.push({
        rule: "terraform-cloud-agent-pool",
        path: ["terraformCloud", "workspaces", "agentPoolId"],
        message: `is only used with executionMode agent, got executionMode "${workspaces.executionMode}"`,
        quoteValue: false,
      });
    }
    if (workspaces.executionMode === "local" && access.enabled) {
      // In local mode HCP Terraform keeps only the state: plans and applies
      // run on the CLI's machine with its own credentials, and the dynamic
      // credentials (TFC_AWS_*) log-access and the workspaces set up do nothing.
      // @see https://developer.hashicorp.com/terraform/cloud-docs/workspaces/settings#execution-mode
      problems.push({
        rule: "terraform-cloud-local-without-access",
        path: ["terraformCloud", "workspaces", "executionMode"],
        message:
          'local cannot be used with terraformCloud.access.enabled: local runs execute on your machine with its own AWS credentials, so the run roles and dynamic credentials would do nothing; use "remote" or "agent", or turn access off',
        quoteValue: false,
      });
    }
    if (workspaces.vcs !== undefined) {
      if (atlantisMode !== "committed") {
        problems.push({
          rule: "terraform-cloud-vcs",
          path: ["terraformCloud", "workspaces", "vcs"],
          message:
            "needs deployment.atlantisMode committed: a VCS-driven workspace runs the Terraform committed under cdktf.out/stacks/<stack>, which only the committed mode keeps in the repository",
          quoteValue: false,
        });
      }
      if ((workspaces.vcs.oauthTokenId === undefined) === (workspaces.vcs.githubAppInstallationId === undefined)) {
        problems.push({
          rule: "terraform-cloud-vcs",
          path: ["terraformCloud", "workspaces", "vcs"],
          message: "expected exactly one of oauthTokenId and githubAppInstallationId",
          quoteValue: false,
        });
      }
    }
  }
  if (access.enabled) {
    const management = accessManagementAccountId(data);
    if (management === undefined) {
      problems.push({
        rule: "access-management-account",
        path: ["terraformCloud", "access", "managementAccountId"],
        message:
          "is required when terraformCloud.access.enabled is true (or set guardrails.managementAccountId or sources.cloudTrail.managementAccountId): the StackSet is created in the management account",
        quoteValue: false,
      });
    }
    for (const [other, what] of [
      [data.sources.cloudTrail.managementAccountId, "sources.cloudTrail.managementAccountId"],
      [data.guardrails.managementAccountId, "guardrails.managementAccountId"],
    ] as const) {
      if (management !== undefined && other !== undefined && other !== management) {
        problems.push({
          rule: "one-management-account",
          path: ["terraformCloud", "access", "managementAccountId"],
          message: `expected the organization's one management account, ${what} (${other})`,
        });
      }
    }
    if (access.targetIds.length === 0) {
      problems.push({
        rule: "access-targets",
        path: ["terraformCloud", "access", "targetIds"],
        message:
          "expected at least one root or OU id when terraformCloud.access.enabled is true: the OUs that hold the log-archive, key and source accounts",
        quoteValue: false,
      });
    }
    access.targetIds.forEach((id, index) => {
      if (access.targetIds.indexOf(id) !== index) {
        problems.push({
          rule: "duplicate-target",
          path: ["terraformCloud", "access", "targetIds", index],
          message: "duplicate target",
        });
      }
    });
    if (guardrailsEnabled(data)) {
      const roles = Object.values(runRoleNames(data.naming.prefix, access.runRoleName)).flatMap((role) => [
        role,
        planRoleName(role),
      ]);
      const denied = roles.filter(
        (role) => !data.guardrails.exemptRoleNames.some((pattern) => exemptPatternMatches(pattern, role)),
      );
      if (denied.length > 0) {
        problems.push({
          rule: "guardrails-exempt-run-roles",
          path: ["guardrails", "exemptRoleNames"],
          message: `must exempt the Terraform Cloud run roles, or the guardrails deny the runs that apply the stacks: add ${roles[0]}* (missing ${denied.join(", ")})`,
          quoteValue: false,
        });
      }
    }
  }
  return problems;
}

/** The role Organizations creates in the accounts it creates: a StackSet creating it there fails. */
const ORGANIZATIONS_ROLE = "OrganizationAccountAccessRole";

/**
 * Atlantis's deployment roles (atlantis.access): the StackSet creates
 * deployment.roleName, which every stack's provider assumes (assumeRole), in
 * every target account. CloudFormation creates a named role and fails where
 * one of that name exists, so the role must be one of its own, not the
 * OrganizationAccountAccessRole that Organizations put in the accounts it created.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (EntityAlreadyExists)
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_create-cross-account-role.html
 */
function atlantisAccessProblems(data: RegistryData): SemanticProblem[] {
  const { access } = data.atlantis;
  if (!access.enabled) return [];
  const problems: SemanticProblem[] = [];
  const path = ["atlantis", "access"];
  if (data.deployment.credentials !== "assumeRole") {
    problems.push({
      rule: "atlantis-access",
      path: [...path, "enabled"],
      message: `needs deployment.credentials assumeRole (each stack's provider assumes the role the StackSet creates), got "${data.deployment.credentials}"`,
      quoteValue: false,
    });
  }
  if (data.deployment.roleName === ORGANIZATIONS_ROLE) {
    problems.push({
      rule: "atlantis-access",
      path: ["deployment", "roleName"],
      message: `expected a role of its own with atlantis.access.enabled, such as ${data.naming.prefix}-atlantis: Organizations already created ${ORGANIZATIONS_ROLE} in the accounts it created, and the StackSet fails to create a role that exists`,
      quoteValue: false,
    });
  }
  if (access.principalArns.length === 0) {
    problems.push({
      rule: "atlantis-access",
      path: [...path, "principalArns"],
      message:
        "expected at least one IAM role ARN when atlantis.access.enabled is true: the roles the Atlantis server runs Terraform with",
      quoteValue: false,
    });
  }
  access.principalArns.forEach((arn, index) => {
    if (access.principalArns.indexOf(arn) !== index) {
      problems.push({
        rule: "duplicate-principal",
        path: [...path, "principalArns", index],
        message: "duplicate principal",
      });
    }
  });
  if (access.targetIds.length === 0) {
    problems.push({
      rule: "access-targets",
      path: [...path, "targetIds"],
      message:
        "expected at least one root or OU id when atlantis.access.enabled is true: the OUs that hold the log-archive, key and source accounts",
      quoteValue: false,
    });
  }
  access.targetIds.forEach((id, index) => {
    if (access.targetIds.indexOf(id) !== index) {
      problems.push({ rule: "duplicate-target", path: [...path, "targetIds", index], message: "duplicate target" });
    }
  });
  const management = accessManagementAccountId(data);
  if (management === undefined) {
    problems.push({
      rule: "access-management-account",
      path: [...path, "managementAccountId"],
      message:
        "is required when atlantis.access.enabled is true (or set guardrails.managementAccountId or sources.cloudTrail.managementAccountId): the StackSet is created in the management account",
      quoteValue: false,
    });
  }
  for (const [other, what] of [
    [data.terraformCloud.access.managementAccountId, "terraformCloud.access.managementAccountId"],
    [data.sources.cloudTrail.managementAccountId, "sources.cloudTrail.managementAccountId"],
    [data.guardrails.managementAccountId, "guardrails.managementAccountId"],
  ] as const) {
    if (access.managementAccountId !== undefined && other !== undefined && other !== access.managementAccountId) {
      problems.push({
        rule: "one-management-account",
        path: [...path, "managementAccountId"],
        message: `expected the organization's one management account, ${what} (${other})`,
      });
    }
  }
  return problems;
}

/** Direct S3 sources, GuardDuty and flow logs: what each needs from the rest of the registry. */
function sourceProblems(data: RegistryData): SemanticProblem[] {
  const problems: SemanticProblem[] = [
    ...centralProblems(data),
    ...managementAccountProblems(data),
    ...deliveryWatchProblems(data),
    ...keyAccountProblems(data),
    ...searchProblems(data),
    ...guardrailProblems(data),
    ...siemTrustProblems(data),
  ];
  const { cloudTrail, vpcFlowLogs, guardDuty } = data.sources;
  if (cloudTrail.enabled && cloudTrail.managementAccountId === undefined) {
    problems.push({
      rule: "trail-management-account",
      path: ["sources", "cloudTrail", "managementAccountId"],
      message:
        "is required when sources.cloudTrail.enabled is true: the organization trail belongs to the management account",
      quoteValue: false,
    });
  }
  const known = new Set(data.accounts.map((a) => a.id));
  const retired = new Set(data.accounts.filter((a) => a.retired).map((a) => a.id));
  guardDuty.accounts.forEach((id, index) => {
    if (!known.has(id)) {
      problems.push({
        rule: "guardduty-account-known",
        path: ["sources", "guardDuty", "accounts", index],
        message: "is not an account of the registry",
      });
    } else if (retired.has(id)) {
      // A retired account's stacks are empty: no rule would forward its findings.
      problems.push({
        rule: "guardduty-account-known",
        path: ["sources", "guardDuty", "accounts", index],
        message: "is a retired account, which has no pipeline to carry its findings: remove it here",
      });
    }
  });
  data.accounts.forEach((account, index) => {
    const seen = new Set<string>();
    (account.vpcFlowLogs ?? []).forEach((flow, flowIndex) => {
      const path = ["accounts", index, "vpcFlowLogs", flowIndex] as const;
      if (!vpcFlowLogs.enabled) {
        problems.push({
          rule: "vpc-flow-logs-admitted",
          path: [...path, "vpcId"],
          message: "needs sources.vpcFlowLogs.enabled: true, which admits flow logs into the archive",
        });
      }
      if (!account.regions.includes(flow.region)) {
        problems.push({
          rule: "vpc-region-of-account",
          path: [...path, "region"],
          message: `expected one of the account's Regions (${account.regions.join(", ")})`,
        });
      }
      if (seen.has(flow.vpcId))
        problems.push({ rule: "duplicate-vpc", path: [...path, "vpcId"], message: "duplicate VPC" });
      seen.add(flow.vpcId);
    });
  });
  return problems;
}

/**
 * The reader role's trust against the confused deputy. A vendor outside the
 * organization assumes it with an ExternalId, which AWS says must be unique
 * per customer and generated by the vendor, not chosen by the customer; the
 * default (the organization id) is neither, and is known to whoever sees an
 * ARN of the organization, so a principal of an account the registry does not
 * know needs an explicit siem.externalId other than the organization id.
 * Principals inside the organization may omit the ExternalId (the trust's
 * aws:PrincipalOrgID statement), so an account root of a member account would
 * hand the role to every principal there allowed sts:AssumeRole: refused.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
 */
function siemTrustProblems(data: RegistryData): SemanticProblem[] {
  const principals = data.siem.readerPrincipals ?? [];
  const members = new Set(
    [
      data.logArchive.accountId,
      ...data.accounts.map((a) => a.id),
      data.keys?.accountId,
      data.sources.cloudTrail.managementAccountId,
      guardrailsManagementAccountId(data),
    ].filter((id): id is string => id !== undefined),
  );
  const problems: SemanticProblem[] = [];
  const outsiders: string[] = [];
  principals.forEach((principal, index) => {
    const [, , , , account, resource] = principal.split(":");
    if (account === undefined) return;
    if (!members.has(account)) outsiders.push(principal);
    else if (resource === "root" && account !== data.logArchive.accountId) {
      problems.push({
        rule: "siem-reader-not-member-root",
        path: ["siem", "readerPrincipals", index],
        message: `is the root of ${account}, an account of this organization: inside the organization the reader role needs no ExternalId, so every principal of that account allowed sts:AssumeRole could assume it; name the SIEM's own role or user instead`,
      });
    }
  });
  if (outsiders.length === 0) return problems;
  const externalId = data.siem.externalId;
  if (externalId === undefined || externalId === data.organization.id) {
    problems.push({
      rule: "siem-external-id-outside",
      path: ["siem", "externalId"],
      message: `${externalId === undefined ? "is required" : "must not be the organization id"} when siem.readerPrincipals names a principal of an account outside this registry (${outsiders.join(", ")}): set the ExternalId your SIEM vendor generated for you (unique to you; the organization id is guessable), and configure the same in the SIEM. An account of your organization that the registry does not list counts as outside: its principal can use the ExternalId too`,
    });
  }
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
