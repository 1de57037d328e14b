/**
 * The synth's two caches must never serve anything stale: the esbuild bundle (rebuilt when
 * one of its inputs changed, scripts/lib/bundle.cjs) and the V8 code cache beside it
 * (scripts/lib/code-cache.cjs, valid only for the exact bundle it was made from). Speed
 * itself is measured by `npm run bench`, not here.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");
const CODE_CACHE = path.join(ROOT, "scripts", "lib", "code-cache.cjs");

describe("V8 code cache (scripts/lib/code-cache.cjs)", () => {
  let dir: string;
  let bundle: string;
  let cache: string;

  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["-e", `require(${JSON.stringify(CODE_CACHE)}).runWithCodeCache(${JSON.stringify(bundle)}, module)`, "--", "app.js", ...args], {
      encoding: "utf8",
    });
  // ("app.js" stands where process.argv has the script's path when a file is run.)
  /** A bundle that prints `text` from a function compiled lazily, as the app's are. */
  const writeBundle = (text: string) => {
    const temporary = `${bundle}.new`;
    fs.writeFileSync(temporary, `"use strict";\nfunction say() { return ${JSON.stringify(text)}; }\nif (process.argv.includes("fail")) process.exitCode = 1;\nconsole.log(say(), typeof require, typeof module.exports);\n`);
    // As scripts/build.mjs does: a new file renamed over the old one.
    fs.renameSync(temporary, bundle);
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-cache-"));
    bundle = path.join(dir, "app.js");
    cache = path.join(dir, "app.cache");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes the cache after a successful run and uses it for the same bundle", () => {
    writeBundle("first");
    expect(run().stdout).toBe("first function object\n");
    const written = fs.readFileSync(cache);
    expect(written.toString("latin1").split("\n")[0]).toContain(process.version);
    const before = fs.statSync(cache).mtimeMs;
    expect(run().stdout).toBe("first function object\n");
    // Accepted, so not written again.
    expect(fs.statSync(cache).mtimeMs).toBe(before);
  });

  it("never runs a cache made for another bundle, even one of the same length", () => {
    writeBundle("first");
    run();
    const stale = fs.readFileSync(cache);
    writeBundle("other");
    expect(run().stdout).toBe("other function object\n");
    expect(fs.readFileSync(cache).equals(stale)).toBe(false);
    // The old cache put back under the new bundle is refused by its header.
    fs.writeFileSync(cache, stale);
    expect(run().stdout).toBe("other function object\n");
  });

  it("runs from source when the cache is damaged or foreign, and replaces it", () => {
    writeBundle("first");
    fs.writeFileSync(cache, "not a cache");
    expect(run().stdout).toBe("first function object\n");
    const header = fs.readFileSync(cache).toString("latin1").split("\n")[0];
    // Same header, garbage after it: V8 rejects the data, the bundle runs from source.
    fs.writeFileSync(cache, Buffer.concat([Buffer.from(`${header}\n`), Buffer.alloc(64, 7)]));
    expect(run().stdout).toBe("first function object\n");
    expect(fs.statSync(cache).size).toBeGreaterThan(100);
  });

  it("writes no cache from a failed run or a --help run", () => {
    writeBundle("first");
    expect(run("fail").status).toBe(1);
    expect(run("--help").status).toBe(0);
    expect(fs.existsSync(cache)).toBe(false);
    expect(fs.readdirSync(dir)).toEqual(["app.js"]);
  });
});

describe("npm run synth on a fresh clone: bundle rebuilt only when a source changed", () => {
  let clone: string;
  let outdir: string;

  const synth = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(clone, "scripts", "synth.cjs"), ...args], {
      cwd: clone,
      encoding: "utf8",
      // The library of this run (SAMPLE_APP_CDK), which staleReason below reads too.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CDKTF_OUTDIR: outdir, SAMPLE_APP_ENVIRONMENTS: "dev", ...(process.env.SAMPLE_APP_CDK ? { SAMPLE_APP_CDK: process.env.SAMPLE_APP_CDK } : {}) },
    });
  const appStat = () => fs.statSync(path.join(clone, "dist", "app.js"));
  const staleReason = (): string | undefined =>
    JSON.parse(
      execFileSync(process.execPath, ["-e", "console.log(JSON.stringify({ reason: require('./scripts/lib/bundle.cjs').staleReason() }))"], {
        cwd: clone,
        encoding: "utf8",
      }),
    ).reason;
  const fingerprint = (file: string) => {
    const stat = fs.statSync(file);
    return `${stat.size}:${stat.mtimeMs}`;
  };

  beforeAll(() => {
    // The committed files only, as CI's fresh clone has them, with this checkout's dependencies.
    clone = fs.mkdtempSync(path.join(os.tmpdir(), "fresh-clone-"));
    outdir = path.join(clone, "cdktf.out");
    const files = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
    for (const file of files) {
      if (fs.existsSync(path.join(ROOT, file))) {
        fs.mkdirSync(path.dirname(path.join(clone, file)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, file), path.join(clone, file));
      }
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(clone, "node_modules"), "dir");
    // Sources older than the build below, as after a checkout (a file modified within a
    // second of a build is not trusted by it).
    const past = new Date(Date.now() - 60_000);
    for (const file of files) {
      if (fs.existsSync(path.join(clone, file))) fs.utimesSync(path.join(clone, file), past, past);
    }
  });
  afterAll(() => fs.rmSync(clone, { recursive: true, force: true }));

  it("builds the bundle and its code cache on the first run, and neither again while nothing changed", () => {
    expect(fs.existsSync(path.join(clone, "dist"))).toBe(false);
    const first = synth();
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(fs.existsSync(path.join(outdir, "stacks", "sample-app-dev", "cdk.tf.json"))).toBe(true);
    const built = appStat();
    const cache = fs.statSync(path.join(clone, "dist", "app.cache"));
    const json = fs.readFileSync(path.join(outdir, "stacks", "sample-app-dev", "cdk.tf.json"), "utf8");

    expect(synth().status).toBe(0);
    expect(appStat().ino).toBe(built.ino);
    expect(fs.statSync(path.join(clone, "dist", "app.cache")).mtimeMs).toBe(cache.mtimeMs);
    // Same output from the cached code.
    expect(fs.readFileSync(path.join(outdir, "stacks", "sample-app-dev", "cdk.tf.json"), "utf8")).toBe(json);
  }, 60000);

  it("rebuilds after a source changed, and runs the new code, not the cached old one", () => {
    const built = appStat();
    const main = path.join(clone, "main.ts");
    // Same length, so only the content tells the old bundle from the new.
    fs.writeFileSync(main, fs.readFileSync(main, "utf8").replace("Synthesizes every environment", "SYNTHESIZES every environment"));
    const edited = new Date(Date.now() - 30_000);
    fs.utimesSync(main, edited, edited);
    const help = synth("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("SYNTHESIZES every environment");
    expect(appStat().ino).not.toBe(built.ino);
    const rebuilt = appStat();
    expect(synth("--help").stdout).toContain("SYNTHESIZES every environment");
    expect(appStat().ino).toBe(rebuilt.ino);
  }, 60000);

  it("does not trust a source modified while the bundle was built, nor a bundle built from other dependencies", () => {
    const main = path.join(clone, "main.ts");
    fs.writeFileSync(main, fs.readFileSync(main, "utf8").replace("SYNTHESIZES every environment", "Synthesizes every environment"));
    expect(synth("--help").stdout).toContain("Synthesizes every environment");
    const record = path.join(clone, "dist", "main.inputs.json");
    // The record keeps the library the bundle was built with (under SAMPLE_APP_CDK=cdktn).
    const { inputs, ...library } = JSON.parse(fs.readFileSync(record, "utf8"));
    expect(inputs["main.ts"]).toBe("modified during the build");
    expect(staleReason()).toBe("main.ts changed");

    // npm install and npm ci rewrite node_modules/.package-lock.json, which stands for every
    // file under node_modules. (The clone's node_modules is a link to this checkout's.)
    const settled = { ...inputs, "main.ts": fingerprint(main) };
    fs.writeFileSync(record, JSON.stringify({ ...library, inputs: settled }));
    expect(staleReason()).toBeUndefined();
    fs.writeFileSync(record, JSON.stringify({ ...library, inputs: { ...settled, [path.join("node_modules", ".package-lock.json")]: "0:0" } }));
    expect(staleReason()).toBe(`${path.join("node_modules", ".package-lock.json")} changed`);
  });
});
