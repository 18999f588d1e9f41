import { COMMERCIAL_REGIONS } from "../naming/regions";
import { closest } from "./similar";

/**
 * Commercial AWS Regions (partition `aws`) that the pipeline can be deployed to.
 *
 * Names are validated against this list rather than a pattern alone, because a
 * typo such as `eu-west-4` still matches the pattern and would only fail at
 * `terraform apply`, in one stack out of thousands. GovCloud, China and the
 * European Sovereign Cloud are separate partitions with other ARN prefixes and
 * service principals; they are rejected until the naming module supports them.
 *
 * @see https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 */
export { COMMERCIAL_REGIONS };

export type Region = (typeof COMMERCIAL_REGIONS)[number];

const REGION_SET: ReadonlySet<string> = new Set(COMMERCIAL_REGIONS);

/** Matches the shape of any Region name, known or not (`xx-name-1`, `us-gov-west-1`). */
export const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function isCommercialRegion(value: string): value is Region {
  return REGION_SET.has(value);
}

/** Why a region string is not accepted, or undefined when it is. */
export function regionProblem(value: string): string | undefined {
  if (isCommercialRegion(value)) return undefined;
  const hint = closest(value, COMMERCIAL_REGIONS, 2);
  const meant = hint ? ` (did you mean "${hint}"?)` : "";
  if (!REGION_SHAPE.test(value)) return `expected an AWS Region name such as eu-west-1${meant}`;
  if (/^(us-gov|cn|eusc)-/.test(value)) {
    return "expected a commercial AWS Region (the aws partition); GovCloud, China and Sovereign Cloud regions are not supported";
  }
  return `unknown AWS Region${meant}; expected one of the commercial Regions listed in modules/naming/regions.ts`;
}
