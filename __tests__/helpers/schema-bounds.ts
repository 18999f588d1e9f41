/**
 * The numbers the registry's schema bounds, found by walking the schema
 * itself (not a hand-kept list): each with its YAML path (`[]` for every
 * element of a list) and its bounds, or `values` when the schema allows a set
 * of values (a CloudWatch Logs retention). The parity test maps every one to
 * the construct rule that owns it, or lists it as the registry's own.
 */
import type { z } from "zod";

export interface SchemaBound {
  readonly path: string;
  /** Inclusive bounds of an integer range, or `values` for a refined set. */
  readonly min?: number;
  readonly max?: number;
  readonly values?: true;
}

interface Def {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly valueType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly checks?: readonly { readonly _zod: { readonly def: { check: string; value?: number } } }[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Every bounded number under `schema`, by path. */
export function schemaBounds(schema: z.ZodType, path = ""): SchemaBound[] {
  const def = defOf(schema);
  const at = (key: string) => (path === "" ? key : `${path}.${key}`);
  switch (def.type) {
    case "default":
    case "prefault":
    case "optional":
    case "nullable":
    case "readonly":
      return schemaBounds(def.innerType!, path);
    case "pipe":
      return schemaBounds(def.in!, path);
    case "object":
      return Object.entries(def.shape!).flatMap(([key, field]) => schemaBounds(field, at(key)));
    case "array":
      return schemaBounds(def.element!, `${path}[]`);
    case "record":
      return schemaBounds(def.valueType!, `${path}.*`);
    case "union":
      return dedupe(def.options!.flatMap((option) => schemaBounds(option, path)));
    case "number": {
      const checks = (def.checks ?? []).map((c) => c._zod.def);
      const min = checks.find((c) => c.check === "greater_than")?.value;
      const max = checks.find((c) => c.check === "less_than")?.value;
      if (min !== undefined || max !== undefined) return [{ path, min, max }];
      if (checks.some((c) => c.check === "custom")) return [{ path, values: true }];
      return [{ path }];
    }
    default:
      return [];
  }
}

function dedupe(bounds: SchemaBound[]): SchemaBound[] {
  const seen = new Map<string, SchemaBound>();
  for (const bound of bounds) seen.set(bound.path, bound);
  return [...seen.values()];
}
