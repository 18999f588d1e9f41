/**
 * Writes accounts/registry.schema.json from the zod schema the loader uses,
 * so editors autocomplete and validate the registry, and docs/registry.md,
 * the reference of every key, from that schema. `npm run schema`.
 */
import { writeFileSync } from "node:fs";
import { registryJsonSchemaText } from "../modules/registry/json-schema";
import { referenceMarkdown } from "../modules/registry/reference";

const schemaText = registryJsonSchemaText();
writeFileSync("accounts/registry.schema.json", schemaText);
writeFileSync("docs/registry.md", referenceMarkdown(JSON.parse(schemaText)));
process.stdout.write("wrote accounts/registry.schema.json and docs/registry.md\n");
