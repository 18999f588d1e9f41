/** Log agents' root in the archive (DIRECT_SOURCE_ROOTS.agents): each account writes `agents/<account>/<tag>/...` below it. */
export const AGENTS_ROOT = "agents/" as const;
