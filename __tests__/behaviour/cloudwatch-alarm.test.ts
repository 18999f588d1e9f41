/**
 * The alarm evaluator against what CloudWatch documents, example by example:
 * the two tables of "How alarm state is evaluated when data is missing" (every
 * row, every missing-data treatment), the premature-alarm rules, the sliding
 * evaluation window, the evaluation cadence, statistics, comparisons and
 * metric math.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 */
import {
  alarmFromTerraform,
  breaches,
  datapoint,
  evaluateAlarm,
  evaluateExpression,
  evaluateRange,
  evaluationTimes,
  parseExpression,
  transitions,
  type AlarmDefinition,
  type AlarmState,
  type Judged,
  type MetricRef,
  type Sample,
  type TreatMissingData,
} from "./cloudwatch-alarm";

/** A row as the documentation prints it, oldest first: 0 not breaching, X breaching, - missing. */
function row(text: string): Judged[] {
  return text.split(" ").map((c) => (c === "X" ? true : c === "0" ? false : undefined));
}

const TREATMENTS: readonly TreatMissingData[] = ["missing", "ignore", "breaching", "notBreaching"];
const RETAIN = "retain current state";
type Documented = AlarmState | typeof RETAIN;

/** Every row of a table, under every treatment, from a current state of OK and of ALARM. */
function tableCases(rows: readonly [string, number, readonly Documented[]][]) {
  return rows.flatMap(([points, filled, states]) =>
    TREATMENTS.flatMap((treatment, i) =>
      (["OK", "ALARM"] as const).map((current) => ({
        points,
        filled,
        treatment,
        current,
        expected: states[i] === RETAIN ? current : (states[i] as AlarmState),
      })),
    ),
  );
}

describe("the documented tables of alarm evaluation with missing data (evaluation range of 5)", () => {
  // "Datapoints to Alarm and Evaluation Periods are both 3."
  test.each(
    tableCases([
      ["0 - X - X", 0, ["OK", "OK", "OK", "OK"]],
      ["0 - - - -", 2, ["OK", "OK", "OK", "OK"]],
      ["- - - - -", 3, ["INSUFFICIENT_DATA", RETAIN, "ALARM", "OK"]],
      ["0 X X - X", 0, ["ALARM", "ALARM", "ALARM", "ALARM"]],
      ["- - X - -", 2, ["ALARM", RETAIN, "ALARM", "OK"]],
    ]),
  )("3 out of 3: $points ($filled to fill) treated as $treatment, from $current: $expected", (c) => {
    expect(
      evaluateRange(
        row(c.points),
        { evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: c.treatment },
        c.current,
      ),
    ).toBe(c.expected);
  });

  // "Datapoints to Alarm is only 2 while Evaluation Periods is 3. This is a 2 out of 3, M out of N alarm."
  test.each(
    tableCases([
      ["0 - X - X", 0, ["ALARM", "ALARM", "ALARM", "ALARM"]],
      ["0 0 X 0 X", 0, ["ALARM", "ALARM", "ALARM", "ALARM"]],
      ["0 - X - -", 1, ["OK", "OK", "ALARM", "OK"]],
      ["- - - - 0", 2, ["OK", "OK", "ALARM", "OK"]],
      ["- - - X -", 2, ["ALARM", RETAIN, "ALARM", "OK"]],
    ]),
  )("2 out of 3: $points ($filled to fill) treated as $treatment, from $current: $expected", (c) => {
    expect(
      evaluateRange(
        row(c.points),
        { evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: c.treatment },
        c.current,
      ),
    ).toBe(c.expected);
  });
});

describe("the documented rules behind the tables", () => {
  const three = { evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: "missing" as const };

  test("with no datapoint missing, the most recent N decide and the older ones are ignored", () => {
    expect(evaluateRange(row("X X 0 0 0"), three, "ALARM")).toBe("OK");
    expect(evaluateRange(row("0 0 X X X"), three, "OK")).toBe("ALARM");
  });

  test("with at least N real datapoints, the N most recent real ones decide and missing data is not used", () => {
    for (const treatMissingData of TREATMENTS) {
      expect(evaluateRange(row("X X - X -"), { ...three, treatMissingData }, "OK")).toBe("ALARM");
      expect(evaluateRange(row("X 0 - X -"), { ...three, treatMissingData }, "ALARM")).toBe("OK");
    }
  });

  test("the breaching datapoints of an M out of N alarm need not be consecutive", () => {
    expect(evaluateRange(row("0 0 X 0 X"), { ...three, datapointsToAlarm: 2 }, "OK")).toBe("ALARM");
  });

  test("with fewer than N real datapoints, every real one counts: a good datapoint 5 periods back keeps the alarm OK", () => {
    // "The next time this alarm is evaluated, if the data is still missing it will go to ALARM."
    const breaching = { ...three, treatMissingData: "breaching" as const };
    expect(evaluateRange(row("0 - - - -"), breaching, "OK")).toBe("OK");
    expect(evaluateRange(row("- - - - -"), breaching, "OK")).toBe("ALARM");
  });

  test("no premature ALARM on recent breaching datapoints after missing ones: - - - - X and - - - X - stay OK", () => {
    expect(evaluateRange(row("- - - - X"), three, "OK")).toBe("OK");
    expect(evaluateRange(row("- - - X -"), three, "OK")).toBe("OK");
    expect(evaluateRange(row("- - - X 0"), three, "OK")).toBe("OK");
    expect(evaluateRange(row("- - X - 0"), three, "OK")).toBe("OK");
  });

  test("ALARM when the oldest breaching datapoint is at least M periods old and nothing more recent is good", () => {
    expect(evaluateRange(row("- - X - -"), three, "OK")).toBe("ALARM");
    expect(evaluateRange(row("- - - X -"), { ...three, datapointsToAlarm: 2 }, "OK")).toBe("ALARM");
  });
});

// ---------------------------------------------------------------------------
// Over time
// ---------------------------------------------------------------------------

const METRIC: MetricRef = { namespace: "Test", metricName: "Value", dimensions: {} };

function alarm(props: Partial<AlarmDefinition> & { period?: number; stat?: "Average" | "Sum" | "Maximum" } = {}) {
  const { period = 300, stat = "Maximum", ...rest } = props;
  return {
    name: "test",
    metric: { metric: METRIC, stat, period },
    evaluationPeriods: 3,
    threshold: 3,
    comparison: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
    ...rest,
  } as AlarmDefinition;
}

const everyMinute = (minutes: number, value: (minute: number) => number | undefined): Sample[] =>
  Array.from({ length: minutes }, (_, m) => ({ t: m * 60, value: value(m) })).filter(
    (s): s is Sample => s.value !== undefined,
  );

describe("an alarm over time", () => {
  test("the documentation's figure: above the threshold in periods 1-5, ALARM from period 3 to 5, OK at 6, still OK after one breach at 9", () => {
    const values = [5, 5, 5, 5, 5, 1, 1, 1, 5, 1];
    const samples = everyMinute(50, (m) => values[Math.floor(m / 5)]);
    const states = evaluateAlarm(alarm(), () => samples, 0, 50 * 60).filter((e) => e.t % 300 === 0);
    expect(states.map((e) => e.state)).toEqual([
      "OK",
      "OK",
      "OK",
      "ALARM",
      "ALARM",
      "ALARM",
      "OK",
      "OK",
      "OK",
      "OK",
      "OK",
    ]);
  });

  test("the window slides by the minute: at the end of minute 5 it covers minutes 1-5, at the end of minute 6 minutes 2-6", () => {
    // A 5-minute period, one evaluation period, a breaching value in the first minute only.
    const samples = everyMinute(7, (m) => (m === 0 ? 10 : 1));
    const states = evaluateAlarm(alarm({ evaluationPeriods: 1 }), () => samples, 0, 6 * 60);
    expect(states.map((e) => [e.t / 60, e.state])).toEqual([
      [0, "OK"],
      [1, "ALARM"],
      [2, "ALARM"],
      [3, "ALARM"],
      [4, "ALARM"],
      [5, "ALARM"],
      [6, "OK"],
    ]);
  });

  test("a new alarm starts in INSUFFICIENT_DATA, and stays there while every datapoint is missing (treated as missing)", () => {
    const states = evaluateAlarm(alarm({ treatMissingData: "missing" }), () => [], 0, 600);
    expect(transitions(states)).toEqual(["INSUFFICIENT_DATA"]);
  });

  test("ignore keeps the state the data last gave", () => {
    const samples = everyMinute(20, () => 5);
    const states = evaluateAlarm(alarm({ treatMissingData: "ignore" }), () => samples, 0, 120 * 60);
    expect(transitions(states)).toEqual(["INSUFFICIENT_DATA", "ALARM"]);
  });

  test.each([
    [60, 60],
    [300, 60],
    [3600, 60],
    [10, 10],
    [30, 10],
  ])("a period of %p s is evaluated every %p s", (period, step) => {
    const times = evaluationTimes(alarm({ period, evaluationPeriods: 1 }), 0, 600);
    expect(times[1]! - times[0]!).toBe(step);
  });

  test("an alarm over more than a day is evaluated once an hour, on the data up to the hour", () => {
    // Period 1 h, 25 evaluation periods: more than a day. A failure at 10:02 is first seen at 11:00.
    const longAlarm = alarm({ period: 3600, evaluationPeriods: 25, datapointsToAlarm: 1, threshold: 0, stat: "Sum" });
    const failure: Sample[] = [{ t: (10 * 60 + 2) * 60, value: 1 }];
    const states = evaluateAlarm(longAlarm, () => failure, 9 * 3600, 12 * 3600);
    expect(states.map((e) => [e.t / 3600, e.state])).toEqual([
      [9, "OK"],
      [10, "OK"],
      [11, "ALARM"],
      [12, "ALARM"],
    ]);
  });
});

describe("statistics and comparisons", () => {
  const samples: Sample[] = [1, 4, 2, 9].map((value, i) => ({ t: i * 60, value }));

  test.each([
    ["Sum", 16],
    ["Average", 4],
    ["Minimum", 1],
    ["Maximum", 9],
    ["SampleCount", 4],
  ] as const)("%s over a period's samples is %p", (stat, expected) => {
    expect(datapoint(samples, stat, 0, 300)).toBe(expected);
  });

  test("a period without a sample is a missing datapoint, not zero", () => {
    expect(datapoint(samples, "Sum", 300, 600)).toBeUndefined();
  });

  test.each([
    ["GreaterThanThreshold", 3, false, 4, true],
    ["GreaterThanOrEqualToThreshold", 2, false, 3, true],
    ["LessThanThreshold", 3, false, 2, true],
    ["LessThanOrEqualToThreshold", 4, false, 3, true],
  ] as const)("%s 3: %p breaches %p, %p breaches %p", (comparison, a, aBreaches, b, bBreaches) => {
    expect(breaches(a, comparison, 3)).toBe(aBreaches);
    expect(breaches(b, comparison, 3)).toBe(bBreaches);
  });
});

describe("metric math", () => {
  // "metric1 has values of [30, 20, 0, 0] and metric2 has values of [20, -, 20, -]"
  const metric1 = [30, 20, 0, 0];
  const metric2 = [20, undefined, 20, undefined];
  const series = (text: string) =>
    metric1.map((_, i) =>
      evaluateExpression(parseExpression(text), (id) => (id === "metric1" ? metric1[i] : metric2[i])),
    );

  test.each([
    ["metric1 < metric2", [0, 0, 1, 0]],
    ["metric1 >= 30", [1, 0, 0, 0]],
    ["metric1 > 15 AND metric2 > 15", [1, 0, 0, 0]],
  ])("the documented comparison %s gives %p", (text, expected) => {
    expect(series(text)).toEqual(expected);
  });

  test("arithmetic treats a missing value as 0, and a period where every operand is missing stays missing", () => {
    expect(series("metric1 + metric2")).toEqual([50, 20, 20, 0]);
    expect(evaluateExpression(parseExpression("m1 + m2"), () => undefined)).toBeUndefined();
  });

  test("a division by zero drops the datapoint", () => {
    expect(series("metric2 / metric1")).toEqual([20 / 30, 0, undefined, undefined]);
  });

  test("FILL replaces missing values; precedence and parentheses are arithmetic's", () => {
    expect(series("FILL(metric2, 7)")).toEqual([20, 7, 20, 7]);
    expect(evaluateExpression(parseExpression("-2 * (3 + 4) ^ 2 / 7"), () => undefined)).toBe(-14);
  });

  test("fails on a function the evaluator does not model, naming it", () => {
    expect(() => evaluateExpression(parseExpression("RATE(m1)"), () => 1)).toThrow("RATE(...) is not modelled");
  });

  test("an alarm on an expression over two metrics evaluates the expression per period", () => {
    const errors: MetricRef = { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: "f" } };
    const invocations: MetricRef = { ...errors, metricName: "Invocations" };
    const definition = alarmFromTerraform({
      alarm_name: "error-rate",
      comparison_operator: "GreaterThanThreshold",
      evaluation_periods: 2,
      threshold: 0.1,
      treat_missing_data: "notBreaching",
      metric_query: [
        { id: "rate", expression: "errors / invocations", return_data: true },
        {
          id: "errors",
          metric: {
            namespace: "AWS/Lambda",
            metric_name: "Errors",
            dimensions: { FunctionName: "f" },
            period: 60,
            stat: "Sum",
          },
        },
        {
          id: "invocations",
          metric: {
            namespace: "AWS/Lambda",
            metric_name: "Invocations",
            dimensions: { FunctionName: "f" },
            period: 60,
            stat: "Sum",
          },
        },
      ],
    });
    const data = (ref: MetricRef): Sample[] =>
      ref.metricName === errors.metricName
        ? everyMinute(10, (m) => (m >= 3 && m < 6 ? 5 : 0))
        : ref.metricName === invocations.metricName
          ? everyMinute(10, () => 10)
          : [];
    expect(transitions(evaluateAlarm(definition, data, 60, 600))).toEqual(["OK", "ALARM", "OK"]);
  });
});

describe("alarms as Terraform declares them", () => {
  const base = {
    alarm_name: "a",
    namespace: "AWS/Firehose",
    metric_name: "IncomingRecords",
    dimensions: { DeliveryStreamName: "s" },
    statistic: "Sum",
    comparison_operator: "LessThanThreshold",
    threshold: 1,
    period: 300,
    evaluation_periods: 6,
  };

  test("datapoints to alarm defaults to the evaluation periods, missing data to missing", () => {
    expect(alarmFromTerraform(base)).toMatchObject({
      evaluationPeriods: 6,
      datapointsToAlarm: 6,
      treatMissingData: "missing",
    });
  });

  test.each([
    [{ extended_statistic: "p99", statistic: undefined }, "extended_statistic p99"],
    [{ threshold_metric_id: "ad1" }, "an anomaly detection threshold"],
    [
      { comparison_operator: "LessThanLowerOrGreaterThanUpperThreshold" },
      "comparison LessThanLowerOrGreaterThanUpperThreshold",
    ],
  ])("fails on what the evaluator does not model, naming the alarm: %p", (change, what) => {
    expect(() => alarmFromTerraform({ ...base, ...change })).toThrow(
      `a: ${what} is not modelled by the alarm evaluator`,
    );
  });
});
