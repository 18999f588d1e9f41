/**
 * Writes accounts/registry.schema.json from the zod schema the loader uses,
 * so editors autocomplete and validate the registry. `npm run schema`.
 */
import { writeFileSync } from "node:fs";
import { registryJsonSchemaText } from "../modules/registry/json-schema";

const target = "accounts/registry.schema.json";
writeFileSync(target, registryJsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
