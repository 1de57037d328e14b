// Which environments a change touches: synthesizes the base revision and the working tree
// and compares each stack's Terraform JSON and restored lock file. Prints a JSON array of
// environment names on stdout (for a workflow matrix) and the reasons on stderr.
//
//   node scripts/changed-environments.mjs --base <git ref> [--exclude local,...]
//
// A changed dependency tree (package-lock.json) or a base that does not synthesize counts
// as touching every environment: the comparison could not be trusted.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const STACK_PREFIX = "sample-app-";

function fail(message) {
  process.stderr.write(`changed-environments: ${message}\n`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) fail(`${command}: ${result.error.message}`);
  return result;
}

let base;
let exclude = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--base" && argv[i + 1]) base = argv[++i];
  else if (argv[i] === "--exclude" && argv[i + 1]) exclude = argv[++i].split(",").map((s) => s.trim()).filter(Boolean);
  else if (argv[i] === "-h" || argv[i] === "--help") {
    console.log("Usage: node scripts/changed-environments.mjs --base <git ref> [--exclude env,...]");
    process.exit(0);
  } else fail(`unknown or incomplete argument "${argv[i]}" (see --help)`);
}
if (!base) fail("--base <git ref> is required");
// A push that created the branch has no "before" (all zeros): everything is new.
const noBase = /^0+$/.test(base);
if (!noBase && run("git", ["rev-parse", "--verify", `${base}^{commit}`], { cwd: ROOT }).status !== 0) fail(`--base ${base}: not a commit in this repository`);

function synth(checkout, outdir) {
  // scripts/synth.cjs builds when needed; older revisions built with build.mjs first.
  const synthScript = join(checkout, "scripts", "synth.cjs");
  if (!existsSync(synthScript)) {
    const build = run(process.execPath, [join(checkout, "scripts", "build.mjs")], { cwd: checkout });
    if (build.status !== 0) return `build failed: ${build.stderr.trim().split("\n")[0]}`;
  }
  const env = { ...process.env, CDKTF_OUTDIR: outdir };
  delete env.SAMPLE_APP_ENVIRONMENTS; // every environment
  const result = run(process.execPath, [existsSync(synthScript) ? synthScript : join(checkout, "dist", "main.js")], { cwd: checkout, env });
  return result.status === 0 ? undefined : `synth failed: ${result.stderr.trim().split("\n")[0]}`;
}

function stackFiles(outdir) {
  const stacks = {};
  const dir = join(outdir, "stacks");
  for (const stack of existsSync(dir) ? readdirSync(dir) : []) {
    const read = (file) => (existsSync(join(dir, stack, file)) ? readFileSync(join(dir, stack, file), "utf8") : "");
    stacks[stack] = read("cdk.tf.json") + "\n--lock--\n" + read(".terraform.lock.hcl");
  }
  return stacks;
}

const work = mkdtempSync(join(tmpdir(), "changed-environments-"));
const baseCheckout = join(work, "base");
try {
  const head = stackFiles((() => {
    const out = join(work, "head-out");
    const problem = synth(ROOT, out);
    if (problem) fail(`the working tree does not synthesize (${problem})`);
    return out;
  })());
  // Environment stacks run the app (an auto scaling group); the state bootstrap stack does not
  // and is not reviewed here.
  const all = Object.keys(head).filter((stack) => head[stack].includes('"aws_autoscaling_group"'));
  let touched;
  const lockDiff = noBase || run("git", ["diff", "--quiet", base, "--", "package-lock.json"], { cwd: ROOT }).status !== 0;
  if (lockDiff) {
    process.stderr.write(noBase ? "no base revision: every environment is touched\n" : "package-lock.json changed: every environment is touched\n");
    touched = all;
  } else {
    if (run("git", ["worktree", "add", "--detach", baseCheckout, base], { cwd: ROOT }).status !== 0) fail(`git worktree add ${base} failed`);
    symlinkSync(join(ROOT, "node_modules"), join(baseCheckout, "node_modules"), "dir");
    const baseOut = join(work, "base-out");
    const problem = synth(baseCheckout, baseOut);
    if (problem) {
      process.stderr.write(`the base ${base} does not synthesize here (${problem}): every environment is touched\n`);
      touched = all;
    } else {
      const before = stackFiles(baseOut);
      touched = all.filter((stack) => before[stack] !== head[stack]);
      for (const stack of touched) process.stderr.write(`${stack}: ${before[stack] === undefined ? "new stack" : "synthesized JSON or lock file differs"}\n`);
    }
  }
  const environments = touched
    .map((stack) => stack.slice(STACK_PREFIX.length))
    .filter((env) => !exclude.includes(env))
    .sort();
  process.stdout.write(`${JSON.stringify(environments)}\n`);
} finally {
  if (existsSync(baseCheckout)) run("git", ["worktree", "remove", "--force", baseCheckout], { cwd: ROOT });
  rmSync(work, { recursive: true, force: true });
}
