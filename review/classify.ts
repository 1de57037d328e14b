/**
 * Sorts a plan's changes into what they do to the running fleet:
 *
 * - disruptive: replacing or destroying something traffic or running instances depend on
 *   (the ALB, a listener, the target group, the group itself, the VPC or a subnet, the
 *   routes out, a security group or rule in use, the instances' IAM identity);
 * - rolling update: the instances' launch template changes and the group moves to it, so
 *   the instance refresh replaces them batch by batch while the ALB keeps serving;
 * - benign: everything else (tags, scaling policy, capacity bounds, new resources, …).
 *
 * Keyed by resource type and by the role a resource plays (which security group is the
 * instances', found through the configuration's references and the prior values), never by
 * today's addresses or names, so renamed constructs classify the same.
 */
import { ChangeKind, PlanJson, ResourceChange, changeKind, changedAttributes, formatPath } from "./plan";

export type ChangeClass = "disruptive" | "rolling-update" | "benign";

/** One resource's change, as the report shows it. */
export interface Finding {
  readonly class: ChangeClass;
  readonly address: string;
  readonly type: string;
  /** What the resource is in this stack, e.g. "load balancer", "instances' security group". */
  readonly role: string;
  readonly kind: ChangeKind;
  /** The resource's `name` (or Name tag) before and after, when it has one. */
  readonly name?: { readonly before?: string; readonly after?: string };
  /** Attributes whose change forces the replacement (replace_paths). */
  readonly forcedBy: string[];
  /** The engine's action reason, e.g. "replace_because_cannot_update". */
  readonly reason?: string;
  /** Top-level attributes that change (updates and replacements). */
  readonly changedAttributes: string[];
  /** Why it matters, in one sentence. */
  readonly impact: string;
}

/** What replacing or destroying a resource of a type does to a running service. */
const DISRUPTIVE_TYPES: Readonly<Record<string, { role: string; replace: string; delete: string }>> = {
  aws_lb: {
    role: "load balancer",
    replace: "the ALB's DNS name changes (clients, CNAMEs and alias records pointing at it break) and requests fail until the new one is provisioned and its targets are healthy",
    delete: "the service loses its entry point: every request fails",
  },
  aws_alb: {
    role: "load balancer",
    replace: "the ALB's DNS name changes (clients, CNAMEs and alias records pointing at it break) and requests fail until the new one is provisioned and its targets are healthy",
    delete: "the service loses its entry point: every request fails",
  },
  aws_lb_listener: {
    role: "listener",
    replace: "the port refuses connections between the old listener's deletion and the new one's creation",
    delete: "the port stops accepting connections",
  },
  aws_alb_listener: {
    role: "listener",
    replace: "the port refuses connections between the old listener's deletion and the new one's creation",
    delete: "the port stops accepting connections",
  },
  aws_lb_listener_rule: {
    role: "listener rule",
    replace: "requests matching the rule fall through to the default action until it is re-created",
    delete: "requests matching the rule fall through to the default action",
  },
  aws_lb_target_group: {
    role: "target group",
    replace: "every instance is deregistered; the listener forwards to an empty target group (503s) until the group registers its instances in the new one and they pass health checks",
    delete: "the listener has nowhere to send requests (503s)",
  },
  aws_alb_target_group: {
    role: "target group",
    replace: "every instance is deregistered; the listener forwards to an empty target group (503s) until the group registers its instances in the new one and they pass health checks",
    delete: "the listener has nowhere to send requests (503s)",
  },
  aws_lb_target_group_attachment: {
    role: "target registration",
    replace: "the target is deregistered and drained, then registered again",
    delete: "the target stops receiving traffic",
  },
  aws_autoscaling_attachment: {
    role: "target group attachment",
    replace: "the group's instances are deregistered from the target group and registered again",
    delete: "the group's instances stop receiving traffic",
  },
  aws_autoscaling_group: {
    role: "auto scaling group",
    replace: "every instance is terminated and a new group launched: no rolling refresh, capacity drops to what the new group has healthy",
    delete: "every instance is terminated",
  },
  aws_vpc: {
    role: "VPC",
    replace: "everything inside it (subnets, load balancer, instances) is destroyed and re-created",
    delete: "everything inside it is destroyed",
  },
  aws_subnet: {
    role: "subnet",
    replace: "the load balancer nodes and instances in it must leave it first: instances there are terminated and the ALB loses that zone",
    delete: "the load balancer nodes and instances in it are removed",
  },
  aws_internet_gateway: {
    role: "internet gateway",
    replace: "the VPC has no route to the internet in between: the internet-facing ALB is unreachable",
    delete: "the internet-facing ALB becomes unreachable",
  },
  aws_nat_gateway: {
    role: "NAT gateway",
    replace: "instances in private subnets lose outbound access (SSM, package repositories) and the gateway's public IP changes",
    delete: "instances in private subnets lose outbound access",
  },
  aws_eip: {
    role: "elastic IP",
    replace: "the public address changes (allow-lists naming it break)",
    delete: "the public address is released",
  },
  aws_route_table: {
    role: "route table",
    replace: "subnets associated with it lose their routes until the new table is associated",
    delete: "subnets associated with it fall back to the main route table",
  },
  aws_route: {
    role: "route",
    replace: "traffic for the route's destination has no path between deletion and re-creation",
    delete: "traffic for the route's destination has no path",
  },
  aws_route_table_association: {
    role: "route table association",
    replace: "the subnet uses the VPC's main route table in between",
    delete: "the subnet falls back to the VPC's main route table",
  },
  aws_iam_role: {
    role: "instance role",
    replace: "running instances lose their AWS credentials (SSM access, anything the app calls) until they are replaced",
    delete: "running instances lose their AWS credentials",
  },
  aws_iam_instance_profile: {
    role: "instance profile",
    replace: "running instances keep a profile that no longer exists and lose their AWS credentials until they are replaced",
    delete: "running instances lose their AWS credentials",
  },
  aws_launch_template: {
    role: "launch template",
    replace: "the group moves to a new template",
    delete: "the group has no template to launch instances from",
  },
};

const SECURITY_GROUP_TYPES = new Set(["aws_security_group"]);
const SECURITY_GROUP_RULE_TYPES = new Set([
  "aws_security_group_rule",
  "aws_vpc_security_group_ingress_rule",
  "aws_vpc_security_group_egress_rule",
]);
const LAUNCH_TEMPLATE_TYPES = new Set(["aws_launch_template"]);
const GROUP_TYPES = new Set(["aws_autoscaling_group"]);
const LOAD_BALANCER_TYPES = new Set(["aws_lb", "aws_alb"]);
/** Group attributes whose change makes an instance refresh start (besides instance_refresh.triggers). */
const REFRESH_ATTRIBUTES = ["launch_template", "mixed_instances_policy", "launch_configuration"];

/** Which security groups the instances and the load balancer use: by configuration reference and by id. */
interface SecurityGroupUse {
  readonly instanceGroupAddresses: Set<string>;
  readonly instanceGroupIds: Set<string>;
  readonly loadBalancerGroupAddresses: Set<string>;
  readonly loadBalancerGroupIds: Set<string>;
}

/** `aws_security_group.foo` references anywhere in an expressions tree. */
function referencedAddresses(expressions: unknown, types: Set<string>): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "references" && Array.isArray(value)) {
          for (const ref of value) {
            const match = typeof ref === "string" ? /^([a-z0-9_]+)\.([^.[]+)/.exec(ref) : null;
            if (match && types.has(match[1])) found.push(`${match[1]}.${match[2]}`);
          }
        } else visit(value);
      }
    }
  };
  visit(expressions);
  return found;
}

/** Every string that looks like a security group id in a value tree. */
function securityGroupIds(value: unknown): string[] {
  const text = JSON.stringify(value ?? null);
  return text.match(/sg-[0-9a-f]{8,17}/g) ?? [];
}

function securityGroupUse(plan: PlanJson): SecurityGroupUse {
  const use: SecurityGroupUse = {
    instanceGroupAddresses: new Set(),
    instanceGroupIds: new Set(),
    loadBalancerGroupAddresses: new Set(),
    loadBalancerGroupIds: new Set(),
  };
  for (const resource of plan.configuration?.root_module?.resources ?? []) {
    if (LAUNCH_TEMPLATE_TYPES.has(resource.type)) {
      referencedAddresses(resource.expressions, SECURITY_GROUP_TYPES).forEach((a) => use.instanceGroupAddresses.add(a));
    } else if (LOAD_BALANCER_TYPES.has(resource.type)) {
      referencedAddresses(resource.expressions, SECURITY_GROUP_TYPES).forEach((a) => use.loadBalancerGroupAddresses.add(a));
    }
  }
  for (const rc of plan.resource_changes ?? []) {
    if (LAUNCH_TEMPLATE_TYPES.has(rc.type)) {
      const before = rc.change.before ?? {};
      securityGroupIds([before.vpc_security_group_ids, before.network_interfaces, before.security_group_names]).forEach((id) =>
        use.instanceGroupIds.add(id),
      );
    } else if (LOAD_BALANCER_TYPES.has(rc.type)) {
      securityGroupIds(rc.change.before?.security_groups).forEach((id) => use.loadBalancerGroupIds.add(id));
    }
  }
  return use;
}

/** The resource's address without an instance key: `aws_subnet.public[0]` -> `aws_subnet.public`. */
function configAddress(rc: ResourceChange): string {
  const prefix = rc.module_address ? `${rc.module_address}.` : "";
  return `${prefix}${rc.type}.${rc.name}`;
}

function nameOf(values: Record<string, unknown> | null): string | undefined {
  if (!values) return undefined;
  if (typeof values.name === "string" && values.name) return values.name;
  const tags = values.tags as Record<string, unknown> | undefined;
  return typeof tags?.Name === "string" ? tags.Name : undefined;
}

function securityGroupRole(rc: ResourceChange, use: SecurityGroupUse): { role: string; inUse: boolean } {
  const address = configAddress(rc);
  const id = rc.change.before?.id as string | undefined;
  if (use.instanceGroupAddresses.has(address) || (id && use.instanceGroupIds.has(id))) {
    return { role: "instances' security group", inUse: true };
  }
  if (use.loadBalancerGroupAddresses.has(address) || (id && use.loadBalancerGroupIds.has(id))) {
    return { role: "load balancer's security group", inUse: true };
  }
  return { role: "security group", inUse: false };
}

function ruleRole(rc: ResourceChange, use: SecurityGroupUse): { role: string; inUse: boolean } {
  const groupId = (rc.change.before?.security_group_id as string | undefined) ?? "";
  if (use.instanceGroupIds.has(groupId)) return { role: "rule of the instances' security group", inUse: true };
  if (use.loadBalancerGroupIds.has(groupId)) return { role: "rule of the load balancer's security group", inUse: true };
  return { role: "security group rule", inUse: groupId !== "" };
}

/** Does this group change start an instance refresh? */
function groupRefreshes(rc: ResourceChange, changed: string[]): boolean {
  const after = rc.change.after ?? {};
  const refresh = (after.instance_refresh as Array<{ triggers?: string[] }> | undefined)?.[0];
  if (!refresh) return false;
  const triggers = [...REFRESH_ATTRIBUTES, ...(refresh.triggers ?? [])];
  return changed.some((attribute) => triggers.includes(attribute));
}

function humanList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** Classifies every managed resource change of a plan (no-ops and data reads are left out). */
export function classifyChanges(plan: PlanJson): Finding[] {
  const use = securityGroupUse(plan);
  const findings: Finding[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== "managed") continue;
    const kind = changeKind(rc.change.actions);
    if (kind === "no-op" || kind === "read") continue;
    const changed = kind === "update" || kind === "replace" ? changedAttributes(rc.change) : [];
    const forcedBy = (rc.change.replace_paths ?? []).map(formatPath);
    const before = nameOf(rc.change.before);
    // A name generated from a prefix is only known after apply; the Name tag is no substitute.
    const after = rc.change.after_unknown?.name === true ? "(known after apply)" : nameOf(rc.change.after);
    const base = {
      address: rc.address,
      type: rc.type,
      kind,
      name: before || after ? { before, after } : undefined,
      forcedBy,
      reason: rc.action_reason,
      changedAttributes: changed,
    };
    const known = DISRUPTIVE_TYPES[rc.type];
    const destructive = kind === "replace" || kind === "delete";

    if (SECURITY_GROUP_TYPES.has(rc.type) || SECURITY_GROUP_RULE_TYPES.has(rc.type)) {
      const { role, inUse } = SECURITY_GROUP_TYPES.has(rc.type) ? securityGroupRole(rc, use) : ruleRole(rc, use);
      if (destructive && inUse) {
        const impact = SECURITY_GROUP_TYPES.has(rc.type)
          ? kind === "replace"
            ? `running ${role.startsWith("instances") ? "instances" : "load balancer nodes"} are attached to it: the old group cannot be deleted while they use it (the apply waits on DependencyViolation) and traffic between the ALB and the instances depends on rules being re-created first`
            : `running ${role.startsWith("instances") ? "instances" : "load balancer nodes"} are attached to it: deleting it fails or cuts their traffic`
          : kind === "replace"
            ? "the traffic it allows is refused between its deletion and re-creation"
            : "the traffic it allows is refused from now on";
        findings.push({ ...base, class: "disruptive", role, impact });
      } else {
        findings.push({ ...base, class: "benign", role, impact: describeBenign(kind, changed) });
      }
      continue;
    }

    if (LAUNCH_TEMPLATE_TYPES.has(rc.type) && kind !== "delete") {
      findings.push({
        ...base,
        class: kind === "create" ? "benign" : "rolling-update",
        role: "launch template",
        impact:
          kind === "create"
            ? "a new launch template; nothing runs from it yet"
            : `a new template ${kind === "replace" ? "" : "version "}for the instances (${humanList(changed.filter((a) => a !== "latest_version" && a !== "default_version")) || "computed attributes"}); the group's instance refresh rolls it out`,
      });
      continue;
    }

    if (GROUP_TYPES.has(rc.type) && kind === "update") {
      const refreshes = groupRefreshes(rc, changed);
      const templateChanged = changed.some((a) => REFRESH_ATTRIBUTES.includes(a));
      findings.push({
        ...base,
        class: refreshes ? "rolling-update" : "benign",
        role: "auto scaling group",
        impact: refreshes
          ? "the group moves to the new launch template: instance refresh replaces the running instances in batches behind the ALB"
          : templateChanged
            ? "the launch template changes but the group has no instance_refresh: running instances keep the old one until replaced"
            : `updated in place (${humanList(changed)}); no instance is replaced`,
      });
      continue;
    }

    if (known && destructive) {
      findings.push({ ...base, class: "disruptive", role: known.role, impact: kind === "replace" ? known.replace : known.delete });
      continue;
    }

    findings.push({ ...base, class: "benign", role: known?.role ?? rc.type.replace(/^aws_/, "").replace(/_/g, " "), impact: describeBenign(kind, changed) });
  }
  return findings;
}

function describeBenign(kind: ChangeKind, changed: string[]): string {
  switch (kind) {
    case "create":
      return "created; nothing running depends on it yet";
    case "update":
      return `updated in place (${humanList(changed) || "computed attributes"})`;
    case "replace":
      return "replaced; nothing running depends on it";
    case "delete":
      return "destroyed; nothing running depends on it";
    case "forget":
      return "removed from state, left running";
    default:
      return kind;
  }
}
