/**
 * `npm run lock`: (re)writes the committed provider lock files
 * provider-locks/<stack>.terraform.lock.hcl, which every synth restores into
 * cdktf.out/stacks/<stack>/ (stacks/synth/provider-locks.ts).
 *
 * With registry access it records checksums for the platforms a team uses (default
 * linux_amd64, linux_arm64, darwin_arm64) with `<engine> providers lock -platform=...`.
 * Without it, it falls back to the local provider mirror built by `npm run toolchain` and
 * records what that mirror holds, saying so. All or nothing: when any requested stack's
 * provider is in neither, no lock file is written at all, and the error says what the stack
 * pins, what the mirror holds and what to run where the registry is reachable.
 */
import { SpawnSyncReturns, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../modules/core/project-root";
import { OutputPathError, checkOutputDirectory } from "../../modules/core/output-path.cjs";
import { UsageError, parseCommandLine } from "../shared/args";
import { EXIT, ExitCode, exitCodeLines } from "../shared/exit-codes";
import { toolchainHome } from "../shared/toolchain-home";

export const DEFAULT_PLATFORMS = ["linux_amd64", "linux_arm64", "darwin_arm64"];
const PLATFORM = /^[a-z0-9]+_[a-z0-9]+$/;
// The operating systems and architectures providers are released for (<os>_<arch>).
const PLATFORM_OS = ["darwin", "freebsd", "linux", "openbsd", "solaris", "windows"];
const PLATFORM_ARCH = ["386", "amd64", "arm", "arm64"];
const STACK_PREFIX = "sample-app-";

/** Why `platform` is not one providers are released for, or undefined. */
export function platformProblem(platform: string): string | undefined {
  const [system, arch, ...rest] = platform.split("_");
  if (!PLATFORM.test(platform) || rest.length > 0) return `"${platform}" is not a platform like linux_amd64`;
  if (!PLATFORM_OS.includes(system)) return `"${platform}": unknown operating system "${system}" (one of ${PLATFORM_OS.join(", ")})`;
  if (!PLATFORM_ARCH.includes(arch)) {
    const near = PLATFORM_ARCH.filter((known) => arch.startsWith(known)).sort((a, b) => b.length - a.length)[0];
    return `"${platform}": unknown architecture "${arch}" (one of ${PLATFORM_ARCH.join(", ")})${near ? `; did you mean ${system}_${near}?` : ""}`;
  }
  return undefined;
}

export function lockUsage(): string {
  return `usage: npm run lock [-- [--env NAME]... [--platform LIST] [--offline] [--dir DIR]]

Writes provider-locks/<stack>.terraform.lock.hcl for every environment (or the --env ones).
Every synth copies them into cdktf.out/stacks/<stack>/.terraform.lock.hcl.

  --env NAME        only this environment (repeatable; default: all)
  --platform LIST   comma-separated platforms to record from the registry
                    (default: ${DEFAULT_PLATFORMS.join(",")})
  --offline         do not ask the registry; record what the local provider mirror holds
  --dir DIR         write the lock files there instead of provider-locks/ (to compare)
  -h, --help        this help

All or nothing: when one requested stack cannot be locked, no lock file is written.

The engine is TERRAFORM_BINARY_NAME when set (e.g. terraform), else the toolchain's tofu
(${path.join(toolchainHome(), "bin", "tofu")}), else tofu on PATH.

${exitCodeLines([
  [EXIT.done, "every requested stack locked and written"],
  [EXIT.error, "a provider is neither reachable in its registry nor held by the local mirror, or any other failure; nothing was written"],
  [EXIT.usage, "also a wrong --env, --platform or --dir"],
])}`;
}

/** A failure with the exit code it ends in; its message is printed after "lock: ". */
export class LockError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.error,
  ) {
    super(message);
  }
}

export interface LockOptions {
  /** Only these environments. @default every environment */
  readonly envs: string[];
  /** @default DEFAULT_PLATFORMS */
  readonly platforms: string[];
  /** Record what the local mirror holds without asking the registry. @default false */
  readonly offline: boolean;
  /** @default provider-locks/ */
  readonly dir: string;
}

/**
 * --dir: a directory of lock files only (provider-locks/ itself, committed, qualifies), new
 * or empty; never a file, a symbolic link, /, $HOME or the project root (output-path.cjs).
 */
function checkLockDir(raw: string | undefined): string {
  try {
    return checkOutputDirectory("--dir", raw, {
      root: process.cwd(),
      fallback: path.join(PROJECT_ROOT, "provider-locks"),
      example: "provider-locks",
      marker: ".sample-app-locks",
      owner: "npm run lock",
      trackedAllowed: true,
      recognise: (_dir, entries) => entries.every((entry) => entry.endsWith(".terraform.lock.hcl")),
    });
  } catch (error) {
    if (error instanceof OutputPathError) {
      throw new UsageError(error.message.replace("was not written by npm run lock (no .sample-app-locks in it)", "holds other files than lock files"));
    }
    throw error;
  }
}

export function parseLockArguments(argv: readonly string[]): LockOptions | "help" {
  const parsed = parseCommandLine(argv, {
    options: { env: { type: "string", multiple: true }, platform: { type: "string" }, offline: { type: "boolean" }, dir: { type: "string" } },
  } as const);
  if (parsed === "help") return "help";
  const { values } = parsed;
  let platforms = DEFAULT_PLATFORMS;
  if (values.platform !== undefined) {
    platforms = values.platform.split(",").map((p) => p.trim()).filter(Boolean);
    if (platforms.length === 0) throw new UsageError(`--platform: no platform given; a comma-separated list like ${DEFAULT_PLATFORMS.join(",")}`);
    const problems = platforms.map(platformProblem).filter(Boolean);
    if (problems.length) throw new UsageError(`--platform: ${problems.join("; ")}`);
  }
  return { envs: values.env ?? [], platforms, offline: values.offline === true, dir: checkLockDir(values.dir) };
}

/** Arguments of the engine command that locks from the provider's origin registry. */
export function registryLockArgs(platforms: readonly string[]): string[] {
  return ["providers", "lock", ...platforms.map((p) => `-platform=${p}`)];
}

/** Arguments of the engine command that locks from a local filesystem mirror. */
export function mirrorLockArgs(mirror: string, platforms: readonly string[]): string[] {
  return ["providers", "lock", `-fs-mirror=${mirror}`, ...platforms.map((p) => `-platform=${p}`)];
}

export interface Holding {
  readonly version: string;
  readonly platforms: string[];
}

/**
 * What an unpacked filesystem mirror (<host>/<namespace>/<type>/<version>/<os_arch>/) holds for
 * a provider source, versions sorted.
 */
export function mirrorHoldings(mirror: string, source: string): Holding[] {
  const dir = path.join(mirror, ...source.split("/"));
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .sort()
    .map((version) => ({ version, platforms: fs.readdirSync(path.join(dir, version)).filter((entry) => PLATFORM.test(entry)).sort() }))
    .filter((held) => held.platforms.length > 0);
}

/** The engine's error as one line per paragraph, box drawing and line wrapping removed. */
export function errorSummary(result: Pick<SpawnSyncReturns<string>, "stdout" | "stderr" | "status" | "signal">): string {
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

export interface RequiredProvider {
  readonly source: string;
  readonly version?: string;
}

/** What to tell the user when a stack's provider is neither reachable nor mirrored. */
export function unavailableMessage(input: {
  stack: string;
  missing: RequiredProvider[];
  registryProblem: string;
  mirror: string;
  holdings: Record<string, Holding[]>;
  platforms: string[];
}): string {
  const { stack, missing, registryProblem, mirror, holdings, platforms } = input;
  const env = stack.startsWith(STACK_PREFIX) ? stack.slice(STACK_PREFIX.length) : stack;
  const pinned = missing.map((p) => `${p.source} ${p.version ?? "(no version)"}`).join(", ");
  const held = missing
    .map((p) => {
      const versions = holdings[p.source] ?? [];
      return versions.length ? `${p.source} ${versions.map((h) => `${h.version} (${h.platforms.join(", ")})`).join(", ")}` : `no version of ${p.source}`;
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

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

function findEngine(): string {
  const named = process.env.TERRAFORM_BINARY_NAME;
  if (named) {
    const found = named.includes("/") ? (fs.existsSync(named) ? named : undefined) : findOnPath(named);
    if (!found) throw new LockError(`missing toolchain: TERRAFORM_BINARY_NAME=${named}: not found${named.includes("/") ? "" : " on PATH"}; nothing was written`);
    return found;
  }
  const ours = path.join(toolchainHome(), "bin", "tofu");
  if (fs.existsSync(ours)) return ours;
  const onPath = findOnPath("tofu");
  if (onPath) return onPath;
  throw new LockError("missing toolchain: no OpenTofu found: run npm run toolchain, put tofu on PATH, or set TERRAFORM_BINARY_NAME; nothing was written");
}

function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { encoding: "utf8", maxBuffer: 16 * 1024 * 1024, ...options });
}

/** The provider every synthesized stack requires. */
function requiredProviders(stackDir: string): RequiredProvider[] {
  const json = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")) as { terraform?: { required_providers?: Record<string, RequiredProvider> } };
  return Object.values(json.terraform?.required_providers ?? {}).map((p) => ({ source: p.source, version: p.version }));
}

/** A path relative to the project when it is inside it. */
function shown(file: string): string {
  const rel = path.relative(PROJECT_ROOT, file);
  return rel === "" ? "." : rel.startsWith("..") ? file : rel;
}

/** Writes a file whole or not at all: a temporary file beside it, then a rename. */
function writeAtomically(target: string, content: string): void {
  const temporary = `${target}.tmp-${process.pid}`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, target);
}

type StackOutcome = { label: string; content: string; how: string } | { code: ExitCode; message: string };

/** Locks one synthesized stack in its directory. */
function lockStack(input: { engine: string; env: NodeJS.ProcessEnv; stack: string; stackDir: string; options: LockOptions; mirror: string }): StackOutcome {
  const { engine, env, stack, stackDir, options, mirror } = input;
  // Start from nothing: the restored lock file would otherwise be merged into.
  fs.rmSync(path.join(stackDir, ".terraform.lock.hcl"), { force: true });
  const providers = requiredProviders(stackDir);
  const label = providers.map((p) => `${p.source} ${p.version ?? "(any)"}`).join(", ");
  let registryProblem = "not asked (--offline)";
  if (!options.offline) {
    const result = run(engine, registryLockArgs(options.platforms), { cwd: stackDir, env });
    if (result.error) return { code: EXIT.error, message: `✗ ${stack}: could not run ${engine}: ${result.error.message}` };
    if (result.status === 0) {
      return { label, content: fs.readFileSync(path.join(stackDir, ".terraform.lock.hcl"), "utf8"), how: `from the registry for ${options.platforms.join(", ")}` };
    }
    registryProblem = errorSummary(result);
  }
  const holdings = Object.fromEntries(providers.map((p) => [p.source, mirrorHoldings(mirror, p.source)]));
  const missing = providers.filter((p) => !(holdings[p.source] ?? []).some((h) => h.version === p.version));
  if (missing.length > 0) {
    return { code: EXIT.error, message: unavailableMessage({ stack, missing, registryProblem, mirror, holdings, platforms: options.platforms }) };
  }
  const platforms = [...new Set(providers.flatMap((p) => holdings[p.source].find((h) => h.version === p.version)!.platforms))].sort();
  const result = run(engine, mirrorLockArgs(mirror, platforms), { cwd: stackDir, env });
  if (result.status !== 0) return { code: EXIT.error, message: `✗ ${stack}: locking from the local mirror ${mirror} failed: ${errorSummary(result)}` };
  return {
    label,
    content: fs.readFileSync(path.join(stackDir, ".terraform.lock.hcl"), "utf8"),
    how:
      `OFFLINE, from the local provider mirror ${mirror}, for ${platforms.join(", ")} only ` +
      `(registry: ${registryProblem}); re-run with registry access to record ${options.platforms.join(", ")}`,
  };
}

/** Synthesizes the requested stacks into a temporary directory, locks each, and writes all or none. */
export function lock(options: LockOptions, print: (line: string) => void = console.log, printError: (line: string) => void = console.error): void {
  const engine = findEngine();
  const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0", TF_CLI_ARGS: "-no-color" };
  const mirror = path.join(toolchainHome(), "plugins");

  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-lock-"));
  try {
    const synth = run(process.execPath, [path.join(PROJECT_ROOT, "scripts", "synth.cjs")], {
      cwd: PROJECT_ROOT,
      // Without the committed lock files: they are what this replaces, and a broken one would stop the synth.
      env: { ...process.env, CDKTF_OUTDIR: outdir, SAMPLE_APP_SKIP_LOCK_FILES: "1", ...(options.envs.length ? { SAMPLE_APP_ENVIRONMENTS: options.envs.join(",") } : {}) },
    });
    // A wrong --env is the user's argument, not the variable it is passed in.
    const wrongEnv = options.envs.length ? /SAMPLE_APP_ENVIRONMENTS: (.*)/.exec(synth.stderr) : null;
    if (synth.status !== 0 && wrongEnv) throw new LockError(`--env ${options.envs.join(",")}: ${wrongEnv[1]}; nothing was written`, EXIT.usage);
    if (synth.status !== 0) throw new LockError(`synthesis failed; nothing was written:\n${synth.stderr}`);

    const stacks = fs.readdirSync(path.join(outdir, "stacks")).sort();
    const locked: { stack: string; label: string; content: string; how: string }[] = [];
    const failed: { stack: string; code: ExitCode }[] = [];
    for (const stack of stacks) {
      const outcome = lockStack({ engine, env, stack, stackDir: path.join(outdir, "stacks", stack), options, mirror });
      if ("content" in outcome) locked.push({ stack, ...outcome });
      else {
        failed.push({ stack, code: outcome.code });
        printError(outcome.message);
      }
    }
    if (failed.length > 0) {
      const lockable = locked.map((l) => l.stack.replace(STACK_PREFIX, ""));
      throw new LockError(
        `${failed.length} of ${stacks.length} stacks not locked (${failed.map((f) => f.stack).join(", ")}); ` +
          `nothing was written, ${shown(options.dir)}/ is as it was.` +
          (lockable.length ? ` To write only the stacks that can be locked here: npm run lock -- ${lockable.map((e) => `--env ${e}`).join(" ")}` : ""),
      );
    }
    fs.mkdirSync(options.dir, { recursive: true });
    for (const { stack, label, content, how } of locked) {
      const target = path.join(options.dir, `${stack}.terraform.lock.hcl`);
      writeAtomically(target, content);
      print(`✓ ${stack}: ${label} locked ${how} -> ${shown(target)}`);
    }
    print("Commit provider-locks/; every synth restores them into cdktf.out/stacks/<stack>/.");
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
