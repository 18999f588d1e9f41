import type { RegistryData } from "./schema";

export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A validated registry: deeply readonly, defaults applied. */
export type Registry = DeepReadonly<RegistryData>;
export type SourceAccount = Registry["accounts"][number];
