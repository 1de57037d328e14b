import { fileURLToPath } from "node:url";
import tseslint from "typescript-eslint";
import { createLayersPlugin } from "./scripts/eslint/layers.mjs";

const root = fileURLToPath(new URL(".", import.meta.url));

export default tseslint.config(
  {
    ignores: ["node_modules/**", "dist/**", "cdktf.out/**", "cdktf.out.*/**", "coverage/**", ".e2e/**", ".bench/**", ".tools/**"],
  },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.js", "**/*.mjs"],
    rules: {
      // The package root loads ~1,500 resource namespaces: ~10x the synth time and memory.
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@cdktf/provider-aws",
              message: "Import the resource deeply: @cdktf/provider-aws/lib/<resource>.",
            },
            {
              name: "@cdktf/provider-aws/lib",
              message: "Import the resource deeply: @cdktf/provider-aws/lib/<resource>.",
            },
          ],
        },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // The folders are layers; see scripts/eslint/layers.mjs.
    files: ["main.ts", "modules/**", "policy/**", "config/**", "stacks/**", "ops/**"],
    plugins: { layers: createLayersPlugin(root) },
    rules: { "layers/imports-point-down": "error" },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
