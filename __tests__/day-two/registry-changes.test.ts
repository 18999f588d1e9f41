/**
 * Changing the registry on a live deployment: for each change people make
 * (scenarios.ts), the registry before and after are synthesised and compared
 * the way Terraform would plan the difference. No protected resource (one
 * that carries prevent_destroy: keys, buckets and their settings) may be
 * destroyed: it is either kept, updated in place (the plan gate reviews the
 * updates that weaken a guarantee), forgotten through a `removed` block, or
 * its replacement is refused by prevent_destroy itself.
 */
import { acknowledgementsFor } from "../../modules/registry/settings";
import { corpusStacks } from "../helpers/corpus";
import { protectedTypes } from "../plan-gate/support";
import { registryWith } from "../helpers/registry";
import { synthRegistry, type TfJson } from "../helpers/synth";
import { protectedAddresses, protectedChanges, retiredAddresses, resourcesByAddress } from "./protected";
import { baseRegistry, SCENARIOS, type DayTwoScenario } from "./scenarios";

function synthSide(edit: ((raw: any) => void) | undefined): Record<string, TfJson> {
  return synthRegistry(
    registryWith((raw) => {
      baseRegistry(raw);
      edit?.(raw);
    }),
  ).stacks;
}

describe.each(SCENARIOS.map((s) => [s.id, s] as const))("day two: %s", (_id, scenario: DayTwoScenario) => {
  const before = synthSide(scenario.before);
  const after = synthSide((raw) => {
    scenario.before?.(raw);
    scenario.after(raw);
  });
  const changes = Object.fromEntries(
    Object.keys(before).map((stack) => [stack, protectedChanges(before[stack]!, after[stack])]),
  );

  test("no protected resource is destroyed by a plain plan", () => {
    const destroyed = Object.entries(changes).flatMap(([stack, c]) =>
      after[stack] ? c.destroyed.map((a) => `${stack} ${a}`) : [],
    );
    expect(destroyed).toEqual([]);
  });

  test("protected resources the change stops generating are forgotten where expected", () => {
    for (const pattern of scenario.expect.forgottenIn ?? []) {
      const stacks = Object.keys(changes).filter((s) => pattern.test(s));
      expect(stacks.length).toBeGreaterThan(0);
      for (const stack of stacks) expect(changes[stack]!.forgotten.length).toBeGreaterThan(0);
    }
    if (!scenario.expect.forgottenIn) {
      expect(Object.values(changes).flatMap((c) => c.forgotten)).toEqual([]);
    }
  });

  test("in-place updates and refused replacements are the ones the table names", () => {
    const updated = Object.values(changes).flatMap((c) => c.updated);
    for (const pattern of scenario.expect.updated ?? []) expect(updated.some((a) => pattern.test(a))).toBe(true);
    const replaced = Object.values(changes).flatMap((c) => c.replaced.map((r) => r.address));
    for (const pattern of scenario.expect.refusedByTerraform ?? []) {
      expect(replaced.some((a) => pattern.test(a))).toBe(true);
    }
    if (!scenario.expect.refusedByTerraform) expect(replaced).toEqual([]);
  });

  test("resources the table says are left in AWS are retired, not deleted", () => {
    for (const pattern of scenario.expect.retained ?? []) {
      const wasThere = Object.values(before).some((s) =>
        [...resourcesByAddress(s).keys()].some((a) => pattern.test(a)),
      );
      const retired = Object.values(after).some((s) => [...retiredAddresses(s)].some((a) => pattern.test(a)));
      expect([wasThere, retired]).toEqual([true, true]);
    }
  });

  test("stacks that disappear are exactly the expected ones", () => {
    const gone = Object.keys(before).filter((s) => !after[s]);
    expect(gone.sort()).toEqual([...(scenario.expect.stacksGone ?? [])].sort());
  });
});

describe("retirement is exact", () => {
  test("a removed block never targets a resource its stack still creates (Terraform refuses that)", () => {
    const stacks = SCENARIOS.flatMap((s) => Object.values(synthSide(s.after)));
    for (const stack of stacks) {
      const created = resourcesByAddress(stack);
      expect([...retiredAddresses(stack)].filter((a) => created.has(a))).toEqual([]);
    }
  });

  test("switching a feature back on manages the same addresses again (forget, then adopt by import)", () => {
    // GIVEN the replica removed, then added back: the addresses are those of the forgotten resources.
    const scenario = SCENARIOS.find((s) => s.id === "remove-replica")!;
    const without = synthSide(scenario.after)["log-archive"]!;
    const withReplica = synthSide(undefined)["log-archive"]!;
    const readded = [...resourcesByAddress(withReplica).keys()].filter((a) => /Replication_/.test(a));
    for (const address of readded.filter((a) => /aws_kms_key|aws_s3_bucket\./.test(a))) {
      expect(retiredAddresses(without).has(address)).toBe(true);
    }
  });
});

describe("acknowledgements reach each stack's output", () => {
  test("an entry without stacks applies to every stack; one with stacks only to those", () => {
    const migrations = [
      { allow: "shorten-retention" as const, reason: "retention policy v2 (ticket SEC-1)" },
      { allow: "forget-protected" as const, reason: "replica moved (ticket SEC-2)", stacks: ["log-archive"] },
    ];
    expect(acknowledgementsFor({ migrations }, "log-archive")).toEqual(["forget-protected", "shorten-retention"]);
    expect(acknowledgementsFor({ migrations }, "log-source-222222222222-eu-west-1")).toEqual(["shorten-retention"]);
  });

  test("every synthesised stack carries the output, empty without migrations", () => {
    const stacks = synthSide(undefined);
    for (const stack of Object.values(stacks)) {
      expect(stack.output?.cwl_acknowledged_migrations?.value).toEqual([]);
    }
  });
});

describe("the plan gate knows what the product protects", () => {
  test("its protected types are exactly the types that carry prevent_destroy in the corpus and the scenarios", () => {
    const stacks = [
      ...corpusStacks().map((s) => s.json),
      ...SCENARIOS.flatMap((s) => Object.values(synthSide(s.before))),
    ];
    const carried = new Set(stacks.flatMap((stack) => [...protectedAddresses(stack)].map((a) => a.split(".")[0]!)));
    expect([...carried].sort()).toEqual([...protectedTypes()].sort());
  });
});
