/**
 * Part of npm run check: fails unless atlantis.yaml is what `npm run atlantis`
 * writes for the registry in use (REGISTRY_FILE, or accounts/registry.yaml).
 * A repository without atlantis.yaml (no Atlantis) passes.
 */
import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { parse } from "yaml";
import { atlantisConfig } from "../modules/atlantis/atlantis-config";
import { RegistryError } from "../modules/registry/errors";
import { registryFileFromEnv, registrySources } from "../modules/registry/load";
import { parseRegistrySources } from "../modules/registry/parse";

const FILE = "atlantis.yaml";
const registryFile = registryFileFromEnv(process.env);
try {
  if (!existsSync(FILE)) {
    process.stdout.write(`check: no ${FILE} (Atlantis not used): nothing to compare\n`);
  } else {
    const { main, accounts } = registrySources(registryFile);
    const registry = parseRegistrySources(main, accounts);
    const accountFiles = new Map(
      accounts.map((a) => [
        a.file
          .split("/")
          .pop()!
          .replace(/\.ya?ml$/, ""),
        relative(".", a.file),
      ]),
    );
    const expected = atlantisConfig({ registry, registryFile: relative(".", registryFile), accountFiles });
    const actual: unknown = parse(readFileSync(FILE, "utf8"));
    if (JSON.stringify(actual) !== JSON.stringify(JSON.parse(JSON.stringify(expected)))) {
      process.stderr.write(
        `check: ${FILE} is not what \`npm run atlantis\` writes for ${relative(".", registryFile)}: run it and commit the result\n`,
      );
      process.exitCode = 1;
    } else {
      process.stdout.write(`check: ${FILE} is up to date for ${relative(".", registryFile)}\n`);
    }
  }
} catch (error) {
  if (!(error instanceof RegistryError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
