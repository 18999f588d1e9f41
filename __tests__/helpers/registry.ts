/**
 * Registry fixtures for tests: the minimal registry of DESIGN.md contract 2,
 * and a builder that applies changes to it as plain data.
 */
import { stringify } from "yaml";
import { parseRegistry, type Registry } from "../../modules/registry/parse";

export const ORG = "o-a1b2c3d4e5";
export const ARCHIVE = "111111111111";
export const SOURCE = "222222222222";
export const OTHER = "333333333333";

/** The registry DESIGN.md says must synthesise: only the required keys. */
export const MINIMAL_YAML = `organization:
  id: ${ORG}
logArchive:
  accountId: "${ARCHIVE}"
  region: eu-west-1
accounts:
  - id: "${SOURCE}"
    name: payments-prod
    regions: [eu-west-1, us-east-1]
`;

export type RawRegistry = Record<string, unknown> & { accounts: Record<string, unknown>[] };

export function minimalRaw(): RawRegistry {
  return {
    organization: { id: ORG },
    logArchive: { accountId: ARCHIVE, region: "eu-west-1" },
    accounts: [{ id: SOURCE, name: "payments-prod", regions: ["eu-west-1", "us-east-1"] }],
  };
}

/** A registry from the minimal one, changed by `edit`. */
export function registryWith(edit: (raw: RawRegistry) => void = () => {}): Registry {
  const raw = minimalRaw();
  edit(raw);
  return parseRegistry(stringify(raw), "test.yaml");
}

/** The error message parseRegistry throws for `yaml`, or a failure if it loads. */
export function registryErrors(yaml: string, file = "accounts/registry.yaml"): string[] {
  try {
    parseRegistry(yaml, file);
  } catch (error) {
    return (error as Error).message.split("\n");
  }
  throw new Error("expected the registry to be rejected");
}

export function errorsFor(edit: (raw: RawRegistry) => void): string[] {
  const raw = minimalRaw();
  edit(raw);
  return registryErrors(stringify(raw), "test.yaml");
}
