/**
 * What an embedder's props are checked for before a construct reads them:
 * the registry's schema guarantees these for its own props (a known Region,
 * one partition, values of the documented sets, well-formed principal ARNs,
 * the required props present), but a TypeScript type is erased at run time
 * and JavaScript callers pass anything. A wrong value here would otherwise
 * synthesise silently (`mode: "Listed"` subscribes nothing, a Region typo
 * names a bucket that never exists) or fail with a TypeError deep inside.
 * Each function returns problems in the constructs' "path: message" form.
 */
import { Token } from "cdktf";
import { partitionOfRegion } from "../naming/partition";
import { ALL_REGIONS } from "../naming/regions";

const KNOWN_REGIONS: ReadonlySet<string> = new Set(ALL_REGIONS);

/** Props that must be given, and the props object itself. */
export function requiredProblems(props: unknown, required: readonly string[]): string[] {
  if (props === null || typeof props !== "object") {
    return [`props: required, an object with ${required.join(", ")}`];
  }
  const given = props as Record<string, unknown>;
  return required.filter((key) => given[key] === undefined || given[key] === null).map((key) => `${key}: required`);
}

/** A Region of the partitions the app knows (a token is taken as given). */
export function regionProblems(path: string, region: unknown): string[] {
  if (region === undefined || (typeof region === "string" && Token.isUnresolved(region))) return [];
  if (typeof region === "string" && KNOWN_REGIONS.has(region)) return [];
  return [
    `${path}: unknown AWS Region; expected one of the Regions listed in modules/naming/regions.ts, got ${JSON.stringify(region)}`,
  ];
}

/**
 * Regions that must share the partition of `home` (an archive and its
 * replica, a source and its archive): an account cannot use another
 * partition's resources.
 */
export function samePartitionProblems(
  home: { readonly path: string; readonly region: unknown },
  others: readonly { readonly path: string; readonly region: unknown }[],
): string[] {
  const partitionOf = (r: unknown) =>
    typeof r === "string" && KNOWN_REGIONS.has(r) ? partitionOfRegion(r) : undefined;
  const partition = partitionOf(home.region);
  if (!partition) return [];
  return others
    .filter((o) => {
      const theirs = partitionOf(o.region);
      return theirs !== undefined && theirs !== partition;
    })
    .map(
      (o) =>
        `${o.path}: expected a Region of the ${partition} partition, that of ${home.path} (${String(home.region)}), got ${JSON.stringify(o.region)}`,
    );
}

/** A value of a documented set (case matters: AWS's and the constructs' values are exact). */
export function oneOfProblems(path: string, value: unknown, allowed: readonly string[]): string[] {
  if (value === undefined || (typeof value === "string" && (allowed.includes(value) || Token.isUnresolved(value)))) {
    return [];
  }
  return [`${path}: expected one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`];
}

/**
 * IAM principals a trust or resource policy names: an account root, role or
 * user ARN of the given partition (a token is taken as given).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
export function principalArnProblems(path: string, principals: unknown, partition: string): string[] {
  if (principals === undefined) return [];
  if (!Array.isArray(principals)) return [`${path}: expected a list of IAM principal ARNs`];
  const pattern = new RegExp(`^arn:${partition}:iam::\\d{12}:(root|role/[\\w+=,.@/-]+|user/[\\w+=,.@/-]+)$`);
  return principals.flatMap((principal, index) =>
    typeof principal === "string" && (Token.isUnresolved(principal) || pattern.test(principal))
      ? []
      : [
          `${path}[${index}]: expected an IAM principal ARN of the ${partition} partition (arn:${partition}:iam::<account>:root, :role/<name> or :user/<name>), got ${JSON.stringify(principal)}`,
        ],
  );
}
