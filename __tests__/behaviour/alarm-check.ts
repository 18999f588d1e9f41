/**
 * The alarms of synthesised stacks, played against the pipeline world: the
 * scenario runner and the generic check (every alarm can fire, and recovers
 * once the world is healthy again). Test support for
 * alarms-over-timelines.test.ts and alarm-check-catches-breakage.test.ts.
 */
import type { Registry } from "../../modules/registry/parse";
import type { TfJson } from "../helpers/synth";
import {
  alarmFromTerraform,
  evaluateAlarm,
  metricsOf,
  periodOf,
  transitions,
  type AlarmDefinition,
  type AlarmState,
  type Evaluation,
  type EvaluationOptions,
  type MetricData,
  type MetricRef,
  type Sample,
} from "./cloudwatch-alarm";
import {
  HEALTHY,
  metricKey,
  metricModelOf,
  minutesOf,
  resourceOf,
  samplesOf,
  worldMinutes,
  type Conditions,
  type MetricModel,
  type Phase,
  type ResourceModel,
  type WorldSettings,
} from "./pipeline-world";

/** One metric an alarm reads, with what the world knows of it. */
export interface WatchedMetric {
  readonly ref: MetricRef;
  /** The metric table's key for it (`<namespace> <name>`, or a `*` entry). */
  readonly key: string;
  readonly resource: ResourceModel;
  readonly model: MetricModel;
}

/** An alarm of a stack, ready to play. */
export interface WatchedAlarm {
  /** `<registry> <stack> <alarm name>`, for messages. */
  readonly label: string;
  readonly registry: string;
  readonly stack: string;
  readonly definition: AlarmDefinition;
  readonly metrics: readonly WatchedMetric[];
  readonly settings: WorldSettings;
}

/** The world's settings from a registry: its heartbeat, and the central streams' partition quota. */
export function worldSettings(registry: Registry): WorldSettings {
  const { heartbeat } = registry.monitoring;
  return {
    ...(heartbeat.enabled ? { heartbeatMinutes: heartbeat.intervalMinutes } : {}),
    partitionQuota: registry.central.activePartitionQuota,
  };
}

/**
 * Every aws_cloudwatch_metric_alarm of the stacks, with its metrics resolved,
 * and a problem line for each alarm the world cannot play (an unmodelled
 * metric, resource or alarm feature): such an alarm must be modelled first.
 */
export function collectAlarms(
  registry: string,
  stacks: Readonly<Record<string, TfJson>>,
  settings: WorldSettings,
): { alarms: WatchedAlarm[]; problems: string[] } {
  const alarms: WatchedAlarm[] = [];
  const problems: string[] = [];
  for (const stack of Object.keys(stacks).sort()) {
    const tf = stacks[stack]!;
    for (const config of Object.values(tf.resource.aws_cloudwatch_metric_alarm ?? {})) {
      const label = `${registry} ${stack} ${config.alarm_name}`;
      try {
        const definition = alarmFromTerraform(config);
        const metrics = metricsOf(definition).map((ref) => {
          const entry = metricModelOf(metricKey(ref));
          if (!entry) {
            throw new Error(
              `metric ${metricKey(ref)} is not in the metric table of pipeline-world.ts: add what it measures and when AWS publishes it`,
            );
          }
          return { ref, key: entry.key, model: entry.model, resource: resourceOf(tf, ref, settings) };
        });
        alarms.push({ label, registry, stack, definition, metrics, settings });
      } catch (error) {
        problems.push(`${label}: ${(error as Error).message}`);
      }
    }
  }
  return { alarms, problems };
}

const sameMetric = (a: MetricRef, b: MetricRef) =>
  a.namespace === b.namespace &&
  a.metricName === b.metricName &&
  JSON.stringify(Object.entries(a.dimensions).sort()) === JSON.stringify(Object.entries(b.dimensions).sort());

/** The alarm's metric data in a world of these minutes' conditions. */
export function worldData(alarm: WatchedAlarm, conditions: readonly Conditions[]): MetricData {
  const data = alarm.metrics.map((m) => ({
    ref: m.ref,
    samples: samplesOf(m.model, m.resource, worldMinutes(m.resource, conditions, alarm.settings)),
  }));
  return (ref) => data.find((d) => sameMetric(d.ref, ref))?.samples ?? [];
}

/** The evaluations of the alarm over the phases (from their first minute to their end). */
export function playPhases(alarm: WatchedAlarm, phases: readonly Phase[], options?: EvaluationOptions): Evaluation[] {
  const conditions = minutesOf(phases);
  return evaluateAlarm(alarm.definition, worldData(alarm, conditions), 0, conditions.length * 60, options);
}

/** The state at the end of each phase, after the first (the warm-up), and the transitions from the warm-up's end. */
export function playScenario(
  alarm: WatchedAlarm,
  warmUp: Phase,
  phases: readonly Phase[],
): { endStates: AlarmState[]; transitions: AlarmState[] } {
  const evaluations = playPhases(alarm, [warmUp, ...phases]);
  const stateAt = (t: number) => [...evaluations].reverse().find((e) => e.t <= t)?.state ?? "INSUFFICIENT_DATA";
  const ends: number[] = [];
  let end = warmUp.minutes * 60;
  for (const p of phases) ends.push((end += p.minutes * 60));
  const from = warmUp.minutes * 60;
  return {
    endStates: [stateAt(from), ...ends.map(stateAt)],
    transitions: transitions(evaluations.filter((e) => e.t >= from)),
  };
}

// ---------------------------------------------------------------------------
// The generic check
// ---------------------------------------------------------------------------

/** Faults of the world, each sustained, with an account that logs something. */
export const FAULTS: Readonly<Record<string, Partial<Conditions>>> = {
  "nothing reaches the streams": { broken: true },
  "ingestion throttled": { throttled: true, workload: 10_000 },
  "deliveries to the archive fail": { deliveryFails: true, workload: 10 },
  "too many active partitions": { partitionsExceeded: true, workload: 10 },
  "the SIEM stalls": { siemStalled: true },
  "notifications in the dead-letter queue": { deadLetters: true },
  "replication fails": { replicationFails: true },
  "the delivery watch fails": { watchFails: true },
  "the delivery watch is not invoked": { watchStopped: true },
  "OpenSearch refuses documents": { indexFails: true, workload: 10 },
  "the search transform fails": { transformFails: true, workload: 10 },
  "the search transform rejects records": { transformRejects: true, workload: 10 },
  "Athena queries scan 1 TiB a minute": { scannedGiBPerMinute: 1024 },
};

export interface CheckOptions extends EvaluationOptions {
  /** Minutes a candidate timeline has to make the alarm fire. @default 720 */
  readonly fireWithinMinutes?: number;
}

interface Candidate {
  readonly name: string;
  /** Samples of the first `minutes` minutes, by metric. */
  samples(ref: MetricRef, minutes: number): readonly Sample[];
}

function constant(alarm: WatchedAlarm, value: number): Candidate {
  return {
    name: `${alarm.metrics[0]!.key} at ${value} every minute`,
    samples: (_ref, minutes) => Array.from({ length: minutes }, (_, i) => ({ t: i * 60, value })),
  };
}

/**
 * Timelines that might make the alarm fire: every fault of the world, no
 * datapoint at all, and for a single metric that AWS publishes for its
 * resource, constant values across its domain and around the threshold.
 */
function candidates(alarm: WatchedAlarm, minutes: number): Candidate[] {
  const out: Candidate[] = [{ name: "no datapoint at all", samples: () => [] }];
  for (const [name, fault] of Object.entries(FAULTS)) {
    const data = worldData(alarm, minutesOf([{ name, minutes, conditions: fault }]));
    out.push({ name, samples: (ref) => data(ref) });
  }
  const [only] = alarm.metrics;
  if (alarm.metrics.length === 1 && only!.model.published(only!.resource)) {
    const { min, max } = only!.model.domain;
    const t = alarm.definition.threshold;
    const values = [min, max, (min + max) / 2, t - 1, t, t + 1].filter((v) => v >= min && v <= max);
    for (const v of [...new Set(values)]) out.push(constant(alarm, v));
  }
  return out;
}

/**
 * Why the alarm fails the generic check, or nothing:
 * - it can never fire: no candidate timeline reaches ALARM within
 *   `fireWithinMinutes`;
 * - it never recovers: once a candidate has put it in ALARM, the healthy
 *   world (the registry's heartbeat, no fault) does not bring it back to OK
 *   within the evaluation range plus an hour, or does not keep it there for
 *   the two hours after.
 */
export function checkAlarm(alarm: WatchedAlarm, options: CheckOptions = {}): string[] {
  const fireWithin = options.fireWithinMinutes ?? 720;
  const period = periodOf(alarm.definition);
  const n = alarm.definition.evaluationPeriods;
  const range = (options.evaluationRange ?? ((k: number) => k + 2))(n, period);
  const boundMinutes = Math.ceil((range * period) / 60) + 60;
  const settleMinutes = 120;
  const fired: { candidate: Candidate; at: number }[] = [];
  for (const candidate of candidates(alarm, fireWithin)) {
    const data: MetricData = (ref) => candidate.samples(ref, fireWithin);
    const first = evaluateAlarm(alarm.definition, data, 0, fireWithin * 60, options).find((e) => e.state === "ALARM");
    if (first) fired.push({ candidate, at: first.t });
  }
  if (fired.length === 0) {
    const published = alarm.metrics.filter((m) => m.model.published(m.resource)).map((m) => m.key);
    return [
      `${alarm.label}: can never fire: no timeline reaches ALARM within ${fireWithin} minutes` +
        (published.length < alarm.metrics.length
          ? ` (AWS does not publish ${alarm.metrics.map((m) => m.key).join(", ")} for this resource)`
          : ""),
    ];
  }
  const problems: string[] = [];
  const total = Math.max(...fired.map((f) => f.at / 60)) + boundMinutes + settleMinutes + 1;
  const healthy = worldData(alarm, minutesOf([{ name: "healthy", minutes: total, conditions: HEALTHY }]));
  for (const { candidate, at } of fired) {
    const switchAt = at / 60;
    const data: MetricData = (ref) => [
      ...candidate.samples(ref, switchAt).filter((s) => s.t < at),
      ...healthy(ref).filter((s) => s.t >= at),
    ];
    const evaluations = evaluateAlarm(
      alarm.definition,
      data,
      0,
      (switchAt + boundMinutes + settleMinutes) * 60,
      options,
    );
    const after = evaluations.filter((e) => e.t > at);
    const recovered = after.find((e) => e.state === "OK" && e.t <= at + boundMinutes * 60);
    const settled = after.filter((e) => e.t >= at + boundMinutes * 60);
    if (!recovered || settled.some((e) => e.state !== "OK")) {
      const states = transitions(after).join(" -> ");
      problems.push(
        `${alarm.label}: never recovers: in ALARM after "${candidate.name}", the healthy world ` +
          `(${alarm.settings.heartbeatMinutes === undefined ? "no heartbeat" : `a heartbeat every ${alarm.settings.heartbeatMinutes} minutes`}) ` +
          `does not bring it back to OK for good within ${boundMinutes} minutes (then: ${states})`,
      );
      break;
    }
  }
  return problems;
}

/** A signature of what decides an alarm's behaviour, so that identical alarms are checked once. */
export function behaviourKey(alarm: WatchedAlarm): string {
  const { metric, ...named } = alarm.definition;
  const rest = { ...named, name: undefined };
  const metrics = alarm.metrics.map((m) => ({ key: m.key, resource: m.resource }));
  const shape = Array.isArray(metric)
    ? metric.map((q: any) => q.expression ?? q.metricStat?.stat ?? "")
    : (metric as any).stat;
  // Addresses differ from stack to stack; what the resources are does not.
  const withoutAddresses = (k: string, v: unknown) => (k === "address" ? undefined : v);
  return JSON.stringify(
    { rest, metrics, shape, period: periodOf(alarm.definition), settings: alarm.settings },
    withoutAddresses,
  );
}
