/**
 * The thin, impure edge of the registry: which files to read, and reading
 * them. Everything else lives in the pure `parseRegistrySources`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { RegistryError } from "./errors";
import { parseRegistrySources, type Registry, type RegistrySource } from "./parse";

/** The organization's registry: what `npx cdktf synth` reads unless REGISTRY_FILE names another. */
export const DEFAULT_REGISTRY_FILE = "accounts/registry.yaml";

/**
 * The sample registry the project ships and its tests and generated docs
 * use. accounts/ starts as a copy of it, and then belongs to the organization.
 */
export const SAMPLE_REGISTRY_FILE = "examples/registries/sample/registry.yaml";

/** The option registries that, with the sample, switch every registry option on and off. */
export const EXAMPLE_REGISTRIES_DIR = "examples/registries";

/** `REGISTRY_FILE` (relative to the working directory) or the default. */
export function registryFileFromEnv(env: NodeJS.ProcessEnv): string {
  const fromEnv = env.REGISTRY_FILE?.trim();
  return fromEnv ? fromEnv : DEFAULT_REGISTRY_FILE;
}

function read(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "file not found"
        : code === "EISDIR"
          ? "is a directory, expected a YAML file"
          : String(code ?? error);
    throw new RegistryError([{ file, path: "(file)", message: `cannot read the ${what}: ${why}` }]);
  }
}

/** The `accountFiles` directory named by the registry text, if it names one. */
function accountFilesOf(text: string): string | undefined {
  try {
    const value = (parse(text) as Record<string, unknown> | null)?.accountFiles;
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined; // parseRegistrySources reports the YAML error
  }
}

/** The files of the registry: the main file, then `accountFiles/*.yaml` sorted by name. */
export function registrySources(file: string): { main: RegistrySource; accounts: RegistrySource[] } {
  const text = read(file, "registry");
  const directory = accountFilesOf(text);
  if (directory === undefined || directory.includes("..") || directory.startsWith("/")) {
    return { main: { file, text }, accounts: [] };
  }
  const dir = join(dirname(file), directory);
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));
  } catch {
    throw new RegistryError([
      { file, path: "accountFiles", message: `cannot read the directory ${dir}`, got: JSON.stringify(directory) },
    ]);
  }
  names.sort();
  return {
    main: { file, text },
    accounts: names.map((name) => ({ file: join(dir, name), text: read(join(dir, name), "account file") })),
  };
}

export function loadRegistry(file: string): Registry {
  const { main, accounts } = registrySources(file);
  return parseRegistrySources(main, accounts);
}
