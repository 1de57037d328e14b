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
 * Old addresses are instance addresses (`…ssh[0]`, `…this["http"]`, `module.x[0]….`; see
 * modules/core/tofu-address.ts): `moved` and `import` use them as they are; `removed` takes the
 * resource address without any key, one block per old resource ({@link removedBlocks}).
 */
import { TerraformResource, TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { suggestion } from "../modules/core/suggest";
import { AddressError, ResourceInstanceAddress, canonicalAddress, configResourceAddress, parseAddress } from "../modules/core/tofu-address";
import { LEFTOVER_ACTIONS, type AdoptionConfig } from "../config/adoption";

/** The parsed managed resource instance address, or a sentence saying why it is not one. */
function managedAddress(address: string): ResourceInstanceAddress | string {
  try {
    const parsed = parseAddress(address);
    return parsed.mode === "managed" ? parsed : `${JSON.stringify(address)} is a data source, not a managed resource`;
  } catch (error) {
    if (error instanceof AddressError) return error.message;
    throw error;
  }
}

/** The resource type of a managed resource instance address, or undefined if it is not one. */
export function resourceTypeOf(address: string): string | undefined {
  const parsed = typeof address === "string" ? managedAddress(address) : undefined;
  return typeof parsed === "object" ? parsed.type : undefined;
}

/** One old instance that no `moved` block takes away, and whether its object is destroyed. */
export interface RemovedInstance {
  /** Its instance address in the old state. */
  readonly address: string;
  readonly destroy: boolean;
  /** Why, for messages: `imported into adoption.resources["…"]`, `adoption.leftovers["…"] = "destroy"`. */
  readonly why: string;
}

/** A `removed` block: the resource address (no instance key, no module key) and what it does to every instance left there. */
export interface RemovedBlock {
  readonly from: string;
  readonly destroy: boolean;
  /** The old instances it covers. */
  readonly instances: string[];
}

/**
 * Groups the old instances to forget or destroy into `removed` blocks. OpenTofu's `removed`
 * names a resource, not an instance (`module.asg.aws_security_group_rule.ssh`, never `…ssh[0]`,
 * and no module instance key either), and acts on every instance still at that address after
 * the `moved` blocks ran. So when some instances of a resource are adopted and others are not,
 * each adopted instance is moved (or imported) and one `removed` block takes the rest; that is
 * possible only when the rest are all forgotten or all destroyed. Otherwise (or when an
 * instance of the old state is neither adopted nor listed, and the block would take it along
 * unannounced) a problem says which instances disagree.
 */
export function removedBlocks(
  instances: readonly RemovedInstance[],
  options: { readonly stateAddresses?: readonly string[]; readonly moved?: ReadonlySet<string> } = {},
): { blocks: RemovedBlock[]; problems: string[] } {
  const groups = new Map<string, RemovedInstance[]>();
  for (const instance of instances) {
    const parsed = managedAddress(instance.address);
    if (typeof parsed === "string") continue; // reported by the caller
    const from = configResourceAddress(parsed);
    groups.set(from, [...(groups.get(from) ?? []), instance]);
  }
  const blocks: RemovedBlock[] = [];
  const problems: string[] = [];
  const listed = new Set(instances.map((instance) => canonicalAddress(instance.address)));
  for (const [from, members] of groups) {
    const destroyed = members.filter((member) => member.destroy);
    const kept = members.filter((member) => !member.destroy);
    if (destroyed.length > 0 && kept.length > 0) {
      problems.push(
        `removed { from = ${from} } would have to keep ${kept.map((m) => `${m.address} (${m.why})`).join(", ")} and destroy ${destroyed.map((m) => `${m.address} (${m.why})`).join(", ")}: ` +
          `a removed block names the resource, not an instance, so every instance left at that address is forgotten or destroyed alike. ` +
          `Set ${destroyed.map((m) => `adoption.leftovers["${m.address}"]`).join(", ")} to "forget" (and delete the object by hand after the apply), or map it to a resource of the stack`,
      );
      continue;
    }
    const strays = (options.stateAddresses ?? []).filter((address) => {
      const parsed = managedAddress(address);
      const canonical = canonicalAddress(address);
      return typeof parsed === "object" && configResourceAddress(parsed) === from && !listed.has(canonical) && !options.moved?.has(canonical!);
    });
    if (strays.length > 0) {
      problems.push(
        `removed { from = ${from} } would also ${destroyed.length > 0 ? "destroy" : "forget"} ${strays.join(", ")}, which the mapping neither adopts nor lists in adoption.leftovers; list ${strays.length === 1 ? "it" : "them"} there`,
      );
      continue;
    }
    blocks.push({ from, destroy: destroyed.length > 0, instances: members.map((member) => member.address) });
  }
  return { blocks, problems };
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

function resourcesOf(stack: Construct): TerraformResource[] {
  return stack.node.findAll().filter((node): node is TerraformResource => node instanceof TerraformResource);
}

/** Construct paths (below the stack) of every resource of the stack. */
export function resourcePaths(stack: Construct): string[] {
  return resourcesOf(stack).map((resource) => resource.node.path.split("/").slice(1).join("/"));
}

/** Terraform address of a resource in its stack. */
export function addressOf(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/** Every problem of a mapping against the stack it is applied to, each naming its entry. */
export function checkAdoption(stack: Construct, adoption: AdoptionConfig): string[] {
  return plan(stack, adoption).problems;
}

/** The blocks a mapping adds to a stack. */
export interface AdoptionBlocks {
  /** Instance address in the old state -> the stack's resource address. */
  readonly moved: { from: string; to: string }[];
  readonly imports: { to: string; id: string }[];
  /** By resource address (OpenTofu allows no instance key in `removed`). */
  readonly removed: RemovedBlock[];
}

/** The resource address (no instance key) of an instance address, undefined when it is not one. */
function resourceOf(address: string): string | undefined {
  const parsed = managedAddress(address);
  return typeof parsed === "string" ? undefined : configResourceAddress(parsed);
}

/** The checks and the blocks of a mapping, in one pass. */
function plan(stack: Construct, adoption: AdoptionConfig): { problems: string[]; blocks: AdoptionBlocks } {
  const problems: string[] = [];
  const blocks: AdoptionBlocks = { moved: [], imports: [], removed: [] };
  const stateAddresses = adoption.stateAddresses?.map((address) => canonicalAddress(address) ?? address);
  const known = stateAddresses ? new Set(stateAddresses) : undefined;
  const claimedBy = new Map<string, string>();
  const toRemove: RemovedInstance[] = [];
  const example = "like module.alb.aws_lb.sample_app or module.asg.aws_security_group_rule.sample_app_allow_ssh_inbound[0]";
  for (const [path, entry] of Object.entries(adoption.resources)) {
    const where = `adoption.resources["${path}"]`;
    const resource = findResource(stack, path);
    if (typeof resource === "string") {
      problems.push(`${where}: ${resource}`);
      continue;
    }
    const old = typeof entry.from === "string" ? managedAddress(entry.from) : "not a string";
    if (typeof old === "string") {
      problems.push(`${where}.from = ${JSON.stringify(entry.from)}: must be a managed resource instance address ${example} (${old})`);
      continue;
    }
    const from = canonicalAddress(entry.from)!;
    if (known && !known.has(from)) {
      problems.push(`${where}.from = ${JSON.stringify(entry.from)}: no such resource in the old state; ${suggestion(from, [...known], "addresses")}`);
    }
    const other = claimedBy.get(from);
    if (other !== undefined) {
      problems.push(`${where}.from = ${JSON.stringify(entry.from)}: already taken over by adoption.resources["${other}"]; one old object can become only one resource`);
    }
    claimedBy.set(from, path);
    const to = addressOf(resource);
    if (old.type !== resource.terraformResourceType && !entry.importId) {
      problems.push(
        `${where}: the old resource is a ${old.type}, this one a ${resource.terraformResourceType}; a moved block cannot change the type, so set importId to the object's id (for a security group rule its sgr-... id) to import it and forget the old address`,
      );
    } else if (old.type === resource.terraformResourceType && entry.importId) {
      problems.push(`${where}.importId: must not be set for a resource of the same type (${old.type}): it is moved, keeping its state`);
    } else if (old.type === resource.terraformResourceType) {
      blocks.moved.push({ from, to });
    } else {
      blocks.imports.push({ to, id: entry.importId! });
      toRemove.push({ address: from, destroy: false, why: `imported into ${where}` });
    }
  }
  for (const [address, action] of Object.entries(adoption.leftovers ?? {})) {
    const where = `adoption.leftovers["${address}"]`;
    const old = managedAddress(address);
    if (typeof old === "string") {
      problems.push(`${where}: must be a managed resource instance address ${example} (${old})`);
      continue;
    }
    const canonical = canonicalAddress(address)!;
    if (known && !known.has(canonical)) {
      problems.push(`${where}: no such resource in the old state; ${suggestion(canonical, [...known], "addresses")}`);
    }
    if (!LEFTOVER_ACTIONS.includes(action)) {
      problems.push(`${where} = ${JSON.stringify(action)}: must be "forget" (removed from state, kept in AWS) or "destroy"`);
      continue;
    }
    const taker = claimedBy.get(canonical);
    if (taker !== undefined) {
      problems.push(`${where}: is also taken over by adoption.resources["${taker}"]; list it in one place`);
      continue;
    }
    toRemove.push({ address: canonical, destroy: action === "destroy", why: `${where} = "${action}"` });
  }
  const removal = removedBlocks(toRemove, { stateAddresses, moved: new Set(blocks.moved.map((block) => block.from)) });
  problems.push(...removal.problems);
  // Every other address of the old state: without a moved, import or removed block, tofu plans to destroy it.
  if (stateAddresses !== undefined) {
    const accounted = new Set([...claimedBy.keys(), ...toRemove.map((instance) => canonicalAddress(instance.address))]);
    const removedResources = new Set(toRemove.map((instance) => resourceOf(instance.address)));
    const ownResources = new Set(stack.node.findAll().filter((node): node is TerraformResource => node instanceof TerraformResource).map(addressOf));
    const unaccounted = stateAddresses.filter((address) => {
      const resource = resourceOf(address);
      // A resource with a removed block: removedBlocks reports its unlisted instances.
      return !accounted.has(address) && resource !== undefined && !removedResources.has(resource) && !ownResources.has(resource);
    });
    if (unaccounted.length > 0) {
      problems.push(
        `adoption.stateAddresses: ${unaccounted.join(", ")} ${unaccounted.length === 1 ? "is" : "are"} in the old state but neither taken over in adoption.resources nor listed in adoption.leftovers, ` +
          `so tofu would destroy ${unaccounted.length === 1 ? "it" : "them"}; map ${unaccounted.length === 1 ? "it" : "each"} to a resource of the stack, or list ${unaccounted.length === 1 ? "it" : "them"} in adoption.leftovers as "forget" or "destroy"`,
      );
    }
  }
  blocks.removed.push(...removal.blocks);
  return { problems, blocks };
}

/** Blocks for a mapping that {@link checkAdoption} accepted. */
export function adoptionBlocks(stack: Construct, adoption: AdoptionConfig): AdoptionBlocks {
  return plan(stack, adoption).blocks;
}

/**
 * Checks the mapping against the stack and adds its blocks. `moved` goes through cdktf's
 * `moveFromId`; `import` and `removed` are stack overrides: cdktf has no API for
 * `removed`, and its `importFrom` runs a `terraform version` check at synth.
 * Call it after every resource of the stack exists.
 */
export function applyAdoption(stack: TerraformStack, adoption: AdoptionConfig): AdoptionBlocks {
  const { problems, blocks } = plan(stack, adoption);
  if (problems.length > 0) {
    throw new Error(`stack ${stack.node.id}: the adoption mapping is invalid:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
  const byAddress = new Map(resourcesOf(stack).map((resource) => [addressOf(resource), resource]));
  for (const { from, to } of blocks.moved) {
    byAddress.get(to)!.moveFromId(from);
  }
  if (blocks.imports.length > 0) {
    stack.addOverride("import", blocks.imports.map(({ to, id }) => ({ to, id })));
  }
  if (blocks.removed.length > 0) {
    stack.addOverride("removed", blocks.removed.map(({ from, destroy }) => ({ from, lifecycle: { destroy } })));
  }
  return blocks;
}
