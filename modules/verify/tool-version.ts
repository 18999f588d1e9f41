/**
 * Which code a verify run was: the git commit of the checkout (and whether it
 * had uncommitted changes), else only the package version (an unpacked
 * release has no .git). `git` runs one git command and returns its output,
 * or throws when git or the checkout is missing.
 */
import type { ToolVersion } from "./report";

export function toolVersionOf(git: (...args: string[]) => string, packageVersion: string): ToolVersion {
  try {
    const commit = git("rev-parse", "HEAD").trim();
    if (!/^[0-9a-f]{40}$/.test(commit)) return { version: packageVersion };
    return { commit, dirty: git("status", "--porcelain").trim() !== "", version: packageVersion };
  } catch {
    return { version: packageVersion };
  }
}
