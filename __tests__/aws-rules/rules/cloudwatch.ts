/**
 * Amazon CloudWatch metric alarms: period, evaluation range, datapoints and names.
 */
import { defineRule, type Rule } from "../lib/rule";
import { all, type Res } from "../lib/tf";
import { uniqueNameRule } from "../lib/unique";

const SERVICE = "cloudwatch";
const PUT_METRIC_ALARM = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html";

const alarms = (stack: Parameters<typeof all>[0]) => all(stack, "aws_cloudwatch_metric_alarm");

/** Periods of the alarm: its own, or those of the metric queries of a metric-math alarm. */
function periods(alarm: Res): number[] {
  if (alarm.config.period !== undefined) return [alarm.config.period];
  return (alarm.config.metric_query ?? []).flatMap((q: any) => q.metric?.[0]?.period ?? q.metric?.period ?? []);
}

export const alarmPeriod = defineRule<Res>({
  id: "cloudwatch-alarm-period",
  service: SERVICE,
  source: PUT_METRIC_ALARM,
  description: "Period: 'Valid values are 10, 20, 30, and any multiple of 60.'",
  needs: "monitoring.alarms.enabled",
  targets: (stack) => alarms(stack).filter((a) => periods(a).length > 0),
  address: (a) => a.address,
  violations: (a) =>
    periods(a)
      .filter((p) => !([10, 20, 30].includes(p) || (Number.isInteger(p) && p > 0 && p % 60 === 0)))
      .map((p) => `period ${p} is not 10, 20, 30 or a multiple of 60`),
});

export const alarmEvaluationRange = defineRule<Res>({
  id: "cloudwatch-alarm-evaluation-range",
  service: SERVICE,
  source: PUT_METRIC_ALARM,
  description:
    "'Period multiplied by EvaluationPeriods can't be more than 604,800 seconds. For alarms with a period of less " +
    "than one hour (3,600 seconds), the total evaluation period can't be longer than one day (86,400 seconds).'",
  needs: "monitoring.alarms.enabled",
  targets: (stack) => alarms(stack).filter((a) => periods(a).length > 0 && a.config.evaluation_periods !== undefined),
  address: (a) => a.address,
  violations: (a) => {
    const period = Math.max(...periods(a));
    const total = period * a.config.evaluation_periods;
    const limit = period < 3600 ? 86_400 : 604_800;
    return total <= limit
      ? []
      : [`period ${period} x evaluation_periods ${a.config.evaluation_periods} = ${total} s, at most ${limit}`];
  },
});

export const alarmDatapoints = defineRule<Res>({
  id: "cloudwatch-alarm-datapoints",
  service: SERVICE,
  source: PUT_METRIC_ALARM,
  description:
    "EvaluationPeriods is at least 1 and DatapointsToAlarm, the M of an 'M out of N' alarm, is 1 to EvaluationPeriods. " +
    "The upper bound M <= N follows from the M-out-of-N definition; the API page read gives only the minimum of 1.",
  needs: "monitoring.alarms.enabled",
  targets: (stack) => alarms(stack).filter((a) => a.config.evaluation_periods !== undefined),
  address: (a) => a.address,
  violations: (a) => {
    const n = a.config.evaluation_periods;
    const m = a.config.datapoints_to_alarm;
    const out: string[] = [];
    if (!(Number.isInteger(n) && n >= 1)) out.push(`evaluation_periods is ${n}, at least 1`);
    if (m !== undefined && !(Number.isInteger(m) && m >= 1 && m <= n))
      out.push(`datapoints_to_alarm ${m} must be 1 to evaluation_periods (${n})`);
    return out;
  },
});

export const alarmNames = defineRule<Res>({
  id: "cloudwatch-alarm-name-and-description",
  service: SERVICE,
  source: PUT_METRIC_ALARM,
  description:
    "AlarmName is 1-255 characters and AlarmDescription at most 1,024 characters (length constraints of the API " +
    "model, not re-read from the page in this review).",
  needs: "monitoring.alarms.enabled",
  targets: alarms,
  address: (a) => a.address,
  violations: (a) => {
    const out: string[] = [];
    const { alarm_name: name, alarm_description: description } = a.config;
    if (typeof name === "string" && !(name.length >= 1 && name.length <= 255))
      out.push(`alarm name is ${name.length} characters, must be 1-255`);
    if (typeof description === "string" && description.length > 1024)
      out.push(`alarm description is ${description.length} characters, at most 1024`);
    return out;
  },
});

export const alarmNamesUnique = uniqueNameRule({
  id: "cloudwatch-alarm-name-unique",
  service: SERVICE,
  source: PUT_METRIC_ALARM,
  description:
    "PutMetricAlarm 'creates or updates an alarm': a second alarm of the same name in the account and Region " +
    "silently replaces the first, and the two resources then fight on every apply.",
  needs: "monitoring.alarms.enabled",
  type: "aws_cloudwatch_metric_alarm",
  nameOf: (c) => c.alarm_name,
  perRegion: true,
});

export const rules: readonly Rule[] = [
  alarmPeriod,
  alarmEvaluationRange,
  alarmDatapoints,
  alarmNames,
  alarmNamesUnique,
];
