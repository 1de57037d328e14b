/**
 * Reading an existing Terraform / OpenTofu state: a raw state file (format version 4, as
 * `tofu state pull` or a local backend writes it) or the output of `tofu show -json`.
 */

import { AddressError, InstanceKey, ResourceInstanceAddress, formatAddress, parseAddress, parseModulePath } from "../../modules/core/tofu-address";

/** One resource instance of a state. */
export interface StateResource {
  /**
   * Full address as OpenTofu prints it, e.g. `module.alb.aws_lb.sample_app`, with the instance
   * key when counted or for_each (`module.asg.aws_security_group_rule.ssh[0]`, `aws_lb_listener.this["http"]`).
   */
  readonly address: string;
  /** The same address, parsed. */
  readonly parsed: ResourceInstanceAddress;
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

/** The instance key a raw state records (`index_key`), checked. */
function instanceKey(key: unknown, where: () => string): InstanceKey | undefined {
  if (key === undefined || key === null) return undefined;
  if ((typeof key === "number" && Number.isSafeInteger(key) && key >= 0) || typeof key === "string") return key;
  throw new StateFormatError(`${where()}: index_key ${JSON.stringify(key)} is neither a count index nor a for_each key`);
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
    (json.resources as Record<string, unknown>[]).forEach((resource, index) => {
      const where = () => `${file}: resources[${index}] (${String(resource.module ?? "")}${resource.module ? "." : ""}${String(resource.type)}.${String(resource.name)})`;
      let module;
      try {
        module = parseModulePath(typeof resource.module === "string" ? resource.module : "");
      } catch (error) {
        if (error instanceof AddressError) throw new StateFormatError(`${where()}: module: ${error.message}`);
        throw error;
      }
      for (const instance of (resource.instances as Record<string, unknown>[]) ?? []) {
        const key = instanceKey(instance.index_key, where);
        const parsed: ResourceInstanceAddress = {
          module,
          mode: resource.mode === "data" ? "data" : "managed",
          type: String(resource.type),
          name: String(resource.name),
          ...(key === undefined ? {} : { key }),
        };
        let address: string;
        try {
          // Printing checks the type and name too: a state with another shape fails here.
          address = formatAddress(parsed);
          parseAddress(address);
        } catch (error) {
          if (error instanceof AddressError) throw new StateFormatError(`${where()}: ${error.message}`);
          throw error;
        }
        resources.push({
          address,
          parsed,
          mode: resource.mode === "data" ? "data" : "managed",
          type: String(resource.type),
          values: (instance.attributes as Record<string, unknown>) ?? {},
          provider: providerSource(resource.provider),
        });
      }
    });
    return { resources, providers: [...new Set(resources.map((r) => r.provider).filter((p): p is string => !!p))], format: "raw state" };
  }
  if (typeof json.format_version === "string" && (json.values === undefined || typeof json.values === "object")) {
    if (json.planned_values !== undefined || json.resource_changes !== undefined) {
      throw new StateFormatError(`${file}: this is a plan (tofu show -json <planfile>), not a state; run \`tofu show -json\` without a plan file`);
    }
    const resources: StateResource[] = [];
    const walk = (module: ShowModule | undefined) => {
      for (const resource of module?.resources ?? []) {
        let parsed: ResourceInstanceAddress;
        try {
          parsed = parseAddress(resource.address);
        } catch (error) {
          if (error instanceof AddressError) throw new StateFormatError(`${file}: ${error.message}`);
          throw error;
        }
        resources.push({
          address: formatAddress(parsed),
          parsed,
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
