/**
 * npm run atlantis: writes atlantis.yaml for the registry (REGISTRY_FILE or
 * the sample). Run it after adding an account; the Atlantis pre-workflow
 * hook of README.md runs it too.
 */
import { writeFileSync } from "node:fs";
import { relative } from "node:path";
import { stringify } from "yaml";
import { atlantisConfig, atlantisHeader } from "../modules/atlantis/atlantis-config";
import { RegistryError } from "../modules/registry/errors";
import { registryFileFromEnv, registrySources } from "../modules/registry/load";
import { parseRegistrySources } from "../modules/registry/parse";

const registryFile = registryFileFromEnv(process.env);
try {
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
  const config = atlantisConfig({ registry, registryFile: relative(".", registryFile), accountFiles });
  const header = atlantisHeader(registry, relative(".", registryFile));
  writeFileSync("atlantis.yaml", header + stringify(config, { lineWidth: 0 }));
  process.stdout.write(`wrote atlantis.yaml: ${config.projects.length} projects\n`);
} catch (error) {
  if (!(error instanceof RegistryError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
