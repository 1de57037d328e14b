import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { publishSynthOutput } from "../lib/publish-synth-output";

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
    expect(snapshot(outdir)).toEqual({
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
});
