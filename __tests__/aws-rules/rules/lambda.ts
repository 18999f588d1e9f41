/**
 * AWS Lambda: function configuration the provider passes through unchecked
 * (environment, description, handler, execution role), names and statement
 * ids unique where Lambda requires it, reserved concurrency, and the
 * permission an EventBridge rule needs to invoke a function.
 *
 * Checked by the provider already, so not here: function_name (pattern, 64
 * characters), handler length (1-128), memory_size (128-10240), timeout
 * (1-900), runtime (the API's enum), reserved_concurrent_executions (>= -1),
 * and a permission's statement_id (pattern, 1-100) and source_arn (an ARN).
 */
import type { TfJson } from "../../helpers/synth";
import { actionMatches, arnMatches, list, principals, statementsOf } from "../lib/policy";
import { defineRule, type Rule } from "../lib/rule";
import { all, applyValue, arnOf, first, literal, refTo, stackAccount, unresolved, type Res } from "../lib/tf";
import { uniqueNameRule } from "../lib/unique";
import { ruleOfTarget } from "./events";

const SERVICE = "lambda";
const NEEDS = "monitoring.alarms.enabled with monitoring.alarms.sources deliveryWatch or both (the delivery watch)";
const ENVVARS = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html";
const CREATE_FUNCTION = "https://docs.aws.amazon.com/lambda/latest/dg/API_CreateFunction.html";

const functions = (stack: TfJson) => all(stack, "aws_lambda_function");

/** The environment variables of a function, or undefined when it sets none. */
function variables(fn: Res): Record<string, unknown> | undefined {
  const v = first(fn.config.environment)?.variables;
  return v && typeof v === "object" ? (v as Record<string, unknown>) : undefined;
}

/**
 * Keys Lambda reserves ("Defined runtime environment variables"). TZ, LANG,
 * PATH, NODE_PATH and the X-Ray settings are listed there as unreserved.
 */
export const RESERVED_ENVIRONMENT_KEYS = [
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_DEFAULT_REGION",
  "AWS_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
] as const;

export const environmentKeys = defineRule<Res>({
  id: "lambda-environment-variable-keys",
  service: SERVICE,
  source: ENVVARS,
  description:
    "Environment variable keys 'start with a letter and are at least two characters', 'only contain letters, " +
    "numbers, and the underscore character' (API key pattern [a-zA-Z]([a-zA-Z0-9_])+) and 'aren't reserved by " +
    `Lambda': ${RESERVED_ENVIRONMENT_KEYS.join(", ")} (the page's list of defined runtime environment variables; ` +
    "AWS_DEFAULT_REGION and AWS_LAMBDA_INITIALIZATION_TYPE are listed on its current version, AWS_ACCESS_KEY on " +
    "the 2023 one).",
  needs: NEEDS,
  targets: (stack) => functions(stack).filter((f) => variables(f) !== undefined),
  address: (f) => f.address,
  violations: (f) =>
    Object.keys(variables(f)!).flatMap((key) => {
      if (!/^[a-zA-Z][a-zA-Z0-9_]+$/.test(key))
        return [`environment variable key "${key}" must start with a letter and be 2+ of [a-zA-Z0-9_]`];
      return (RESERVED_ENVIRONMENT_KEYS as readonly string[]).includes(key)
        ? [`environment variable key "${key}" is reserved by Lambda`]
        : [];
    }),
});

/** Lambda's quota on all of a function's environment variables, in aggregate. */
export const ENVIRONMENT_BYTES = 4096;

/** The variables as sent, references resolved (or at their worst-case length), as one JSON object. */
export function environmentJson(stack: TfJson, vars: Record<string, unknown>): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, typeof v === "string" ? applyValue(stack, v) : v])),
  );
}

export const environmentSize = defineRule<Res>({
  id: "lambda-environment-variables-size",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html",
  description:
    "'Function environment variables: 4 KB, for all environment variables associated with the function, in " +
    "aggregate' (configuration-envvars: 'The total size of all environment variables doesn't exceed 4 KB'). " +
    "Measured as the UTF-8 bytes of the variables as one JSON object, references resolved or at their worst-case " +
    "length, against 4,096: the pages do not say how Lambda counts, and the JSON form (the one Lambda's error " +
    "message quotes) is larger than keys plus values, so the stricter reading.",
  needs: NEEDS,
  targets: (stack) => functions(stack).filter((f) => variables(f) !== undefined),
  address: (f) => f.address,
  violations: (f, stack) => {
    const bytes = Buffer.byteLength(environmentJson(stack, variables(f)!), "utf8");
    return bytes <= ENVIRONMENT_BYTES
      ? []
      : [`environment variables are ${bytes} bytes as JSON, at most ${ENVIRONMENT_BYTES}`];
  },
});

export const functionDescription = defineRule<Res>({
  id: "lambda-function-description",
  service: SERVICE,
  source: CREATE_FUNCTION,
  description: "Description: 'Length Constraints: Minimum length of 0. Maximum length of 256.'",
  needs: NEEDS,
  targets: (stack) => functions(stack).filter((f) => typeof f.config.description === "string"),
  address: (f) => f.address,
  violations: (f) => {
    const length = [...literal(f.config.description)].length;
    return length <= 256 ? [] : [`description is ${length} characters, at most 256`];
  },
});

export const handler = defineRule<Res>({
  id: "lambda-handler",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html",
  description:
    "Handler: API pattern [^\\s]+ (CreateFunction, no white space; the provider checks only its length). For a " +
    "Node.js runtime the handler is '<file>.<exported function>' (for example index.handler, the file path " +
    "relative to the package root): a handler without a dot fails only at invocation (Runtime.HandlerNotFound), " +
    "not at apply.",
  needs: NEEDS,
  targets: (stack) =>
    functions(stack).filter((f) => typeof f.config.handler === "string" && !unresolved(f.config.handler)),
  address: (f) => f.address,
  violations: (f) => {
    const h: string = f.config.handler;
    if (/\s/.test(h)) return [`handler "${h}" must not contain white space`];
    const node = typeof f.config.runtime === "string" && f.config.runtime.startsWith("nodejs");
    return node && !/^[^.]+\.[^.](.*[^.])?$/.test(h.replace(/^.*\//, ""))
      ? [`handler "${h}" is not <file>.<exported function> as a Node.js runtime expects`]
      : [];
  },
});

export const executionRoleTrust = defineRule<{ fn: Res; role: Res }>({
  id: "lambda-execution-role-trust",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
  description:
    "'In order for Lambda to properly assume your execution role, the role's trust policy must specify the Lambda " +
    "service principal (lambda.amazonaws.com) as a trusted service'; CreateFunction otherwise fails with " +
    "InvalidParameterValueException ('an IAM role ... that AWS Lambda is unable to assume', in the API's errors). " +
    "Checked for roles of the same stack: an Allow statement naming Service lambda.amazonaws.com for " +
    "sts:AssumeRole (conditions not evaluated).",
  needs: NEEDS,
  targets: (stack) =>
    functions(stack).flatMap((fn) => {
      const role = refTo(stack, fn.config.role);
      return role?.type === "aws_iam_role" ? [{ fn, role }] : [];
    }),
  address: ({ fn }) => fn.address,
  violations: ({ role }) => {
    const statements = statementsOf(role.config.assume_role_policy) ?? [];
    const trusted = statements.some(
      (s) =>
        s.Effect === "Allow" &&
        principals(s).includes("Service:lambda.amazonaws.com") &&
        list(s.Action).some((a) => actionMatches(a, "sts:AssumeRole")),
    );
    return trusted ? [] : [`execution role ${role.address} does not trust lambda.amazonaws.com for sts:AssumeRole`];
  },
});

/** Actions a traced function's role must allow: X-Ray's write actions, on any resource. */
const TRACE_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"] as const;

export const activeTracingPermissions = defineRule<{ fn: Res; role: Res }>({
  id: "lambda-active-tracing-permissions",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html",
  description:
    "A function with active tracing sends traces with its execution role, which needs xray:PutTraceSegments and " +
    "xray:PutTelemetryRecords (AWS's AWSXRayDaemonWriteAccess policy grants them on '*'). CreateFunction and " +
    "UpdateFunctionConfiguration otherwise fail: 'The provided execution role does not have permissions to call " +
    "PutTraceSegments on XRAY' (InvalidParameterValueException, reported in aws/aws-cdk and serverless issues). " +
    "Checked over the role's inline policies of the same stack, which must also exist before the function " +
    "(referenced or in depends_on).",
  needs: NEEDS,
  targets: (stack) =>
    functions(stack).flatMap((fn) => {
      if (first(fn.config.tracing_config)?.mode !== "Active") return [];
      const role = refTo(stack, fn.config.role);
      return role?.type === "aws_iam_role" ? [{ fn, role }] : [];
    }),
  address: ({ fn }) => fn.address,
  violations: ({ fn, role }, stack) => {
    const policies = all(stack, "aws_iam_role_policy").filter((p) => refTo(stack, p.config.role)?.name === role.name);
    const allowed = (action: string) =>
      policies.some((p) =>
        (statementsOf(p.config.policy) ?? []).some(
          (s) =>
            s.Effect === "Allow" &&
            list(s.Action).some((a) => actionMatches(a, action)) &&
            list(s.Resource).includes("*"),
        ),
      );
    const missing = TRACE_ACTIONS.filter((a) => !allowed(a));
    if (missing.length > 0) return [`execution role ${role.address} does not allow ${missing.join(", ")} on "*"`];
    const dependsOn = list(fn.config.depends_on).map(String);
    const ordered = policies.some((p) => dependsOn.includes(p.address));
    return ordered ? [] : [`${fn.address} does not depend on the inline policy that grants its tracing permissions`];
  },
});

export const functionNamesUnique = uniqueNameRule({
  id: "lambda-function-name-unique",
  service: SERVICE,
  source: CREATE_FUNCTION,
  description:
    "A function name is unique per account and Region: CreateFunction of an existing name fails with " +
    "ResourceConflictException ('The resource already exists').",
  needs: NEEDS,
  type: "aws_lambda_function",
  nameOf: (c) => c.function_name,
  perRegion: true,
});

/** The function a permission's (or target's) function_name or ARN designates, when it is in the stack. */
export function functionOf(stack: TfJson, value: unknown): Res | undefined {
  const ref = refTo(stack, value);
  if (ref) return ref.type === "aws_lambda_function" ? ref : undefined;
  if (typeof value !== "string" || unresolved(value)) return undefined;
  const m = /^(?:arn:[\w-]+:lambda:[\w-]+:\d{12}:function:|\d{12}:function:)?([A-Za-z0-9_-]+)$/.exec(value);
  return m ? functions(stack).find((f) => f.config.function_name === m[1]) : undefined;
}

export const statementIdsUnique = defineRule<string>({
  id: "lambda-permission-statement-id-unique",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/lambda/latest/dg/API_AddPermission.html",
  description:
    "StatementId is 'a statement identifier that differentiates the statement from others in the same policy': " +
    "a second permission of one function (and qualifier) with the same id fails with ResourceConflictException " +
    "('The resource already exists').",
  needs: NEEDS,
  targets: (stack) => [...new Set(all(stack, "aws_lambda_permission").flatMap((p) => permissionKey(stack, p) ?? []))],
  address: (key) => `aws_lambda_permission[${key}]`,
  violations: (key, stack) => {
    const holders = all(stack, "aws_lambda_permission").filter((p) => permissionKey(stack, p) === key);
    return holders.length > 1
      ? [`statement id used by ${holders.length} permissions: ${holders.map((h) => h.address).join(", ")}`]
      : [];
  },
});

function permissionKey(stack: TfJson, p: Res): string | undefined {
  const fn = functionOf(stack, p.config.function_name);
  const id = p.config.statement_id;
  if (!fn || typeof id !== "string" || unresolved(id)) return undefined;
  return `${fn.address}${p.config.qualifier ? `:${p.config.qualifier}` : ""}/${id}`;
}

interface FunctionTarget {
  readonly target: Res;
  readonly fn: Res;
  /** The ARN of the rule the target belongs to, when known. */
  readonly ruleArn: string | undefined;
}

export const eventsTargetPermission = defineRule<FunctionTarget>({
  id: "lambda-events-target-permission",
  service: SERVICE,
  source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html",
  description:
    "EventBridge invokes a Lambda target through the function's resource-based policy: each rule targeting a " +
    "function needs an aws_lambda_permission of that function (no qualifier) for principal events.amazonaws.com " +
    "and lambda:InvokeFunction whose source_arn, if any, matches the rule's ARN (and source_account, if any, the " +
    "rule's account); AddPermission compares SourceArn 'using the StringLike operator', so wildcards count. Without " +
    "it PutTargets succeeds and every invocation fails, silently: not an apply-time error.",
  needs: NEEDS,
  targets: (stack) =>
    all(stack, "aws_cloudwatch_event_target").flatMap((target) => {
      const fn = functionOf(stack, target.config.arn);
      if (!fn) return [];
      const rule = ruleOfTarget(stack, target);
      return [{ target, fn, ruleArn: rule ? arnOf(stack, rule) : undefined }];
    }),
  address: ({ target }) => target.address,
  violations: ({ target, fn, ruleArn }, stack) => {
    const account = stackAccount(stack);
    const grants = all(stack, "aws_lambda_permission").filter((p) => {
      const c = p.config;
      if (functionOf(stack, c.function_name)?.address !== fn.address || c.qualifier) return false;
      if (c.principal !== "events.amazonaws.com" || !actionMatches(String(c.action), "lambda:InvokeFunction"))
        return false;
      if (c.source_account !== undefined && account !== undefined && c.source_account !== account) return false;
      if (c.source_arn === undefined) return true;
      const source = applyValue(stack, String(c.source_arn));
      return ruleArn === undefined || arnMatches(source, ruleArn);
    });
    return grants.length > 0
      ? []
      : [
          `no aws_lambda_permission lets events.amazonaws.com invoke ${fn.address}` +
            (ruleArn ? ` from ${ruleArn}` : "") +
            ` for ${target.address}`,
        ];
  },
});

export const rules: readonly Rule[] = [
  environmentKeys,
  environmentSize,
  functionDescription,
  handler,
  executionRoleTrust,
  activeTracingPermissions,
  functionNamesUnique,
  statementIdsUnique,
  eventsTargetPermission,
];
