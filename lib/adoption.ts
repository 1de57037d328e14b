/**
 * Adopting objects that another configuration's state already tracks (for example the
 * book's chapter 3 `alb` and `asg` modules) into a stack, without replacing them.
 *
 * The mapping names, for each of the stack's resources (by construct path below the
 * stack, as the synth and the policy report print it), the address it has in the old
 * state. Synthesis then emits:
 * - a `moved` block when the old resource has the same type (OpenTofu moves it, even out
 *   of a module call that no longer exists);
 * - for a different type (a security group rule `aws_security_group_rule` that becomes an
 *   `aws_vpc_security_group_ingress_rule`), an `import` block by the object's id and a
 *   `removed { lifecycle { destroy = false } }` block for the old address, so the rule is
 *   never deleted during the switch;
 * - for old resources with no counterpart (`leftovers`), `removed` blocks that forget them
 *   (`forget`) or destroy them (`destroy`).
 */
import { TerraformResource, TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { suggestion } from "./suggest";

/** What becomes of an old resource that none of the stack's resources takes over. */
export type LeftoverAction = "forget" | "destroy";
export const LEFTOVER_ACTIONS: readonly LeftoverAction[] = ["forget", "destroy"];

/** One of the stack's resources taking over an object from the old state. */
export interface AdoptedResource {
  /** Its address in the old state, e.g. `module.alb.aws_lb.sample_app`. */
  readonly from: string;
  /**
   * The object's id, for an old resource of another type (imported, the old address forgotten).
   * For a security group rule: its `sgr-...` id (`security_group_rule_id` in the old state).
   */
  readonly importId?: string;
}

/** The adoption mapping of one environment. */
export interface AdoptionConfig {
  /** Where the old state was read from, for the record (file, or s3://bucket/key). */
  readonly source?: string;
  /** Each adopted resource: construct path below the stack -> the old resource. */
  readonly resources: Readonly<Record<string, AdoptedResource>>;
  /** Old resources no resource of the stack takes over, by old address, and what to do with them. */
  readonly leftovers?: Readonly<Record<string, LeftoverAction>>;
  /**
   * Every resource address of the old state; when given, each `from` and leftover must be one of them.
   * @default - not checked at synth (npm run adopt checks against the state itself)
   */
  readonly stateAddresses?: string[];
}

// module.a.module.b.type.name, with optional [index] / ["key"] on modules and the resource.
const INDEX = String.raw`(?:\[(?:\d+|"[^"]*")\])?`;
const ADDRESS = new RegExp(String.raw`^(?:module\.[A-Za-z_][\w-]*${INDEX}\.)*([a-z][a-z0-9]*_[a-z0-9_]*)\.([A-Za-z_][\w-]*)${INDEX}$`);

/** The resource type of a managed resource address, or undefined if it is not one. */
export function resourceTypeOf(address: string): string | undefined {
  if (typeof address !== "string" || address.includes("data.")) {
    return undefined;
  }
  return ADDRESS.exec(address)?.[1];
}

/** The resource a construct path names below `stack`, or a sentence saying why not. */
function findResource(stack: Construct, path: string): TerraformResource | string {
  let node: IConstruct | undefined = stack;
  for (const part of path.split("/")) {
    node = node?.node.tryFindChild(part);
  }
  if (node instanceof TerraformResource) {
    return node;
  }
  const known = resourcePaths(stack);
  return node === undefined
    ? `names no resource of the stack; ${suggestion(path, known, "resources")}`
    : "names a construct that is not a resource (name the resource inside it)";
}

/** Construct paths (below the stack) of every resource of the stack. */
export function resourcePaths(stack: Construct): string[] {
  return stack.node
    .findAll()
    .filter((node): node is TerraformResource => node instanceof TerraformResource)
    .map((resource) => resource.node.path.split("/").slice(1).join("/"));
}

/** Terraform address of a resource in its stack. */
export function addressOf(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/** Every problem of a mapping against the stack it is applied to, each naming its entry. */
export function checkAdoption(stack: Construct, adoption: AdoptionConfig): string[] {
  const problems: string[] = [];
  const known = adoption.stateAddresses ? new Set(adoption.stateAddresses) : undefined;
  const claimedBy = new Map<string, string>();
  for (const [path, entry] of Object.entries(adoption.resources)) {
    const where = `adoption.resources["${path}"]`;
    const resource = findResource(stack, path);
    if (typeof resource === "string") {
      problems.push(`${where}: ${resource}`);
      continue;
    }
    const oldType = resourceTypeOf(entry.from);
    if (!oldType) {
      problems.push(`${where}.from = ${JSON.stringify(entry.from)}: must be a managed resource address like module.alb.aws_lb.sample_app`);
      continue;
    }
    if (known && !known.has(entry.from)) {
      problems.push(`${where}.from = ${JSON.stringify(entry.from)}: no such resource in the old state; ${suggestion(entry.from, [...known], "addresses")}`);
    }
    const other = claimedBy.get(entry.from);
    if (other !== undefined) {
      problems.push(`${where}.from = ${JSON.stringify(entry.from)}: already taken over by adoption.resources["${other}"]; one old object can become only one resource`);
    }
    claimedBy.set(entry.from, path);
    if (oldType !== resource.terraformResourceType && !entry.importId) {
      problems.push(
        `${where}: the old resource is a ${oldType}, this one a ${resource.terraformResourceType}; a moved block cannot change the type, so set importId to the object's id (for a security group rule its sgr-... id) to import it and forget the old address`,
      );
    }
    if (oldType === resource.terraformResourceType && entry.importId) {
      problems.push(`${where}.importId: must not be set for a resource of the same type (${oldType}): it is moved, keeping its state`);
    }
  }
  for (const [address, action] of Object.entries(adoption.leftovers ?? {})) {
    const where = `adoption.leftovers["${address}"]`;
    if (!resourceTypeOf(address)) {
      problems.push(`${where}: must be a managed resource address like module.alb.aws_security_group_rule.alb_allow_all_outbound`);
    } else if (known && !known.has(address)) {
      problems.push(`${where}: no such resource in the old state; ${suggestion(address, [...known], "addresses")}`);
    }
    if (!LEFTOVER_ACTIONS.includes(action)) {
      problems.push(`${where} = ${JSON.stringify(action)}: must be "forget" (removed from state, kept in AWS) or "destroy"`);
    }
    const taker = claimedBy.get(address);
    if (taker !== undefined) {
      problems.push(`${where}: is also taken over by adoption.resources["${taker}"]; list it in one place`);
    }
  }
  return problems;
}

/** The blocks a mapping adds to a stack. */
export interface AdoptionBlocks {
  readonly moved: { from: string; to: string }[];
  readonly imports: { to: string; id: string }[];
  readonly removed: { from: string; destroy: boolean }[];
}

/** Blocks for a mapping that {@link checkAdoption} accepted. */
export function adoptionBlocks(stack: Construct, adoption: AdoptionConfig): AdoptionBlocks {
  const blocks: AdoptionBlocks = { moved: [], imports: [], removed: [] };
  for (const [path, entry] of Object.entries(adoption.resources)) {
    const resource = findResource(stack, path) as TerraformResource;
    const to = addressOf(resource);
    if (resourceTypeOf(entry.from) === resource.terraformResourceType) {
      blocks.moved.push({ from: entry.from, to });
    } else {
      blocks.imports.push({ to, id: entry.importId! });
      blocks.removed.push({ from: entry.from, destroy: false });
    }
  }
  for (const [from, action] of Object.entries(adoption.leftovers ?? {})) {
    blocks.removed.push({ from, destroy: action === "destroy" });
  }
  return blocks;
}

/**
 * Checks the mapping against the stack and adds its blocks. `moved` goes through cdktf's
 * `moveFromId`; `import` and `removed` are stack overrides: cdktf has no API for
 * `removed`, and its `importFrom` runs a `terraform version` check at synth.
 * Call it after every resource of the stack exists.
 */
export function applyAdoption(stack: TerraformStack, adoption: AdoptionConfig): AdoptionBlocks {
  const problems = checkAdoption(stack, adoption);
  if (problems.length > 0) {
    throw new Error(`stack ${stack.node.id}: the adoption mapping is invalid:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
  const blocks = adoptionBlocks(stack, adoption);
  for (const [path, entry] of Object.entries(adoption.resources)) {
    const resource = findResource(stack, path) as TerraformResource;
    if (resourceTypeOf(entry.from) === resource.terraformResourceType) {
      resource.moveFromId(entry.from);
    }
  }
  if (blocks.imports.length > 0) {
    stack.addOverride("import", blocks.imports.map(({ to, id }) => ({ to, id })));
  }
  if (blocks.removed.length > 0) {
    stack.addOverride("removed", blocks.removed.map(({ from, destroy }) => ({ from, lifecycle: { destroy } })));
  }
  return blocks;
}
