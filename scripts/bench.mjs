// npm run bench: measures, in one run, on this machine:
//   1. for each CDK library (cdktf, then cdktn: SAMPLE_APP_CDK, docs/cdk-libraries.md; cdktn
//      only on a Node.js it runs on): synthesizing every stack, as `npm run -s synth` (npm's
//      start-up included) and as node dist/main.js, vs merely loading that library (node -e
//      "require('cdktf')", "require('cdktn')"): median wall time, median peak RSS, ratios;
//   2. the wall time of the unit test suite (npm test);
//   3. the wall time of tofu plan and tofu apply of the local stack against the
//      emulator (needs npm run toolchain; reported as not measured otherwise).
// Targets: npm run -s synth within 3x of loading cdktf, node dist/main.js within 2x;
// npm test under 15 s.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const USAGE = `usage: npm run bench   (no arguments)
Environment: BENCH_RUNS=N (1-100, default 9) runs per series; BENCH_SKIP_TESTS=1 skips timing npm test;
BENCH_LIBRARIES=cdktf,cdktn (default both) the CDK libraries whose synth is measured.
`;
const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (args.length > 0) {
  process.stderr.write(`error: unknown argument ${JSON.stringify(args[0])}\n${USAGE}`);
  process.exit(2);
}

const root = fileURLToPath(new URL("..", import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 9);
if (!Number.isInteger(runs) || runs < 1 || runs > 100) {
  console.error(`BENCH_RUNS = ${JSON.stringify(process.env.BENCH_RUNS)}: must be a whole number from 1 to 100`);
  process.exit(2);
}
const cdkLibrary = createRequire(import.meta.url)("./lib/cdk-library.cjs");
const libraries = (process.env.BENCH_LIBRARIES ?? "cdktf,cdktn").split(",").filter(Boolean);
for (const name of libraries) {
  if (!Object.hasOwn(cdkLibrary.LIBRARIES, name)) {
    console.error(`BENCH_LIBRARIES = ${JSON.stringify(process.env.BENCH_LIBRARIES)}: ${JSON.stringify(name)} is not a library; use cdktf and/or cdktn, comma-separated`);
    process.exit(2);
  }
}
const work = mkdtempSync(join(tmpdir(), "bench-"));
const usageHook = join(root, "scripts", "bench", "report-usage.cjs");

function measureNode(args, env = {}) {
  const usageFile = join(work, "usage.json");
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["-r", usageHook, ...args], {
    cwd: root,
    env: { ...process.env, ...env, BENCH_USAGE_FILE: usageFile },
    encoding: "utf8",
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    throw new Error(`node ${args.join(" ")} failed (${result.status}):\n${result.stderr}`);
  }
  return { ms, rssMiB: JSON.parse(readFileSync(usageFile, "utf8")).maxRssKiB / 1024 };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function timeCommand(command, args, options = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8", ...options });
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
}

const rows = [];
const row = (what, value, target = "") => rows.push([what, value, target]);

/** Builds dist/ with one library and measures its synth against loading that library; adds the rows. */
function benchLibrary(name) {
  const core = cdkLibrary.LIBRARIES[name].core;
  const problem = cdkLibrary.nodeProblem(name);
  if (problem !== undefined) {
    row(`${name}: synth`, "not measured", problem);
    return;
  }
  const env = { ...process.env, SAMPLE_APP_CDK: name };
  const build = timeCommand(process.execPath, [join(root, "scripts", "build.mjs"), "--force"], { env });
  if (build.result.status !== 0) {
    console.error(build.result.stderr);
    process.exit(1);
  }
  const npmSynthEnv = { ...env, CDKTF_OUTDIR: join(work, name, "cdktf.npm.out") };
  function measureNpmSynth() {
    const { ms, result } = timeCommand("npm", ["run", "-s", "synth"], { env: npmSynthEnv });
    if (result.status !== 0) {
      throw new Error(`npm run -s synth failed (${result.status}):\n${result.stderr}`);
    }
    return ms;
  }

  // Interleaved so that machine noise hits both series alike.
  const synth = [];
  const load = [];
  const npmSynth = [];
  for (let i = 0; i < runs; i++) {
    load.push(measureNode(["-e", `require('${core}')`]));
    synth.push(measureNode([join(root, "dist", "main.js")], { SAMPLE_APP_CDK: name, CDKTF_OUTDIR: join(work, name, "cdktf.out") }));
    npmSynth.push(measureNpmSynth());
  }
  const npmSynthMs = median(npmSynth);
  const synthMs = median(synth.map((r) => r.ms));
  const loadMs = median(load.map((r) => r.ms));
  const synthRss = median(synth.map((r) => r.rssMiB));
  const loadRss = median(load.map((r) => r.rssMiB));
  const stacks = JSON.parse(readFileSync(join(work, name, "cdktf.out", "manifest.json"), "utf8")).stacks;
  const version = JSON.parse(readFileSync(join(root, "node_modules", core, "package.json"), "utf8")).version;

  row(`${name} ${version} (SAMPLE_APP_CDK=${name}), Node.js ${process.versions.node}`, "");
  row(`  build (esbuild bundle; npm run synth rebuilds only when a source changed)`, `${build.ms.toFixed(0)} ms`);
  row(`  npm run -s synth (npm start-up, bundle check, synth): median wall`, `${npmSynthMs.toFixed(0)} ms`);
  row(`  synth all ${Object.keys(stacks).length} stacks: median wall (${runs} runs)`, `${synthMs.toFixed(0)} ms`);
  row(`  node -e "require('${core}')": median wall`, `${loadMs.toFixed(0)} ms`);
  row(`  wall ratio npm run -s synth / load ${core}`, `${(npmSynthMs / loadMs).toFixed(2)}x`, `<= 3x: ${npmSynthMs / loadMs <= 3 ? "met" : "MISSED"}`);
  row(`  wall ratio node dist/main.js / load ${core}`, `${(synthMs / loadMs).toFixed(2)}x`, `<= 2x: ${synthMs / loadMs <= 2 ? "met" : "MISSED"}`);
  row(`  synth all stacks: median peak RSS`, `${synthRss.toFixed(0)} MiB`);
  row(`  node -e "require('${core}')": median peak RSS`, `${loadRss.toFixed(0)} MiB`);
  row(`  memory ratio synth / load ${core}`, `${(synthRss / loadRss).toFixed(2)}x`, `<= 2x: ${synthRss / loadRss <= 2 ? "met" : "MISSED"}`);
}

for (const name of libraries) {
  benchLibrary(name);
}

if (process.env.BENCH_SKIP_TESTS !== "1") {
  const tests = timeCommand("npx", ["jest", "--silent"], { env: { ...process.env, CI: "true" } });
  row(`npm test (jest, whole suite): wall`, `${(tests.ms / 1000).toFixed(1)} s${tests.result.status === 0 ? "" : " (FAILED)"}`, `< 15 s: ${tests.ms < 15000 ? "met" : "MISSED"}`);
}

const e2e = spawnSync(process.execPath, [join(root, "emulator", "local.mjs"), "bench"], { cwd: root, encoding: "utf8" });
if (e2e.status === 0) {
  for (const line of e2e.stdout.trim().split("\n")) {
    const [what, value] = line.split("\t");
    row(what, value);
  }
} else {
  row("tofu plan / apply of sample-app-local", `not measured: ${(e2e.stderr || e2e.stdout).trim().split("\n").pop()}`);
}

rmSync(work, { recursive: true, force: true });
const width = Math.max(...rows.map((r) => r[0].length));
for (const [what, value, target] of rows) {
  console.log(`${what.padEnd(width)}  ${value.padStart(9)}  ${target}`);
}
