import { ResourceView, StackView } from "./stack-view";

/** `error` fails the synth; `warning` is printed. */
export type RuleLevel = "error" | "warning";

/** One thing a rule found wrong. */
export interface Violation {
  /**
   * The resource at fault (its construct path is what a suppression names); left out
   * for stack settings, which are named by `setting`.
   */
  readonly resource?: ResourceView;
  /** For a violation of a stack setting rather than a resource: its JSON path, e.g. `terraform.backend`. */
  readonly setting?: string;
  /** What is wrong and how to fix it, one sentence. */
  readonly message: string;
  /**
   * The fix needs a setting that cannot ship in the repository (a certificate ARN, a
   * state bucket): named here, the violation is a warning unless the run is strict.
   */
  readonly missingSetting?: string;
}

/**
 * A policy rule in the cdk-nag style: a stable id, a one-line rationale, a level, and
 * a pure check of the synthesized stack.
 */
export interface PolicyRule {
  /** Stable id, `SA-` and three digits; never reused for a different rule. */
  readonly id: string;
  /** Short name, e.g. "IMDSv2 with hop limit 1". */
  readonly name: string;
  /** Why the rule exists, one line. */
  readonly rationale: string;
  readonly level: RuleLevel;
  /** Applies only to environments marked production. */
  readonly productionOnly?: boolean;
  /** Every violation in the stack; empty when it complies. Pure: reads `stack` only. */
  check(stack: StackView): Violation[];
}
