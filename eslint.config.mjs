// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Every file: provider classes from their deep paths only. */
const providerBarrel = {
  name: "@cdktf/provider-aws",
  message:
    "Import provider classes from their deep paths (@cdktf/provider-aws/lib/<resource>): the barrel costs seconds and hundreds of MB per synth.",
};
const tfeBarrel = {
  name: "@cdktf/provider-tfe",
  message:
    "Import provider classes from their deep paths (@cdktf/provider-tfe/lib/<resource>), as for the AWS provider.",
};

/**
 * The library's layers. Constructs take their own props, never the registry,
 * the stacks or the app; naming, policy documents and option values are pure
 * TypeScript, usable without cdktf. A slip fails `npm run lint`.
 */
const constructLayer = {
  group: ["**/registry", "**/registry/*", "**/stacks", "**/stacks/*", "**/app", "**/app/*"],
  message:
    "Constructs take their own props: translate the registry in modules/stacks, never import it (nor stacks or app) here.",
};
const pureLayer = {
  group: [
    "cdktf",
    "cdktf/*",
    "@cdktf/*",
    "constructs",
    "**/constructs/*",
    "**/archive/*",
    "**/source/*",
    "**/monitoring/*",
    "**/stacks/*",
    "**/app/*",
  ],
  message: "modules/naming, modules/policy and modules/options are pure TypeScript: no cdktf, no constructs.",
};

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "dist/",
      "cdktf.out/",
      "coverage/",
      ".venv/",
      ".venv-moto/",
      "verify-report/",
      ".bench/",
      ".scan/",
      ".tools/",
      "lib/",
      "examples/**/cdktf.out/",
      "compat/*/node_modules/",
      "compat/*/dist/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        require: "readonly",
        module: "writable",
        setInterval: "readonly",
        clearInterval: "readonly",
      },
    },
    rules: {
      "no-restricted-imports": ["error", { paths: [providerBarrel, tfeBarrel] }],
    },
  },
  {
    files: [
      "modules/constructs/**/*.ts",
      "modules/archive/**/*.ts",
      "modules/source/**/*.ts",
      "modules/monitoring/**/*.ts",
      "modules/keys/**/*.ts",
      "modules/sources/**/*.ts",
      "modules/search/**/*.ts",
      "modules/guardrails/**/*.ts",
      "modules/terraform-cloud/**/*.ts",
    ],
    rules: { "no-restricted-imports": ["error", { paths: [providerBarrel, tfeBarrel], patterns: [constructLayer] }] },
  },
  {
    files: ["modules/naming/**/*.ts", "modules/policy/**/*.ts", "modules/options/**/*.ts", "modules/cost/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [providerBarrel], patterns: [pureLayer] }] },
  },
  {
    files: ["__tests__/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
