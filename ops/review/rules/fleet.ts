/**
 * Rules for the instances: the Auto Scaling group, its launch template, its scaling
 * policies, and the identity the instances run as (role, instance profile, policies).
 */
import { ResourceChange } from "../plan";
import { AttributeChange, Outcome, RuleInput, TypeRule, asNumber, benign, block, disruptive, humanList, removed, added, review, rolling, show, CREATED } from "./rule";
import { PlanContext, attachesToNew, configAddress, attributeReferences } from "./plan-context";

/** Group attributes whose change makes an instance refresh start (besides instance_refresh.triggers). */
export const REFRESH_ATTRIBUTES = ["launch_template", "mixed_instances_policy", "launch_configuration"];

/** Does this group update start an instance refresh? */
export function groupRefreshes(rc: ResourceChange, changed: readonly string[]): boolean {
  const refresh = block(rc.change.after?.instance_refresh) as { triggers?: string[] };
  if (!Object.keys(refresh).length) return false;
  const triggers = [...REFRESH_ATTRIBUTES, ...(refresh.triggers ?? [])];
  return changed.some((attribute) => triggers.includes(attribute));
}

function preferences(value: unknown): Record<string, unknown> {
  return block(block(value).preferences);
}

function alarmsOf(value: unknown): string[] {
  const names = (block(preferences(value).alarm_specification).alarms as unknown[] | undefined) ?? [];
  return names.filter((n): n is string => typeof n === "string");
}

function instanceRefresh(change: AttributeChange): Outcome {
  if (!Object.keys(block(change.after)).length) {
    return review("instance_refresh removed: launch template changes no longer roll out; running instances keep the old template until something replaces them");
  }
  if (!Object.keys(block(change.before)).length) return benign("instance refresh on: launch template changes roll out in batches from now on");
  const before = preferences(change.before);
  const after = preferences(change.after);
  const notes: Outcome[] = [];
  if (before.auto_rollback === true && after.auto_rollback !== true) notes.push(review("auto rollback off: a failed rollout is no longer rolled back, the group stays half on the new template"));
  const lostAlarms = alarmsOf(change.before).filter((a) => !alarmsOf(change.after).includes(a));
  if (lostAlarms.length && !change.unknown) notes.push(review(`the rollout no longer watches ${humanList(lostAlarms)}: a rollout that breaks what they measure is not stopped`));
  const minBefore = asNumber(before.min_healthy_percentage) ?? 90;
  const minAfter = asNumber(after.min_healthy_percentage) ?? 90;
  if (minAfter === 0 && minBefore !== 0) notes.push(disruptive("min healthy 0 %: the next rollout may take every instance out of service at once"));
  else if (minAfter < minBefore) notes.push(review(`min healthy ${minBefore} % → ${minAfter} %: rollouts run with fewer instances in service`));
  if (block(change.before).strategy !== block(change.after).strategy) notes.push(review(`refresh strategy ${show(block(change.before).strategy)} → ${show(block(change.after).strategy)}`));
  return notes.length ? worst(notes) : benign("instance refresh settings (batch size, warmup, checkpoints)");
}

function worst(outcomes: Outcome[]): Outcome {
  const rank = { benign: 0, "rolling-update": 1, "needs-review": 2, disruptive: 3 } as const;
  const top = Math.max(...outcomes.map((o) => rank[o.class]));
  const chosen = outcomes.filter((o) => rank[o.class] === top);
  return { class: chosen[0].class, impact: chosen.map((o) => o.impact).join("; ") };
}

function capacity(name: "desired_capacity" | "min_size" | "max_size"): (c: AttributeChange, input: RuleInput) => Outcome {
  return (c, { rc }) => {
    const before = asNumber(c.before);
    const after = asNumber(c.after);
    const inService = asNumber(rc.change.before?.desired_capacity);
    if (c.unknown) return review(`${name} becomes a value known after apply`);
    if (after === 0 && (name !== "min_size" || (before ?? 0) > 0)) {
      return name === "min_size"
        ? disruptive("the group's minimum drops to 0: scale-in can take the service down to no instances")
        : disruptive(`the group will scale to 0 instances (${name} 0): the service stops`);
    }
    if (name === "max_size" && after !== undefined && inService !== undefined && after < inService) {
      return disruptive(`max_size ${after} is below the ${inService} instances in service: the group terminates ${inService - after} of them now`);
    }
    if (name === "desired_capacity" && after !== undefined && before !== undefined && after < before) {
      return review(`the group scales in from ${before} to ${after} instances now`);
    }
    if (name === "min_size" && after !== undefined && before !== undefined && after < before) {
      return review(`the group's floor drops from ${before} to ${after} instance${after === 1 ? "" : "s"}: scale-in may leave ${after === 1 ? "a single instance (no redundancy across zones)" : `${after} instances`}`);
    }
    if (after === undefined && c.after !== undefined && c.after !== null) return review(`${name} ${show(c.after)} is not a number this review understands`);
    return benign(`${name} ${show(c.before)} → ${show(c.after)}`);
  };
}

function registrations(what: string): (c: AttributeChange) => Outcome {
  return (c) => {
    const key = (v: unknown): string => (typeof v === "string" ? v : String((v as { identifier?: string }).identifier ?? JSON.stringify(v)));
    const gone = removed<unknown>(c.before, c.after).map(key);
    const extra = added<unknown>(c.before, c.after).map(key);
    if (gone.length) {
      return disruptive(`the group's instances are deregistered from ${humanList(gone)} (${what}): the load balancer has no instances to send those requests to (503s)`);
    }
    return benign(`the group's instances also register in ${humanList(extra) || "a target known after apply"}`);
  };
}

const SUSPENDED_MEANING: Record<string, string> = {
  Launch: "no instance is launched (no scale-out, no replacement)",
  Terminate: "no instance is terminated",
  HealthCheck: "unhealthy instances are not marked unhealthy",
  ReplaceUnhealthy: "unhealthy instances stay in service",
  AZRebalance: "zones are not rebalanced",
  AlarmNotification: "scaling alarms are ignored",
  ScheduledActions: "scheduled actions do not run",
  AddToLoadBalancer: "new instances are not registered with the load balancer",
  InstanceRefresh: "instance refreshes do not run",
};

/** How a group's capacity is bought: On-Demand base and On-Demand share above it (100: no Spot). */
export interface PurchaseMix {
  readonly mixed: boolean;
  /** undefined: known only after apply. */
  readonly base: number | undefined;
  readonly onDemandPercentage: number | undefined;
  readonly spotAllocationStrategy?: string;
  readonly instanceTypes: string[];
}

/** The purchase mix of a group's values (a plan's before or after); no mixed_instances_policy is all On-Demand. */
export function purchaseMix(values: Record<string, unknown> | null | undefined, unknown?: unknown): PurchaseMix {
  const policy = block(values?.mixed_instances_policy);
  const unknownPolicy = unknown === true || block(unknown as unknown[]).instances_distribution === true;
  if (!Object.keys(policy).length) {
    return unknownPolicy ? { mixed: true, base: undefined, onDemandPercentage: undefined, instanceTypes: [] } : { mixed: false, base: 0, onDemandPercentage: 100, instanceTypes: [] };
  }
  const distribution = block(policy.instances_distribution);
  const unknownDistribution = block(block(unknown as unknown[]).instances_distribution as unknown[]);
  const known = (key: string, fallback: number) => (unknownPolicy || unknownDistribution[key] === true ? undefined : asNumber(distribution[key]) ?? fallback);
  const overrides = (block(policy.launch_template).override as Array<{ instance_type?: unknown }> | undefined) ?? [];
  return {
    mixed: true,
    // AWS's defaults for a policy without them: base 0, 100 % On-Demand above it.
    base: known("on_demand_base_capacity", 0),
    onDemandPercentage: known("on_demand_percentage_above_base_capacity", 100),
    spotAllocationStrategy: typeof distribution.spot_allocation_strategy === "string" ? distribution.spot_allocation_strategy : undefined,
    instanceTypes: overrides.map((o) => o.instance_type).filter((t): t is string => typeof t === "string"),
  };
}

/** Whether a group with this mix runs (or may run) part of its capacity above the base on Spot. */
export function runsSpot(mix: PurchaseMix): boolean {
  return mix.onDemandPercentage === undefined || mix.onDemandPercentage < 100;
}

function describeMix(mix: PurchaseMix): string {
  if (!mix.mixed || (mix.onDemandPercentage === 100 && mix.base !== undefined)) return "all On-Demand";
  const percentage = mix.onDemandPercentage === undefined ? "a share known after apply" : `${100 - mix.onDemandPercentage} %`;
  return `${percentage} on Spot above an On-Demand base of ${mix.base ?? "(known after apply)"}`;
}

/**
 * More Spot, less On-Demand: the On-Demand share above the base drops, or the base drops while
 * part of the capacity above it is Spot. A value known only after apply may be either: counted.
 */
function moreSpot(before: PurchaseMix, after: PurchaseMix): boolean {
  if (!runsSpot(after)) return false;
  if (after.onDemandPercentage === undefined || after.base === undefined) return true;
  if (!runsSpot(before)) return true;
  return after.onDemandPercentage < before.onDemandPercentage! || after.base < (before.base ?? 0);
}

/**
 * What a group update does to its Spot share. More Spot needs approval in production (and when
 * the caller does not say whether the environment is production); elsewhere it is stated.
 */
export function spotOutcomes(rc: ResourceChange, plan: PlanContext): Outcome[] {
  const before = purchaseMix(rc.change.before);
  const after = purchaseMix(rc.change.after, rc.change.after_unknown?.mixed_instances_policy);
  if (!moreSpot(before, after)) {
    return before.mixed && !after.mixed ? [benign("the group leaves its mixed instances policy: all On-Demand, one instance type")] : [];
  }
  const change = `${describeMix(before)} → ${describeMix(after)} (strategy ${after.spotAllocationStrategy ?? "AWS's default"})`;
  const risk = "Spot instances are reclaimed at two minutes' notice, and the refresh launches the new mix";
  if (plan.production === false) return [rolling(`more of the fleet runs on Spot: ${change}; ${risk}`)];
  const where = plan.production ? "the production fleet" : "the fleet (whether this environment is production is not known to this review)";
  return [review(`more of ${where} runs on Spot: ${change}; ${risk}. Approve the Spot share explicitly`)];
}

/** Production, or not known to be anything else: the review fails closed. */
function inProduction(plan: PlanContext): string | undefined {
  if (plan.production === false) return undefined;
  return plan.production ? "in production" : "(whether this environment is production is not known to this review)";
}

/**
 * The group's instance maintenance policy: how far replacements outside a refresh (health
 * checks, rebalancing) may take the fleet below desired. The stack sets it from the refresh's
 * percentages. Lowering min healthy, or removing the policy, lets them go lower: not benign in
 * production (or when production is not known).
 */
function maintenancePolicy(change: AttributeChange, { plan }: RuleInput): Outcome {
  const before = block(change.before);
  const after = block(change.after);
  const where = inProduction(plan);
  if (change.unknown) return review("the maintenance policy becomes values known after apply");
  if (!Object.keys(after).length) {
    const text = "the instance maintenance policy is removed: health replacements follow AWS's default and may take instances out before their replacements are ready";
    return where ? review(`${text} ${where}`) : benign(text);
  }
  const minBefore = Object.keys(before).length ? asNumber(before.min_healthy_percentage) : undefined;
  const minAfter = asNumber(after.min_healthy_percentage);
  const maxAfter = asNumber(after.max_healthy_percentage);
  if (minAfter === undefined || maxAfter === undefined) return review(`maintenance policy ${show(change.after)} is not numbers this review understands`);
  if (minAfter === 0) return (where ? disruptive : review)(`maintenance policy min healthy 0 %: health replacements may take every instance out of service at once${where ? ` ${where}` : ""}`);
  if (minBefore !== undefined && minAfter < minBefore) {
    const text = `maintenance policy min healthy ${minBefore} % → ${minAfter} %: health replacements may run with fewer instances in service`;
    return where ? review(`${text} ${where}`) : benign(text);
  }
  return benign(`maintenance policy ${minAfter} % / ${maxAfter} % healthy: replacements outside a refresh keep the refresh's bounds`);
}

/** The warm pool: instances booted ahead of need beside the group. */
function warmPool(change: AttributeChange): Outcome {
  const before = block(change.before);
  const after = block(change.after);
  if (change.unknown) return review("the warm pool becomes values known after apply");
  if (!Object.keys(after).length) return review("the warm pool is deleted with its instances: scale-outs boot new instances from scratch again");
  const describe = (pool: Record<string, unknown>) =>
    `${show(pool.pool_state ?? "Stopped")}, min ${show(pool.min_size ?? 0)}, max prepared ${asNumber(pool.max_group_prepared_capacity) === -1 || pool.max_group_prepared_capacity === undefined ? "the group's max" : show(pool.max_group_prepared_capacity)}, reuse on scale-in ${show(block(pool.instance_reuse_policy).reuse_on_scale_in ?? false)}`;
  if (!Object.keys(before).length) return benign(`a warm pool (${describe(after)}): instances are launched and booted ahead of need; its volumes (and Running instances) are billed`);
  if ((before.pool_state ?? "Stopped") !== (after.pool_state ?? "Stopped")) {
    return review(`warm pool state ${show(before.pool_state)} → ${show(after.pool_state)}: instances already in the pool keep their state until replaced; Running is billed as running instances, Hibernated needs an instance type and template that hibernate`);
  }
  return benign(`warm pool ${describe(before)} → ${describe(after)}`);
}

export const autoScalingGroup: TypeRule = {
  role: "auto scaling group",
  replace: () => disruptive("every instance is terminated and a new group launched: no rolling refresh, capacity drops to what the new group has healthy"),
  delete: () => disruptive("every instance is terminated"),
  updateAll: ({ rc, plan }, changed) => {
    const names = changed.map((c) => c.name);
    const template = names.filter((n) => REFRESH_ATTRIBUTES.includes(n));
    if (!template.length) return { outcomes: [], handled: [] };
    if (!plan.refreshingGroups.has(rc.address)) {
      return {
        outcomes: [review("the launch template changes but the group has no instance_refresh: running instances keep the old one, new ones (scaling, replacements) get the new one"), ...spotOutcomes(rc, plan)],
        handled: template,
      };
    }
    const minHealthy = asNumber(preferences(rc.change.after?.instance_refresh).min_healthy_percentage) ?? 90;
    if (minHealthy === 0) {
      return { outcomes: [disruptive("instance refresh with min healthy 0 %: it may take every instance out of service at once (an outage for the length of one batch)"), ...spotOutcomes(rc, plan)], handled: template };
    }
    return {
      outcomes: [rolling("the group moves to the new launch template: instance refresh replaces the running instances in batches behind the ALB"), ...spotOutcomes(rc, plan)],
      handled: template,
    };
  },
  update: {
    instance_refresh: instanceRefresh,
    desired_capacity: capacity("desired_capacity"),
    min_size: capacity("min_size"),
    max_size: capacity("max_size"),
    target_group_arns: registrations("target_group_arns"),
    traffic_source: registrations("traffic_source"),
    load_balancers: registrations("load_balancers"),
    health_check_type: (c) => {
      if (c.after === "ELB") return benign("health check type ELB: instances failing the load balancer's health check are replaced");
      if (c.after === "EC2") return review("health check type EC2: instances failing the load balancer's health check are no longer replaced");
      // Fail closed: another type (VPC_LATTICE, EBS, a value known after apply) is not judged here.
      return review(`health check type ${show(c.after)}: not ELB, so whether instances failing the load balancer's health check are replaced is not known to this review`);
    },
    health_check_grace_period: "benign",
    default_instance_warmup: "benign",
    default_cooldown: "benign",
    vpc_zone_identifier: (c) =>
      review(`the group's subnets change (${humanList(removed<string>(c.before, c.after)) || "none"} out, ${humanList(added<string>(c.before, c.after)) || "none"} in): instances in subnets it leaves are terminated and relaunched elsewhere`),
    availability_zones: (c) => review(`the group's zones change (${show(c.before)} → ${show(c.after)}): instances in zones it leaves are terminated and relaunched elsewhere`),
    suspended_processes: (c) => {
      const now = added<string>(c.before, c.after);
      return now.length ? review(`suspended: ${now.map((p) => `${p} (${SUSPENDED_MEANING[p] ?? "see AWS docs"})`).join(", ")}`) : benign(`resumed: ${humanList(removed<string>(c.before, c.after))}`);
    },
    max_instance_lifetime: (c) => (Number(c.after) > 0 ? review(`instances older than ${show(c.after)} s are replaced continually`) : benign("no maximum instance lifetime")),
    protect_from_scale_in: (c) => (c.after === true ? review("new instances are protected from scale-in: the group may not shrink, and instance refresh skips them unless told otherwise") : benign("instances no longer protected from scale-in")),
    instance_maintenance_policy: maintenancePolicy,
    warm_pool: warmPool,
    // Forces a replacement (judged by `replace`); an in-place change is not expected.
    initial_lifecycle_hook: () => review("the group's initial lifecycle hooks change in place, which the provider does not do (it replaces the group): check the plan"),
    termination_policies: "benign",
    enabled_metrics: "benign",
    metrics_granularity: "benign",
    tag: "benign",
    wait_for_capacity_timeout: "benign",
    wait_for_elb_capacity: "benign",
    min_elb_capacity: "benign",
    force_delete: "benign",
    force_delete_warm_pool: "benign",
    capacity_rebalance: "benign",
    ignore_failed_scaling_activities: "benign",
    desired_capacity_type: "benign",
    predicted_capacity: "benign",
    warm_pool_size: "benign",
    availability_zone_distribution: "benign",
  },
};

/** Launch template attributes whose change only affects instances launched from the new version. */
const TEMPLATE_ROLLED = [
  "image_id",
  "instance_type",
  "user_data",
  "key_name",
  "block_device_mappings",
  "monitoring",
  "ebs_optimized",
  "credit_specification",
  "cpu_options",
  "tag_specifications",
  "placement",
  "private_dns_name_options",
  "maintenance_options",
  "instance_initiated_shutdown_behavior",
  "disable_api_stop",
  "disable_api_termination",
  "enclave_options",
  "hibernation_options",
  "instance_requirements",
  "capacity_reservation_specification",
  "kernel_id",
  "ram_disk_id",
  "license_specification",
  "network_performance_options",
];

/** The groups (changes) whose values mention this template's id or name, before and after. */
function templateUsers(rc: ResourceChange, plan: PlanContext): { before: ResourceChange[]; after: ResourceChange[] } {
  const id = String(rc.change.before?.id ?? "");
  const name = String(rc.change.before?.name ?? "");
  const mentions = (values: unknown): boolean => {
    const text = JSON.stringify(values ?? null);
    return (id !== "" && text.includes(`"${id}"`)) || (name !== "" && text.includes(`"${name}"`));
  };
  const groups = plan.changes.filter((c) => c.type === "aws_autoscaling_group");
  const viaConfig = (g: ResourceChange): boolean => attributeReferences(plan, g, "launch_template").includes(configAddress(rc)) || attributeReferences(plan, g, "mixed_instances_policy").includes(configAddress(rc));
  return {
    before: groups.filter((g) => mentions(g.change.before)),
    after: groups.filter((g) => g.change.after && (mentions(g.change.after) || viaConfig(g))),
  };
}

function templateRolledOut(rc: ResourceChange, plan: PlanContext): boolean {
  const users = templateUsers(rc, plan);
  const groups = [...users.after, ...users.before];
  return groups.length > 0 && groups.every((g) => plan.refreshingGroups.has(g.address));
}

export const launchTemplate: TypeRule = {
  role: "launch template",
  create: () => benign("a new launch template; nothing runs from it until a group uses it"),
  replace: ({ rc, plan }) =>
    templateRolledOut(rc, plan)
      ? rolling("a new template for the instances; the group's instance refresh rolls it out")
      : review("the template is replaced but no group in this plan refreshes onto it: check which group uses it"),
  delete: ({ rc, plan }) => {
    const users = templateUsers(rc, plan);
    if (users.after.length) return disruptive(`${humanList(users.after.map((g) => g.address))} still launches from it: no instance can be launched once it is gone`);
    if (users.before.length) {
      return users.before.every((g) => plan.refreshingGroups.has(g.address))
        ? benign("the group moves to another template by instance refresh; this one is deleted once nothing uses it")
        : review("the group that used it moves to another template without an instance refresh");
    }
    return benign("no group in this plan launches from it");
  },
  updateAll: ({ rc, plan }, changed) => {
    const rolled = changed.filter((c) => TEMPLATE_ROLLED.includes(c.name)).map((c) => c.name);
    if (!rolled.length) return { outcomes: [], handled: [] };
    return {
      outcomes: [
        templateRolledOut(rc, plan)
          ? rolling(`a new template version for the instances (${humanList(rolled)}); the group's instance refresh rolls it out`)
          : review(`a new template version (${humanList(rolled)}) that no group in this plan refreshes onto: instances launched later differ from the running ones`),
      ],
      handled: rolled,
    };
  },
  update: {
    latest_version: "benign",
    default_version: "benign",
    update_default_version: "benign",
    description: "benign",
    vpc_security_group_ids: (c, { rc, plan }) => {
      const refs = attributeReferences(plan, rc, "vpc_security_group_ids");
      // The same groups in configuration, re-created in this apply: the replacement is judged on its own line.
      if (c.unknown && refs.length > 0 && refs.every((address) => plan.created.has(address)) && templateRolledOut(rc, plan)) {
        return rolling("new instances get the re-created security group (its replacement is judged on its own line); the group's instance refresh rolls it out");
      }
      return review(`new instances get security groups ${c.unknown ? "created in this apply" : show(c.after)} instead of ${show(c.before)}: the load balancer reaches them only if the new groups allow it on the app port`);
    },
    security_group_names: (c) => review(`new instances get security groups ${show(c.after)} instead of ${show(c.before)}`),
    network_interfaces: () => review("new instances get other network interface settings (security groups, public IP): check the load balancer still reaches them and they are not exposed"),
    iam_instance_profile: (c) => review(`new instances run with another instance profile (${show(block(c.after).name ?? block(c.after).arn)}): check its permissions`),
    metadata_options: (c) =>
      block(c.before).http_tokens === "required" && block(c.after).http_tokens !== "required"
        ? review("IMDSv1 allowed again on new instances (http_tokens not required)")
        : benign("instance metadata options"),
    instance_market_options: (c) => review(`new instances' market options change (${show(c.after)}): Spot instances can be reclaimed at two minutes' notice`),
  },
};

/** "the production group", or what the review says when it does not know whether this is production. */
function productionWords(plan: PlanContext, what: string): string {
  return plan.production ? `the production ${what}` : `the ${what} (whether this environment is production is not known to this review)`;
}

interface TrackedMetric {
  readonly type: string;
  readonly label: string;
  readonly customized: boolean;
}

function trackedMetric(value: unknown): TrackedMetric {
  const config = block(value);
  const predefined = block(config.predefined_metric_specification);
  const customized = Array.isArray(config.customized_metric_specification) && config.customized_metric_specification.length > 0;
  return { type: String(predefined.predefined_metric_type ?? ""), label: String(predefined.resource_label ?? ""), customized };
}

/**
 * A target tracking change: another metric, or another load balancer / target group to count
 * requests on (resource_label), needs a person; scale-in switched off needs one in production;
 * a new target value is stated.
 */
function targetTracking(change: AttributeChange, { plan }: RuleInput): Outcome {
  if (change.unknown) return review("the tracked metric or target becomes a value known after apply");
  const before = block(change.before);
  const after = block(change.after);
  if (!Object.keys(after).length) return review("target tracking removed from the policy: the group no longer follows its metric");
  const metricBefore = trackedMetric(change.before);
  const metricAfter = trackedMetric(change.after);
  const notes: Outcome[] = [];
  if (metricBefore.customized || metricAfter.customized) {
    if (JSON.stringify(before.customized_metric_specification) !== JSON.stringify(after.customized_metric_specification)) {
      notes.push(review("the policy tracks a customized metric that changes: read the metric diff"));
    }
  }
  if (metricBefore.type !== metricAfter.type) {
    notes.push(review(`the policy tracks another metric: ${show(metricBefore.type)} → ${show(metricAfter.type)}`));
  } else if (metricBefore.label !== metricAfter.label) {
    notes.push(review(`the policy counts requests of another load balancer / target group: ${show(metricBefore.label)} → ${show(metricAfter.label)}`));
  }
  if (before.disable_scale_in !== true && after.disable_scale_in === true) {
    notes.push(plan.production === false ? benign("scale-in off: the group only grows on this policy") : review(`scale-in off on ${productionWords(plan, "group")}: the group only grows on this policy and stays large (and costly) after a peak`));
  }
  const targetBefore = asNumber(before.target_value);
  const targetAfter = asNumber(after.target_value);
  if (targetBefore !== targetAfter) {
    const direction = targetBefore !== undefined && targetAfter !== undefined ? (targetAfter > targetBefore ? "fewer instances for the same load" : "more instances for the same load") : "a different size for the same load";
    notes.push(benign(`target ${show(targetBefore)} → ${show(targetAfter)} (${metricAfter.type || "metric"}): the group holds ${direction}`));
  }
  return notes.length ? worst(notes) : benign("target tracking settings");
}
const TERMINATING_HOOK = "autoscaling:EC2_INSTANCE_TERMINATING";
const LAUNCHING_HOOK = "autoscaling:EC2_INSTANCE_LAUNCHING";

function hookKind(rc: ResourceChange): "terminating" | "launching" | "unknown" {
  const transition = rc.change.after?.lifecycle_transition ?? rc.change.before?.lifecycle_transition;
  return transition === TERMINATING_HOOK ? "terminating" : transition === LAUNCHING_HOOK ? "launching" : "unknown";
}

/**
 * A lifecycle hook as its own resource. The terminating hook holds instances while they drain:
 * losing it (or shortening it) in production needs approval. A launching hook holds every new
 * instance until something completes the action; with ABANDON, none gets in service otherwise.
 */
export const lifecycleHook: TypeRule = {
  role: (rc) => ({ terminating: "terminating lifecycle hook", launching: "launching lifecycle hook", unknown: "lifecycle hook" })[hookKind(rc)],
  create: ({ rc }) => {
    const after = rc.change.after ?? {};
    const kind = hookKind(rc);
    if (kind === "terminating") return benign(`terminating instances are held up to ${show(after.heartbeat_timeout ?? 3600)} s (then ${show(after.default_result ?? "ABANDON")}) so they drain before shutdown`);
    if (kind === "launching") {
      return review(`every new instance waits up to ${show(after.heartbeat_timeout ?? 3600)} s for a CompleteLifecycleAction, then ${show(after.default_result ?? "ABANDON")}${(after.default_result ?? "ABANDON") === "ABANDON" ? " (terminated): if nothing completes the action, no instance gets in service" : ""}; a hook created after the group does not hold its first instances`);
    }
    return review(`a lifecycle hook on ${show(after.lifecycle_transition)}: not a transition this review knows`);
  },
  replace: ({ rc, plan }) => {
    const where = inProduction(plan);
    const text = `the ${hookKind(rc)} hook is deleted and re-created: instances terminating or launching in between are not held`;
    return where ? review(`${text} ${where}`) : benign(text);
  },
  delete: ({ rc, plan }) => {
    const where = inProduction(plan);
    if (hookKind(rc) === "terminating") {
      const text = "the terminating hook is removed: instances are shut down once the load balancer's drain ends, without the time the hook gave the app to finish";
      return where ? review(`${text} ${where}`) : benign(text);
    }
    return hookKind(rc) === "launching" ? benign("new instances no longer wait in the launching hook") : review("a lifecycle hook on a transition this review does not know is removed");
  },
  update: {
    heartbeat_timeout: (c, { rc, plan }) => {
      const before = asNumber(c.before);
      const after = asNumber(c.after);
      if (c.unknown || after === undefined) return review(`the hook's heartbeat timeout becomes ${c.unknown ? "a value known after apply" : show(c.after)}`);
      const where = inProduction(plan);
      if (hookKind(rc) === "terminating" && before !== undefined && after < before) {
        const text = `terminating instances are held ${after} s instead of ${before} s: less time to drain`;
        return where ? review(`${text} ${where}`) : benign(text);
      }
      return benign(`heartbeat timeout ${show(c.before)} → ${show(c.after)} s`);
    },
    default_result: (c, { rc }) =>
      hookKind(rc) === "launching" && c.after === "ABANDON"
        ? review("a launching instance whose hook times out is now terminated (ABANDON): if nothing completes the action, no instance gets in service")
        : benign(`default result ${show(c.before)} → ${show(c.after)}`),
    lifecycle_transition: (c) => review(`the hook moves from ${show(c.before)} to ${show(c.after)}`),
    notification_target_arn: (c) => review(`hook notifications go to ${show(c.after)} instead of ${show(c.before)}: whatever completes the action must listen there`),
    role_arn: (c) => review(`Auto Scaling notifies as ${show(c.after)} instead of ${show(c.before)}: check it may publish to the target`),
    notification_metadata: "benign",
  },
};

export const scalingPolicy: TypeRule = {
  role: (rc) => (trackedMetric(rc.change.after?.target_tracking_configuration ?? rc.change.before?.target_tracking_configuration).type === "ALBRequestCountPerTarget" ? "request-count scaling policy" : "scaling policy"),
  replace: () => benign("the scaling policy is re-created; the group keeps its size in between"),
  delete: ({ rc, plan }) =>
    review(`${plan.production === false ? "the group" : productionWords(plan, "group")} no longer scales on ${show(rc.change.before?.name)}: under load it stays at its current size`),
  update: {
    enabled: (c) => (c.after === false ? review("scaling policy disabled: under load the group stays at its current size") : benign("scaling policy enabled")),
    target_tracking_configuration: targetTracking,
    step_adjustment: "benign",
    adjustment_type: "benign",
    scaling_adjustment: "benign",
    cooldown: "benign",
    estimated_instance_warmup: "benign",
    metric_aggregation_type: "benign",
    min_adjustment_magnitude: "benign",
    predictive_scaling_configuration: "benign",
    policy_type: "benign",
  },
};

/** A scheduled action's sizes; the provider writes -1 (or nothing) for a size the action leaves alone. */
interface ScheduleSizes {
  readonly min?: number;
  readonly max?: number;
  readonly desired?: number;
}

function sizeOf(value: unknown): number | undefined {
  const n = asNumber(value);
  return n === undefined || n < 0 ? undefined : n;
}

function scheduleSizes(values: Record<string, unknown> | null | undefined): ScheduleSizes {
  return { min: sizeOf(values?.min_size), max: sizeOf(values?.max_size), desired: sizeOf(values?.desired_capacity) };
}

function describeSizes(sizes: ScheduleSizes): string {
  const parts = (["min", "max", "desired"] as const).filter((key) => sizes[key] !== undefined).map((key) => `${key} ${sizes[key]}`);
  return parts.length ? parts.join(", ") : "no size";
}

function when(values: Record<string, unknown> | null | undefined): string {
  const recurrence = values?.recurrence ? `"${String(values.recurrence)}"` : `once at ${show(values?.start_time)}`;
  return `${recurrence} (${show(values?.time_zone) === "none" ? "Etc/UTC" : show(values?.time_zone)})`;
}

/** The bounds of the group a schedule resizes, from the same plan (by name; the only group when the name is not known yet). */
function groupBounds(rc: ResourceChange, plan: PlanContext): { min?: number; max?: number } | undefined {
  const groups = plan.changes.filter((candidate) => candidate.type === "aws_autoscaling_group" && candidate.change.after);
  const name = rc.change.after?.autoscaling_group_name ?? rc.change.before?.autoscaling_group_name;
  const group = (typeof name === "string" && groups.find((g) => g.change.after?.name === name)) || (groups.length === 1 ? groups[0] : undefined);
  return group ? { min: asNumber(group.change.after?.min_size), max: asNumber(group.change.after?.max_size) } : undefined;
}

/**
 * What a schedule can take away when it runs: a maximum or desired size is a scale-in at its
 * time (unless the maximum is at least the group's own), and a minimum below the group's lets
 * the policies shrink it further. 0 is an outage.
 */
function scheduleJudgement(values: Record<string, unknown> | null | undefined, rc: ResourceChange, plan: PlanContext, what: string): Outcome {
  const sizes = scheduleSizes(values);
  const at = `${when(values)}: ${describeSizes(sizes)}`;
  if (sizes.max === 0 || sizes.desired === 0) {
    return disruptive(`${what} ${at}: the group scales to 0 instances then (the service stops)`);
  }
  const bounds = groupBounds(rc, plan);
  const lowers: string[] = [];
  if (sizes.desired !== undefined) lowers.push(`desired ${sizes.desired} replaces whatever the group runs then (a scale-in when it runs more)`);
  if (sizes.max !== undefined && (bounds?.max === undefined || sizes.max < bounds.max)) lowers.push(`max ${sizes.max}${bounds?.max === undefined ? "" : ` is below the group's ${bounds.max}`}`);
  if (sizes.min !== undefined && (bounds?.min === undefined || sizes.min < bounds.min)) lowers.push(`min ${sizes.min}${bounds?.min === undefined ? "" : ` is below the group's ${bounds.min}`}`);
  if (sizes.min === 0) lowers.push("min 0 lets scale-in take the group to no instances");
  if (!lowers.length) return benign(`${what} ${at}: only raises the group's bounds, never takes an instance away`);
  const detail = `${what} ${at}; ${lowers.join("; ")}`;
  return plan.production === false ? benign(detail) : review(`${detail}: it can take instances out of service on ${productionWords(plan, "group")}. Approve the schedule explicitly`);
}

/** A size attribute of a schedule: lower than before is judged like a new schedule, higher is benign. */
function scheduleSize(name: "min_size" | "max_size" | "desired_capacity"): (c: AttributeChange, input: RuleInput) => Outcome {
  return (c, { rc, plan }) => {
    if (c.unknown) return review(`${name} becomes a value known after apply`);
    const before = sizeOf(c.before);
    const after = sizeOf(c.after);
    if (after !== undefined && before !== undefined && after >= before) return benign(`${name} ${before} → ${after}: the schedule asks for more`);
    if (after === undefined) return benign(`${name} ${show(before)} → left alone: the schedule no longer sets it`);
    return scheduleJudgement({ ...rc.change.after, min_size: name === "min_size" ? after : -1, max_size: name === "max_size" ? after : -1, desired_capacity: name === "desired_capacity" ? after : -1 }, rc, plan, "the schedule now sets, at");
  };
}

/** When a schedule runs moves: stated, and a person looks in production. */
function scheduleTiming(c: AttributeChange, { plan }: RuleInput): Outcome {
  const text = `${c.name} ${show(c.before)} → ${show(c.after)}: the group's size changes at other times`;
  return plan.production === false ? benign(text) : review(`${text} on ${productionWords(plan, "group")}`);
}

export const scheduledAction: TypeRule = {
  role: "scheduled action",
  create: ({ rc, plan }) => scheduleJudgement(rc.change.after, rc, plan, "new schedule at"),
  replace: ({ rc, plan }) => scheduleJudgement(rc.change.after, rc, plan, "the schedule is re-created, at"),
  delete: ({ rc, plan }) => {
    const text = `the schedule ${when(rc.change.before)} (${describeSizes(scheduleSizes(rc.change.before))}) no longer runs: whatever it set up (more capacity for a peak, or a smaller fleet) stops happening`;
    return plan.production === false ? benign(text) : review(`${text} on ${productionWords(plan, "group")}`);
  },
  update: {
    min_size: scheduleSize("min_size"),
    max_size: scheduleSize("max_size"),
    desired_capacity: scheduleSize("desired_capacity"),
    recurrence: scheduleTiming,
    time_zone: scheduleTiming,
    start_time: scheduleTiming,
    end_time: scheduleTiming,
  },
};

function roleUse(rc: ResourceChange, plan: PlanContext): "instance" | "flow-log" | "other" {
  const name = String(rc.change.before?.name ?? rc.change.after?.name ?? "");
  const arn = String(rc.change.before?.arn ?? "");
  if (plan.instanceRoles.addresses.has(configAddress(rc)) || (name && plan.instanceRoles.names.has(name))) return "instance";
  if (plan.flowLogRoles.addresses.has(configAddress(rc)) || (arn && plan.flowLogRoles.arns.has(arn))) return "flow-log";
  return "other";
}

export const iamRole: TypeRule = {
  role: (rc, plan) => ({ instance: "instance role", "flow-log": "flow-log delivery role", other: "IAM role" })[roleUse(rc, plan)],
  replace: ({ rc, plan }) =>
    ({
      instance: disruptive("running instances lose their AWS credentials (SSM access, anything the app calls) until they are replaced"),
      "flow-log": benign("flow-log delivery moves to the new role (the flow log is re-created with it)"),
      other: review("the role is replaced: whatever assumes it gets no credentials until it points at the new one"),
    })[roleUse(rc, plan)],
  delete: ({ rc, plan }) =>
    ({
      instance: disruptive("running instances lose their AWS credentials"),
      "flow-log": review("the flow log can no longer deliver: VPC traffic is not recorded"),
      other: review("the role is deleted: whatever assumes it gets no credentials"),
    })[roleUse(rc, plan)],
  update: {
    assume_role_policy: (_c, { role }) => review(`who may assume the ${role} changes: if its service can no longer assume it, it gets no credentials`),
    inline_policy: (_c, { role }) => review(`the ${role}'s permissions change: read the policy diff`),
    managed_policy_arns: (_c, { role }) => review(`the ${role}'s managed policies change: read the list`),
    permissions_boundary: (_c, { role }) => review(`the ${role}'s permissions boundary changes`),
    description: "benign",
    max_session_duration: "benign",
    force_detach_policies: "benign",
  },
};

export const instanceProfile: TypeRule = {
  role: "instance profile",
  replace: () => disruptive("running instances keep a profile that no longer exists and lose their AWS credentials until they are replaced"),
  delete: () => disruptive("running instances lose their AWS credentials"),
  update: {
    role: (c) => review(`instances with this profile run as ${show(c.after)} instead of ${show(c.before)}`),
  },
};

function policyRole(rc: ResourceChange, plan: PlanContext): string {
  const role = String(rc.change.before?.role ?? rc.change.after?.role ?? "");
  const refs = attributeReferences(plan, rc, "role");
  if ((role && plan.instanceRoles.names.has(role)) || refs.some((a) => plan.instanceRoles.addresses.has(a))) return "the instances";
  if (refs.some((a) => plan.flowLogRoles.addresses.has(a))) return "the flow log";
  return role ? `role ${role}` : "a role";
}

export const rolePolicy: TypeRule = {
  role: "role policy",
  create: ({ rc, plan }) => (attachesToNew(plan, rc, ["role"]) ? CREATED : review(`${policyRole(rc, plan)} get new permissions: read the policy`)),
  replace: ({ rc, plan }) => review(`${policyRole(rc, plan)} lose the policy's permissions between its deletion and re-creation`),
  delete: ({ rc, plan }) => review(`${policyRole(rc, plan)} lose the permissions of ${show(rc.change.before?.name ?? rc.change.before?.policy_arn)}: calls that need them fail`),
  update: {
    policy: (_c, { rc, plan }) => review(`${policyRole(rc, plan)} get other permissions: read the policy diff`),
    policy_arn: (_c, { rc, plan }) => review(`${policyRole(rc, plan)} get another managed policy`),
  },
};

export const managedPolicy: TypeRule = {
  role: "IAM policy",
  replace: () => review("the policy is replaced: roles it is attached to lose its permissions in between"),
  delete: () => review("the policy is deleted: roles it was attached to lose its permissions"),
  update: {
    policy: () => review("the policy's permissions change: read the policy diff"),
    description: "benign",
  },
};

