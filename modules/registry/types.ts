import type { RegistryData } from "./schema";

export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * A validated registry: deeply readonly, defaults applied. `accounts` holds
 * the active source accounts; accounts marked `retired: true` are in
 * `retiredAccounts` (their stacks are synthesised empty, nothing else counts
 * them).
 */
export type Registry = DeepReadonly<RegistryData & { readonly retiredAccounts: RegistryData["accounts"] }>;
export type SourceAccount = Registry["accounts"][number];
