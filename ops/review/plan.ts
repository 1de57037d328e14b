/**
 * The parts of OpenTofu's / Terraform's machine-readable plan (`tofu show -json <plan>`,
 * format_version 1.x) that the review reads. Everything else in the document is ignored.
 */

export type PlanAction = "no-op" | "create" | "read" | "update" | "delete" | "forget";

/** One resource instance's planned change. */
export interface ResourceChange {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  /** Why a resource is replaced or deleted, e.g. "replace_because_cannot_update". */
  readonly action_reason?: string;
  readonly change: {
    readonly actions: PlanAction[];
    readonly before: Record<string, unknown> | null;
    readonly after: Record<string, unknown> | null;
    readonly after_unknown?: Record<string, unknown>;
    /** Attribute paths whose change forces replacement. */
    readonly replace_paths?: (string | number)[][];
    readonly importing?: unknown;
  };
}

/** A resource block of the configuration, with the references of its expressions. */
export interface ConfigResource {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly expressions?: Record<string, unknown>;
}

export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly errored?: boolean;
  readonly resource_changes?: ResourceChange[];
  readonly configuration?: {
    readonly root_module?: { readonly resources?: ConfigResource[] };
  };
}

/** What a change does to one resource, as a reviewer says it. */
export type ChangeKind = "create" | "update" | "replace" | "delete" | "no-op" | "read" | "forget";

export function changeKind(actions: readonly PlanAction[]): ChangeKind {
  const key = actions.join(",");
  switch (key) {
    case "create":
    case "update":
    case "delete":
    case "no-op":
    case "read":
    case "forget":
      return key;
    case "delete,create":
    case "create,delete":
      return "replace";
    default:
      throw new Error(`unknown plan action combination: [${actions.join(", ")}]`);
  }
}

/** Checks the document is a plan this code understands; throws naming what is wrong. */
export function assertPlanJson(value: unknown): asserts value is PlanJson {
  const plan = value as PlanJson & { values?: unknown; planned_values?: unknown };
  if (typeof plan !== "object" || plan === null || Array.isArray(plan)) {
    throw new Error("not a plan: expected the JSON object of `tofu show -json <planfile>`");
  }
  if (typeof plan.format_version !== "string") {
    throw new Error("not a plan: expected the JSON of `tofu show -json <planfile>` (no format_version)");
  }
  const major = Number(plan.format_version.split(".")[0]);
  if (major !== 1) {
    throw new Error(`plan format_version ${plan.format_version} is not supported (expected 1.x)`);
  }
  if (plan.errored) {
    throw new Error("the plan is marked as errored: the engine could not finish planning");
  }
  if (plan.resource_changes === undefined && plan.planned_values === undefined && plan.values !== undefined) {
    throw new Error("not a plan: this is a state (`tofu show -json` of a state, it has values and no resource_changes); review the JSON of `tofu show -json <planfile>`");
  }
  if (!Array.isArray(plan.resource_changes)) {
    throw new Error("not a plan this review can read: it has no resource_changes list (expected the JSON of `tofu show -json <planfile>` of a stack with resources)");
  }
  for (const [i, rc] of plan.resource_changes.entries()) {
    if (!rc || typeof rc !== "object" || typeof rc.address !== "string" || typeof rc.type !== "string" || !rc.change || !Array.isArray(rc.change.actions)) {
      throw new Error(`not a plan this review can read: resource_changes[${i}] has no address, type or change.actions`);
    }
  }
}

/**
 * The stack a plan belongs to, from the provider's default tags the stacks set
 * (stacks/aws-provider.ts): `Environment` for an environment's stack, `Component: state`
 * for the state bootstrap. Undefined when the plan carries neither.
 */
export function planStackTags(plan: PlanJson): { environment?: string; component?: string } {
  const providers = (plan as { configuration?: { provider_config?: Record<string, { name?: string; expressions?: Record<string, unknown> }> } }).configuration?.provider_config ?? {};
  for (const provider of Object.values(providers)) {
    if (provider?.name !== "aws") continue;
    const block = (provider.expressions?.default_tags as Array<{ tags?: { constant_value?: Record<string, unknown> } }> | undefined)?.[0];
    const tags = block?.tags?.constant_value;
    if (tags && typeof tags === "object") {
      return {
        environment: typeof tags.Environment === "string" ? tags.Environment : undefined,
        component: typeof tags.Component === "string" ? tags.Component : undefined,
      };
    }
  }
  return {};
}

/** Top-level attribute names whose value differs between before and after (or is unknown after). */
export function changedAttributes(change: ResourceChange["change"]): string[] {
  const before = change.before ?? {};
  const after = change.after ?? {};
  const unknown = change.after_unknown ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)]);
  return [...keys]
    .filter((key) => isUnknown(unknown[key]) || JSON.stringify(withoutEmpty(before[key])) !== JSON.stringify(withoutEmpty(after[key])))
    .sort();
}

/**
 * A value with empty strings, lists and objects turned into null: providers report an unset
 * nested attribute as null in state and as "" in the plan (e.g. the group's
 * capacity_reservation_preference), which is no change to a reviewer.
 */
export function withoutEmpty(value: unknown): unknown {
  if (value === "" || value === undefined || value === null) return null;
  if (Array.isArray(value)) {
    const items = value.map(withoutEmpty);
    return items.every((item) => item === null) ? null : items;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .map(([key, v]) => [key, withoutEmpty(v)] as const)
      .filter(([, v]) => v !== null)
      .sort(([a], [b]) => a.localeCompare(b));
    return entries.length === 0 ? null : Object.fromEntries(entries);
  }
  return value;
}

/** after_unknown marks unknown values with `true`, nested inside lists and objects. */
export function isUnknown(marker: unknown): boolean {
  if (marker === true) return true;
  if (Array.isArray(marker)) return marker.some(isUnknown);
  if (marker && typeof marker === "object") return Object.values(marker).some(isUnknown);
  return false;
}

/** `a.b[0].c` for a replace path. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}
