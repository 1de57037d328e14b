/**
 * Suppressions: a rule switched off for one resource, with a written reason, in the
 * config (`policy.suppressions`) or in code ({@link suppressRule}). Every suppression
 * is listed in the synth output, so a reviewer sees each exception and its reason.
 */
import { IConstruct } from "constructs";
import { TerraformResource } from "cdktf";
import { Problem } from "../modules/core/checks";
import { closest } from "../modules/core/suggest";
import { RULE_IDS } from "./rules";

export interface Suppression {
  /** Rule id, e.g. "SA-005". */
  readonly rule: string;
  /**
   * Construct path of the resource below the stack, as the synth output prints it
   * (e.g. "auto-scaling-group/egress-https"), or a stack setting such as "terraform.backend".
   */
  readonly resource: string;
  /** Why the rule does not apply here, for the reviewer: at least a sentence. */
  readonly reason: string;
}

/** Metadata type under which in-code suppressions are stored on a construct. */
export const SUPPRESSION_METADATA = "sample-app:policy-suppression";

const MIN_REASON_LENGTH = 20;

export function checkRuleId(value: string): Problem {
  if (RULE_IDS.includes(value)) {
    return undefined;
  }
  const match = closest(value, RULE_IDS);
  return `is not a rule id${match ? `; did you mean "${match}"?` : ""} Rules: ${RULE_IDS.join(", ")}`;
}

export function checkReason(value: string): Problem {
  return typeof value === "string" && value.trim().length >= MIN_REASON_LENGTH
    ? undefined
    : `must say why the rule does not apply here, in at least ${MIN_REASON_LENGTH} characters`;
}

export function checkResourcePath(value: string): Problem {
  return typeof value === "string" && /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/.test(value)
    ? undefined
    : 'must be a construct path below the stack as the synth output prints it, e.g. "auto-scaling-group/egress-https"';
}

/**
 * Suppresses `rule` for one resource, from code. Throws when the rule id is unknown or
 * the reason is missing or too short.
 */
export function suppressRule(resource: TerraformResource, rule: string, reason: string): void {
  const problems = [checkRuleId(rule) && `rule "${rule}" ${checkRuleId(rule)}`, checkReason(reason) && `reason ${checkReason(reason)}`].filter(Boolean);
  if (problems.length > 0) {
    throw new Error(`suppressRule(${resource.node.path}): ${problems.join("; ")}`);
  }
  resource.node.addMetadata(SUPPRESSION_METADATA, { rule, reason: reason.trim() });
}

/** The in-code suppressions on one construct. */
export function suppressionsOn(construct: IConstruct): { rule: string; reason: string }[] {
  return construct.node.metadata
    .filter((entry) => entry.type === SUPPRESSION_METADATA)
    .map((entry) => entry.data as { rule: string; reason: string });
}
