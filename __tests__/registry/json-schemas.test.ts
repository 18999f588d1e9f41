/**
 * The registry's JSON Schemas as editors and validators read them: both
 * compile in a strict validator (Ajv, strict mode), validate what the loader
 * accepts, use only standard formats and portable patterns, and report a
 * mistake inside one form of the state backend against that form only.
 */
import Ajv, { type ErrorObject } from "ajv";
import { readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { accountJsonSchemaText, registryJsonSchemaText } from "../../modules/registry/json-schema";
import { SAMPLE_REGISTRY } from "../helpers/corpus";

const ajv = new Ajv({ strict: true, allErrors: true });
const registrySchema = JSON.parse(registryJsonSchemaText());
const accountSchema = JSON.parse(accountJsonSchemaText());
const validateRegistry = ajv.compile(registrySchema);
const validateAccount = ajv.compile(accountSchema);

function walk(node: unknown, visit: (n: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (typeof node === "object" && node !== null) {
    visit(node as Record<string, unknown>);
    Object.values(node).forEach((n) => walk(n, visit));
  }
}

const errors = (validate: typeof validateRegistry, data: unknown): ErrorObject[] =>
  validate(data) ? [] : [...(validate.errors ?? [])];

describe("the JSON Schemas", () => {
  test("compile in a strict validator", () => {
    expect(typeof validateRegistry).toBe("function");
    expect(typeof validateAccount).toBe("function");
  });

  test("accounts/account.schema.json is generated and up to date (run npm run schema when this fails)", () => {
    expect(readFileSync("accounts/account.schema.json", "utf8")).toBe(accountJsonSchemaText());
  });

  test("use only the formats JSON Schema defines, and no Unicode property escapes", () => {
    const found: string[] = [];
    walk([registrySchema, accountSchema], (n) => {
      if (typeof n.format === "string") found.push(`format ${n.format}`);
      if (typeof n.pattern === "string" && n.pattern.includes("\\p{")) found.push(`pattern ${n.pattern}`);
    });
    expect(found).toEqual([]);
  });

  test("validate the sample registry and every sample account file", () => {
    expect(errors(validateRegistry, parse(readFileSync(SAMPLE_REGISTRY, "utf8")))).toEqual([]);
    const dir = SAMPLE_REGISTRY.replace(/registry\.yaml$/, "sources");
    for (const file of readdirSync(dir)) {
      expect([file, errors(validateAccount, parse(readFileSync(`${dir}/${file}`, "utf8")))]).toEqual([file, []]);
    }
  });

  test("every sample account file points editors at the account schema", () => {
    const dir = SAMPLE_REGISTRY.replace(/registry\.yaml$/, "sources");
    for (const file of readdirSync(dir)) {
      expect(readFileSync(`${dir}/${file}`, "utf8").split("\n")[0]).toBe(
        "# yaml-language-server: $schema=../../../../accounts/account.schema.json",
      );
    }
  });

  test("a typo inside one backend form is reported against that form alone", () => {
    // GIVEN a cloud backend with its organization misspelt
    const registry = {
      organization: { id: "o-a1b2c3d4e5" },
      logArchive: { accountId: "111111111111", region: "eu-west-1" },
      deployment: { backend: { type: "cloud", organisation: "acme" } },
    };
    const found = errors(validateRegistry, registry);
    // THEN only the cloud form speaks: the missing organization and the unknown key
    expect(found.map((e) => `${e.instancePath} ${e.keyword}`).sort()).toEqual([
      "/deployment/backend additionalProperties",
      "/deployment/backend if",
      "/deployment/backend required",
    ]);
  });

  test("fails a registry the loader refuses for its shape: an unknown key, a number for an account id", () => {
    const bad = {
      organization: { id: "o-a1b2c3d4e5" },
      logArchive: { accountId: 111111111111, region: "eu-west-1" },
      extra: 1,
    };
    expect(
      errors(validateRegistry, bad)
        .map((e) => e.keyword)
        .sort(),
    ).toEqual(["additionalProperties", "type"]);
  });
});
