import { readdirSync, readFileSync } from "node:fs";
import { registryJsonSchemaText } from "../../modules/registry/json-schema";
import { loadRegistry } from "../../modules/registry/load";
import { SAMPLE_REGISTRY } from "../helpers/corpus";

describe("accounts/registry.schema.json", () => {
  test("is generated from the loader's schema and up to date (run `npm run schema` when this fails)", () => {
    expect(readFileSync("accounts/registry.schema.json", "utf8")).toBe(registryJsonSchemaText());
  });

  test("documents every optional setting's default", () => {
    const schema = JSON.parse(registryJsonSchemaText());
    expect(schema.properties.archive.properties.retentionDays.default).toBe(2557);
    expect(schema.properties.defaults.properties.firehose.properties.bufferingSizeMiB.default).toBe(5);
    expect(schema.properties.deployment.properties.roleName.default).toBe("OrganizationAccountAccessRole");
    expect(schema.additionalProperties).toBe(false);
  });
});

describe("the sample registry", () => {
  const text = readFileSync(SAMPLE_REGISTRY, "utf8");
  const sources = SAMPLE_REGISTRY.replace(/registry\.yaml$/, "sources");

  test("points editors at the schema", () => {
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=../../../accounts/registry.schema.json");
  });

  test("loads, with a realistic organization: several accounts, two or more Regions, replication on", () => {
    const registry = loadRegistry(SAMPLE_REGISTRY);
    expect(registry.accounts.length).toBeGreaterThanOrEqual(5);
    expect(new Set(registry.accounts.flatMap((a) => a.regions)).size).toBeGreaterThanOrEqual(2);
    expect(registry.accounts.some((a) => a.id === registry.logArchive.accountId)).toBe(true);
    expect(registry.archive.replicaRegion).toBeDefined();
    expect(registry.accounts.some((a) => a.subscription?.mode === "listed")).toBe(true);
  });

  test("comments every field it sets, in the registry file and in every account file", () => {
    const files = [SAMPLE_REGISTRY, ...readdirSync(sources).map((f) => `${sources}/${f}`)];
    const uncommented = files.flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => /^\s*[A-Za-z]+:\s*\S/.test(line) && !line.includes("#"))
        .map((line) => `${file}: ${line}`),
    );
    expect(uncommented).toEqual([]);
  });

  test("keeps one file per source account, named after its id", () => {
    const registry = loadRegistry(SAMPLE_REGISTRY);
    expect(readdirSync(sources).sort()).toEqual(registry.accounts.map((a) => `${a.id}.yaml`).sort());
  });
});

describe("loadRegistry", () => {
  test("fails with the file and (file) path when the file is missing", () => {
    expect(() => loadRegistry("accounts/nope.yaml")).toThrow(
      "accounts/nope.yaml: (file): cannot read the registry: file not found",
    );
  });
});
