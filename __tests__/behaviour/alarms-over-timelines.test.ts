/**
 * Every CloudWatch alarm the stacks of every corpus registry define, played as
 * CloudWatch evaluates it (cloudwatch-alarm.ts) against scripted timelines of
 * the pipeline (pipeline-world.ts): the states it goes through in each
 * scenario, and a generic check that each can fire and recovers.
 *
 * Besides the corpus, two variants of corpus registries are synthesised here
 * with the heartbeat off and every source carrying its own alarms, the
 * combination of issue 19's defect 4 (no corpus registry has it: the one
 * without a heartbeat has no alarms).
 */
import { parse, stringify } from "yaml";
import { registrySources } from "../../modules/registry/load";
import { loadRegistry } from "../../modules/registry/load";
import { parseRegistrySources, type Registry } from "../../modules/registry/parse";
import { corpusFiles, corpusStacks, SAMPLE_REGISTRY } from "../helpers/corpus";
import { synthRegistry, type TfJson } from "../helpers/synth";
import { behaviourKey, checkAlarm, collectAlarms, playScenario, worldSettings, type WatchedAlarm } from "./alarm-check";
import type { AlarmState } from "./cloudwatch-alarm";
import type { Conditions, Phase, ResourceModel } from "./pipeline-world";

const LOCKED = "examples/registries/locked-compliance.yaml";

/** A corpus registry with the heartbeat off and alarms in every source (monitoring.alarms.sources: both). */
function withoutHeartbeat(file: string): { label: string; registry: Registry; stacks: Record<string, TfJson> } {
  const { main, accounts } = registrySources(file);
  const raw = (parse(main.text) ?? {}) as Record<string, any>;
  raw.monitoring = {
    ...raw.monitoring,
    heartbeat: { ...raw.monitoring?.heartbeat, enabled: false },
    alarms: { ...raw.monitoring?.alarms, sources: "both" },
  };
  // Heartbeat-only detection needs the heartbeat: no account may ask for it here.
  const withoutExpectsLogs = accounts.map((a) => ({ ...a, text: a.text.replace(/^expectsLogs:.*$/m, "") }));
  const registry = parseRegistrySources({ file: main.file, text: stringify(raw) }, withoutExpectsLogs);
  return { label: `${file} (heartbeat off, alarms in every source)`, registry, stacks: synthRegistry(registry).stacks };
}

interface Source {
  readonly label: string;
  readonly registry: Registry;
  readonly stacks: Readonly<Record<string, TfJson>>;
}

function sources(): Source[] {
  const corpus = corpusStacks();
  const fromCorpus = corpusFiles().map((file) => ({
    label: file,
    registry: loadRegistry(file),
    stacks: Object.fromEntries(corpus.filter((s) => s.registry === file).map((s) => [s.stack, s.json])),
  }));
  return [...fromCorpus, withoutHeartbeat(SAMPLE_REGISTRY), withoutHeartbeat(LOCKED)];
}

const SOURCES = sources();
const collected = SOURCES.map((s) => collectAlarms(s.label, s.stacks, worldSettings(s.registry)));
const ALARMS: WatchedAlarm[] = collected.flatMap((c) => c.alarms);

test("every alarm of every stack can be played: its metric is in the table, its resource in its stack", () => {
  expect(collected.flatMap((c) => c.problems)).toEqual([]);
  // The corpus and its variants define alarms on every kind of resource the world models.
  expect(new Set(ALARMS.map((a) => a.metrics[0]!.key)).size).toBeGreaterThanOrEqual(15);
});

// ---------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------

const OK: AlarmState = "OK";
const ALARM: AlarmState = "ALARM";
/** Two hours of a healthy world before the phases: the metrics have a history, as in an account that runs. */
const WARM_UP: Phase = { name: "warm-up", minutes: 120 };

/**
 * The state at the end of each phase; or that, with the transitions when
 * they are more than the changes between those states.
 */
type Expected =
  | AlarmState[]
  | ((resource: ResourceModel) => AlarmState[])
  | { readonly ends: AlarmState[]; readonly transitions: AlarmState[]; readonly why: string };

interface Scenario {
  readonly name: string;
  /** The registries it is about: with the heartbeat, without, or either. */
  readonly heartbeat: "on" | "off" | "either";
  readonly phases: readonly Phase[];
  /** The state at the end of each phase, by metric; every other alarm stays OK throughout. */
  readonly expect: Readonly<Record<string, Expected>>;
}

const phase = (name: string, minutes: number, conditions: Partial<Conditions> = {}): Phase => ({
  name,
  minutes,
  conditions,
});
/** An account that logs a little: ten records a minute. */
const LOGGING = { workload: 10 };

const SCENARIOS: readonly Scenario[] = [
  {
    name: "an idle account with the heartbeat",
    heartbeat: "on",
    phases: [phase("idle", 360)],
    expect: {},
  },
  {
    name: "an idle account without the heartbeat",
    heartbeat: "off",
    phases: [phase("idle", 360)],
    expect: {},
  },
  {
    name: "a burst of 5,000 records a minute for half an hour",
    heartbeat: "either",
    phases: [phase("burst", 30, { workload: 5000 }), phase("idle", 120)],
    expect: {},
  },
  {
    name: "throttling for half an hour",
    heartbeat: "either",
    phases: [phase("throttled", 30, { throttled: true, workload: 10_000 }), phase("fixed", 120)],
    expect: {
      "AWS/Firehose ThrottledRecords": [ALARM, OK],
      "AWS/Kinesis WriteProvisionedThroughputExceeded": [ALARM, OK],
    },
  },
  {
    name: "deliveries to the archive fail for an hour",
    heartbeat: "either",
    phases: [phase("failing", 60, { ...LOGGING, deliveryFails: true }), phase("fixed", 180, LOGGING)],
    expect: {
      "AWS/Firehose DeliveryToS3.Success": {
        ends: [ALARM, OK],
        transitions: [OK, ALARM, OK, ALARM, OK],
        why:
          "one extra ALARM and OK on recovery: the backlog's successful PUT shares a 5-minute period with the last " +
          "failed ones (Average below 1), and the next period has no PUT yet, so for one minute the three most " +
          "recent real datapoints all breach again",
      },
      "AWS/Firehose DeliveryToS3.DataFreshness": [ALARM, OK],
    },
  },
  {
    name: "a silent (broken) account for two hours, then fixed",
    heartbeat: "either",
    phases: [phase("broken", 120, { broken: true }), phase("fixed", 120)],
    expect: {
      "AWS/Firehose IncomingRecords": [ALARM, OK],
      "AWS/Firehose DataReadFromKinesisStream.Records": [ALARM, OK],
    },
  },
  {
    name: "too many active partitions for half an hour",
    heartbeat: "either",
    phases: [phase("exceeded", 30, { ...LOGGING, partitionsExceeded: true }), phase("fixed", 60, LOGGING)],
    expect: {
      "AWS/Firehose PartitionCount": [ALARM, OK],
      "AWS/Firehose PartitionCountExceeded": [ALARM, OK],
    },
  },
  {
    name: "the SIEM stops reading for two hours",
    heartbeat: "either",
    phases: [phase("stalled", 120, { siemStalled: true }), phase("reading", 60)],
    expect: { "AWS/SQS ApproximateAgeOfOldestMessage": [ALARM, OK] },
  },
  {
    name: "notifications sit in the dead-letter queue for half an hour",
    heartbeat: "either",
    phases: [phase("dead letters", 30, { deadLetters: true }), phase("redriven", 60)],
    expect: { "AWS/SQS ApproximateNumberOfMessagesVisible": [ALARM, OK] },
  },
  {
    name: "replication fails for half an hour",
    heartbeat: "either",
    phases: [phase("failing", 30, { replicationFails: true }), phase("fixed", 60)],
    expect: { "AWS/S3 OperationsFailedReplication": [ALARM, OK] },
  },
  {
    name: "the delivery watch's runs fail for half an hour",
    heartbeat: "either",
    phases: [phase("failing", 30, { watchFails: true }), phase("fixed", 60)],
    expect: {
      "AWS/Lambda Errors": (r) => (r.kind === "function" && r.everyMinutes !== undefined ? [ALARM, OK] : [OK, OK]),
    },
  },
  {
    name: "the delivery watch is not invoked for an hour",
    heartbeat: "either",
    phases: [phase("stopped", 60, { watchStopped: true }), phase("fixed", 60)],
    expect: { "AWS/Lambda Invocations": (r) => (r.kind === "function" && r.everyMinutes ? [ALARM, OK] : [OK, OK]) },
  },
  {
    // 100 GiB a minute for two hours (a loop of hunts): 12,000 GiB, past both default daily thresholds
    // (100 GiB interactive, 10,240 GiB hunting); a day after it stops, the day's sum is back to nothing.
    name: "Athena queries scan 100 GiB a minute for two hours, then stop for a day",
    heartbeat: "either",
    phases: [phase("scanning", 120, { scannedGiBPerMinute: 100 }), phase("stopped", 1500)],
    expect: { "AWS/Athena ProcessedBytes": [ALARM, OK] },
  },
  {
    name: "OpenSearch refuses documents for an hour",
    heartbeat: "either",
    phases: [phase("refused", 60, { ...LOGGING, indexFails: true }), phase("fixed", 120, LOGGING)],
    expect: { "AWS/Firehose DeliveryToAmazonOpenSearchService.Success": [ALARM, OK] },
  },
  {
    name: "the search transform fails for an hour",
    heartbeat: "either",
    phases: [phase("failing", 60, { ...LOGGING, transformFails: true }), phase("fixed", 120, LOGGING)],
    expect: {
      "AWS/Firehose ExecuteProcessing.Success": [ALARM, OK],
      "AWS/Lambda Errors": (r) => (r.kind === "function" && r.processorOf ? [ALARM, OK] : [OK, OK]),
    },
  },
  {
    name: "the search transform rejects records for half an hour",
    heartbeat: "either",
    phases: [phase("rejecting", 30, { ...LOGGING, transformRejects: true }), phase("fixed", 60, LOGGING)],
    expect: { "*/search-transform FailedRecords": [ALARM, OK] },
  },
];

const dedupe = (states: readonly AlarmState[]) => states.filter((s, i) => i === 0 || states[i - 1] !== s);

describe.each(SCENARIOS)("scenario: $name", (scenario) => {
  const alarms = ALARMS.filter(
    (a) =>
      scenario.heartbeat === "either" || (scenario.heartbeat === "on") === (a.settings.heartbeatMinutes !== undefined),
  );

  test("applies to some alarms", () => {
    expect(alarms.length).toBeGreaterThan(0);
  });

  test("every alarm goes through the expected states, and only those (no flapping)", () => {
    const unexpected: string[] = [];
    const cache = new Map<string, ReturnType<typeof playScenario>>();
    for (const alarm of alarms) {
      const [metric] = alarm.metrics;
      const expected = scenario.expect[metric!.key];
      const ends =
        expected === undefined
          ? scenario.phases.map(() => OK)
          : typeof expected === "function"
            ? expected(metric!.resource)
            : Array.isArray(expected)
              ? expected
              : expected.ends;
      const want = [OK, ...ends];
      const wantTransitions = expected !== undefined && "transitions" in expected ? expected.transitions : dedupe(want);
      const key = behaviourKey(alarm);
      const got = cache.get(key) ?? playScenario(alarm, WARM_UP, scenario.phases);
      cache.set(key, got);
      const phases = ["warm-up", ...scenario.phases.map((p) => p.name)];
      if (
        JSON.stringify(got.endStates) !== JSON.stringify(want) ||
        JSON.stringify(got.transitions) !== JSON.stringify(wantTransitions)
      ) {
        unexpected.push(
          `${alarm.label}: expected ${phases.map((p, i) => `${p} ${want[i]}`).join(", ")}; ` +
            `got ${phases.map((p, i) => `${p} ${got.endStates[i]}`).join(", ")} (transitions ${got.transitions.join(" -> ")})`,
        );
      }
    }
    expect(unexpected).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// The generic check
// ---------------------------------------------------------------------------

describe("every alarm of every stack", () => {
  test.each([
    ["N + 2 (the documented example's)", (n: number) => n + 2],
    ["N + 1", (n: number) => n + 1],
    ["2N + 2", (n: number) => 2 * n + 2],
  ])(
    "can fire, and recovers once the world is healthy again, with an evaluation range of %s datapoints",
    (_range, evaluationRange) => {
      const problems: string[] = [];
      const verdicts = new Map<string, string[]>();
      for (const alarm of ALARMS) {
        const key = behaviourKey(alarm);
        if (!verdicts.has(key)) verdicts.set(key, checkAlarm(alarm, { evaluationRange }));
        // Each failing alarm is named, with its registry and stack, by its own label.
        const label = verdicts.get(key)!.map((p) => p.replace(/^[^:]*:/, `${alarm.label}:`));
        problems.push(...label);
      }
      expect(problems).toEqual([]);
    },
  );
});
