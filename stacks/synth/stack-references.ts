/**
 * References in a stack's Terraform JSON to resources and data sources the stack does not
 * declare. Before synthesis cdktf resolves every element of every stack once more
 * (`TerraformStack.prepareStack`) only to find references to another stack's resources, for
 * which it adds an output there and a remote-state data source here; that pass costs a third
 * of synth time (npm run bench). An environment's stack never refers to another stack (it
 * reads what it shares from its configuration), so SampleAppStack skips the pass, and checks
 * with this that it is still true: a reference to another stack's resource would otherwise
 * reach tofu as a reference to a resource that does not exist.
 */

type Blocks = Record<string, Record<string, unknown>>;

/** `type.name` at the start of a traversal: not after `.`, a word character or `-`. */
const TRAVERSAL = /(?<![\w.-])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g;

/** Each undeclared `type.name` / `data.type.name` referenced inside `${...}` in `json`, once, in order. */
export function undeclaredReferences(json: unknown): string[] {
  const tf = (json ?? {}) as { resource?: Blocks; data?: Blocks };
  const declared = new Set<string>();
  for (const [prefix, blocks] of [["", tf.resource], ["data.", tf.data]] as const) {
    for (const [type, byName] of Object.entries(blocks ?? {})) {
      for (const name of Object.keys(byName ?? {})) {
        declared.add(`${prefix}${type}.${name}`);
      }
    }
  }
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      if (value.includes("${")) {
        for (const match of value.matchAll(TRAVERSAL)) {
          const address = `${match[1] ?? ""}${match[2]}.${match[3]}`;
          if (!declared.has(address)) {
            found.add(address);
          }
        }
      }
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        if (key !== "//") {
          visit(child);
        }
      }
    }
  };
  visit(json);
  return [...found];
}
