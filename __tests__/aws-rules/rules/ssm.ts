/**
 * AWS Systems Manager Parameter Store: parameter names, values per tier,
 * and names unique per Region.
 *
 * Checked by the provider already, so not here: name length 1-2048 (the
 * API's reported maximum, not the 1,011 a caller may use), type and tier
 * (enums), description (0-1024) and allowed_pattern (0-1024).
 */
import type { TfJson } from "../../helpers/synth";
import { defineRule, type Rule } from "../lib/rule";
import { all, applyValue, literal, partitionOfRegion, regionOf, stackAccount, unresolved, type Res } from "../lib/tf";
import { uniqueNameRule } from "../lib/unique";

const SERVICE = "ssm";
const NEEDS = "monitoring.alarms.enabled with monitoring.alarms.sources deliveryWatch or both (the delivery watch)";
const PUT_PARAMETER = "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html";

const literalName = (value: unknown): value is string => typeof value === "string" && !unresolved(value);

const parameters = (stack: TfJson) => all(stack, "aws_ssm_parameter");

/** The segments of a parameter name: `/a/b/c` is a, b, c; a name without `/` is one segment. */
export function segments(name: string): string[] {
  return (name.startsWith("/") ? name.slice(1) : name).split("/");
}

export const parameterName = defineRule<Res>({
  id: "ssm-parameter-name",
  service: SERVICE,
  source: PUT_PARAMETER,
  description:
    "Name: 'can include only the following symbols and letters: a-zA-Z0-9_.-' plus '/' to delineate hierarchies, " +
    'no spaces; \'can\'t be prefixed with "aws" or "ssm" (case-insensitive)\', checked on the name and on the ' +
    "first segment of a hierarchical one (the stricter reading); 'For parameters in a hierarchy, you must include " +
    "a leading forward slash character (/)'; 'Parameter hierarchies are limited to a maximum depth of fifteen " +
    "levels' (read as at most 15 segments).",
  needs: NEEDS,
  targets: (stack) => parameters(stack).filter((p) => literalName(p.config.name)),
  address: (p) => p.address,
  violations: (p) => {
    const name = literal(p.config.name);
    const out: string[] = [];
    if (!/^[a-zA-Z0-9_.\-/]+$/.test(name)) out.push(`parameter name "${name}" must be of [a-zA-Z0-9_.-/]`);
    const head = segments(name)[0] ?? "";
    if (/^(aws|ssm)/i.test(name) || /^(aws|ssm)/i.test(head))
      out.push(`parameter name "${name}" is prefixed with the reserved "aws" or "ssm"`);
    if (name.includes("/") && !name.startsWith("/"))
      out.push(`hierarchical parameter name "${name}" must start with "/"`);
    const depth = segments(name).length;
    if (depth > 15) out.push(`parameter name "${name}" has ${depth} levels, at most 15`);
    return out;
  },
});

/** The ARN that precedes the name: `arn:aws:ssm:<region>:<account>:parameter/`; `/a/b` becomes `parameter/a/b`. */
export function parameterArn(stack: TfJson, p: Res): string {
  const region = regionOf(stack, p.config);
  const account = stackAccount(stack) ?? "123456789012";
  const name = literal(p.config.name);
  return `arn:${partitionOfRegion(region)}:ssm:${region}:${account}:parameter/${name.replace(/^\//, "")}`;
}

export const parameterNameLength = defineRule<Res>({
  id: "ssm-parameter-name-length",
  service: SERVICE,
  source: PUT_PARAMETER,
  description:
    "'The maximum length for a parameter name that you specify is 1011 characters. This count of 1011 characters " +
    "includes the characters in the ARN that precede the name you specify' (for example " +
    "arn:aws:ssm:us-east-2:111122223333:parameter/, 45 characters). The provider only checks the reported 2048.",
  needs: NEEDS,
  targets: (stack) => parameters(stack).filter((p) => literalName(p.config.name)),
  address: (p) => p.address,
  violations: (p, stack) => {
    const length = parameterArn(stack, p).length;
    return length <= 1011 ? [] : [`parameter name with its ARN is ${length} characters, at most 1011`];
  },
});

/** Value limit per tier: Standard 4 KB, Advanced 8 KB. */
export const VALUE_LIMIT: Record<string, number> = { Standard: 4096, Advanced: 8192 };

export const parameterValue = defineRule<Res>({
  id: "ssm-parameter-value",
  service: SERVICE,
  source: PUT_PARAMETER,
  description:
    "Value: 'Standard parameters have a value limit of 4 KB. Advanced parameters have a value limit of 8 KB' " +
    "(PutParameter's error: 'Standard tier parameters support a maximum parameter value of 4096 characters'); " +
    "measured as the larger of characters and UTF-8 bytes, references resolved or at their worst-case length. " +
    "No tier is judged as Standard (the default tier configuration unless the account changed it); " +
    "Intelligent-Tiering creates an advanced parameter when the request needs one, so 8 KB. 'You can't include values wrapped in double brackets {{}} or {{ssm:parameter-name}} in a " +
    "parameter value.'",
  needs: NEEDS,
  targets: (stack) => parameters(stack).filter((p) => typeof (p.config.value ?? p.config.insecure_value) === "string"),
  address: (p) => p.address,
  violations: (p, stack) => {
    const value = applyValue(stack, String(p.config.value ?? p.config.insecure_value));
    const tier = p.config.tier === "Advanced" || p.config.tier === "Intelligent-Tiering" ? "Advanced" : "Standard";
    const limit = VALUE_LIMIT[tier]!;
    const size = Math.max([...value].length, Buffer.byteLength(value, "utf8"));
    const out: string[] = [];
    if (size > limit) out.push(`${tier} parameter value is ${size} characters/bytes, at most ${limit}`);
    if (/\{\{[\s\S]*?\}\}/.test(value)) out.push("parameter value contains {{...}}, which Parameter Store rejects");
    return out;
  },
});

export const parameterNamesUnique = uniqueNameRule({
  id: "ssm-parameter-name-unique",
  service: SERVICE,
  source: PUT_PARAMETER,
  description:
    "'A parameter name must be unique within an Amazon Web Services Region': a second PutParameter without " +
    "Overwrite fails (ParameterAlreadyExists), with it the two resources overwrite each other.",
  needs: NEEDS,
  type: "aws_ssm_parameter",
  nameOf: (c) => (typeof c.name === "string" ? literal(c.name) : c.name),
  perRegion: true,
});

export const rules: readonly Rule[] = [parameterName, parameterNameLength, parameterValue, parameterNamesUnique];
