/**
 * Checks that span several fields, which a schema cannot express: duplicates,
 * combinations AWS cannot serve, and loops the pipeline must never create.
 *
 * Duplicate checks run on the raw document, so they are reported together
 * with schema errors; the others need the typed data and run once the schema
 * is satisfied.
 */
import { formatPath, type PathSegment } from "./errors";
import { heartbeatLogGroup, pipelineLogGroups } from "../naming/names";
import type { RegistryData } from "./schema";
import { excludedLogGroups, SELECTION_CRITERIA_MAX_BYTES, selectionCriteria, sourceSettings } from "./settings";

export interface SemanticProblem {
  readonly path: readonly PathSegment[];
  readonly message: string;
  /** False when quoting the value at `path` would not help (e.g. a whole list). */
  readonly quoteValue?: boolean;
}

/** Lifecycle classes that must stay 30 days in place before the next transition. */
const THIRTY_DAY_CLASSES = new Set(["STANDARD_IA", "ONEZONE_IA"]);
/** The S3 lifecycle waterfall: a transition may only go to a later class. */
const CLASS_ORDER: Record<string, number> = {
  STANDARD_IA: 1,
  INTELLIGENT_TIERING: 1,
  ONEZONE_IA: 2,
  GLACIER_IR: 3,
  GLACIER: 4,
  DEEP_ARCHIVE: 5,
};

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
          path: ["accounts", index, "id"],
          message: `duplicate account id (also ${refer(["accounts", first, "id"])})`,
        });
    }
    if (typeof account.name === "string") {
      const first = firstName.get(account.name);
      if (first === undefined) firstName.set(account.name, index);
      else
        problems.push({
          path: ["accounts", index, "name"],
          message: `duplicate account name (also ${refer(["accounts", first, "name"])})`,
        });
    }
    problems.push(...duplicatesIn(account.regions, ["accounts", index, "regions"], "Region"));
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

function duplicatesIn(list: unknown, path: readonly PathSegment[], what: string): SemanticProblem[] {
  if (!Array.isArray(list)) return [];
  const first = new Map<unknown, number>();
  const problems: SemanticProblem[] = [];
  list.forEach((item, index) => {
    if (typeof item !== "string") return;
    const at = first.get(item);
    if (at === undefined) first.set(item, index);
    else problems.push({ path: [...path, index], message: `duplicate ${what} (also ${formatIndex(path, at)})` });
  });
  return problems;
}

function duplicateLogGroups(list: unknown, path: readonly PathSegment[]): SemanticProblem[] {
  if (!Array.isArray(list)) return [];
  const names = list.map((entry) => (isRecord(entry) ? entry.name : undefined));
  return duplicatesIn(names, path, "log group").map((p) => ({ ...p, path: [...p.path, "name"] }));
}

function formatIndex(path: readonly PathSegment[], index: number): string {
  return `${path[path.length - 1]}[${index}]`;
}

function dataProblems(data: RegistryData): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const { archive } = data;

  if (archive.replicaRegion !== undefined && archive.replicaRegion === data.logArchive.region) {
    problems.push({
      path: ["archive", "replicaRegion"],
      message:
        "expected a Region other than logArchive.region (a replica in the same Region does not survive a regional outage)",
    });
  }
  if (archive.replicationTimeControl && archive.replicaRegion === undefined) {
    problems.push({
      path: ["archive", "replicationTimeControl"],
      message: "needs archive.replicaRegion: replication time control applies to a replication rule",
    });
  }

  let previous: { storageClass: string; days: number } | undefined;
  archive.transitions.forEach((transition, index) => {
    const path = ["archive", "transitions", index] as const;
    if (THIRTY_DAY_CLASSES.has(transition.storageClass) && transition.days < 30) {
      problems.push({
        path: [...path, "days"],
        message: `expected at least 30 days: S3 does not transition to ${transition.storageClass} earlier`,
      });
    }
    if (transition.days >= archive.retentionDays) {
      problems.push({
        path: [...path, "days"],
        message: `expected fewer days than archive.retentionDays (${archive.retentionDays}): objects expire before this transition`,
      });
    }
    if (previous) {
      if (transition.days <= previous.days) {
        problems.push({
          path: [...path, "days"],
          message: `expected more days than the previous transition (${previous.days})`,
        });
      } else if (THIRTY_DAY_CLASSES.has(previous.storageClass) && transition.days - previous.days < 30) {
        problems.push({
          path: [...path, "days"],
          message: `expected at least 30 days after the transition to ${previous.storageClass} (${previous.days}): S3 requires it`,
        });
      }
      if (CLASS_ORDER[transition.storageClass]! <= CLASS_ORDER[previous.storageClass]!) {
        problems.push({
          path: [...path, "storageClass"],
          message: `expected a colder storage class than ${previous.storageClass}: lifecycle transitions only go down the S3 waterfall`,
        });
      }
    }
    previous = transition;
  });

  if (archive.objectLock && archive.objectLock.days > archive.retentionDays) {
    problems.push({
      path: ["archive", "objectLock", "days"],
      message: `expected at most archive.retentionDays (${archive.retentionDays}): lifecycle expiry cannot remove a locked version, so the two must agree`,
    });
  }

  data.accounts.forEach((account, index) => {
    const settings = sourceSettings(data, account);
    const { subscription } = settings;
    const at = (key: string): PathSegment[] =>
      account.subscription?.[key as keyof typeof account.subscription] !== undefined
        ? ["accounts", index, "subscription", key]
        : ["defaults", "subscription", key];
    const heartbeat = heartbeatLogGroup(data.naming.prefix);
    if (data.monitoring.heartbeat.enabled) {
      const key = subscription.mode === "listed" ? "logGroups" : "excludeLogGroups";
      const names =
        subscription.mode === "listed" ? subscription.logGroups.map((g) => g.name) : subscription.excludeLogGroups;
      const at2 = names.indexOf(heartbeat);
      if (at2 !== -1) {
        problems.push({
          path: [...at(key), at2, ...(key === "logGroups" ? ["name"] : [])],
          message:
            subscription.mode === "listed"
              ? "is the heartbeat log group, which is subscribed automatically; remove it here"
              : "is the heartbeat log group: excluding it would silence the pipeline's health check (switch monitoring.heartbeat off instead)",
        });
      }
    }
    if (subscription.mode === "listed") {
      if (subscription.logGroups.length === 0) {
        problems.push({
          path: ["accounts", index, "subscription", "logGroups"],
          message: 'expected at least one log group: mode "listed" subscribes only the log groups listed here',
          quoteValue: false,
        });
      }
      for (const region of account.regions) {
        const own = new Set(pipelineLogGroups(data.naming.prefix, account.id, region));
        subscription.logGroups.forEach((group, groupIndex) => {
          if (own.has(group.name)) {
            problems.push({
              path: [...at("logGroups"), groupIndex, "name"],
              message: `is the pipeline's own log group in ${region}: subscribing it would loop forever`,
            });
          }
        });
      }
    } else {
      for (const region of account.regions) {
        const criteria = selectionCriteria(excludedLogGroups(data.naming.prefix, account.id, region, subscription));
        const bytes = Buffer.byteLength(criteria, "utf8");
        if (bytes > SELECTION_CRITERIA_MAX_BYTES) {
          problems.push({
            path: at("excludeLogGroups"),
            message: `makes the account-level selection criteria ${bytes} bytes in ${region}; CloudWatch Logs accepts at most ${SELECTION_CRITERIA_MAX_BYTES} (use fewer, or mode "listed")`,
            quoteValue: false,
          });
          break;
        }
      }
    }
  });
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
