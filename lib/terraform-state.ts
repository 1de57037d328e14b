/**
 * Reading an existing Terraform / OpenTofu state: a raw state file (format version 4, as
 * `tofu state pull` or a local backend writes it) or the output of `tofu show -json`.
 */

/** One resource instance of a state. */
export interface StateResource {
  /** Full address, e.g. `module.alb.aws_lb.sample_app` (with `[index]` when counted). */
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  /** The instance's attributes. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Provider address as the state records it, e.g. `registry.terraform.io/hashicorp/aws`. */
  readonly provider?: string;
}

export interface ParsedState {
  readonly resources: StateResource[];
  /** Every provider source the state names (`registry.terraform.io/hashicorp/aws`, …). */
  readonly providers: string[];
  readonly format: "raw state" | "tofu show -json";
}

/** Not a state file, or one this project cannot read. */
export class StateFormatError extends Error {}

function indexSuffix(key: unknown): string {
  if (key === undefined || key === null) return "";
  return typeof key === "number" ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

/** `provider["registry.terraform.io/hashicorp/aws"]` or a module-scoped form -> the source address. */
function providerSource(provider: unknown): string | undefined {
  if (typeof provider !== "string") return undefined;
  return /provider\["([^"]+)"\]/.exec(provider)?.[1] ?? provider;
}

interface ShowModule {
  resources?: { address: string; mode: string; type: string; values?: Record<string, unknown>; provider_name?: string }[];
  child_modules?: ShowModule[];
}

/** Parses `text` (from `file`, for messages). Throws a {@link StateFormatError} saying what it expected. */
export function parseState(text: string, file: string): ParsedState {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StateFormatError(`${file}: not a state file: it is not JSON (expected a raw state, e.g. from \`tofu state pull\`, or \`tofu show -json\` output)`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new StateFormatError(`${file}: not a state file: expected a JSON object`);
  }
  if (json.version === 4 && Array.isArray(json.resources)) {
    const resources: StateResource[] = [];
    for (const resource of json.resources as Record<string, unknown>[]) {
      const prefix = typeof resource.module === "string" ? `${resource.module}.` : "";
      const base = `${prefix}${resource.mode === "data" ? "data." : ""}${resource.type}.${resource.name}`;
      for (const instance of (resource.instances as Record<string, unknown>[]) ?? []) {
        resources.push({
          address: `${base}${indexSuffix(instance.index_key)}`,
          mode: resource.mode === "data" ? "data" : "managed",
          type: String(resource.type),
          values: (instance.attributes as Record<string, unknown>) ?? {},
          provider: providerSource(resource.provider),
        });
      }
    }
    return { resources, providers: [...new Set(resources.map((r) => r.provider).filter((p): p is string => !!p))], format: "raw state" };
  }
  if (typeof json.format_version === "string" && (json.values === undefined || typeof json.values === "object")) {
    if (json.planned_values !== undefined || json.resource_changes !== undefined) {
      throw new StateFormatError(`${file}: this is a plan (tofu show -json <planfile>), not a state; run \`tofu show -json\` without a plan file`);
    }
    const resources: StateResource[] = [];
    const walk = (module: ShowModule | undefined) => {
      for (const resource of module?.resources ?? []) {
        resources.push({
          address: resource.address,
          mode: resource.mode === "data" ? "data" : "managed",
          type: resource.type,
          values: resource.values ?? {},
          provider: resource.provider_name,
        });
      }
      (module?.child_modules ?? []).forEach(walk);
    };
    walk((json.values as { root_module?: ShowModule } | undefined)?.root_module);
    return { resources, providers: [...new Set(resources.map((r) => r.provider).filter((p): p is string => !!p))], format: "tofu show -json" };
  }
  // Only something that looks like a state (a numeric format version with a lineage or
  // serial) is reported as an old state; package.json has a "version" too.
  if (typeof json.version === "number" && json.version !== 4 && (json.lineage !== undefined || json.serial !== undefined || json.modules !== undefined)) {
    throw new StateFormatError(`${file}: state format version ${JSON.stringify(json.version)} is not supported; upgrade it with Terraform >= 0.12 or OpenTofu (version 4)`);
  }
  throw new StateFormatError(
    `${file}: not a state file: expected a raw state ("version": 4 with "resources") or \`tofu show -json\` output ("format_version" with "values")`,
  );
}
