// Which CDK for Terraform library the project builds, tests and synthesizes with: cdktf (the
// default, archived upstream) or cdktn (its maintained fork), chosen with SAMPLE_APP_CDK.
//
// Sources import "cdktf" and "@cdktf/provider-aws" only; under cdktn those names are aliased at
// build time to "cdktn" and "@cdktn/provider-aws" (esbuild `alias` in scripts/build.mjs and
// scripts/ops.mjs, Jest `moduleNameMapper` in jest.config.js and jest.e2e.config.js, tsconfig
// `paths` in tsconfig.cdktn.json for the type check). What differs between the two at run time
// is in stacks/synth/cdk-library.ts.
"use strict";

const VARIABLE = "SAMPLE_APP_CDK";
const DEFAULT = "cdktf";

/**
 * Per library: its packages (what the sources' names stand for), its CLI, and the oldest
 * Node.js it runs on (the packages' `engines`; cdktf's own says >= 20 for this project).
 */
const LIBRARIES = {
  cdktf: {
    core: "cdktf",
    provider: "@cdktf/provider-aws",
    cli: "cdktf",
    cliPackage: "cdktf-cli",
    minNode: "20.0.0",
    minCliNode: "20.0.0",
  },
  cdktn: {
    core: "cdktn",
    provider: "@cdktn/provider-aws",
    cli: "cdktn",
    cliPackage: "cdktn-cli",
    // @cdktn/provider-aws 25.x: engines >= 22.11.0; cdktn-cli 0.24: >= 22.19.0 (it fails on Node 20).
    minNode: "22.11.0",
    minCliNode: "22.19.0",
  },
};

/** True when dotted version a >= b. */
function versionAtLeast(a, b) {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) > (pb[i] ?? 0);
  }
  return true;
}

/** The library SAMPLE_APP_CDK names (default cdktf); throws, naming the allowed values, on anything else. */
function libraryName(env = process.env) {
  const value = env[VARIABLE];
  if (value === undefined || value === "") return DEFAULT;
  if (!Object.hasOwn(LIBRARIES, value)) {
    throw new Error(
      `${VARIABLE}=${JSON.stringify(value)} is not a library this project builds with: use ${Object.keys(LIBRARIES).join(" or ")} (unset means ${DEFAULT})`,
    );
  }
  return value;
}

/**
 * Undefined when this Node.js runs the library (its CLI too with `cli`), else a message naming
 * what to install.
 */
function nodeProblem(name, nodeVersion = process.versions.node, { cli = false } = {}) {
  const library = LIBRARIES[name];
  const needed = cli ? library.minCliNode : library.minNode;
  if (versionAtLeast(nodeVersion, needed)) return undefined;
  const what = cli ? `${library.cliPackage} (${library.cli} diff/deploy)` : name;
  return (
    `${VARIABLE}=${name}: ${what} needs Node.js >= ${needed}, and this is Node.js ${nodeVersion}. ` +
    `Install Node.js 22 LTS: bash scripts/node.sh installs the pinned one (toolchain.json), then export PATH="$(bash scripts/node.sh):$PATH"`
  );
}

/**
 * The selected library, checked against this Node.js: exits with status 2 and one line on
 * stderr (an unknown SAMPLE_APP_CDK, a Node.js too old for it) before anything runs.
 */
function selectedLibraryOrExit(options = {}) {
  let name;
  try {
    name = libraryName(options.env);
  } catch (error) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(2);
  }
  const problem = nodeProblem(name, options.nodeVersion, options);
  if (problem !== undefined) {
    process.stderr.write(`error: ${problem}\n`);
    process.exit(2);
  }
  return name;
}

/** esbuild `alias`: the sources' package names to the selected library's (subpaths follow). */
function esbuildAlias(name) {
  const library = LIBRARIES[name];
  if (name === DEFAULT) return {};
  return { cdktf: library.core, "@cdktf/provider-aws": library.provider };
}

/** Jest `moduleNameMapper` entries for the selected library (none for cdktf). */
function jestModuleNameMapper(name) {
  const library = LIBRARIES[name];
  if (name === DEFAULT) return {};
  return {
    "^cdktf$": library.core,
    "^cdktf/(.*)$": `${library.core}/$1`,
    "^@cdktf/provider-aws$": library.provider,
    "^@cdktf/provider-aws/(.*)$": `${library.provider}/$1`,
  };
}

/**
 * `Testing.synth`'s text as cdktf writes it, from either library's: both sort the keys and indent
 * by 2, but cdktf (json-stable-stringify) opens an empty object or array on one line and closes
 * it on the next, where cdktn (safe-stable-stringify) writes `{}` and `[]`. Text from cdktf is
 * returned as it is; the snapshots (__tests__/stacks/sample-app-stack.test.ts) are in cdktf's form.
 */
function cdktfTestingText(text, name = libraryName()) {
  if (name === DEFAULT) return text;
  return text.replace(/^( *)(.*)(\{\}|\[\])(,?)$/gm, (_line, indent, before, empty, comma) => `${indent}${before}${empty[0]}\n${indent}${empty[1]}${comma}`);
}

module.exports = { VARIABLE, DEFAULT, LIBRARIES, libraryName, nodeProblem, selectedLibraryOrExit, esbuildAlias, jestModuleNameMapper, versionAtLeast, cdktfTestingText };
