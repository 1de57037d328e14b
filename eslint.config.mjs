import { fileURLToPath } from "node:url";
import tseslint from "typescript-eslint";
import { createLayersPlugin } from "./scripts/eslint/layers.mjs";

const root = fileURLToPath(new URL(".", import.meta.url));

// The package root loads ~1,500 resource namespaces: ~10x the synth time and memory.
const deepImportsOnly = [
  { name: "@cdktf/provider-aws", message: "Import the resource deeply: @cdktf/provider-aws/lib/<resource>." },
  { name: "@cdktf/provider-aws/lib", message: "Import the resource deeply: @cdktf/provider-aws/lib/<resource>." },
];
const production = ["main.ts", "modules/**", "policy/**", "config/**", "stacks/**", "ops/**"];

export default tseslint.config(
  {
    ignores: ["node_modules/**", "dist/**", "cdktf.out/**", "cdktf.out.*/**", "coverage/**", ".e2e/**", ".bench/**", ".tools/**"],
  },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.js", "**/*.mjs"],
    rules: {
      "no-restricted-imports": ["error", { paths: deepImportsOnly }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // Testing is the library's test harness (it skips the validations App.synth runs):
    // what users run synthesizes the way `npm run synth` does.
    files: production,
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            ...deepImportsOnly,
            ...["cdktf", "cdktn"].map((name) => ({
              name,
              importNames: ["Testing"],
              message: "Production code synthesizes with App (as npm run synth does); Testing is for __tests__/ and e2e/.",
            })),
          ],
        },
      ],
    },
  },
  {
    // The folders are layers; see scripts/eslint/layers.mjs.
    files: production,
    plugins: { layers: createLayersPlugin(root) },
    rules: { "layers/imports-point-down": "error" },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
