/**
 * The shape of a review rule: what one resource type's create, update, replace and delete do
 * to serving traffic, capacity, reachability and the audit trail.
 *
 * Fail closed: an update is judged attribute by attribute, and an attribute a type's rule
 * does not name is "not classified: review by hand" (needs approval). A type with no rule at
 * all needs approval for every change (classify.ts). "Benign" is only what a rule says is
 * benign.
 */
import { ResourceChange } from "../plan";
import { PlanContext } from "./plan-context";

/**
 * - disruptive: known to hurt the running service or its evidence (an outage, lost logs);
 * - needs-review: may hurt, or the classifier has no rule for it: a person decides;
 * - rolling-update: instances replaced by instance refresh behind the load balancer;
 * - benign: known to be harmless.
 * The first two need an explicit approval (exit 2).
 */
export type ChangeClass = "disruptive" | "needs-review" | "rolling-update" | "benign";

/** A class and the one sentence that says why. */
export interface Outcome {
  readonly class: ChangeClass;
  readonly impact: string;
}

/** Severity order: the worst outcome of a resource's attributes is the resource's. */
export const CLASS_RANK: Readonly<Record<ChangeClass, number>> = { benign: 0, "rolling-update": 1, "needs-review": 2, disruptive: 3 };

/** Does this class need an explicit approval? */
export function needsApproval(value: ChangeClass): boolean {
  return value === "disruptive" || value === "needs-review";
}

export const benign = (impact: string): Outcome => ({ class: "benign", impact });
export const disruptive = (impact: string): Outcome => ({ class: "disruptive", impact });
export const review = (impact: string): Outcome => ({ class: "needs-review", impact });
export const rolling = (impact: string): Outcome => ({ class: "rolling-update", impact });

/** The sentence for anything no rule covers. */
export function notClassified(what: string): Outcome {
  return review(`not classified: review by hand (${what})`);
}

/** One top-level attribute's change in an in-place update. */
export interface AttributeChange {
  readonly name: string;
  readonly before: unknown;
  readonly after: unknown;
  /** The value is only known after apply. */
  readonly unknown: boolean;
}

/** What every rule function gets: the resource change, its role in the stack, the plan's facts. */
export interface RuleInput {
  readonly rc: ResourceChange;
  readonly role: string;
  readonly plan: PlanContext;
}

export type AttributeRule = "benign" | ((change: AttributeChange, input: RuleInput) => Outcome);

export interface TypeRule {
  /** What the resource is in the stack ("load balancer"), or a function of the plan when it depends on use. */
  readonly role: string | ((rc: ResourceChange, plan: PlanContext) => string);
  /** @default benign: "created; nothing running depends on it yet" */
  readonly create?: (input: RuleInput) => Outcome;
  readonly replace: (input: RuleInput) => Outcome;
  readonly delete: (input: RuleInput) => Outcome;
  /** In-place updates, per top-level attribute. Attributes not named here are not classified. */
  readonly update: Readonly<Record<string, AttributeRule>>;
  /**
   * Optional whole-resource update rule, run before the attributes: for changes that only
   * make sense together (the group moving to a new template with its refresh settings).
   * Returns the outcome and the attributes it has judged.
   */
  readonly updateAll?: (input: RuleInput, changed: readonly AttributeChange[]) => { outcomes: Outcome[]; handled: readonly string[] };
}

/** Attributes that never change what a resource does. */
export const BENIGN_EVERYWHERE: readonly string[] = ["tags", "tags_all", "timeouts"];

export const CREATED: Outcome = benign("created; nothing running depends on it yet");

/** "a, b and c". */
export function humanList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** A short rendering of a value for a sentence. */
export function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "none";
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number")) return value.length ? value.join(", ") : "none";
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** `x[0]` of a one-element block list, or an empty object. */
export function block(value: unknown): Record<string, unknown> {
  return Array.isArray(value) && value[0] && typeof value[0] === "object" ? (value[0] as Record<string, unknown>) : {};
}

/** Values in `before` that are not in `after` (by JSON), for set-like lists. */
export function removed<T>(before: unknown, after: unknown): T[] {
  const a = Array.isArray(after) ? after.map((v) => JSON.stringify(v)) : [];
  return (Array.isArray(before) ? before : []).filter((v) => !a.includes(JSON.stringify(v))) as T[];
}

export function added<T>(before: unknown, after: unknown): T[] {
  return removed<T>(after, before);
}

export function asNumber(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}
