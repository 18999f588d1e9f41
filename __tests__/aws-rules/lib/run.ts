/**
 * Running rules over the corpus: every stack of every corpus registry, and, for
 * account-scoped rules, one merged view per registry and AWS account.
 */
import { corpusStacks, type CorpusStack } from "../../helpers/corpus";
import type { TfJson } from "../../helpers/synth";
import { evaluate, type Rule } from "./rule";
import { regionOf, stackAccount, stackRegion } from "./tf";

export interface Target {
  readonly registry: string;
  /** The stack name, or `account <id>` for an account view. */
  readonly label: string;
  readonly json: TfJson;
}

/**
 * Every stack of a registry that deploys into one account, as one TfJson.
 * Resource names become `<stack>/<name>` (references and depends_on rewritten
 * to match) and every resource carries its Region explicitly, so a rule sees
 * what coexists in the account and Region whichever stack creates it.
 */
export function mergeAccount(stacks: readonly { stack: string; json: TfJson }[]): TfJson {
  const resource: Record<string, Record<string, any>> = {};
  for (const { stack, json } of stacks) {
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      for (const [name, config] of Object.entries(byName)) {
        const rewritten = JSON.parse(
          JSON.stringify(config).replace(/(?<!\$)\$\{([A-Za-z0-9_]+)\.([A-Za-z0-9_-]+)\./g, `\${$1.${stack}/$2.`),
        );
        if (Array.isArray(rewritten.depends_on)) {
          rewritten.depends_on = rewritten.depends_on.map((d: string) => d.replace(/^([^.]+)\./, `$1.${stack}/`));
        }
        rewritten.region = regionOf(json, config);
        (resource[type] ??= {})[`${stack}/${name}`] = rewritten;
      }
    }
  }
  const head = stacks[0]!.json;
  return {
    terraform: {},
    provider: { aws: [{ region: stackRegion(head), allowed_account_ids: [stackAccount(head)] }] },
    resource,
  };
}

export function accountViews(stacks: readonly CorpusStack[]): Target[] {
  const groups = new Map<string, CorpusStack[]>();
  for (const s of stacks) {
    const key = `${s.registry}\u0000${stackAccount(s.json) ?? s.stack}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()].map((group) => ({
    registry: group[0]!.registry,
    label: `account ${stackAccount(group[0]!.json)} (${group.map((s) => s.stack).join(", ")})`,
    json: mergeAccount(group),
  }));
}

/**
 * Every stack of a registry merged, like an account view, and also its data
 * sources (renamed the same way) and, per resource, the account of its stack
 * (`account`), so that a reference by ARN across accounts can be followed.
 */
export function mergeRegistry(stacks: readonly { stack: string; json: TfJson }[]): TfJson {
  const merged = mergeAccount(stacks);
  const data: Record<string, Record<string, any>> = {};
  for (const { stack, json } of stacks) {
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      for (const name of Object.keys(byName)) merged.resource[type][`${stack}/${name}`].account = stackAccount(json);
    }
    for (const [type, byName] of Object.entries(json.data ?? {})) {
      for (const [name, config] of Object.entries(byName)) {
        (data[type] ??= {})[`${stack}/${name}`] = { ...config, region: regionOf(json, config), account: stackAccount(json) };
      }
    }
  }
  // mergeAccount renamed ${data.<type>.<name>. into ${data.<stack>/<type>.<name>.: put the stack on the name,
  // like every other reference: ${data.<type>.<stack>/<name>.<attr>}.
  const text = JSON.stringify(merged.resource).replace(
    /\$\{data\.([A-Za-z0-9_-]+)\/([a-z0-9_]+)\.([A-Za-z0-9_-]+)\./g,
    "${data.$2.$1/$3.",
  );
  return { ...merged, resource: JSON.parse(text), data };
}

export function registryViews(stacks: readonly CorpusStack[]): Target[] {
  const groups = new Map<string, CorpusStack[]>();
  for (const s of stacks) groups.set(s.registry, [...(groups.get(s.registry) ?? []), s]);
  return [...groups.values()].map((group) => ({
    registry: group[0]!.registry,
    label: `registry (${group.length} stacks)`,
    json: mergeRegistry(group),
  }));
}

let views: Target[] | undefined;
let registries: Target[] | undefined;

/** What a rule of this scope runs over in the corpus (synthesised once per test file). */
export function corpusTargets(rule: Rule): Target[] {
  const stacks = corpusStacks();
  if (rule.scope === "account") return (views ??= accountViews(stacks));
  if (rule.scope === "registry") return (registries ??= registryViews(stacks));
  return stacks.map((s) => ({ registry: s.registry, label: s.stack, json: s.json }));
}

export interface CorpusRun {
  /** Number of stacks (or account views) the rule applied to. */
  readonly applied: number;
  readonly targets: number;
  /** One line per finding: registry, stack, resource address, message, rule id and source. */
  readonly failures: string[];
}

export function runOverCorpus(rule: Rule): CorpusRun {
  const targets = corpusTargets(rule);
  let applied = 0;
  const failures: string[] = [];
  for (const t of targets) {
    const { state, findings } = evaluate(rule, t.json);
    if (state !== "not-applicable") applied += 1;
    for (const f of findings) {
      failures.push(`${t.registry} ${t.label} ${f.address}: ${f.message} [${rule.id}, see ${rule.source}]`);
    }
  }
  return { applied, targets: targets.length, failures };
}
