/**
 * Sorts a plan's changes by what they do to serving traffic, capacity, reachability and the
 * audit trail (review/rules/: one rule per resource type, in files by area):
 *
 * - disruptive: known to hurt the running service or its evidence;
 * - needs-review: may hurt, or no rule covers it ("not classified: review by hand");
 * - rolling update: the instances' launch template changes and the group moves to it, so
 *   the instance refresh replaces them batch by batch while the ALB keeps serving;
 * - benign: only what a rule names as harmless (tags, scaling thresholds, new resources
 *   nothing depends on yet, …).
 *
 * Fail closed: a type with no rule, or an attribute of a known type its rule does not name,
 * needs approval. Keyed by resource type and by the role a resource plays (found through the
 * configuration's references and the prior values), never by today's addresses or names, so
 * renamed constructs classify the same.
 */
import { ChangeKind, PlanJson, ResourceChange, changeKind, changedAttributes, formatPath, isUnknown } from "./plan";
import { groupRefreshes } from "./rules/fleet";
import { PlanContext, planContext } from "./rules/plan-context";
import { RULES } from "./rules/registry";
import { AttributeChange, BENIGN_EVERYWHERE, CLASS_RANK, ChangeClass, CREATED, Outcome, benign, humanList, notClassified } from "./rules/rule";

export { ChangeClass } from "./rules/rule";

/** One resource's change, as the report shows it. */
export interface Finding {
  readonly class: ChangeClass;
  readonly address: string;
  readonly type: string;
  /** What the resource is in this stack, e.g. "load balancer", "instances' security group". */
  readonly role: string;
  readonly kind: ChangeKind;
  /** The resource's `name` (or Name tag) before and after, when it has one. */
  readonly name?: { readonly before?: string; readonly after?: string };
  /** Attributes whose change forces the replacement (replace_paths). */
  readonly forcedBy: string[];
  /** The engine's action reason, e.g. "replace_because_cannot_update". */
  readonly reason?: string;
  /** Top-level attributes that change (updates and replacements). */
  readonly changedAttributes: string[];
  /** Why it matters, in one sentence. */
  readonly impact: string;
}

function nameOf(values: Record<string, unknown> | null): string | undefined {
  if (!values) return undefined;
  if (typeof values.name === "string" && values.name) return values.name;
  const tags = values.tags as Record<string, unknown> | undefined;
  return typeof tags?.Name === "string" ? tags.Name : undefined;
}

/** The worst of several outcomes; its sentences joined. */
function worstOf(outcomes: readonly Outcome[]): Outcome {
  const top = Math.max(...outcomes.map((o) => CLASS_RANK[o.class]));
  const chosen = outcomes.filter((o) => CLASS_RANK[o.class] === top);
  return { class: chosen[0].class, impact: [...new Set(chosen.map((o) => o.impact))].join("; ") };
}

function judgeUpdate(rc: ResourceChange, role: string, plan: PlanContext, changed: readonly string[]): Outcome {
  const rule = RULES[rc.type]!;
  const unknown = rc.change.after_unknown ?? {};
  const attributes: AttributeChange[] = changed
    .filter((name) => !BENIGN_EVERYWHERE.includes(name))
    .map((name) => ({ name, before: rc.change.before?.[name], after: rc.change.after?.[name], unknown: isUnknown(unknown[name]) }));
  if (!attributes.length) return benign(`updated in place (${humanList([...changed]) || "computed attributes"})`);
  const input = { rc, role, plan };
  const whole = rule.updateAll?.(input, attributes) ?? { outcomes: [], handled: [] };
  const outcomes = [...whole.outcomes];
  const benignNames: string[] = [];
  for (const attribute of attributes) {
    if (whole.handled.includes(attribute.name)) continue;
    const judge = rule.update[attribute.name];
    if (judge === "benign") benignNames.push(attribute.name);
    else if (judge) outcomes.push(judge(attribute, input));
    else outcomes.push(notClassified(`${attribute.name} of a ${role} changes: ${rc.type} has no rule for it`));
  }
  if (benignNames.length) outcomes.push(benign(`updated in place (${humanList(benignNames)})`));
  return worstOf(outcomes);
}

function judge(rc: ResourceChange, kind: ChangeKind, role: string, plan: PlanContext, changed: readonly string[]): Outcome {
  if (kind === "forget") return benign("removed from state, left running: tofu no longer manages it");
  const rule = RULES[rc.type];
  if (!rule) return notClassified(`${kind} of a ${rc.type}: the review has no rule for this type`);
  const input = { rc, role, plan };
  switch (kind) {
    case "create":
      return rule.create ? rule.create(input) : CREATED;
    case "replace":
      return rule.replace(input);
    case "delete":
      return rule.delete(input);
    case "update":
      return judgeUpdate(rc, role, plan, changed);
    default:
      return notClassified(`action ${kind}`);
  }
}

/** What the caller knows about the plan's environment beyond the plan. */
export interface ClassifyOptions {
  /** The environment is marked production; unknown (undefined) is judged as production where it matters (Spot). */
  readonly production?: boolean;
}

/** Classifies every managed resource change of a plan (no-ops and data reads are left out). */
export function classifyChanges(plan: PlanJson, options: ClassifyOptions = {}): Finding[] {
  const context = planContext(plan, options.production);
  for (const rc of context.changes) {
    if (rc.type === "aws_autoscaling_group" && changeKind(rc.change.actions) === "update" && groupRefreshes(rc, changedAttributes(rc.change))) {
      context.refreshingGroups.add(rc.address);
    }
  }
  const findings: Finding[] = [];
  for (const rc of context.changes) {
    const kind = changeKind(rc.change.actions);
    if (kind === "no-op" || kind === "read") continue;
    const changed = kind === "update" || kind === "replace" ? changedAttributes(rc.change) : [];
    const before = nameOf(rc.change.before);
    // A name generated from a prefix is only known after apply; the Name tag is no substitute.
    const after = rc.change.after_unknown?.name === true ? "(known after apply)" : nameOf(rc.change.after);
    const rule = RULES[rc.type];
    const role = rule ? (typeof rule.role === "string" ? rule.role : rule.role(rc, context)) : rc.type.replace(/^aws_/, "").replace(/_/g, " ");
    const outcome = judge(rc, kind, role, context, changed);
    findings.push({
      class: outcome.class,
      address: rc.address,
      type: rc.type,
      role,
      kind,
      name: before || after ? { before, after } : undefined,
      forcedBy: (rc.change.replace_paths ?? []).map(formatPath),
      reason: rc.action_reason,
      changedAttributes: changed,
      impact: outcome.impact,
    });
  }
  return findings;
}
