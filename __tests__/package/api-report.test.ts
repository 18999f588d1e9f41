/**
 * The public API report (docs/api/cwl-log-archive.api.md, npm run api) and the
 * entry point it describes. The report check runs in npm test
 * (npm run check:api); these tests prove that the project's API Extractor
 * settings make it fail where it must: on a declaration that names a type the
 * entry point does not export, and on a report that no longer matches. They
 * run API Extractor on a two-line fixture, not on the library (the real run
 * takes seconds and writes lib/).
 */
import { Extractor, ExtractorConfig, type IConfigFile } from "@microsoft/api-extractor";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as api from "../../modules/index";

const ROOT = join(__dirname, "..", "..");
// As scripts/build-lib.mjs loads it: the file with API Extractor's defaults merged in.
const projectConfig: IConfigFile = ExtractorConfig.loadFile(join(ROOT, "api-extractor.json"));

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "cwl-api-report-"));
  mkdirSync(join(folder, "report"));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** API Extractor with the project's settings (messages, report) on a fixture entry point. */
function extract(declarations: string, localBuild: boolean) {
  writeFileSync(join(folder, "index.d.ts"), declarations);
  writeFileSync(join(folder, "hidden.d.ts"), "export interface Hidden { readonly a: string }\n");
  writeFileSync(join(folder, "package.json"), JSON.stringify({ name: "cwl-log-archive", version: "0.0.0" }));
  const config = ExtractorConfig.prepare({
    configObject: {
      ...projectConfig,
      projectFolder: folder,
      mainEntryPointFilePath: "<projectFolder>/index.d.ts",
      compiler: {
        overrideTsconfig: {
          compilerOptions: { strict: true, types: [], lib: ["es2022"], skipLibCheck: true },
          files: ["index.d.ts"],
        },
      },
      apiReport: {
        ...projectConfig.apiReport!,
        reportFolder: "<projectFolder>/report/",
        reportTempFolder: "<projectFolder>/temp/",
      },
      dtsRollup: { enabled: false },
    },
    configObjectFullPath: join(folder, "api-extractor.json"),
    packageJsonFullPath: join(folder, "package.json"),
  });
  const messages: string[] = [];
  const result = Extractor.invoke(config, {
    localBuild,
    messageCallback: (message) => {
      message.handled = true;
      if (message.logLevel !== "none" && message.messageId.startsWith("ae-")) messages.push(message.messageId);
    },
  });
  return { result, messages };
}

describe("the API report check", () => {
  test("fails when a public declaration names a type the entry point does not export", () => {
    // GIVEN a class whose public member's type the entry point does not export
    const { result, messages } = extract(
      'import type { Hidden } from "./hidden";\nexport declare class Shown { readonly hidden: Hidden; }\n',
      true,
    );
    // THEN the build fails on a forgotten export
    expect(messages).toContain("ae-forgotten-export");
    expect(result.succeeded).toBe(false);
  });

  test("passes when every named type is exported", () => {
    const { result, messages } = extract(
      "export interface Named { readonly a: string }\nexport declare class Shown { readonly named: Named; }\n",
      true,
    );
    expect(messages).toEqual([]);
    expect(result.succeeded).toBe(true);
  });

  test("fails when the public surface changed and the report was not rewritten", () => {
    // GIVEN a report written for one surface (npm run api)
    expect(extract("export declare const a: string;\n", true).result.succeeded).toBe(true);
    // WHEN the surface changes and the check runs (not a local build)
    const { result } = extract("export declare const a: string;\nexport declare const b: number;\n", false);
    // THEN it fails, and says the report changed
    expect(result.succeeded).toBe(false);
    expect(result.apiReportChanged).toBe(true);
  });
});

describe("the entry point", () => {
  test("exports the value types' lists the props use, and none of the registry-only option values", () => {
    for (const name of [
      "SUBSCRIPTION_MODES",
      "TRANSITION_STORAGE_CLASSES",
      "OBJECT_LOCK_MODES",
      "SUBSCRIBER_PROTOCOLS",
    ]) {
      expect(api).toHaveProperty(name);
    }
    for (const name of [
      "PROJECT_TAGS",
      "ACCOUNT_ID",
      "NAME_PREFIX",
      "LOG_RETENTION_DAYS",
      "ATLANTIS_MODES",
      "SOURCE_MONITORING",
      "MIGRATION_ACKNOWLEDGEMENTS",
      "ACKNOWLEDGEMENTS_OUTPUT",
    ]) {
      expect(api).not.toHaveProperty(name);
    }
  });

  test("exports every context type a building block takes (the report names each)", () => {
    const report = readFileSync(join(ROOT, "docs/api/cwl-log-archive.api.md"), "utf8");
    for (const context of [
      "ArchiveContext",
      "AthenaContext",
      "CentralContext",
      "ReplicationContext",
      "SourceContext",
    ]) {
      expect(report).toContain(`export interface ${context} {`);
    }
  });
});
