/**
 * What the policy rules look at: the stack's Terraform JSON as `tofu` will read it
 * (cdktf's `toTerraform()`, tokens resolved, escape hatches applied), indexed by
 * resource type. Rules therefore judge what is deployed, not how a construct was
 * called, and see resources added by any construct, ours or not.
 */

/** One resource or data source of the stack. */
export interface ResourceView {
  /** Terraform type, e.g. `aws_launch_template`. */
  readonly type: string;
  /** Logical id (the name in the Terraform address). */
  readonly name: string;
  /** Terraform address: `aws_lb.load-balancer_xyz` or `data.aws_ami.image_ami_abc`. */
  readonly address: string;
  /** Construct path below the stack, e.g. `load-balancer/security-group`; what suppressions name. */
  readonly path: string;
  /** Whether this is a data source. */
  readonly isData: boolean;
  /** The synthesized arguments, snake_case as in the JSON. */
  readonly values: Readonly<Record<string, unknown>>;
}

/** The whole stack, as the rules see it. */
export interface StackView {
  /** Stack id, e.g. `sample-app-prod`. */
  readonly stackId: string;
  /** Whether the environment is marked production (stricter rules apply). */
  readonly production: boolean;
  /** Every resource and data source. */
  readonly resources: readonly ResourceView[];
  /** `terraform.backend` of the JSON: `{ s3: {...} }`, `{ local: {...} }`, ... */
  readonly backend: Readonly<Record<string, Record<string, unknown>>>;
}

type TerraformJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  terraform?: { backend?: Record<string, Record<string, unknown>> };
};

function pathOf(values: Record<string, unknown>, stackId: string, fallback: string): string {
  const metadata = (values["//"] as { metadata?: { path?: string } } | undefined)?.metadata;
  const full = metadata?.path;
  if (typeof full !== "string") {
    return fallback;
  }
  return full.startsWith(`${stackId}/`) ? full.slice(stackId.length + 1) : full;
}

/** Builds the view of a stack from its Terraform JSON. */
export function stackViewOf(json: unknown, stackId: string, production: boolean): StackView {
  const tf = (json ?? {}) as TerraformJson;
  const resources: ResourceView[] = [];
  for (const [kind, isData] of [["resource", false], ["data", true]] as const) {
    for (const [type, byName] of Object.entries(tf[kind] ?? {})) {
      for (const [name, values] of Object.entries(byName ?? {})) {
        const address = `${isData ? "data." : ""}${type}.${name}`;
        resources.push({ type, name, address, path: pathOf(values, stackId, address), isData, values });
      }
    }
  }
  return { stackId, production, resources, backend: tf.terraform?.backend ?? {} };
}

/** Resources (not data sources) of the given types. */
export function resourcesOfType(stack: StackView, ...types: string[]): ResourceView[] {
  return stack.resources.filter((resource) => !resource.isData && types.includes(resource.type));
}

/** Data sources of the given types. */
export function dataSourcesOfType(stack: StackView, ...types: string[]): ResourceView[] {
  return stack.resources.filter((resource) => resource.isData && types.includes(resource.type));
}

/** Whether `value` (any JSON) holds a Terraform reference to `target` (`${<address>.<attr>}`). */
export function refersTo(value: unknown, target: ResourceView): boolean {
  const needle = `${target.address}.`;
  const visit = (item: unknown): boolean => {
    if (typeof item === "string") {
      return item.includes(`\${${needle}`) || item.includes(`(${needle}`) || item.includes(` ${needle}`);
    }
    if (Array.isArray(item)) {
      return item.some(visit);
    }
    if (item !== null && typeof item === "object") {
      return Object.entries(item).some(([key, child]) => key !== "//" && visit(child));
    }
    return false;
  };
  return visit(value);
}

/** The resource or data source `value` is exactly a reference to (`${type.name.attr}`), if any. */
export function referencedResource(stack: StackView, value: unknown): ResourceView | undefined {
  if (typeof value !== "string") {
    return undefined;
  }
  const match = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z0-9_]+\}$/.exec(value);
  return match ? stack.resources.find((resource) => resource.address === match[1]) : undefined;
}

/** A block that the JSON may hold as an object or as a one-element list. */
export function block(value: unknown): Record<string, unknown> | undefined {
  const item = Array.isArray(value) ? value[0] : value;
  return item !== null && typeof item === "object" ? (item as Record<string, unknown>) : undefined;
}

/** A repeated block as a list (the JSON may hold one as an object). */
export function blocks(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null) {
    return [];
  }
  return (Array.isArray(value) ? value : [value]).filter(
    (item): item is Record<string, unknown> => item !== null && typeof item === "object",
  );
}

/** Terraform's loose booleans: `true` or `"true"`. */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}
