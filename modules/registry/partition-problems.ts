/**
 * One registry, one partition. The partition comes from the Regions: that of
 * logArchive.region (`us-gov-*` is aws-us-gov, `cn-*` aws-cn, any other Region
 * aws). Every other Region and every ARN the registry names must be in it: an
 * account of one partition cannot use a role, key or bucket of another (each
 * account is scoped to one partition), so a mix would only fail at apply, in
 * one stack out of many.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 * @see https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/using-govcloud-arns.html
 */
import { partitionOfArn } from "../naming/arn";
import { partitionOf, type Partition } from "../naming/partition";
import { ALL_REGIONS } from "../naming/regions";
import type { PathSegment } from "./errors";
import type { RegistryData } from "./schema";
import type { SemanticProblem } from "./semantics";

const REGION_NAMES: ReadonlySet<string> = new Set(ALL_REGIONS);

/** What each partition does not offer that the registry can ask for, by path, with why. */
interface Unavailable {
  readonly path: readonly PathSegment[];
  readonly asked: (data: RegistryData) => boolean;
  readonly message: (partition: Partition) => string;
}

const UNAVAILABLE: readonly Unavailable[] = [
  {
    // The role trusts Azure's commercial OIDC issuer (sts.windows.net) and
    // Microsoft's commercial connector; Azure Government is not modelled.
    path: ["siem", "sentinel"],
    asked: (data) => data.siem.sentinel !== undefined,
    message: (partition) =>
      `is not offered in ${partition}: the Sentinel role trusts Microsoft Sentinel's commercial Azure issuer (remove siem.sentinel; feed the SIEM through siem.readerPrincipals)`,
  },
];

/**
 * Paths of values the schema defaults to commercial ARNs, checked only when
 * the section that uses them is on (otherwise the default is never used).
 */
function defaultsInUse(data: RegistryData, path: readonly PathSegment[]): boolean {
  if (path[0] === "terraformCloud" && path[1] === "access") return data.terraformCloud.access.enabled === true;
  if (path[0] === "atlantis" && path[1] === "access") return data.atlantis.access.enabled === true;
  return true;
}

/** Every string of `value` with its path. */
function* strings(value: unknown, path: readonly PathSegment[]): Generator<[string, readonly PathSegment[]]> {
  if (typeof value === "string") yield [value, path];
  else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* strings(item, [...path, index]);
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) yield* strings(item, [...path, key]);
  }
}

export function partitionProblems(data: RegistryData): SemanticProblem[] {
  const partition = partitionOf(data.logArchive.region);
  const problems: SemanticProblem[] = [];
  for (const [value, path] of strings(data, [])) {
    if (path.length === 2 && path[0] === "logArchive" && path[1] === "region") continue;
    if (REGION_NAMES.has(value) && partitionOf(value) !== partition) {
      problems.push({
        rule: "one-partition",
        path,
        message: `expected a Region of the ${partition} partition, that of logArchive.region (${data.logArchive.region}): a registry deploys to one partition`,
      });
    } else if (value.startsWith("arn:") && partitionOfArn(value) !== partition && defaultsInUse(data, path)) {
      problems.push({
        rule: "one-partition",
        path,
        message: `expected an ARN of the ${partition} partition (arn:${partition}:...), that of logArchive.region (${data.logArchive.region}): an account cannot use another partition's resources${
          path[0] === "terraformCloud" || path[0] === "atlantis"
            ? "; set it explicitly, its default names the commercial partition"
            : ""
        }`,
      });
    }
  }
  if (partition !== "aws") {
    for (const unavailable of UNAVAILABLE) {
      if (unavailable.asked(data))
        problems.push({
          rule: "partition-unavailable",
          path: unavailable.path,
          message: unavailable.message(partition),
          quoteValue: false,
        });
    }
  }
  return problems;
}
