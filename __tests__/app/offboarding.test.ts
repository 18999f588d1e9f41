/**
 * Removing an account, as the README documents it: first `retired: true` in
 * its file (its stacks are synthesised empty, so their plans remove its
 * pipeline, and the archive's lists drop it), then the file is deleted
 * (nothing of it is synthesised). Each step is planned by Atlantis (the
 * autoplan rule, helpers/atlantis.ts) and proven on the synthesised stacks.
 */
import { posix } from "node:path";
import { atlantisConfig } from "../../modules/atlantis/atlantis-config";
import { registrySources } from "../../modules/registry/load";
import { parseRegistrySources, type RegistrySource } from "../../modules/registry/parse";
import { protectedChanges, resourcesByAddress, retiredAddresses } from "../day-two/protected";
import { planned } from "../helpers/atlantis";
import { resourceCount, synthRegistry } from "../helpers/synth";

const DIR = "__tests__/fixtures/per-account";
const LEAVING = "333333333333";
const LEAVING_FILE = `${DIR}/sources/${LEAVING}.yaml`;
const STACK = `log-source-${LEAVING}-eu-central-1`;

const sources = registrySources(`${DIR}/registry.yaml`);
/** The registry with the leaving account's file changed by `edit`, or without it (`undefined`). */
function registryWhere(edit: ((text: string) => string) | undefined) {
  const accounts: RegistrySource[] = sources.accounts.flatMap((a) =>
    a.file === LEAVING_FILE ? (edit ? [{ ...a, text: edit(a.text) }] : []) : [a],
  );
  return { registry: parseRegistrySources(sources.main, accounts), accounts };
}
const retire = (text: string) => `${text.trimEnd()}\nretired: true\n`;

function atlantisFor(step: ReturnType<typeof registryWhere>) {
  const accountFiles = new Map(step.accounts.map((a) => [posix.basename(a.file, ".yaml"), a.file]));
  return atlantisConfig({ registry: step.registry, registryFile: `${DIR}/registry.yaml`, accountFiles });
}

describe("offboarding an account", () => {
  const live = registryWhere((t) => t);
  const retired = registryWhere(retire);
  const removed = registryWhere(undefined);
  const before = synthRegistry(live.registry).stacks;
  const during = synthRegistry(retired.registry).stacks;
  const after = synthRegistry(removed.registry).stacks;

  test("step 1: the retired account's stacks are synthesised with no AWS resource, and the key is left in AWS", () => {
    expect(Object.keys(during)).toContain(STACK);
    // Only the drain wait, which is no AWS resource.
    expect(Object.keys(during[STACK]!.resource)).toEqual(["terraform_data"]);
    expect(resourceCount(during[STACK]!)).toBe(1);
    expect(resourceCount(before[STACK]!)).toBeGreaterThan(5);
    // Nothing protected is destroyed: everything the live stack protected is kept or forgotten.
    expect(protectedChanges(before[STACK]!, during[STACK]!).destroyed).toEqual([]);
    expect([...retiredAddresses(during[STACK]!)].some((a) => a.startsWith("aws_kms_key.PipelineKey"))).toBe(true);
  });

  test("step 1: the stream is deleted only after its buffer has flushed: subscriptions, then the wait, then the stream", () => {
    // Terraform destroys what depends on a resource before the resource, from the
    // dependencies recorded in the state (the live stack's), and runs a destroy-time
    // provisioner only while the block is in the configuration: the retired stack
    // keeps the wait at the same address with another trigger, so the plan replaces
    // it, and its destroy sleeps between the subscriptions' deletion and the stream's.
    // (Checked with Terraform 1.11 on terraform_data resources standing in for them.)
    const drains = (stacks: typeof during) =>
      Object.entries(stacks[STACK]!.resource.terraform_data ?? {}).filter(([id]) => id.startsWith("Drain_"));
    const [[liveId, live]] = drains(before) as [[string, Record<string, any>]];
    const [[retiredId, retiredDrain]] = drains(during) as [[string, Record<string, any>]];
    const stream = Object.keys(before[STACK]!.resource.aws_kinesis_firehose_delivery_stream)[0]!;
    expect(retiredId).toBe(liveId);
    expect(live.depends_on).toEqual([`aws_kinesis_firehose_delivery_stream.${stream}`]);
    const subscriptions = [
      ...Object.values(before[STACK]!.resource.aws_cloudwatch_log_subscription_filter ?? {}),
      ...Object.values(before[STACK]!.resource.aws_cloudwatch_log_account_policy ?? {}),
    ] as Record<string, any>[];
    expect(subscriptions.length).toBeGreaterThan(0);
    for (const s of subscriptions) expect(s.depends_on).toContain(`terraform_data.${liveId}`);
    expect(live.triggers_replace).toEqual({ phase: "stream" });
    expect(retiredDrain.triggers_replace).toEqual({ phase: "retired" });
    // The wait: the stream's buffering interval (the registry's default, 300 s) and a minute's margin.
    expect(live.input).toBe("360");
    for (const drain of [live, retiredDrain]) {
      expect(drain.provisioner).toEqual([{ "local-exec": { when: "destroy", command: "sleep ${self.input}" } }]);
    }
  });

  test("step 1: the archive stops expecting the account, and keeps its objects queryable", () => {
    const watched = (stacks: typeof during) =>
      [...resourcesByAddress(stacks["log-archive"]!).values()]
        .filter((r) => r["//"]?.metadata?.path?.includes("DeliveryWatch/Sources"))
        .map((r) => String(r.value))
        .join("\n");
    expect(watched(before)).toContain(LEAVING);
    expect(watched(during)).not.toContain(LEAVING);
    // The tables name one account list, a local value: the retired account stays in it.
    const projected = (stacks: typeof during) => JSON.stringify(stacks["log-archive"]!.locals);
    expect(projected(during)).toContain(LEAVING);
  });

  test("step 1: Atlantis plans the retired account's stacks and log-archive", () => {
    expect(planned(atlantisFor(retired), [LEAVING_FILE])).toEqual(["log-archive", STACK]);
  });

  test("step 2: deleting the file synthesises nothing of the account, and plans only log-archive", () => {
    expect(Object.keys(after)).not.toContain(STACK);
    expect(JSON.stringify(after["log-archive"]!.resource.aws_glue_catalog_table)).not.toContain(LEAVING);
    // Atlantis sees the deleted file: the archive's glob over the account files' folder matches it.
    expect(planned(atlantisFor(removed), [LEAVING_FILE])).toEqual(["log-archive"]);
  });

  test("retired accounts count nowhere else: no central stream, guardrails or watch for them", () => {
    expect(retired.registry.accounts.map((a) => a.id)).not.toContain(LEAVING);
    expect(retired.registry.retiredAccounts.map((a) => a.id)).toEqual([LEAVING]);
  });
});
