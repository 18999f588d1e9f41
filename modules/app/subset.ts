/**
 * `ACCOUNTS=<id,id>`: synthesise only some accounts, for local work. A subset
 * must never replace a full output (the cdktf CLI deletes stack folders that a
 * synthesis does not produce, and Atlantis plans what is there), so it is
 * refused unless it goes to another output directory.
 */
import { basename, resolve } from "node:path";
import { ARCHIVE_STACK, GUARDRAILS_STACK, KEYS_STACK, sourceStackName, TRAIL_STACK } from "../naming/names";
import { hasGuardrailsStack, hasTrailStack } from "./build-app";
import { RegistryError, type RegistryProblem } from "../registry/errors";
import type { Registry } from "../registry/parse";
import { guardrailsManagementAccountId } from "../registry/settings";

/** The default output directory of cdktf.json, which always holds a full synthesis. */
export const FULL_OUTPUT = "cdktf.out";

/**
 * Stack names of the subset, or undefined for a full synthesis.
 * @throws RegistryError naming the bad ids, or the output directory.
 */
export function subsetStacks(value: string | undefined, registry: Registry, outdir: string): string[] | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const ids = value.split(",").map((id) => id.trim());
  const everyAccount = [...registry.accounts, ...registry.retiredAccounts];
  const known = new Map(everyAccount.map((a) => [a.id, a]));
  const problems: RegistryProblem[] = [];
  ids.forEach((id, index) => {
    if (!/^\d{12}$/.test(id)) {
      problems.push({
        file: "environment",
        path: `ACCOUNTS[${index}]`,
        message: "expected a 12-digit account id",
        got: JSON.stringify(id),
      });
    } else if (
      !known.has(id) &&
      id !== registry.logArchive.accountId &&
      id !== registry.sources.cloudTrail.managementAccountId &&
      id !== guardrailsManagementAccountId(registry) &&
      id !== registry.keys?.accountId
    ) {
      problems.push({
        file: "environment",
        path: `ACCOUNTS[${index}]`,
        message: "not an account of the registry",
        got: JSON.stringify(id),
      });
    }
  });
  const absolute = resolve(outdir);
  if (absolute === resolve(FULL_OUTPUT) || basename(absolute) === FULL_OUTPUT) {
    problems.push({
      file: "environment",
      path: "ACCOUNTS",
      message: `a subset cannot be written to ${FULL_OUTPUT}, which must always hold every stack; use another output directory: ACCOUNTS=${value} npx cdktf synth --output cdktf.subset.out`,
    });
  }
  if (problems.length > 0) throw new RegistryError(problems);
  const wanted = new Set(ids);
  const stacks = wanted.has(registry.logArchive.accountId) ? [ARCHIVE_STACK] : [];
  if (registry.keys !== undefined && wanted.has(registry.keys.accountId)) stacks.push(KEYS_STACK);
  const management = registry.sources.cloudTrail.managementAccountId;
  if (management !== undefined && wanted.has(management) && hasTrailStack(registry)) stacks.push(TRAIL_STACK);
  for (const account of everyAccount) {
    if (wanted.has(account.id)) stacks.push(...account.regions.map((region) => sourceStackName(account.id, region)));
  }
  const guardrailsAccount = guardrailsManagementAccountId(registry);
  if (guardrailsAccount !== undefined && wanted.has(guardrailsAccount) && hasGuardrailsStack(registry)) {
    stacks.push(GUARDRAILS_STACK);
  }
  const order = (name: string) =>
    name === KEYS_STACK ? 0 : name === ARCHIVE_STACK ? 1 : name === TRAIL_STACK ? 2 : name === GUARDRAILS_STACK ? 4 : 3;
  return stacks.sort((a, b) => order(a) - order(b) || (a < b ? -1 : 1));
}
