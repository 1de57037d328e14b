import * as fs from "fs";
import * as path from "path";
import { checkOutputDirectory, describeFsError } from "../../modules/core/output-path.cjs";

/**
 * The marker synth keeps in its output directory: which stacks in it are synth's own.
 * Only those are ever replaced or deleted; a directory without it (and without the
 * manifest of an earlier version of this project) is not synth's, and is refused.
 */
export const SYNTH_MARKER = ".sample-app-synth.json";

/** What cdktf writes into a stack directory; anything else there was put by someone else (tofu init). */
const SYNTHESIZED_STACK_ENTRIES = new Set(["cdk.tf.json", "metadata.json", "assets"]);
/** What cdktf writes at the top of its output directory. */
const SYNTHESIZED_TOP_ENTRIES = new Set(["manifest.json", "stacks", SYNTH_MARKER]);

export interface PublishOptions {
  /**
   * Stack ids whose environment is still configured. A stack directory in the previous
   * output that is neither synthesized now nor listed here belongs to a removed
   * environment and is not carried into the new output.
   */
  readonly liveStacks: readonly string[];
  /**
   * Test hook: called before each step that changes the filesystem, with a short
   * description of it. Throwing from it simulates a failure at that point.
   */
  readonly beforeStep?: (step: string) => void;
}

/** A publish refused or failed; nothing was changed. The message is one line with the path and the cause. */
export class PublishError extends Error {}

export interface PublishResult {
  /** Stack directories dropped because their environment is no longer configured. */
  readonly removedStacks: string[];
  /** Set when the new tree is published but the old one could not be deleted in full (the message says where). */
  readonly leftover?: string;
}

interface Manifest {
  stacks?: Record<string, unknown>;
  [key: string]: unknown;
}

function readManifest(file: string): Manifest | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
    return manifest !== null && typeof manifest === "object" && !Array.isArray(manifest) ? (manifest as Manifest) : undefined;
  } catch {
    return undefined;
  }
}

/** Why a manifest cannot be used, or undefined when it can. */
function manifestProblem(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    return describeFsError(error);
  }
  try {
    const manifest = JSON.parse(text) as unknown;
    if (manifest === null || typeof manifest !== "object" || Array.isArray(manifest)) return "not a JSON object";
    const stacks = (manifest as Manifest).stacks;
    if (stacks === null || typeof stacks !== "object" || Array.isArray(stacks)) return 'no "stacks" object in it';
    return undefined;
  } catch (error) {
    return error instanceof SyntaxError ? "not valid JSON" : describeFsError(error);
  }
}

/**
 * The stacks of a cdktf.out written by an earlier version of this project (before the
 * marker): its manifest.json is cdktf's, `{ version, stacks: { <id>: { workingDirectory:
 * "stacks/<id>", ... } } }`, and its other entries are stacks/ and what users put beside
 * (review/). Undefined when the directory is not recognised.
 */
export function earlierSynthStacks(dir: string): string[] | undefined {
  const manifest = readManifest(path.join(dir, "manifest.json"));
  if (manifest === undefined || typeof manifest.version !== "string") return undefined;
  const stacks = manifest.stacks;
  if (stacks === null || typeof stacks !== "object" || Array.isArray(stacks)) return undefined;
  const ids = Object.keys(stacks);
  const shaped = ids.every((id) => {
    const entry = stacks[id] as { workingDirectory?: unknown } | null;
    return entry !== null && typeof entry === "object" && entry.workingDirectory === `stacks/${id}`;
  });
  return shaped ? ids : undefined;
}

/** The stacks an earlier synth wrote in `dir` (marker, or an earlier version's manifest); undefined when none did. */
function ownedStacks(dir: string): string[] | undefined {
  const markerFile = path.join(dir, SYNTH_MARKER);
  if (fs.existsSync(markerFile)) {
    try {
      const marker = JSON.parse(fs.readFileSync(markerFile, "utf8")) as { stacks?: unknown };
      if (Array.isArray(marker.stacks) && marker.stacks.every((stack) => typeof stack === "string")) return marker.stacks as string[];
    } catch {
      // fall through: an unreadable marker
    }
    throw new PublishError(`${markerFile}: unreadable or without a "stacks" list; it says which stacks synth may replace, so nothing was touched (delete the directory to start afresh)`);
  }
  return earlierSynthStacks(dir);
}

/**
 * Checks CDKTF_OUTDIR (or cdktf.out) as an output directory of synth's own
 * (modules/core/output-path.cjs) and returns its absolute path.
 */
export function checkSynthOutdir(raw: string | undefined, root: string): string {
  return checkOutputDirectory("CDKTF_OUTDIR", raw, {
    root,
    fallback: "cdktf.out",
    example: "cdktf.out",
    marker: SYNTH_MARKER,
    owner: "npm run synth",
    emptyHint: "unset it for cdktf.out/, or set it to a directory of its own",
    recognise: (dir) => earlierSynthStacks(dir) !== undefined,
  });
}

/**
 * Throws unless every path in `paths` can be deleted: the directory holding it, and every
 * directory inside it, writable; no file in it immutable or on a read-only file system.
 * Checked before anything changes, so the old tree can always be deleted once replaced.
 */
function assertRemovable(paths: string[]): void {
  const check = (target: string, file: string, mode: number, ignore: string[] = []) => {
    try {
      fs.accessSync(file, mode);
    } catch (error) {
      if (ignore.includes((error as NodeJS.ErrnoException).code ?? "")) return;
      throw new PublishError(`cannot replace ${target}: ${file} is not writable: ${describeFsError(error)}; nothing was changed`);
    }
  };
  const walk = (target: string, file: string) => {
    const stat = fs.lstatSync(file);
    if (stat.isDirectory()) {
      check(target, file, fs.constants.W_OK | fs.constants.X_OK);
      for (const entry of fs.readdirSync(file)) walk(target, path.join(file, entry));
    } else if (stat.isFile()) {
      // Mode bits do not stop an unlink; an immutable file (EPERM) or a read-only file system does.
      check(target, file, fs.constants.W_OK, ["EACCES"]);
    }
  };
  for (const target of paths) {
    if (!fs.existsSync(target) && !isSymlink(target)) continue;
    check(target, path.dirname(target), fs.constants.W_OK | fs.constants.X_OK);
    walk(target, target);
  }
}

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Repairs what a publish killed mid-way (power loss, SIGKILL) left behind: the previous
 * tree is put back if the output directory is missing, and work directories of dead
 * processes are removed.
 */
function recover(outdir: string): void {
  const parent = path.dirname(outdir);
  const base = path.basename(outdir);
  for (const entry of listDir(parent)) {
    const match = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(staging|next|previous)-(\\d+)$`).exec(entry);
    if (!match || isAlive(Number(match[2]))) {
      continue;
    }
    const dir = path.join(parent, entry);
    if (match[1] === "previous" && !fs.existsSync(outdir)) {
      fs.renameSync(dir, outdir);
    } else {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * Publishes a finished synthesis from `stagingDir` as `outdir`, all or nothing.
 *
 * Only what an earlier synth wrote is replaced or deleted: the stacks listed in the
 * marker (SYNTH_MARKER; for an output of an earlier version of this project, in its
 * manifest), with their synthesized files, and the manifest. Everything else is kept.
 * The new tree is assembled beside the old one (`<outdir>.next-<pid>`): the new
 * synthesized files, plus, moved over from the old tree, what `tofu init` put in each
 * stack directory (.terraform/, the lock file, plan files), the directories of configured
 * stacks that this run did not synthesize (SAMPLE_APP_ENVIRONMENTS), and whatever else
 * was there. Then two renames swap it in. Before any change, every path that will be
 * deleted is checked to be deletable; a failure at any step moves everything back, so
 * the old tree is exactly as it was and nothing is left beside it. Stacks whose
 * environment is gone are left out, and so deleted with the old tree: a `tofu apply`
 * there would deploy a configuration nobody maintains (their state, in .state/ or S3,
 * is not touched).
 */
export function publishSynthOutput(stagingDir: string, outdir: string, options: PublishOptions): PublishResult {
  const step = options.beforeStep ?? (() => undefined);
  recover(outdir);

  const outdirStat = fs.lstatSync(outdir, { throwIfNoEntry: false });
  if (outdirStat !== undefined && !outdirStat.isDirectory()) {
    throw new PublishError(`${outdir}: exists and is not a directory; nothing was changed`);
  }
  const entries = listDir(outdir);
  const ownedOrNone = ownedStacks(outdir);
  const owned = ownedOrNone ?? [];
  if (entries.length > 0 && ownedOrNone === undefined) {
    throw new PublishError(`${outdir}: not written by synth (no ${SYNTH_MARKER}) and not empty; nothing was changed`);
  }
  const oldStacksDir = path.join(outdir, "stacks");
  const oldStacksStat = fs.lstatSync(oldStacksDir, { throwIfNoEntry: false });
  if (oldStacksStat !== undefined && !oldStacksStat.isDirectory()) {
    throw new PublishError(`${oldStacksDir}: exists and is not a directory, where synth writes its stacks; move it away (nothing was changed)`);
  }
  const oldManifestFile = path.join(outdir, "manifest.json");
  const oldManifestStat = fs.lstatSync(oldManifestFile, { throwIfNoEntry: false });
  if (oldManifestStat !== undefined && !oldManifestStat.isFile()) {
    throw new PublishError(`${oldManifestFile}: exists and is not a file, where synth writes its manifest; move it away (nothing was changed)`);
  }

  const nextDir = `${outdir}.next-${process.pid}`;
  const previousDir = `${outdir}.previous-${process.pid}`;
  const synthesized = listDir(path.join(stagingDir, "stacks"));
  const oldManifest = readManifest(oldManifestFile);
  const moves: { from: string; to: string }[] = [];
  const removedStacks: string[] = [];
  const deleted: string[] = [oldManifestFile, path.join(outdir, SYNTH_MARKER)];
  for (const entry of entries) {
    if (!SYNTHESIZED_TOP_ENTRIES.has(entry)) {
      moves.push({ from: path.join(outdir, entry), to: path.join(nextDir, entry) });
    }
  }
  const carriedStacks: string[] = [];
  for (const stack of listDir(oldStacksDir)) {
    const oldStackDir = path.join(oldStacksDir, stack);
    const newStackDir = path.join(nextDir, "stacks", stack);
    const ours = owned.includes(stack);
    if (synthesized.includes(stack)) {
      if (!ours || !fs.lstatSync(oldStackDir).isDirectory()) {
        throw new PublishError(
          `${oldStackDir}: is in the way of the stack ${stack} and was not written by synth (not listed in ${SYNTH_MARKER}); move it away (nothing was changed)`,
        );
      }
      const written = new Set(listDir(path.join(stagingDir, "stacks", stack)));
      for (const entry of listDir(oldStackDir)) {
        if (!SYNTHESIZED_STACK_ENTRIES.has(entry) && !written.has(entry)) {
          moves.push({ from: path.join(oldStackDir, entry), to: path.join(newStackDir, entry) });
        } else {
          deleted.push(path.join(oldStackDir, entry));
        }
      }
    } else if (!ours || options.liveStacks.includes(stack)) {
      // A configured stack not synthesized now, or one that is not synth's: kept as it is.
      moves.push({ from: oldStackDir, to: newStackDir });
      if (ours) carriedStacks.push(stack);
    } else {
      removedStacks.push(stack);
      deleted.push(oldStackDir);
    }
  }
  if (carriedStacks.length > 0) {
    const problem = manifestProblem(oldManifestFile);
    const unlisted = carriedStacks.filter((stack) => oldManifest?.stacks?.[stack] === undefined);
    if (problem !== undefined || unlisted.length > 0) {
      throw new PublishError(
        `${oldManifestFile}: ${problem ?? `does not list ${unlisted.join(", ")}`}; this run does not synthesize ${carriedStacks.join(", ")} and ` +
          "would drop them from the manifest: synthesize every environment once (unset SAMPLE_APP_ENVIRONMENTS) to rebuild it (nothing was changed)",
      );
    }
  }
  assertRemovable(deleted);

  const done: { from: string; to: string }[] = [];
  const undoMoves = (): void => {
    for (const move of done.reverse()) {
      fs.renameSync(move.to, move.from);
    }
  };
  let swapped = false;
  let stagingMoved = false;
  try {
    fs.rmSync(nextDir, { recursive: true, force: true });
    step(`rename ${stagingDir} to ${nextDir}`);
    fs.renameSync(stagingDir, nextDir);
    stagingMoved = true;
    for (const move of moves) {
      step(`move ${move.from} to ${move.to}`);
      fs.mkdirSync(path.dirname(move.to), { recursive: true });
      fs.renameSync(move.from, move.to);
      done.push(move);
    }
    if (carriedStacks.length > 0) {
      // The manifest lists every stack of synth's in the tree, so cdktf diff/deploy still
      // find the ones this run did not synthesize.
      const manifestFile = path.join(nextDir, "manifest.json");
      const manifest = readManifest(manifestFile) ?? {};
      const stacks = { ...(manifest.stacks ?? {}) };
      for (const stack of carriedStacks) {
        stacks[stack] = oldManifest?.stacks?.[stack];
      }
      const sorted = Object.fromEntries(Object.keys(stacks).sort().map((stack) => [stack, stacks[stack]]));
      step(`write ${manifestFile}`);
      fs.writeFileSync(manifestFile, `${JSON.stringify({ ...manifest, stacks: sorted }, null, 2)}\n`);
    }
    const markerFile = path.join(nextDir, SYNTH_MARKER);
    step(`write ${markerFile}`);
    fs.writeFileSync(
      markerFile,
      `${JSON.stringify(
        {
          writtenBy: "npm run synth (sample-app-infra, main.ts)",
          note: "The next synth replaces or deletes only the stacks listed here (and manifest.json); everything else in this directory is kept.",
          stacks: [...synthesized, ...carriedStacks].sort(),
        },
        null,
        2,
      )}\n`,
    );
    const hadOutput = fs.existsSync(outdir);
    if (hadOutput) {
      step(`rename ${outdir} to ${previousDir}`);
      fs.renameSync(outdir, previousDir);
    }
    try {
      step(`rename ${nextDir} to ${outdir}`);
      fs.renameSync(nextDir, outdir);
      swapped = true;
    } finally {
      if (!swapped && hadOutput) {
        fs.renameSync(previousDir, outdir);
      }
    }
  } catch (error) {
    undoMoves();
    if (stagingMoved) fs.rmSync(nextDir, { recursive: true, force: true });
    throw error;
  }
  // Published; what is left of the old tree is the old synthesized files and removed stacks.
  try {
    fs.rmSync(previousDir, { recursive: true, force: true });
  } catch (error) {
    return { removedStacks, leftover: `${previousDir}: the previous output could not be deleted in full (${describeFsError(error)}); delete it by hand` };
  }
  return { removedStacks };
}
