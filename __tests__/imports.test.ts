import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..");
const SOURCE_DIRS = ["main.ts", "config", "modules", "stacks", "policy", "ops", "__tests__", "e2e", "scripts"];

function sourceFiles(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return /\.(ts|js|mjs)$/.test(entry) ? [entry] : [];
  return fs.readdirSync(full).flatMap((child) => (child === "node_modules" ? [] : sourceFiles(path.join(entry, child))));
}

// Also enforced by the no-restricted-imports lint rule; this test keeps it enforced
// for anyone who runs only `npm test`.
it("imports @cdktf/provider-aws resources deeply, never the package root", () => {
  const rootImport = /(?:from\s+|require\(\s*|import\(\s*)["']@cdktf\/provider-aws(?:\/lib)?\/?["']/;
  const offenders = SOURCE_DIRS.flatMap(sourceFiles).filter((file) => rootImport.test(fs.readFileSync(path.join(ROOT, file), "utf8")));
  expect(offenders).toEqual([]);
});
