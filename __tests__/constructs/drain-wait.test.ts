import { DrainWait, DRAIN_MARGIN_SECONDS } from "../../modules/constructs/drain-wait";
import { registryWith } from "../helpers/registry";
import { errorsOf, synthConstruct } from "../helpers/construct";
import { synthRegistry } from "../helpers/synth";

describe("DrainWait", () => {
  test("stores the buffering interval and a margin, and sleeps that long only when destroyed", () => {
    const tf = synthConstruct(
      (stack) => new DrainWait(stack, "Drain", { bufferingIntervalSeconds: 900, phase: "stream" }),
    );
    const [wait] = Object.values(tf.resource.terraform_data) as Record<string, unknown>[];
    expect(wait).toMatchObject({
      input: String(900 + DRAIN_MARGIN_SECONDS),
      triggers_replace: { phase: "stream" },
      provisioner: [{ "local-exec": { when: "destroy", command: "sleep ${self.input}" } }],
    });
  });

  test.each([-1, 1.5, Number.NaN])("refuses a buffering interval of %p seconds", (seconds) => {
    expect(
      errorsOf((stack) => new DrainWait(stack, "Drain", { bufferingIntervalSeconds: seconds, phase: "stream" })),
    ).toEqual([
      `DrainWait test/Drain: bufferingIntervalSeconds: expected a whole number of seconds of at least 0, got ${seconds}`,
    ]);
  });
});

describe("a retired account's stacks", () => {
  test("drain the stream it had, for that stream's interval; an account that delivered centrally has nothing to drain", () => {
    const { stacks } = synthRegistry(
      registryWith((r) => {
        r.defaults = { firehose: { bufferingIntervalSeconds: 120 } };
        r.accounts[0].retired = true;
        r.accounts.push({
          id: "333333333333",
          name: "central",
          regions: ["eu-west-1"],
          delivery: "central",
          retired: true,
        });
      }),
    );
    const drain = (stack: string) =>
      Object.values(stacks[stack]!.resource?.terraform_data ?? {}) as Record<string, unknown>[];
    expect(drain("log-source-222222222222-eu-west-1")).toEqual([
      expect.objectContaining({ input: String(120 + DRAIN_MARGIN_SECONDS), triggers_replace: { phase: "retired" } }),
    ]);
    expect(drain("log-source-333333333333-eu-west-1")).toEqual([]);
  });
});
