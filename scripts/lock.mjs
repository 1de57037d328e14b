// npm run lock: (re)writes the committed provider lock files provider-locks/<stack>.terraform.lock.hcl,
// which every synth restores into cdktf.out/stacks/<stack>/ (see lib/provider-locks.ts).
//
// With registry access it records checksums for the platforms a team uses (default
// linux_amd64, linux_arm64, darwin_arm64) with `<engine> providers lock`. Without it, it
// falls back to the local provider mirror built by `npm run toolchain` and records what
// that mirror holds, saying so. A stack whose provider is in neither keeps its old lock
// file and makes the command fail.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { delimiter, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DEFAULT_PLATFORMS = ["linux_amd64", "linux_arm64", "darwin_arm64"];
const TOOLCHAIN_HOME = process.env.SAMPLE_APP_TOOLCHAIN_HOME || join(homedir(), ".cache", "sample-app-toolchain");

function usage() {
  return `Usage: npm run lock [-- [--env NAME]... [--platform LIST] [--offline]]

Writes provider-locks/<stack>.terraform.lock.hcl for every environment (or the --env ones).
Every synth copies them into cdktf.out/stacks/<stack>/.terraform.lock.hcl.

  --env NAME        only this environment (repeatable; default: all)
  --platform LIST   comma-separated platforms to record from the registry
                    (default: ${DEFAULT_PLATFORMS.join(",")})
  --offline         do not ask the registry; record what the local provider mirror holds
  --dir DIR         write the lock files there instead of provider-locks/ (to compare)
  -h, --help        this help

The engine is TERRAFORM_BINARY_NAME when set (e.g. terraform), else the toolchain's tofu
(${join(TOOLCHAIN_HOME, "bin", "tofu")}), else tofu on PATH.`;
}

function fail(message, code = 1) {
  process.stderr.write(`lock: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const options = { envs: [], platforms: DEFAULT_PLATFORMS, offline: false, dir: join(ROOT, "provider-locks") };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length || argv[i + 1].startsWith("--")) fail(`${arg} needs a value (see --help)`, 2);
      return argv[++i];
    };
    if (arg === "-h" || arg === "--help") {
      console.log(usage());
      process.exit(0);
    } else if (arg === "--env") options.envs.push(value());
    else if (arg === "--platform") {
      options.platforms = value().split(",").map((p) => p.trim()).filter(Boolean);
      const bad = options.platforms.filter((p) => !/^[a-z0-9]+_[a-z0-9]+$/.test(p));
      if (bad.length || options.platforms.length === 0) fail(`--platform: "${bad.join(",")}" is not a platform like linux_amd64`, 2);
    } else if (arg === "--offline") options.offline = true;
    else if (arg === "--dir") options.dir = resolve(value());
    else fail(`unknown argument "${arg}" (see --help)`, 2);
  }
  return options;
}

function findOnPath(name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function findEngine() {
  const named = process.env.TERRAFORM_BINARY_NAME;
  if (named) {
    const found = named.includes("/") ? (existsSync(named) ? named : undefined) : findOnPath(named);
    if (!found) fail(`TERRAFORM_BINARY_NAME=${named}: not found${named.includes("/") ? "" : " on PATH"}`);
    return found;
  }
  const ours = join(TOOLCHAIN_HOME, "bin", "tofu");
  if (existsSync(ours)) return ours;
  const onPath = findOnPath("tofu");
  if (onPath) return onPath;
  fail(`no OpenTofu found: run npm run toolchain, put tofu on PATH, or set TERRAFORM_BINARY_NAME`);
}

function run(command, args, options = {}) {
  return spawnSync(command, args, { encoding: "utf8", maxBuffer: 16 * 1024 * 1024, ...options });
}

/** The first lines of an engine error that say what went wrong, without box drawing. */
function errorSummary(result) {
  const text = `${result.stderr ?? ""}\n${result.stdout ?? ""}`
    .split("\n")
    .map((line) => line.replace(/^[│╷╵]\s?/, "").trim())
    .filter((line) => line && !/^Error:\s*$/.test(line));
  const useful =
    text.find((line) => /could not connect|no such host|connection refused|proxyconnect|does not have a package|no available releases/i.test(line)) ??
    text.find((line) => /Could not retrieve|Failed to/i.test(line));
  return (useful ?? text[0] ?? `exit code ${result.status}`).slice(0, 300);
}

/** `{ source, version }` of every provider a synthesized stack requires. */
function requiredProviders(stackDir) {
  const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
  return Object.values(json.terraform?.required_providers ?? {}).map((p) => ({ source: p.source, version: p.version }));
}

/** Platforms the unpacked mirror holds for a provider source and version. */
function mirrorPlatforms(mirror, source, version) {
  const dir = join(mirror, ...source.split("/"), version ?? "");
  if (!version || !existsSync(dir)) return [];
  return readdirSync(dir).filter((entry) => /^[a-z0-9]+_[a-z0-9]+$/.test(entry));
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const engine = findEngine();
  const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0", TF_CLI_ARGS: "-no-color" };

  const outdir = mkdtempSync(join(tmpdir(), "sample-app-lock-"));
  try {
    const synth = run(process.execPath, [join(ROOT, "scripts", "synth.cjs")], {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: outdir, ...(options.envs.length ? { SAMPLE_APP_ENVIRONMENTS: options.envs.join(",") } : {}) },
    });
    if (synth.status !== 0) fail(`synthesis failed; no lock file was changed:\n${synth.stderr}`);

    const mirror = join(TOOLCHAIN_HOME, "plugins");
    const stacks = readdirSync(join(outdir, "stacks")).sort();
    mkdirSync(options.dir, { recursive: true });
    const failures = [];
    for (const stack of stacks) {
      const stackDir = join(outdir, "stacks", stack);
      // Start from nothing: the restored lock file would otherwise be merged into.
      rmSync(join(stackDir, ".terraform.lock.hcl"), { force: true });
      const providers = requiredProviders(stackDir);
      const label = providers.map((p) => `${p.source} ${p.version ?? "(any)"}`).join(", ");
      let how;
      let registryProblem = options.offline ? "--offline" : undefined;
      if (!options.offline) {
        const result = run(engine, ["providers", "lock", ...options.platforms.map((p) => `-platform=${p}`)], { cwd: stackDir, env });
        if (result.status === 0) how = `from the registry for ${options.platforms.join(", ")}`;
        else registryProblem = errorSummary(result);
      }
      if (!how) {
        const platforms = [...new Set(providers.flatMap((p) => mirrorPlatforms(mirror, p.source, p.version)))];
        const inMirror = providers.every((p) => mirrorPlatforms(mirror, p.source, p.version).length > 0);
        if (!inMirror) {
          failures.push(stack);
          console.error(
            `✗ ${stack}: ${label} could not be locked. Registry: ${registryProblem}. Local mirror (${mirror}): ` +
              `does not hold it. ${relative(ROOT, join(options.dir, `${stack}.terraform.lock.hcl`))} was left as it was; run npm run lock where the registry is reachable.`,
          );
          continue;
        }
        const result = run(engine, ["providers", "lock", `-fs-mirror=${mirror}`, ...platforms.map((p) => `-platform=${p}`)], { cwd: stackDir, env });
        if (result.status !== 0) {
          failures.push(stack);
          console.error(`✗ ${stack}: locking from the local mirror failed: ${errorSummary(result)}`);
          continue;
        }
        how =
          `OFFLINE, from the local provider mirror ${mirror}, for ${platforms.join(", ")} only ` +
          `(registry: ${registryProblem}); re-run with registry access to record ${options.platforms.join(", ")}`;
      }
      const target = join(options.dir, `${stack}.terraform.lock.hcl`);
      copyFileSync(join(stackDir, ".terraform.lock.hcl"), target);
      console.log(`✓ ${stack}: ${label} locked ${how} -> ${relative(ROOT, target)}`);
    }
    if (failures.length) fail(`${failures.length} of ${stacks.length} stacks not locked: ${failures.join(", ")}`);
    console.log("Commit provider-locks/; every synth restores them into cdktf.out/stacks/<stack>/.");
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

main();
