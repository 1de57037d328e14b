import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PublishError, SYNTH_MARKER, publishSynthOutput } from "../../../stacks/synth/publish-synth-output";
import { treeListing } from "../../tree-listing";

/** Every directory and file under `dir` (dot files included), with file contents. */
function snapshot(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) {
        entries[`${child}/`] = "";
        walk(child);
      } else {
        entries[child] = fs.readFileSync(path.join(dir, child), "utf8");
      }
    }
  };
  walk("");
  return entries;
}

function write(root: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
}

const manifest = (...stacks: string[]) =>
  JSON.stringify({ version: "0.21.0", stacks: Object.fromEntries(stacks.map((stack) => [stack, { name: stack, workingDirectory: `stacks/${stack}` }])) });

describe("publishSynthOutput", () => {
  let work: string;
  let outdir: string;
  let staging: string;

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "publish-"));
    outdir = path.join(work, "cdktf.out");
    staging = path.join(work, "cdktf.out.staging-1");
    write(outdir, {
      "manifest.json": manifest("app-a", "app-b", "app-gone"),
      "stacks/app-a/cdk.tf.json": "old a",
      "stacks/app-a/.terraform/providers/marker": "init of a",
      "stacks/app-a/.terraform.lock.hcl": "lock of a",
      "stacks/app-a/tfplan": "plan of a",
      "stacks/app-b/cdk.tf.json": "old b",
      "stacks/app-b/.terraform/marker": "init of b",
      "stacks/app-gone/cdk.tf.json": "old gone",
      "stacks/app-gone/.terraform/marker": "init of gone",
      "README.txt": "someone's note",
    });
  });

  afterEach(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("replaces the synthesized files, keeps what tofu init left, and drops stacks whose environment is gone", () => {
    write(staging, { "manifest.json": manifest("app-a", "app-b"), "stacks/app-a/cdk.tf.json": "new a", "stacks/app-b/cdk.tf.json": "new b" });
    const result = publishSynthOutput(staging, outdir, { liveStacks: ["app-a", "app-b"] });
    expect(result.removedStacks).toEqual(["app-gone"]);
    const tree = snapshot(outdir);
    // The marker lists what the next synth may replace: exactly the stacks synth wrote.
    expect(JSON.parse(tree[SYNTH_MARKER]).stacks).toEqual(["app-a", "app-b"]);
    delete tree[SYNTH_MARKER];
    expect(tree).toEqual({
      "README.txt": "someone's note",
      "manifest.json": manifest("app-a", "app-b"),
      "stacks/": "",
      "stacks/app-a/": "",
      "stacks/app-a/.terraform/": "",
      "stacks/app-a/.terraform/providers/": "",
      "stacks/app-a/.terraform/providers/marker": "init of a",
      "stacks/app-a/.terraform.lock.hcl": "lock of a",
      "stacks/app-a/cdk.tf.json": "new a",
      "stacks/app-a/tfplan": "plan of a",
      "stacks/app-b/": "",
      "stacks/app-b/.terraform/": "",
      "stacks/app-b/.terraform/marker": "init of b",
      "stacks/app-b/cdk.tf.json": "new b",
    });
    expect(fs.readdirSync(work)).toEqual(["cdktf.out"]);
  });

  it("keeps configured stacks this run did not synthesize, and lists them in the manifest", () => {
    write(staging, { "manifest.json": manifest("app-a"), "stacks/app-a/cdk.tf.json": "new a" });
    publishSynthOutput(staging, outdir, { liveStacks: ["app-a", "app-b"] });
    const tree = snapshot(outdir);
    expect(tree["stacks/app-a/cdk.tf.json"]).toBe("new a");
    expect(tree["stacks/app-b/cdk.tf.json"]).toBe("old b");
    expect(tree["stacks/app-b/.terraform/marker"]).toBe("init of b");
    expect(tree["stacks/app-gone/cdk.tf.json"]).toBeUndefined();
    expect(Object.keys(JSON.parse(tree["manifest.json"]).stacks)).toEqual(["app-a", "app-b"]);
  });

  it("publishes into a directory that does not exist yet", () => {
    fs.rmSync(outdir, { recursive: true });
    write(staging, { "manifest.json": manifest("app-a"), "stacks/app-a/cdk.tf.json": "new a" });
    publishSynthOutput(staging, outdir, { liveStacks: ["app-a"] });
    expect(snapshot(outdir)["stacks/app-a/cdk.tf.json"]).toBe("new a");
    expect(fs.readdirSync(work)).toEqual(["cdktf.out"]);
  });

  // Counts the steps of a full publish, then fails at each one in turn: whichever fails,
  // the previous tree must be exactly as it was, with nothing left beside it.
  it("leaves the previous tree exactly as it was when any step fails", () => {
    const stagingFiles = { "manifest.json": manifest("app-a"), "stacks/app-a/cdk.tf.json": "new a", "stacks/app-new/cdk.tf.json": "new" };
    const before = snapshot(outdir);
    const countingOutdir = path.join(work, "count", "cdktf.out");
    fs.cpSync(outdir, countingOutdir, { recursive: true });
    write(staging, stagingFiles);
    const steps: string[] = [];
    publishSynthOutput(staging, countingOutdir, { liveStacks: ["app-a", "app-b", "app-new"], beforeStep: (step) => steps.push(step) });
    // staging, 4 moves (README, .terraform, lock file, tfplan of a; app-b whole), manifest, 2 renames
    expect(steps.length).toBeGreaterThanOrEqual(8);

    for (let failAt = 0; failAt < steps.length; failAt++) {
      write(staging, stagingFiles);
      let count = 0;
      expect(() =>
        publishSynthOutput(staging, outdir, {
          liveStacks: ["app-a", "app-b", "app-new"],
          beforeStep: (step) => {
            if (count++ === failAt) {
              throw new Error(`injected failure before: ${step}`);
            }
          },
        }),
      ).toThrow("injected failure");
      expect({ failAt, tree: snapshot(outdir) }).toEqual({ failAt, tree: before });
      expect(fs.readdirSync(work).filter((entry) => entry.startsWith("cdktf.out."))).toEqual(
        failAt === 0 ? ["cdktf.out.staging-1"] : [],
      );
      fs.rmSync(staging, { recursive: true, force: true });
    }
  });

  it("puts the previous tree back when an earlier publish was killed between the two renames", () => {
    const before = snapshot(outdir);
    // A pid that cannot be running: above the kernel's pid_max.
    fs.renameSync(outdir, `${outdir}.previous-99999999`);
    write(path.join(work, "cdktf.out.next-99999999"), { "manifest.json": "half" });
    write(staging, { "manifest.json": manifest("app-a"), "stacks/app-a/cdk.tf.json": "new a" });
    publishSynthOutput(staging, outdir, { liveStacks: ["app-a", "app-b"] });
    const tree = snapshot(outdir);
    expect(tree["stacks/app-a/.terraform/providers/marker"]).toBe(before["stacks/app-a/.terraform/providers/marker"]);
    expect(tree["stacks/app-b/cdk.tf.json"]).toBe("old b");
    expect(fs.readdirSync(work)).toEqual(["cdktf.out"]);
  });

  /** Every file and directory under `dir` with its size and sha-256, and the entries beside it. */
  function listing(dir: string): { tree: Record<string, string>; beside: string[] } {
    return { tree: treeListing(dir), beside: fs.readdirSync(path.dirname(dir)).sort() };
  }

  it("deletes only the stacks its marker lists: a directory under stacks/ that synth did not write is kept", () => {
    write(outdir, { [SYNTH_MARKER]: JSON.stringify({ stacks: ["app-a", "app-gone"] }), "stacks/keep-me.ts": "export {}", "stacks/app-b/cdk.tf.json": "old b" });
    write(staging, { "manifest.json": manifest("app-a"), "stacks/app-a/cdk.tf.json": "new a" });
    const result = publishSynthOutput(staging, outdir, { liveStacks: ["app-a"] });
    expect(result.removedStacks).toEqual(["app-gone"]);
    const tree = snapshot(outdir);
    expect(tree["stacks/keep-me.ts"]).toBe("export {}");
    expect(tree["stacks/app-b/cdk.tf.json"]).toBe("old b");
    expect(tree["stacks/app-gone/"]).toBeUndefined();
    expect(JSON.parse(tree[SYNTH_MARKER]).stacks).toEqual(["app-a"]);
    expect(Object.keys(JSON.parse(tree["manifest.json"]).stacks)).toEqual(["app-a"]);
  });

  it.each<[string, (outdir: string) => void, (outdir: string) => string]>([
    [
      "a non-empty directory that synth did not write (no marker, no manifest of an earlier version)",
      (dir) => {
        fs.rmSync(path.join(dir, "manifest.json"));
        write(dir, { "stacks/aws-provider.ts": "export {}" });
      },
      (dir) => `${dir}: not written by synth (no ${SYNTH_MARKER}) and not empty; nothing was changed`,
    ],
    [
      "a stack directory in the way that synth did not write (a name collision)",
      (dir) => write(dir, { [SYNTH_MARKER]: JSON.stringify({ stacks: ["app-b"] }) }),
      (dir) => `${dir}/stacks/app-a: is in the way of the stack app-a and was not written by synth (not listed in ${SYNTH_MARKER}); move it away (nothing was changed)`,
    ],
    [
      "a corrupt manifest while stacks are carried over (SAMPLE_APP_ENVIRONMENTS)",
      (dir) => write(dir, { "manifest.json": "{ broken", [SYNTH_MARKER]: JSON.stringify({ stacks: ["app-a", "app-b"] }) }),
      (dir) =>
        `${dir}/manifest.json: not valid JSON; this run does not synthesize app-b and ` +
        "would drop them from the manifest: synthesize every environment once (unset SAMPLE_APP_ENVIRONMENTS) to rebuild it (nothing was changed)",
    ],
    [
      "an unreadable marker",
      (dir) => write(dir, { [SYNTH_MARKER]: "[" }),
      (dir) => `${dir}/${SYNTH_MARKER}: unreadable or without a "stacks" list; it says which stacks synth may replace, so nothing was touched (delete the directory to start afresh)`,
    ],
  ])("refuses %s, with the old tree byte for byte as it was", (_case, prepare, message) => {
    prepare(outdir);
    write(staging, { "manifest.json": manifest("app-a"), "stacks/app-a/cdk.tf.json": "new a" });
    const before = listing(outdir);
    expect(() => publishSynthOutput(staging, outdir, { liveStacks: ["app-a", "app-b"] })).toThrow(new PublishError(message(outdir)));
    expect(listing(outdir)).toEqual(before);
  });

  it("rebuilds a corrupt manifest when every stack is synthesized", () => {
    write(outdir, { "manifest.json": "{ broken", [SYNTH_MARKER]: JSON.stringify({ stacks: ["app-a", "app-b"] }) });
    write(staging, { "manifest.json": manifest("app-a", "app-b"), "stacks/app-a/cdk.tf.json": "new a", "stacks/app-b/cdk.tf.json": "new b" });
    publishSynthOutput(staging, outdir, { liveStacks: ["app-a", "app-b"] });
    expect(JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"))).toEqual(JSON.parse(manifest("app-a", "app-b")));
  });

  // As root, permission bits stop nothing: the immutable attribute (chattr +i) does; as
  // another user, a directory without write permission. Whichever applies is used.
  const lockDown = (dir: string): (() => void) => {
    if (process.getuid?.() === 0) {
      const set = spawnSync("chattr", ["+i", dir]);
      if (set.status !== 0) return () => undefined;
      return () => spawnSync("chattr", ["-i", dir]);
    }
    fs.chmodSync(dir, 0o555);
    return () => fs.chmodSync(dir, 0o755);
  };
  const canLockDown = (() => {
    if (process.getuid?.() !== 0) return true;
    const probe = fs.mkdtempSync(path.join(os.tmpdir(), "chattr-"));
    const ok = spawnSync("chattr", ["+i", probe]).status === 0;
    spawnSync("chattr", ["-i", probe]);
    fs.rmSync(probe, { recursive: true });
    return ok;
  })();

  (canLockDown ? it : it.skip)("fails before changing anything when a file to replace is in a read-only directory, and says which and why", () => {
    write(staging, { "manifest.json": manifest("app-a", "app-b"), "stacks/app-a/cdk.tf.json": "new a", "stacks/app-b/cdk.tf.json": "new b" });
    const before = listing(outdir);
    const stackDir = path.join(outdir, "stacks", "app-b");
    const unlock = lockDown(stackDir);
    let error: unknown;
    try {
      publishSynthOutput(staging, outdir, { liveStacks: ["app-a", "app-b"] });
    } catch (caught) {
      error = caught;
    } finally {
      unlock();
    }
    expect(error).toBeInstanceOf(PublishError);
    const cause = process.getuid?.() === 0 ? "operation not permitted (read-only or immutable) (EPERM)" : "permission denied (EACCES)";
    expect((error as Error).message).toBe(`cannot replace ${stackDir}/cdk.tf.json: ${stackDir} is not writable: ${cause}; nothing was changed`);
    expect(listing(outdir)).toEqual({ ...before, beside: [...before.beside] });
    expect(fs.readdirSync(work).sort()).toEqual(["cdktf.out", "cdktf.out.staging-1"]);
  });

  it("leaves nothing beside the output when the write of the marker fails (a full disk)", () => {
    write(staging, { "manifest.json": manifest("app-a"), "stacks/app-a/cdk.tf.json": "new a" });
    const before = listing(outdir);
    expect(() =>
      publishSynthOutput(staging, outdir, {
        liveStacks: ["app-a", "app-b"],
        beforeStep: (step) => {
          if (step.startsWith("write ") && step.endsWith(SYNTH_MARKER)) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
        },
      }),
    ).toThrow("ENOSPC");
    expect(listing(outdir)).toEqual({ tree: before.tree, beside: ["cdktf.out"] });
  });
});
