// npm run lock: (re)writes the committed provider lock files provider-locks/<stack>.terraform.lock.hcl,
// which every synth restores into cdktf.out/stacks/<stack>/ (see stacks/synth/provider-locks.ts).
//
// With registry access it records checksums for the platforms a team uses (default
// linux_amd64, linux_arm64, darwin_arm64) with `<engine> providers lock -platform=...`.
// Without it, it falls back to the local provider mirror built by `npm run toolchain` and
// records what that mirror holds, saying so. All or nothing: when any requested stack's
// provider is in neither, no lock file is written at all, and the error says what the stack
// pins, what the mirror holds and what to run where the registry is reachable.
//
// Exit status: 0 every requested stack locked and written; 1 a provider could not be
// obtained (registry unreachable and not in the mirror) or any other failure (synthesis,
// engine), nothing written; 2 bad arguments.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { delimiter, join, relative, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const { OutputPathError, checkOutputDirectory } = createRequire(import.meta.url)("../modules/core/output-path.cjs");

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const DEFAULT_PLATFORMS = ["linux_amd64", "linux_arm64", "darwin_arm64"];
// The exit-code table of every command (ops/shared/exit-codes.ts): a provider that cannot be
// obtained is an error (1), whatever the message says; 3 means "needs approval" everywhere.
export const EXIT = { ok: 0, error: 1, usage: 2, providerUnavailable: 1 };
const PLATFORM = /^[a-z0-9]+_[a-z0-9]+$/;
// The operating systems and architectures providers are released for (<os>_<arch>).
const PLATFORM_OS = ["darwin", "freebsd", "linux", "openbsd", "solaris", "windows"];
const PLATFORM_ARCH = ["386", "amd64", "arm", "arm64"];

/** Why `platform` is not one providers are released for, or undefined. */
export function platformProblem(platform) {
  const [os, arch, ...rest] = platform.split("_");
  if (!PLATFORM.test(platform) || rest.length > 0) return `"${platform}" is not a platform like linux_amd64`;
  if (!PLATFORM_OS.includes(os)) return `"${platform}": unknown operating system "${os}" (one of ${PLATFORM_OS.join(", ")})`;
  if (!PLATFORM_ARCH.includes(arch)) {
    const near = PLATFORM_ARCH.filter((known) => arch.startsWith(known)).sort((a, b) => b.length - a.length)[0];
    return `"${platform}": unknown architecture "${arch}" (one of ${PLATFORM_ARCH.join(", ")})${near ? `; did you mean ${os}_${near}?` : ""}`;
  }
  return undefined;
}
const STACK_PREFIX = "sample-app-";

function toolchainHome() {
  return process.env.SAMPLE_APP_TOOLCHAIN_HOME || join(homedir(), ".cache", "sample-app-toolchain");
}

function usage() {
  return `Usage: npm run lock [-- [--env NAME]... [--platform LIST] [--offline] [--dir DIR]]

Writes provider-locks/<stack>.terraform.lock.hcl for every environment (or the --env ones).
Every synth copies them into cdktf.out/stacks/<stack>/.terraform.lock.hcl.

  --env NAME        only this environment (repeatable; default: all)
  --platform LIST   comma-separated platforms to record from the registry
                    (default: ${DEFAULT_PLATFORMS.join(",")})
  --offline         do not ask the registry; record what the local provider mirror holds
  --dir DIR         write the lock files there instead of provider-locks/ (to compare)
  -h, --help        this help

All or nothing: when one requested stack cannot be locked, no lock file is written.

Exit status: 0 every requested stack locked; 1 a provider is neither reachable in its
registry nor held by the local mirror, or any other failure (nothing written); 2 bad
arguments.

The engine is TERRAFORM_BINARY_NAME when set (e.g. terraform), else the toolchain's tofu
(${join(toolchainHome(), "bin", "tofu")}), else tofu on PATH.`;
}

class LockError extends Error {
  constructor(message, code = EXIT.error) {
    super(message);
    this.code = code;
  }
}

/**
 * --dir: a directory of lock files only (provider-locks/ itself, committed, qualifies), new
 * or empty; never a file, a symbolic link, /, $HOME or the project root (output-path.cjs).
 */
function checkLockDir(raw) {
  try {
    return checkOutputDirectory("--dir", raw, {
      root: process.cwd(),
      fallback: join(ROOT, "provider-locks"),
      example: "provider-locks",
      marker: ".sample-app-locks",
      owner: "npm run lock",
      trackedAllowed: true,
      recognise: (_dir, entries) => entries.every((entry) => entry.endsWith(".terraform.lock.hcl")),
    });
  } catch (error) {
    if (error instanceof OutputPathError) throw new LockError(error.message.replace("was not written by npm run lock (no .sample-app-locks in it)", "holds other files than lock files"), EXIT.usage);
    throw error;
  }
}

export function parseArgs(argv) {
  const options = { envs: [], platforms: DEFAULT_PLATFORMS, offline: false, dir: join(ROOT, "provider-locks"), help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length || argv[i + 1].startsWith("--")) throw new LockError(`${arg} needs a value (see --help)`, EXIT.usage);
      return argv[++i];
    };
    if (arg === "-h" || arg === "--help") options.help = true;
    else if (arg === "--env") options.envs.push(value());
    else if (arg === "--platform") {
      options.platforms = value().split(",").map((p) => p.trim()).filter(Boolean);
      if (options.platforms.length === 0) throw new LockError(`--platform: no platform given; a comma-separated list like ${DEFAULT_PLATFORMS.join(",")}`, EXIT.usage);
      const problems = options.platforms.map(platformProblem).filter(Boolean);
      if (problems.length) throw new LockError(`--platform: ${problems.join("; ")}`, EXIT.usage);
    } else if (arg === "--offline") options.offline = true;
    else if (arg === "--dir") options.dir = checkLockDir(value());
    else throw new LockError(`unknown argument "${arg}"\n\n${usage()}`, EXIT.usage);
  }
  return options;
}

/** Arguments of the engine command that locks from the provider's origin registry. */
export function registryLockArgs(platforms) {
  return ["providers", "lock", ...platforms.map((p) => `-platform=${p}`)];
}

/** Arguments of the engine command that locks from a local filesystem mirror. */
export function mirrorLockArgs(mirror, platforms) {
  return ["providers", "lock", `-fs-mirror=${mirror}`, ...platforms.map((p) => `-platform=${p}`)];
}

/**
 * What an unpacked filesystem mirror (<host>/<namespace>/<type>/<version>/<os_arch>/) holds for
 * a provider source: `[{ version, platforms }]`, versions sorted.
 */
export function mirrorHoldings(mirror, source) {
  const dir = join(mirror, ...source.split("/"));
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((version) => ({ version, platforms: readdirSync(join(dir, version)).filter((entry) => PLATFORM.test(entry)).sort() }))
    .filter((held) => held.platforms.length > 0);
}

/** The engine's error as one line per paragraph, box drawing and line wrapping removed. */
export function errorSummary(result) {
  const paragraphs = `${result.stderr ?? ""}\n${result.stdout ?? ""}`
    .split("\n")
    .map((line) => line.replace(/^[│╷╵]\s?/, "").trim())
    .join("\n")
    // A paragraph ends at a blank line; a "- provider: reason" item starts its own.
    .split(/\n\s*\n|\n(?=- )/)
    .map((p) => p.replace(/\s*\n\s*/g, " ").trim())
    .filter((p) => p && !/^Error:\s*$/.test(p));
  const item = paragraphs.find((p) => /^- \S+: /.test(p));
  const title = paragraphs.findIndex((p) => /^Error: /.test(p));
  const text =
    item?.slice(2) ??
    (title >= 0
      ? [paragraphs[title].slice("Error: ".length), paragraphs[title + 1]].filter(Boolean).join(": ")
      : (paragraphs[0] ?? `exit code ${result.status ?? result.signal}`));
  return text.length > 400 ? `${text.slice(0, 397)}...` : text;
}

/** What to tell the user when a stack's provider is neither reachable nor mirrored. */
export function unavailableMessage({ stack, missing, registryProblem, mirror, holdings, platforms }) {
  const env = stack.startsWith(STACK_PREFIX) ? stack.slice(STACK_PREFIX.length) : stack;
  const pinned = missing.map((p) => `${p.source} ${p.version ?? "(no version)"}`).join(", ");
  const held = missing
    .map((p) => {
      const versions = holdings[p.source] ?? [];
      return versions.length
        ? `${p.source} ${versions.map((h) => `${h.version} (${h.platforms.join(", ")})`).join(", ")}`
        : `no version of ${p.source}`;
    })
    .join("; ");
  const hosts = [...new Set(missing.map((p) => p.source.split("/")[0]))].join(", ");
  return (
    `✗ ${stack}: pins ${pinned}, which cannot be locked here.\n` +
    `    registry: ${registryProblem}\n` +
    `    local mirror ${mirror}: holds ${held}\n` +
    `    To lock it, run where ${hosts} is reachable: npm run lock -- --env ${env}` +
    ` (records ${platforms.join(", ")}), then commit provider-locks/${stack}.terraform.lock.hcl.`
  );
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
    if (!found) throw new LockError(`missing toolchain: TERRAFORM_BINARY_NAME=${named}: not found${named.includes("/") ? "" : " on PATH"}; nothing was written`);
    return found;
  }
  const ours = join(toolchainHome(), "bin", "tofu");
  if (existsSync(ours)) return ours;
  const onPath = findOnPath("tofu");
  if (onPath) return onPath;
  throw new LockError(`missing toolchain: no OpenTofu found: run npm run toolchain, put tofu on PATH, or set TERRAFORM_BINARY_NAME; nothing was written`);
}

function run(command, args, options = {}) {
  return spawnSync(command, args, { encoding: "utf8", maxBuffer: 16 * 1024 * 1024, ...options });
}

/** `{ source, version }` of every provider a synthesized stack requires. */
function requiredProviders(stackDir) {
  const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
  return Object.values(json.terraform?.required_providers ?? {}).map((p) => ({ source: p.source, version: p.version }));
}

/** A path relative to the project when it is inside it. */
function shown(file) {
  const rel = relative(ROOT, file);
  return rel === "" ? "." : rel.startsWith("..") ? file : rel;
}

/** Writes a file whole or not at all: a temporary file beside it, then a rename. */
function writeAtomically(target, content) {
  const temporary = `${target}.tmp-${process.pid}`;
  writeFileSync(temporary, content);
  renameSync(temporary, target);
}

/**
 * Locks one synthesized stack in its directory; returns `{ content, how }` on success,
 * `{ code, message }` when it cannot.
 */
function lockStack({ engine, env, stack, stackDir, options, mirror }) {
  // Start from nothing: the restored lock file would otherwise be merged into.
  rmSync(join(stackDir, ".terraform.lock.hcl"), { force: true });
  const providers = requiredProviders(stackDir);
  const label = providers.map((p) => `${p.source} ${p.version ?? "(any)"}`).join(", ");
  let registryProblem = "not asked (--offline)";
  if (!options.offline) {
    const result = run(engine, registryLockArgs(options.platforms), { cwd: stackDir, env });
    if (result.error) return { code: EXIT.error, message: `✗ ${stack}: could not run ${engine}: ${result.error.message}` };
    if (result.status === 0) {
      return { label, content: readFileSync(join(stackDir, ".terraform.lock.hcl"), "utf8"), how: `from the registry for ${options.platforms.join(", ")}` };
    }
    registryProblem = errorSummary(result);
  }
  const holdings = Object.fromEntries(providers.map((p) => [p.source, mirrorHoldings(mirror, p.source)]));
  const missing = providers.filter((p) => !(holdings[p.source] ?? []).some((h) => h.version === p.version));
  if (missing.length > 0) {
    return { code: EXIT.providerUnavailable, message: unavailableMessage({ stack, missing, registryProblem, mirror, holdings, platforms: options.platforms }) };
  }
  const platforms = [...new Set(providers.flatMap((p) => holdings[p.source].find((h) => h.version === p.version).platforms))].sort();
  const result = run(engine, mirrorLockArgs(mirror, platforms), { cwd: stackDir, env });
  if (result.status !== 0) return { code: EXIT.error, message: `✗ ${stack}: locking from the local mirror ${mirror} failed: ${errorSummary(result)}` };
  return {
    label,
    content: readFileSync(join(stackDir, ".terraform.lock.hcl"), "utf8"),
    how:
      `OFFLINE, from the local provider mirror ${mirror}, for ${platforms.join(", ")} only ` +
      `(registry: ${registryProblem}); re-run with registry access to record ${options.platforms.join(", ")}`,
  };
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    console.log(usage());
    return;
  }
  const engine = findEngine();
  const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0", TF_CLI_ARGS: "-no-color" };
  const mirror = join(toolchainHome(), "plugins");

  const outdir = mkdtempSync(join(tmpdir(), "sample-app-lock-"));
  try {
    const synth = run(process.execPath, [join(ROOT, "scripts", "synth.cjs")], {
      cwd: ROOT,
      // Without the committed lock files: they are what this replaces, and a broken one would stop the synth.
      env: { ...process.env, CDKTF_OUTDIR: outdir, SAMPLE_APP_SKIP_LOCK_FILES: "1", ...(options.envs.length ? { SAMPLE_APP_ENVIRONMENTS: options.envs.join(",") } : {}) },
    });
    // A wrong --env is the user's argument, not the variable it is passed in.
    const wrongEnv = options.envs.length ? /SAMPLE_APP_ENVIRONMENTS: (.*)/.exec(synth.stderr) : null;
    if (synth.status !== 0 && wrongEnv) throw new LockError(`--env ${options.envs.join(",")}: ${wrongEnv[1]}; nothing was written`, EXIT.usage);
    if (synth.status !== 0) throw new LockError(`synthesis failed; nothing was written:\n${synth.stderr}`);

    const stacks = readdirSync(join(outdir, "stacks")).sort();
    const locked = [];
    const failed = [];
    for (const stack of stacks) {
      const outcome = lockStack({ engine, env, stack, stackDir: join(outdir, "stacks", stack), options, mirror });
      if (outcome.content !== undefined) locked.push({ stack, ...outcome });
      else {
        failed.push({ stack, ...outcome });
        console.error(outcome.message);
      }
    }
    if (failed.length > 0) {
      const lockable = locked.map((l) => l.stack.replace(STACK_PREFIX, ""));
      throw new LockError(
        `${failed.length} of ${stacks.length} stacks not locked (${failed.map((f) => f.stack).join(", ")}); ` +
          `nothing was written, ${shown(options.dir)}/ is as it was.` +
          (lockable.length ? ` To write only the stacks that can be locked here: npm run lock -- ${lockable.map((e) => `--env ${e}`).join(" ")}` : ""),
        failed.some((f) => f.code === EXIT.error) ? EXIT.error : EXIT.providerUnavailable,
      );
    }
    mkdirSync(options.dir, { recursive: true });
    for (const { stack, label, content, how } of locked) {
      const target = join(options.dir, `${stack}.terraform.lock.hcl`);
      writeAtomically(target, content);
      console.log(`✓ ${stack}: ${label} locked ${how} -> ${shown(target)}`);
    }
    console.log("Commit provider-locks/; every synth restores them into cdktf.out/stacks/<stack>/.");
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    if (!(error instanceof LockError)) throw error;
    process.stderr.write(`lock: ${error.message}\n`);
    process.exit(error.code);
  }
}
