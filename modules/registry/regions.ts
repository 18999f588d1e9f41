import { ALL_REGIONS, COMMERCIAL_REGIONS } from "../naming/regions";
import { closest } from "./similar";

/**
 * AWS Regions the pipeline can be deployed to: the commercial Regions, AWS
 * GovCloud (US) and China (modules/naming/regions.ts). A registry uses the
 * Regions of one partition (modules/registry/partition-problems.ts).
 *
 * Names are validated against this list rather than a pattern alone, because a
 * typo such as `eu-west-4` still matches the pattern and would only fail at
 * `terraform apply`, in one stack out of thousands. The European Sovereign
 * Cloud and the isolated Regions are other partitions the app does not model.
 *
 * @see https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 */
export { ALL_REGIONS, COMMERCIAL_REGIONS };

export type Region = (typeof ALL_REGIONS)[number];

const REGION_SET: ReadonlySet<string> = new Set(ALL_REGIONS);

/** Matches the shape of any Region name, known or not (`xx-name-1`, `us-gov-west-1`). */
export const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function isKnownRegion(value: string): value is Region {
  return REGION_SET.has(value);
}

/** Why a region string is not accepted, or undefined when it is. */
export function regionProblem(value: string): string | undefined {
  if (isKnownRegion(value)) return undefined;
  const hint = closest(value, ALL_REGIONS, 2);
  const meant = hint ? ` (did you mean "${hint}"?)` : "";
  if (!REGION_SHAPE.test(value)) return `expected an AWS Region name such as eu-west-1${meant}`;
  if (/^(eusc|us-iso[a-z]*)-/.test(value)) {
    return "expected a Region of the aws, aws-us-gov or aws-cn partition; the European Sovereign Cloud and the isolated Regions are not supported";
  }
  return `unknown AWS Region${meant}; expected one of the Regions listed in modules/naming/regions.ts`;
}
