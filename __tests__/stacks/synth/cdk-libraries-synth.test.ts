/**
 * Deploys must not change because the library did: cdktf and cdktn (SAMPLE_APP_CDK,
 * docs/cdk-libraries.md) synthesize the same files for every stack. Both bundles are built here,
 * the way scripts/build.mjs builds dist/ (into a .jest-bundle-* directory of the project, which
 * the app needs to find its root: dist/ is shared with other tests), and run the way
 * `npm run synth` runs dist/main.js, each writing into this file's temporary directory.
 *
 * The differences allowed, and nothing else:
 *   - each stack's `"//".metadata.version` and manifest.json's `version`: the library's version;
 *   - manifest.json's whitespace (the files are compared parsed).
 * Everything else, the AWS provider's version constraint included, must be identical.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { build } from "esbuild";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS shared with scripts/build.mjs
const { appBundleOptions, writeAppBundle } = require("../../../scripts/lib/app-bundle.cjs");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS shared with the scripts
const { LIBRARIES, nodeProblem } = require("../../../scripts/lib/cdk-library.cjs");
import { DEFAULT_AWS_PROVIDER_VERSION } from "../../../config/schema";

const ROOT = path.join(__dirname, "..", "..", "..");
const NAMES = ["cdktf", "cdktn"] as const;
/** Paths (in stack JSON) whose values may differ between the libraries: the library's version. */
const ALLOWED = ["//.metadata.version"];

const version = (name: string): string => JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", LIBRARIES[name].core, "package.json"), "utf8")).version;

/** Every path under which `a` and `b` differ ("a.b.c"), leaves only. */
function differences(a: unknown, b: unknown, at = ""): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((key) => differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], at ? `${at}.${key}` : key));
  }
  return [at];
}

/** Files under `dir`, relative, sorted. */
function files(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

// cdktn needs Node.js >= 22.11 (scripts/lib/cdk-library.cjs); on an older Node the comparison cannot run.
const cdktnProblem: string | undefined = nodeProblem("cdktn");
(cdktnProblem === undefined ? describe : describe.skip)("cdktf and cdktn synthesize the same stacks", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "cdk-libraries-"));
  const bundles = fs.mkdtempSync(path.join(ROOT, ".jest-bundle-"));
  afterAll(() => fs.rmSync(bundles, { recursive: true, force: true }));
  const outdir = (name: string) => path.join(work, name, "cdktf.out");

  beforeAll(async () => {
    for (const name of NAMES) {
      const bundleDir = path.join(bundles, name);
      fs.mkdirSync(bundleDir, { recursive: true });
      writeAppBundle(await build(appBundleOptions({ root: ROOT, entry: path.join(ROOT, "main.ts"), outdir: bundleDir, library: name })), bundleDir);
      const synth = spawnSync(process.execPath, [path.join(bundleDir, "main.js")], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, CDKTF_OUTDIR: outdir(name) },
        encoding: "utf8",
        // A failing bundle prints its (minified) source line: more than spawnSync's default 1 MiB.
        maxBuffer: 64 * 1024 * 1024,
      });
      expect({ name, status: synth.status, stderr: synth.stderr }).toEqual({ name, status: 0, stderr: "" });
    }
  }, 120_000);

  it("writes the same files", () => {
    expect(files(outdir("cdktn"))).toEqual(files(outdir("cdktf")));
    expect(files(outdir("cdktf")).filter((file) => file.endsWith("cdk.tf.json")).length).toBeGreaterThanOrEqual(5);
  });

  it("differs in each stack's JSON only by the library's version", () => {
    for (const file of files(outdir("cdktf")).filter((name) => name.endsWith(".json") && name !== "manifest.json")) {
      const [cdktf, cdktn] = NAMES.map((name) => JSON.parse(fs.readFileSync(path.join(outdir(name), file), "utf8")));
      expect({ file, differences: differences(cdktf, cdktn).filter((at) => !ALLOWED.includes(at)) }).toEqual({ file, differences: [] });
      if (file.endsWith("cdk.tf.json")) {
        expect([cdktf["//"].metadata.version, cdktn["//"].metadata.version]).toEqual([version("cdktf"), version("cdktn")]);
      }
    }
  });

  it("pins the same AWS provider version under both, the configured one (not the bindings')", () => {
    for (const name of NAMES) {
      const stack = JSON.parse(fs.readFileSync(path.join(outdir(name), "stacks", "sample-app-prod", "cdk.tf.json"), "utf8"));
      expect(stack.terraform.required_providers.aws).toEqual({ source: "registry.opentofu.org/hashicorp/aws", version: DEFAULT_AWS_PROVIDER_VERSION });
    }
  });

  it("has the same manifest but for the library's version and whitespace, and every other file byte for byte", () => {
    const [cdktf, cdktn] = NAMES.map((name) => JSON.parse(fs.readFileSync(path.join(outdir(name), "manifest.json"), "utf8")));
    expect(differences(cdktf, cdktn)).toEqual(["version"]);
    expect([cdktf.version, cdktn.version]).toEqual([version("cdktf"), version("cdktn")]);
    for (const file of files(outdir("cdktf")).filter((name) => !name.endsWith(".json"))) {
      expect({ file, same: fs.readFileSync(path.join(outdir("cdktf"), file)).equals(fs.readFileSync(path.join(outdir("cdktn"), file))) }).toEqual({ file, same: true });
    }
  });
});

if (cdktnProblem !== undefined) {
  it.skip(`cdktf and cdktn synthesize the same stacks: not on this Node.js (${cdktnProblem})`, () => undefined);
}
