/** The registry's JSON Schema, generated from the zod schema (one source of truth). */
import { registrySchema } from "./schema";

export function registryJsonSchemaText(): string {
  const schema = registrySchema.toJSONSchema({ io: "input", target: "draft-7", unrepresentable: "any" });
  return `${JSON.stringify({ ...schema, $id: "https://example.invalid/cwl-log-archive/registry.schema.json" }, null, 2)}\n`;
}
