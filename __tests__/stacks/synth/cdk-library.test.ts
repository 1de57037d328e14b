/**
 * The switch between cdktf and cdktn (SAMPLE_APP_CDK; scripts/lib/cdk-library.cjs) and the one
 * module that knows how they differ (stacks/synth/cdk-library.ts). The suite runs under each
 * library (CI runs it under both); the tests of the module check it against the library this
 * run is on.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Construct } from "constructs";
import { App, TerraformStack, Testing } from "cdktf";
import { SelfContainedStack } from "../../../stacks/synth/self-contained-stack";
import { CDK_LIBRARY, JEST_MATCHERS_MODULE, prepareWithoutCrossStackResolve, skipPreparingResolve } from "../../../stacks/synth/cdk-library";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS shared with the scripts
const cdkLibrary = require("../../../scripts/lib/cdk-library.cjs");

const ROOT = path.join(__dirname, "..", "..", "..");
const RUNNING: string = process.env.SAMPLE_APP_CDK || "cdktf";

describe("the switch (scripts/lib/cdk-library.cjs)", () => {
  it("is cdktf when SAMPLE_APP_CDK is unset or empty, and the library it names otherwise", () => {
    expect(cdkLibrary.libraryName({})).toBe("cdktf");
    expect(cdkLibrary.libraryName({ SAMPLE_APP_CDK: "" })).toBe("cdktf");
    expect(cdkLibrary.libraryName({ SAMPLE_APP_CDK: "cdktn" })).toBe("cdktn");
  });

  it("rejects any other value, naming the allowed ones", () => {
    expect(() => cdkLibrary.libraryName({ SAMPLE_APP_CDK: "cdk-tn" })).toThrow(
      'SAMPLE_APP_CDK="cdk-tn" is not a library this project builds with: use cdktf or cdktn (unset means cdktf)',
    );
    expect(() => cdkLibrary.libraryName({ SAMPLE_APP_CDK: "CDKTN" })).toThrow(/use cdktf or cdktn/);
  });

  it("names the Node.js to install when this one is too old for the library (or its CLI)", () => {
    expect(cdkLibrary.nodeProblem("cdktf", "20.0.0")).toBeUndefined();
    expect(cdkLibrary.nodeProblem("cdktn", "22.11.0")).toBeUndefined();
    expect(cdkLibrary.nodeProblem("cdktn", "20.20.2")).toMatch(/^SAMPLE_APP_CDK=cdktn: cdktn needs Node\.js >= 22\.11\.0, and this is Node\.js 20\.20\.2\. Install Node\.js 22 LTS: bash scripts\/node\.sh/);
    expect(cdkLibrary.nodeProblem("cdktn", "22.11.0", { cli: true })).toMatch(/cdktn-cli \(cdktn diff\/deploy\) needs Node\.js >= 22\.19\.0, and this is Node\.js 22\.11\.0/);
    expect(cdkLibrary.nodeProblem("cdktn", "22.19.0", { cli: true })).toBeUndefined();
  });

  it("aliases nothing for cdktf, and the core and provider packages (subpaths follow) for cdktn", () => {
    expect(cdkLibrary.esbuildAlias("cdktf")).toEqual({});
    expect(cdkLibrary.jestModuleNameMapper("cdktf")).toEqual({});
    expect(cdkLibrary.esbuildAlias("cdktn")).toEqual({ cdktf: "cdktn", "@cdktf/provider-aws": "@cdktn/provider-aws" });
    expect(cdkLibrary.jestModuleNameMapper("cdktn")).toEqual({
      "^cdktf$": "cdktn",
      "^cdktf/(.*)$": "cdktn/$1",
      "^@cdktf/provider-aws$": "@cdktn/provider-aws",
      "^@cdktf/provider-aws/(.*)$": "@cdktn/provider-aws/$1",
    });
  });

  it("writes Testing.synth's text in cdktf's form (cdktf's unchanged, cdktn's empty objects and arrays opened and closed on two lines)", () => {
    const cdktn = '{\n  "a": {},\n  "b": {\n    "c": [],\n    "d": "x {}"\n  }\n}';
    expect(cdkLibrary.cdktfTestingText(cdktn, "cdktf")).toBe(cdktn);
    expect(cdkLibrary.cdktfTestingText(cdktn, "cdktn")).toBe('{\n  "a": {\n  },\n  "b": {\n    "c": [\n    ],\n    "d": "x {}"\n  }\n}');
    const synthesized = Testing.synthScope((scope) => new TerraformStack(scope, "nested"));
    expect(cdkLibrary.cdktfTestingText(synthesized)).toBe(cdkLibrary.cdktfTestingText(cdkLibrary.cdktfTestingText(synthesized)));
  });

  it.each([
    ["npm run synth", ["scripts/synth.cjs"]],
    ["npm run build", ["scripts/build.mjs"]],
    ["npm run typecheck", ["scripts/typecheck.cjs"]],
    ["npm run review", ["scripts/ops.mjs", "review"]],
  ])("%s stops before anything runs on an unknown value (exit 2, one line naming the allowed values)", (_name, args) => {
    const result = spawnSync(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, SAMPLE_APP_CDK: "terraform" }, encoding: "utf8" });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
      status: 2,
      stdout: "",
      stderr: 'error: SAMPLE_APP_CDK="terraform" is not a library this project builds with: use cdktf or cdktn (unset means cdktf)\n',
    });
  });

  it("stops the same way in Jest's own configuration", () => {
    const result = spawnSync(process.execPath, ["-e", "require('./jest.config.js')"], { cwd: ROOT, env: { PATH: process.env.PATH, SAMPLE_APP_CDK: "cdk" }, encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('SAMPLE_APP_CDK="cdk" is not a library this project builds with: use cdktf or cdktn');
  });
});

describe(`the library differences (stacks/synth/cdk-library.ts), on ${RUNNING}`, () => {
  it("knows which library this run is on, and its version", () => {
    expect(CDK_LIBRARY.name).toBe(RUNNING);
    expect(CDK_LIBRARY.version).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", RUNNING, "package.json"), "utf8")).version);
  });

  it("names the module of the library's Jest matchers, which registers them", () => {
    expect(JEST_MATCHERS_MODULE).toBe(`${RUNNING}/lib/testing/adapters/jest`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module named at run time
    expect(typeof require(JEST_MATCHERS_MODULE).setupJest).toBe("function");
  });

  it("prepares a stack by ensuring its backend only", () => {
    const stack = new TerraformStack(Testing.app(), "prepared");
    prepareWithoutCrossStackResolve(stack);
    expect(JSON.parse(Testing.synth(stack)).terraform.backend).toEqual({ local: { path: expect.stringContaining("terraform.prepared.tfstate") } });
  });

  it("replaces cdktn's preparing resolve on the class given (and nothing on cdktf, which has none)", () => {
    class Quiet extends TerraformStack {}
    const own = Object.getOwnPropertyNames(Quiet.prototype);
    skipPreparingResolve(Quiet.prototype);
    const base = TerraformStack.prototype as unknown as { _runPreparingResolve?: unknown };
    if (RUNNING === "cdktn") {
      expect(typeof base._runPreparingResolve).toBe("function");
      expect(Object.getOwnPropertyNames(Quiet.prototype)).toEqual([...own, "_runPreparingResolve"]);
      // The library's own class is left alone.
      expect(Object.getOwnPropertyNames(TerraformStack.prototype)).toContain("_runPreparingResolve");
      const stack = new Quiet(Testing.app(), "quiet") as unknown as { _runPreparingResolve: () => void; _usedFunctions: Set<string> };
      stack._usedFunctions.add("upper");
      stack._runPreparingResolve();
      expect([...stack._usedFunctions]).toEqual([]);
    } else {
      expect(base._runPreparingResolve).toBeUndefined();
      expect(Object.getOwnPropertyNames(Quiet.prototype)).toEqual(own);
    }
  });

  it("keeps cdktf quiet on Node 22: util.isArray is Array.isArray under cdktf", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const util = require("util");
    if (RUNNING === "cdktf") {
      expect(util.isArray).toBe(Array.isArray);
    }
  });
});

describe(`the hooks SelfContainedStack overrides (stacks/synth/self-contained-stack.ts), on ${RUNNING}`, () => {
  // A library version that stops calling these hooks, or calls them in another order, fails here
  // before it changes what npm run synth writes.
  class Probe extends SelfContainedStack {
    public readonly calls: string[] = [];
    constructor(
      scope: Construct,
      id: string,
      private readonly checked: unknown,
    ) {
      super(scope, id);
      this.node.addValidation({ validate: () => (this.calls.push("validate"), []) });
    }
    protected takeCheckedJson(): unknown {
      this.calls.push("takeCheckedJson");
      return this.checked;
    }
    public override prepareStack(): void {
      this.calls.push("prepareStack");
      super.prepareStack();
    }
  }

  function synth(checked: unknown): { stack: Probe; written: unknown } {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "hooks-"));
    const app = new App({ outdir, stackTraces: false });
    const stack = new Probe(app, "probe", checked);
    app.synth();
    return { stack, written: JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "probe", "cdk.tf.json"), "utf8")) };
  }

  it("App.synth prepares the stack, runs its validations, then takes its JSON from toTerraform, once each", () => {
    expect(synth(undefined).stack.calls).toEqual(["prepareStack", "validate", "takeCheckedJson"]);
  });

  it("writes what toTerraform returns: the JSON the checks resolved, as it is", () => {
    const checked = { terraform: { backend: { local: { path: "checked" } } } };
    expect(synth(checked).written).toEqual(checked);
  });

  it("resolves the stack itself when nothing was checked, with its backend", () => {
    const written = synth(undefined).written as { terraform: { backend: unknown } };
    expect(written.terraform.backend).toEqual({ local: { path: expect.stringContaining("terraform.probe.tfstate") } });
  });
});

