/** A verify context over the fake sandbox, for the unit tests of single checks. */
import { DEFAULT_OPTIONS, type VerifyContext } from "../../modules/verify/context";
import { markerFor } from "../../modules/verify/marker";
import { verifyTarget, type VerifyTarget } from "../../modules/verify/target";
import { OTHER, SOURCE, registryWith, type RawRegistry } from "../helpers/registry";
import { FakeSandbox, HEALTHY, type SandboxKnobs } from "./fake-sandbox";

export const RUN_ID = "20261204T215830Z-a1b2c3";

/** The minimal registry with a second account and a replica Region, changed by `edit`. */
export function testTarget(edit: (raw: RawRegistry) => void = () => {}): VerifyTarget {
  const registry = registryWith((raw) => {
    raw.accounts.push({ id: OTHER, name: "shared-services", regions: ["eu-west-1"] });
    raw.archive = { replicaRegion: "eu-central-1" };
    edit(raw);
  });
  return verifyTarget(registry, { sourceAccountId: SOURCE, sourceRegion: "eu-west-1" });
}

export function sandbox(
  knobs: Partial<SandboxKnobs> = {},
  target: VerifyTarget = testTarget(),
): { fake: FakeSandbox; ctx: VerifyContext } {
  const fake = new FakeSandbox(target, { ...HEALTHY, ...knobs });
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
