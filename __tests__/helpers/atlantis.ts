/**
 * Atlantis's autoplan rule, for tests: a project is planned when a changed
 * file (a repository path) matches one of its `when_modified` globs, which
 * are relative to the project's `dir`.
 * @see https://www.runatlantis.io/docs/repo-level-atlantis-yaml#autoplan
 */
import { posix } from "node:path";
import type { AtlantisConfig } from "../../modules/atlantis/atlantis-config";

export function globToRegExp(glob: string): RegExp {
  const source = glob
    .split("/")
    .map((part) =>
      part === "**" ? "(?:.*/)?" : `${part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}/`,
    )
    .join("")
    .replace(/\/$/, "")
    .replace(/\(\?:\.\*\/\)\?\//g, "(?:.*/)?");
  return new RegExp(`^${source}$`);
}

/** Names of the projects Atlantis autoplans for `changed` repository paths, sorted. */
export function planned(config: AtlantisConfig, changed: readonly string[]): string[] {
  return config.projects
    .filter((p) =>
      p.autoplan.when_modified.some((pattern) => {
        const repoGlob = posix.normalize(posix.join(p.dir, pattern));
        return changed.some((file) => globToRegExp(repoGlob).test(file));
      }),
    )
    .map((p) => p.name)
    .sort();
}
