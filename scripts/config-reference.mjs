// npm run docs:config: writes the generated blocks of docs/ from the code they describe,
// between their markers (scripts/lib/doc-blocks.cjs):
//   docs/configuration.md  config-reference  config/schema.ts (referenceTable())
//   docs/policy-rules.md   policy-rules      policy/rules/*.ts (the RULES list: id, name, level, scope, rationale)
//   docs/review.md         review-*          npm run review -- local --plan <recorded plan>, offline (two examples)
// `--check` only compares and exits 1 when one is out of date (unit tests make the same comparisons).
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const USAGE =
  "usage: npm run docs:config [-- --check]   writes (or with --check, compares) the generated blocks of docs/:\n" +
  "  docs/configuration.md's configuration reference, docs/policy-rules.md's rule table, docs/review.md's example reports\n";
const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const unknown = args.filter((arg) => arg !== "--check");
if (unknown.length > 0) {
  process.stderr.write(`error: unknown argument ${JSON.stringify(unknown[0])}\n${USAGE}`);
  process.exit(2);
}
const check = args.includes("--check");

const root = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);
const { BLOCKS, blockContent, replaceBlock, policyRulesTable, reviewExample, reviewReport } = require("./lib/doc-blocks.cjs");

/** Bundles a TypeScript file (esbuild) and evaluates it as Node would run a CommonJS file in its folder. */
async function loadTypeScript(relative) {
  const file = join(root, relative);
  const bundle = await build({
    entryPoints: [file],
    bundle: true,
    write: false,
    format: "cjs",
    platform: "node",
    external: ["cdktf", "constructs", "@cdktf/provider-aws"],
    logLevel: "warning",
  });
  const module = { exports: {} };
  // config/schema.ts reads toolchain.json from the project root found from __dirname.
  new Function("module", "exports", "require", "__dirname", "__filename", bundle.outputFiles[0].text)(
    module,
    module.exports,
    createRequire(file),
    dirname(file),
    file,
  );
  return module.exports;
}

/** The content of a block, from its source. */
async function generate(block) {
  if (block.name === "config-reference") return (await loadTypeScript("config/schema.ts")).referenceTable();
  if (block.name === "policy-rules") return policyRulesTable((await loadTypeScript("policy/rules/index.ts")).RULES);
  if (block.plan) return reviewExample(reviewReport(root, block.plan));
  throw new Error(`no source for the block ${block.name}`);
}

let stale = 0;
try {
  for (const block of BLOCKS) {
    const path = join(root, block.file);
    const text = readFileSync(path, "utf8");
    if (blockContent(text, block.name) === undefined) {
      process.stderr.write(`error: ${block.file} has no ${block.name} section (${block.start} ... <!-- ${block.name}:end -->)\n`);
      process.exit(1);
    }
    const updated = replaceBlock(text, block.name, await generate(block));
    if (updated === text) {
      console.log(`${block.file}: ${block.name} ${check ? "matches its source" : "already up to date"}`);
    } else if (check) {
      process.stderr.write(`${block.file}: ${block.name} differs from its source: run npm run docs:config\n`);
      stale += 1;
    } else {
      writeFileSync(path, updated);
      console.log(`${block.file}: ${block.name} updated`);
    }
  }
} catch (error) {
  process.stderr.write(`error: ${error.message}\n`);
  process.exit(1);
}
process.exit(stale > 0 ? 1 : 0);
