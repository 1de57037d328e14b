// The local loop against the AWS emulator:
//   npm start              (local.mjs up)    start the emulator, synth, tofu init + apply, print outputs
//   npm run destroy:local  (local.mjs down)  tofu destroy, stop the emulator
//   local.mjs bench                           time plan and apply on a throwaway copy (npm run bench)
import { createRequire } from "node:module";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const harness = require("./local-cloud.js");

const STATE_DIR = join(harness.ROOT, ".state");
const EMULATOR_FILE = join(STATE_DIR, "emulator.json");
const OUTDIR = join(harness.ROOT, "cdktf.out");

let stepStarted = 0;
function step(message) {
  finishStep();
  process.stdout.write(`==> ${message} ... `);
  stepStarted = Date.now();
}
function finishStep() {
  if (stepStarted) {
    process.stdout.write(`done (${((Date.now() - stepStarted) / 1000).toFixed(1)} s)\n`);
    stepStarted = 0;
  }
}

function readEmulatorFile() {
  return existsSync(EMULATOR_FILE) ? JSON.parse(readFileSync(EMULATOR_FILE, "utf8")) : undefined;
}

async function up() {
  const toolchain = harness.findToolchain();
  mkdirSync(STATE_DIR, { recursive: true });
  let emulator = readEmulatorFile();
  if (emulator && (await harness.isEmulatorAlive(emulator.endpoint))) {
    console.log(`==> reusing the emulator at ${emulator.endpoint} (pid ${emulator.pid})`);
  } else {
    if (emulator && existsSync(join(STATE_DIR, `${harness.LOCAL_STACK}.tfstate`))) {
      // The emulator keeps everything in memory: its resources died with it.
      rmSync(join(STATE_DIR, `${harness.LOCAL_STACK}.tfstate`), { force: true });
      console.log("==> the previous emulator is gone; its state file described nothing that still exists and was removed");
    }
    step("starting the AWS emulator (moto) on 127.0.0.1");
    const started = await harness.startEmulator(toolchain, { detached: true, logFile: join(STATE_DIR, "emulator.log") });
    emulator = { endpoint: started.endpoint, pid: started.pid };
    writeFileSync(EMULATOR_FILE, JSON.stringify(emulator, null, 2));
    finishStep();
    console.log(`    emulator: ${emulator.endpoint} (pid ${emulator.pid}, log .state/emulator.log)`);
  }
  step("synthesizing sample-app-local");
  harness.buildApp();
  const stackDir = harness.synthLocal(OUTDIR, { endpoint: emulator.endpoint });
  finishStep();
  console.log("==> tofu init");
  harness.tofu(toolchain, ["init", "-input=false"], stackDir, { echo: true, color: true });
  console.log("==> tofu apply");
  harness.tofu(toolchain, ["apply", "-input=false", "-auto-approve"], stackDir, { echo: true, color: true });
  console.log(`\nState: .state/${harness.LOCAL_STACK}.tfstate. Tear down with: npm run destroy:local`);
}

async function down() {
  const toolchain = harness.findToolchain();
  const emulator = readEmulatorFile();
  const stateFile = join(STATE_DIR, `${harness.LOCAL_STACK}.tfstate`);
  if (!emulator) {
    console.log("==> no local deployment recorded (.state/emulator.json is absent); nothing to destroy");
    return;
  }
  if (await harness.isEmulatorAlive(emulator.endpoint)) {
    step("synthesizing sample-app-local");
    harness.buildApp();
    const stackDir = harness.synthLocal(OUTDIR, { endpoint: emulator.endpoint });
    finishStep();
    if (existsSync(stateFile)) {
      console.log("==> tofu destroy");
      harness.tofu(toolchain, ["init", "-input=false"], stackDir);
      harness.tofu(toolchain, ["destroy", "-input=false", "-auto-approve"], stackDir, { echo: true, color: true });
    }
    step(`stopping the emulator (pid ${emulator.pid})`);
    try {
      process.kill(emulator.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
    finishStep();
  } else {
    console.log("==> the emulator is not running; its resources went with it");
  }
  rmSync(stateFile, { force: true });
  rmSync(`${stateFile}.backup`, { force: true });
  rmSync(EMULATOR_FILE, { force: true });
  console.log("==> local deployment removed");
}

// Prints "what<TAB>value" lines for scripts/bench.mjs; uses its own emulator and outdir.
async function bench() {
  const toolchain = harness.findToolchain();
  const work = mkdtempSync(join(tmpdir(), "bench-local-"));
  const emulator = await harness.startEmulator(toolchain);
  try {
    harness.buildApp();
    const stackDir = harness.synthLocal(join(work, "cdktf.out"), { endpoint: emulator.endpoint });
    const timed = (args) => {
      const started = process.hrtime.bigint();
      harness.tofu(toolchain, args, stackDir);
      return Number(process.hrtime.bigint() - started) / 1e9;
    };
    const init = timed(["init", "-input=false"]);
    const plan = timed(["plan", "-input=false", "-out=bench.plan"]);
    const apply = timed(["apply", "-input=false", "bench.plan"]);
    harness.tofu(toolchain, ["destroy", "-input=false", "-auto-approve"], stackDir);
    console.log(`tofu init of sample-app-local (offline mirror)\t${init.toFixed(1)} s`);
    console.log(`tofu plan of sample-app-local (emulator, empty state)\t${plan.toFixed(1)} s`);
    console.log(`tofu apply of sample-app-local (emulator)\t${apply.toFixed(1)} s`);
  } finally {
    await emulator.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

const USAGE = `usage: node emulator/local.mjs <up|down|bench>
  up      (npm start)              start the emulator, synth, tofu init + apply sample-app-local, print outputs
  down    (npm run destroy:local)  tofu destroy sample-app-local and stop the emulator
  bench   (npm run bench)          time tofu init, plan and apply on a throwaway copy
Options: -h, --help  this help (does nothing else)
`;
const commands = { up, down, bench };
const args = process.argv.slice(2);
// --help anywhere wins, so `npm start -- --help` never applies a stack.
if (args.includes("--help") || args.includes("-h")) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const [command, ...extra] = args;
if (!Object.hasOwn(commands, command ?? "") || extra.length > 0) {
  const problem = !Object.hasOwn(commands, command ?? "")
    ? `unknown command ${JSON.stringify(command ?? "")}`
    : `unknown argument${extra.length > 1 ? "s" : ""} ${extra.map((arg) => JSON.stringify(arg)).join(" ")}`;
  process.stderr.write(`error: ${problem}\n${USAGE}`);
  process.exit(2);
}
commands[command]().catch((error) => {
  finishStep();
  console.error(`\nerror: ${error.message}`);
  process.exit(1);
});
