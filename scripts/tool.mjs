// Runs one of the operator commands in ops/ (npm run rollout, image:prune, image:promote, scan):
// bundles the command's entry point (TOOLS below) with esbuild (no type checking on this path; that is
// `npm run typecheck`) into .tools/<name>.js, then runs it with the remaining arguments.
// Dependencies (the AWS SDK, cdktf) stay external and load from node_modules.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const [name, ...args] = process.argv.slice(2);
// The name is the bundle's (.tools/<name>.js), kept from when each tool was one file in tools/.
const TOOLS = {
  rollout: "ops/rollout/main.ts",
  "image-prune": "ops/image/prune.ts",
  "image-promote": "ops/image/promote.ts",
  "checkov-scan": "ops/scan/main.ts",
};
const entry = Object.hasOwn(TOOLS, name ?? "") ? join(root, TOOLS[name]) : undefined;
if (entry === undefined || !existsSync(entry)) {
  console.error(`scripts/tool.mjs: no tool named "${name ?? ""}" (known: ${Object.keys(TOOLS).join(", ")})`);
  process.exit(2);
}
const outfile = join(root, ".tools", `${name}.js`);
try {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    packages: "external",
    format: "cjs",
    platform: "node",
    target: "node20",
    keepNames: true,
    sourcemap: true,
    logLevel: "warning",
  });
} catch {
  process.exit(2);
}
const result = spawnSync(process.execPath, ["--enable-source-maps", outfile, ...args], {
  stdio: "inherit",
  // The pinned AWS SDK warns on Node 20 about *future* SDK releases needing Node 22; the
  // versions in package-lock.json support Node 20 (package.json engines).
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...process.env },
});
process.exit(result.status ?? 1);
