import * as fs from "fs";
import * as path from "path";

/** What cdktf writes into a stack directory; anything else there was put by someone else (tofu init). */
const SYNTHESIZED_STACK_ENTRIES = new Set(["cdk.tf.json", "metadata.json", "assets"]);
/** What cdktf writes at the top of its output directory. */
const SYNTHESIZED_TOP_ENTRIES = new Set(["manifest.json", "stacks"]);

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

export interface PublishResult {
  /** Stack directories dropped because their environment is no longer configured. */
  readonly removedStacks: string[];
}

interface Manifest {
  stacks?: Record<string, unknown>;
  [key: string]: unknown;
}

function readManifest(file: string): Manifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
  } catch {
    return undefined;
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
 * The new tree is assembled beside the old one (`<outdir>.next-<pid>`): the new
 * synthesized files, plus, moved over from the old tree, what `tofu init` put in each
 * stack directory (.terraform/, the lock file, plan files) and the directories of
 * configured stacks that this run did not synthesize (SAMPLE_APP_ENVIRONMENTS). Then
 * two renames swap it in. A failure at any step moves everything back, so the old
 * tree is exactly as it was. Stacks whose environment is gone are left out, and so
 * deleted with the old tree: a `tofu apply` there would deploy a configuration nobody
 * maintains (their state, in .state/ or S3, is not touched).
 */
export function publishSynthOutput(stagingDir: string, outdir: string, options: PublishOptions): PublishResult {
  const step = options.beforeStep ?? (() => undefined);
  recover(outdir);

  const nextDir = `${outdir}.next-${process.pid}`;
  const previousDir = `${outdir}.previous-${process.pid}`;
  fs.rmSync(nextDir, { recursive: true, force: true });
  step(`rename ${stagingDir} to ${nextDir}`);
  fs.renameSync(stagingDir, nextDir);

  const synthesized = listDir(path.join(nextDir, "stacks"));
  const oldManifest = readManifest(path.join(outdir, "manifest.json"));
  const moves: { from: string; to: string }[] = [];
  const removedStacks: string[] = [];
  for (const entry of listDir(outdir)) {
    if (!SYNTHESIZED_TOP_ENTRIES.has(entry)) {
      moves.push({ from: path.join(outdir, entry), to: path.join(nextDir, entry) });
    }
  }
  const carriedStacks: string[] = [];
  for (const stack of listDir(path.join(outdir, "stacks"))) {
    const oldStackDir = path.join(outdir, "stacks", stack);
    const newStackDir = path.join(nextDir, "stacks", stack);
    if (synthesized.includes(stack)) {
      const written = new Set(listDir(newStackDir));
      for (const entry of listDir(oldStackDir)) {
        if (!SYNTHESIZED_STACK_ENTRIES.has(entry) && !written.has(entry)) {
          moves.push({ from: path.join(oldStackDir, entry), to: path.join(newStackDir, entry) });
        }
      }
    } else if (options.liveStacks.includes(stack)) {
      moves.push({ from: oldStackDir, to: newStackDir });
      carriedStacks.push(stack);
    } else {
      removedStacks.push(stack);
    }
  }

  const done: { from: string; to: string }[] = [];
  const undoMoves = (): void => {
    for (const move of done.reverse()) {
      fs.renameSync(move.to, move.from);
    }
  };
  let swapped = false;
  try {
    for (const move of moves) {
      step(`move ${move.from} to ${move.to}`);
      fs.mkdirSync(path.dirname(move.to), { recursive: true });
      fs.renameSync(move.from, move.to);
      done.push(move);
    }
    if (carriedStacks.length > 0) {
      // The manifest lists every stack in the tree, so cdktf diff/deploy still find the
      // ones this run did not synthesize.
      const manifestFile = path.join(nextDir, "manifest.json");
      const manifest = readManifest(manifestFile) ?? {};
      const stacks = { ...(manifest.stacks ?? {}) };
      for (const stack of carriedStacks) {
        if (oldManifest?.stacks?.[stack] !== undefined) {
          stacks[stack] = oldManifest.stacks[stack];
        }
      }
      const sorted = Object.fromEntries(Object.keys(stacks).sort().map((stack) => [stack, stacks[stack]]));
      step(`write ${manifestFile}`);
      fs.writeFileSync(manifestFile, `${JSON.stringify({ ...manifest, stacks: sorted }, null, 2)}\n`);
    }
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
    fs.rmSync(nextDir, { recursive: true, force: true });
    throw error;
  }
  // Published; what is left of the old tree is the old synthesized files and removed stacks.
  fs.rmSync(previousDir, { recursive: true, force: true });
  return { removedStacks };
}
