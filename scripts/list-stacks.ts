/** Prints the stack names the registry (REGISTRY_FILE or the sample) implies, one per line. CI compares them with cdktf.out. */
import { stackNames } from "../modules/app/build-app";
import { loadRegistry, registryFileFromEnv } from "../modules/registry/load";

process.stdout.write(`${stackNames(loadRegistry(registryFileFromEnv(process.env))).join("\n")}\n`);
