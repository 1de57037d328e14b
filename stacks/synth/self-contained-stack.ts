/**
 * The framework hooks this project overrides, in one place: a stack that refers to no other
 * stack and whose JSON the policy checks have usually resolved already. Both hooks are public
 * methods of the library's TerraformStack that its synthesizer calls (App.synth: prepareStack,
 * then the validations, then toTerraform per stack); __tests__/stacks/synth/cdk-library.test.ts
 * fails when a library version stops calling them that way.
 */
import { TerraformStack } from "cdktf";
import { undeclaredReferences } from "./stack-references";
import { prepareWithoutCrossStackResolve, skipPreparingResolve } from "./cdk-library";

export abstract class SelfContainedStack extends TerraformStack {
  /**
   * The JSON this stack's validation just resolved and checked, taken once; undefined when
   * there is none (no validation ran, or it was taken).
   */
  protected abstract takeCheckedJson(): unknown;

  /**
   * The policy checks resolve the whole stack when it is validated, and the synthesizer then
   * resolves it again, unchanged, to write cdk.tf.json: the JSON the checks passed is written as
   * it is, which saves a fifth of synth time (npm run bench). Otherwise the stack is resolved
   * here and must not refer to another stack's resources (see prepareStack).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the library's own signature
  public override toTerraform(): any {
    const checked = this.takeCheckedJson();
    if (checked !== undefined) {
      return checked;
    }
    const json = super.toTerraform();
    const foreign = undeclaredReferences(json);
    if (foreign.length > 0) {
      throw new Error(
        `${this.node.id} refers to ${foreign.join(", ")}, which ${foreign.length > 1 ? "are" : "is"} not in this stack: an environment's stack ` +
          `does not take values from another stack's resources; pass the value through the environment's configuration instead`,
      );
    }
    return json;
  }

  /**
   * The library's preparation resolves every element once more only to find references to
   * other stacks; this stack has none (toTerraform checks), so only the backend is ensured
   * (stacks/synth/stack-references.ts).
   */
  public override prepareStack(): void {
    prepareWithoutCrossStackResolve(this);
  }
}
// cdktn runs the same resolve from Testing.synth as well (stacks/synth/cdk-library.ts).
skipPreparingResolve(SelfContainedStack.prototype);
