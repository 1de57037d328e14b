/**
 * Which deployment of a state `npm run adopt` takes over, and whether the state can be
 * adopted by this environment at all (its region).
 *
 * A stack here runs one load balancer, one target group, one group and one launch template.
 * A state holding more (blue and green, one module instance per service, a second ALB) is not
 * guessed at: the objects are tied together by what references what (listener -> load
 * balancer, listener -> target group, group -> target group, group -> launch template); what
 * is still ambiguous is a refusal that lists the candidates and the flag that picks one.
 * What is not chosen is forgotten (removed from state, kept in AWS), never destroyed.
 */
import type { ParsedState, StateResource } from "./terraform-state";

/** The objects a user picked on the command line (state addresses, or a module path holding one). */
export interface DeploymentChoice {
  /** --load-balancer */
  readonly loadBalancer?: string;
  /** --target-group */
  readonly targetGroup?: string;
  /** --group */
  readonly group?: string;
}

export type DeploymentSelection =
  | {
      readonly ok: true;
      /** Addresses of objects of another deployment: not mapped, forgotten, each with the reason. */
      readonly notChosen: ReadonlyMap<string, string>;
      /** How an object was picked when the state held more than one (for the report). */
      readonly notes: string[];
    }
  | { readonly ok: false; readonly problems: string[] };

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const objects = (value: unknown): Record<string, unknown>[] =>
  list(value).filter((item): item is Record<string, unknown> => item !== null && typeof item === "object");

/** The ARN (or id) by which others reference an object. */
const arnOf = (resource: StateResource) => text(resource.values.arn) ?? text(resource.values.id);

/** Target groups a listener sends to (default actions: forward, or a weighted forward). */
function listenerTargets(listener: StateResource): string[] {
  return objects(listener.values.default_action).flatMap((action) => [
    ...(text(action.target_group_arn) ? [String(action.target_group_arn)] : []),
    ...objects(action.forward).flatMap((forward) => objects(forward.target_group).flatMap((group) => (text(group.arn) ? [String(group.arn)] : []))),
  ]);
}

/** Target group ARNs a group is attached to: its own argument or attachment resources. */
function groupTargets(group: StateResource, managed: StateResource[]): string[] {
  const name = text(group.values.name) ?? text(group.values.id);
  const attached = managed.flatMap((resource) => {
    if (resource.type === "aws_autoscaling_attachment" && text(resource.values.autoscaling_group_name) === name) {
      return text(resource.values.lb_target_group_arn) ? [String(resource.values.lb_target_group_arn)] : [];
    }
    if (resource.type === "aws_autoscaling_traffic_source_attachment" && text(resource.values.autoscaling_group_name) === name) {
      return objects(resource.values.traffic_source).flatMap((source) => (text(source.identifier) ? [String(source.identifier)] : []));
    }
    return [];
  });
  return [...list(group.values.target_group_arns).map(String), ...attached];
}

/** The launch template a group launches from (directly or inside its mixed instances policy). */
function groupLaunchTemplate(group: StateResource): { id?: string; name?: string } {
  const direct = objects(group.values.launch_template)[0];
  const mixed = objects(objects(objects(group.values.mixed_instances_policy)[0]?.launch_template)[0]?.launch_template_specification)[0];
  const spec = direct ?? (mixed ? { id: mixed.launch_template_id, name: mixed.launch_template_name } : undefined);
  return { id: text(spec?.id), name: text(spec?.name) };
}

function describe(resource: StateResource): string {
  const name = text(resource.values.name);
  const dns = text(resource.values.dns_name);
  return `${resource.address}${name ? ` (${name}${dns ? `, ${dns}` : ""})` : ""}`;
}

/** The region and partition of an ARN (empty region: a global service such as IAM). */
function arnRegion(value: unknown): { partition: string; region: string } | undefined {
  const match = /^arn:([a-z-]+):[a-z0-9-]+:([a-z0-9-]*):/.exec(String(value ?? ""));
  return match ? { partition: match[1], region: match[2] } : undefined;
}

/**
 * Refuses a state whose objects live in another region or partition than the environment: its
 * stack would plan them as new objects in its own region (and the old ones could never be
 * moved). The region is read from the objects' ARNs; IAM and other global ARNs carry none.
 */
export function checkStateRegion(state: ParsedState, environment: string, region: string, file: string): string[] {
  const partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  const elsewhere = new Map<string, string>();
  for (const resource of state.resources) {
    if (resource.mode !== "managed") continue;
    const where = arnRegion(resource.values.arn);
    if (!where) continue;
    // The first object found in each other place names it.
    const place = where.partition !== partition ? `partition ${where.partition}` : where.region !== "" && where.region !== region ? where.region : undefined;
    if (place !== undefined && !elsewhere.has(place)) elsewhere.set(place, resource.address);
  }
  return [...elsewhere].map(
    ([where, address]) =>
      `${file}: ${address} is in ${where}, but the environment ${environment} is in ${region} (${partition}): its stack would create new objects in ${region} instead of taking these over. Adopt the state into an environment of that region (region in config/environments.ts)`,
  );
}

/**
 * Picks the objects of one deployment in `state`: the user's choice, or the only candidate, or
 * the one the other chosen objects reference.
 */
export function chooseDeployment(state: ParsedState, choice: DeploymentChoice, file: string): DeploymentSelection {
  const managed = state.resources.filter((resource) => resource.mode === "managed");
  const ofType = (type: string) => managed.filter((resource) => resource.type === type);
  const problems: string[] = [];
  const notes: string[] = [];

  /** The candidate `value` names: the address itself, or the only candidate below a module path. */
  const resolve = (flag: string, value: string | undefined, candidates: StateResource[], what: string): StateResource | undefined => {
    if (value === undefined) return undefined;
    const exact = candidates.find((resource) => resource.address === value);
    if (exact) return exact;
    const below = candidates.filter((resource) => resource.address.startsWith(`${value}.`));
    if (below.length === 1) return below[0];
    const known = candidates.length === 0 ? `the state has no ${what}` : `the state's ${what}: ${candidates.map(describe).join("; ")}`;
    problems.push(
      below.length > 1
        ? `${flag} ${value}: holds ${below.length} ${what} (${below.map((r) => r.address).join(", ")}); give one address`
        : `${flag} ${value}: no ${what} at that address or below that module in ${file}; ${known}`,
    );
    return undefined;
  };

  /** The only candidate left after narrowing, or a refusal listing them with the flag to pick one. */
  const pick = (flag: string, candidates: StateResource[], narrowed: StateResource[] | undefined, what: string, by: string): StateResource | undefined => {
    if (candidates.length <= 1) return candidates[0];
    if (narrowed && narrowed.length === 1) {
      notes.push(`${narrowed[0].address}: the state has ${candidates.length} ${what}; this one is ${by}`);
      return narrowed[0];
    }
    const among = narrowed && narrowed.length > 1 ? narrowed : candidates;
    problems.push(
      `the state has ${candidates.length} ${what}${narrowed && narrowed.length > 1 ? ` (${narrowed.length} of them ${by})` : ""}; this stack takes over one. Say which with ${flag} ADDRESS (or a module path holding one), one of:\n${among.map((r) => `      ${describe(r)}`).join("\n")}`,
    );
    return undefined;
  };

  const loadBalancers = ofType("aws_lb");
  const targetGroups = ofType("aws_lb_target_group");
  const groups = ofType("aws_autoscaling_group");
  const templates = ofType("aws_launch_template");
  const listeners = ofType("aws_lb_listener");

  const chosenLoadBalancer = resolve("--load-balancer", choice.loadBalancer, loadBalancers, "load balancers (aws_lb)");
  const chosenTargetGroup = resolve("--target-group", choice.targetGroup, targetGroups, "target groups (aws_lb_target_group)");
  const chosenGroup = resolve("--group", choice.group, groups, "auto scaling groups (aws_autoscaling_group)");
  if (problems.length > 0) return { ok: false, problems };

  // The group first (it names its target groups), then the load balancer, then the target group.
  const tiedTargets = (group: StateResource | undefined) => new Set(group ? groupTargets(group, managed) : []);
  const listenersOf = (loadBalancer: StateResource) => listeners.filter((listener) => text(listener.values.load_balancer_arn) === arnOf(loadBalancer));

  let loadBalancer = chosenLoadBalancer;
  let group = chosenGroup;
  let targetGroup = chosenTargetGroup;
  if (!loadBalancer) {
    const targets = targetGroup ? new Set([arnOf(targetGroup)]) : tiedTargets(group);
    const narrowed = targets.size > 0 ? loadBalancers.filter((lb) => listenersOf(lb).some((listener) => listenerTargets(listener).some((arn) => targets.has(arn)))) : undefined;
    loadBalancer = pick("--load-balancer", loadBalancers, narrowed, "load balancers (aws_lb)", "the one whose listeners send to the chosen target group");
    // One question at a time: the answer usually settles the ones after it.
    if (problems.length > 0) return { ok: false, problems };
  }
  if (!targetGroup) {
    const sent = loadBalancer ? new Set(listenersOf(loadBalancer).flatMap(listenerTargets)) : new Set<string>();
    const sources = [sent, tiedTargets(group)].filter((set) => set.size > 0);
    const narrowed = sources.length > 0 ? targetGroups.filter((tg) => sources.every((set) => set.has(arnOf(tg) ?? ""))) : undefined;
    targetGroup = pick("--target-group", targetGroups, narrowed, "target groups (aws_lb_target_group)", "the one the chosen load balancer's listeners and group send to");
    // One question at a time: the answer usually settles the ones after it.
    if (problems.length > 0) return { ok: false, problems };
  }
  if (!group) {
    const narrowed = targetGroup ? groups.filter((candidate) => tiedTargets(candidate).has(arnOf(targetGroup!) ?? "")) : undefined;
    group = pick("--group", groups, narrowed, "auto scaling groups (aws_autoscaling_group)", "the one attached to the chosen target group");
    // One question at a time: the answer usually settles the ones after it.
    if (problems.length > 0) return { ok: false, problems };
  }
  let template: StateResource | undefined;
  if (templates.length > 1) {
    const spec = group ? groupLaunchTemplate(group) : {};
    const narrowed = group ? templates.filter((lt) => (spec.id !== undefined && lt.values.id === spec.id) || (spec.name !== undefined && lt.values.name === spec.name)) : undefined;
    template = pick("--group", templates, narrowed, "launch templates (aws_launch_template)", "the one the chosen group launches from");
  } else {
    template = templates[0];
  }
  if (problems.length > 0) return { ok: false, problems };

  // Everything of those types not chosen belongs to another deployment.
  const notChosen = new Map<string, string>();
  const leaveOut = (candidates: StateResource[], chosen: StateResource | undefined, what: string) => {
    if (candidates.length <= 1 || !chosen) return;
    for (const resource of candidates) {
      if (resource !== chosen) notChosen.set(resource.address, `not the chosen ${what} (${chosen.address})`);
    }
  };
  leaveOut(loadBalancers, loadBalancer, "load balancer");
  leaveOut(targetGroups, targetGroup, "target group");
  leaveOut(groups, group, "group");
  leaveOut(templates, template, "launch template");
  if (loadBalancers.length > 1 && loadBalancer) {
    for (const listener of listeners) {
      if (text(listener.values.load_balancer_arn) !== arnOf(loadBalancer)) notChosen.set(listener.address, `a listener of another load balancer than ${loadBalancer.address}`);
    }
  }
  return { ok: true, notChosen, notes };
}
