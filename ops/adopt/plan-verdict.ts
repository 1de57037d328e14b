/**
 * The adoption proves itself: the plan of the stack with the proposal, against a copy of the
 * existing state (`tofu show -json <planfile>`), is read here and judged. A plan that replaces
 * or destroys anything the report did not list as deliberately not kept refuses the proposal.
 */

/** The parts of one planned resource change this judgement reads. */
interface PlannedChange {
  readonly address: string;
  readonly mode?: string;
  readonly change: { readonly actions: readonly string[]; readonly importing?: unknown };
}

/** The plan's own counts, as `tofu plan` prints them (a replacement counts in add and destroy). */
export interface PlanCounts {
  readonly import: number;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly forget: number;
  readonly replace: number;
}

export interface PlanVerdict {
  readonly ok: boolean;
  readonly counts: PlanCounts;
  /** One line per replaced or destroyed object the report did not list. */
  readonly problems: string[];
}

const KNOWN_ACTIONS = new Set(["no-op", "create", "read", "update", "delete", "forget"]);

/** Reads the resource changes of a plan document; throws naming what is wrong. */
function plannedChanges(plan: unknown): PlannedChange[] {
  if (plan === null || typeof plan !== "object" || Array.isArray(plan)) {
    throw new Error("the plan is not a JSON object (expected `tofu show -json <planfile>`)");
  }
  const document = plan as { format_version?: unknown; resource_changes?: unknown; errored?: unknown };
  if (typeof document.format_version !== "string") {
    throw new Error("the plan has no format_version (expected `tofu show -json <planfile>`)");
  }
  if (document.errored === true) throw new Error("the plan is marked errored: tofu could not finish it");
  if (document.resource_changes === undefined) return [];
  if (!Array.isArray(document.resource_changes)) throw new Error("the plan's resource_changes is not a list");
  return document.resource_changes.map((entry: unknown, index: number) => {
    const change = entry as PlannedChange | null;
    if (!change || typeof change.address !== "string" || !change.change || !Array.isArray(change.change.actions)) {
      throw new Error(`the plan's resource_changes[${index}] has no address or no change.actions`);
    }
    for (const action of change.change.actions) {
      if (!KNOWN_ACTIONS.has(action)) {
        throw new Error(`the plan's resource_changes[${index}] (${change.address}) has action "${String(action)}"; known: ${[...KNOWN_ACTIONS].join(", ")}`);
      }
    }
    return change;
  });
}

/**
 * Judges a plan: `deliberatelyDestroyed` holds the old addresses the report lists under
 * "destroyed (deliberately not kept)" (instance addresses as OpenTofu prints them).
 */
export function judgePlan(plan: unknown, deliberatelyDestroyed: readonly string[]): PlanVerdict {
  const listed = new Set(deliberatelyDestroyed);
  const counts = { import: 0, add: 0, change: 0, destroy: 0, forget: 0, replace: 0 };
  const problems: string[] = [];
  for (const change of plannedChanges(plan)) {
    if (change.mode === "data") continue;
    const actions = change.change.actions;
    const key = actions.join(",");
    if (change.change.importing) counts.import++;
    if (key === "create") counts.add++;
    else if (key === "update") counts.change++;
    else if (key === "delete") counts.destroy++;
    else if (key === "forget") counts.forget++;
    else if (key === "delete,create" || key === "create,delete") {
      counts.replace++;
      counts.add++;
      counts.destroy++;
    }
    if (key === "delete" && !listed.has(change.address)) {
      problems.push(`${change.address} would be destroyed, and the report does not list it as deliberately not kept`);
    } else if (key === "delete,create" || key === "create,delete") {
      problems.push(`${change.address} would be replaced (destroyed and created again); an adoption must keep every object it takes over`);
    }
  }
  return { ok: problems.length === 0, counts, problems };
}

/** The last line of the report: the plan's own counts. */
export function describeCounts(counts: PlanCounts): string {
  return `plan (proven with tofu plan against a copy of the state): ${counts.import} to import, ${counts.add} to add, ${counts.change} to change, ${counts.destroy} to destroy, ${counts.forget} to forget, ${counts.replace} to replace`;
}
