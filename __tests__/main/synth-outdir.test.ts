/**
 * The synth's output directory (CDKTF_OUTDIR, default cdktf.out) is synth's own: the
 * real entry point (dist/main.js) refuses every directory it could destroy, with the
 * variable named and nothing touched, and an output it cannot replace in full is left
 * byte for byte as it was, with nothing beside it.
 *
 * The dangerous values (empty, ".", "stacks", "..") are tried in a throwaway copy of the
 * project (dist/, scripts/lib/, cdktf.json, app/, provider-locks/, and stacks/*.ts tracked
 * in git), never in the checkout itself; the listing of the whole copy (sizes and
 * sha-256) must be the same after.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { treeListing } from "../tree-listing";

const ROOT = path.join(__dirname, "..", "..");
const NOT_SYNTHESIZED = "Nothing was synthesized; cdktf.out/ is unchanged.\n";
const NOT_WRITTEN = "Nothing was written; cdktf.out/ is unchanged.\n";

/** Every file, directory and link under `dir` (.git left out) with size and sha-256, or link target. */
const listing = (dir: string) => treeListing(dir, [".git"]);

describe("npm run synth: the output directory", () => {
  let work: string;
  let project: string;
  let home: string;

  const synth = (env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, [path.join(project, "dist", "main.js")], {
      cwd: project,
      env: { PATH: process.env.PATH, HOME: home, ...env },
      encoding: "utf8",
    });

  beforeAll(() => {
    execFileSync(process.execPath, [path.join(ROOT, "scripts", "build.mjs")], { cwd: ROOT });
    work = fs.mkdtempSync(path.join(os.tmpdir(), "synth-outdir-"));
    project = path.join(work, "project");
    home = path.join(work, "home");
    fs.mkdirSync(path.join(home, ".config"), { recursive: true });
    fs.writeFileSync(path.join(home, ".config", "settings"), "mine");
    for (const entry of ["dist", "scripts/lib", "cdktf.json", "toolchain.json", "app", "provider-locks", "stacks"]) {
      fs.cpSync(path.join(ROOT, entry), path.join(project, entry), { recursive: true });
    }
    execFileSync("git", ["init", "-q"], { cwd: project });
    execFileSync("git", ["add", "stacks", "cdktf.json"], { cwd: project });
  }, 60000);

  afterAll(() => {
    spawnSync("chattr", ["-R", "-i", work]);
    fs.rmSync(work, { recursive: true, force: true });
  });

  const firstTracked = () => execFileSync("git", ["ls-files", "stacks"], { cwd: project, encoding: "utf8" }).split("\n")[0].slice("stacks/".length);

  it.each<[string, () => NodeJS.ProcessEnv, () => string]>([
    ["an empty CDKTF_OUTDIR (a CI variable never set)", () => ({ CDKTF_OUTDIR: "" }), () => 'CDKTF_OUTDIR = "": is empty; unset it for cdktf.out/, or set it to a directory of its own'],
    ["a blank CDKTF_OUTDIR", () => ({ CDKTF_OUTDIR: "  " }), () => 'CDKTF_OUTDIR = "  ": is empty; unset it for cdktf.out/, or set it to a directory of its own'],
    ["the project root", () => ({ CDKTF_OUTDIR: "." }), () => `CDKTF_OUTDIR = "." (${project}): is the project root; name a directory of its own, like cdktf.out`],
    ["a directory above the project", () => ({ CDKTF_OUTDIR: ".." }), () => `CDKTF_OUTDIR = ".." (${work}): contains the project (${project}); name a directory of its own, like cdktf.out`],
    [
      "a directory of tracked sources",
      () => ({ CDKTF_OUTDIR: "stacks" }),
      () => `CDKTF_OUTDIR = "stacks" (${project}/stacks): holds files tracked by git (${firstTracked()}); name a directory of its own`,
    ],
    [
      "a path starting with a literal ~ (quoted, or from a CI variable)",
      () => ({ CDKTF_OUTDIR: "~/out" }),
      () => `CDKTF_OUTDIR = "~/out" (${project}/~/out): starts with ~, which is not expanded here (only an unquoted shell word is); write the full path, like ${home}/cdktf.out`,
    ],
    ["git's own directory", () => ({ CDKTF_OUTDIR: ".git/out" }), () => `CDKTF_OUTDIR = ".git/out" (${project}/.git/out): is inside git's own directory (${project}/.git); name a directory of its own`],
    ["the file-system root", () => ({ CDKTF_OUTDIR: "/" }), () => 'CDKTF_OUTDIR = "/": is the file-system root; name a directory of its own'],
    ["the home directory", () => ({ CDKTF_OUTDIR: home }), () => `CDKTF_OUTDIR = ${JSON.stringify(home)}: is the home directory; name a directory of its own`],
    [
      "an existing regular file",
      () => {
        fs.writeFileSync(path.join(work, "notes.txt"), "keep me");
        return { CDKTF_OUTDIR: path.join(work, "notes.txt") };
      },
      () => `CDKTF_OUTDIR = ${JSON.stringify(path.join(work, "notes.txt"))}: is an existing file, not a directory; name a directory of its own`,
    ],
    [
      "a regular file named cdktf.out (CDKTF_OUTDIR unset)",
      () => {
        fs.writeFileSync(path.join(project, "cdktf.out"), "keep me");
        return {};
      },
      () => `${project}/cdktf.out (CDKTF_OUTDIR not set): is an existing file, not a directory; name a directory of its own`,
    ],
    [
      "a cdktf.out that is a symbolic link",
      () => {
        fs.rmSync(path.join(project, "cdktf.out"), { force: true });
        fs.mkdirSync(path.join(work, "elsewhere"), { recursive: true });
        fs.writeFileSync(path.join(work, "elsewhere", "data"), "keep me");
        fs.symlinkSync(path.join(work, "elsewhere"), path.join(project, "cdktf.out"));
        return {};
      },
      () => `${project}/cdktf.out (CDKTF_OUTDIR not set): is a symbolic link to ${work}/elsewhere (links are not followed); name the directory itself`,
    ],
    [
      "a non-empty directory synth did not write",
      () => {
        fs.rmSync(path.join(project, "cdktf.out"), { force: true });
        fs.mkdirSync(path.join(work, "photos"), { recursive: true });
        fs.writeFileSync(path.join(work, "photos", "a.jpg"), "jpeg");
        return { CDKTF_OUTDIR: path.join(work, "photos") };
      },
      () =>
        `CDKTF_OUTDIR = ${JSON.stringify(path.join(work, "photos"))}: is not empty (1 entry: a.jpg) and was not written by npm run synth ` +
        "(no .sample-app-synth.json in it); empty it or name another directory",
    ],
    [
      "a path below a file",
      () => ({ CDKTF_OUTDIR: path.join(work, "notes.txt", "out") }),
      () => `CDKTF_OUTDIR = ${JSON.stringify(path.join(work, "notes.txt", "out"))}: cannot be read: a part of the path is a file, not a directory (ENOTDIR)`,
    ],
  ])("refuses %s with exit 1, the variable named, and nothing touched", (_case, prepare, message) => {
    const env = prepare();
    const before = { project: listing(project), home: listing(home), work: listing(work) };
    const result = synth({ SAMPLE_APP_ENVIRONMENTS: "dev", ...env });
    expect({ status: result.status, stderr: result.stderr, stdout: result.stdout }).toEqual({
      status: 1,
      stderr: `${message()}; nothing was touched\n${NOT_SYNTHESIZED}`,
      stdout: "",
    });
    expect({ project: listing(project), home: listing(home), work: listing(work) }).toEqual(before);
  });

  it("takes over a cdktf.out written by an earlier version (its manifest, no marker), keeping what is not its own", () => {
    const outdir = path.join(work, "earlier", "cdktf.out");
    expect(synth({ CDKTF_OUTDIR: outdir, SAMPLE_APP_ENVIRONMENTS: "dev" }).status).toBe(0);
    fs.rmSync(path.join(outdir, ".sample-app-synth.json"));
    fs.mkdirSync(path.join(outdir, "review"));
    fs.writeFileSync(path.join(outdir, "review", "sample-app-dev.md"), "report");
    const result = synth({ CDKTF_OUTDIR: outdir, SAMPLE_APP_ENVIRONMENTS: "dev" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(fs.readFileSync(path.join(outdir, "review", "sample-app-dev.md"), "utf8")).toBe("report");
    expect(JSON.parse(fs.readFileSync(path.join(outdir, ".sample-app-synth.json"), "utf8")).stacks).toEqual(["sample-app-dev"]);
  });

  it("with a corrupt manifest, refuses a partial synth (it would drop the other stacks) and rebuilds it with a full one", () => {
    const outdir = path.join(work, "corrupt", "cdktf.out");
    expect(synth({ CDKTF_OUTDIR: outdir }).status).toBe(0);
    fs.writeFileSync(path.join(outdir, "manifest.json"), "{ broken");
    const before = listing(path.join(work, "corrupt"));
    const partial = synth({ CDKTF_OUTDIR: outdir, SAMPLE_APP_ENVIRONMENTS: "prod" });
    expect({ status: partial.status, stderr: partial.stderr }).toEqual({
      status: 1,
      stderr:
        `Synthesis failed: ${outdir}/manifest.json: not valid JSON; this run does not synthesize sample-app-bootstrap, sample-app-dev, sample-app-local, sample-app-stage and ` +
        `would drop them from the manifest: synthesize every environment once (unset SAMPLE_APP_ENVIRONMENTS) to rebuild it (nothing was changed)\n${NOT_WRITTEN}`,
    });
    expect(listing(path.join(work, "corrupt"))).toEqual(before);
    const full = synth({ CDKTF_OUTDIR: outdir });
    expect(full.status).toBe(0);
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")).stacks)).toEqual([
      "sample-app-bootstrap",
      "sample-app-dev",
      "sample-app-local",
      "sample-app-prod",
      "sample-app-stage",
    ]);
  });

  // As root, permission bits stop nothing; the immutable attribute does (chattr +i). As
  // another user, a directory without write permission does.
  const asRoot = process.getuid?.() === 0;
  const immutableWorks = asRoot && spawnSync("chattr", ["--help"]).error === undefined;
  (asRoot && !immutableWorks ? it.skip : it)("leaves cdktf.out byte for byte as it was, with nothing beside it, when a stack directory is read-only", () => {
    const parent = path.join(work, "readonly");
    const outdir = path.join(parent, "cdktf.out");
    expect(synth({ CDKTF_OUTDIR: outdir }).status).toBe(0);
    const stackDir = path.join(outdir, "stacks", "sample-app-dev");
    const before = listing(parent);
    if (asRoot) expect(spawnSync("chattr", ["+i", stackDir]).status).toBe(0);
    else fs.chmodSync(stackDir, 0o555);
    let result;
    try {
      result = synth({ CDKTF_OUTDIR: outdir });
    } finally {
      if (asRoot) spawnSync("chattr", ["-i", stackDir]);
      else fs.chmodSync(stackDir, 0o755);
    }
    const cause = asRoot ? "operation not permitted (read-only or immutable) (EPERM)" : "permission denied (EACCES)";
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 1,
      stderr: `Synthesis failed: cannot replace ${stackDir}/cdk.tf.json: ${stackDir} is not writable: ${cause}; nothing was changed\n${NOT_WRITTEN}`,
    });
    expect(listing(parent)).toEqual(before);
    expect(fs.readdirSync(parent)).toEqual(["cdktf.out"]);
  });

  (asRoot && !immutableWorks ? it.skip : it)("leaves cdktf.out as it was, with nothing beside it, when its parent directory is read-only", () => {
    const parent = path.join(work, "readonly-parent");
    const outdir = path.join(parent, "cdktf.out");
    expect(synth({ CDKTF_OUTDIR: outdir, SAMPLE_APP_ENVIRONMENTS: "dev" }).status).toBe(0);
    const before = listing(parent);
    if (asRoot) expect(spawnSync("chattr", ["+i", parent]).status).toBe(0);
    else fs.chmodSync(parent, 0o555);
    let result;
    try {
      result = synth({ CDKTF_OUTDIR: outdir, SAMPLE_APP_ENVIRONMENTS: "dev" });
    } finally {
      if (asRoot) spawnSync("chattr", ["-i", parent]);
      else fs.chmodSync(parent, 0o755);
    }
    const cause = asRoot ? "operation not permitted (read-only or immutable) (EPERM)" : "permission denied (EACCES)";
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 1,
      stderr: `Synthesis failed: ${outdir}.staging-${result.pid}: ${cause}\n${NOT_WRITTEN}`,
    });
    expect(listing(parent)).toEqual(before);
    expect(fs.readdirSync(parent)).toEqual(["cdktf.out"]);
  });

  // The committed lock file goes into the output unchecked no more: a broken one stops the synth before anything is published.
  it.each<[string, (good: string) => string, string]>([
    [
      "merge-conflict markers",
      (good) => `<<<<<<< HEAD\n${good}=======\n${good.replace("6.48.0", "6.47.0")}>>>>>>> upgrade\n`,
      'has merge-conflict markers (line 1: "<<<<<<< HEAD")',
    ],
    ["text that is not a lock file", () => "provider aws {\n  version = 6\n", 'does not parse as a dependency lock file (unexpected "provider aws {\\n  version = 6")'],
    [
      "another provider only",
      () => 'provider "registry.opentofu.org/hashicorp/random" {\n  version = "3.6.0"\n  hashes = [\n    "h1:abc=",\n  ]\n}\n',
      "does not lock registry.opentofu.org/hashicorp/aws, which the stack requires (it locks registry.opentofu.org/hashicorp/random)",
    ],
    [
      "the provider at another version",
      (good) => good.replace(/6\.48\.0-dev\.[0-9a-f]+/g, "6.47.0"),
      "locks registry.opentofu.org/hashicorp/aws 6.47.0, and the stack pins 6.48.0-dev.",
    ],
  ])("refuses a committed lock file with %s, naming it, and changes nothing", (_case, broken, problem) => {
    const lockFile = path.join(project, "provider-locks", "sample-app-local.terraform.lock.hcl");
    const good = fs.readFileSync(lockFile, "utf8");
    const outdir = path.join(work, "locks", "cdktf.out");
    expect(synth({ CDKTF_OUTDIR: outdir, SAMPLE_APP_ENVIRONMENTS: "local" }).status).toBe(0);
    fs.writeFileSync(lockFile, broken(good));
    const before = listing(work);
    let result;
    try {
      result = synth({ CDKTF_OUTDIR: outdir, SAMPLE_APP_ENVIRONMENTS: "local" });
    } finally {
      fs.writeFileSync(lockFile, good);
    }
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Synthesis failed: committed provider lock file not usable:\n  - provider-locks/sample-app-local.terraform.lock.hcl: ${problem}`);
    expect(result.stderr).toContain("; run npm run lock -- --env local and commit it (or delete it to let tofu lock afresh)\n" + NOT_WRITTEN);
    fs.writeFileSync(lockFile, broken(good));
    expect(listing(work)).toEqual(before);
    // npm run lock synthesizes without them (SAMPLE_APP_SKIP_LOCK_FILES=1), so it can replace the broken one.
    const forLock = synth({ CDKTF_OUTDIR: path.join(work, "locks", "for-lock"), SAMPLE_APP_ENVIRONMENTS: "local", SAMPLE_APP_SKIP_LOCK_FILES: "1" });
    fs.writeFileSync(lockFile, good);
    expect(forLock.status).toBe(0);
    expect(fs.existsSync(path.join(work, "locks", "for-lock", "stacks", "sample-app-local", ".terraform.lock.hcl"))).toBe(false);
    fs.rmSync(path.join(work, "locks", "for-lock"), { recursive: true });
  });
});
