/**
 * Facts about a plan that rules need to judge one resource: which security groups the
 * instances and the load balancer use, which role the instances run as, which target groups
 * have instances registered, which alarms a rollout watches, what is new in this plan.
 *
 * Found through the configuration's references and the prior values, never through today's
 * addresses or names, so renamed constructs classify the same.
 */
import { ConfigResource, PlanJson, ResourceChange, changeKind, planStackTags } from "../plan";

interface ModuleConfig {
  readonly resources?: ConfigResource[];
  readonly module_calls?: Record<string, { readonly module?: ModuleConfig }>;
}

export interface PlanContext {
  readonly changes: readonly ResourceChange[];
  /** Configuration blocks by module-qualified address without instance key. */
  readonly config: ReadonlyMap<string, ConfigResource>;
  /** Module-qualified addresses (no instance key) of resources this plan creates or replaces. */
  readonly created: ReadonlySet<string>;
  readonly instanceSecurityGroups: { readonly addresses: ReadonlySet<string>; readonly ids: ReadonlySet<string> };
  readonly loadBalancerSecurityGroups: { readonly addresses: ReadonlySet<string>; readonly ids: ReadonlySet<string> };
  /** Every string id (sg-, subnet-, arn, …) that appears in some resource's values, with the addresses holding it. */
  readonly valueHolders: ReadonlyMap<string, ReadonlySet<string>>;
  /** Instance roles: the roles of instance profiles the launch templates use (addresses and names). */
  readonly instanceRoles: { readonly addresses: ReadonlySet<string>; readonly names: ReadonlySet<string> };
  /** Roles flow logs deliver with (addresses and ARNs). */
  readonly flowLogRoles: { readonly addresses: ReadonlySet<string>; readonly arns: ReadonlySet<string> };
  /** Target group ARNs with instances registered after this plan (groups, attachments). */
  readonly registeredTargetGroups: ReadonlySet<string>;
  /** Alarm names a group's instance refresh watches, after this plan. */
  readonly rolloutAlarms: ReadonlySet<string>;
  /** Buckets load balancers write access logs to (before and after). */
  readonly accessLogBuckets: ReadonlySet<string>;
  /** Groups whose update starts an instance refresh (addresses), filled by classify.ts. */
  readonly refreshingGroups: Set<string>;
  /** The plan is of the state bootstrap (provider default tag Component = state): its bucket holds every environment's state. */
  readonly stateBootstrap: boolean;
  /**
   * The environment is marked production (config `production: true`), as the caller knows it;
   * undefined when it does not (a plan alone does not say), which rules treat as production.
   */
  readonly production?: boolean;
}

/** `module.a.aws_x.y[0]` -> `module.a.aws_x.y`. */
export function configAddress(rc: ResourceChange): string {
  // From the address itself (instance keys dropped), which is what references name.
  return withoutKeys(rc.address);
}

/** `module.a["x"].aws_b.c[0]` -> `module.a.aws_b.c`. */
export function withoutKeys(address: string): string {
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|\d+)\]/g, "");
}

function modulePrefix(rc: ResourceChange): string {
  return rc.module_address ? `${withoutKeys(rc.module_address)}.` : "";
}

function collectConfig(module: ModuleConfig | undefined, prefix: string, into: Map<string, ConfigResource>): void {
  for (const resource of module?.resources ?? []) {
    // `address` is relative to the module in the configuration section.
    if (resource.mode === "managed") into.set(`${prefix}${resource.address ?? `${resource.type}.${resource.name}`}`, resource);
  }
  for (const [name, call] of Object.entries(module?.module_calls ?? {})) {
    collectConfig(call.module, `${prefix}module.${name}.`, into);
  }
}

/** Resource addresses (module-qualified, no attribute) referenced anywhere in an expressions tree. */
export function referencesIn(expressions: unknown, modulePrefix = ""): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "references" && Array.isArray(value)) {
          for (const ref of value) {
            const match = typeof ref === "string" ? /^((?:module\.[^.]+\.)*)(aws_[a-z0-9_]+)\.([^.[]+)/.exec(ref) : null;
            if (match) found.add(`${modulePrefix}${match[1]}${match[2]}.${match[3]}`);
          }
        } else visit(value);
      }
    }
  };
  visit(expressions);
  return [...found];
}

/** The resource addresses one attribute of a resource's configuration refers to. */
export function attributeReferences(plan: PlanContext, rc: ResourceChange, attribute: string): string[] {
  const resource = plan.config.get(configAddress(rc));
  return referencesIn(resource?.expressions?.[attribute], modulePrefix(rc));
}

/**
 * Is what this resource attaches to new in this plan (so nothing running depends on the
 * attachment yet)? True when one of `attributes` is unknown until apply or refers to a
 * resource this plan creates or replaces.
 */
export function attachesToNew(plan: PlanContext, rc: ResourceChange, attributes: readonly string[]): boolean {
  const unknown = rc.change.after_unknown ?? {};
  return attributes.some(
    (attribute) => unknown[attribute] === true || attributeReferences(plan, rc, attribute).some((address) => plan.created.has(address)),
  );
}

const ID_PATTERN = /^(sg|subnet|rtb|igw|nat|eipalloc|lt|vpc|eni)-[0-9a-f]{8,17}$|^arn:aws[a-z-]*:/;

function collectIds(value: unknown, into: Set<string>): void {
  if (typeof value === "string") {
    if (ID_PATTERN.test(value)) into.add(value);
  } else if (Array.isArray(value)) value.forEach((v) => collectIds(v, into));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => collectIds(v, into));
}

const LAUNCH_TEMPLATES = new Set(["aws_launch_template"]);
const LOAD_BALANCERS = new Set(["aws_lb", "aws_alb"]);
const GROUPS = new Set(["aws_autoscaling_group"]);

function stringsAt(value: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") Object.values(v).forEach(visit);
  };
  visit(value);
  return out;
}

export function planContext(plan: PlanJson, production?: boolean): PlanContext {
  const changes = (plan.resource_changes ?? []).filter((rc) => rc.mode === "managed");
  const config = new Map<string, ConfigResource>();
  collectConfig(plan.configuration?.root_module as ModuleConfig | undefined, "", config);
  const created = new Set<string>();
  for (const rc of changes) {
    const kind = changeKind(rc.change.actions);
    if (kind === "create" || kind === "replace") created.add(configAddress(rc));
  }
  const refs = (rc: ResourceChange, attribute: string): string[] =>
    referencesIn(config.get(configAddress(rc))?.expressions?.[attribute], modulePrefix(rc));

  const instanceSg = { addresses: new Set<string>(), ids: new Set<string>() };
  const lbSg = { addresses: new Set<string>(), ids: new Set<string>() };
  const instanceRoles = { addresses: new Set<string>(), names: new Set<string>() };
  const flowLogRoles = { addresses: new Set<string>(), arns: new Set<string>() };
  const registered = new Set<string>();
  const alarms = new Set<string>();
  const accessLogBuckets = new Set<string>();
  const valueHolders = new Map<string, Set<string>>();
  const profiles = new Set<string>();
  const profileNames = new Set<string>();

  for (const rc of changes) {
    const before = rc.change.before ?? {};
    const after = rc.change.after ?? {};
    const ids = new Set<string>();
    collectIds(before, ids);
    collectIds(after, ids);
    ids.delete(String(before.id ?? ""));
    ids.delete(String(before.arn ?? ""));
    for (const id of ids) valueHolders.set(id, new Set([...(valueHolders.get(id) ?? []), rc.address]));

    if (LAUNCH_TEMPLATES.has(rc.type)) {
      for (const address of [...refs(rc, "vpc_security_group_ids"), ...refs(rc, "network_interfaces")]) instanceSg.addresses.add(address);
      stringsAt([before.vpc_security_group_ids, before.network_interfaces, after.vpc_security_group_ids, after.network_interfaces])
        .filter((s) => s.startsWith("sg-"))
        .forEach((id) => instanceSg.ids.add(id));
      refs(rc, "iam_instance_profile").forEach((address) => profiles.add(address));
      for (const p of [before.iam_instance_profile, after.iam_instance_profile]) {
        const name = (p as Array<{ name?: string; arn?: string }> | undefined)?.[0];
        if (name?.name) profileNames.add(name.name);
        if (name?.arn) profileNames.add(name.arn.split("/").pop()!);
      }
    } else if (LOAD_BALANCERS.has(rc.type)) {
      refs(rc, "security_groups").forEach((address) => lbSg.addresses.add(address));
      stringsAt([before.security_groups, after.security_groups]).forEach((id) => lbSg.ids.add(id));
      for (const v of [before.access_logs, after.access_logs]) {
        const bucket = (v as Array<{ bucket?: string }> | undefined)?.[0]?.bucket;
        if (bucket) accessLogBuckets.add(bucket);
      }
    } else if (GROUPS.has(rc.type)) {
      stringsAt(after.target_group_arns).forEach((arn) => registered.add(arn));
      for (const source of (after.traffic_source as Array<{ identifier?: string }> | undefined) ?? []) {
        if (source.identifier) registered.add(source.identifier);
      }
      const preferences = (after.instance_refresh as Array<{ preferences?: Array<{ alarm_specification?: Array<{ alarms?: string[] }> }> }> | undefined)?.[0]?.preferences?.[0];
      stringsAt(preferences?.alarm_specification?.[0]?.alarms).forEach((name) => alarms.add(name));
    } else if (rc.type === "aws_autoscaling_attachment") {
      for (const key of ["lb_target_group_arn", "alb_target_group_arn"]) if (typeof after[key] === "string") registered.add(after[key] as string);
    } else if (rc.type === "aws_lb_target_group_attachment" || rc.type === "aws_alb_target_group_attachment") {
      if (typeof after.target_group_arn === "string") registered.add(after.target_group_arn);
    } else if (rc.type === "aws_flow_log") {
      refs(rc, "iam_role_arn").forEach((address) => flowLogRoles.addresses.add(address));
      stringsAt([before.iam_role_arn, after.iam_role_arn]).forEach((arn) => flowLogRoles.arns.add(arn));
    }
  }
  // A group that keeps its registrations in state but is not in the plan's changes still
  // counts: no-op changes are in resource_changes too, so `changes` covers every group.
  for (const rc of changes) {
    if (rc.type !== "aws_iam_instance_profile") continue;
    const name = String(rc.change.before?.name ?? rc.change.after?.name ?? "");
    if (profiles.has(configAddress(rc)) || (name && profileNames.has(name))) {
      refs(rc, "role").forEach((address) => instanceRoles.addresses.add(address));
      stringsAt([rc.change.before?.role, rc.change.after?.role]).forEach((role) => instanceRoles.names.add(role));
    }
  }
  return {
    changes,
    config,
    created,
    instanceSecurityGroups: instanceSg,
    loadBalancerSecurityGroups: lbSg,
    valueHolders,
    instanceRoles,
    flowLogRoles,
    registeredTargetGroups: registered,
    rolloutAlarms: alarms,
    accessLogBuckets,
    refreshingGroups: new Set(),
    stateBootstrap: planStackTags(plan).component === "state",
    production,
  };
}
