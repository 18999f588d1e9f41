/**
 * CloudWatch metric alarms as state machines: a pure evaluator of what
 * CloudWatch documents about alarm evaluation, so that tests can play metric
 * timelines against the alarms the stacks define and see every state they
 * go through. Test support only: nothing here runs in AWS.
 *
 * Documented rules, each cited where it is implemented:
 * - A1 (alarm-evaluation.html): an alarm evaluates its Period, Evaluation
 *   Periods (N) and Datapoints to Alarm (M); "the breaching data points don't
 *   have to be consecutive, but they must all be within the last number of
 *   data points equal to Evaluation Period".
 * - A2 (alarm-evaluation.html): "For any period of one minute or longer, an
 *   alarm is evaluated every minute and the evaluation is based on the window
 *   of time defined by the Period and Evaluation Periods" (a sliding window:
 *   at the end of minute 6 a 5-minute period covers minutes 2 to 6); periods
 *   of 10, 20 or 30 seconds are evaluated every 10 seconds; an alarm whose
 *   N × Period exceeds one day is evaluated once an hour, on the data up to
 *   the hour.
 * - A3 (PutMetricAlarm): a new alarm starts in INSUFFICIENT_DATA;
 *   DatapointsToAlarm defaults to EvaluationPeriods, TreatMissingData to
 *   `missing`.
 * - M1-M4 (alarms-and-missing-data.html, "How alarm state is evaluated when
 *   data is missing"): CloudWatch retrieves more datapoints than N, the
 *   evaluation range;
 *   M1 with no datapoint missing, the N most recent are evaluated;
 *   M2 with at least N real datapoints in the range, the N most recent real
 *      ones are evaluated and the missing-data setting is not used;
 *   M3 with fewer than N, the missing ones are filled with the setting, "all
 *      real data points in the evaluation range are included", missing ones
 *      are used "as few times as possible";
 *   M4 `missing` with every datapoint of the range missing is
 *      INSUFFICIENT_DATA, `ignore` keeps the current state, `breaching` and
 *      `notBreaching` count the missing datapoints as such.
 * - P1 (same page, "Avoiding premature transitions to alarm state"): with
 *   intermittent data the alarm does not go to ALARM on recent breaching
 *   datapoints alone, but it does when "the oldest available breaching
 *   datapoint ... is at least as old as the value of Datapoints to Alarm, and
 *   all other more recent data points are breaching or missing".
 * - X1 (using-metric-math.html): in arithmetic, "missing values in a time
 *   series are treated as 0" and a datapoint whose division is by zero is
 *   dropped; comparison operators treat a value missing on one side as 0;
 *   FILL replaces missing values.
 *
 * Where the documentation is silent, this module chooses and says so:
 * - the size of the evaluation range ("depends on the length of the alarm
 *   period"): N + 2 by default, as in the page's example (N = 3, range 5),
 *   and a parameter so that checks can show their verdict does not hinge on it;
 * - `missing` and `ignore` with fewer than N real datapoints that are all
 *   breaching but too recent for P1: the page says only that the alarm "does
 *   not go immediately into ALARM"; this module keeps the current state;
 * - `ignore` where `missing` would go to ALARM by P1: the page's tables keep
 *   the current state, and so does this module.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 */

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";
export type TreatMissingData = "breaching" | "notBreaching" | "ignore" | "missing";
export type Statistic = "Average" | "Sum" | "Minimum" | "Maximum" | "SampleCount";
export type Comparison =
  "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";

/** A metric by its identity. */
export interface MetricRef {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** A metric with the statistic and period it is read with. */
export interface MetricStat {
  readonly metric: MetricRef;
  readonly stat: Statistic;
  /** Seconds. */
  readonly period: number;
}

/** One entry of a metric-math alarm's `Metrics`: a metric read (`m1`) or an expression over the others (`e1`). */
export interface MetricQuery {
  readonly id: string;
  readonly metricStat?: MetricStat;
  readonly expression?: string;
  readonly returnData: boolean;
}

/** The settings of a metric alarm that decide its state. */
export interface AlarmDefinition {
  readonly name: string;
  /** A single-metric alarm's metric, or a metric-math alarm's queries (exactly one returns data). */
  readonly metric: MetricStat | readonly MetricQuery[];
  readonly evaluationPeriods: number;
  /** M of an "M out of N" alarm. @default - evaluationPeriods (PutMetricAlarm) */
  readonly datapointsToAlarm?: number;
  readonly threshold: number;
  readonly comparison: Comparison;
  /** @default "missing" (PutMetricAlarm) */
  readonly treatMissingData?: TreatMissingData;
}

/** A metric value published at `t` (seconds). */
export interface Sample {
  readonly t: number;
  readonly value: number;
}

/** The samples of a metric, sorted by time. */
export type MetricData = (metric: MetricRef) => readonly Sample[];

export interface EvaluationOptions {
  /**
   * Datapoints in the evaluation range for an alarm of N evaluation periods.
   * Not documented; the documented example has N = 3 and a range of 5.
   * @default (n) => n + 2
   */
  readonly evaluationRange?: (evaluationPeriods: number, period: number) => number;
}

// ---------------------------------------------------------------------------
// One evaluation over the datapoints of the evaluation range
// ---------------------------------------------------------------------------

/**
 * A datapoint of the evaluation range, judged against the threshold:
 * `true` breaching, `false` not breaching, `undefined` missing.
 */
export type Judged = boolean | undefined;

/**
 * The state after one evaluation of the range `range` (oldest first, most
 * recent last, as the documentation's tables print it), from state `current`.
 */
export function evaluateRange(
  range: readonly Judged[],
  settings: {
    readonly evaluationPeriods: number;
    readonly datapointsToAlarm: number;
    readonly treatMissingData: TreatMissingData;
  },
  current: AlarmState,
): AlarmState {
  const n = settings.evaluationPeriods;
  const m = settings.datapointsToAlarm;
  const real = range.filter((d): d is boolean => d !== undefined);
  const verdict = (breaching: number): AlarmState => (breaching >= m ? "ALARM" : "OK");
  const count = (ds: readonly boolean[]) => ds.filter(Boolean).length;

  // M1, M2: enough real datapoints: the N most recent real ones decide, missing data is not used.
  if (real.length >= n) return verdict(count(real.slice(-n)));

  const treat = settings.treatMissingData;
  // M4: every datapoint of the range missing.
  if (real.length === 0) {
    if (treat === "missing") return "INSUFFICIENT_DATA";
    if (treat === "ignore") return current;
    return verdict(treat === "breaching" ? n : 0);
  }

  // M3: every real datapoint of the range, and N minus their number filled with the setting.
  const breaching = count(real);
  if (treat === "breaching") return verdict(breaching + (n - real.length));
  if (treat === "notBreaching") return verdict(breaching);

  // `missing` and `ignore` fill nothing: the real datapoints alone, and P1.
  if (breaching >= m) return "ALARM";
  if (breaching < real.length) return "OK";
  // Every real datapoint breaches, but fewer than M: P1. Age of the oldest, the most recent being 1.
  const oldest = range.length - range.findIndex((d) => d !== undefined);
  if (oldest >= m) return treat === "missing" ? "ALARM" : current;
  // "does not go immediately into ALARM": undocumented beyond that; the state is kept.
  return current;
}

// ---------------------------------------------------------------------------
// Datapoints from samples
// ---------------------------------------------------------------------------

function firstAtOrAfter(samples: readonly Sample[], t: number): number {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (samples[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The statistic of the samples in [from, to), or undefined when there is none (a missing datapoint). */
export function datapoint(samples: readonly Sample[], stat: Statistic, from: number, to: number): number | undefined {
  const values: number[] = [];
  for (let i = firstAtOrAfter(samples, from); i < samples.length && samples[i]!.t < to; i++) {
    values.push(samples[i]!.value);
  }
  if (values.length === 0) return undefined;
  switch (stat) {
    case "Sum":
      return values.reduce((a, b) => a + b, 0);
    case "Average":
      return values.reduce((a, b) => a + b, 0) / values.length;
    case "Minimum":
      return Math.min(...values);
    case "Maximum":
      return Math.max(...values);
    case "SampleCount":
      return values.length;
  }
}

export function breaches(value: number, comparison: Comparison, threshold: number): boolean {
  switch (comparison) {
    case "GreaterThanOrEqualToThreshold":
      return value >= threshold;
    case "GreaterThanThreshold":
      return value > threshold;
    case "LessThanThreshold":
      return value < threshold;
    case "LessThanOrEqualToThreshold":
      return value <= threshold;
  }
}

// ---------------------------------------------------------------------------
// Metric math (X1): + - * / ^, unary minus, comparisons, AND/OR, FILL
// ---------------------------------------------------------------------------

type Expr =
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "id"; readonly id: string }
  | { readonly kind: "unary"; readonly operand: Expr }
  | { readonly kind: "binary"; readonly op: string; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "call"; readonly name: string; readonly args: readonly Expr[] };

const BINARY: readonly (readonly string[])[] = [
  ["OR", "||"],
  ["AND", "&&"],
  ["==", "!=", "<=", ">=", "<", ">"],
  ["+", "-"],
  ["*", "/"],
  ["^"],
];

function tokenize(text: string): string[] {
  const tokens = text.match(/\s*(\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|&&|\|\||==|!=|<=|>=|[-+*/^(),<>])/g);
  if (!tokens || tokens.join("").replace(/\s/g, "") !== text.replace(/\s/g, "")) {
    throw new Error(`metric math: cannot read ${JSON.stringify(text)}`);
  }
  return tokens.map((t) => t.trim());
}

export function parseExpression(text: string): Expr {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new Error(`metric math: expected ${expected ?? "more"} in ${JSON.stringify(text)}`);
    }
    return token;
  };
  const level = (i: number): Expr => {
    if (i === BINARY.length) return unary();
    let left = level(i + 1);
    while (peek() !== undefined && BINARY[i]!.includes(peek()!)) {
      const op = take();
      left = { kind: "binary", op: op === "||" ? "OR" : op === "&&" ? "AND" : op, left, right: level(i + 1) };
    }
    return left;
  };
  const unary = (): Expr => {
    if (peek() !== "-") return primary();
    take("-");
    return { kind: "unary", operand: unary() };
  };
  const primary = (): Expr => {
    const token = take();
    if (token === "(") {
      const inner = level(0);
      take(")");
      return inner;
    }
    if (/^\d/.test(token)) return { kind: "number", value: Number(token) };
    if (/^[A-Z][A-Z0-9_]*$/.test(token) && peek() === "(") {
      take("(");
      const args: Expr[] = [];
      if (peek() !== ")") {
        args.push(level(0));
        while (peek() === ",") {
          take(",");
          args.push(level(0));
        }
      }
      take(")");
      return { kind: "call", name: token, args };
    }
    if (/^[a-z][A-Za-z0-9_]*$/.test(token)) return { kind: "id", id: token };
    throw new Error(`metric math: unexpected ${JSON.stringify(token)} in ${JSON.stringify(text)}`);
  };
  const expr = level(0);
  if (at !== tokens.length)
    throw new Error(`metric math: unexpected ${JSON.stringify(peek())} in ${JSON.stringify(text)}`);
  return expr;
}

/** The expression's value for one period, from the values of the ids it names (undefined: missing). */
export function evaluateExpression(expr: Expr, values: (id: string) => number | undefined): number | undefined {
  switch (expr.kind) {
    case "number":
      return expr.value;
    case "id":
      return values(expr.id);
    case "unary": {
      const v = evaluateExpression(expr.operand, values);
      return v === undefined ? undefined : -v;
    }
    case "call": {
      // FILL(TS, S): the missing values of the series are the scalar. Other functions
      // (RATE, METRICS, ANOMALY_DETECTION_BAND, ...) are not modelled: an alarm that
      // uses one must be modelled before it can be checked.
      if (expr.name === "FILL" && expr.args.length === 2 && expr.args[1]!.kind === "number") {
        return evaluateExpression(expr.args[0]!, values) ?? expr.args[1]!.value;
      }
      throw new Error(`metric math: ${expr.name}(...) is not modelled by this evaluator`);
    }
    case "binary": {
      const a = evaluateExpression(expr.left, values);
      const b = evaluateExpression(expr.right, values);
      if (a === undefined && b === undefined) return undefined;
      const x = a ?? 0;
      const y = b ?? 0;
      switch (expr.op) {
        case "+":
          return x + y;
        case "-":
          return x - y;
        case "*":
          return x * y;
        case "/":
          return y === 0 ? undefined : x / y;
        case "^":
          return x ** y;
        case "<":
          return Number(x < y);
        case ">":
          return Number(x > y);
        case "<=":
          return Number(x <= y);
        case ">=":
          return Number(x >= y);
        case "==":
          return Number(x === y);
        case "!=":
          return Number(x !== y);
        case "AND":
          return Number(x !== 0 && y !== 0);
        case "OR":
          return Number(x !== 0 || y !== 0);
      }
      throw new Error(`metric math: operator ${expr.op}`);
    }
  }
}

// ---------------------------------------------------------------------------
// An alarm over a timeline
// ---------------------------------------------------------------------------

/** The period of the alarm: its metric's, or that of every metric of its math. */
export function periodOf(alarm: AlarmDefinition): number {
  if (!Array.isArray(alarm.metric)) return (alarm.metric as MetricStat).period;
  const periods = new Set(
    (alarm.metric as readonly MetricQuery[]).flatMap((q) => (q.metricStat ? [q.metricStat.period] : [])),
  );
  if (periods.size !== 1)
    throw new Error(`${alarm.name}: expected one period across its metrics, got ${[...periods].join(", ")}`);
  return [...periods][0]!;
}

/** The metrics an alarm reads. */
export function metricsOf(alarm: AlarmDefinition): MetricRef[] {
  if (!Array.isArray(alarm.metric)) return [(alarm.metric as MetricStat).metric];
  return (alarm.metric as readonly MetricQuery[]).flatMap((q) => (q.metricStat ? [q.metricStat.metric] : []));
}

/** A function giving the alarm's value over [from, to): its metric's statistic, or its returned expression. */
function valueReader(alarm: AlarmDefinition, data: MetricData): (from: number, to: number) => number | undefined {
  if (!Array.isArray(alarm.metric)) {
    const { metric, stat } = alarm.metric as MetricStat;
    const samples = data(metric);
    return (from, to) => datapoint(samples, stat, from, to);
  }
  const queries = alarm.metric as readonly MetricQuery[];
  const returned = queries.filter((q) => q.returnData);
  if (returned.length !== 1)
    throw new Error(`${alarm.name}: expected exactly one query returning data, got ${returned.length}`);
  const byId = new Map(queries.map((q) => [q.id, q]));
  const samples = new Map(queries.flatMap((q) => (q.metricStat ? [[q.id, data(q.metricStat.metric)] as const] : [])));
  const parsed = new Map(
    queries.flatMap((q) => (q.expression ? [[q.id, parseExpression(q.expression)] as const] : [])),
  );
  const valueOf = (id: string, from: number, to: number, seen: readonly string[]): number | undefined => {
    const query = byId.get(id);
    if (!query || seen.includes(id))
      throw new Error(`${alarm.name}: metric math names ${id}, which is not a query (or is circular)`);
    if (query.metricStat) return datapoint(samples.get(id)!, query.metricStat.stat, from, to);
    return evaluateExpression(parsed.get(id)!, (other) => valueOf(other, from, to, [...seen, id]));
  };
  return (from, to) => valueOf(returned[0]!.id, from, to, []);
}

/** When the alarm evaluates, in seconds, between `from` and `to` (A2). */
export function evaluationTimes(alarm: AlarmDefinition, from: number, to: number): number[] {
  const period = periodOf(alarm);
  const step = alarm.evaluationPeriods * period > 86_400 ? 3600 : period < 60 ? 10 : 60;
  const times: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) times.push(t);
  return times;
}

export interface Evaluation {
  /** Seconds. */
  readonly t: number;
  readonly state: AlarmState;
}

/** Every evaluation of the alarm from `from` to `to` (seconds), starting in INSUFFICIENT_DATA (A3). */
export function evaluateAlarm(
  alarm: AlarmDefinition,
  data: MetricData,
  from: number,
  to: number,
  options: EvaluationOptions = {},
): Evaluation[] {
  const period = periodOf(alarm);
  const n = alarm.evaluationPeriods;
  const settings = {
    evaluationPeriods: n,
    datapointsToAlarm: alarm.datapointsToAlarm ?? n,
    treatMissingData: alarm.treatMissingData ?? "missing",
  };
  const size = (options.evaluationRange ?? ((k: number) => k + 2))(n, period);
  if (!(Number.isInteger(size) && size >= n)) throw new Error(`evaluation range ${size} is shorter than ${n} periods`);
  const read = valueReader(alarm, data);
  let state: AlarmState = "INSUFFICIENT_DATA";
  const out: Evaluation[] = [];
  for (const t of evaluationTimes(alarm, from, to)) {
    const range: Judged[] = [];
    for (let i = size - 1; i >= 0; i--) {
      const value = read(t - (i + 1) * period, t - i * period);
      range.push(value === undefined ? undefined : breaches(value, alarm.comparison, alarm.threshold));
    }
    state = evaluateRange(range, settings, state);
    out.push({ t, state });
  }
  return out;
}

/** The distinct states in order: each transition once. */
export function transitions(evaluations: readonly Evaluation[]): AlarmState[] {
  const out: AlarmState[] = [];
  for (const e of evaluations) if (out[out.length - 1] !== e.state) out.push(e.state);
  return out;
}

// ---------------------------------------------------------------------------
// The alarm of an aws_cloudwatch_metric_alarm in a synthesised stack
// ---------------------------------------------------------------------------

const STATISTICS: readonly string[] = ["Average", "Sum", "Minimum", "Maximum", "SampleCount"];
const COMPARISONS: readonly string[] = [
  "GreaterThanOrEqualToThreshold",
  "GreaterThanThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
];

/**
 * The definition of a Terraform `aws_cloudwatch_metric_alarm` (as synthesised
 * JSON). Anything the evaluator does not model (percentiles, anomaly
 * detection bands) throws, naming the alarm: it has to be modelled first.
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_metric_alarm
 */
export function alarmFromTerraform(config: Record<string, any>): AlarmDefinition {
  const name = String(config.alarm_name);
  const unsupported = (what: string) => new Error(`${name}: ${what} is not modelled by the alarm evaluator`);
  if (config.extended_statistic !== undefined) throw unsupported(`extended_statistic ${config.extended_statistic}`);
  if (config.threshold_metric_id !== undefined) throw unsupported("an anomaly detection threshold");
  if (!COMPARISONS.includes(config.comparison_operator)) throw unsupported(`comparison ${config.comparison_operator}`);
  const stat = (value: unknown): Statistic => {
    if (typeof value !== "string" || !STATISTICS.includes(value)) throw unsupported(`statistic ${String(value)}`);
    return value as Statistic;
  };
  const queries: unknown[] = config.metric_query === undefined ? [] : [config.metric_query].flat();
  const metric: AlarmDefinition["metric"] =
    queries.length === 0
      ? {
          metric: { namespace: config.namespace, metricName: config.metric_name, dimensions: config.dimensions ?? {} },
          stat: stat(config.statistic),
          period: config.period,
        }
      : queries.map((raw) => {
          const q = raw as Record<string, any>;
          const m = q.metric === undefined ? undefined : [q.metric].flat()[0];
          return {
            id: q.id,
            returnData: q.return_data === true || (q.return_data === undefined && q.expression !== undefined),
            ...(q.expression !== undefined ? { expression: q.expression } : {}),
            ...(m !== undefined
              ? {
                  metricStat: {
                    metric: { namespace: m.namespace, metricName: m.metric_name, dimensions: m.dimensions ?? {} },
                    stat: stat(m.stat),
                    period: m.period,
                  },
                }
              : {}),
          };
        });
  return {
    name,
    metric,
    evaluationPeriods: config.evaluation_periods,
    datapointsToAlarm: config.datapoints_to_alarm ?? config.evaluation_periods,
    threshold: config.threshold,
    comparison: config.comparison_operator,
    treatMissingData: config.treat_missing_data ?? "missing",
  };
}
