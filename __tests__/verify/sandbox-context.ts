/** A verify context over the fake sandbox, for the unit tests of single checks. */
import { DEFAULT_OPTIONS, type VerifyContext } from "../../modules/verify/context";
import { markerFor } from "../../modules/verify/marker";
import { verifyTarget, type VerifyTarget } from "../../modules/verify/target";
import type { Registry } from "../../modules/registry/types";
import { OTHER, SOURCE, registryWith, type RawRegistry } from "../helpers/registry";
import { synthRegistry } from "../helpers/synth";
import { FakeSandbox, HEALTHY, type SandboxKnobs } from "./fake-sandbox";

export const RUN_ID = "20261204T215830Z-a1b2c3";

/** The minimal registry with a second account and a replica Region, changed by `edit`. */
export function testRegistry(edit: (raw: RawRegistry) => void = () => {}): Registry {
  return registryWith((raw) => {
    raw.accounts.push({ id: OTHER, name: "shared-services", regions: ["eu-west-1"] });
    raw.archive = { replicaRegion: "eu-central-1" };
    edit(raw);
  });
}

export function testTarget(edit: (raw: RawRegistry) => void = () => {}): VerifyTarget {
  return verifyTarget(testRegistry(edit), { sourceAccountId: SOURCE, sourceRegion: "eu-west-1" });
}

/** The stacks the real app synthesises from a registry, as verify reads them from cdktf.out/. */
export function synthesised(registry: Registry): ReadonlyMap<string, unknown> {
  return new Map(Object.entries(synthRegistry(registry).stacks));
}

export function sandbox(
  knobs: Partial<SandboxKnobs> = {},
  target: VerifyTarget = testTarget(),
  start?: number,
): { fake: FakeSandbox; ctx: VerifyContext } {
  const fake = new FakeSandbox(target, { ...HEALTHY, ...knobs }, start);
  const ctx: VerifyContext = {
    target,
    marker: markerFor(target.prefix, RUN_ID),
    ports: fake.ports(),
    options: DEFAULT_OPTIONS,
    startedAt: fake.now,
    created: { logGroups: [], objects: [] },
  };
  return { fake, ctx };
}
