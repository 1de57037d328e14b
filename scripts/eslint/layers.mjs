// ESLint rule "layers/imports-point-down": the folders are layers, and a file may import only
// from its own layer or the layers below it (docs/decisions/0003-layers.md):
//
//   modules/ (core/ at the bottom)  <  policy/  <  config/  <  stacks/  <  ops/  <  main.ts
//
// modules never know about environments (config) or stacks; config maps to the modules' props
// and may check policy suppressions; stacks compose modules from resolved config; ops/ holds
// the commands a user runs against what is synthesized. Production code never imports tests,
// e2e/, emulator/ (the local cloud) or scripts/ (development tooling). Tests, e2e/, emulator/
// and scripts/ may import anything.
import path from "node:path";

const LAYERS = ["modules", "policy", "config", "stacks", "ops", "main.ts"];
const NEVER_IMPORTED = ["__tests__", "e2e", "emulator", "scripts"];

/** The layer of a path relative to the project root: its first segment (main.ts is its own). */
function layerOf(relative) {
  const first = relative.split(/[\\/]/)[0];
  return first;
}

export function createLayersPlugin(root) {
  const rule = {
    meta: {
      type: "problem",
      docs: { description: "imports only point down the layers modules < policy < config < stacks < ops < main.ts" },
      schema: [],
    },
    create(context) {
      const file = path.relative(root, context.filename);
      const from = layerOf(file);
      const rank = LAYERS.indexOf(from);
      if (rank === -1) return {};
      function check(node, specifier) {
        if (typeof specifier !== "string" || !specifier.startsWith(".")) return;
        const target = path.relative(root, path.resolve(path.dirname(context.filename), specifier));
        const to = layerOf(target);
        if (NEVER_IMPORTED.includes(to)) {
          context.report({ node, message: `${from}/ is production code and may not import ${to}/ (${specifier}); move what it needs down the layers.` });
          return;
        }
        const targetRank = LAYERS.indexOf(to);
        if (targetRank > rank) {
          context.report({
            node,
            message: `${file} (layer ${from}) imports ${target} (layer ${to}), which is above it: imports point down (${LAYERS.join(" < ")}); move the shared part down or pass it in.`,
          });
        }
      }
      return {
        ImportDeclaration: (node) => check(node.source, node.source.value),
        ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
        ExportAllDeclaration: (node) => check(node.source, node.source.value),
        ImportExpression: (node) => node.source.type === "Literal" && check(node.source, node.source.value),
        CallExpression: (node) => {
          const arg = node.arguments[0];
          if (arg && arg.type === "Literal" && ((node.callee.type === "Identifier" && node.callee.name === "require") || node.callee.type === "CallExpression")) {
            check(arg, arg.value);
          }
        },
      };
    },
  };
  return { rules: { "imports-point-down": rule } };
}
