/**
 * The thin, impure edge of the registry: which file to read, and reading it.
 * Everything else lives in the pure `parseRegistry`.
 */
import { readFileSync } from "node:fs";
import { RegistryError } from "./errors";
import { parseRegistry, type Registry } from "./parse";

/** DESIGN.md contract 1. */
export const DEFAULT_REGISTRY_FILE = "accounts/registry.yaml";

/** `REGISTRY_FILE` (relative to the working directory) or the default. */
export function registryFileFromEnv(env: NodeJS.ProcessEnv): string {
  const fromEnv = env.REGISTRY_FILE?.trim();
  return fromEnv ? fromEnv : DEFAULT_REGISTRY_FILE;
}

export function loadRegistry(file: string): Registry {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "file not found"
        : code === "EISDIR"
          ? "is a directory, expected a YAML file"
          : String(code ?? error);
    throw new RegistryError([{ file, path: "(file)", message: `cannot read the registry: ${why}` }]);
  }
  return parseRegistry(text, file);
}
