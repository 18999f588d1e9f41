/**
 * Writes accounts/registry.schema.json and accounts/account.schema.json from
 * the zod schema the loader uses, so editors autocomplete and validate the
 * registry and each account file, and docs/registry.md, the reference of
 * every key, from that schema. `npm run schema`.
 */
import { writeFileSync } from "node:fs";
import { accountJsonSchemaText, registryJsonSchemaText } from "../modules/registry/json-schema";
import { referenceMarkdown } from "../modules/registry/reference";

const schemaText = registryJsonSchemaText();
writeFileSync("accounts/registry.schema.json", schemaText);
writeFileSync("accounts/account.schema.json", accountJsonSchemaText());
writeFileSync("docs/registry.md", referenceMarkdown(JSON.parse(schemaText)));
process.stdout.write("wrote accounts/registry.schema.json, accounts/account.schema.json and docs/registry.md\n");
