// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "cdktf.out/", "coverage/", ".venv/", ".bench/"] },
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
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@cdktf/provider-aws",
              message:
                "Import provider classes from their deep paths (@cdktf/provider-aws/lib/<resource>): the barrel costs seconds and hundreds of MB per synth.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["__tests__/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
