/**
 * The plan gate's fixtures and its coverage, without OPA: every fixture is a
 * plan JSON of Terraform's documented shape, every rule has a fixture that
 * triggers it, and every acknowledgement token a fixture that passes because
 * of it. Where an OPA binary is present ($OPA, or the one `npm run gate:test`
 * builds), the gate's decisions on every fixture are checked too, through
 * the conftest entry point and the HCP Terraform one.
 * @see https://developer.hashicorp.com/terraform/internals/json-format
 */
import { readFileSync } from "node:fs";
import { MIGRATION_ACKNOWLEDGEMENTS } from "../../modules/options/values";
import {
  ACKNOWLEDGEMENT_OUTPUT,
  SCENARIOS_TEST_FILE,
  acknowledgementTokens,
  acknowledgementsOf,
  advisoryIds,
  evaluate,
  fixtureNames,
  gateRules,
  idOf,
  opaBinary,
  protectedTypes,
  readFixture,
  readRegoLiteral,
  scenarios,
  type PlanJson,
} from "./support";

/** The sections of docs/day-two.md a denial may point to. */
const DAY_TWO_SECTIONS = [
  "keys",
  "object-lock",
  "protected-resources",
  "repointing-delivery",
  "retention",
  "subscription-policy",
  "versioning",
];

/**
 * Every actions list Terraform's plan JSON may hold.
 * @see https://github.com/hashicorp/terraform/blob/main/internal/command/jsonplan/plan.go
 */
const ACTIONS = [
  ["no-op"],
  ["create"],
  ["read"],
  ["update"],
  ["delete", "create"],
  ["create", "delete"],
  ["delete"],
  ["forget"],
  ["create", "forget"],
].map((a) => a.join(","));

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Everything that makes `plan` differ from what `terraform show -json <planfile>` prints, one line each. */
function planShapeProblems(plan: PlanJson): string[] {
  const problems: string[] = [];
  if (typeof plan.format_version !== "string" || !/^1\.\d+$/.test(plan.format_version)) {
    problems.push(`format_version: expected "1.<minor>", got ${JSON.stringify(plan.format_version)}`);
  }
  if (typeof plan.terraform_version !== "string") problems.push("terraform_version: expected a string");
  if (!isObject(plan.planned_values?.outputs)) problems.push("planned_values.outputs: expected an object");
  if (!Array.isArray(plan.planned_values?.root_module?.resources)) {
    problems.push("planned_values.root_module.resources: expected an array");
  }
  if (!isObject(plan.output_changes)) problems.push("output_changes: expected an object");
  if (!isObject(plan.configuration?.root_module)) problems.push("configuration.root_module: expected an object");
  if (!Array.isArray(plan.resource_changes)) return [...problems, "resource_changes: expected an array"];
  const planned = new Set<string>((plan.planned_values?.root_module?.resources ?? []).map((r: PlanJson) => r.address));
  const configured = new Set<string>(
    (plan.configuration?.root_module?.resources ?? []).map((r: PlanJson) => r.address),
  );
  const seen = new Set<string>();
  plan.resource_changes.forEach((rc: PlanJson, i: number) => {
    const at = `resource_changes[${i}]`;
    for (const key of ["address", "type", "name", "provider_name"]) {
      if (typeof rc[key] !== "string") problems.push(`${at}.${key}: expected a string`);
    }
    if (rc.address !== `${rc.type}.${rc.name}`) problems.push(`${at}.address: expected "${rc.type}.${rc.name}"`);
    if (seen.has(rc.address)) problems.push(`${at}.address: ${rc.address} appears twice`);
    seen.add(rc.address);
    if (!["managed", "data"].includes(rc.mode)) problems.push(`${at}.mode: expected managed or data`);
    const change = rc.change ?? {};
    const actions = Array.isArray(change.actions) ? change.actions.join(",") : String(change.actions);
    if (!ACTIONS.includes(actions)) problems.push(`${at}.change.actions: [${actions}] is not a Terraform action list`);
    const creates = actions === "create";
    const removes = actions === "delete" || actions === "forget";
    if (creates ? change.before !== null : !isObject(change.before)) {
      problems.push(`${at}.change.before: expected ${creates ? "null for a create" : "an object"}`);
    }
    if (removes ? change.after !== null : !isObject(change.after)) {
      problems.push(`${at}.change.after: expected ${removes ? "null for a delete or forget" : "an object"}`);
    }
    if (!isObject(change.after_unknown)) problems.push(`${at}.change.after_unknown: expected an object`);
    for (const [key, value] of [
      ["before_sensitive", change.before],
      ["after_sensitive", change.after],
    ] as const) {
      const expected = value === null ? false : {};
      if (value === null ? change[key] !== false : !isObject(change[key])) {
        problems.push(`${at}.change.${key}: expected ${JSON.stringify(expected)}`);
      }
    }
    if (change.replace_paths !== undefined && !actions.includes("delete,") && !actions.includes(",delete")) {
      problems.push(`${at}.change.replace_paths: only a replacement has replace_paths`);
    }
    if (rc.action_reason !== undefined && typeof rc.action_reason !== "string") {
      problems.push(`${at}.action_reason: expected a string`);
    }
    // What remains after the plan is in planned_values and in the configuration; what goes is in neither.
    const remains = change.after !== null;
    if (planned.has(rc.address) !== remains) {
      problems.push(`${at}: ${rc.address} ${remains ? "missing from" : "must not be in"} planned_values`);
    }
    if (configured.has(rc.address) !== remains) {
      problems.push(`${at}: ${rc.address} ${remains ? "missing from" : "must not be in"} configuration`);
    }
  });
  for (const address of planned) {
    if (!seen.has(address)) problems.push(`planned_values: ${address} has no resource change`);
  }
  const output = plan.planned_values?.outputs?.[ACKNOWLEDGEMENT_OUTPUT];
  if (output !== undefined) {
    const change = plan.output_changes?.[ACKNOWLEDGEMENT_OUTPUT];
    if (!change) problems.push(`output_changes.${ACKNOWLEDGEMENT_OUTPUT}: missing`);
    else if ("value" in output && JSON.stringify(change.after) !== JSON.stringify(output.value)) {
      problems.push(`output_changes.${ACKNOWLEDGEMENT_OUTPUT}.after: differs from planned_values`);
    } else if (!("value" in output) && change.after_unknown !== true) {
      problems.push(
        `output_changes.${ACKNOWLEDGEMENT_OUTPUT}.after_unknown: expected true for a value known after apply`,
      );
    }
    if (!plan.configuration?.root_module?.outputs?.[ACKNOWLEDGEMENT_OUTPUT]) {
      problems.push(`configuration.root_module.outputs.${ACKNOWLEDGEMENT_OUTPUT}: missing`);
    }
  }
  return problems;
}

const names = fixtureNames();
const expected = scenarios();
const rules = gateRules();
const plans: Record<string, PlanJson> = Object.fromEntries(names.map((name) => [name, readFixture(name)]));

describe("the gate's rules and protected types", () => {
  test("protected types: sorted, unique AWS resource types", () => {
    const types = protectedTypes();
    expect(types.length).toBeGreaterThan(0);
    expect(types).toEqual([...new Set(types)].sort());
    for (const type of types) expect(type).toMatch(/^aws_[a-z0-9_]+$/);
  });

  test("the acknowledgement tokens are exactly what the registry's migrations may allow", () => {
    expect(acknowledgementTokens()).toEqual([...MIGRATION_ACKNOWLEDGEMENTS].sort());
  });

  test("the gate reads the output every stack writes", () => {
    expect(readFileSync("security/plan-gate/policy/gate.rego", "utf8")).toContain(
      `acknowledgement_output := input.planned_values.outputs.${ACKNOWLEDGEMENT_OUTPUT}\n`,
    );
  });

  test.each(Object.entries(rules))("rule %s points to a day-two section and says why it has no token", (_id, rule) => {
    expect(DAY_TWO_SECTIONS).toContain(rule.section);
    expect(rule.summary).toEqual(expect.any(String));
    if (rule.token === null) expect(rule.why_no_token).toEqual(expect.any(String));
    else expect(rule.why_no_token).toBeNull();
  });

  test("fails on a literal that is not JSON, naming the file and the constant", () => {
    expect(() => readRegoLiteral("security/plan-gate/policy/gate.rego", "deny")).toThrow(
      "security/plan-gate/policy/gate.rego: no `deny := [...]`",
    );
  });
});

describe("the fixtures", () => {
  test("one fixture per expected scenario, and the other way round", () => {
    expect(names).toEqual(Object.keys(expected).sort());
  });

  test.each(names)("%s is a plan JSON as Terraform prints it", (name) => {
    expect(planShapeProblems(plans[name]!)).toEqual([]);
  });

  test.each(names)("%s expects only known rules and advisories, and acknowledges only known tokens", (name) => {
    const scenario = expected[name]!;
    expect(scenario.what.length).toBeGreaterThan(0);
    for (const id of scenario.deny) expect(Object.keys(rules)).toContain(id);
    for (const id of scenario.warn) expect(advisoryIds()).toContain(id);
    expect(scenario.deny).toEqual([...scenario.deny].sort());
    expect(scenario.warn).toEqual([...scenario.warn].sort());
    for (const token of acknowledgementsOf(plans[name]!)) expect(acknowledgementTokens()).toContain(token);
  });

  test.each(names)("%s is asserted by its own opa test", (name) => {
    expect(readFileSync(SCENARIOS_TEST_FILE, "utf8")).toContain(`if matches("${name}")`);
  });

  test.each(Object.keys(rules))("rule %s is triggered by some fixture", (rule) => {
    expect(names.filter((name) => expected[name]!.deny.includes(rule))).not.toEqual([]);
  });

  test.each(acknowledgementTokens())(
    "token %s: a fixture passes with it, and the same changes without it are denied",
    (token) => {
      const changes = (name: string) => JSON.stringify(plans[name]!.resource_changes);
      const pairs = names.flatMap((acknowledged) =>
        acknowledgementsOf(plans[acknowledged]!).includes(token) && expected[acknowledged]!.deny.length === 0
          ? names
              .filter((other) => changes(other) === changes(acknowledged))
              .filter((other) => expected[other]!.deny.some((rule) => rules[rule]!.token === token))
              .map((denied) => [acknowledged, denied])
          : [],
      );
      expect(pairs).not.toEqual([]);
    },
  );

  test("a clean plan with only harmless updates passes", () => {
    const clean = names.filter((name) => name.startsWith("clean-"));
    expect(clean).not.toEqual([]);
    for (const name of clean) expect(expected[name]).toMatchObject({ deny: [], warn: [] });
  });
});

const opa = opaBinary();
// Without OPA the decisions are left to `npm run gate:test`, which builds it.
const withOpa = opa ? describe : describe.skip;

withOpa("the gate's decisions (OPA present)", () => {
  let byEntry: Record<"main" | "hcp", ReturnType<typeof evaluate>>;
  beforeAll(() => {
    byEntry = { main: evaluate(opa!, plans, "main"), hcp: evaluate(opa!, plans, "hcp") };
  });

  test.each(names.flatMap((name) => (["main", "hcp"] as const).map((entry) => [name, entry] as const)))(
    "%s through the %s entry point denies and warns as expected",
    (name, entry) => {
      const decision = byEntry[entry][name]!;
      expect({
        deny: [...new Set(decision.deny.map(idOf))].sort(),
        warn: [...new Set(decision.warn.map(idOf))].sort(),
      }).toEqual({ deny: expected[name]!.deny, warn: expected[name]!.warn });
    },
  );

  test.each(names)("%s: each denial names a planned address, its token or why none, and its section", (name) => {
    const addresses = plans[name]!.resource_changes.map((rc: PlanJson) => rc.address as string);
    for (const message of byEntry.main[name]!.deny) {
      const rule = rules[idOf(message)]!;
      expect(addresses.some((address: string) => message.includes(`] ${address} `))).toBe(true);
      expect(message).toContain(
        rule.token === null
          ? "No acknowledgement allows this"
          : `acknowledge "${rule.token}" in the registry's migrations`,
      );
      expect(message).toMatch(new RegExp(`See docs/day-two\\.md#${rule.section}$`));
    }
  });
});
