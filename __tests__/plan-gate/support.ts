/**
 * Reads the plan gate (security/plan-gate) for jest: its protected types and
 * rules straight from the Rego source (where they are kept once, as JSON
 * literals), its fixtures and their expected outcomes, and, when an OPA
 * binary is at hand, what the gate decides on plans.
 *
 * The authoritative run of the Rego is `npm run gate:test` (`opa test`); jest
 * checks structure always and decisions only where OPA is present, so the
 * suite needs neither network nor Go.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { ACKNOWLEDGEMENTS_OUTPUT } from "../../modules/options/values";

export const GATE_DIR = "security/plan-gate";
export const POLICY_DIR = `${GATE_DIR}/policy`;
export const FIXTURES_DIR = `${GATE_DIR}/fixtures`;
export const EXPECTED_FILE = `${GATE_DIR}/test/expected.json`;
export const SCENARIOS_TEST_FILE = `${GATE_DIR}/test/scenarios_test.rego`;
/** Where `npm run gate:test` builds OPA (scripts/plan-gate.mjs). */
export const TOOLS_OPA = ".tools/bin/opa";

/** The output through which a stack acknowledges migrations (planned_values.outputs.<name>.value). */
export const ACKNOWLEDGEMENT_OUTPUT = ACKNOWLEDGEMENTS_OUTPUT;

export interface GateRule {
  /** The acknowledgement that allows what the rule finds, or null when nothing may. */
  readonly token: string | null;
  /** Anchor of docs/day-two.md that the denial points to. */
  readonly section: string;
  readonly summary: string;
  /** Why no acknowledgement exists, for a rule without token. */
  readonly why_no_token: string | null;
}

export interface Scenario {
  /** What the fixture plans, in the registry's terms. */
  readonly what: string;
  /** Rule ids the gate denies, sorted. */
  readonly deny: readonly string[];
  /** Advisory ids the gate warns about, sorted. */
  readonly warn: readonly string[];
}

/** A Terraform plan JSON, loosely typed: the fixture checks say what must be there. */
export type PlanJson = Record<string, any>;

/**
 * The value of `name := <literal>` in a Rego file, where the literal is JSON
 * but for Rego's (and `opa fmt`'s) trailing commas.
 */
export function readRegoLiteral(file: string, name: string): unknown {
  const text = readFileSync(file, "utf8");
  const head = new RegExp(`^${name} := (?=[[{])`, "m").exec(text);
  if (!head) throw new Error(`${file}: no \`${name} := [...]\` or \`${name} := {...}\` at the start of a line`);
  const start = head.index + head[0].length;
  let json = "";
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      json += c;
      if (c === "\\") json += text[++i] ?? "";
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") depth--;
    else if (c === "#") throw new Error(`${file}: ${name}: a comment inside the literal cannot be read as JSON`);
    else if (c === "," && /^\s*[\]}]/.test(text.slice(i + 1))) continue;
    json += c;
    if (depth === 0) {
      try {
        return JSON.parse(json);
      } catch (error) {
        throw new Error(`${file}: ${name}: not a JSON literal: ${(error as Error).message}`);
      }
    }
  }
  throw new Error(`${file}: ${name}: the literal is not closed`);
}

/**
 * The resource types the gate protects (delete always denied, forget only when
 * acknowledged): the types the product marks prevent_destroy.
 */
export function protectedTypes(): string[] {
  const list = readRegoLiteral(`${POLICY_DIR}/protected_types.rego`, "protected_type_list");
  if (!Array.isArray(list) || !list.every((t) => typeof t === "string")) {
    throw new Error(`${POLICY_DIR}/protected_types.rego: protected_type_list: expected an array of strings`);
  }
  return list as string[];
}

/** The gate's rules by id (policy/rules.rego). */
export function gateRules(): Record<string, GateRule> {
  return readRegoLiteral(`${POLICY_DIR}/rules.rego`, "rules") as Record<string, GateRule>;
}

/** The closed set of acknowledgement tokens: every rule's non-null token, sorted. */
export function acknowledgementTokens(): string[] {
  const tokens = Object.values(gateRules()).flatMap((r) => (r.token === null ? [] : [r.token]));
  return [...new Set(tokens)].sort();
}

/** Ids of the advisories (warnings) the gate can give (policy/gate.rego). */
export function advisoryIds(): string[] {
  const text = readFileSync(`${POLICY_DIR}/gate.rego`, "utf8");
  return [...text.matchAll(/^advisories contains \{"rule": "([a-z-]+)"/gm)].map((m) => m[1]!).sort();
}

/** Scenario names: one folder per fixture, holding plan.json. */
export function fixtureNames(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((name) => statSync(join(FIXTURES_DIR, name)).isDirectory())
    .sort();
}

export function readFixture(name: string): PlanJson {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, name, "plan.json"), "utf8")) as PlanJson;
}

export function scenarios(): Record<string, Scenario> {
  return (JSON.parse(readFileSync(EXPECTED_FILE, "utf8")) as { scenarios: Record<string, Scenario> }).scenarios;
}

/** The acknowledgements a plan carries, as the gate reads them. */
export function acknowledgementsOf(plan: PlanJson): string[] {
  const value = plan.planned_values?.outputs?.[ACKNOWLEDGEMENT_OUTPUT]?.value;
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === "string") : [];
}

/** An OPA binary to evaluate with: $OPA, else the one `npm run gate:test` built; undefined when neither runs. */
export function opaBinary(): string | undefined {
  const candidate = process.env.OPA ?? resolve(TOOLS_OPA);
  try {
    accessSync(candidate, constants.X_OK);
  } catch {
    return undefined;
  }
  return spawnSync(candidate, ["version"]).status === 0 ? candidate : undefined;
}

export interface Decision {
  readonly deny: string[];
  readonly warn: string[];
}

/**
 * What the gate decides on each plan, in one `opa eval` (no files written).
 * `entry` "main" gives the plan as conftest does; "hcp" wraps it as HCP
 * Terraform does ({"plan": ..., "run": ...}) and asks the HCP package.
 */
export function evaluate(
  opa: string,
  plans: Record<string, PlanJson>,
  entry: "main" | "hcp",
): Record<string, Decision> {
  const [pkg, given] =
    entry === "main" ? ["data.main", "plan"] : ["data.terraform.policies.cwl_plan_gate", '{"plan": plan, "run": {}}'];
  const query =
    `decisions := {name: decision | some name, plan in input; given := ${given}; ` +
    `d := ${pkg}.deny with input as given; w := ${pkg}.warn with input as given; decision := {"deny": d, "warn": w}}`;
  const result = spawnSync(opa, ["eval", "--format", "json", "--data", POLICY_DIR, "--stdin-input", query], {
    input: JSON.stringify(plans),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`opa eval failed: ${result.stderr}`);
  const decisions = JSON.parse(result.stdout).result[0].bindings.decisions as Record<string, Decision>;
  return Object.fromEntries(
    Object.entries(decisions).map(([name, d]) => [name, { deny: [...d.deny].sort(), warn: [...d.warn].sort() }]),
  );
}

/** The rule or advisory id a message starts with: `[cwl-plan-gate <id>] ...`. */
export function idOf(message: string): string {
  const match = /^\[cwl-plan-gate ([a-z-]+)\] /.exec(message);
  if (!match) throw new Error(`not a plan gate message: ${message}`);
  return match[1]!;
}
