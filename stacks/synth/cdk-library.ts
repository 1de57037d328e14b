/**
 * What differs between the two CDK for Terraform libraries this project builds with (cdktf, the
 * default, and its maintained fork cdktn; SAMPLE_APP_CDK, scripts/lib/cdk-library.cjs). The
 * sources import "cdktf" only: under cdktn that name is aliased to cdktn at build and test time,
 * so everything else is the same code. This module is the one place that knows the difference.
 */
import { TerraformStack } from "cdktf";
// Aliased like "cdktf" itself: under cdktn this is cdktn's package.json.
import * as libraryPackage from "cdktf/package.json";

export type CdkLibraryName = "cdktf" | "cdktn";

/** The library this build runs on, and its version. */
export const CDK_LIBRARY: { readonly name: CdkLibraryName; readonly version: string } = {
  name: libraryPackage.name as CdkLibraryName,
  version: libraryPackage.version,
};

/**
 * cdktf 0.21's TerraformOutput calls util.isArray, which Node.js 22 deprecates at run time
 * (DEP0044): every synth of a stack with outputs would print a DeprecationWarning. util.isArray
 * is Array.isArray; under cdktf it is replaced by Array.isArray itself, without the warning
 * (cdktn calls Array.isArray). Runs when this module is loaded (stacks/aws-provider.ts loads it).
 */
export function quietUtilIsArray(): void {
  // The module object itself (require), not an import binding: imports are read-only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const util = require("util") as { isArray: unknown };
  if (CDK_LIBRARY.name === "cdktf" && util.isArray !== Array.isArray) {
    util.isArray = Array.isArray;
  }
}
quietUtilIsArray();

/**
 * Where the library's Jest matchers (toHaveResourceWithProperties, toBeValidTerraform, ...) live;
 * `Testing.setupJest()` registers the same ones.
 */
export const JEST_MATCHERS_MODULE = `${CDK_LIBRARY.name}/lib/testing/adapters/jest`;

/** The internal hooks of cdktn's TerraformStack this project replaces (not in cdktf's types). */
interface CdktnStackInternals {
  _runPreparingResolve?: () => void;
  _usedFunctions?: Set<string>;
  _usedProviderFunctions?: Set<string>;
}

/**
 * The stack's preparation without the resolve of every element that both libraries run only to
 * find references to other stacks (the stack has none; stacks/synth/stack-references.ts): only
 * the backend is ensured. For TerraformStack.prepareStack.
 */
export function prepareWithoutCrossStackResolve(stack: TerraformStack): void {
  stack.ensureBackendExists();
}

/**
 * cdktn also runs that resolve outside prepareStack: `Testing.synth(stack, true)` calls
 * `_runPreparingResolve()` directly (cdktf does not). Replaced on `prototype` (the stack class) by
 * one that only starts a new pass of cdktn's record of Terraform functions used, so that a
 * reference to another stack fails the synth the same way under both libraries. (cdktn checks
 * those functions against the engine's version; nothing recorded means nothing checked, as under
 * cdktf, which has no such check.) Does nothing under cdktf.
 */
export function skipPreparingResolve(prototype: TerraformStack): void {
  const internals = prototype as unknown as CdktnStackInternals;
  if (typeof internals._runPreparingResolve !== "function") {
    return;
  }
  internals._runPreparingResolve = function (this: CdktnStackInternals): void {
    this._usedFunctions?.clear();
    this._usedProviderFunctions?.clear();
  };
}
