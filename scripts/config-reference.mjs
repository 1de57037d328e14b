// npm run docs:config: writes the README's configuration reference table from the schema
// (config/schema.ts), between the config-reference markers. `--check` only compares and
// exits 1 when the README is out of date (a unit test makes the same comparison).
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const USAGE = "usage: npm run docs:config [-- --check]   writes (or with --check, compares) README.md's configuration reference\n";
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

const root = fileURLToPath(new URL("..", import.meta.url));
const START = "<!-- config-reference:start (generated from config/schema.ts by npm run docs:config) -->";
const END = "<!-- config-reference:end -->";

const bundle = await build({
  entryPoints: [join(root, "config", "schema.ts")],
  bundle: true,
  write: false,
  format: "cjs",
  platform: "node",
  external: ["cdktf", "constructs", "@cdktf/provider-aws"],
  logLevel: "warning",
});
const module = { exports: {} };
const require = createRequire(join(root, "config", "schema.ts"));
// As Node runs a CommonJS file in config/ (the schema reads toolchain.json from the project root found from __dirname).
new Function("module", "exports", "require", "__dirname", "__filename", bundle.outputFiles[0].text)(
  module,
  module.exports,
  require,
  join(root, "config"),
  join(root, "config", "schema.ts"),
);
const table = module.exports.referenceTable();

const readmePath = join(root, "README.md");
const readme = readFileSync(readmePath, "utf8");
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start === -1 || end < start) {
  process.stderr.write(`error: README.md has no ${START} ... ${END} section\n`);
  process.exit(1);
}
const updated = `${readme.slice(0, start + START.length)}\n${table}${readme.slice(end)}`;
if (args.includes("--check")) {
  if (updated !== readme) {
    process.stderr.write("README.md's configuration reference differs from config/schema.ts: run npm run docs:config\n");
    process.exit(1);
  }
  console.log("README.md's configuration reference matches config/schema.ts");
} else if (updated !== readme) {
  writeFileSync(readmePath, updated);
  console.log("README.md: configuration reference updated from config/schema.ts");
} else {
  console.log("README.md: configuration reference already up to date");
}
