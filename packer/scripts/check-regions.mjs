// Checks build.sh's regions offline, against the regions AWS has (modules/core/aws-facts.json), with
// the same rule (and "did you mean") as the configuration: modules/core/aws-facts.ts checkRegion.
// usage: node packer/scripts/check-regions.mjs <build region> [<copy region>...]
// Prints the first problem as build.sh reports it and exits 2; prints nothing and exits 0 when all are fine.
import { build } from "esbuild";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const [region, ...copyTo] = process.argv.slice(2);
const bundle = await build({ entryPoints: [join(root, "modules", "core", "aws-facts.ts")], bundle: true, write: false, format: "cjs", platform: "node", logLevel: "warning" });
const module = { exports: {} };
new Function("module", "exports", "require", bundle.outputFiles[0].text)(module, module.exports, createRequire(join(root, "modules", "core", "aws-facts.ts")));
const { checkRegion } = module.exports;

const problems = [];
const regionProblem = checkRegion(region ?? "");
if (regionProblem) problems.push(`--region '${region}': ${regionProblem}`);
const seen = new Set();
for (const copy of copyTo) {
  const problem = checkRegion(copy);
  if (problem) problems.push(`--copy-to entry '${copy}': ${problem}`);
  else if (copy === region) problems.push(`--copy-to lists the build region ${region} itself`);
  else if (seen.has(copy)) problems.push(`--copy-to lists ${copy} twice`);
  seen.add(copy);
}
if (problems.length > 0) {
  process.stdout.write(problems[0]);
  process.exit(2);
}
