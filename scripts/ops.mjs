// The one launcher of the commands in ops/ (npm run review, adopt, rollout, image:prune,
// image:promote, scan, lock, state:settings): `node scripts/ops.mjs <command> [arguments]` bundles the command's entry
// point with esbuild (no type checking on this path; that is `npm run typecheck`) and runs the
// bundle with the arguments, passing its exit code on (ops/shared/exit-codes.ts).
// A bundle is rebuilt only when one of its inputs (the files esbuild read, this launcher,
// package-lock.json) is newer than it; OPS_REBUILD=1 forces it.
// Dependencies (cdktf, the AWS SDK) stay external and load from node_modules. Under
// SAMPLE_APP_CDK=cdktn "cdktf" is aliased to cdktn (scripts/lib/cdk-library.cjs) and the bundle is
// built beside the default one, in a cdktn/ folder.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const cdkLibrary = createRequire(import.meta.url)("./lib/cdk-library.cjs");
// An unknown SAMPLE_APP_CDK, or a Node.js too old for the library, stops here.
const library = cdkLibrary.selectedLibraryOrExit();

const root = fileURLToPath(new URL("..", import.meta.url));
// name: entry point and bundle (the bundle names are the ones tests and docs know).
const COMMANDS = {
  review: { entry: "ops/review/main.ts", bundle: "dist/review.js" },
  adopt: { entry: "ops/adopt/main.ts", bundle: "dist/adopt.js" },
  rollout: { entry: "ops/rollout/main.ts", bundle: ".tools/rollout.js" },
  "image-prune": { entry: "ops/image/prune.ts", bundle: ".tools/image-prune.js" },
  "image-promote": { entry: "ops/image/promote.ts", bundle: ".tools/image-promote.js" },
  "checkov-scan": { entry: "ops/scan/main.ts", bundle: ".tools/checkov-scan.js" },
  lock: { entry: "ops/lock/main.ts", bundle: ".tools/lock.js" },
  "state-settings": { entry: "ops/state/main.ts", bundle: ".tools/state-settings.js" },
};
const USAGE = 2; // ops/shared/exit-codes.ts EXIT.usage
const ERROR = 1; // EXIT.error

const [name, ...args] = process.argv.slice(2);
if (!Object.hasOwn(COMMANDS, name ?? "")) {
  console.error(`scripts/ops.mjs: no command named "${name ?? ""}" (known: ${Object.keys(COMMANDS).join(", ")})`);
  process.exit(USAGE);
}
const command = COMMANDS[name];
const outfile = library === cdkLibrary.DEFAULT ? join(root, command.bundle) : join(root, dirname(command.bundle), library, basename(command.bundle));
const inputsFile = `${outfile}.inputs.json`;

/** Why the bundle must be built, or undefined when it is newer than all its inputs. */
function staleReason() {
  if (process.env.OPS_REBUILD === "1") return "OPS_REBUILD=1";
  let built;
  let inputs;
  try {
    built = statSync(outfile).mtimeMs;
    inputs = JSON.parse(readFileSync(inputsFile, "utf8"));
  } catch {
    return "no bundle yet";
  }
  for (const file of [...inputs, "scripts/ops.mjs", "scripts/lib/cdk-library.cjs", "package-lock.json"]) {
    try {
      if (statSync(join(root, file)).mtimeMs >= built) return `${file} changed`;
    } catch {
      return `${file} is gone`;
    }
  }
  return undefined;
}

if (staleReason() !== undefined) {
  let result;
  // esbuild is loaded only when there is something to build.
  const { build } = await import("esbuild");
  try {
    // Not written by esbuild: each output goes beside its place and is renamed into it, so a
    // parallel run never reads half a bundle.
    result = await build({
      absWorkingDir: root,
      ...(library === cdkLibrary.DEFAULT ? {} : { alias: cdkLibrary.esbuildAlias(library) }),
      entryPoints: [join(root, command.entry)],
      outfile,
      write: false,
      bundle: true,
      packages: "external",
      format: "cjs",
      platform: "node",
      target: "node20",
      keepNames: true,
      sourcemap: true,
      metafile: true,
      logLevel: "warning",
    });
  } catch {
    // esbuild has already printed the errors with file and line.
    process.exit(ERROR);
  }
  mkdirSync(dirname(outfile), { recursive: true });
  // The map before the bundle that names it; the list of inputs last (it marks the bundle fresh).
  for (const output of [...result.outputFiles].sort((a, b) => Number(b.path.endsWith(".map")) - Number(a.path.endsWith(".map")))) {
    const temporary = `${output.path}.${process.pid}.tmp`;
    writeFileSync(temporary, output.contents);
    renameSync(temporary, output.path);
  }
  writeFileSync(inputsFile, `${JSON.stringify(Object.keys(result.metafile.inputs).filter((file) => !file.startsWith("node_modules/")))}\n`);
}

const result = spawnSync(process.execPath, ["--enable-source-maps", outfile, ...args], {
  stdio: "inherit",
  // The pinned AWS SDK warns on Node 20 about *future* SDK releases needing Node 22; the
  // versions in package-lock.json support Node 20 (package.json engines).
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...process.env },
});
if (result.signal) process.kill(process.pid, result.signal);
process.exit(result.status ?? ERROR);
